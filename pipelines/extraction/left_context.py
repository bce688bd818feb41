"""The words right before a number (direction, hedge, sign, currency), read backwards.

A regex that must end where the number starts (``...\\Z``) makes ``re.search`` try every position of
the window before the number. Reading the reversed window with a reversed regex anchored at the number
costs one match instead, and gives the same groups; offsets are mapped back to the text.
"""

from __future__ import annotations

import re

from .lexicon import alternation, longest_first, phrase_pattern
from .regex_programs import compile_regex

SP = r"[ \u00a0\u202f\u2009]"
WINDOW = 64


def _reversed(phrases) -> str:
    """A phrase alternation matching the phrases written backwards (a trailing ``*`` is dropped)."""
    return phrase_pattern([p.rstrip("*")[::-1] for p in phrases if p.rstrip("*")])


# The symbol and code lists are alternations of dozens of words, tried right before every number:
# ``alternation`` lays them out behind their first characters, with the same matches.
def _reversed_exact(words) -> str:
    """Symbols backwards; one with letters ("US$") in any case, its spaces as any space."""
    parts = []
    for word in longest_first(w for w in words if w):
        body = r"\s+".join(re.escape(piece) for piece in word[::-1].split(" "))
        parts.append((body, any(ch.isalpha() for ch in word)))
    return alternation(parts) if parts else r"(?!x)x"


def _reversed_codes(words, as_written=frozenset()) -> str:
    """Codes and names in any case (as the forward reader does), spaces as any space; the words
    ``as_written`` only as written."""
    parts = []
    for word in longest_first(w for w in words if w):
        body = r"\s+".join(re.escape(piece) for piece in word[::-1].split())
        parts.append((body, any(ch.islower() for ch in word) and word not in as_written))
    return alternation(parts) if parts else r"(?!x)x"


def build_left_regex(directions, qualifiers: dict, fillers, codes, symbols, minus_words=(), as_written=frozenset(),
                     not_qualifiers=()) -> re.Pattern:
    """Forward shape: [direction [de|of|by] ] [qualifier [filler]] [sign] [currency] <number>.
    ``not_qualifiers`` end with a qualifier word but state no bound ("handed over"): the words before
    that qualifier word cancel it."""
    qualifier_alts = "|".join(f"(?P<{name}>{_reversed(phrases)})" for name, phrases in qualifiers.items())
    prefixes = [" ".join(p.split()[:-1]) for p in not_qualifiers if len(p.split()) > 1]
    cancelled = rf"(?!{SP}+(?:{_reversed(prefixes)})(?!\w))" if prefixes else ""
    # Each optional part takes the spaces that separate it from what follows it, so that a part that
    # is absent consumes nothing.
    return compile_regex(
        rf"(?:{SP}?(?P<currency>{_reversed_codes(codes, as_written)}(?![^\W\d_])|{_reversed_exact(symbols)}))?"
        rf"(?:{SP}?(?P<sign>[+\-−–±])|{SP}+(?P<minus>{_reversed(minus_words)})(?!\w))?"
        rf"(?:{SP}*(?:(?:{_reversed(fillers)}){SP}+)?(?:{qualifier_alts})(?!\w){cancelled})?"
        rf"(?:{SP}+(?:(?:ed|fo|yb|['’]d){SP}+)?(?P<direction>{_reversed(directions)})(?!\w))?"
    )


class LeftContext:
    """What precedes a number, with the forward-reading interface the reader uses."""

    __slots__ = ("_match", "_origin")

    def __init__(self, match: re.Match, origin: int):
        self._match = match
        self._origin = origin  # the number's start in the text

    def group(self, name: str | int = 0) -> str | None:
        value = self._match.group(name)
        return value[::-1] if value is not None else None

    def start(self, name: str | int) -> int:
        """The group's start in the text (forward offsets)."""
        return self._origin - self._match.end(name)

    def has(self, name: str) -> bool:
        return self._match.group(name) is not None


def read_left(regex: re.Pattern, text: str, start: int) -> LeftContext | None:
    window = text[max(0, start - WINDOW) : start][::-1]
    match = regex.match(window)
    return LeftContext(match, start) if match and match.end() else None
