"""Companies the lexicon does not know, found by how news names a company.

A capitalised name is a company when the text treats it as one: it is the subject of a reporting verb
("LVMH reported", "Safran a publié"), it carries a corporate suffix ("Nvidia Corp.", "Kering SA"), it owns
something ("Airbus's deliveries") or it opens a headline ("Carrefour : ..."). Once a document has named a
company that way, every other use of the same name in it is a mention of that company too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, phrase_pattern

# A capitalised word of a name: "LVMH", "TotalEnergies", "L'Oréal", "SK", "Hynix", "Lynk", "Co".
WORD = r"(?:[A-Z][’']?[A-Z\u00c0-\u00de][\w\u00c0-\u00ff&.-]*|[A-Z\u00c0-\u00de][\w\u00c0-\u00ff&’'.-]*)"
# Words of one name: spaces, "&" and "-" join them ("Lynk & Co", "Rolls-Royce", "SK Hynix").
NAME = rf"{WORD}(?:(?:[ \u00a0]+&[ \u00a0]+|[ \u00a0]+){WORD}){{0,4}}"
# Between a name and its verb: a parenthesis of tickers, a time, an auxiliary ("TSMC (TWSE: 2330) today
# announced", "Airbus a annoncé", "Kering has reported").
BEFORE_VERB = r"(?:[ \u00a0]*\([^()]{0,80}\))?,?(?:[ \u00a0]+(?:today|yesterday|on\s+\w+day|also|has|have|had|ce\s+\w+di|aussi))*"
ACRONYM = re.compile(r"[A-Z]{3,}")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
SP = r"[ \u00a0]+"
TRAILING_DOT = re.compile(r"\.+$")
DIGIT = re.compile(r"\d")  # "RMB30.2" is an amount, not a name


@dataclass(frozen=True)
class UnlistedMention:
    start: int
    end: int
    name: str


class UnlistedCompanies:
    def __init__(self, lexicon: Lexicon, language: str, months: list[str]):
        section = lexicon.entities.get("unlisted") or {}
        verbs = lexicon.by_language(section.get("reporting_verbs", {}), language)
        suffixes = section.get("corporate_suffixes", [])
        self.not_companies = frozenset(w.lower() for w in section.get("not_companies", [])) | {m.lower() for m in months}
        self.suffix_words = frozenset(s.lower().rstrip(".") for s in suffixes)
        suffix = phrase_pattern(suffixes, ignore_case=False)
        # Case matters: a name is capitalised, the verb after it is not.
        self.before_verb = re.compile(rf"(?<![\w’'-])(?P<name>{NAME})(?:{SP}(?:{suffix}))?{BEFORE_VERB}{SP}(?:{phrase_pattern(verbs)})(?!\w)")
        self.with_suffix = re.compile(rf"(?<![\w’'-])(?P<name>{NAME}){SP}(?:{suffix})(?![\w])")
        self.possessive = re.compile(rf"(?<![\w’'-])(?P<name>{NAME})['’]s?(?=[ \u00a0])")
        nouns = lexicon.by_language(section.get("company_nouns", {}), language)
        # Case matters for the name, not for the noun before it.
        self.apposition = re.compile(rf"(?<!\w)(?:{phrase_pattern(nouns)}){SP}(?P<name>{NAME})(?![\w’'-])") if nouns else None
        self.headline = re.compile(rf"(?m)^[ \t]*(?P<name>{NAME})[ \u00a0]*:")
        # A metric's own word opening a sentence is no company ("Deliveries rose", "Ventes : 1 171 699").
        cue_words = [cue for spec in (lexicon.metrics.get("metrics") or {}).values()
                     for cue in lexicon.by_language(spec.get("cues", {}), language)]
        self.metric_word = re.compile(phrase_pattern(cue_words)) if cue_words else None
        # "le chiffre d'affaires d'Orange", "the revenue of Danone": the owner of a metric.
        self.owner = re.compile(rf"(?<!\w)(?:{phrase_pattern(cue_words)}){SP}(?:[\w-]+{SP})?(?:de|du|d['’]|of)[ \u00a0]*(?P<name>{NAME})(?![\w’'-])") \
            if cue_words else None
        not_before = lexicon.by_language(section.get("not_before", {}), language)
        self.person_or_place = re.compile(rf"(?<!\w){phrase_pattern(not_before)}[\s\u00a0]*\Z")

    def find(self, text: str, known: list[tuple[int, int]]) -> list[UnlistedMention]:
        """Every mention of a company that the text names as one, outside the spans the lexicon knows."""
        names: set[str] = set()
        regexes = [self.before_verb, self.with_suffix, self.possessive, self.headline, self.apposition, self.owner]
        for regex in filter(None, regexes):
            for match in regex.finditer(text):
                start = match.start("name")
                if _overlaps(start, match.end("name"), known):
                    continue
                if regex is self.before_verb and self.person_or_place.search(text, max(0, start - 30), start):
                    continue  # "chief executive Luca de Meo expects", "le groupe de Wolfsburg vise"
                name = self._name(match.group("name"))
                if name and not (" " not in name and (_written_lowercase(text, name) or self._is_metric_word(name))):
                    names.add(name)
        if not names:
            return []
        # Every use of a discovered name, longest names first ("SK Hynix" before "SK").
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n).replace("'", "['’]") for n in sorted(names, key=len, reverse=True))
                             + r")(?![\w-])")
        return [UnlistedMention(m.start(), m.end(), m.group().translate(APOSTROPHES)) for m in pattern.finditer(text)
                if not _overlaps(m.start(), m.end(), known)]

    def _is_metric_word(self, name: str) -> bool:
        return self.metric_word is not None and self.metric_word.fullmatch(name) is not None

    def _name(self, written: str) -> str | None:
        """The name as written, without opening function words, a trailing suffix or full stop; None when
        what is left is not a name ("The", "China", "Analysts")."""
        words = written.split()
        while words and words[0].lower().rstrip(".") in self.not_companies:
            words.pop(0)
        while words and words[-1].lower().rstrip(".") in self.suffix_words:
            words.pop()
        if not words or any(w.lower().rstrip(".") in self.not_companies or DIGIT.search(w) for w in words):
            return None
        if len(words) > 3 and ACRONYM.fullmatch(words[0]):
            words = words[:1]  # "LVMH Moët Hennessy Louis Vuitton": the acronym is how the name is used
        name = TRAILING_DOT.sub("", " ".join(words)).translate(APOSTROPHES)
        return name if len(name) > 1 else None


def _written_lowercase(text: str, word: str) -> bool:
    """A word the text also writes in lower case is a common word ("Deliveries rose", "Ventes :")."""
    return word.lower() != word and re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text) is not None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@lru_cache(maxsize=16)
def unlisted_companies(lexicon: Lexicon, language: str) -> UnlistedCompanies:
    months = [m for m in lexicon.by_language(lexicon.periods.get("months", {}), language)]
    return UnlistedCompanies(lexicon, language, months)
