"""The gap map: coverage per buurt, residents beyond walking distance, suggested sites.

Coverage is drawn on THE scale of the share within walking distance
(:data:`~asset_map.render.styles.COVERAGE_SCALE`, as on every map and in the report); the
cells beyond walking distance are hatched on top (:class:`~asset_map.render.controls.HatchFill`),
so they never mix with the buurten's colours.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import pandas as pd

from asset_map.analysis.indicators import FIGURES
from asset_map.i18n import localise, t
from asset_map.model import Lang, catalogue
from asset_map.render import vendor
from asset_map.render.controls import HatchFill
from asset_map.render.layers import PointLayer, esc
from asset_map.render.map import COORD_DECIMALS, build_map
from asset_map.render.styles import COVERAGE_SCALE, format_number

if TYPE_CHECKING:
    from asset_map.analysis.gaps import GapResult

#: The column of the share within walking distance (percent), as the werkbank calls it.
COVERAGE_COLUMN = "coverage_pct"
SITE_COLOR = "#0b6e4f"


def build_gap_map(
    result: GapResult,
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    after: bool = True,
    lang: Lang = "nl",
    basemap: str | None = None,
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
    shown_areas = areas.assign(**{COVERAGE_COLUMN: areas["code"].map(per_buurt)})
    meeting_types = result.params.meeting_types or tuple(catalogue().meeting_place_types())
    meeting = assets[assets["type"].isin(meeting_types)]
    layers: list[folium.MacroElement] = []
    beyond = _uncovered_layer(result.cells, after=after, lang=lang)
    if beyond is not None:
        layers += [beyond, HatchFill(beyond)]
    if len(result.sites):
        layers.append(_sites_layer(result.sites, lang=lang))
    label = FIGURES[COVERAGE_COLUMN]  # the werkbank's name of the figure
    fmap = build_map(
        shown_areas,
        meeting,
        lang=lang,
        basemap=basemap,
        choropleth=COVERAGE_COLUMN,
        choropleth_level="buurt",
        figures={COVERAGE_COLUMN: label},
        classes=COVERAGE_SCALE,
        cluster=False,
        vendor_base=vendor_base,
        attribution=attribution,
        legend_extra=_legend_extra(result, lang),
        scale_extra=beyond_swatch(lang) if beyond is not None else "",
        extra_layers=layers,
    )
    return fmap


def beyond_swatch(lang: Lang) -> str:
    """Return the legend line of the hatch of the areas beyond walking distance."""
    return f"<div><span class='am-box am-hatch'></span>{esc(t('legend.beyond', lang))}</div>"


def _uncovered_layer(cells: gpd.GeoDataFrame, *, after: bool, lang: Lang) -> folium.GeoJson | None:
    """Return the cells beyond walking distance as one shape (few vertices, for 10,000 cells too).

    Its tooltip gives the residents there; it is hatched by :class:`HatchFill`. None when
    every resident is within walking distance.
    """
    covered = cells["covered_after" if after else "covered"].astype(bool)
    open_cells = cells[~covered & (cells["weight"] > 0)]
    if open_cells.empty:
        return None
    shape = open_cells.dissolve(aggfunc={"residents": "sum"}).reset_index(drop=True)
    residents = float(shape["residents"].iloc[0])
    shape["_tip"] = [
        esc(t("gaps.beyond_tip", lang, residents=format_number(round(residents), lang=lang)))
    ]
    return folium.GeoJson(
        shape[["_tip", "geometry"]].to_json(drop_id=True),
        name=esc(t("gaps.layer_uncovered", lang)),
        style_function=lambda _f: {"color": "#1a1a1a", "weight": 1, "fillOpacity": 0},
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


def _legend_extra(result: GapResult, lang: Lang) -> str:
    if not len(result.sites):
        return ""
    return (
        f"<div><span class='am-sw' style='background:{SITE_COLOR}'>📍</span>"
        f"{esc(t('gaps.layer_sites', lang))}</div>"
    )
