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


# Odd 64-bit multipliers combining the hashes of a shingle's words into one (a polynomial hash,
# computed for every position at once).
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                        dtype=np.uint64)


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """The text's shingles (see ``shingles``) as the sorted array of their distinct 64-bit hashes: the
    set copy detection compares, made without building a tuple per shingle."""
    words = WORD.findall((text or "").lower())
    if len(words) < size or size > len(_MULTIPLIERS):
        return _hashed(shingles(text, size))
    codes = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    n = len(words) - size + 1
    combined = np.zeros(n, dtype=np.uint64)
    for offset in range(size):  # wraps modulo 2**64, as intended
        combined += codes[offset:offset + n] * _MULTIPLIERS[offset]
    ordered = np.sort(combined.view(np.int64))
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]  # np.unique's result, a third of its time


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


def similar_pairs(sets: list[np.ndarray], threshold: float, margin: int = 64) -> list[tuple[int, int]]:
    """The pairs (i < j) of hashed sets whose Jaccard similarity is at least ``threshold``, without
    comparing every pair (prefix filtering). With the elements of every set ordered from the rarest, two
    sets that similar share at least ``required = t|s|`` elements; the first ``k`` they share are among
    the first ``|s| - required + k`` of each (its prefix). So only the pairs whose prefixes share
    ``min(margin, required)`` elements are compared, exactly: with a margin of a few dozen, texts that merely
    share some phrases rarely get that far, and the shared prefix elements of one set with all the later
    ones are counted at once."""
    if threshold <= 0:
        return [(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))]
    present = [i for i, s in enumerate(sets) if len(s)]
    if not present:
        return []
    ids, counts = _element_ids(np.concatenate([sets[i] for i in present]))
    required = np.zeros(len(sets), dtype=np.int64)
    prefixes, offset = [], 0
    for i in present:
        elements = ids[offset:offset + len(sets[i])]
        offset += len(sets[i])
        required[i] = max(1, int(threshold * len(elements)))  # the overlap J >= t needs, at least
        rarest = elements[np.lexsort((elements, counts[elements]))]
        prefixes.append(rarest[:len(elements) - required[i] + margin])
    holders, starts, after = _postings(present, prefixes, len(counts))
    pairs, offset = [], 0
    for a, prefix in zip(present, prefixes):
        # the sets after ``a`` in the postings of its prefix's elements
        first, ends = after[offset:offset + len(prefix)], starts[prefix + 1]
        offset += len(prefix)
        shared = np.bincount(holders[_ranges(first, ends)] - (a + 1), minlength=len(sets) - a - 1)
        needed = np.minimum(margin, np.maximum(required[a], required[a + 1:]))
        for b in (np.nonzero(shared >= needed)[0] + a + 1).tolist():
            overlap = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
            if overlap / (len(sets[a]) + len(sets[b]) - overlap) >= threshold:
                pairs.append((a, b))
    return pairs


def _element_ids(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each hash's id (the rank of its value among the distinct ones) and each id's count: what
    ``np.unique`` with ``return_inverse`` gives, from a stable sort, which is quick on the sorted runs the
    concatenated sets are (``np.unique`` sorts them again, unstably, to get the inverse). Ids are 32-bit:
    at 10,000 texts there are six million hashes, and this is the peak of a run's memory."""
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    del ordered
    ranks = np.cumsum(new, dtype=np.int32)
    ranks -= 1
    ids = np.empty(len(ranks), dtype=np.int32)
    ids[order] = ranks
    return ids, np.diff(np.append(np.flatnonzero(new), len(new)))


def _postings(owners: list[int], prefixes: list[np.ndarray], n_elements: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each element, the sets whose prefix holds it, in order: ``holders[starts[e]:starts[e + 1]]``;
    and for each prefix entry (the prefixes concatenated), where the sets after its own begin there."""
    elements = np.concatenate(prefixes)
    order = np.argsort(elements, kind="stable")  # stable: each element's holders stay in the order of the sets
    holders = np.repeat(np.array(owners, dtype=np.int32), [len(p) for p in prefixes])[order]
    after = np.empty(len(order), dtype=np.int64)
    after[order] = np.arange(1, len(order) + 1)
    starts = np.zeros(n_elements + 1, dtype=np.int64)
    np.cumsum(np.bincount(elements, minlength=n_elements), out=starts[1:])
    return holders, starts, after


def _ranges(firsts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions ``firsts[k]:ends[k]`` for every ``k``, concatenated."""
    lengths = ends - firsts
    offsets = np.repeat(firsts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(lengths.sum())


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
    shingled = [shingle_hashes(texts[d], shingle_words) for d in ids]
    for a, b in similar_pairs(shingled, threshold):
        groups.union(ids[a], ids[b])
    # Translations: only documents with a language and enough figures can be one.
    stating = [d for d in ids if languages.get(d) and len(figures.get(d, ())) >= min_figures]
    for a, b in similar_pairs([_hashed(figures[d]) for d in stating], figures_threshold):
        if languages[stating[a]] != languages[stating[b]]:
            groups.union(stating[a], stating[b])
    return {d: groups.find(d) for d in ids}
