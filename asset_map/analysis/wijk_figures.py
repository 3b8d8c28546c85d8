"""Key figures known per wijk only: totals that take the wijk's own figure, estimates per buurt.

CBS publishes some key figures per wijk only (the 2024 Kerncijfers of Deventer, say), and
keeps a small buurt's figures secret. Nothing here ever turns a missing figure into 0:

- a **total** (:func:`figure_total`) counts each wijk once: the sum of its buurten when every
  buurt has the figure, otherwise the wijk's own figure;
- an **estimate** per buurt (:func:`estimate_from_wijken`) shares what the wijk has left (its
  count minus the buurten that have the figure) over its other buurten, by land area or by
  the residents of a CBS population grid; a percentage takes the wijk's percentage. Every
  estimated value is marked, so the gap analysis can say that it rests on an estimate.

Pure functions: they read no files and never change their inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.analysis.demand import needed_figures
from asset_map.crs import WORK_CRS, require_crs

#: Counts: a buurt's estimate is its part of what the wijk has left.
COUNT_FIGURES = ("inhabitants", "households")
#: Percentages, each with the count it is a percentage of: a buurt takes the wijk's
#: percentage when that count is known (its own or estimated) and above 0.
SHARE_FIGURES = {"pct_65_plus": "inhabitants", "pct_single_households": "households"}
ESTIMATED_FIGURES = (*COUNT_FIGURES, *SHARE_FIGURES)
#: How the counts were shared over the buurten.
BASES = ("land_area", "grid")


@dataclass(frozen=True)
class WijkEstimate:
    """What :func:`estimate_from_wijken` returns.

    Attributes
    ----------
    areas : GeoDataFrame
        A copy of the areas (same rows, index and CRS) with the estimates filled in.
    estimated : DataFrame
        Booleans with the same index, one column per :data:`ESTIMATED_FIGURES`: True where
        the value was estimated from the wijk.
    basis : str
        ``land_area`` or ``grid``: what the counts were shared by.
    """

    areas: gpd.GeoDataFrame
    estimated: pd.DataFrame
    basis: str

    def any_estimated(self, figures: Sequence[str]) -> pd.Series:
        """Return per area whether any of ``figures`` was estimated (others are ignored)."""
        columns = [f for f in figures if f in self.estimated.columns]
        if not columns:
            return pd.Series(False, index=self.estimated.index)
        return self.estimated[columns].any(axis=1)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def _own_area_ha(buurten: gpd.GeoDataFrame) -> pd.Series:
    """Return each buurt's polygon area in hectares, measured in RD New (0 without a shape)."""
    require_crs(buurten, "areas")
    area = buurten.to_crs(WORK_CRS).geometry.area.fillna(0.0) / 10_000.0
    return pd.Series(area.to_numpy(dtype="float64"), index=buurten.index)


def estimate_from_wijken(
    areas: gpd.GeoDataFrame, *, weights: pd.Series | None = None
) -> WijkEstimate:
    """Estimate the key figures a buurt lacks from its wijk's figures.

    For a count (inhabitants, households): what the wijk has left, its own count minus the
    sum of its buurten that have the count, is shared over the buurten that lack it, in
    proportion to their weight. Nothing is estimated when nothing is left (the buurten with
    figures already hold the wijk's count: the others stay unknown, never 0); a buurt that
    weighs nothing (no shape, no grid residents) stays unknown and takes no share. For a
    percentage (65+, single-person households): a buurt that lacks it takes its wijk's
    percentage, when its count (inhabitants, households) is known or estimated and above
    0. A buurt keeps every figure it has.

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas with a CRS: ``code``, ``level``, ``parent_code`` (a buurt's wijk) and
        the key figures. Buurten are matched to their wijk by ``parent_code``.
    weights : Series, optional
        A weight per buurt code, e.g. the residents of a CBS population grid per buurt.
        Without it, each buurt weighs its land area: ``land_area_ha`` when every buurt
        that shares in a wijk's count has one, otherwise the area of its polygon in RD New
        (EPSG:28992). A buurt missing from ``weights`` weighs 0.

    Returns
    -------
    WijkEstimate
        The areas with the estimates, which values were estimated, and the basis.
    """
    basis = "grid" if weights is not None else "land_area"
    out = areas.copy()
    estimated = pd.DataFrame(False, index=areas.index, columns=list(ESTIMATED_FIGURES))
    if not {"code", "level", "parent_code"} <= set(areas.columns):
        return WijkEstimate(out, estimated, basis)
    is_buurt = (areas["level"] == "buurt").to_numpy()
    wijken = areas[areas["level"] == "wijk"].drop_duplicates("code")
    buurten = areas[is_buurt]
    if buurten.empty or wijken.empty:
        return WijkEstimate(out, estimated, basis)
    parent = buurten["parent_code"].astype("object")
    if weights is not None:
        weight = buurten["code"].map(weights).astype("float64").fillna(0.0)
        land = None
    else:
        weight = _own_area_ha(buurten)
        land = _numbers(buurten, "land_area_ha").where(lambda s: s > 0)
    for figure in COUNT_FIGURES:
        if figure not in areas.columns:
            continue
        own = _numbers(buurten, figure)
        of_wijk = pd.Series(_numbers(wijken, figure).to_numpy(), index=wijken["code"])
        lacking = own.isna() & parent.isin(of_wijk.dropna().index)
        if not lacking.any():
            continue
        held = own.groupby(parent).sum()  # NaN counts as 0 in a sum
        left = (
            of_wijk.reindex(parent[lacking]).to_numpy()
            - held.reindex(parent[lacking]).fillna(0.0).to_numpy()
        )
        share_by = weight[lacking]
        if land is not None:  # CBS's land area when every sharing buurt of the wijk has it
            all_land = land[lacking].notna().groupby(parent[lacking]).transform("all")
            share_by = share_by.where(~all_land, land[lacking])
        total = share_by.groupby(parent[lacking]).transform("sum").to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            value = left * share_by.to_numpy() / total
        ok = (left > 0) & (share_by.to_numpy() > 0) & np.isfinite(value)
        rows = lacking[lacking].index[ok]
        out.loc[rows, figure] = value[ok]
        estimated.loc[rows, figure] = True
    for figure, count in SHARE_FIGURES.items():
        if figure not in areas.columns:
            continue
        own = _numbers(out.loc[buurten.index], figure)
        of_wijk = pd.Series(_numbers(wijken, figure).to_numpy(), index=wijken["code"])
        counted = _numbers(out.loc[buurten.index], count) > 0
        value = parent.map(of_wijk).astype("float64")
        take = own.isna() & counted & value.notna()
        out.loc[take[take].index, figure] = value[take]
        estimated.loc[take[take].index, figure] = True
    return WijkEstimate(out, estimated, basis)


def figure_total(areas: pd.DataFrame, figure: str = "inhabitants") -> float:
    """Return the total of a count over the wijken and buurten of ``areas``, each wijk once.

    A wijk counts as the sum of its buurten when every one of them has the figure, otherwise
    as its own figure; a wijk without a figure counts as the buurten that have it. Buurten
    whose wijk is not in ``areas`` count as themselves. A gemeente row is ignored.

    Returns
    -------
    float
        The total, or NaN when no area in ``areas`` has the figure (never 0 for unknown).
    """
    if figure not in areas.columns or not {"code", "level"} <= set(areas.columns):
        return float("nan")
    buurten = areas[areas["level"] == "buurt"]
    wijken = areas[areas["level"] == "wijk"].drop_duplicates("code")
    parent = (
        buurten["parent_code"].astype("object")
        if "parent_code" in buurten.columns
        else pd.Series(None, index=buurten.index, dtype="object")
    )
    own = _numbers(buurten, figure)
    in_wijk = parent.isin(set(wijken["code"]))
    parts = [own[~in_wijk].dropna()]
    known = own[in_wijk].notna().groupby(parent[in_wijk]).agg(["all", "any"])
    sums = own[in_wijk].groupby(parent[in_wijk]).sum()
    for code, value in zip(wijken["code"], _numbers(wijken, figure), strict=True):
        every = code in known.index and bool(known.loc[code, "all"])
        if every:
            parts.append(pd.Series([sums[code]]))
        elif not np.isnan(value):
            parts.append(pd.Series([value]))
        elif code in known.index and bool(known.loc[code, "any"]):
            parts.append(pd.Series([sums[code]]))
    values = pd.concat(parts) if parts else pd.Series(dtype="float64")
    return float(values.sum()) if len(values) else float("nan")


def selection_total(
    areas: pd.DataFrame, figure: str = "inhabitants", *, buurten: Sequence[str] = ()
) -> float:
    """Return the total of a count over a choice of areas (NaN when unknown, never 0).

    With ``buurten`` chosen, the sum of those buurten that have the figure; otherwise
    :func:`figure_total` over the wijken and buurten of ``areas``.
    """
    if buurten:
        if figure not in areas.columns:
            return float("nan")
        chosen = areas.loc[areas["code"].isin(list(buurten)), figure]
        return float(pd.to_numeric(chosen, errors="coerce").sum(min_count=1))
    return figure_total(areas, figure)


def figure_level(areas: pd.DataFrame, figure: str) -> str | None:
    """Return the level a map colours by ``figure``: ``buurt`` when a buurt has it, else ``wijk``.

    None when no wijk or buurt has a value for it.
    """
    levels = levels_with(areas, figure)
    return levels[0] if levels else None


def levels_with(areas: pd.DataFrame, figure: str) -> tuple[str, ...]:
    """Return the levels (``buurt``, ``wijk``) where some area has a value for ``figure``."""
    if figure not in areas.columns or "level" not in areas.columns:
        return ()
    return tuple(
        level
        for level in ("buurt", "wijk")
        if _numbers(areas[areas["level"] == level], figure).notna().any()
    )


def supported_need(areas: pd.DataFrame) -> str:
    """Return the need preset the areas' figures allow: ``mix`` when they can, else ``all``.

    ``mix`` needs inhabitants, 65+ and single-person households; a figure counts as there
    when a wijk or a buurt has it (a wijk's figure is estimated for its buurten). Without
    the figures ``mix`` needs, but with inhabitants, ``all``; with none, ``mix`` (the gap
    analysis then says which figures are missing).
    """
    mix = needed_figures(aged_65_plus=True, single_households=True)
    if all(levels_with(areas, f) for f in mix):
        return "mix"
    return "all" if levels_with(areas, "inhabitants") else "mix"
