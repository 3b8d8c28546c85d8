"""Duplicate decisions per group: one line for twelve places at one spot, not 66 pairs.

:func:`duplicate_groups` gathers the pairs of :func:`~asset_map.analysis.duplicates.find_duplicates`
into groups (places joined by a pair, directly or through others) and says per group how
many places it holds, how far apart they lie, and how many are left after merging; and per
place what became of it. A screen or a command shows a few groups and offers the full list.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.analysis.duplicate_pairs import Components
from asset_map.crs import WORK_CRS

GROUP_COLUMNS = [
    "group",
    "pair",
    "places",
    "name",
    "other_names",
    "within_m",
    "kept",
    "decision",
    "reason",
]
PLACE_COLUMNS = ["group", "id", "name", "type", "source", "decision", "kept_id", "reason"]
#: A group whose places all lie closer together than this (metres) lies "at one spot".
ONE_SPOT_M = 1.0


def duplicate_groups(
    assets: gpd.GeoDataFrame, pairs: pd.DataFrame, log: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the groups of likely duplicates and the places in them, with what was done.

    Parameters
    ----------
    assets : GeoDataFrame
        The places the pairs were found among (before merging), with a CRS.
    pairs : DataFrame
        As :func:`~asset_map.analysis.duplicates.find_duplicates` returns them.
    log : DataFrame
        As :func:`~asset_map.analysis.duplicates.merge_duplicates` returns it.

    Returns
    -------
    groups : DataFrame
        One row per group, in the order of their first pair (nearest first): ``group``
        (1, 2, ...), ``pair`` (the row of its first pair in ``pairs``), ``places``,
        ``name`` (that of the group's first place), ``other_names`` (how many other names),
        ``within_m`` (the diagonal of the box around the places in RD New: no two lie
        farther apart), ``kept`` (places left after merging),
        ``decision`` (``"merge"`` when some were merged, else ``"keep both"``) and
        ``reason`` (that of the group's first pair).
    places : DataFrame
        One row per place in a group, by group and in the order of ``assets``: ``group``,
        ``id``, ``name``, ``type``, ``source``, ``decision`` (``"kept"``, ``"merged"`` or
        ``"keep both"``), ``kept_id`` (the place it was merged into, or its own id) and
        ``reason`` (that of its group's first pair).
    """
    if pairs.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS), pd.DataFrame(columns=PLACE_COLUMNS)
    ids_a, ids_b = pairs["id_a"].astype(str).tolist(), pairs["id_b"].astype(str).tolist()
    components: Components[str] = Components()
    for a, b in zip(ids_a, ids_b, strict=True):
        components.join(a, b)
    root = components.root
    first_pair: dict[str, int] = {}
    for n, a in enumerate(ids_a):
        first_pair.setdefault(root(a), n)  # pairs are in order: the first one seen
    order = sorted(first_pair, key=first_pair.__getitem__)
    number = {r: g for g, r in enumerate(order, start=1)}

    merged_into = {
        str(gone): str(kept)
        for kept, gone_ids in zip(log["kept_id"], log["merged_ids"], strict=True)
        for gone in gone_ids
    }
    kept_ids = {str(k) for k in log["kept_id"]}
    reasons = pairs["reason"].tolist()
    ids = assets["id"].astype(str)
    info = assets[ids.isin(components.parent).to_numpy()]
    keys = info["id"].astype(str).tolist()
    roots = [root(k) for k in keys]
    places = pd.DataFrame(
        {
            "group": [number[r] for r in roots],
            "id": info["id"].to_numpy(),
            "name": info["name"].to_numpy(),
            "type": info["type"].to_numpy(),
            "source": info["source"].to_numpy(),
            "decision": [
                "merged" if k in merged_into else "kept" if k in kept_ids else "keep both"
                for k in keys
            ],
            "kept_id": [merged_into.get(k, k) for k in keys],
        }
    )
    places["reason"] = pd.Series([reasons[first_pair[r]] for r in roots], dtype=object)
    places = places.sort_values("group", kind="stable").reset_index(drop=True)
    return _groups(places, info, roots, number, reasons, first_pair, order), places


def _groups(
    places: pd.DataFrame,
    info: gpd.GeoDataFrame,
    roots: list[str],
    number: dict[str, int],
    reasons: list[object],
    first_pair: dict[str, int],
    order: list[str],
) -> pd.DataFrame:
    """Return one row per group (see :func:`duplicate_groups`), computed per column."""
    points = info.geometry.to_crs(WORK_CRS).representative_point()
    where = pd.DataFrame(
        {
            "group": [number[r] for r in roots],
            "x": points.x.to_numpy(),
            "y": points.y.to_numpy(),
        }
    ).groupby("group")
    extent = where.max() - where.min()
    by_group = places.groupby("group", sort=True)
    merged = (places["decision"] == "merged").groupby(places["group"]).sum()
    sizes = by_group.size()
    groups = pd.DataFrame(
        {
            "group": sizes.index.to_numpy(),
            "places": sizes.to_numpy(),
            "name": by_group["name"].first().to_numpy(),
            "other_names": by_group["name"].nunique().to_numpy() - 1,
            "within_m": np.hypot(extent["x"].to_numpy(), extent["y"].to_numpy()),
            "kept": (sizes - merged).to_numpy(),
            "decision": np.where(merged.to_numpy() > 0, "merge", "keep both"),
        }
    )
    groups["pair"] = [first_pair[r] for r in order]
    groups["reason"] = pd.Series([reasons[first_pair[r]] for r in order], dtype=object)
    return groups[GROUP_COLUMNS]
