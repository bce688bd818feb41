"""Companies the lexicon does not know, found by how news names a company.

A capitalised name is a company when the text treats it as one: it is the subject of a reporting verb
("LVMH reported", "Safran a publié"), it carries a corporate suffix ("Nvidia Corp.", "Kering SA"), it owns
something ("Airbus's deliveries") or it opens a headline ("Carrefour : ..."). Once a document has named a
company that way, every other use of the same name in it is a mention of that company too.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, longest_first, phrase_pattern
from .regex_programs import compile_regex

# A capitalised word of a name ("LVMH", "TotalEnergies", "L'Oréal", "SK", "Hynix"); spaces and "&" join
# the words of one name ("Lynk & Co", "SK Hynix"). The capital comes first and the look behind it second, so
# that the engine skips straight from capital to capital.
CAPITAL = r"[A-Z\u00c0-\u00de]"
WORD_TAIL = r"[\w\u00c0-\u00ff&’'.-]*"
# A word ending with a full stop ends the run: "Gucci. L'entreprise" is a name and the next sentence. An
# elided article or preposition may come right before the name ("d'Hermès").
NAME_RUN = rf"{CAPITAL}(?:(?<![\w’'-].)|(?<=(?<!\w)[dl]['’].)){WORD_TAIL}(?:(?<!\.)(?:[ \u00a0]+&[ \u00a0]+|[ \u00a0]+){CAPITAL}{WORD_TAIL}){{0,4}}"
# Between a name and its verb: a parenthesis of tickers, a time, an auxiliary ("TSMC (TWSE: 2330) today
# announced", "Airbus a annoncé", "Kering has reported").
BEFORE_VERB = r"(?:[ \u00a0]*\([^()]{0,80}\))?,?(?:[ \u00a0]+(?:qui|which|who|that))?(?:[ \u00a0]+(?:today|yesterday|on\s+\w+day|also|has|have|had|ce\s+\w+di|aussi))*"
ACRONYM = compile_regex(r"[A-Z]{3,}")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
SP = r"[ \u00a0]+"
TRAILING_DOT = compile_regex(r"\.+$")
DIGIT = compile_regex(r"\d")  # "RMB30.2" is an amount, not a name
LOWERCASE_WORD = compile_regex(r"(?<![\w’'-])[a-z\u00df-\u00ff][\w’'-]*")
POSSESSIVE = compile_regex(r"['’]s?[ \u00a0]")
HEADLINE_COLON = compile_regex(r"[ \u00a0]*:")
LINK_WORDS = frozenset({"de", "du", "des", "of", "from", "in", "at", "by", "à", "en", "et", "and"})
LISTED_AFTER = compile_regex(r"(\S+)[ \u00a0]*(?:,|[ \u00a0]et|[ \u00a0]and)[ \u00a0]+\Z")
OWNER_LINKS = frozenset({"de", "du", "d'", "d’", "of"})
LIST_MARK = compile_regex(r",|[ \u00a0](?:et|and)[ \u00a0]")
ELIDED = compile_regex(r"(?<!\w)[dD]['’]\Z")


@dataclass(frozen=True)
class UnlistedMention:
    start: int
    end: int
    name: str
    company: str = ""  # the owner of a product ("Ford" for "Ford F-Series")


class UnlistedCompanies:
    def __init__(self, lexicon: Lexicon, language: str, months: list[str]):
        section = lexicon.entities.get("unlisted") or {}
        verbs = lexicon.by_language(section.get("reporting_verbs", {}), language)
        suffixes = section.get("corporate_suffixes", [])
        self.not_companies = frozenset(w.lower() for w in section.get("not_companies", [])) | {m.lower() for m in months}
        self.suffix_words = frozenset(s.lower().rstrip(".") for s in suffixes)
        # One scan finds the runs of capitalised words; what stands right after and before each run says
        # whether it names a company. Case matters: a name is capitalised, the verb after it is not.
        self.run = compile_regex(NAME_RUN)
        self._names: dict[str, str | None] = {}
        self.verb_after = compile_regex(rf"{BEFORE_VERB}{SP}(?:{phrase_pattern(verbs)})(?!\w)")
        nouns = lexicon.by_language(section.get("company_nouns", {}), language)
        self.company_nouns = frozenset(n.lower() for n in nouns if " " not in n)  # one word before the name
        # A metric's own word opening a sentence is no company ("Deliveries rose", "Ventes : 1 171 699").
        cue_words = [cue for spec in (lexicon.metrics.get("metrics") or {}).values()
                     for cue in lexicon.by_language(spec.get("cues", {}), language)]
        self.metric_word = compile_regex(phrase_pattern(cue_words)) if cue_words else None
        # "le chiffre d'affaires d'Orange", "the revenue of Danone": the owner of a metric.
        self.owner_cue = compile_regex(rf"(?<!\w)(?:{phrase_pattern(cue_words)}){SP}(?:[\w-]+{SP})?\Z") if cue_words else None
        # "Ford's F-Series truck", "its compact Maverick pickup" (English: the name before the kind of
        # vehicle); "sa citadine Twingo", "le SUV Scenic de Renault" (French: after it).
        kinds = phrase_pattern(lexicon.by_language(section.get("product_nouns", {}), language))
        name = rf"(?P<name>{CAPITAL}[\w\u00c0-\u00ff-]*(?:[ \u00a0]+{CAPITAL}[\w\u00c0-\u00ff-]*)?)"
        owner = r"(?:(?P<owner>[^\W\d_][\w&.-]*)['’]s|its|their)"
        self.product = compile_regex(
            rf"{owner}[ \u00a0]+(?:[a-z][\w-]*[ \u00a0]+){{0,2}}{name}[ \u00a0]+(?:{kinds})(?!\w)" if language == "en"
            else rf"(?:(?P<owner>son|sa|ses|leur)|(?:le|la|les))[ \u00a0]+(?:{kinds})[ \u00a0]+{name}(?![\w-])"
        ) if kinds != r"(?!x)x" else None
        # Most texts name no kind of vehicle: one scan for the kinds says where to look.
        self.kind_words = sorted({k.lower() for k in lexicon.by_language(section.get("product_nouns", {}), language)})
        self.name_first = language == "en"
        # The word right before a name that makes it a person or a place ("chief executive", "de").
        self.not_before = frozenset(w.split()[-1].lower() for w in lexicon.by_language(section.get("not_before", {}), language))

    def find(self, text: str, known: list[tuple[int, int]]) -> list[UnlistedMention]:
        """Every mention of a company that the text names as one, outside the spans the lexicon knows."""
        names: set[str] = set()
        lowercase_words = None
        spans = Spans(known)
        listed: list[tuple[int, str]] = []  # (start, name) of runs judged no company on their own, which a list may still make one
        for run in self.run.finditer(text):
            start, end = run.span()
            written = run.group()
            if written.endswith(("'s", "’s")):
                written, end = written[:-2], end - 2  # "Nvidia's revenue": the possessive is not the name's
            if not written or (" " not in written and written.lower().rstrip(".") in self.not_companies):
                continue  # "The", "In", "China": most runs are one such word, settled without a look around
            if end < len(text) and (text[end] in "$€£¥" or text[end].isdigit()):
                continue  # "NT$", "HK$": a currency, not a name
            if spans.overlaps(start, end):
                continue
            name = self._name(written)
            if not name or name in names:
                continue  # no name ("The Group"), or one found already: what stands around it adds nothing
            if not self._names_company(text, start, end, written):
                listed.append((start, name))
                continue
            if " " not in name and name.lower() != name:
                lower = name.lower()
                if lower in text:  # most names never appear in lower case: the substring test settles them
                    if lowercase_words is None:
                        lowercase_words = frozenset(LOWERCASE_WORD.findall(text))
                    if lower in lowercase_words:
                        continue  # a word the text also writes in lower case is a common word ("Deliveries rose")
                if self._is_metric_word(name):
                    continue
            names.add(name)
        # "les filiales Daihatsu et Hino", "Daihatsu Motor and Hino Motors": a name listed with a company is one.
        for start, name in listed if names else ():
            if not LIST_MARK.search(text[max(0, start - 5) : start]):
                continue  # the usual case: no comma or "and" right before the run
            joined = LISTED_AFTER.search(text, max(0, start - 40), start)
            if joined is not None and joined.group(1).strip(".,").translate(APOSTROPHES) in names:
                names.add(name)
        if not names:
            return []
        # Every use of a discovered name, longest names first ("SK Hynix" before "SK").
        found: list[UnlistedMention] = []
        taken = Spans([])  # a name used thousands of times was checked against every use kept before it
        for name in longest_first(names):
            for written in {name, name.replace("'", "’")}:
                for start, end in _occurrences(text, written):
                    if not spans.overlaps(start, end) and not taken.overlaps(start, end):
                        found.append(UnlistedMention(start, end, name))
                        taken.add(start, end)
        return sorted(found, key=lambda m: m.start)

    def find_products(self, text: str, companies: list[tuple[int, str]]) -> list[UnlistedMention]:
        """Every mention of a product the text introduces next to a kind of vehicle and its owner ("Ford's
        F-Series truck", "its compact Maverick pickup"), named with its company ("Ford F-Series"). ``companies``:
        (start, name) of the company mentions, in order; "its" is the last one named before."""
        if self.product is None:
            return []
        starts = [start for start, _ in companies]
        names: dict[str, str] = {}
        lower = text.lower()
        for start, end in sorted(span for kind in self.kind_words for span in _occurrences(lower, kind)):
            # the phrase ends on the kind (English) or starts just before it (French)
            lo, hi = (max(0, start - 80), end) if self.name_first else (max(0, start - 8), end + 60)
            match = self.product.search(text, lo, hi)
            if match is None or not match.start() < start < match.end():
                continue
            written = match.group("name")
            if written.lower() in self.not_companies or written in names:
                continue
            owner = match.group("owner")
            known = [company for _, company in companies[: bisect_left(starts, match.start("name"))]]
            company = owner if owner and owner in known else (known[-1] if known else None)
            if company is not None and company.lower() not in written.lower():
                names[written] = company
        found = [UnlistedMention(start, end, f"{company} {written}", company)
                 for written, company in names.items() for start, end in _occurrences(text, written)]
        return sorted(found, key=lambda m: m.start)

    def _names_company(self, text: str, start: int, end: int, written: str) -> bool:
        """Whether the text treats a capitalised run as a company: a suffix, a reporting verb or a
        possessive after it, a company noun or a metric and "de" / "of" before it, or a headline's colon."""
        if " " in written and written.rsplit(None, 1)[-1].lower().rstrip(".") in self.suffix_words:
            return True  # "Nvidia Corp.", "Kering SA"
        if POSSESSIVE.match(text, end):
            return True  # "Airbus's deliveries"
        # The two words before the run, when a space separates it from them (split, not searched: most runs
        # are looked at, and a look behind with a regex tries every position of its window).
        window = text[max(0, start - 40) : start]
        words = window.rsplit(None, 2)[-2:] if window[-1:].isspace() else []
        if window[-1:] in ("'", "’") and ELIDED.search(window, len(window) - 3):  # "le chiffre d'affaires d'Hermès": the elided word is the one before
            words = window[:-2].rsplit(None, 1)[-1:] + [window[-2:]]
        last_before = words[-1].lower() if words else ""
        if self.verb_after.match(text, end) and last_before not in self.not_before:
            return True  # not "chief executive Luca de Meo expects", "le groupe de Wolfsburg vise"
        if HEADLINE_COLON.match(text, end) and not text[text.rfind("\n", 0, start) + 1 : start].strip():
            return True  # "Carrefour : ..."
        if not words:
            return False
        # "le groupe TotalEnergies", "chipmaker TSMC", "les filiales Daihatsu", and one adjective between:
        # "sa marque phare Gucci" (not "le constructeur de Hangzhou", "la firme d'Elon Musk").
        if self._company_noun(last_before) or (len(words) > 1 and words[-1].islower() and words[-1].isalpha()
                                               and last_before not in LINK_WORDS and self._company_noun(words[-2])):
            return True  # the cheap tests on the word between first: most runs have none
        if last_before in OWNER_LINKS and self.owner_cue is not None:
            link = start - len(window) + window.rfind(words[-1])
            return self.owner_cue.search(text, max(0, link - 60), link) is not None
        return False

    def _company_noun(self, word: str) -> bool:
        word = word.lower()
        return word in self.company_nouns or word.rstrip("s") in self.company_nouns

    def _is_metric_word(self, name: str) -> bool:
        return self.metric_word is not None and self.metric_word.fullmatch(name) is not None

    def _name(self, written: str) -> str | None:
        """The name as written, without opening function words, a trailing suffix or full stop; None when
        what is left is not a name ("The", "China", "Analysts"). The same few runs recur: answers are kept."""
        found = self._names.get(written, self)
        if found is self:
            found = self._read_name(written)
            if len(self._names) < 8192:
                self._names[written] = found
        return found  # type: ignore[return-value]  # the sentinel is self

    def _read_name(self, written: str) -> str | None:
        words = written.split()
        owners = [i for i, w in enumerate(words) if w.endswith(("'s", "’s"))]
        if owners:
            words = words[owners[-1] + 1 :]  # "Norway’s Equinor": the possessive names another owner
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


def _occurrences(text: str, word: str):
    """(start, end) of each place ``word`` stands on its own in ``text``: a substring search, much faster than
    a regex over the whole text for a few rare words."""
    position = text.find(word)
    while position >= 0:
        end = position + len(word)
        if _whole_word(text, position, end):
            yield position, end
        position = text.find(word, end)


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_-")) \
        and (end == len(text) or not (text[end].isalnum() or text[end] in "_-"))


class Spans:
    """Spans sorted by start that do not overlap each other, asked whether they meet a span."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self.starts, end)  # spans starting before ``end``: only the last can reach in
        return index > 0 and self.spans[index - 1][1] > start

    def add(self, start: int, end: int) -> None:
        """Keep a span that meets none of them."""
        index = bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.spans.insert(index, (start, end))


@lru_cache(maxsize=16)
def unlisted_companies(lexicon: Lexicon, language: str) -> UnlistedCompanies:
    months = [m for m in lexicon.by_language(lexicon.periods.get("months", {}), language)]
    return UnlistedCompanies(lexicon, language, months)
