"""The pairs of likely duplicates, found in O(n log n) and listed in O(n).

Comparing every place with every other one is quadratic: 1,000 places of one name at one
spot make 500,000 pairs. Here the places are first gathered into *spots*: places with the
same name (after :func:`~asset_map.analysis.duplicates.name_tokens`), the same type (when
types must agree) and the same position (to the centimetre). Places of one spot are alike
in every way that counts, so they are settled at once: from one source they are kept apart
(each paired with the first place of the spot), from several sources they are all one place
(each paired with one place of another source). Only spots are compared with each other,
through a k-d tree on RD New coordinates, nearest pairs first (Kruskal's order): a pair is
listed only when it joins places that are not joined yet, so the list holds at most one pair
per place, while the groups that merge are exactly those that comparing every pair would
give.

Two entries of one source with different names are not compared: one source that names two
places differently means two places. Two guards keep the work bounded whatever the input:
when more than :data:`MAX_CANDIDATE_PAIRS` pairs of spots lie within reach, each spot is
compared with its :data:`NEAREST_SPOTS` nearest spots only; and at most
:data:`MAX_NAME_COMPARISONS` pairs of different names are compared, the nearest first. A note
says when either guard was needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np
from scipy.spatial import cKDTree

from asset_map.i18n import Msg

#: Above this many pairs of spots within reach, each spot is compared with its nearest only.
MAX_CANDIDATE_PAIRS = 2_000_000
#: How many nearest spots each spot is compared with when there are too many pairs.
NEAREST_SPOTS = 32
#: Pairs of different names compared at most (difflib is slow), the nearest first.
MAX_NAME_COMPARISONS = 200_000
#: Places closer than this (metres) count as one position.
SPOT_PRECISION_M = 0.01


@dataclass
class FoundPairs:
    """Pairs of places, by row position, in the order they were found (nearest first).

    Attributes
    ----------
    first, second : list of int
        The row positions of each pair, ``first < second``.
    distance_m, similarity : list of float
        The distance of each pair and the similarity of its names.
    notes : list of Msg
        Says when a guard limited the comparisons.
    """

    first: list[int] = field(default_factory=list)
    second: list[int] = field(default_factory=list)
    distance_m: list[float] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)

    def add(self, i: int, j: int, distance_m: float, similarity: float) -> None:
        """Add the pair of rows ``i`` and ``j``."""
        self.first.append(min(i, j))
        self.second.append(max(i, j))
        self.distance_m.append(distance_m)
        self.similarity.append(similarity)


class _Joined:
    """Union-find over row positions (path halving)."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def root(self, k: int) -> int:
        parent = self.parent
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(self, i: int, j: int) -> bool:
        """Join the groups of ``i`` and ``j``; tell whether they were apart."""
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return False
        self.parent[max(ri, rj)] = min(ri, rj)
        return True


@dataclass
class _Spots:
    """Places gathered by name, type and position; per spot its members and source."""

    members: list[np.ndarray]
    xy: np.ndarray
    key: np.ndarray
    kind: np.ndarray
    source: np.ndarray  # the one source of all members, or -1 when they have several


def _codes(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct values and each value's number among them."""
    uniques, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return uniques, codes.ravel()


def _spots(xy: np.ndarray, keys: np.ndarray, kinds: np.ndarray, sources: np.ndarray) -> _Spots:
    cells = np.round(xy / SPOT_PRECISION_M).astype(np.int64)
    table = np.column_stack([keys, kinds, cells])
    _, spot_of = np.unique(table, axis=0, return_inverse=True)
    spot_of = spot_of.ravel()
    order = np.argsort(spot_of, kind="stable")
    sizes = np.bincount(spot_of)
    members = np.split(order, np.cumsum(sizes)[:-1])
    first = np.array([m[0] for m in members], dtype=np.int64)
    per_spot = np.unique(np.column_stack([spot_of, sources]), axis=0)
    n_sources = np.bincount(per_spot[:, 0], minlength=len(members))
    source = np.where(n_sources == 1, sources[first], -1)
    return _Spots(members, xy[first], keys[first], kinds[first], source)


def find_pairs(
    xy: np.ndarray,
    keys: Sequence[str],
    kinds: Sequence[str],
    sources: Sequence[str],
    *,
    max_distance_m: float,
    min_similarity: float,
    similarity: Callable[[str, str], float],
) -> FoundPairs:
    """Return the pairs that settle every group of likely duplicates (see the module).

    Parameters
    ----------
    xy : ndarray
        ``(n, 2)`` coordinates in metres (RD New).
    keys : sequence of str
        Each place's name as :func:`~asset_map.analysis.duplicates.name_tokens` gives it,
        joined by spaces; an empty key is a place without a name (alike to nothing, not even
        itself), any other key is fully alike to itself.
    kinds : sequence of str
        Each place's type, or one value for all when types need not agree.
    sources : sequence of str
        Each place's source.
    max_distance_m, min_similarity : float
        The farthest a pair may lie apart, the least its names must be alike.
    similarity : callable
        The similarity of two different keys, from 0 to 1.

    Returns
    -------
    FoundPairs
        Nearest first. Pairs whose places come from different sources and whose types agree
        are to be merged; the others (same source, other type) are listed to be kept apart.
    """
    found = FoundPairs()
    n = len(xy)
    if n < 2:
        return found
    key_text, key_codes = _codes(keys)
    _, kind_codes = _codes(kinds)
    _, source_codes = _codes(sources)
    self_alike = np.array([1.0 if k else 0.0 for k in key_text.tolist()])
    spots = _spots(np.asarray(xy, dtype="float64"), key_codes, kind_codes, source_codes)
    merged, shown = _Joined(n), _Joined(n)
    joined = np.zeros(len(spots.members), dtype=bool)  # all members merged with each other

    def add(i: int, j: int, distance_m: float, alike: float, merge: bool) -> None:
        if merge:
            if merged.join(i, j):  # Kruskal: only a pair that joins two groups is listed
                shown.join(i, j)
                found.add(i, j, distance_m, alike)
        elif shown.join(i, j):
            found.add(i, j, distance_m, alike)

    for s, members in enumerate(spots.members):
        if len(members) < 2 or self_alike[spots.key[s]] < min_similarity:
            continue
        hub = int(members[0])
        if spots.source[s] >= 0:  # one source: kept apart, each paired with the first
            for k in members[1:].tolist():
                add(hub, k, 0.0, 1.0, False)
            continue
        other = int(next(k for k in members if source_codes[k] != source_codes[hub]))
        for k in members[1:].tolist():
            add(hub if source_codes[k] != source_codes[hub] else other, k, 0.0, 1.0, True)
        joined[s] = True

    a, b, distance, alike = _candidates(
        spots, key_text, self_alike, max_distance_m, min_similarity, similarity, found
    )
    for p, q, d, sim in zip(a.tolist(), b.tolist(), distance.tolist(), alike.tolist(), strict=True):
        _settle(spots, source_codes, p, q, d, sim, joined, merged, add)
    return found


def _candidates(
    spots: _Spots,
    key_text: np.ndarray,
    self_alike: np.ndarray,
    max_distance_m: float,
    min_similarity: float,
    similarity: Callable[[str, str], float],
    found: FoundPairs,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the pairs of spots to settle, nearest first, with distance and similarity."""
    count = len(spots.members)
    empty = np.zeros(0, dtype=np.int64)
    if count < 2:
        return empty, empty, np.zeros(0), np.zeros(0)
    tree = cKDTree(spots.xy)
    within = (int(tree.count_neighbors(tree, max_distance_m)) - count) // 2
    if within <= MAX_CANDIDATE_PAIRS:
        pairs = tree.query_pairs(max_distance_m, output_type="ndarray").astype(np.int64)
    else:
        k = min(NEAREST_SPOTS + 1, count)
        _, nearest = tree.query(spots.xy, k=k, distance_upper_bound=max_distance_m)
        a = np.repeat(np.arange(count), k)
        b = nearest.ravel()
        ok = (b < count) & (b != a)
        pairs = np.unique(np.sort(np.column_stack([a[ok], b[ok]]), axis=1), axis=0)
        found.notes.append(Msg("note.duplicates.nearest_only", pairs=within, k=NEAREST_SPOTS))
    if len(pairs) == 0:
        return empty, empty, np.zeros(0), np.zeros(0)
    a, b = pairs[:, 0], pairs[:, 1]
    same_key = spots.key[a] == spots.key[b]
    one_source = (spots.source[a] >= 0) & (spots.source[a] == spots.source[b])
    keep = same_key | ~one_source  # one source, two names: two places
    a, b, same_key = a[keep], b[keep], same_key[keep]
    distance = np.hypot(*(spots.xy[a] - spots.xy[b]).T)
    alike = np.ones(len(a))
    differ = np.flatnonzero(~same_key)
    if len(differ) > MAX_NAME_COMPARISONS:
        left = len(differ) - MAX_NAME_COMPARISONS
        found.notes.append(Msg("note.duplicates.names_left_out", n=left))
        nearest = differ[np.argsort(distance[differ], kind="stable")[:MAX_NAME_COMPARISONS]]
        dropped = np.setdiff1d(differ, nearest)
        alike[dropped] = -1.0
        differ = nearest
    cache: dict[tuple[str, str], float] = {}
    for i in differ.tolist():
        ka, kb = sorted((str(key_text[spots.key[a[i]]]), str(key_text[spots.key[b[i]]])))
        if (ka, kb) not in cache:
            cache[ka, kb] = similarity(ka, kb)
        alike[i] = cache[ka, kb]
    alike[same_key] = self_alike[spots.key[a[same_key]]]
    ok = alike >= min_similarity
    a, b, distance, alike = a[ok], b[ok], distance[ok], alike[ok]
    firsts = np.array([m[0] for m in spots.members], dtype=np.int64)
    order = np.lexsort((firsts[b], firsts[a], distance))
    return a[order], b[order], distance[order], alike[order]


def _settle(
    spots: _Spots,
    sources: np.ndarray,
    p: int,
    q: int,
    distance_m: float,
    alike: float,
    joined: np.ndarray,
    merged: _Joined,
    add: Callable[[int, int, float, float, bool], None],
) -> None:
    """List the pairs that join two spots within reach (see :func:`find_pairs`)."""
    mp, mq = spots.members[p], spots.members[q]
    hub_p, hub_q = int(mp[0]), int(mq[0])
    if spots.kind[p] != spots.kind[q] or (
        spots.source[p] >= 0 and spots.source[p] == spots.source[q]
    ):
        add(hub_p, hub_q, distance_m, alike, False)  # kept apart: for the record, once
        return
    if joined[p] and joined[q] and merged.root(hub_p) == merged.root(hub_q):
        return
    for here, there, spot in ((mp, mq, p), (mq, mp, q)):
        if joined[spot]:
            continue
        # every place of a one-source spot pairs with a place of another source over there
        partner = int(next(k for k in there if sources[k] != sources[here[0]]))
        for k in here.tolist():
            add(partner, k, distance_m, alike, True)
        joined[spot] = True
    i, j = _across(mp, mq, sources)
    add(i, j, distance_m, alike, True)


def _across(mp: np.ndarray, mq: np.ndarray, sources: np.ndarray) -> tuple[int, int]:
    """Return a place of each spot, the two of different sources (one of them a spot's first)."""
    hub_p, hub_q = int(mp[0]), int(mq[0])
    partner = next((int(k) for k in mq if sources[k] != sources[hub_p]), None)
    if partner is not None:
        return hub_p, partner
    return int(next(k for k in mp if sources[k] != sources[hub_q])), hub_q


K = TypeVar("K", int, str)


class Components(Generic[K]):
    """Nodes joined into connected components (union-find); a component's root is its least node.

    ``parent`` holds every node that was joined (or asked for its root).
    """

    def __init__(self) -> None:
        self.parent: dict[K, K] = {}

    def root(self, k: K) -> K:
        """Return the root of ``k``'s component."""
        parent = self.parent
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(self, a: K, b: K) -> None:
        """Put ``a`` and ``b`` in one component."""
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
