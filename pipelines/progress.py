"""Progress of a long run: a live bar per stage on a terminal, one line per stage otherwise (a log
file, CI), so a run of thousands of files is never silent until its end."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


class StageProgress:
    """Counts the items of one stage (files read, documents extracted, rows loaded)."""

    def __init__(self, label: str, total: int, unit: str, stream: TextIO | None = None, enabled: bool = True,
                 live: bool | None = None):
        """``live`` draws a bar; by default, when ``stream`` is a terminal."""
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stdout
        self.enabled = enabled
        self.count = 0
        self.closed = False
        self.started = time.monotonic()
        live = enabled and (_is_terminal(self.stream) if live is None else live)
        self.bar = tqdm(total=total, desc=label, unit=f" {unit}", file=self.stream, leave=True,
                        dynamic_ncols=True) if live else None

    def advance(self, amount: int = 1) -> None:
        self.count += amount
        if self.bar is not None:
            self.bar.update(amount)

    def close(self, summary: str = "") -> None:
        """End the stage; off a terminal, this prints its one line. Closing twice does nothing."""
        if self.closed:
            return
        self.closed = True
        if self.bar is not None:
            if summary:
                self.bar.set_postfix_str(summary, refresh=False)
            self.bar.close()
        elif self.enabled:
            elapsed = time.monotonic() - self.started
            extra = f" ({summary})" if summary else ""
            print(f"{self.label}: {self.count}/{self.total} {self.unit}{extra} in {elapsed:.1f} s",
                  file=self.stream, flush=True)

    def __enter__(self) -> "StageProgress":
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
