"""Which documents are copies of one text: syndicated copies (shared word shingles) and translations
(the same set of figures stated in another language). Copies count once as sources."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np

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


def _hashed(items: set) -> np.ndarray:
    """A set as the sorted array of its elements' hashes: a tenth of the memory of the set of tuples,
    which matters with ten thousand texts."""
    return np.unique(np.fromiter((hash(item) for item in items), dtype=np.int64, count=len(items)))


def similar_pairs(sets: list[np.ndarray], threshold: float) -> list[tuple[int, int]]:
    """The pairs (i < j) of hashed sets whose Jaccard similarity is at least ``threshold``, without
    comparing every pair: two sets that similar share an element among the rarest ``|s| - t|s| + 1`` of
    each (prefix filtering), so only pairs sharing such an element are compared, exactly."""
    if threshold <= 0:
        return [(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))]
    present = [i for i, s in enumerate(sets) if len(s)]
    if not present:
        return []
    values, counts = np.unique(np.concatenate([sets[i] for i in present]), return_counts=True)
    postings: dict[int, list[int]] = {}
    for i in present:
        elements = sets[i]
        frequency = counts[np.searchsorted(values, elements)]
        rarest = elements[np.lexsort((elements, frequency))]
        required = max(1, int(threshold * len(elements)))  # the overlap J >= t needs, at least
        for element in rarest[:len(elements) - required + 1].tolist():
            postings.setdefault(element, []).append(i)
    partners: dict[int, set[int]] = {}
    for holders in postings.values():
        for k, a in enumerate(holders):
            partners.setdefault(a, set()).update(holders[k + 1:])
    pairs = []
    for a in sorted(partners):
        # Every candidate partner of ``a`` at once: each of their elements looked up in a's sorted array.
        others = sorted(partners[a])
        if not others:
            continue
        mine = sets[a]
        theirs = np.concatenate([sets[b] for b in others])
        found = np.minimum(np.searchsorted(mine, theirs), len(mine) - 1)
        starts = np.cumsum([0] + [len(sets[b]) for b in others[:-1]])
        shared = np.add.reduceat((mine[found] == theirs).astype(np.int64), starts)
        sizes = np.array([len(sets[b]) for b in others])
        for b, similarity in zip(others, shared / (len(mine) + sizes - shared)):
            if similarity >= threshold:
                pairs.append((a, b))
    return pairs


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
    figures = figures or {}
    languages = languages or {}
    shingled = [_hashed(shingles(texts[d], shingle_words)) for d in ids]
    for a, b in similar_pairs(shingled, threshold):
        groups.union(ids[a], ids[b])
    # Translations: only documents with a language and enough figures can be one.
    stating = [d for d in ids if languages.get(d) and len(figures.get(d, ())) >= min_figures]
    for a, b in similar_pairs([_hashed(figures[d]) for d in stating], figures_threshold):
        if languages[stating[a]] != languages[stating[b]]:
            groups.union(stating[a], stating[b])
    return {d: groups.find(d) for d in ids}
