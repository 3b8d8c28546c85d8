"""Widgets of the planner's workbench: filters kept in the URL, the map and the table.

The map and the table show the same selection. Choosing a row centres the map on that
asset and marks it; clicking an asset on the map chooses its row (Streamlit 1.67 lets a
dataframe's selection be set through ``st.session_state[key]``). The figures and the
downloads are in :mod:`asset_map.ui.workbench_figures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.areas import select_areas
from asset_map.analysis.query import (
    MAX_TEXT,
    AssetQuery,
    filter_assets,
    tag_options,
    unknown_values,
)
from asset_map.analysis.summary import public_talent_total
from asset_map.analysis.wijk_figures import selection_total
from asset_map.crs import WORK_CRS
from asset_map.i18n import explain
from asset_map.model import LANGS, Lang, catalogue
from asset_map.render import vendor
from asset_map.render.layers import esc
from asset_map.render.map import build_map
from asset_map.render.styles import format_number
from asset_map.services import freshness
from asset_map.services.workspace import Workspace
from asset_map.ui.basemap import basemap_picker, chosen_basemap
from asset_map.ui.safe import md
from asset_map.ui.state import (
    among,
    choice_key,
    current_lang,
    lang_key,
    select_all,
    tab_key,
    tr,
)
from asset_map.ui.upkeep import checked_text

#: URL query parameter -> the session key of its filter widget.
FILTER_KEYS = {"wijk": "wb_wijk", "buurt": "wb_buurt", "type": "wb_type", "tag": "wb_tag"}
#: Filters whose option labels follow the language: one widget key per language
#: (``state.choice_key``).
LOCALISED_FILTERS = frozenset({"type"})
TEXT_KEY = "wb_q"
#: The tabs of the workbench (texts) and their session key (per language, ``state.tab_key``).
TABS = ("wb.tab.list", "wb.tab.figures", "wb.tab.export")
TAB_KEY = "wb_tab"
TABLE_KEY = "wb_table"
MAP_KEY = "wb_map"
#: The id of the chosen asset (or None): the one truth the map and the table follow.
SELECTED_KEY = "wb_selected"
_SEEN_ROWS = "wb_seen_rows"
_SEEN_CLICK = "wb_seen_click"
_TABLE_IDS = "wb_table_ids"
_URL_WARNING = "wb_url_unknown"
#: A click on the map chooses the asset within this many metres of the click.
CLICK_TOLERANCE_M = 15.0
#: The zoom level the map goes to for a chosen asset.
SELECTED_ZOOM = 17


# --- filters and the URL -----------------------------------------------------------------------


def filter_key(param: str, lang: Lang | None = None) -> str:
    """Return the session key of the filter of URL parameter ``param`` (in ``lang``)."""
    key = FILTER_KEYS[param]
    return lang_key(key, lang) if param in LOCALISED_FILTERS else key


def _restore_from_url(ws: Workspace) -> None:
    """Fill the filters from the URL on the page's first run; drop what this map lacks."""
    keys = {filter_key(param, lang) for param in FILTER_KEYS for lang in LANGS}
    if any(key in st.session_state for key in (*keys, TEXT_KEY)):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    query = AssetQuery.from_params(params)
    unknown = unknown_values(query, ws.areas, ws.assets)
    drop = {value for values in unknown.values() for value in values}
    chosen = {
        "wijk": query.wijken,
        "buurt": query.buurten,
        "type": query.types,
        "tag": query.tags,
    }
    tags = {tag.casefold(): tag for tag in tag_options(ws.assets)}
    for param in FILTER_KEYS:
        values = [v for v in chosen[param] if v not in drop]
        if param == "tag":  # the URL may spell a tag in another case
            values = [tags.get(v.casefold(), v) for v in values]
        st.session_state[filter_key(param)] = values
    st.session_state[TEXT_KEY] = query.text
    st.session_state[_URL_WARNING] = [value for values in unknown.values() for value in values]


def filters(ws: Workspace) -> AssetQuery:
    """Draw the filters in the sidebar, kept in the URL; return the query they make.

    On the page's first run the filters come from the URL (a shared view); codes this map
    does not have are left out, with a warning. Every change is written back to the URL.
    """
    _restore_from_url(ws)
    lang = current_lang()
    areas = ws.areas
    names = dict(zip(areas["code"], areas["name"], strict=True))
    sidebar = st.sidebar
    sidebar.header(tr("filter.header"))

    def by_name(level: str, codes: list[str]) -> list[str]:
        """Draw the filter of wijken or buurten (``level``): their names, kept by code."""
        return list(
            sidebar.multiselect(
                tr(f"filter.{level}"),
                codes,
                format_func=lambda code: str(names.get(code, code)),
                placeholder=tr("filter.all"),
                key=FILTER_KEYS[level],
                select_all=select_all(),
            )
        )

    chosen_wijken = by_name(
        "wijk", list(areas.loc[areas["level"] == "wijk"].sort_values("code")["code"])
    )
    buurten = areas[areas["level"] == "buurt"]
    if chosen_wijken:
        buurten = buurten[buurten["parent_code"].isin(chosen_wijken)]
    buurt_options = list(buurten.sort_values("name")["code"])
    _keep_only(FILTER_KEYS["buurt"], buurt_options)
    chosen_buurten = by_name("buurt", buurt_options)
    cat = catalogue()
    present = set(ws.assets["type"])
    type_options = [k for k in cat.types if k in present]
    type_key, types_now = choice_key(FILTER_KEYS["type"], None)
    chosen_types = sidebar.multiselect(
        tr("filter.types"),
        type_options,
        default=among(types_now, type_options) or None,
        format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
        placeholder=tr("filter.all"),
        key=type_key,
        select_all=select_all(),
    )
    tags = tag_options(ws.assets)
    _keep_only(FILTER_KEYS["tag"], tags)
    chosen_tags = sidebar.multiselect(
        tr("wb.tags"),
        tags,
        placeholder=tr("filter.all"),
        key=FILTER_KEYS["tag"],
        select_all=select_all(),
    )
    text = sidebar.text_input(
        tr("wb.search"), max_chars=MAX_TEXT, help=tr("wb.search_help"), key=TEXT_KEY
    )
    basemap_picker(sidebar)  # the one choice of the app: the Kaart's too, and the downloads'
    query = AssetQuery(
        wijken=tuple(chosen_wijken),
        buurten=tuple(chosen_buurten),
        types=tuple(chosen_types),
        tags=tuple(chosen_tags),
        text=text,
    )
    unknown = st.session_state.pop(_URL_WARNING, None)  # said once, when the view opens
    if unknown:
        st.warning(tr("wb.url_unknown", values=", ".join(unknown)), icon="🔗")
    _write_to_url(query)
    return query


def _keep_only(key: str, options: list[str]) -> None:
    """Drop chosen values that are no longer options (before the widget is drawn)."""
    chosen = st.session_state.get(key)
    if chosen and any(v not in options for v in chosen):
        st.session_state[key] = [v for v in chosen if v in options]


def _write_to_url(query: AssetQuery) -> None:
    """Put the filters in the URL, only when they changed (a write does not rerun)."""
    wanted = query.to_params()
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def selection(ws: Workspace, query: AssetQuery) -> gpd.GeoDataFrame:
    """Return the assets the filters choose."""
    return filter_assets(ws.assets, query)


def chosen_areas(ws: Workspace, query: AssetQuery) -> gpd.GeoDataFrame:
    """Return the wijken and buurten the filters choose (all of them when none is chosen)."""
    return select_areas(ws.areas, wijken=query.wijken, buurten=query.buurten)


def basemap() -> str:
    """Return the base map chosen in the sidebar (here or on the Kaart: one choice)."""
    return chosen_basemap()


def tabs() -> Sequence[Any]:
    """Draw the tabs (list, figures, export); a change runs the page, which draws the open one."""
    return st.tabs([tr(text) for text in TABS], key=tab_key(TAB_KEY, TABS), on_change="rerun")


# --- counts ------------------------------------------------------------------------------------


def counts(
    ws: Workspace, query: AssetQuery, assets: gpd.GeoDataFrame, talents: pd.DataFrame
) -> None:
    """Show the figures of the selection: places, meeting places, inhabitants, talents."""
    lang = current_lang()
    areas = select_areas(ws.areas, wijken=query.wijken, buurten=query.buurten)
    buurten = areas[areas["level"] == "buurt"]
    meeting = assets["type"].isin(catalogue().meeting_place_types()) & (
        assets["status"] == "existing"
    )
    cols = st.columns(4)
    cols[0].metric(tr("counts.total"), format_number(len(assets), lang=lang))
    cols[1].metric(tr("counts.meeting"), format_number(int(meeting.sum()), lang=lang))
    inhabitants = selection_total(areas, buurten=query.buurten)  # a wijk's own figure too
    cols[2].metric(tr("counts.inhabitants"), format_number(inhabitants, lang=lang))
    shown = public_talent_total(talents, buurten["code"]).text(lang)
    cols[3].metric(tr("counts.talents"), shown, help=tr("privacy.total_help"))
    if assets.empty:
        st.info(tr("counts.none"))


# --- the map and the table ---------------------------------------------------------------------


#: Characters of a text (description, address, ...) the table sends; the rest is "meer".
TABLE_TEXT_CHARS = 160


def _cut(value: object, limit: int, more: str) -> object:
    """Return ``value`` cut to ``limit`` characters with ``more`` after it, when it is longer."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1].rstrip() + "… " + more
    return value


def asset_table(ws: Workspace, assets: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the table of the selection, one row per asset, sorted by wijk, buurt and name.

    Texts longer than :data:`TABLE_TEXT_CHARS` are cut ("… meer"): the table goes to every
    visitor, a whole description only with the place chosen (:func:`_details`).

    The index holds the asset ids; the columns are labelled in the user's language.
    """
    lang = current_lang()
    cat = catalogue()
    names = dict(zip(ws.areas["code"], ws.areas["name"], strict=True))

    def label(key: object) -> str:
        kind = cat.types.get(str(key))
        return f"{kind.icon} {kind.label(lang)}" if kind else str(key)

    table = pd.DataFrame(
        {
            "name": assets["name"].astype("str"),
            "type": assets["type"].map(label),
            "wijk": assets["wijk_code"].map(names),
            "buurt": assets["buurt_code"].map(names),
            "address": assets["address"],
            "tags": assets["tags"].astype("string").str.replace(";", ", ", regex=False),
            "status": assets["status"].map(lambda s: tr(f"wb.status.{s}")),
            "capacity": pd.to_numeric(assets["capacity"], errors="coerce"),
            "description": assets["description"],
            "source": assets["source"],
        }
    )
    fresh = _freshness(ws, assets)
    if fresh is not None:  # the werkbank marks the places nobody checked in time
        table["checked"] = fresh["last_checked"].map(checked_text).to_numpy()
        table["to_check"] = np.where(fresh["overdue"].astype(bool), tr("wb.to_check_mark"), "")
    text = ["address", "tags", "description", "source"]
    table[text] = table[text].astype("object").where(table[text].notna(), "")  # blank, not "None"
    more = tr("wb.more")
    for column in text:  # the table is sent to every visitor: long texts only in the details
        table[column] = pd.Series(
            [_cut(v, TABLE_TEXT_CHARS, more) for v in table[column].tolist()],
            index=table.index,
            dtype="object",
        )
    table.index = pd.Index(assets["id"].astype("str"), name="id")
    table = table.sort_values(["wijk", "buurt", "name"], na_position="last", kind="stable")
    return table.rename(columns={c: tr(f"wb.col.{c}") for c in table.columns})


def _freshness(ws: Workspace, assets: gpd.GeoDataFrame) -> pd.DataFrame | None:
    """Return when the places were checked; None without checks or with a wrong setting."""
    try:
        return freshness.of_assets(ws, assets)
    except AssetMapError as exc:  # ASSET_MAP_CHECK_MONTHS is wrong: say so, mark nothing
        st.warning(explain(exc, current_lang()))
        return None


def overdue_note(ws: Workspace, assets: gpd.GeoDataFrame) -> None:
    """Say how many places of the selection nobody checked in time (marked ⚠️ in the table)."""
    fresh = _freshness(ws, assets)
    if fresh is None:
        return
    n = int(fresh["overdue"].sum())
    if n:
        st.caption(tr("wb.overdue", n=n, months=settings.check_months()))


def nearest_asset(
    assets: gpd.GeoDataFrame, lon: float, lat: float, *, max_m: float = CLICK_TOLERANCE_M
) -> str | None:
    """Return the id of the asset nearest to (``lon``, ``lat``) within ``max_m`` metres."""
    if assets.empty:
        return None
    click = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:4326").to_crs(WORK_CRS)
    points = assets.geometry.to_crs(WORK_CRS)
    distance = np.hypot(points.x.to_numpy() - click.x[0], points.y.to_numpy() - click.y[0])
    best = int(np.nanargmin(distance))
    return str(assets["id"].iloc[best]) if distance[best] <= max_m else None


def _rows(state: Any) -> tuple[int, ...]:
    try:
        return tuple(int(r) for r in state["selection"]["rows"])
    except (KeyError, TypeError, ValueError):
        return ()


def _click(state: Any) -> tuple[float, float, int, str | None] | None:
    """Return (lat, lng, count, tooltip text) of the last object clicked on the map."""
    if not isinstance(state, Mapping):
        return None
    point = state.get("last_object_clicked")
    if not isinstance(point, Mapping) or point.get("lat") is None:
        return None
    tooltip = state.get("last_object_clicked_tooltip")
    return (
        float(point["lat"]),
        float(point["lng"]),
        int(state.get("last_object_clicked_count") or 0),
        tooltip if isinstance(tooltip, str) else None,
    )


def clicked_asset(
    assets: gpd.GeoDataFrame, lat: float, lng: float, tooltip: str | None
) -> str | None:
    """Return the id of the asset whose marker was clicked, or None for anything else.

    A marker reports its own position (to 1e-5 degrees) and its tooltip, the name; a click
    on a buurt reports the point clicked and the buurt's tooltip, so a near asset with
    another name is not taken for it.
    """
    hit = nearest_asset(assets, lng, lat)
    if hit is None or tooltip is None:
        return hit
    name = assets.loc[assets["id"].astype("str") == hit, "name"].iloc[0]
    return hit if " ".join(str(name).split()) == " ".join(tooltip.split()) else None


def selected_asset(assets: gpd.GeoDataFrame, ids: list[str]) -> str | None:
    """Return the chosen asset's id, from the table's row or a click on the map.

    Called before the map and the table are drawn: whichever of the two changed since the
    last run decides; the table's row is then set to match (so a map click selects it).
    """
    selected = st.session_state.get(SELECTED_KEY)
    rows = _rows(st.session_state.get(TABLE_KEY))
    if rows != st.session_state.get(_SEEN_ROWS, ()):  # the user chose (or cleared) a row
        shown = st.session_state.get(_TABLE_IDS, [])
        selected = shown[rows[0]] if rows and rows[0] < len(shown) else None
    click = _click(st.session_state.get(MAP_KEY))
    if click is not None and click != st.session_state.get(_SEEN_CLICK):
        st.session_state[_SEEN_CLICK] = click
        hit = clicked_asset(assets, click[0], click[1], click[3])
        if hit is not None:
            selected = hit
    if selected not in ids:
        selected = None
    wanted = (ids.index(selected),) if selected is not None else ()
    if wanted != rows:
        st.session_state[TABLE_KEY] = {
            "selection": {"rows": list(wanted), "columns": [], "cells": []}
        }
    st.session_state[SELECTED_KEY] = selected
    st.session_state[_SEEN_ROWS] = wanted
    st.session_state[_TABLE_IDS] = ids
    return selected


def js_text(value: object) -> str:
    """Return ``value`` escaped for HTML that folium puts in a JavaScript template literal.

    ``esc`` covers HTML and the braces; folium writes tooltips between backticks, so a
    backtick or a backslash in a name must not reach the script either.
    """
    return esc(value).replace("\\", "&#92;").replace("`", "&#96;")


#: The chosen asset's marker: a white disc with a red rim around the type's icon.
SELECTED_STYLE = (
    "width:34px;height:34px;border-radius:50%;background:#fff;border:4px solid #d7191c;"
    "display:flex;align-items:center;justify-content:center;font-size:17px;"
    "box-shadow:0 0 8px rgba(0,0,0,.7)"
)


def _highlight(asset: pd.Series) -> folium.FeatureGroup:
    """Return the chosen asset, marked and named, to draw over the map without a reload."""
    group = folium.FeatureGroup(name=tr("wb.selected"), control=False)
    lat, lon = float(asset.geometry.y), float(asset.geometry.x)
    kind = catalogue().types.get(str(asset["type"]))
    icon = kind.icon if kind else "📍"
    folium.Marker(
        [lat, lon],
        icon=folium.DivIcon(
            html=(
                f'<div class="wb-selected" data-id="{js_text(asset["id"])}" '
                f'style="{SELECTED_STYLE}">{icon}</div>'
            ),
            icon_size=(42, 42),
            icon_anchor=(21, 21),
            class_name="wb-selected-icon",
        ),
        tooltip=folium.Tooltip(
            f'<b class="wb-selected-name">{js_text(asset["name"])}</b>',
            permanent=True,
            direction="top",
            offset=(0, -20),
        ),
        z_index_offset=1000,
    ).add_to(group)
    return group


def map_and_table(ws: Workspace, query: AssetQuery, assets: gpd.GeoDataFrame) -> str | None:
    """Draw the map and the table of the selection, linked; return the chosen asset's id."""
    lang = current_lang()
    table = asset_table(ws, assets)
    ids = list(table.index)
    selected = selected_asset(assets, ids)
    areas = select_areas(ws.areas, wijken=query.wijken, buurten=query.buurten)
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    fmap = build_map(
        areas,
        assets,
        lang=lang,
        basemap=basemap(),
        vendor_base=vendor.APP_STATIC_BASE,
        attribution=label,
    )
    chosen = assets[assets["id"].astype("str") == selected].iloc[0] if selected else None
    st_folium(
        fmap,
        key=MAP_KEY,
        returned_objects=[
            "last_object_clicked",
            "last_object_clicked_count",
            "last_object_clicked_tooltip",
        ],
        center=(float(chosen.geometry.y), float(chosen.geometry.x)) if chosen is not None else None,
        zoom=SELECTED_ZOOM if chosen is not None else None,
        feature_group_to_add=_highlight(chosen) if chosen is not None else None,
        use_container_width=True,
        height=520,
    )
    st.caption(tr("wb.table_help"))
    overdue_note(ws, assets)
    st.dataframe(
        table,
        key=TABLE_KEY,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={tr("wb.col.capacity"): st.column_config.NumberColumn(format="%d")},
    )
    if chosen is not None:
        _details(ws, chosen)
    return selected


def _details(ws: Workspace, asset: pd.Series) -> None:
    """Show the chosen asset under the table (its text escaped: it is data)."""
    lang = current_lang()
    kind = catalogue().types.get(str(asset["type"]))
    names = dict(zip(ws.areas["code"], ws.areas["name"], strict=True))
    with st.container(border=True):
        head = f"{kind.icon} {kind.label(lang)}" if kind else str(asset["type"])
        st.markdown(f"**{md(asset['name'])}** · {md(head)}")
        facts = [
            md(asset.get("address")),
            md(names.get(asset.get("buurt_code"), "")),
            md(asset.get("tags")).replace(";", ", "),
        ]
        line = " · ".join(f for f in facts if f)
        if line:
            st.markdown(line)
        if md(asset.get("description")):
            st.markdown(md(asset["description"]))
