"""Widgets of the explore screen: filters, counts and the map."""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from typing import Any

import pandas as pd
import streamlit as st

from asset_map.analysis.areas import open_assets, select_areas, select_assets
from asset_map.analysis.summary import count_table, public_talent_total
from asset_map.analysis.wijk_figures import levels_with, selection_total
from asset_map.i18n import t
from asset_map.model import KEY_FIGURES, Lang, catalogue
from asset_map.render import vendor
from asset_map.render.map import build_map
from asset_map.render.map_parts import MapParts, map_parts, middle
from asset_map.render.styles import format_number
from asset_map.render.view_url import MapView, add_layers_in_url, add_view_in_url
from asset_map.services.workspace import Workspace
from asset_map.ui import live_map
from asset_map.ui.basemap import basemap_picker
from asset_map.ui.basemap import chosen_basemap as chosen_basemap  # the one choice of the app
from asset_map.ui.loaders import data_folder, local_postcodes
from asset_map.ui.state import among, choice_key, current_lang, option_index, select_all, tr


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar."""

    wijken: tuple[str, ...]
    buurten: tuple[str, ...]
    types: tuple[str, ...]
    choropleth: str | None
    choropleth_level: str | None
    basemap: str
    show_talents: bool


def sidebar_filters(ws: Workspace) -> Filters:
    """Draw the filters in the sidebar and return the choice."""
    lang = current_lang()
    areas = ws.areas
    wijken = areas[areas["level"] == "wijk"].sort_values("code")
    names = dict(zip(areas["code"], areas["name"], strict=True))
    st.sidebar.header(tr("filter.header"))
    chosen_wijken = st.sidebar.multiselect(
        tr("filter.wijk"),
        options=list(wijken["code"]),
        format_func=lambda code: str(names.get(code, code)),
        placeholder=tr("filter.all"),
        key="filter_wijk",
        select_all=select_all(),
    )
    buurten = areas[areas["level"] == "buurt"]
    if chosen_wijken:
        buurten = buurten[buurten["parent_code"].isin(chosen_wijken)]
    chosen_buurten = st.sidebar.multiselect(
        tr("filter.buurt"),
        options=list(buurten.sort_values("name")["code"]),
        format_func=lambda code: str(names.get(code, code)),
        placeholder=tr("filter.all"),
        key="filter_buurt",
        select_all=select_all(),
    )
    cat = catalogue()
    in_workspace = set(ws.assets["type"].unique())
    present = [k for k in cat.types if k in in_workspace]
    types_key, types_now = choice_key("filter_types", None)
    chosen_types = st.sidebar.multiselect(
        tr("filter.types"),
        options=present,
        default=among(types_now, present) or None,
        format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
        placeholder=tr("filter.all"),
        key=types_key,
        select_all=select_all(),
    )
    st.sidebar.header(tr("map.settings"))
    # Any figure some buurt or wijk has: a figure CBS gives per wijk only colours the wijken.
    figures = [c for c in KEY_FIGURES if levels_with(areas, c)]
    choropleth_options = [None, *figures]
    choropleth_key, choropleth_now = choice_key("map_choropleth", None)
    choropleth = st.sidebar.selectbox(
        tr("map.choropleth"),
        options=choropleth_options,
        index=option_index(choropleth_options, choropleth_now),
        format_func=lambda c: (
            t("map.choropleth_none", lang)
            if c is None
            else KEY_FIGURES[c][0 if lang == "nl" else 1]
        ),
        # Streamlit shows a chosen None as the placeholder: the same words as the option.
        placeholder=t("map.choropleth_none", lang),
        key=choropleth_key,
    )
    level = choropleth_level_choice(areas, choropleth, key="map_choropleth_level")
    basemap = basemap_picker()
    # On by default; a shared link may have set it already (then no second default).
    st.session_state.setdefault("map_talents", True)
    show_talents = st.sidebar.toggle(tr("map.talents"), key="map_talents")
    return Filters(
        wijken=tuple(chosen_wijken),
        buurten=tuple(b for b in chosen_buurten if b in set(buurten["code"])),
        types=tuple(chosen_types),
        choropleth=choropleth,
        choropleth_level=level,
        basemap=basemap,
        show_talents=show_talents,
    )


def choropleth_level_choice(
    areas: pd.DataFrame, figure: str | None, *, key: str, container: Any = None
) -> str | None:
    """Return the level the map colours by ``figure``; ask when both levels have it.

    A figure only the wijken have (CBS's figures per wijk) colours the wijken, and a caption
    says so; one only the buurten have colours the buurten. The widgets go into
    ``container`` (the sidebar by default).
    """
    if figure is None:
        return None
    box = st.sidebar if container is None else container
    levels = levels_with(areas, figure)
    if len(levels) == 2:
        options = list(levels)  # buurt first: the finer map
        level_key, level_now = choice_key(key, options[0])
        return str(
            box.radio(
                tr("map.choropleth_level"),
                options,
                index=option_index(options, level_now),
                format_func=lambda k: tr(f"map.choropleth_level.{k}"),
                horizontal=True,
                key=level_key,
            )
        )
    if levels == ("wijk",):
        box.caption(tr("map.choropleth_per_wijk"))
    return levels[0] if levels else None


def counts(ws: Workspace, filters: Filters, talents: pd.DataFrame) -> None:
    """Show the figures of the current selection: places, meeting places, inhabitants."""
    lang = current_lang()
    assets = select_assets(
        open_assets(ws.assets), wijken=filters.wijken, buurten=filters.buurten, types=filters.types
    )
    areas = select_areas(ws.areas, wijken=filters.wijken, buurten=filters.buurten)
    buurten = areas[areas["level"] == "buurt"]
    meeting = assets["type"].isin(catalogue().meeting_place_types()) & (
        assets["status"] == "existing"
    )
    if not talents.empty:
        talents = talents[
            (talents["status"] == "approved") & talents["buurt_code"].isin(buurten["code"])
        ]
    st.subheader(tr("counts.header"))
    cols = st.columns(4)
    cols[0].metric(tr("counts.total"), format_number(len(assets), lang=lang))
    cols[1].metric(tr("counts.meeting"), format_number(int(meeting.sum()), lang=lang))
    cols[2].metric(
        tr("counts.inhabitants"),
        format_number(selection_total(areas, buurten=filters.buurten), lang=lang),
    )
    shown = public_talent_total(talents, buurten["code"]).text(lang)
    cols[3].metric(tr("counts.talents"), shown, help=tr("privacy.total_help"))
    if assets.empty:
        st.info(tr("counts.none"))
        return
    # A point in a wijk of a wijken-only areas file has no buurt but is not outside.
    outside = int((assets["buurt_code"].isna() & assets["wijk_code"].isna()).sum())
    if outside and not (filters.wijken or filters.buurten):
        st.caption(tr("counts.outside_areas", n=outside))
    table = count_table(assets, lang)
    table = table.assign(type=table["icon"] + " " + table["type"]).drop(columns="icon")
    st.dataframe(
        table.rename(
            columns={"group": "", "type": tr("counts.type"), "count": tr("counts.number")}
        ),
        hide_index=True,
        width="stretch",
    )


def asset_map(
    ws: Workspace,
    filters: Filters,
    everyone: pd.DataFrame,
    *,
    view: MapView | None = None,
    layers_off: tuple[str, ...] = (),
    height: int = 680,
) -> None:
    """Draw the map of the current selection (no rerun on pan or zoom).

    The map of a selection is built once for every visitor (per workspace version, language,
    talents shown and shared view), and a new selection replaces what the map shows, not the
    map (:mod:`asset_map.ui.live_map`). The map opens at ``view`` when a shared link gave
    one, with the layers it switched off (``layers_off``), and keeps its centre, zoom and
    layers switched off in the page's address (:mod:`asset_map.render.view_url`).
    """
    lang = current_lang()
    talents = everyone if filters.show_talents and not everyone.empty else None
    key = ("kaart", data_folder(), astuple(filters), lang, _digest(talents), view, layers_off)
    parts = live_map.cached_parts(
        key, lambda: _map_parts(ws, filters, talents, lang, view, layers_off)
    )
    live_map.show(parts, key="explore_map", height=height)


def _digest(frame: pd.DataFrame | None) -> str:
    """Return a short digest of a (small) table, e.g. the talents: part of a cache key."""
    if frame is None:
        return ""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()[:16]


def _map_parts(
    ws: Workspace,
    filters: Filters,
    talents: pd.DataFrame | None,
    lang: Lang,
    view: MapView | None = None,
    layers_off: tuple[str, ...] = (),
) -> MapParts:
    """Build the map of the selection and render it into its frame and contents."""
    assets = select_assets(
        open_assets(ws.assets), wijken=filters.wijken, buurten=filters.buurten, types=filters.types
    )
    areas = select_areas(ws.areas, wijken=filters.wijken, buurten=filters.buurten)
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    # The weekly activities of the places shown: in their popups, a ring on their marker.
    fmap = build_map(
        areas,
        assets,
        talents=talents,
        lang=lang,
        basemap=filters.basemap,
        choropleth=filters.choropleth,
        choropleth_level=filters.choropleth_level,
        vendor_base=vendor.APP_STATIC_BASE,
        attribution=label,
        activities=ws.activities,
        postcodes=local_postcodes(ws),
        hidden_layers=layers_off,
    )
    add_view_in_url(fmap, view)
    add_layers_in_url(fmap)
    return map_parts(fmap, center=middle(ws.areas), vendor_base=vendor.APP_STATIC_BASE)
