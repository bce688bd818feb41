"""Entity mentions: company and product aliases, and phrases that refer back to a company or a product."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, alternation, initials_lookahead, phrase_pattern, phrase_regex
from .regex_programs import compile_regex
from .unlisted import unlisted_companies


# Hashed by value as a frozen one would be, but not frozen: many are built per text, and a frozen
# dataclass's __init__ sets each field through a call. Treated as immutable all the same.
@dataclass(unsafe_hash=True)
class EntityMention:
    start: int
    end: int
    name: str  # canonical name; for a coreference phrase, empty until resolved
    company: str | None  # the company (itself for a company)
    is_product: bool = False
    is_coreference: bool = False
    non_subject: bool = False  # "face à BYD": named as a point of comparison
    unlisted: bool = False  # a company the lexicon does not know, named as the text writes it


class EntityFinder:
    def __init__(self, lexicon: Lexicon, language: str):
        entities = lexicon.entities
        self.lookup: dict[str, tuple[str, str, bool]] = {}
        self._by_surface: dict[str, tuple[str | None, str | None, bool]] = {}
        parts = []
        for group in ("companies", "products"):
            for name, spec in (entities.get(group) or {}).items():
                company = spec.get("company", name) if group == "products" else name
                for alias in spec.get("aliases", []) or [name]:
                    # An alias in capitals (BYD, NIO, GM) only matches in capitals.
                    exact = alias.upper() == alias
                    self.lookup[alias if exact else alias.lower()] = (name, company, group == "products")
                    body = r"\s+".join(re.escape(w) for w in alias.split())
                    parts.append((len(alias), body, not exact))
        parts.sort(key=lambda p: -p[0])
        aliases = [alias for spec in (entities.get("companies") or {}).values() for alias in spec.get("aliases", [])]
        aliases += [alias for spec in (entities.get("products") or {}).values() for alias in spec.get("aliases", [])]
        aliases += list(entities.get("companies") or {}) + list(entities.get("products") or {})
        self.alias_regex = compile_regex(
            initials_lookahead(aliases) + r"(?<![\w-])" + alternation([(body, ignore_case) for _, body, ignore_case in parts])
            + r"(?![\w-])"
        )
        companies = lexicon.by_language(entities.get("coreference", {}), language)
        products = lexicon.by_language(entities.get("product_coreference", {}), language)
        # One scan finds both kinds of reference; the few it finds are told apart afterwards.
        self.coreference = phrase_regex([*companies, *products])
        self.product_reference = compile_regex(phrase_pattern(products), re.IGNORECASE) if products else None
        self.unlisted = unlisted_companies(lexicon, language)
        markers = lexicon.by_language(entities.get("non_subject_markers", {}), language)
        self.non_subject = compile_regex(
            r"(?<!\w)" + phrase_pattern(markers) + r"[\s\u00a0]*(?:l['’]|le\s|la\s|les\s|the\s)?\s*\Z"
        )
        self.non_subject_backwards = _backwards_marker_regex(markers)

    def find(self, text: str) -> list[EntityMention]:
        named = []  # (start, end, name, company, is_product, unlisted)
        for match in self.alias_regex.finditer(text):
            name, company, is_product = self._named(match.group())
            if name is not None:
                named.append((match.start(), match.end(), name, company, is_product, False))
        known = [(start, end) for start, end, *_ in named]
        known_names: dict[str, bool] = {}  # the same few names recur
        named += [(m.start, m.end, m.name, m.name, False, True) for m in self.unlisted.find(text, known)
                  if not (known_names[m.name] if m.name in known_names
                          else known_names.setdefault(m.name, self._names_known(m.name)))]
        named.sort()
        # Products the lexicon does not know, introduced next to their owner and a kind of vehicle.
        companies = [(start, company) for start, _, _, company, is_product, _ in named if company and not is_product]
        taken = [(start, end) for start, end, *_ in named]
        named += [(m.start, m.end, m.name, m.company, True, True) for m in self.unlisted.find_products(text, companies)
                  if not any(s < m.end and m.start < e for s, e in taken)]
        named.sort()
        mentions: list[EntityMention] = []
        for start, end, name, company, is_product, unlisted in named:
            before = text[max(0, start - 24) : start]
            # "Face à BYD, qui a écoulé 582 000 voitures": the relative clause makes it a subject again.
            non_subject = self._after_marker(before) and not RELATIVE_AFTER.match(text, end)
            if not non_subject and not is_product:
                # "The group, whose brands include … Zeekr, is aiming…", "in which Stellantis holds 21%":
                # a company inside a relative clause describes the subject.
                opened = RELATIVE_OPEN.search(text, max(0, start - 150), start)
                non_subject = opened is not None and not CLAUSE_END.search(text, opened.end(), start)
            if not non_subject and mentions and mentions[-1].non_subject \
                    and LIST_JOIN.fullmatch(text, mentions[-1].end, start):
                non_subject = True  # "la concurrence de Xiaomi et de Huawei"
            mentions.append(EntityMention(start, end, name, company, is_product, non_subject=non_subject, unlisted=unlisted))
        mentions = _join_company_and_product(text, mentions)
        references = [
            EntityMention(m.start(), m.end(), "", "", is_coreference=True, is_product=self._names_product(m.group()))
            for m in self.coreference.finditer(text)
        ]
        if references:
            # A company named in "la marque premium de Geely" describes the referent; one in "le SUV de
            # Xiaomi" stays, since a product reference may refer to nothing. "the Model" of "the Model Y"
            # is part of a name.
            products = [r for r in references if r.is_product and not _overlaps_any(r, mentions)]
            mentions = _described_by_reference(text, mentions, [r for r in references if not r.is_product]) + products
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _after_marker(self, before: str) -> bool:
        """Whether ``before`` ends on a marker of a point of comparison ("face à", "ahead of the")."""
        if self.non_subject_backwards is None:
            return self.non_subject.search(before) is not None
        return self.non_subject_backwards.match(before[::-1]) is not None

    def _names_known(self, name: str) -> bool:
        """A name written another way than the lexicon's aliases ("XIAOMI-W", "Tesla China") is still known."""
        return any(self._named(part)[0] is not None for part in re.split(r"[\s-]+", name))

    def _names_product(self, reference: str) -> bool:
        return self.product_reference is not None and self.product_reference.fullmatch(reference) is not None

    def _named(self, surface: str) -> tuple[str | None, str | None, bool]:
        """(name, company, is_product) for an alias as written, cached: the same few recur."""
        found = self._by_surface.get(surface)
        if found is None:
            alias = SPACES.sub(" ", surface)
            found = self.lookup.get(alias) or self.lookup.get(alias.lower()) or (None, None, False)
            if len(self._by_surface) < 4096:
                self._by_surface[surface] = found
        return found


SPACES = compile_regex(r"\s+")


def _backwards_marker_regex(markers) -> re.Pattern | None:
    """``EntityFinder.non_subject`` for the reversed window: one match at its start instead of a search
    trying every position of the window for a pattern that must end with it. None when a marker uses the
    lexicon's wildcards, which do not read backwards."""
    if any("*" in m or "_" in m.split() for m in markers):
        return None
    return compile_regex(r"\s*(?:['’]l|\sel|\sal|\ssel|\seht)?[\s\u00a0]*" + phrase_pattern([m[::-1] for m in markers]) + r"(?!\w)")

POSSESSIVE_GAP = compile_regex(r"(?:['’]s)?\s*")  # "Tesla Model Y", "Xiaomi's YU7"
LIST_JOIN = compile_regex(r"[\s\u00a0]*(?:,|et|and|ou|or)[\s\u00a0]+(?:de[\s\u00a0]+|d['’]|of[\s\u00a0]+)?", re.IGNORECASE)
RELATIVE_OPEN = compile_regex(r"(?i)[,—–][\s\u00a0]*(?:whose|in\s+which|of\s+which|which\s+(?:includes?|owns?)|dans\s+lequel|dans\s+laquelle|dont|"
                           r"qui\s+(?:comprend|regroupe|possède)|maison-mère\s+de|parent\s+of|including|y\s+compris|such\s+as|notamment|among\s+them)(?!\w)")
CLAUSE_END = compile_regex(r"[,;:()—–]")
RELATIVE_AFTER = compile_regex(r"[\s\u00a0]*,?[\s\u00a0]*(?:qui|which|who)(?!\w)", re.IGNORECASE)


def _join_company_and_product(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """"Tesla Model Y", "Xiaomi's YU7": one mention of the product, not the company followed by its product."""
    joined: list[EntityMention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (
            previous is not None and mention.is_product and not previous.is_product
            and previous.company == mention.company and POSSESSIVE_GAP.fullmatch(text, previous.end, mention.start)
        ):
            joined[-1] = EntityMention(previous.start, mention.end, mention.name, mention.company, True,
                                       non_subject=previous.non_subject)
            continue
        joined.append(mention)
    return joined


# "la marque premium de Geely", "the Hangzhou-based unit of Geely": the company names the referent's
# owner, not the subject.
DESCRIBED_OWNER = compile_regex(r"[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){0,3}(?:de|du|d['’]|of)[\s\u00a0]*")


def _described_by_reference(text: str, mentions: list[EntityMention], references: list[EntityMention]) -> list[EntityMention]:
    """Drop the companies named inside a reference phrase: they describe the referent, not the subject."""
    ends = sorted(r.end for r in references)
    kept = []
    for mention in mentions:
        near = ends[bisect_left(ends, mention.start - 40) : bisect_left(ends, mention.start)]
        if not any(DESCRIBED_OWNER.fullmatch(text, end, mention.start) for end in near):
            kept.append(mention)
    return kept + references


def _overlaps_any(reference: EntityMention, mentions: list[EntityMention]) -> bool:
    return any(m.start < reference.end and reference.start < m.end for m in mentions)


def resolve_product_references(mentions: list[EntityMention], paragraphs: list[tuple[int, int]]) -> list[EntityMention]:
    """Each product reference ("le modèle", "the sedan") becomes a mention of the last product its paragraph
    named before it; one with no such product is dropped."""
    resolved, last_product, paragraph = [], None, 0
    for mention in mentions:
        while paragraph + 1 < len(paragraphs) and mention.start >= paragraphs[paragraph + 1][0]:
            paragraph, last_product = paragraph + 1, None
        if mention.is_product and mention.is_coreference:
            if last_product is not None:
                resolved.append(EntityMention(mention.start, mention.end, last_product.name, last_product.company, True))
            continue
        if mention.is_product:
            last_product = mention
        resolved.append(mention)
    return resolved


def main_company(mentions: list[EntityMention], first_subject: str | None = None) -> str | None:
    """The company a document is about: the one it names most, the first named on a tie; the company it
    opens on as a subject (its headline's or first sentence's) when that one is named nearly as often."""
    counts = Counter(m.company for m in mentions if m.company)
    if not counts:
        return None
    first: dict[str, int] = {}
    for m in mentions:
        if m.company:
            first.setdefault(m.company, m.start)
    most = max(counts, key=lambda c: (counts[c], -first[c]))
    if first_subject in counts and 2 * counts[first_subject] >= counts[most]:
        return first_subject
    return most


@lru_cache(maxsize=16)
def entity_finder(lexicon: Lexicon, language: str) -> EntityFinder:
    return EntityFinder(lexicon, language)
