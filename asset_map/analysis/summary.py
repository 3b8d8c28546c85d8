"""Counts that the map, the app and the CLI show: assets per type, talents per buurt."""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import pandas as pd

from asset_map.i18n import t
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


class PublicTotal(NamedTuple):
    """A talent total as it may be shown in public: the sum of the public cells only.

    ``shown`` is the sum of the buurten with at least :data:`MIN_PUBLIC_COUNT` talents;
    ``small`` is the number of buurten with 1 or 2, which are left out of the sum (each of
    them shows as ``"<3"`` on its own). So the difference of two shown totals is always a
    sum of shown buurt counts: it can never reveal a small group.
    """

    shown: int
    small: int

    def text(self, lang: Lang = "nl") -> str:
        """Return the total as text: ``"12"``, ``"<3"`` (one small buurt), ``"12 + 2× <3"``."""
        count = f"{self.shown:,}".replace(",", "." if lang == "nl" else ",")
        small = f"<{MIN_PUBLIC_COUNT}"
        if self.small == 0:
            return count
        if self.shown == 0 and self.small == 1:
            return small
        return t("privacy.total_with_small", lang, count=count, small=self.small, min=small)


def public_cells(per_buurt: pd.Series) -> pd.Series:
    """Return per-buurt counts with the small groups (1 or 2) set to 0: the public part."""
    counts = pd.to_numeric(per_buurt, errors="coerce").fillna(0).astype("int64")
    return counts.where(counts >= MIN_PUBLIC_COUNT, 0)


def public_total(per_buurt: pd.Series) -> PublicTotal:
    """Return the public total of some buurten's talent counts.

    Parameters
    ----------
    per_buurt : Series
        The number of (approved) talents per buurt, one value per buurt; missing is 0.

    Returns
    -------
    PublicTotal
        The sum of the counts of :data:`MIN_PUBLIC_COUNT` or more, and how many buurten
        with 1 or 2 were left out. Show it with :meth:`PublicTotal.text`.
    """
    counts = pd.to_numeric(per_buurt, errors="coerce").fillna(0).astype("int64")
    small = int(((counts > 0) & (counts < MIN_PUBLIC_COUNT)).sum())
    return PublicTotal(int(public_cells(counts).sum()), small)


def public_talent_total(talents: pd.DataFrame, buurt_codes: pd.Series | list[str]) -> PublicTotal:
    """Return the public total of the approved talents in the given buurten.

    Counts per buurt first (:func:`talents_per_buurt`), then sums the public cells only
    (:func:`public_total`); talents outside ``buurt_codes`` do not count.
    """
    if talents.empty:
        return PublicTotal(0, 0)
    per_buurt = talents_per_buurt(talents)["total"]
    return public_total(per_buurt[per_buurt.index.isin(list(buurt_codes))])


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
