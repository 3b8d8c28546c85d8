"""The gap map: coverage per buurt, residents beyond walking distance, suggested sites.

Every result can be drawn: a layer with nothing to show (nobody beyond walking distance,
no suggested site) is left off the map, and the legend says so in a note.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.i18n import localise, t
from asset_map.model import Lang, catalogue
from asset_map.render import vendor
from asset_map.render.layers import PointLayer, esc
from asset_map.render.map import COORD_DECIMALS, build_map
from asset_map.render.styles import DEFAULT_BASEMAP, Classes, format_number

if TYPE_CHECKING:
    from asset_map.analysis.gaps import GapResult

#: Share of weighted residents within walking distance, per buurt: red is low, green high.
COVERAGE_CLASSES = Classes(
    breaks=(0.0, 20.0, 40.0, 60.0, 80.0, 100.0),
    colors=("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"),
)
#: Uncovered weighted residents per cell: light to dark purple.
UNCOVERED_COLORS = ("#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d")
SITE_COLOR = "#0b6e4f"


def build_gap_map(
    result: GapResult,
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    after: bool = True,
    lang: Lang = "nl",
    basemap: str = DEFAULT_BASEMAP,
    vendor_base: str = vendor.INLINE_BASE,
    attribution: str = "",
) -> folium.Map:
    """Return the map of a gap analysis.

    Parameters
    ----------
    result : GapResult
        The analysis, from :func:`asset_map.analysis.gaps.analyse_gaps`.
    areas, assets : GeoDataFrame
        What the analysis ran on; only meeting places (and planned ones) are drawn.
    after : bool
        Show coverage with the suggested sites (True) or as it is now (False).
    lang, basemap, vendor_base, attribution
        As for :func:`asset_map.render.map.build_map`.
    """
    share = "share_covered_after" if after else "share_covered"
    per_buurt = result.buurten.set_index("code")[share] * 100.0
    shown_areas = areas.assign(pct_covered=areas["code"].map(per_buurt))
    meeting_types = result.params.meeting_types or tuple(catalogue().meeting_place_types())
    meeting = assets[assets["type"].isin(meeting_types)]
    layers: list[folium.MacroElement] = []
    if not uncovered_cells(result.cells, after=after).empty:
        layers.append(_uncovered_layer(result.cells, after=after, lang=lang))
    if len(result.sites):
        layers.append(_sites_layer(result.sites, lang=lang))
    fmap = build_map(
        shown_areas,
        meeting,
        lang=lang,
        basemap=basemap,
        choropleth="pct_covered",
        choropleth_level="buurt",
        figures={
            "pct_covered": (t("gaps.layer_coverage", "nl"), t("gaps.layer_coverage", "en"), "%")
        },
        classes=COVERAGE_CLASSES,
        cluster=False,
        vendor_base=vendor_base,
        attribution=attribution,
        legend_extra=_legend_extra(result, lang, after=after),
        extra_layers=layers,
    )
    return fmap


def uncovered_classes(weights: pd.Series) -> np.ndarray:
    """Return class edges (quartiles) of the weighted residents of uncovered cells."""
    data = weights[weights > 0].to_numpy(dtype=float)
    if data.size == 0:
        return np.array([0.0, 1.0])
    return np.unique(np.quantile(data, np.linspace(0, 1, len(UNCOVERED_COLORS) + 1)))


def uncovered_cells(cells: gpd.GeoDataFrame, *, after: bool) -> gpd.GeoDataFrame:
    """Return the cells with (weighted) residents beyond walking distance of a meeting place.

    ``after``: with the suggested sites open (True) or as it is now (False).
    """
    covered = cells["covered_after" if after else "covered"].astype(bool)
    return cells[~covered & (cells["weight"] > 0)]


def _uncovered_layer(cells: gpd.GeoDataFrame, *, after: bool, lang: Lang) -> folium.GeoJson:
    """Cells beyond walking distance, dissolved per class (few shapes, also for 10,000 cells).

    There must be at least one such cell (:func:`uncovered_cells`).
    """
    open_cells = uncovered_cells(cells, after=after)
    edges = uncovered_classes(open_cells["weight"])
    k = max(len(edges) - 1, 1)
    klass = np.clip(np.searchsorted(edges[1:-1], open_cells["weight"], side="right"), 0, k - 1)
    shapes = (
        open_cells.assign(klass=klass)
        .dissolve(by="klass", aggfunc={"residents": "sum", "weight": "sum"})
        .reset_index()
    )
    palette = UNCOVERED_COLORS[-k:] if k < len(UNCOVERED_COLORS) else UNCOVERED_COLORS
    shapes["_color"] = [palette[int(c)] for c in shapes["klass"]]
    shapes["_tip"] = [
        esc(
            t(
                "gaps.cells_tip",
                lang,
                residents=format_number(round(r), lang=lang),
                lo=format_number(edges[int(c)], lang=lang),
                hi=format_number(edges[int(c) + 1], lang=lang),
            )
        )
        for r, c in zip(shapes["residents"], shapes["klass"], strict=True)
    ]
    return folium.GeoJson(
        shapes[["_color", "_tip", "geometry"]].to_json(drop_id=True),
        name=esc(t("gaps.layer_uncovered", lang)),
        style_function=lambda f: {
            "color": f["properties"]["_color"],
            "weight": 0,
            "fillColor": f["properties"]["_color"],
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False),
        control=True,
        overlay=True,
        zoom_on_click=False,
    )


def _sites_layer(sites: gpd.GeoDataFrame, *, lang: Lang) -> PointLayer:
    """Suggested sites as numbered markers, with what each adds in its popup."""
    rows = []
    for _, site in sites.iterrows():
        buurten = site["buurten"]
        names = ", ".join(str(b) for b in buurten) if isinstance(buurten, list | tuple) else ""
        popup = (
            f"<div class='am-popup'><div class='am-type'>{esc(t('gaps.site_title', lang))}"
            f" {int(site['rank'])}</div>"
            f"<div class='am-name'>{esc(localise(site['name'], lang))}</div>"
            f"<div class='am-meta'>"
            + esc(_gains_text(site, lang))
            + "</div>"
            + (f"<div class='am-meta'>{esc(t('gaps.site_buurten', lang))}: {esc(names)}</div>")
            + "</div>"
        )
        rows.append(
            [
                round(float(site["lat"]), COORD_DECIMALS),
                round(float(site["lon"]), COORD_DECIMALS),
                popup,
                str(int(site["rank"])),
            ]
        )
    return PointLayer(
        rows,
        name=esc(t("gaps.layer_sites", lang)),
        popup_js="return r[2];",
        icon_html="📍",
        icon_class="am-site",
        color=SITE_COLOR,
        layer_key="site",
        label_index=3,
    )


def _gains_text(site: pd.Series, lang: Lang) -> str:
    """Say what a suggested site adds, and how far the nearest meeting place is now."""
    values = {
        "weighted": format_number(round(site["newly_covered"]), lang=lang),
        "residents": format_number(round(site["newly_residents"]), lang=lang),
        "old": t("gaps.unknown", lang)
        if pd.isna(site["newly_65"])
        else format_number(round(site["newly_65"]), lang=lang),
    }
    far = float(site["nearest_meeting_m"])
    if not math.isfinite(far):  # no meeting place at all, or none reachable
        return t("gaps.site_popup_none", lang, **values)
    return t("gaps.site_popup", lang, **values, m=format_number(round(far), lang=lang))


def _legend_extra(result: GapResult, lang: Lang, *, after: bool = True) -> str:
    """Return the legend's lines of the gap layers; a note for a layer with nothing to show."""
    if uncovered_cells(result.cells, after=after).empty:
        note = esc(t("gaps.legend.everyone_covered", lang))
        parts = [f"<div class='am-note'><i>{note}</i></div>"]
    else:
        parts = [
            f"<div><span class='am-box' style='background:{UNCOVERED_COLORS[2]}'></span>"
            f"{esc(t('gaps.layer_uncovered', lang))}</div>"
        ]
    if len(result.sites):
        parts.append(
            f"<div><span class='am-sw' style='background:{SITE_COLOR}'>📍</span>"
            f"{esc(t('gaps.layer_sites', lang))}</div>"
        )
    elif result.params.new_sites:
        parts.append(f"<div class='am-note'><i>{esc(t('gaps.legend.no_sites', lang))}</i></div>")
    return "".join(parts)
