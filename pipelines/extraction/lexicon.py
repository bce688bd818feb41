"""Loads the YAML lexicons (packaged defaults, plus a user folder merged on top) and compiles matchers."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .regex_programs import compile_regex

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


# A ``_`` word in a phrase: at most one word of any kind, a number with separators too ("the
# 1,548-horsepower sedan").
OPEN_WORD = r"\s+(?:(?:[\w'’-]|(?<=\d)[,.](?=\d))+\s+)?"


def longest_first(words) -> list[str]:
    """The distinct words, longest first, ties in alphabetical order: an alternation tries its branches
    in this order, and the same words make the same regex in every process (a set's order is not)."""
    return sorted(set(words), key=lambda word: (-len(word), word))


def phrase_pattern(phrases, *, ignore_case: bool = True) -> str:
    """One regex alternation for phrases, longest first, anchored on word edges.

    A trailing ``*`` matches any word ending; spaces match any run of spaces (including no-break ones);
    a ``_`` word stands for at most one word of any kind ("of _ revenue": "of Tesla's revenue").
    """
    ordered = longest_first(p for p in phrases if p)
    if not ordered:
        return r"(?!x)x"
    if not ignore_case:
        return "(?:" + "|".join(phrase_body(phrase) for phrase in ordered) + ")"
    # Phrases with an open word ("the _ group", "the _ automaker") share one branch per opening: tried one
    # by one, each would read the open word again after every "the" of the text.
    open_ended: dict[str, list[str]] = {}
    for phrase in ordered:
        if " _ " in phrase:
            head, tail = phrase.split(" _ ", 1)
            open_ended.setdefault(head, []).append(tail)
    plain = alternation([(phrase_body(phrase), True) for phrase in ordered if " _ " not in phrase])
    if not open_ended:
        return plain
    # The open phrases first: the engine takes the first branch that matches, and a plain phrase is often
    # the start of an open one ("share", "share of the _ market").
    branches = [phrase_pattern([head]) + OPEN_WORD + phrase_pattern(tails) for head, tails in open_ended.items()]
    branches += [plain] if len(open_ended) < len(ordered) else []
    return "(?:" + "|".join(branches) + ")"


def phrase_body(phrase: str) -> str:
    """The regex for one lexicon phrase, as ``phrase_pattern`` reads it (case aside)."""
    stem = phrase[:-1] if phrase.endswith("*") else phrase
    body = r"\s+".join(re.escape(word) for word in stem.split())
    body = re.sub("['’]", "['’]", body)
    body = body.replace(r"\s+_\s+", OPEN_WORD)
    if phrase.endswith("*"):
        body += r"\w*"
    return body


# Why alternation() exists: the regex engine tries the branches of `a|b|c` one after the other at every
# position, and only skips a branch cheaply when it opens with a case-sensitive character. A lexicon of
# a hundred phrases in any case makes every word start cost a hundred tries; behind one branch per
# character the phrases can open on, it costs one quick test per such character.
LATIN1 = tuple(map(chr, range(256)))


def alternation(parts: list[tuple[str, bool]]) -> str:
    """``(?:p1|p2|...)`` for regex ``parts`` given as (pattern, ignore_case), tried in the given order.

    Same matches, laid out for speed: each part is split into its first character (or apostrophe class)
    and the rest, and parts are grouped behind each Latin-1 character their first character matches
    (case-sensitive: "c" and "C" for a part in any case); a last branch keeps the plain alternation for
    text that starts with any other character. Parts opening otherwise (a group, a class) keep the plain
    alternation throughout.
    """
    return "(?:" + "|".join(alternation_branches(parts)) + ")"


def within_ignore_case(pattern: str) -> str:
    """An ``alternation`` (or a ``phrase_pattern``) to splice into a case-insensitive regex, with the same
    matches: its branches per first character are read as written, each part keeping its own case flag.
    Read case-insensitively, a branch would be entered at every character of its class (both cases)
    instead of being skipped on its first character."""
    return "(?-i:" + pattern + ")"


def alternation_branches(parts: list[tuple[str, bool]]) -> list[str]:
    """The branches of ``alternation(parts)``, to splice into a larger alternation (order matters
    only within a list: no two of its branches open on the same character)."""
    plain = "(?:" + "|".join(_flagged(p, ignore_case) for p, ignore_case in parts) + ")"
    split = []
    for pattern, ignore_case in parts:
        first_and_rest = _first_character(pattern)
        if first_and_rest is None:
            return [plain]
        first, rest = first_and_rest
        split.append((_latin1_matches(first, ignore_case), first, rest, ignore_case))
    # Parts whose first characters share a letter ("BYD" as written, "build your dreams" in any case)
    # share a group; within it, a part that takes fewer characters checks its own first one again.
    classes: list[frozenset[str]] = []
    for chars, *_ in split:
        if not chars:
            continue  # opens only on characters outside Latin-1: left to the last branch
        overlapping = [c for c in classes if c & chars]
        classes = [c for c in classes if not c & chars] + [frozenset(chars.union(*overlapping))]
    groups: dict[frozenset[str], list[str]] = {}
    for chars, first, rest, ignore_case in split:
        if chars:
            union = next(c for c in classes if chars <= c)
            check = "" if chars == union else f"(?<={_flagged(first, ignore_case)})"
            groups.setdefault(union, []).append(check + _flagged(rest, ignore_case))
    # The engine skips a branch that opens on a character quicker than one that opens on a class.
    branches = [re.escape(ch) + "(?:" + "|".join(rests) + ")" for chars, rests in groups.items() for ch in sorted(chars)]
    # Any other first character: every part, each checking its own first character again.
    others = [f"(?<={_flagged(first, ignore_case)})" + _flagged(rest, ignore_case) for _, first, rest, ignore_case in split]
    return branches + [r"[^\x00-\xff](?:" + "|".join(others) + ")"]


def _flagged(pattern: str, ignore_case: bool) -> str:
    return f"(?i:{pattern})" if ignore_case and pattern else pattern


def _first_character(pattern: str) -> tuple[str, str] | None:
    """(first character, rest) of a pattern that opens on a plain or escaped character or on ['’],
    not repeated; None for any other opening."""
    if pattern.startswith("['’]"):
        first = "['’]"
    elif pattern.startswith("\\") and len(pattern) > 1 and not pattern[1].isalnum():
        first = pattern[:2]
    elif pattern and pattern[0] not in "\\[(.^$*+?{|)":
        first = pattern[0]
    else:
        return None
    rest = pattern[len(first) :]
    return None if rest[:1] in ("*", "+", "?", "{") else (first, rest)


@lru_cache(maxsize=None)
def _latin1_matches(first: str, ignore_case: bool) -> frozenset[str]:
    regex = compile_regex(first, re.IGNORECASE if ignore_case else 0)
    return frozenset(ch for ch in LATIN1 if regex.fullmatch(ch))


# The pieces a phrase body is written with: a run of spaces, a word ending, an apostrophe, a character.
BODY_TOKEN = compile_regex(r"\\s\+|\\w\*|\['’\]|\\[^\w]|[^\\()\[\]|?*+{}.^$]")


def prefix_tree(bodies, end: str = "") -> str:
    """One pattern for phrase bodies that matches where any of them does, each followed by ``end``,
    with their shared openings written once: "the same period" and "the same quarter" cost one test of
    "the same" where an alternation tries each in turn. For a lookahead: which phrase matches, and how
    far, may differ from the alternation of the bodies. A body not written with the plain pieces of
    ``phrase_body`` stays whole."""
    tree: dict = {}
    for body in bodies:
        tokens = BODY_TOKEN.findall(body)
        node = tree
        for token in tokens if "".join(tokens) == body else [body]:
            node = node.setdefault(token, {})
        node[None] = {}  # a phrase ends here
    return _tree_pattern(tree, end)


def _tree_pattern(node: dict, end: str) -> str:
    branches = [end if token is None else token + _tree_pattern(child, end) for token, child in node.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


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
    return compile_regex(initials_lookahead(phrases) + r"(?<!\w)" + phrase_pattern(phrases) + r"(?!\w)")


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


# libyaml's loader when PyYAML has it: the same documents, read eight times faster (every process that
# extracts reads the lexicons once).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_dir(folder: Path) -> dict:
    data = {}
    for name in LEXICON_FILES:
        path = folder / f"{name}.yaml"
        if path.exists():
            data[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
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
