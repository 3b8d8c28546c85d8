"""Counts that the map, the app and the CLI show: assets per type, talents per buurt."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from asset_map.model import Lang, catalogue

#: Groups smaller than this are shown as "<3" in public, so nobody can be recognised.
MIN_PUBLIC_COUNT = 3


def count_by_type(assets: gpd.GeoDataFrame) -> dict[str, int]:
    """Return the number of assets per type key, in catalogue order, leaving out zeros."""
    counts = assets["type"].value_counts()
    return {key: int(counts[key]) for key in catalogue().types if key in counts.index}


def count_table(assets: gpd.GeoDataFrame, lang: Lang = "nl") -> pd.DataFrame:
    """Return a table of counts per type with the group and type labels in ``lang``."""
    cat = catalogue()
    rows = [
        {
            "group": cat.groups[cat.types[key].group].label(lang),
            "type": cat.types[key].label(lang),
            "icon": cat.types[key].icon,
            "count": n,
        }
        for key, n in count_by_type(assets).items()
    ]
    return pd.DataFrame(rows, columns=["group", "type", "icon", "count"])


def public_count(n: int) -> str:
    """Return a count as it may be shown in public: ``"<3"`` for 1 and 2."""
    return f"<{MIN_PUBLIC_COUNT}" if 0 < n < MIN_PUBLIC_COUNT else str(n)


def talents_per_buurt(talents: pd.DataFrame) -> pd.DataFrame:
    """Count approved talents per buurt and talent category.

    Only approved talents count; pending, rejected and withdrawn ones never reach a public
    layer. A talent with several categories counts once in each.

    Returns
    -------
    DataFrame
        Index ``buurt_code``; a column ``total`` (number of residents) and one column per
        talent category key (number of residents offering it).
    """
    approved = talents[talents["status"] == "approved"]
    keys = list(catalogue().talent_categories)
    if approved.empty:
        return pd.DataFrame(columns=["total", *keys], dtype="int64")
    exploded = approved.assign(category=approved["categories"].fillna("").str.split(";"))
    exploded = exploded.explode("category")
    exploded = exploded[exploded["category"].isin(keys)]
    per_cat = pd.crosstab(exploded["buurt_code"], exploded["category"])
    per_cat = per_cat.reindex(columns=keys, fill_value=0)
    total = approved.groupby("buurt_code").size().rename("total")
    return pd.concat([total, per_cat], axis=1).fillna(0).astype("int64")
