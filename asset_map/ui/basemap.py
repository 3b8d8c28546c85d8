"""The base map: one choice for the whole app, kept when the reader moves between screens.

The Kaart and the werkbank show the picker in their sidebar; every other map (Bij mij in de
buurt, Kansen, the week's activities, the edit maps) and every download of a map (the HTML
map of the werkbank) follows the same choice. An own tile server in the settings
(``ASSET_MAP_TILES_URL``) is offered first and is the default.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.render import vendor
from asset_map.render.map import build_map
from asset_map.render.styles import BASEMAPS, DEFAULT_BASEMAP, Basemap, basemaps, default_basemap
from asset_map.ui.state import choice_key, current_lang, option_index, tr

#: The picker's widget key (per language, ``state.choice_key``).
PICKER_KEY = "map_basemap"
#: A plain session key that holds the choice: it outlives screens that draw no picker.
STORE_KEY = "basemap_choice"


def choices() -> tuple[dict[str, Basemap], str, AssetMapError | None]:
    """Return the base maps to choose from, the default, and a problem with the tile settings.

    A wrong tile setting must not take the maps down: the maps then offer the usual base
    maps, and the problem is shown (:func:`basemap_picker`).
    """
    try:
        return basemaps(), default_basemap(), None
    except AssetMapError as exc:
        return dict(BASEMAPS), DEFAULT_BASEMAP, exc


def chosen_basemap() -> str:
    """Return the base map the reader chose (the default until they choose one)."""
    options, default, _problem = choices()
    value = st.session_state.get(STORE_KEY)
    return str(value) if value in options else default


def basemap_picker(container: Any = None) -> str:
    """Draw the base map picker (in the sidebar by default) and return the choice."""
    lang = current_lang()
    box = st.sidebar if container is None else container
    options, _default, problem = choices()
    if problem is not None:
        box.error(explain(problem, lang))
    keys = list(options)
    key, _start = choice_key(PICKER_KEY, None)
    value = box.selectbox(
        tr("map.basemap"),
        keys,
        index=option_index(keys, chosen_basemap()),
        format_func=lambda k: t(f"basemap.{k}", lang),
        key=key,
    )
    st.session_state[STORE_KEY] = value
    return str(value)


def chosen_tiles() -> Basemap:
    """Return the chosen base map itself (URL, attribution, highest zoom), for a map of its own."""
    options, default, _problem = choices()
    return options.get(chosen_basemap(), options[default])


def places_map(areas: gpd.GeoDataFrame, places: gpd.GeoDataFrame, **options: Any) -> folium.Map:
    """Return a map of a few ``places``, each marker on its own, on the chosen base map.

    ``options`` go to :func:`asset_map.render.map.build_map` (``activities``, ``view``, ...).
    """
    return build_map(
        areas,
        places,
        lang=current_lang(),
        basemap=chosen_basemap(),
        cluster=False,
        vendor_base=vendor.APP_STATIC_BASE,
        **options,
    )
