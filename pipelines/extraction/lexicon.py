"""Loads the YAML lexicons (packaged defaults, plus a user folder merged on top) and compiles matchers."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_DIR = Path(__file__).with_name("lexicons")
LEXICON_FILES = ("units", "entities", "metrics", "cues", "periods")
LANGUAGES = ("fr", "en")


def merge(base, extra):
    """Deep-merge ``extra`` into ``base``: mappings merge key by key, lists extend without repeats."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


def phrase_pattern(phrases, *, ignore_case: bool = True) -> str:
    """One regex alternation for phrases, longest first, anchored on word edges.

    A trailing ``*`` matches any word ending; spaces match any run of spaces (including no-break ones);
    a ``_`` word stands for at most one word of any kind ("of _ revenue": "of Tesla's revenue").
    """
    parts = []
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        stem = phrase[:-1] if phrase.endswith("*") else phrase
        body = r"\s+".join(re.escape(word) for word in stem.split())
        body = re.sub("['’]", "['’]", body)
        body = body.replace(r"\s+_\s+", r"\s+(?:[\w'’-]+\s+)?")
        if phrase.endswith("*"):
            body += r"\w*"
        parts.append(body)
    if not parts:
        return r"(?!x)x"
    flags = "(?i:" if ignore_case else "(?:"
    return flags + "|".join(parts) + ")"


def initials_lookahead(phrases) -> str:
    """A lookahead on the first characters of the phrases: it lets a scan skip other positions fast."""
    chars = set()
    for phrase in phrases:
        if phrase:
            first = phrase[0]
            chars |= {first.lower(), first.upper()} | ({"'", "’"} if first in "'’" else set())
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(chars)) + "])" if chars else ""


def phrase_regex(phrases) -> re.Pattern:
    phrases = list(phrases)
    return re.compile(initials_lookahead(phrases) + r"(?<!\w)" + phrase_pattern(phrases) + r"(?!\w)")


@dataclass(eq=False)  # compared and hashed by identity: one loaded lexicon, many cached matchers
class Lexicon:
    """The merged lexicon data; matchers are built lazily by the modules that use them."""

    units: dict
    entities: dict
    metrics: dict
    cues: dict
    periods: dict
    source: str

    def by_language(self, section: dict, language: str):
        """A per-language entry, falling back to the union of all languages."""
        if language in section:
            return section[language]
        values = [section[lang] for lang in LANGUAGES if lang in section]
        if values and isinstance(values[0], dict):
            merged: dict = {}
            for value in values:
                merged.update(value)
            return merged
        return [item for value in values for item in value]


def _read_dir(folder: Path) -> dict:
    data = {}
    for name in LEXICON_FILES:
        path = folder / f"{name}.yaml"
        if path.exists():
            data[name] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data


@lru_cache(maxsize=8)
def _load(user_dir: str | None) -> Lexicon:
    data = _read_dir(DEFAULT_DIR)
    if user_dir:
        folder = Path(user_dir)
        if not folder.is_dir():
            raise FileNotFoundError(f"lexicon folder {folder} does not exist (FIGURES_LEXICON_DIR)")
        for name, extra in _read_dir(folder).items():
            data[name] = merge(data.get(name, {}), extra)
    return Lexicon(**{name: data.get(name, {}) for name in LEXICON_FILES}, source=user_dir or "default")


def load_lexicon(user_dir: str | os.PathLike | None = None) -> Lexicon:
    """The lexicon: packaged defaults merged with ``user_dir`` or ``$FIGURES_LEXICON_DIR`` if set."""
    folder = user_dir if user_dir is not None else os.environ.get("FIGURES_LEXICON_DIR") or None
    return _load(str(folder) if folder else None)
