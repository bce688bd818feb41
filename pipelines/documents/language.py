"""French or English? A stopword count is enough for news articles and needs no model."""

from __future__ import annotations

import re

# Words frequent in one language and absent (or rare) in the other; ambiguous ones such as
# "a", "on", "as", "an", "en" are left out on purpose.
_FRENCH = frozenset(
    "le la les des est une du et à pour dans sur par au aux avec qui que ce cette ces sont pas plus "
    "ne se son sa ses leur leurs été être d l qu c s n j il elle ils nous vous mais ou où donc "
    "selon depuis entre chez très aussi comme après avant".split()
)
_ENGLISH = frozenset(
    "the of and is to in for with that are by this from it was at be has have will its were "
    "which their they but or not been than also after before would could about into over "
    "said more".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_MIN_HITS = 5
_MARGIN = 1.5  # the winner needs this many times the other language's hits
_MIN_UNCONTESTED = 2  # a short text (a PDF slide, a headline) decides on two words when the other has none


def detect_language(text: str) -> str | None:
    """Return "fr", "en", or None when the text has too few telling words or is mixed."""
    french = english = 0
    for word in _WORD.findall(text[:20_000].lower()):
        french += word in _FRENCH
        english += word in _ENGLISH
    if min(french, english) == 0 and max(french, english) >= _MIN_UNCONTESTED:
        return "fr" if french else "en"
    if max(french, english) < _MIN_HITS:
        return None
    if french >= english * _MARGIN:
        return "fr"
    if english >= french * _MARGIN:
        return "en"
    return None


def normalise_language(value: object) -> str | None:
    """"fr-FR", "FR", "fr_CA" -> "fr"; empty -> None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0] or None
