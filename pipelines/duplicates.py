"""Which documents are copies of one text: syndicated copies (shared word shingles) and translations
(the same set of figures stated in another language). Copies count once as sources."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from .parallel import take_turns, workers

WORD = re.compile(r"\w+", re.UNICODE)
# From this many texts, a spawned worker shingles some of them while this process shingles the others
# (10,000 news articles take about a second and a half in one process); they go in chunks of a hundred.
PARALLEL_SHINGLING_FROM = 2_000
SHINGLING_CHUNK = 100


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """The text's runs of ``size`` consecutive words, lower-cased; a short text is one shingle."""
    words = WORD.findall((text or "").lower())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def _splitmix64(count: int) -> np.ndarray:
    """``count`` well-mixed 64-bit numbers, the same everywhere (splitmix64 of 1, 2, ...)."""
    z = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


_BASE = np.uint64(0x100000001B3)  # odd: the word hash below is a polynomial in it, modulo 2**64
_SPACE_CODE = np.uint64(ord(" ") + 1)  # each word is hashed with a space after it
_powers = np.ones(1, dtype=np.uint64)  # _BASE ** k, grown to the longest word seen
# Whether each ASCII byte is a word character (\w: letters, digits, the underscore); a byte of a longer
# UTF-8 character is one when that character is alphanumeric, asked of Python once per character seen.
_ASCII_WORD = np.array([chr(b).isalnum() or chr(b) == "_" for b in range(128)] + [False] * 128)
_word_characters: dict[int, bool] = {}


def _grown_powers(longest: int) -> np.ndarray:
    global _powers
    if len(_powers) <= longest:
        grown = np.cumprod(np.full(2 * longest, _BASE, dtype=np.uint64))
        _powers = np.concatenate((np.ones(1, dtype=np.uint64), grown))
    return _powers


def _word_mask(data: np.ndarray) -> np.ndarray:
    r"""Whether each byte of UTF-8 ``data`` belongs to a word as ``\w+`` finds them in the decoded text:
    the characters of more than one byte decoded here, all of them at once."""
    mask = _ASCII_WORD[data]
    leads = np.flatnonzero(data >= 0xC0)
    if not len(leads):
        return mask
    padded = np.concatenate((data, np.zeros(3, dtype=np.uint8)))
    first = padded[leads].astype(np.uint32)
    length = 2 + (first >= 0xE0) + (first >= 0xF0)
    points = first & np.where(length == 2, 0x1F, np.where(length == 3, 0x0F, 0x07)).astype(np.uint32)
    for k in (1, 2, 3):
        points = np.where(length > k, (points << 6) | (padded[leads + k] & 0x3F).astype(np.uint32), points)
    distinct, inverse = np.unique(points, return_inverse=True)
    for point in distinct.tolist():
        if point not in _word_characters:
            _word_characters[point] = chr(point).isalnum()
    is_word = np.array([_word_characters[point] for point in distinct.tolist()], dtype=bool)[inverse]
    for k in range(4):  # every byte of a character takes its answer
        mask[leads[length > k] + k] = is_word[length > k]
    return mask


# Texts shingled together: their bytes take a few arrays of 8 bytes per byte, a few megabytes for these.
SHINGLED_TOGETHER = 64


def shingle_texts(texts: list[str], size: int = 5) -> list[np.ndarray]:
    """``shingle_hashes`` of each text, in this process, the texts' bytes taken together in a few array
    operations: a text at a time, finding its words with a pattern and hashing them, took two seconds
    for 10,000 news articles."""
    return [hashes for start in range(0, len(texts), SHINGLED_TOGETHER)
            for hashes in _shingled_together(texts[start:start + SHINGLED_TOGETHER], size)]


def _shingled_together(texts: list[str], size: int) -> list[np.ndarray]:
    """Each word's hash is a polynomial in _BASE over its UTF-8 bytes and a space, the same in every
    process (Python's hash of a string is not); each shingle's combines its words' with a multiplier per
    position."""
    # A lone surrogate (a byte a reader could not decode) is no word character, encoded as it stands.
    encoded = [(text or "").lower().encode("utf-8", "surrogatepass") for text in texts]
    # Each text after a line break, which is no word character; one more after the last.
    data = np.frombuffer(b"\n" + b"\n".join(encoded) + b"\n", dtype=np.uint8)
    text_ends = np.cumsum([len(text) + 1 for text in encoded])
    mask = _word_mask(data)
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]  # each word's bytes
    text_of_word = np.searchsorted(text_ends, starts, side="right")
    lengths = ends - starts
    powers = _grown_powers(int(lengths.max()) if len(lengths) else 0)
    firsts = np.cumsum(lengths) - lengths  # each word's first byte among the words' bytes
    within = np.arange(int(lengths.sum())) - np.repeat(firsts, lengths)
    terms = (data[mask].astype(np.uint64) + np.uint64(1)) * powers[within]
    codes = (np.add.reduceat(terms, firsts) if len(firsts) else np.zeros(0, dtype=np.uint64)) + _SPACE_CODE * powers[lengths]
    # Each word starts a shingle of the next ``size`` words of its text, fewer at the text's end: those
    # kept start at its first word to its size-th last, or are its first alone (a text shorter than that).
    multipliers = _splitmix64(size) | np.uint64(1)
    combined = codes * multipliers[0]
    for offset in range(1, min(size, len(codes))):  # wraps modulo 2**64, as intended
        same_text = text_of_word[offset:] == text_of_word[:-offset]
        combined[:-offset] += np.where(same_text, codes[offset:] * multipliers[offset], np.uint64(0))
    counts = np.bincount(text_of_word, minlength=len(texts))
    kept = np.maximum(counts - size + 1, np.minimum(counts, 1))
    result = []
    for first, n in zip((np.cumsum(counts) - counts).tolist(), kept.tolist()):
        ordered = np.sort(combined[first:first + n].view(np.int64))
        distinct = np.concatenate(([True], ordered[1:] != ordered[:-1])) if n else np.zeros(0, dtype=bool)
        result.append(ordered[distinct])  # np.unique's result, in a third of its time
    return result


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """The text's shingles (see ``shingles``) as the sorted array of their distinct 64-bit hashes, the
    same in every process: the set copy detection compares, made without building a tuple per shingle."""
    return _shingled_together([text], size)[0]


def shingle_all(texts: list[str], size: int = 5) -> list[np.ndarray]:
    """``shingle_hashes`` of each text, on every core from PARALLEL_SHINGLING_FROM texts: the hashes are
    the same in every process."""
    n_workers = workers() - 1 if len(texts) >= PARALLEL_SHINGLING_FROM else 0
    if n_workers < 1:
        return shingle_texts(texts, size)
    starts = range(0, len(texts), SHINGLING_CHUNK)
    done = take_turns(shingle_texts, ((start, (texts[start:start + SHINGLING_CHUNK], size)) for start in starts), n_workers)
    return [hashes for start in starts for hashes in done[start]]


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


def similar_pairs(sets: list[np.ndarray], threshold: float, margin: int = 64) -> list[tuple[int, int]]:
    """The pairs (i < j) of hashed sets whose Jaccard similarity is at least ``threshold``, without
    comparing every pair (prefix filtering). Two sets that similar share at least ``t(|x| + |y|) / (1 + t)``
    elements: at least ``t|x|`` of the larger set ``x`` and ``2t|y| / (1 + t)`` of the smaller ``y``. With
    the elements of every set ordered from the rarest, the first ``k`` they share are among the first
    ``|s| - bound + k`` of each set (its prefix, with the bound of its role). So each set is compared only
    with the sets no larger than itself whose prefix shares ``k = min(margin, bound)`` elements with its
    own, exactly: with a margin of a few dozen, texts that merely share some phrases rarely get that far,
    and the smaller set's shorter prefix leaves out its commonest elements, which would otherwise be most
    of the counting (a quarter of it with ten thousand generated articles)."""
    if threshold <= 0:
        return [(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))]
    # In order of size (then of position): each set is probed against the index of those before it.
    order = sorted((i for i, s in enumerate(sets) if len(s)), key=lambda i: (len(sets[i]), i))
    if not order:
        return []
    rarity, n_elements = _rarity_ranks(np.concatenate([sets[i] for i in order]))
    sizes = np.array([len(sets[i]) for i in order], dtype=np.int64)
    # Lower bounds of the elements a similar pair shares (rounded down: a bound, not a requirement).
    as_larger = np.maximum(1, (threshold * sizes).astype(np.int64))
    as_smaller = np.maximum(1, (2 * threshold / (1 + threshold) * sizes).astype(np.int64))
    probes, indexed, offset = [], [], 0
    for size, larger, smaller in zip(sizes.tolist(), as_larger.tolist(), as_smaller.tolist()):
        # a copy: a view would keep the whole ordered set; the shorter prefix is a view of it
        probe = np.sort(rarity[offset:offset + size])[:size - larger + margin].copy()
        offset += size
        probes.append(probe)
        indexed.append(probe[:size - smaller + margin])
    del rarity
    holders, starts = _postings(indexed, n_elements)
    before = np.zeros(n_elements, dtype=np.int64)  # of each element's holders, those before the set probed
    pairs = []
    for rank, probe in enumerate(probes):
        firsts = starts[probe]
        shared = np.bincount(holders[_ranges(firsts, firsts + before[probe])], minlength=rank)
        before[indexed[rank]] += 1  # a set's elements are distinct
        # Every set before needs at least min(margin, as_larger): that first, then each one's own bound.
        near = np.flatnonzero(shared >= min(margin, as_larger[rank]))
        needed = np.minimum(margin, np.maximum(as_larger[rank], as_smaller[near]))
        near = near[(shared[near] >= needed) & (sizes[near] >= threshold * sizes[rank])]
        for other in near.tolist():
            a, b = sorted((order[other], order[rank]))
            overlap = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
            if overlap / (len(sets[a]) + len(sets[b]) - overlap) >= threshold:
                pairs.append((a, b))
    return sorted(pairs)


def _rarity_ranks(hashes: np.ndarray) -> tuple[np.ndarray, int]:
    """Each hash's rank among the distinct ones, from the rarest (fewest occurrences, then smallest id):
    ordering a set's ranks orders its elements from the rarest. And how many distinct hashes there are."""
    ids, counts = _element_ids(hashes)
    by_rarity = np.argsort(counts, kind="stable")  # stable: of elements as common, the smaller id first
    rank_of_id = np.empty(len(counts), dtype=np.int32)
    rank_of_id[by_rarity] = np.arange(len(counts), dtype=np.int32)
    return rank_of_id[ids], len(counts)


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


def _postings(prefixes: list[np.ndarray], n_elements: int) -> tuple[np.ndarray, np.ndarray]:
    """For each element, the sets (by their position in ``prefixes``) whose prefix holds it, in order:
    ``holders[starts[e]:starts[e + 1]]``."""
    elements = np.concatenate(prefixes)
    owners = np.repeat(np.arange(len(prefixes), dtype=np.int32), [len(p) for p in prefixes])
    holders = owners[np.argsort(elements, kind="stable")]  # stable: each element's holders stay in the order of the sets
    starts = np.zeros(n_elements + 1, dtype=np.int64)
    np.cumsum(np.bincount(elements, minlength=n_elements), out=starts[1:])
    return holders, starts


def _ranges(firsts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions ``firsts[k]:ends[k]`` for every ``k``, concatenated."""
    lengths = ends - firsts
    offsets = np.repeat(firsts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(lengths.sum())


def copy_pairs(
    texts: Mapping[str, str],
    figures: Mapping[str, np.ndarray] | None = None,
    languages: Mapping[str, str | None] | None = None,
    shingle_words: int = 5,
    threshold: float = 0.5,
    figures_threshold: float = 0.8,
    min_figures: int = 3,
    shingle: Callable[[list[str], list[str], int], list[np.ndarray]] | None = None,
    found_among: Callable[[list[str], int, float], list[tuple[int, int]] | None] | None = None,
) -> list[tuple[str, str]]:
    """The pairs (a < b) of document ids that are copies of one another.

    Two documents are copies when their word shingles overlap by ``threshold`` (Jaccard), or when they are
    written in different languages and state (nearly) the same set of at least ``min_figures`` figures.
    Each pair depends on its two documents alone. ``figures``: each document's figures as the sorted array
    of their distinct hashes (``figure_hashes`` in pipelines/reconciliation.py). ``shingle(ids, texts,
    size)`` gives the texts' shingle hashes (by default, ``shingle_all``: a store of them can read back
    those it knows, and takes from ``texts``, a sequence, only the others).
    ``found_among(ids, size, threshold)`` gives the similar texts' pairs as ``similar_pairs`` would,
    where they were found already (pipelines/copy_search.py), or None.
    """
    ids = sorted(texts)
    figures = figures or {}
    languages = languages or {}
    found = found_among(ids, shingle_words, threshold) if found_among else None
    if found is None:
        # A store of shingles asks only for the texts it does not know: ``texts`` may read them on demand.
        shingled = (shingle(ids, TextsInOrder(texts, ids), shingle_words) if shingle
                    else shingle_all([texts[d] for d in ids], shingle_words))
        found = similar_pairs(shingled, threshold)
    pairs = [(ids[a], ids[b]) for a, b in found]
    # Translations: only documents with a language and enough figures can be one.
    stating = [d for d in ids if languages.get(d) and len(figures.get(d, ())) >= min_figures]
    pairs += [(stating[a], stating[b]) for a, b in similar_pairs([figures[d] for d in stating], figures_threshold)
              if languages[stating[a]] != languages[stating[b]]]
    return pairs


class TextsInOrder(Sequence):
    """The texts of ``ids`` in order, each taken from ``texts`` when asked for. A list of positions gives
    their texts, asked of ``texts`` at once where it reads them on demand (it has ``many(ids)``)."""

    def __init__(self, texts: Mapping[str, str], ids: list[str]):
        self._texts, self._ids = texts, ids

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._texts[d] for d in self._ids[index]]
        if isinstance(index, list):
            ids = [self._ids[i] for i in index]
            many = getattr(self._texts, "many", None)
            return many(ids) if many is not None else [self._texts[d] for d in ids]
        return self._texts[self._ids[index]]


def copies_among(members: Iterable[str], copies: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Each of ``members`` -> the smallest id of its group: the members it is a copy of, and their copies
    among the members, transitively (``copies``: each document's copies, as copy_pairs finds them)."""
    members = sorted(set(members))
    groups = _UnionFind(members)
    for a in members:
        for b in copies.get(a, ()):
            if b in groups.parent:
                groups.union(a, b)
    return {d: groups.find(d) for d in members}
