"""The folder states the sensor compares, kept in the instance's key-value store; its cursor names one.
Dagster writes a sensor's cursor again into the record of every tick, a tick every 30 seconds, and keeps
those records (skipped ticks for a week, the others for good): a cursor holding the stamp of each of
10,000 files made each record 700 KB, 2 GB a day. The cursor is now the state's digest and the slot it
is kept in; a state is written only when it changed.

Two slots take turns: a tick writes its state into the slot the last committed cursor does not name, so
a tick that fails before Dagster commits its cursor finds the previous state where it was. In the
instance, the states go wherever its cursors go (SQLite here, PostgreSQL for a shared instance). A
cursor whose state is gone compares the folder with an empty one: the run it asks for looks at every
file and reads only those the warehouse lacks."""

from __future__ import annotations

import contextlib
import hashlib
import json

from dagster import DagsterInstance

STATE_KEY = "folder_state"
CURSOR_KEYS = {STATE_KEY, "slot", "stamps"}
SLOT_KEY = "figures/sources_changed/folder_state/{}"


def _named(cursor: str | None) -> dict | None:
    """What a cursor of this form says ({folder_state, slot, stamps}), or None."""
    with contextlib.suppress(ValueError, TypeError):
        named = json.loads(cursor or "")
        if isinstance(named, dict) and set(named) == CURSOR_KEYS and named["slot"] in (0, 1):
            return named
    return None


def load_state(instance: DagsterInstance, cursor: str | None) -> dict[str, str]:
    """The {partition key: stamp} state ``cursor`` names; {} without a cursor, or when its state is gone
    or it cannot be read (one typed in the UI). A cursor that holds the whole state, as the sensor's
    cursors once did, is that state."""
    named = _named(cursor)
    if named is None:
        with contextlib.suppress(ValueError, TypeError):
            whole = json.loads(cursor or "")
            if isinstance(whole, dict) and all(isinstance(stamp, str) for stamp in whole.values()):
                return whole
        return {}
    key = SLOT_KEY.format(named["slot"])
    with contextlib.suppress(ValueError, TypeError):
        kept = json.loads(instance.run_storage.get_cursor_values({key}).get(key) or "{}")
        if kept.get("digest") == named[STATE_KEY] and isinstance(kept.get("state"), dict):
            return kept["state"]
    return {}


def save_state(instance: DagsterInstance, state: dict[str, str], previous_cursor: str | None) -> str:
    """Keep ``state`` in the slot ``previous_cursor`` does not name (nothing is written when that cursor
    names this very state) and return the cursor that names it."""
    text = json.dumps(state, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    previous = _named(previous_cursor)
    if previous is not None and previous[STATE_KEY] == digest:
        return previous_cursor  # type: ignore[return-value]
    slot = 1 - previous["slot"] if previous is not None else 0
    instance.run_storage.set_cursor_values({SLOT_KEY.format(slot): f'{{"digest": "{digest}", "state": {text}}}'})
    return json.dumps({STATE_KEY: digest, "slot": slot, "stamps": len(state)})
