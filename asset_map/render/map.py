"""Build the asset map: boundaries, the assets (one clustering, a layer per type), talents, legend.

The same function serves the app (``st_folium``) and the CLI (standalone HTML), so both
show the same map, with the same controls (:mod:`asset_map.render.controls`): a search box,
"my location", the legend and the colour scale out of the places' way, and a notice when the
background does not load. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.template import Template

from asset_map.analysis.summary import public_count, talents_per_buurt
from asset_map.analysis.wijk_figures import figure_level
from asset_map.crs import WORK_CRS, to_storage_crs
from asset_map.i18n import t
from asset_map.model import KEY_FIGURES, AssetType, Lang, catalogue
from asset_map.render import vendor
from asset_map.render.activities import weekly_activities
from asset_map.render.asset_points import activity_swatch, add_asset_layers
from asset_map.render.asset_rows import COORD_DECIMALS, swatch
from asset_map.render.controls import (
    ControlStyle,
    FitView,
    LocateControl,
    Panel,
    SearchControl,
    TileNotice,
    panel_html,
    search_areas,
    search_postcodes,
)
from asset_map.render.layers import MapStyle, PointLayer, esc
from asset_map.render.styles import (
    BUURT_STYLE,
    NO_DATA_COLOR,
    WIJK_STYLE,
    Classes,
    classes_for,
    format_break,
    format_number,
    resolve_basemap,
)

#: Shown on every map that holds OpenStreetMap data (ODbL).
OSM_DATA_ATTRIBUTION = "Data © OpenStreetMap contributors (ODbL)"
#: Boundaries are simplified to this tolerance (metres, in RD New) before drawing.
SIMPLIFY_M = 5.0


def build_map(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    talents: pd.DataFrame | None = None,
    lang: Lang = "nl",
    basemap: str | None = None,
    choropleth: str | None = None,
    choropleth_level: str | None = None,
    figures: dict[str, tuple[str, str, str]] | None = None,
    classes: Classes | None = None,
    cluster: bool = True,
    vendor_base: str = vendor.INLINE_BASE,
    attribution: str = "",
    legend_extra: str = "",
    scale_extra: str = "",
    extra_layers: Sequence[folium.MacroElement] = (),
    activities: pd.DataFrame | None = None,
    postcodes: pd.DataFrame | None = None,
    view: Sequence[Sequence[float]] | None = None,
) -> folium.Map:
    """Return a folium map of ``areas`` and ``assets``.

    Parameters
    ----------
    areas : GeoDataFrame
        Wijken and buurten with canonical area columns; drawn as boundaries.
    assets : GeoDataFrame
        Assets with canonical columns; one toggleable layer per type present, all types in
        one clustering.
    talents : DataFrame, optional
        Residents' talents (``model.TALENT_COLUMNS``). Only approved ones are shown, as
        counts per buurt, never as individuals.
    lang : {"nl", "en"}
        Language of labels, legend and popups.
    basemap : {"eigen", "osm", "pdok", "none"}, optional
        The tile layer; ``"none"`` makes no request to any server, ``"eigen"`` is the tile
        server of the settings (``ASSET_MAP_TILES_URL``). By default that one when it is
        set, else OpenStreetMap.
    choropleth : str, optional
        A key-figure column of ``areas`` to colour the buurten (or wijken) by, or a column
        named in ``figures``.
    choropleth_level : {"buurt", "wijk"}, optional
        Which areas the choropleth colours. By default the buurten when any buurt has a
        value, else the wijken (a figure CBS gives per wijk only).
    figures : dict, optional
        More columns ``choropleth`` may name: column -> (Dutch label, English label, unit).
    classes : Classes, optional
        Fixed classes for the choropleth; by default :data:`~asset_map.render.styles.COVERAGE_SCALE`
        for the share within walking distance, quantile classes of the coloured areas for
        any other figure.
    cluster : bool
        Cluster the markers in the browser (needs Leaflet.markercluster); without, many
        places are drawn on a canvas.
    vendor_base : str
        Base URL of the local Leaflet files; ``vendor.INLINE_BASE`` for standalone HTML
        (see :func:`map_html`), ``vendor.APP_STATIC_BASE`` in the app.
    attribution : str
        Extra attribution text for the data shown (plain text; escaped here).
    legend_extra : str
        Trusted HTML appended to the legend (for ``extra_layers``).
    scale_extra : str
        Trusted HTML appended to the colour scale (e.g. the hatch of "beyond walking
        distance").
    extra_layers : sequence of folium elements
        More layers, added after the assets and before the layer control (which must come
        after every layer it lists).
    activities : DataFrame, optional
        Weekly activities (``model.ACTIVITY_COLUMNS``): listed in their place's popup, and
        a layer "Wekelijkse activiteiten" rings the places on the map that have them.
        Activities at places not on the map are left out.
    postcodes : DataFrame, optional
        The local postcode table (``postcode``, ``lon``, ``lat``): the search box finds them.
    view : sequence, optional
        ``[[south, west], [north, east]]`` to show first; by default everything.

    Returns
    -------
    folium.Map

    Raises
    ------
    AssetMapError
        For ``basemap="eigen"`` when no own tile server is set (or its settings are wrong).
    """
    base = resolve_basemap(basemap)
    known = {**KEY_FIGURES, **(figures or {})}
    if choropleth is not None and choropleth not in known:
        raise ValueError(f"Unknown key figure '{choropleth}'. Choose one of: {', '.join(known)}.")
    if choropleth_level not in (None, "buurt", "wijk"):
        raise ValueError(f"Unknown choropleth level '{choropleth_level}'. Choose buurt or wijk.")
    areas = to_storage_crs(areas, "areas")
    assets = to_storage_crs(assets, "assets")
    fmap = folium.Map(
        tiles=None,
        control_scale=True,
        zoom_start=13,
        location=_center(areas, assets),
    )
    # On the map itself, not only on a tile layer: clustering needs it, also with no basemap.
    fmap.options.update(max_zoom=base.max_zoom, min_zoom=7)
    fmap.default_js, fmap.default_css = vendor.links(vendor.MAP_FILES, vendor_base)
    if base.url:
        tiles = folium.TileLayer(
            base.url,
            attr=base.attribution,
            name=t(f"basemap.{base.key}", lang),
            max_zoom=base.max_zoom,
            control=False,
        )
        tiles.add_to(fmap)
        TileNotice(tiles, lang=lang).add_to(fmap)
    MapStyle().add_to(fmap)
    ControlStyle().add_to(fmap)

    level = None
    if choropleth is not None:
        level = choropleth_level or figure_level(areas, choropleth) or "buurt"
        if classes is None and choropleth in areas.columns:
            classes = classes_for(choropleth, areas.loc[areas["level"] == level, choropleth])
    _add_boundaries(
        fmap, areas, lang=lang, choropleth=choropleth, level=level, classes=classes, figures=known
    )

    weekly = weekly_activities(activities, lang=lang) if activities is not None else None
    placed = add_asset_layers(
        fmap, assets, lang=lang, cluster=cluster, vendor_base=vendor_base, activities=weekly
    )
    for layer in extra_layers:
        layer.add_to(fmap)
    n_talent_buurten = 0
    if talents is not None:
        n_talent_buurten = _add_talents(fmap, talents, areas, lang=lang)

    # Top left: the search box (first), the zoom buttons, "my location".
    SearchControl(
        placed.points,
        areas=search_areas(areas, lang=lang),
        postcodes=search_postcodes(postcodes),
        lang=lang,
    ).add_to(fmap)
    LocateControl(lang=lang).add_to(fmap)
    # Top right: the layers button, then the legend under it (closed on a phone).
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    Panel(
        _legend_html(
            placed.present,
            lang=lang,
            talents=n_talent_buurten > 0,
            clustered=cluster,
            activities=placed.n_activities > 0,
            extra=legend_extra,
        )
    ).add_to(fmap)
    if choropleth and classes is not None:
        # Bottom right, a box of its own: the colours of the choropleth.
        Panel(
            _scale_html(known[choropleth], classes, lang=lang, level=level, extra=scale_extra),
            position="bottomright",
            css_class="am-scale",
            share=0.4,
            classes=classes,
        ).add_to(fmap)
    if len(assets) and assets["source"].astype(str).str.contains("OpenStreetMap").any():
        # ODbL: the map credits OpenStreetMap whenever it shows OSM data.
        _Attribution(esc(OSM_DATA_ATTRIBUTION)).add_to(fmap)
    if attribution:
        _Attribution(esc(attribution)).add_to(fmap)
    bounds = view if view is not None else _bounds(areas, assets)
    if bounds is not None:
        # Straight to the view that shows everything, without a zoom animation (the places
        # are clustered once, for this view), with room for the controls: added last, when
        # they are all on the map.
        FitView(bounds).add_to(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """Render ``fmap`` to one self-contained HTML page (Leaflet inlined, no CDN)."""
    return vendor.inline_vendor_files(fmap.get_root().render())


# --- layers --------------------------------------------------------------------------------


def _add_boundaries(
    fmap: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    lang: Lang,
    choropleth: str | None,
    level: str | None,
    classes: Classes | None,
    figures: dict[str, tuple[str, str, str]],
) -> None:
    """Wijk boundaries (lines) and buurt boundaries, those of ``level`` filled by a figure."""
    drawn = areas[areas["level"].isin(["wijk", "buurt"]) & ~areas.geometry.is_empty].copy()
    if drawn.empty:
        return
    simplified = drawn.to_crs(WORK_CRS).geometry.simplify(SIMPLIFY_M).to_crs(drawn.crs)
    drawn = drawn.set_geometry(simplified)
    per_wijk = _figures_per_wijk_only(drawn, figures)
    drawn["_tip"] = [
        _area_tooltip(row, lang, figures, per_wijk=bool(flag))
        for (_, row), flag in zip(drawn.iterrows(), per_wijk, strict=True)
    ]
    for area_level, style in (("buurt", BUURT_STYLE), ("wijk", WIJK_STYLE)):
        layer = drawn[drawn["level"] == area_level]
        if layer.empty:
            continue
        if area_level == level and choropleth in layer.columns and classes is not None:
            layer = layer.assign(_fill=[classes.color_of(v) for v in layer[choropleth]])
        else:
            layer = layer.assign(_fill="")
        layer = layer[["code", "_tip", "_fill", "geometry"]]
        folium.GeoJson(
            layer.to_json(drop_id=True),
            name=t("layer.buurten" if area_level == "buurt" else "layer.wijken", lang),
            style_function=_style(style),
            highlight_function=lambda _f: {"weight": 3, "color": "#000"},
            tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=False),
            control=True,
            overlay=True,
            zoom_on_click=False,
        ).add_to(fmap)


def _style(base: dict[str, object]) -> Callable[[dict[str, Any]], dict[str, object]]:
    def style(feature: dict[str, Any]) -> dict[str, object]:
        fill = feature["properties"].get("_fill")
        if fill:
            return {**base, "fillColor": fill, "fillOpacity": 0.55, "fill": True}
        return dict(base)

    return style


def _area_tooltip(
    row: pd.Series, lang: Lang, figures: dict[str, tuple[str, str, str]], *, per_wijk: bool
) -> str:
    """Return the tooltip of a wijk or buurt: name, code, its figures ("–" where unknown)."""
    lines = [f"<b>{esc(row['name'])}</b> <small>({esc(row['code'])})</small>"]
    for col, (nl, en, unit) in figures.items():
        if col in row.index and col != "land_area_ha":
            label = nl if lang == "nl" else en
            lines.append(f"{esc(label)}: {esc(format_number(row[col], unit, lang))}")
    if per_wijk:
        lines.append(f"<i>{esc(t('map.tip.per_wijk', lang))}</i>")
    return "<br>".join(lines)


def _figures_per_wijk_only(areas: gpd.GeoDataFrame, figures: Mapping[str, object]) -> np.ndarray:
    """Return per area whether it is a buurt without key figures whose wijk has some."""
    columns = [c for c in KEY_FIGURES if c in figures and c in areas.columns]
    columns = [c for c in columns if c != "land_area_ha"]  # not shown in the tooltip
    if not columns or "parent_code" not in areas.columns:
        return np.zeros(len(areas), dtype=bool)
    known = areas[columns].apply(pd.to_numeric, errors="coerce").notna().any(axis=1)
    wijken = set(areas.loc[(areas["level"] == "wijk") & known, "code"])
    buurt = (areas["level"] == "buurt").to_numpy()
    return buurt & ~known.to_numpy() & areas["parent_code"].isin(wijken).to_numpy()


def _add_talents(
    fmap: folium.Map, talents: pd.DataFrame, areas: gpd.GeoDataFrame, *, lang: Lang
) -> int:
    """Talents as counts per buurt at the buurt's inner point; groups under 3 show '<3'."""
    counts = talents_per_buurt(talents)
    buurten = areas[
        (areas["level"] == "buurt") & areas["code"].isin(counts.index) & ~areas.geometry.is_empty
    ]
    if buurten.empty:
        return 0
    points = buurten.to_crs(WORK_CRS).geometry.representative_point().to_crs(buurten.crs)
    cat = catalogue()
    rows = []
    for (_, area), point in zip(buurten.iterrows(), points, strict=True):
        row = counts.loc[area["code"]]
        table = "".join(
            f"<tr><td>{esc(cat.talent_label(key, lang))}</td>"
            f"<td>{esc(public_count(int(row[key])))}</td></tr>"
            for key in cat.talent_categories
            if row[key] > 0
        )
        popup = (
            f"<div class='am-name'>{esc(t('popup.talents_in', lang, buurt=area['name']))}</div>"
            f"<table>{table}</table><div class='am-meta'>{esc(t('popup.talents_note', lang))}</div>"
        )
        label = public_count(int(row["total"]))
        rows.append(
            [
                round(point.y, COORD_DECIMALS),
                round(point.x, COORD_DECIMALS),
                f"<div class='am-popup'>{popup}</div>",
                esc(label),
            ]
        )
    talent = cat.types["talent"]
    PointLayer(
        rows,
        name=f"{swatch(talent)} {esc(t('layer.talents', lang))}",
        popup_js="return r[2];",
        icon_html=talent.icon,
        icon_class="am-talent",
        color=talent.color,
        layer_key="talent",
        label_index=3,
    ).add_to(fmap)
    return len(rows)


# --- legend and helpers --------------------------------------------------------------------


def _legend_html(
    present: list[tuple[AssetType, int]],
    *,
    lang: Lang,
    talents: bool,
    clustered: bool = False,
    activities: bool = False,
    extra: str = "",
) -> str:
    """Return the legend: the types on the map, clusters, planned places, activities, borders."""
    parts = []
    for asset_type, n in present:
        parts.append(f"<div>{swatch(asset_type)}{esc(asset_type.label(lang))} ({n})</div>")
    if clustered and present:
        # A cluster as the map draws it: a ring in the colours of its types, a count inside.
        colors = [kind.color for kind, _ in present[:3]]
        stops = ",".join(
            f"{c} {100 * j // len(colors)}% {100 * (j + 1) // len(colors)}%"
            for j, c in enumerate(colors)
        )
        parts.append(
            f"<div><span class='am-sw' style='background:conic-gradient({stops})'>"
            f"<span class='am-sw-count' style='background:{colors[0]}'>3</span></span>"
            f"{esc(t('legend.cluster', lang))}</div>"
        )
    if any(a.meeting_place for a, _ in present):
        parts.append(
            f"<div><span class='am-sw' style='border:2px dashed #222'></span>"
            f"{esc(t('legend.planned', lang))}</div>"
        )
    if activities:
        parts.append(f"<div>{activity_swatch()}{esc(t('legend.weekly', lang))}</div>")
    if talents:
        parts.append(
            f"<div>{swatch(catalogue().types['talent'])}{esc(t('layer.talents', lang))}</div>"
        )
    parts.append(
        f"<div><span class='am-line' style='border-top:3px solid #222'></span>"
        f"{esc(t('legend.wijk', lang))}</div>"
    )
    parts.append(
        f"<div><span class='am-line' style='border-top:1px dashed #555'></span>"
        f"{esc(t('legend.buurt', lang))}</div>"
    )
    parts.append(extra)
    return panel_html(t("legend.title", lang), parts)


def _scale_html(
    figure: tuple[str, str, str],
    classes: Classes,
    *,
    lang: Lang,
    level: str | None,
    extra: str = "",
) -> str:
    """Return the colour scale of a choropleth: its classes, "no data", and ``extra``."""
    nl, en, unit = figure
    parts = []
    if level == "wijk":
        parts.append(f"<div><i>{esc(t('legend.per_wijk', lang))}</i></div>")
    for lo, hi, color in zip(classes.breaks[:-1], classes.breaks[1:], classes.colors, strict=True):
        parts.append(
            f"<div><span class='am-box' style='background:{color}'></span>"
            f"{esc(format_break(lo, unit, lang))} – {esc(format_break(hi, unit, lang))}</div>"
        )
    parts.append(
        f"<div><span class='am-box' style='background:{NO_DATA_COLOR}'></span>"
        f"{esc(t('legend.no_data', lang))}</div>"
    )
    parts.append(extra)
    return panel_html(nl if lang == "nl" else en, parts)


def _center(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> list[float]:
    bounds = _bounds(areas, assets)
    if bounds is None:
        return [52.1, 5.3]  # the middle of the Netherlands
    (s, w), (n, e) = bounds
    return [(s + n) / 2, (w + e) / 2]


def _bounds(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> list[list[float]] | None:
    shown = [f for f in (areas[areas["level"] != "gemeente"], assets) if not f.empty]
    if not shown:
        return None
    boxes = np.array([f.total_bounds for f in shown])
    w, s = boxes[:, 0].min(), boxes[:, 1].min()
    e, n = boxes[:, 2].max(), boxes[:, 3].max()
    if not np.isfinite([w, s, e, n]).all():
        return None
    return [[float(s), float(w)], [float(n), float(e)]]


class _Attribution(folium.MacroElement):
    """Adds a (pre-escaped) text to Leaflet's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text
