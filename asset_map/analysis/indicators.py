"""Figures per wijk and buurt for the planner: assets, meeting places per 1,000, talents, coverage.

:func:`area_figures` gives one row per wijk or buurt; the app compares wijken in bar charts,
colours the map by any column in :data:`FIGURES`, and the wijk report prints the same
numbers. Only existing assets count (planned ones are plans, not places). A figure that
cannot be known (no key figures, no gap analysis) is NaN, never 0 or infinity.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import require_columns
from asset_map.analysis.gaps import GapResult
from asset_map.analysis.summary import MIN_PUBLIC_COUNT, public_cells, talents_per_buurt
from asset_map.i18n import Msg
from asset_map.model import Lang, catalogue

LEVELS = ("wijk", "buurt")

#: Figure column -> (Dutch label, English label, unit), for charts and choropleths. The
#: asset counts per type (``n_<type>``) are labelled by :func:`figure_label`.
FIGURES: dict[str, tuple[str, str, str]] = {
    "inhabitants": ("Inwoners", "Inhabitants", ""),
    "residents_65": ("Inwoners van 65 jaar en ouder", "Residents aged 65 and over", ""),
    "assets": ("Plekken", "Places", ""),
    "meeting_places": ("Ontmoetingsplekken", "Meeting places", ""),
    "meeting_places_per_1000": (
        "Ontmoetingsplekken per 1.000 inwoners",
        "Meeting places per 1,000 inhabitants",
        "",
    ),
    "meeting_places_per_1000_65": (
        "Ontmoetingsplekken per 1.000 inwoners van 65+",
        "Meeting places per 1,000 residents aged 65+",
        "",
    ),
    "talents": ("Talenten van bewoners", "Residents' talents", ""),
    "coverage_pct": (
        "Binnen loopafstand van een ontmoetingsplek",
        "Within walking distance of a meeting place",
        "%",
    ),
    # Not made by area_figures: the werkbank adds it from the checks of the places
    # (asset_map.analysis.freshness.checked_share).
    "checked_pct": ("Plekken op tijd gecontroleerd", "Places checked in time", "%"),
}
#: The columns every result has, before the ``n_<type>`` counts.
COLUMNS = [
    "code",
    "name",
    "inhabitants",
    "residents_65",
    "assets",
    "meeting_places",
    "meeting_places_per_1000",
    "meeting_places_per_1000_65",
    "talents",
    "talents_small",
    "coverage",
    "coverage_pct",
]


def figure_label(column: str, lang: Lang = "nl") -> str:
    """Return the label of a column of :func:`area_figures` (``n_buurthuis`` -> its type)."""
    if column in FIGURES:
        nl, en, _unit = FIGURES[column]
        return nl if lang == "nl" else en
    if column.startswith("n_") and column[2:] in catalogue().types:
        return catalogue().types[column[2:]].label(lang)
    return column


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be 'wijk' or 'buurt', got {level!r}.")
    return f"{level}_code"


def _existing(assets: gpd.GeoDataFrame, code_column: str) -> pd.DataFrame:
    require_columns(
        assets.columns,
        [code_column],
        Msg("err.what.assets"),
        Msg("err.columns.fix.assign_areas"),
    )
    frame = pd.DataFrame(assets[["type", "status", code_column]])
    return frame[(frame["status"] == "existing") & frame[code_column].notna()]


def type_counts(assets: gpd.GeoDataFrame, *, level: str = "wijk") -> pd.DataFrame:
    """Return the number of existing assets per area and type, in long form for bar charts.

    Returns
    -------
    DataFrame
        ``code``, ``type`` (key), ``count``; sorted by code and catalogue order of the
        types; pairs with no assets are left out, and so are assets outside every area.
    """
    column = _check_level(level)
    existing = _existing(assets, column)
    order = {key: i for i, key in enumerate(catalogue().types)}
    counts = existing.groupby([column, "type"]).size().rename("count").reset_index()
    counts = counts.rename(columns={column: "code"})
    counts["_order"] = counts["type"].map(order).fillna(len(order))
    counts = counts.sort_values(["code", "_order", "type"]).drop(columns="_order")
    return counts.reset_index(drop=True).astype({"count": "int64"})


def _per_1000(count: pd.Series, people: pd.Series) -> pd.Series:
    people = pd.to_numeric(people, errors="coerce")
    ok = people > 0
    return (count.astype("float64") * 1000.0 / people.where(ok)).astype("float64")


def area_figures(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    level: str = "wijk",
    talents: pd.DataFrame | None = None,
    gaps: GapResult | None = None,
) -> pd.DataFrame:
    """Return the planner's figures, one row per wijk or buurt (in the order of ``areas``).

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas with key figures (``inhabitants``, ``pct_65_plus``).
    assets : GeoDataFrame
        Canonical assets with ``buurt_code`` and ``wijk_code`` (the workspace's assets).
    level : {"wijk", "buurt"}
        One row per wijk, or per buurt.
    talents : DataFrame, optional
        Residents' talents (``model.TALENT_COLUMNS``); only approved ones count. Without it
        the ``talents`` column is missing (``<NA>``).
    gaps : GapResult, optional
        A gap analysis of the same areas; gives ``coverage``.

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``inhabitants``, ``residents_65`` (inhabitants x share aged 65+,
        rounded), ``assets`` and ``meeting_places`` (existing ones),
        ``meeting_places_per_1000``, ``meeting_places_per_1000_65`` (NaN when the residents
        are unknown or 0), ``talents`` (Int64: the public total of approved talents, i.e.
        the sum over the area's buurten with 3 or more; a buurt with 1 or 2 counts 0 here),
        ``talents_small`` (Int64: how many buurten with 1 or 2 were left out; show both
        with ``summary.PublicTotal(talents, talents_small).text(lang)``, so no difference
        of two shown numbers reveals a small group), ``coverage`` (share 0 to 1 of the weighted
        residents within walking distance; for a wijk, its buurten pooled by weight; NaN
        without ``gaps``), ``coverage_pct`` (the same in percent), then ``n_<type>`` per
        asset type that has existing assets, in catalogue order.
    """
    column = _check_level(level)
    chosen = areas[areas["level"] == level]
    out = pd.DataFrame(
        {
            "code": chosen["code"].astype(str).to_numpy(),
            "name": chosen["name"].astype(str).to_numpy(),
        }
    )
    inhabitants = pd.to_numeric(chosen["inhabitants"], errors="coerce").to_numpy("float64")
    pct_65 = pd.to_numeric(chosen["pct_65_plus"], errors="coerce").to_numpy("float64")
    out["inhabitants"] = inhabitants
    out["residents_65"] = np.round(inhabitants * pct_65 / 100.0)

    existing = _existing(assets, column)
    meeting = existing["type"].isin(catalogue().meeting_place_types())
    per_area = existing[column].value_counts()
    per_area_meeting = existing.loc[meeting, column].value_counts()
    out["assets"] = out["code"].map(per_area).fillna(0).astype("int64")
    out["meeting_places"] = out["code"].map(per_area_meeting).fillna(0).astype("int64")
    out["meeting_places_per_1000"] = _per_1000(out["meeting_places"], out["inhabitants"])
    out["meeting_places_per_1000_65"] = _per_1000(out["meeting_places"], out["residents_65"])
    out["talents"], out["talents_small"] = _talents(out["code"], areas, level, talents)
    out["coverage"] = _coverage(out["code"], level, gaps)
    out["coverage_pct"] = 100.0 * out["coverage"]

    wide = (
        type_counts(assets, level=level)
        .pivot(index="code", columns="type", values="count")
        .reindex(out["code"])
        .fillna(0)
        .astype("int64")
    )
    for key in [k for k in catalogue().types if k in wide.columns] + sorted(
        set(wide.columns) - set(catalogue().types)
    ):
        out[f"n_{key}"] = wide[key].to_numpy()
    return out


def _talents(
    codes: pd.Series, areas: gpd.GeoDataFrame, level: str, talents: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series]:
    """Return the public talent total and the number of small buurten left out, per area."""
    if talents is None:
        missing = pd.Series(pd.NA, index=codes.index, dtype="Int64")
        return missing, missing.copy()
    per_buurt = talents_per_buurt(talents)["total"] if len(talents) else pd.Series(dtype="int64")
    public = public_cells(per_buurt)
    small = ((per_buurt > 0) & (per_buurt < MIN_PUBLIC_COUNT)).astype("int64")
    if level == "wijk":
        parent = areas.loc[areas["level"] == "buurt"].set_index("code")["parent_code"]
        public = public.groupby(public.index.map(parent)).sum()
        small = small.groupby(small.index.map(parent)).sum()
    return (
        codes.map(public).fillna(0).astype("Int64"),
        codes.map(small).fillna(0).astype("Int64"),
    )


def _coverage(codes: pd.Series, level: str, gaps: GapResult | None) -> pd.Series:
    if gaps is None:
        return pd.Series(np.nan, index=codes.index, dtype="float64")
    buurten = gaps.buurten
    if level == "buurt":
        share = buurten.set_index("code")["share_covered"]
        return codes.map(share).astype("float64")
    known = buurten[buurten["weight"].notna() & (buurten["weight"] > 0)]
    sums = known.groupby("wijk_code")[["weight", "covered_weight"]].sum()
    share = sums["covered_weight"] / sums["weight"]
    return codes.map(share).astype("float64")
