"""Duplicates: find assets that two sources list twice, and merge them, showing each decision.

When assets come from several sources (a municipal list, OpenStreetMap, a walk through the
neighbourhood) one place often appears more than once. :func:`find_duplicates` proposes pairs
that lie close together (measured in RD New, EPSG:28992) and carry similar names, and says for
each pair whether to merge it and why, in plain English. :func:`merge_duplicates` carries out
the pairs marked ``"merge"``, keeping one row per group and filling its empty fields from the
others, and returns a log of what it did. Neither changes its inputs.

Two entries of one source are never proposed for merging: a source that lists a place twice
usually means two things (two groups meeting in one building), so people decide that by hand
by setting a pair's ``decision`` to ``"merge"``.

Known limit: names are compared whole, so activities held in one venue share most of their
name ('Filmavond in De Groene Vinger', 'Klaverjassen in De Groene Vinger' score 0.76) and,
from two sources within ``max_distance_m``, are proposed for merging. Check the proposed
merges before carrying them out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from asset_map._errors import SchemaError, require_columns
from asset_map.analysis.duplicate_pairs import Components, find_pairs
from asset_map.crs import WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import ASSET_COLUMNS, REQUIRED_ASSET_COLUMNS, with_asset_columns

#: Words that carry no identity in a Dutch name: articles and legal forms. Words that say what
#: a place is ('buurthuis', 'vereniging', 'koor') are kept: they tell a choir from a club.
NAME_STOPWORDS = frozenset({"de", "het", "t", "een", "stichting"})

#: Columns filled from the other members of a group when the kept row leaves them empty
#: (OpenStreetMap often knows the step-free access and opening hours an own list lacks).
FILL_COLUMNS = ("description", "address", "tags", "capacity", "wheelchair", "opening_hours")

PAIR_COLUMNS = [
    "id_a",
    "id_b",
    "name_a",
    "name_b",
    "source_a",
    "source_b",
    "type",
    "distance_m",
    "similarity",
    "decision",
    "reason",
]
LOG_COLUMNS = ["kept_id", "merged_ids", "sources", "fields_filled"]


# --- names -----------------------------------------------------------------------------------


def name_tokens(name: str) -> list[str]:
    """Return the words of a name that carry its identity, normalised.

    Case and accents are dropped (Unicode NFKD, then combining marks removed), every
    character that is not a letter or digit becomes a space (so ``'t`` and ``’t`` become
    ``t``), and the words in :data:`NAME_STOPWORDS` are left out, unless that would leave
    nothing.

    Parameters
    ----------
    name : str
        The name as a source spells it; None or NaN count as an empty name.

    Returns
    -------
    list of str
        The words in their original order.
    """
    if not isinstance(name, str):
        return []
    plain = name.casefold()
    if not plain.isascii():  # accents: decompose and drop the marks
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", " ", plain).split()
    kept = [w for w in words if w not in NAME_STOPWORDS]
    return kept or words


def name_similarity(a: str, b: str) -> float:
    """Return how alike two asset names are, from 0 (nothing alike) to 1 (the same).

    Both names are normalised with :func:`name_tokens` (case, accents, punctuation, and
    words such as 'de', 'het', ''t' and 'stichting' that carry no identity). The score is the
    larger of two :class:`difflib.SequenceMatcher` ratios: one of the words in their order,
    and one of the words sorted with the shared words first (a token-set ratio, so
    'De Linde buurthuis' and 'Buurthuis De Linde' score 1). Unlike some token-set ratios it
    does not score a name whose words are a subset of the other's as 1: 'Linde' and
    'Buurthuis De Linde' score 0.5, and 'Koor Het Veen' and 'Koor Onder Ons', which share
    only the word that says what they are, score 0.52. The score is symmetric.

    Parameters
    ----------
    a, b : str
        The names; an empty or missing name scores 0 against anything.

    Returns
    -------
    float
        The similarity, between 0 and 1.

    Examples
    --------
    >>> name_similarity("Buurthuis De Linde", "buurthuis  de linde!")
    1.0
    >>> name_similarity("Café 't Hoekje", "Cafe Hoekje")
    1.0
    """
    return tokens_similarity(name_tokens(a), name_tokens(b))


def tokens_similarity(ta: Sequence[str], tb: Sequence[str]) -> float:
    """Return :func:`name_similarity` of two names given as their :func:`name_tokens`."""
    if not ta or not tb:
        return 0.0
    shared = sorted(set(ta) & set(tb))
    only_a = sorted(set(ta) - set(tb))
    only_b = sorted(set(tb) - set(ta))
    in_order = _ratio(" ".join(ta), " ".join(tb))
    as_sets = _ratio(" ".join(shared + only_a), " ".join(shared + only_b))
    return max(in_order, as_sets)


def _ratio(x: str, y: str) -> float:
    # SequenceMatcher's greedy matching depends on the order of its inputs; a fixed order
    # makes the score symmetric.
    first, second = sorted((x, y))
    return float(difflib.SequenceMatcher(None, first, second, autojunk=False).ratio())


# --- validation ------------------------------------------------------------------------------


def _validate_assets(assets: gpd.GeoDataFrame) -> None:
    if not isinstance(assets, gpd.GeoDataFrame):
        kind = type(assets).__name__
        raise SchemaError(Msg("err.gaps.not_a_frame", what=Msg("err.what.assets"), kind=kind))
    require_crs(assets, "assets")
    fix = Msg("err.columns.fix.read_io")
    require_columns(assets.columns, REQUIRED_ASSET_COLUMNS, Msg("err.what.assets"), fix)
    ids = assets["id"]
    if ids.isna().any():
        raise SchemaError(Msg("err.analysis.duplicates_no_id"))
    dup = ids[ids.duplicated()].astype(str).unique().tolist()
    if dup:
        raise SchemaError(Msg("err.analysis.duplicates_id_twice", ids=", ".join(dup[:10])))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


# --- finding pairs ---------------------------------------------------------------------------


def candidate_pairs(xy_m: np.ndarray, max_distance_m: float) -> np.ndarray:
    """Return the index pairs of points at most ``max_distance_m`` apart (a k-d tree query).

    Parameters
    ----------
    xy_m : ndarray
        ``(n, 2)`` coordinates in metres.
    max_distance_m : float
        The largest straight-line distance of a pair.

    Returns
    -------
    ndarray
        ``(k, 2)`` int array, ``i < j`` in each row, rows sorted.
    """
    xy = np.asarray(xy_m, dtype="float64").reshape(-1, 2)
    if len(xy) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = cKDTree(xy).query_pairs(r=max_distance_m, output_type="ndarray")
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(pairs.astype(np.int64), axis=1)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def find_duplicates(
    assets: gpd.GeoDataFrame,
    *,
    max_distance_m: float = 30.0,
    min_similarity: float = 0.6,
    same_type: bool = True,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """Return pairs of assets that are likely one place, each with a decision and its reason.

    Pairs are assets at most ``max_distance_m`` apart (in RD New; a polygon counts by a point
    inside it) whose names are at least ``min_similarity`` alike (:func:`name_similarity`).
    Such a pair is marked ``"merge"`` when the two come from different sources and, with
    ``same_type``, have the same type; otherwise it is listed as ``"keep both"`` with the
    reason, so each decision can be checked and changed before :func:`merge_duplicates`.
    Assets without geometry are left out.

    Not every such pair is listed: the pairs are found in O(n log n) and listed in O(n)
    (:mod:`asset_map.analysis.duplicate_pairs`). Places of one name and type at one spot are
    settled at once (each paired with one other place); nearest pairs come first, and a pair
    is listed only when it joins places not joined yet, so the groups that merge are the
    same as if every pair were listed. Two entries of one source with different names are
    not compared.

    Parameters
    ----------
    assets : GeoDataFrame
        Canonical assets with a CRS and unique ids.
    max_distance_m : float
        The largest straight-line distance between the two assets of a pair, in metres.
    min_similarity : float
        The smallest name similarity of a pair, between 0 and 1.
    same_type : bool
        Merge only assets of the same type; when False, types may differ.
    notes : list, optional
        Gets a note when the comparisons had to be limited (a great many places within
        reach of each other).

    Returns
    -------
    DataFrame
        One row per pair, columns ``id_a, id_b, name_a, name_b, source_a, source_b, type,
        distance_m, similarity, decision, reason``; ``type`` reads ``"a / b"`` when the
        types differ. Sorted by distance, then ids.

    Raises
    ------
    CRSError
        When the assets have no CRS.
    SchemaError
        When canonical columns are missing or ids are missing or repeated.
    ValueError
        When ``max_distance_m`` is negative or ``min_similarity`` is outside 0..1.
    """
    _validate_assets(assets)
    if not max_distance_m >= 0:
        raise ValueError(f"max_distance_m must be 0 or more, got {max_distance_m}.")
    if not 0 <= min_similarity <= 1:
        raise ValueError(f"min_similarity must lie between 0 and 1, got {min_similarity}.")

    located = assets[assets.geometry.notna() & ~assets.geometry.is_empty]
    xy = _work_xy(located.geometry)
    if len(xy) > 1:  # a place with no other within reach is in no pair: leave it out at once
        reach = max_distance_m * (1 + 1e-9) + 1e-9  # the bound is strict; pairs take <=
        distance, _ = cKDTree(xy).query(xy, k=2, distance_upper_bound=reach)
        near = np.isfinite(distance[:, 1])
        located, xy = located[near], xy[near]
    names = located["name"].tolist()
    types = [v if isinstance(v, str) else "" for v in located["type"].tolist()]
    sources = [v if isinstance(v, str) else "" for v in located["source"].tolist()]
    tokens: dict[object, str] = {}
    keys = [tokens.get(v) or tokens.setdefault(v, " ".join(name_tokens(v))) for v in names]
    found = find_pairs(
        xy,
        keys,
        types if same_type else [""] * len(types),
        sources,
        max_distance_m=max_distance_m,
        min_similarity=min_similarity,
        similarity=lambda a, b: tokens_similarity(a.split(), b.split()),
    )
    if notes is not None:
        notes.extend(found.notes)
    first, second = (
        np.asarray(found.first, dtype=np.int64),
        np.asarray(found.second, dtype=np.int64),
    )
    ids, given = located["id"].to_numpy(), located["source"].to_numpy()
    decided = [
        _decision(types[i], types[j], sources[i], sources[j], f"{d:.0f}", f"{s:.2f}", same_type)
        for i, j, d, s in zip(
            found.first, found.second, found.distance_m, found.similarity, strict=True
        )
    ]
    pairs = pd.DataFrame(
        {
            "id_a": ids[first],
            "id_b": ids[second],
            "name_a": np.asarray(names, dtype=object)[first],
            "name_b": np.asarray(names, dtype=object)[second],
            "source_a": given[first],
            "source_b": given[second],
            "type": [
                types[i] if types[i] == types[j] else f"{types[i]} / {types[j]}"
                for i, j in zip(found.first, found.second, strict=True)
            ],
            "distance_m": np.asarray(found.distance_m, dtype="float64"),
            "similarity": np.asarray(found.similarity, dtype="float64"),
            "decision": [d for d, _ in decided],
        },
        columns=PAIR_COLUMNS[:-1],
    )
    # pandas would turn the translatable Msg reasons into plain str: keep the objects.
    pairs["reason"] = pd.Series([r for _, r in decided], dtype=object)
    return pairs.sort_values(["distance_m", "id_a", "id_b"], kind="stable").reset_index(drop=True)


def _work_xy(geometry: gpd.GeoSeries) -> np.ndarray:
    """Return ``(n, 2)`` RD New coordinates: a point as it is, another shape by a point in it."""
    shapes = geometry.to_numpy()
    points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
    if not points.all():
        shapes = shapes.copy()
        shapes[~points] = shapely.point_on_surface(shapes[~points])
    xy = shapely.get_coordinates(shapes).reshape(-1, 2)
    to_work = Transformer.from_crs(geometry.crs, WORK_CRS, always_xy=True)
    return np.column_stack(to_work.transform(xy[:, 0], xy[:, 1]))


@lru_cache(maxsize=4096)
def _decision(
    type_a: str,
    type_b: str,
    source_a: str,
    source_b: str,
    metres: str,
    alike: str,
    same_type: bool,
) -> tuple[str, Msg]:
    """Return the decision on a pair and its reason (one object for pairs alike)."""
    where = Msg("note.duplicates.where", m=metres, s=alike)
    if same_type and type_a != type_b:
        reason = Msg(
            "note.duplicates.other_types", a=type_a or "none", b=type_b or "none", where=where
        )
        return "keep both", reason
    if source_a == source_b:
        return "keep both", Msg(
            "note.duplicates.same_source", source=source_a or "none", where=where
        )
    if type_a == type_b:
        return "merge", Msg("note.duplicates.same_type", where=where)
    return "merge", Msg("note.duplicates.types", a=type_a, b=type_b, where=where)


# --- merging ---------------------------------------------------------------------------------


def merge_groups(n: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Return the connected components of ``n`` nodes joined by ``edges`` (union-find).

    Parameters
    ----------
    n : int
        The number of nodes, numbered ``0 .. n-1``.
    edges : sequence of (int, int)
        The pairs to join.

    Returns
    -------
    list of list of int
        The components with more than one node, each sorted, in order of their first node.
    """
    components: Components[int] = Components()
    for i, j in edges:
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"edge ({i}, {j}) names a node outside 0..{n - 1}")
        components.join(i, j)
    groups: dict[int, list[int]] = {}
    for k in sorted(components.parent):  # only the nodes of an edge: the others stand alone
        groups.setdefault(components.root(k), []).append(k)
    return [g for _, g in sorted(groups.items()) if len(g) > 1]


def merge_duplicates(
    assets: gpd.GeoDataFrame,
    pairs: pd.DataFrame,
    *,
    source_priority: Sequence[str] | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Merge the pairs marked ``"merge"``: one row per group, empty fields filled from the rest.

    Groups are the connected components of the merge pairs, so A~B and B~C make one group
    even when A and C are far apart. Each group keeps the row whose source comes first in
    ``source_priority`` (then the first row in the assets), with its geometry, id, name, type
    and status. Its empty ``description``, ``address``, ``tags`` and ``capacity`` are filled
    from the other members in the same order, and its ``source`` lists the members' sources
    joined with ``' + '``. Pairs with any other decision are ignored; a ``"merge"`` set by
    hand is carried out even for two entries of one source.

    Parameters
    ----------
    assets : GeoDataFrame
        Canonical assets with a CRS and unique ids.
    pairs : DataFrame
        Pairs as :func:`find_duplicates` returns them (at least ``id_a, id_b, decision``),
        possibly with decisions changed by hand.
    source_priority : sequence of str, optional
        Sources in order of preference; sources not named come after, in the order they
        first appear in the assets. By default, that order of appearance.

    Returns
    -------
    merged : GeoDataFrame
        The assets with one row per group, canonical columns, in the input's CRS and order.
    log : DataFrame
        One row per group: ``kept_id``, ``merged_ids`` (tuple of the ids merged into it),
        ``sources`` (joined with ``' + '``) and ``fields_filled`` (tuple of column names).

    Raises
    ------
    CRSError
        When the assets have no CRS.
    SchemaError
        When columns are missing, ids are missing or repeated, or a pair names an id that is
        not among the assets.
    """
    _validate_assets(assets)
    require_columns(
        pairs.columns,
        ("id_a", "id_b", "decision"),
        Msg("err.what.pairs"),
        Msg("err.columns.fix.find_duplicates"),
    )
    if isinstance(source_priority, str):
        raise TypeError("source_priority must be a sequence of source names, not one string.")

    ids = assets["id"].tolist()
    chosen = pairs[pairs["decision"] == "merge"]
    if chosen.empty:  # nothing to merge: the assets as they are
        return with_asset_columns(assets)[ASSET_COLUMNS].copy(), pd.DataFrame(columns=LOG_COLUMNS)
    position = {value: k for k, value in enumerate(ids)}
    unknown = sorted(
        {str(v) for v in pd.concat([chosen["id_a"], chosen["id_b"]]) if v not in position}
    )
    if unknown:
        raise SchemaError(Msg("err.analysis.pairs_unknown_ids", ids=", ".join(unknown[:10])))
    edges = [
        (position[a], position[b]) for a, b in zip(chosen["id_a"], chosen["id_b"], strict=True)
    ]

    sources = [v if isinstance(v, str) else "" for v in assets["source"].tolist()]
    order = list(dict.fromkeys([*(source_priority or ()), *sources]))
    rank = {s: k for k, s in enumerate(order)}

    full = with_asset_columns(assets)
    merged = full[ASSET_COLUMNS].copy()
    values = {column: full[column].tolist() for column in FILL_COLUMNS}
    changes: dict[str, dict[int, object]] = {column: {} for column in (*FILL_COLUMNS, "source")}
    drop: list[int] = []
    log = []
    for group in merge_groups(len(ids), edges):
        members = sorted(group, key=lambda k: (rank[sources[k]], k))
        keep, others = members[0], members[1:]
        filled = []
        for column in FILL_COLUMNS:
            if not _is_empty(values[column][keep]):
                continue
            value = next(
                (values[column][k] for k in others if not _is_empty(values[column][k])), None
            )
            if value is not None:
                changes[column][keep] = value
                filled.append(column)
        joined = " + ".join(dict.fromkeys(sources[k] for k in members if sources[k]))
        changes["source"][keep] = joined
        drop += others
        log.append(
            {
                "kept_id": ids[keep],
                "merged_ids": tuple(ids[k] for k in others),
                "sources": joined,
                "fields_filled": tuple(filled),
            }
        )
    for column, changed in changes.items():
        if changed:
            where = list(changed)
            merged.iloc[where, merged.columns.get_loc(column)] = pd.Series(
                list(changed.values()), dtype=merged[column].dtype
            ).to_numpy()
    kept = np.ones(len(merged), dtype=bool)
    kept[drop] = False
    return merged[kept], pd.DataFrame(log, columns=LOG_COLUMNS)
