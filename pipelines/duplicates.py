"""Which documents are copies of one text: syndicated copies (shared word shingles) and translations
(the same set of figures stated in another language). Copies count once as sources."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """The text's runs of ``size`` consecutive words, lower-cased; a short text is one shingle."""
    words = WORD.findall((text or "").lower())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _UnionFind:
    def __init__(self, items: Iterable[str]):
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id represents the group, so the grouping does not depend on input order.
            self.parent[max(ra, rb)] = min(ra, rb)


def copy_groups(
    texts: Mapping[str, str],
    figures: Mapping[str, set] | None = None,
    languages: Mapping[str, str | None] | None = None,
    shingle_words: int = 5,
    threshold: float = 0.5,
    figures_threshold: float = 0.8,
    min_figures: int = 3,
) -> dict[str, str]:
    """Document id -> id of its group of copies (the smallest id of the group).

    Two documents are copies when their word shingles overlap by ``threshold`` (Jaccard), or when they are
    written in different languages and state (nearly) the same set of at least ``min_figures`` figures.
    """
    ids = sorted(texts)
    groups = _UnionFind(ids)
    shingled = {d: shingles(texts[d], shingle_words) for d in ids}
    figures = figures or {}
    languages = languages or {}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if jaccard(shingled[a], shingled[b]) >= threshold:
                groups.union(a, b)
                continue
            fa, fb = figures.get(a, set()), figures.get(b, set())
            if (languages.get(a) and languages.get(b) and languages.get(a) != languages.get(b)
                    and min(len(fa), len(fb)) >= min_figures and jaccard(fa, fb) >= figures_threshold):
                groups.union(a, b)
    return {d: groups.find(d) for d in ids}
