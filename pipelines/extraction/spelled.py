"""Spelled-out numbers: a small grammar over number words, in French and English.

A regex finds runs of number words (and the digits that combine with them: "3 hundred and 21",
"1 over 3", "2 1/4"); each run is split into tokens and read as

    cardinal  groups of [multiplier] hundred and [multiplier] scale, "and"/"et" between them
              ("two thousand and two hundred", "vingt et un", "three lakh crore")
    fraction  numerator + ordinal denominator ("three fifths", "a half", "un tiers"), the ordinal
              possibly compound ("one twenty-fifth", "une vingt et unième"), or numerator
              "over"/"sur"/"out of" denominator ("one over three", "1 sur 20")
    mixed     cardinal "and"/"et" proper fraction ("one and a half", "cent et trois quarts")
    decimal   cardinal "point"/"virgule" digit words ("two hundred point zero three")
    scaled    a fraction before a scale or a dozen ("half a dozen", "deux tiers de million",
              "un million et demi": a fraction after a large scale counts in that scale)

A run may hold several numbers ("three-nought-four" is 3, 0 and 4): tokens that do not continue
the current number start the next one. The word tables are in ``spelled_words.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import alternation, within_ignore_case
from .numbers import DIGITS, parse_digits
from .regex_programs import compile_regex
from .spelled_words import LANGUAGES, plural, unaccented

# Between two words of a number: spaces (not a line break) or a hyphen with optional spaces.
SEP = r"(?:[^\S\n]*-[^\S\n]*|[^\S\n]+)"
FRACTION_DIGITS = r"(?<![\d/.,])[1-9]\d{0,2}/[1-9]\d{0,2}(?![\d/])"
# How far past its first digit a number in digits, with its separator, may reach before the word or
# slash that makes it part of a number in words ("1 234 567 hundred" is 17): longer runs of digits and
# separators are tables or noise, not "3 hundred and 21".
DIGITS_REACH = 100
# Words after a fraction of one ("a fifth", "un cinquième") that keep it a fraction; any other word
# makes the ordinal an adjective ("a fifth straight month", "a third quarter").
FRACTION_FOLLOWERS = {"of", "de", "d", "du", "des", "and", "et", "or", "ou"}
NEXT_WORD = compile_regex(r"[^\S\n]*([^\W\d_]+)")
PREVIOUS_WORD = compile_regex(r"([^\W\d_]+)[^\S\n]+$")
WORD_SEPARATORS = compile_regex(r"[\s-]+")
# Token kinds whose reading looks at the text around the run (``_adjective_follows``, ``_ratio``).
CONTEXT_KINDS = {"ord", "part", "over"}
CARDINAL_WORDS = {"unit", "teen", "tens", "small", "hundred", "scale", "article", "and", "digits"}  # what an ordinal may end


NO_NUMBERS_MAX = 4096  # distinct empty runs remembered per reader


@dataclass
class Token:
    kind: str  # unit teen tens small hundred scale dozen article and point over of ord part digits fraction
    value: float
    start: int
    end: int
    word: str = ""
    plural: bool = False
    klass: str = ""  # ordinals: unit, teen, tens, round, compound
    compound_only: bool = False
    hyphen_before: bool = False
    denominator: float = 0.0  # "3/4"


@dataclass
class Cardinal:
    value: float
    end: int  # token index after the number
    has_scale: bool
    has_digits: bool
    tail_scale: float  # the scale word the number ends with ("un million"), else 0


@dataclass
class Fraction:
    numerator: float
    denominator: float
    implicit: bool  # "demi", "half" with no numerator
    singular_one: bool  # "a fifth", "un quart": may be an ordinal adjective instead


@dataclass
class Number:
    start: int
    end: int
    value: float
    has_digits: bool


def _trie(words) -> str:
    """An alternation of words factored by common prefixes, so that a failing position costs a few
    character tests instead of one test per word. A space or hyphen inside a word matches SEP.

    The first characters are laid out by ``alternation`` (same matches), for the case-insensitive patterns
    they go in (``within_ignore_case``)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        parts, optional = [], False
        for ch in sorted(node, key=lambda c: (c == "", c)):
            if ch == "":
                optional = True
                continue
            head = SEP if ch in " -" else re.escape(ch)
            parts.append(head + render(node[ch]))
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if optional:
            return "(?:" + body + ")?"
        return body

    if root and "" not in root and " " not in root and "-" not in root:
        return within_ignore_case(alternation([(re.escape(ch) + render(child), True) for ch, child in sorted(root.items())]))
    return render(root)


def _word_or_slash_after_digits(words) -> str:
    """A lookahead that lets digits open a run only when a slash, or one of ``words`` after a space or a
    hyphen, follows them across digits, separators and spaces: what a run of digits needs, read without
    the number pattern. Most numbers are followed by neither and are passed at once. The look goes no
    further than one number and its separator can reach (DIGITS_REACH): unbounded, it crossed the whole
    of "1 1 1 1 ..." from every digit, and a text of such runs took the square of its length."""
    firsts = "".join(sorted({re.escape(word[0]) for word in words if word}))
    word = rf"(?<=[\s-])[{firsts}]|" if firsts else ""
    return rf"(?=[\d.,'’eE+^\s-]{{0,{DIGITS_REACH}}}?(?:{word}/))"


def _ordinals_after(tokens: list[Token]) -> list[int | None]:
    """For each token, the first ordinal or part word that ends the cardinal words from it, or None: in
    one pass from the end. Looked for from each token in turn, a run of a thousand number words cost a
    million steps, and a text of them the square of its length."""
    found: list[int | None] = [None] * (len(tokens) + 1)
    for k in range(len(tokens) - 1, -1, -1):
        kind = tokens[k].kind
        if kind in ("ord", "part"):
            found[k] = k
        elif kind in CARDINAL_WORDS:
            found[k] = found[k + 1]
    return found


class SpelledReader:
    """The runs of number words of one language, and their values."""

    def __init__(self, language: str, currency_words: str = r"(?!x)x", hyphenated_units: str = r"(?!x)x"):
        table = LANGUAGES[language]
        self.language = language
        self.flags = table["flags"]
        self.pronoun_after = set(table["pronoun_after"])
        self.lexicon: dict[str, dict] = {}
        for role in ("units", "teens", "tens", "hundred", "scales", "dozens", "articles"):
            kind = {"units": "unit", "teens": "teen", "scales": "scale", "dozens": "dozen", "articles": "article"}.get(role, role)
            for word, value in table[role].items():
                self._add(word, kind=kind, value=float(value))
        for role in ("and", "point", "over", "of"):
            for word in table[role]:
                self._add(word, kind=role, value=0.0)
        compound_only = set(table["compound_only"])
        for klass, words in table["ordinals"].items():
            for word, value in words.items():
                for form, is_plural in ((word, False), (plural(word), True)):
                    self._add(form, kind="ord", value=float(value), klass=klass, plural=is_plural,
                              compound_only=word in compound_only)
        singular_parts = set(table["singular_parts"])
        for word, value in table["parts"].items():
            self._add(word, kind="part", value=float(value), plural=word not in singular_parts)

        def words_of(*kinds):
            return [w for w, spec in self.lexicon.items() if spec["kind"] in kinds]

        every = _trie(self.lexicon)
        cardinal = _trie(w for w in words_of("unit", "teen", "tens", "hundred", "scale") if w not in ("un", "une"))
        articles = _trie(list(table["articles"]) + [w for w in ("un", "une") if w in self.lexicon])
        scale_words = words_of("scale", "dozen")
        scale_like = _trie(scale_words)
        numerator_next = _trie(
            [w for w, s in self.lexicon.items() if s["kind"] in ("unit", "teen", "tens", "hundred", "scale", "dozen", "part", "over", "point")
             or (s["kind"] == "ord" and not s["compound_only"])]
        )
        part = _trie(words_of("part"))
        of = _trie(words_of("of", "article"))
        multiplier_words = words_of("dozen", "over") + (words_of("hundred") if self.flags["digits_times_hundred"] else [])
        multiplier = _trie(multiplier_words)
        joiner = _trie(words_of("and"))
        digits = DIGITS.pattern
        initials = "".join(sorted({ch for w in self.lexicon for ch in (w[0].lower(), w[0].upper())}))
        # A run opens on a number word or on digits: each kind is tried only where its first character is,
        # so that a word start does not try the patterns of digits, nor a digit those of words.
        start = (
            rf"(?=[{re.escape(initials)}])(?<!-)(?:"
            rf"{cardinal}(?!\w)"
            # "a hundred", "un cinquième", "un et demi", "a dollar": an article only before what it counts.
            rf"|{articles}(?={SEP}(?:(?:{joiner}){SEP})?(?:{numerator_next}|{currency_words})(?!\w))"
            # "half a dozen", "quarter million", "demi-million"
            rf"|{part}(?={SEP}(?:(?:{of}){SEP}){{0,2}}{scale_like}(?!\w))"
            rf")"
            # "3 hundred and 21", "3 dozens", "1 over 3", "2 1/4", "3 million and a half", "-4/5"
            rf"|(?=\d){_word_or_slash_after_digits(multiplier_words + scale_words)}(?:{FRACTION_DIGITS}"
            rf"|{digits}(?={SEP}(?:(?:{multiplier})(?!\w)|{FRACTION_DIGITS}|{scale_like}{SEP}(?:{joiner}(?!\w)|\d))))"
        )
        token = rf"{FRACTION_DIGITS}|(?:{every})(?!\w)|{digits}"
        self.run = compile_regex(
            rf"\b(?:{start})(?:{SEP}(?:{token}))*"
            rf"(?!-(?!{hyphenated_units}(?!\w)))",
            re.IGNORECASE,
        )
        self.token = compile_regex(
            rf"(?P<fraction>{FRACTION_DIGITS})|(?P<digits>{digits})|(?P<word>(?:{every})(?!\w))", re.IGNORECASE
        )

        # Runs of words read as no number at all, such as the scale word of a figure in digits ("3,5
        # millions de", "2.1 billion"): they are frequent, and reading them again gives nothing again.
        # A run that opens with a letter is tokenized from its own characters alone, and without an
        # ordinal, a part or a ratio word its reading does not look at the text around it either.
        self._no_numbers: set[str] = set()

    def _add(self, word: str, **spec) -> None:
        for form in {word, unaccented(word)}:
            self.lexicon.setdefault(form, spec)

    # -- tokens ---------------------------------------------------------------------------------
    def tokens(self, text: str, start: int, end: int) -> list[Token]:
        tokens: list[Token] = []
        previous_end = start
        for match in self.token.finditer(text, start, end):
            hyphen = "-" in text[previous_end : match.start()]
            previous_end = match.end()
            if match.group("fraction"):
                numerator, denominator = match.group().split("/")
                tokens.append(Token("fraction", float(numerator), match.start(), match.end(),
                                    denominator=float(denominator), hyphen_before=hyphen))
            elif match.group("digits"):
                raw = match.group()
                if any(ch in raw for ch in "eE^"):
                    tokens.append(Token("other", 0.0, match.start(), match.end()))
                    continue
                value, _ = parse_digits(raw, self.language, scaled=True, count_unit=False)
                tokens.append(Token("digits", value, match.start(), match.end(), word=raw, hyphen_before=hyphen))
            else:
                word = match.group().lower()
                if "-" in word or not word.isalpha():  # most words are one plain word: no separator to normalize
                    word = WORD_SEPARATORS.sub(lambda m: "-" if "-" in m.group() else " ", word)
                spec = self.lexicon.get(word) or self.lexicon.get(word.replace("-", " ")) or self.lexicon.get(word.replace(" ", "-"))
                if spec is None:
                    tokens.append(Token("other", 0.0, match.start(), match.end()))
                    continue
                tokens.append(Token(start=match.start(), end=match.end(), word=word, hyphen_before=hyphen, **spec))
        return _join_hyphenated(tokens, self.language)

    # -- reading a run ----------------------------------------------------------------------------
    def read(self, text: str, start: int, end: int) -> list[Number]:
        run = text[start:end]
        if run in self._no_numbers:
            return []
        tokens = self.tokens(text, start, end)
        ordinals = _ordinals_after(tokens)
        numbers: list[Number] = []
        found_any = False  # a number dropped as a pronoun ("the one") depends on the words before it
        i = 0
        while i < len(tokens):
            found = self._number_at(text, tokens, i, ordinals[i])
            if found is None:
                i += 1
                continue
            found_any = True
            value, j, has_digits = found
            if j == i + 1 and tokens[i].word == "one" and self._pronoun_before(text, tokens[i].start):
                i = j
                continue
            numbers.append(Number(tokens[i].start, tokens[j - 1].end, value, has_digits))
            i = j
        if not found_any and run[0].isalpha() and len(self._no_numbers) < NO_NUMBERS_MAX:
            if not any(t.kind in CONTEXT_KINDS for t in tokens):
                self._no_numbers.add(run)
        return numbers

    def _pronoun_before(self, text: str, start: int) -> bool:
        """"the one you chose": "one" after a determiner is a pronoun."""
        match = PREVIOUS_WORD.search(text, max(0, start - 16), start)
        return bool(match) and match.group(1).lower() in self.pronoun_after

    def _number_at(self, text: str, tokens: list[Token], i: int, k: int | None) -> tuple[float, int, bool] | None:
        """The number that starts at tokens[i], with its value, the token after it and whether it holds
        digits; ``k`` is the ordinal or part word that ends the cardinal words from ``i`` (``_ordinals_after``)."""
        first = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if first.kind == "fraction":
            return (first.value / first.denominator, i + 1, True) if first.value < first.denominator else None
        if first.kind == "digits" and following is not None and following.kind == "fraction":
            # "2 1/4": a whole number and a proper fraction
            if first.value == int(first.value) and first.value < 1000 and following.value < following.denominator:
                return first.value + following.value / following.denominator, i + 2, True
        if k is not None:
            found = self._fraction_phrase(text, tokens, i, k)
            if found is not None:
                return found
        return self._cardinal_phrase(text, tokens, i, stop=k)

    # -- fractions --------------------------------------------------------------------------------
    def _fraction_phrase(self, text: str, tokens: list[Token], i: int, k: int) -> tuple[float, int, bool] | None:
        scale, after = self._scale_after(tokens, k + 1)
        for c in range(k - 1, i, -1):
            if tokens[c].kind != "and":
                continue
            whole = self._exact_cardinal(tokens, i, c, digits=True)
            if whole is None:
                continue
            part = self._fraction(tokens, c + 1, k)
            if part is None or not (part.implicit or part.numerator < part.denominator):
                continue
            fraction = part.numerator / part.denominator
            if scale:
                # "un milliard et demi million" adds half a million; "five and a half million" scales all
                value = whole.value + fraction * scale if whole.has_scale else (whole.value + fraction) * scale
            elif whole.tail_scale >= 1e6:
                value = whole.value + fraction * whole.tail_scale  # "un million et demi"
            else:
                value = whole.value + fraction
            return value, after if scale else k + 1, whole.has_digits
        part = self._fraction(tokens, i, k)
        if part is None or (part.implicit and not scale):
            return None
        value = part.numerator / part.denominator
        if scale:
            return value * scale, after, False
        if part.singular_one and self._adjective_follows(text, tokens[k].end):
            return None
        return value, k + 1, False

    def _fraction(self, tokens: list[Token], i: int, k: int) -> Fraction | None:
        """tokens[i:k] as the numerator (and compound prefix) of the ordinal or part at ``k``."""
        denominator = tokens[k]
        if i == k:
            return Fraction(1.0, denominator.value, True, False) if denominator.kind == "part" and not denominator.plural else None
        splits = range(i + 1, k + 1) if denominator.kind == "ord" else range(k, k + 1)
        options = []
        for m in splits:
            numerator = self._numerator(tokens, i, m)
            if numerator is None:
                continue
            prefix = self._ordinal_prefix(tokens, m, k) if m < k else 0.0
            if prefix is None or (prefix == 0 and denominator.compound_only):
                continue
            if self.flags["agreement"] and (numerator == 1) == denominator.plural:
                continue
            options.append((m, numerator, prefix + denominator.value))
        if not options:
            return None
        m, numerator, value = options[0] if self.flags["longest_denominator"] else options[-1]
        singular = not denominator.plural or denominator.word in ("tiers",)
        return Fraction(numerator, value, False, numerator == 1 and singular)

    def _numerator(self, tokens: list[Token], i: int, m: int) -> float | None:
        if m == i + 1 and tokens[i].kind == "article":
            return 1.0
        cardinal = self._exact_cardinal(tokens, i, m, digits=False)
        return cardinal.value if cardinal else None

    def _ordinal_prefix(self, tokens: list[Token], m: int, k: int) -> float | None:
        """The words that make a compound ordinal with the one at ``k``: a tens word ("twenty-fifth",
        "vingt et unième") or one hundred or scale term ("one hundred fifth"); else None."""
        words = tokens[m:k]
        if words and words[-1].kind == "and":
            words = words[:-1]
        ordinal = tokens[k]
        if not words or ordinal.klass == "round":
            return None
        if len(words) == 1 and words[0].kind == "tens" and ordinal.klass == "unit":
            return words[0].value
        if words[-1].kind in ("hundred", "scale") and ordinal.value < words[-1].value:
            if len(words) == 1:
                bare = words[0].word in self.flags["bare_hundred"] or words[0].word in self.flags["bare_scales"]
                return words[0].value if bare else None
            if len(words) == 2 and words[0].kind in ("unit", "teen", "small", "tens", "article"):
                return words[0].value * words[1].value
        return None

    def _scale_after(self, tokens: list[Token], j: int) -> tuple[float, int]:
        """"of a million", "a dozen", "de million", "-million": the scale a fraction counts in."""
        for _ in range(2):
            if j < len(tokens) and tokens[j].kind in ("of", "article"):
                j += 1
        if j < len(tokens) and tokens[j].kind in ("scale", "dozen"):
            return tokens[j].value, j + 1
        return 0.0, j

    def _adjective_follows(self, text: str, end: int) -> bool:
        match = NEXT_WORD.match(text, end)
        return bool(match) and match.group(1).lower() not in FRACTION_FOLLOWERS

    # -- cardinals, ratios and decimals -----------------------------------------------------------------
    def _cardinal_phrase(self, text: str, tokens: list[Token], i: int, stop: int | None) -> tuple[float, int, bool] | None:
        cardinal = self._longest_cardinal(tokens, i, stop if stop is not None else len(tokens))
        first = tokens[i]
        if cardinal is None:
            if first.kind == "digits" and i + 1 < len(tokens) and tokens[i + 1].kind == "over":
                return self._ratio(text, tokens, first.value, i + 1, True)
            return None
        j = cardinal.end
        if j < len(tokens) and tokens[j].kind == "over":
            found = self._ratio(text, tokens, cardinal.value, j, cardinal.has_digits)
            if found is not None:
                return found
        if j < len(tokens) and tokens[j].kind == "point" and not cardinal.has_digits:
            decimals, after = _decimal_digits(tokens, j + 1, self.language)
            if decimals:
                return cardinal.value + float("0." + decimals), after, False
        return cardinal.value, j, cardinal.has_digits

    def _ratio(self, text: str, tokens: list[Token], numerator: float, over: int, has_digits: bool):
        """"one over three", "1 sur 20": only when no noun follows ("$2000 over 3 years" is a period)."""
        j = over + 1
        if j >= len(tokens):
            return None
        if tokens[j].kind == "digits":
            denominator, after, has_digits = tokens[j].value, j + 1, True
        else:
            cardinal = self._longest_cardinal(tokens, j, len(tokens))
            if cardinal is None or cardinal.has_digits:
                return None
            denominator, after = cardinal.value, cardinal.end
        if not denominator or NEXT_WORD.match(text, tokens[after - 1].end):
            return None
        return numerator / denominator, after, has_digits

    def _exact_cardinal(self, tokens: list[Token], i: int, j: int, digits: bool) -> Cardinal | None:
        for cardinal in _cardinals(tokens, i, j, self.language, self.flags):  # type: ignore[arg-type]
            if cardinal.end == j and (digits or not cardinal.has_digits):
                return cardinal
        return None

    def _longest_cardinal(self, tokens: list[Token], i: int, stop: int) -> Cardinal | None:
        longest = None
        for cardinal in _cardinals(tokens, i, stop, self.language, self.flags):  # type: ignore[arg-type]
            longest = cardinal
        return longest


def _join_hyphenated(tokens: list[Token], language: str) -> list[Token]:
    """"twenty-one", "thirty-fifths", "vingt-et-un": a hyphen binds a tens word to its unit, so that
    "ninety-five hundred" is 95 hundreds and "one hundred thirty-fifths" has the denominator 35."""
    joined: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind == "tens" and i + 1 < len(tokens) and tokens[i + 1].hyphen_before:
            j = i + 1
            if tokens[j].kind == "and" and j + 1 < len(tokens) and tokens[j + 1].hyphen_before:
                j += 1
            nxt = tokens[j]
            teen_ok = language == "fr" and t.value in (60, 80)
            if nxt.kind == "unit" and nxt.value > 0 or nxt.kind == "teen" and teen_ok:
                joined.append(Token("small", t.value + nxt.value, t.start, nxt.end, word=t.word + "-" + nxt.word,
                                    hyphen_before=t.hyphen_before))
                i = j + 1
                continue
            if nxt.kind == "ord" and (nxt.klass == "unit" or nxt.klass == "teen" and teen_ok):
                joined.append(Token("ord", t.value + nxt.value, t.start, nxt.end, word=t.word + "-" + nxt.word,
                                    plural=nxt.plural, klass="compound", hyphen_before=t.hyphen_before))
                i = j + 1
                continue
        joined.append(t)
        i += 1
    return joined


def _cardinals(tokens: list[Token], i: int, stop: int, language: str, flags: dict):
    """Every cardinal that starts at token ``i``, shortest first: tokens are taken while they continue
    a valid number (units after tens, a multiplier before hundred, decreasing scales)."""
    total = group = 0.0
    small: float | None = None
    small_kind = ""  # unit, tens, complete, article, digits (a digit multiplier), tail (digits after a scale)
    last_scale = 0.0
    pending_and = closed = False
    started = has_scale = has_digits = False
    previous = ""
    for j in range(i, stop):
        t = tokens[j]
        kind, v = t.kind, t.value
        if closed:
            return
        if kind == "and":
            if pending_and or not started or not (previous in ("hundred", "scale") or small_kind == "tens"):
                return
            pending_and, previous = True, "and"
            continue
        tail_scale = 0.0
        if kind == "article":
            if started:
                return
            small, small_kind = 1.0, "article"
        elif kind == "unit":
            if v == 0:
                if started:
                    return
                small, small_kind, closed = 0.0, "complete", True
            elif small is None:
                small, small_kind = v, "unit"
            elif small_kind == "tens":
                small, small_kind = small + v, "complete"
            else:
                return
        elif kind == "teen":
            if small is None:
                small, small_kind = v, "complete"
            elif small_kind == "tens" and language == "fr" and small in (60, 80):
                small, small_kind = small + v, "complete"
            else:
                return
        elif kind == "tens":
            if small is not None:
                return
            small, small_kind = v, "tens"
        elif kind == "small":
            if small is not None:
                return
            small, small_kind = v, "complete"
        elif kind == "digits":
            if v != int(v) and started:
                return
            if not started:
                small, small_kind = v, "digits"
            elif small is None and v < (100 if group else last_scale) and (pending_and or _multiplier_next(tokens, j + 1, stop)):
                small, small_kind = v, "tail"
            else:
                return
            has_digits = True
        elif kind == "hundred":
            if pending_and or group:
                return
            if small is None:
                if t.word not in flags["bare_hundred"]:
                    return
                multiplier = 1.0
            else:
                multiplier = small
                if small_kind in ("digits", "tail") and not flags["digits_times_hundred"]:
                    return
                # "322 hundred", "2.12 hundred": digits multiply hundred whatever their size
                if small_kind not in ("digits", "tail") and multiplier > flags["hundred_max"]:
                    return
            group, small, small_kind = multiplier * 100, None, ""
        elif kind == "scale":
            if pending_and:
                return
            multiplier = group + (small or 0.0)
            if multiplier == 0:
                if not started and t.word in flags["bare_scales"]:
                    multiplier = 1.0
                elif started and total and v > last_scale and small is None and not group:
                    total, last_scale = total * v, v  # "three lakh crore"
                    has_scale, previous, tail_scale = True, kind, v
                    yield Cardinal(total, j + 1, True, has_digits, v)
                    continue
                else:
                    return
            if last_scale and v >= last_scale:
                return
            total += multiplier * v
            last_scale, group, small, small_kind = v, 0.0, None, ""
            has_scale, tail_scale = True, v
        elif kind == "dozen":
            if small is None:
                return
            group, small, small_kind, closed = group + small * 12, None, "", True
        else:
            return
        started, pending_and, previous = True, False, kind
        if small_kind in ("article", "digits"):
            continue  # "a", "3": a multiplier must follow
        yield Cardinal(total + group + (small or 0.0), j + 1, has_scale, has_digits, tail_scale)


def _multiplier_next(tokens: list[Token], j: int, stop: int) -> bool:
    return j < stop and tokens[j].kind in ("hundred", "scale")


def _decimal_digits(tokens: list[Token], j: int, language: str) -> tuple[str, int]:
    """The digits after "point": one per digit word ("zero three"), or a number's digits ("seventy-one")."""
    digits = ""
    while j < len(tokens):
        t = tokens[j]
        if t.kind == "unit" and t.word not in ("une",):
            digits += str(int(t.value))
        elif t.kind in ("teen", "small"):
            digits += str(int(t.value))
        elif t.kind == "tens":
            value = t.value
            nxt = j + 1
            if nxt < len(tokens) and tokens[nxt].kind == "and" and language == "fr":
                nxt += 1
            if nxt < len(tokens) and (tokens[nxt].kind == "unit" and tokens[nxt].value > 0
                                      or tokens[nxt].kind == "teen" and language == "fr" and value in (60, 80)):
                value += tokens[nxt].value
                j = nxt
            digits += str(int(value))
        else:
            break
        j += 1
    return digits, j
