"""The wijk report: compute what it shows, then have :mod:`asset_map.render.report` draw it.

``asset-map report`` and the werkbank's download make the same report: the figures per
buurt and of the wijk (:func:`~asset_map.analysis.indicators.area_figures`), and the gap
analysis of the wijk's own buurten with its suggested places (:func:`wijk_gaps`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import geopandas as gpd
import pandas as pd

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.gaps import GapResult
from asset_map.analysis.indicators import area_figures
from asset_map.i18n import Msg, t
from asset_map.model import Lang
from asset_map.render.report import ReportGaps, WijkReport, draw_wijk_report
from asset_map.services import gaps as gap_service
from asset_map.services.workspace import Workspace

#: How many suggested sites the gap summary names (and the report asks for by default).
TOP_SITES = int(settings.SUGGESTED_SITES.default)


def wijk_row(ws: Workspace, wijk_code: str) -> pd.Series:
    """Return the wijk ``wijk_code`` of the workspace.

    Raises
    ------
    AssetMapError
        When the workspace has no such wijk; the message lists its wijken.
    """
    wijken = ws.areas[ws.areas["level"] == "wijk"]
    match = wijken[wijken["code"].astype(str) == wijk_code]
    if match.empty:
        codes = ", ".join(f"{c} ({n})" for c, n in zip(wijken["code"], wijken["name"], strict=True))
        known = codes or Msg("note.io.none")
        raise AssetMapError(Msg("err.report.unknown_wijk", wijk=wijk_code, known=known))
    return match.iloc[0]


def wijk_gaps(ws: Workspace, wijk_code: str, *, new_sites: int = TOP_SITES) -> GapResult:
    """Return the gap analysis a wijk report summarises: default settings, this wijk's buurten.

    See :func:`asset_map.services.gaps.wijk_gaps`.

    Raises
    ------
    AssetMapError
        For an unknown wijk, ``new_sites`` out of range, or when the analysis cannot run
        (no key figures, say).
    """
    wijk_row(ws, wijk_code)  # refuses an unknown wijk with the list of wijken
    settings.SUGGESTED_SITES.check(new_sites)
    return gap_service.wijk_gaps(ws.areas, ws.assets, wijk_code, new_sites=new_sites)


def residents_beyond(gaps: GapResult, buurt_codes: Sequence[str]) -> float:
    """Return the residents (not weighted) of these buurten beyond walking distance."""
    cells = gaps.cells
    mask = cells["buurt_code"].isin(list(buurt_codes)) & ~cells["covered"].astype(bool)
    return float(pd.to_numeric(cells.loc[mask, "residents"]).sum())


def beyond_area(gaps: GapResult, buurt_codes: Sequence[str]) -> gpd.GeoDataFrame | None:
    """Return the cells of these buurten beyond walking distance as one shape, or None."""
    cells = gaps.cells
    mask = (
        cells["buurt_code"].isin(list(buurt_codes))
        & ~cells["covered"].astype(bool)
        & (pd.to_numeric(cells["weight"]) > 0)
    )
    if not mask.any():
        return None
    return cells.loc[mask, ["geometry"]].dissolve()


def report_gaps(
    gaps: GapResult, total: pd.Series, buurt_codes: Sequence[str], buurt_names: set[str]
) -> ReportGaps:
    """Return the walking-distance part of a wijk report from the wijk's gap analysis."""
    params = gaps.params
    estimated = gaps.buurten[
        gaps.buurten["code"].isin(list(buurt_codes)) & gaps.buurten["estimated"]
    ]
    helpful = [
        (site["name"], float(site["newly_residents"]))
        for _, site in gaps.sites.iterrows()
        if buurt_names & {str(b) for b in (site["buurten"] or [])}
    ][:TOP_SITES]
    weights = params.weights
    shares = gaps.buurten.set_index("code")["share_covered"]
    coverage = {
        str(code): 100.0 * float(shares[code])
        for code in buurt_codes
        if code in shares.index and pd.notna(shares[code])
    }
    return ReportGaps(
        share=float(total["coverage"]) if pd.notna(total["coverage"]) else float("nan"),
        everyone=not (weights.aged_65_plus or weights.single_households),
        walk_min=params.walk_min,
        walk_m=params.max_walk_m,
        residents_beyond=residents_beyond(gaps, buurt_codes),
        estimated=len(estimated),
        sites_asked=bool(params.new_sites),
        sites=helpful,
        coverage=coverage,
        beyond=beyond_area(gaps, buurt_codes),
    )


def wijk_report(
    ws: Workspace,
    wijk_code: str,
    *,
    lang: Lang = "nl",
    talents: pd.DataFrame | None = None,
    gaps: GapResult | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """Return the PDF report of one wijk.

    Parameters
    ----------
    ws : Workspace
        The areas (with key figures), the assets (with area codes) and ``meta``
        (``name``, ``is_demo``, ``sources``).
    wijk_code : str
        The CBS code of the wijk, e.g. ``WK999901``.
    lang : {"nl", "en"}
        Language of the report.
    talents : DataFrame, optional
        Residents' talents; approved ones are counted per buurt, shown as public counts.
    gaps : GapResult, optional
        A gap analysis that covers the wijk's buurten (:func:`wijk_gaps`); without it the
        report says the walking distance was not calculated.
    generated_at : datetime, optional
        The date printed as the date of generation (now when None).

    Raises
    ------
    AssetMapError
        When ``wijk_code`` is not a wijk of the workspace; the message lists the codes.
    """
    wijk = wijk_row(ws, wijk_code)
    areas = ws.areas
    buurt_codes = areas.loc[
        (areas["level"] == "buurt") & (areas["parent_code"] == wijk_code), "code"
    ].astype(str)
    per_buurt = area_figures(areas, ws.assets, level="buurt", talents=talents, gaps=gaps)
    per_wijk = area_figures(areas, ws.assets, level="wijk", talents=talents, gaps=gaps)
    total = per_wijk[per_wijk["code"] == wijk_code].iloc[0]
    names = set(areas.loc[areas["code"].isin(set(buurt_codes)), "name"].astype(str))
    label = ws.meta.get(f"label_{lang}") or t("report.demo", lang)
    listed = ws.meta.get("sources")
    report = WijkReport(
        wijk_code=wijk_code,
        wijk_name=str(wijk["name"]),
        gemeente=str(ws.meta.get("name") or wijk.get("parent_code") or ""),
        demo_label=str(label) if ws.is_demo else None,
        per_buurt=per_buurt[per_buurt["code"].isin(set(buurt_codes))],
        total=total,
        areas=areas,
        assets=ws.assets,
        gaps=None if gaps is None else report_gaps(gaps, total, buurt_codes.tolist(), names),
        sources=[s for s in listed if isinstance(s, dict)] if isinstance(listed, list) else [],
    )
    return draw_wijk_report(report, lang=lang, generated_at=generated_at)


def wijk_report_with_gaps(
    ws: Workspace,
    wijk_code: str,
    *,
    lang: Lang = "nl",
    talents: pd.DataFrame | None = None,
    new_sites: int = TOP_SITES,
    generated_at: datetime | None = None,
) -> tuple[bytes, AssetMapError | None]:
    """Return the wijk report with its gap analysis, as the CLI and the werkbank make it.

    When the analysis cannot run (no key figures, no meeting places), the report says the
    walking distance was not calculated; the reason is returned beside the PDF.

    Raises
    ------
    AssetMapError
        For an unknown wijk, or ``new_sites`` out of range.
    """
    wijk_row(ws, wijk_code)
    settings.SUGGESTED_SITES.check(new_sites)
    skipped: AssetMapError | None = None
    try:
        gaps: GapResult | None = wijk_gaps(ws, wijk_code, new_sites=new_sites)
    except AssetMapError as exc:
        gaps, skipped = None, exc
    pdf = wijk_report(
        ws, wijk_code, lang=lang, talents=talents, gaps=gaps, generated_at=generated_at
    )
    return pdf, skipped
