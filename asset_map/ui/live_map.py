"""A map that is built once per selection and stays in the page while the selection changes.

:func:`cached_parts` keeps the rendered map (:class:`~asset_map.render.map_parts.MapParts`)
per key, shared by all sessions: a second visitor, a rerun and a return to an earlier
selection get it without building the map again. :func:`show` hands it to
``streamlit_folium``'s map component: the frame (the map and its base layer) only the first
time, the contents on every change, which the component runs in the map that is already
there (its ``feature_group`` argument, documented for adding layers without reloading the
map). The component's key is the frame's digest, so only a new base map makes a new map.

``st_folium`` itself renders a folium map on every run, and would start a new map in the
browser for every selection; this calls the component that ``st_folium`` declares with the
arguments ``st_folium`` would give it, from the cached parts
(``tests/test_live_map.py`` checks them against ``st_folium``'s own).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st
import streamlit_folium

from asset_map.render.map_parts import MAP_NAME, MapParts

#: Rendered maps kept: every selection of one screen is one entry (up to a few MB each on
#: a workspace of 50,000 places).
MAX_MAPS = 24


@st.cache_resource(show_spinner=False, max_entries=MAX_MAPS)
def _cached(key: tuple[Hashable, ...], _build: Callable[[], MapParts]) -> MapParts:
    return _build()


def cached_parts(key: tuple[Hashable, ...], build: Callable[[], MapParts]) -> MapParts:
    """Return the map of ``key``, made by ``build`` the first time it is asked for.

    ``key`` must name everything the map depends on (the screen, the workspace and its
    version, the selection, the language, ...): every session gets the same parts for it.
    """
    return _cached(key, build)


def show(parts: MapParts, *, key: str, height: int) -> Any:
    """Show ``parts`` as the map of ``key``; later contents replace the earlier ones in place.

    The page does not rerun on a pan, zoom or click in the map (no values come back).
    """
    return streamlit_folium._component_func(
        script=parts.frame,
        header=parts.header,
        html=parts.html,
        id=MAP_NAME,
        key=f"{key}-{parts.frame_key}",
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=None,
        center=None,
        feature_group=parts.contents,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(parts.css_links),
        js_links=list(parts.js_links),
        wrap_longitude=False,
    )
