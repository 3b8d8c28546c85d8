"""The fields of a form: a box per field with its limit, and a spot under it for what to fix.

The limits are those of the field lists in :mod:`asset_map.model`, so a box never takes
more than the check allows; the messages are those of the checks in :mod:`asset_map.rules`,
one per field, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import streamlit as st

from asset_map.model import Field
from asset_map.render import vendor
from asset_map.render.styles import Basemap


class FormSpots:
    """One empty spot under each field of a form, filled with the field's message after a check."""

    def __init__(self) -> None:
        self._spots: dict[str, Any] = {}

    def mark(self, name: str, where: Any = st) -> None:
        """Keep a spot for the message of field ``name`` under what ``where`` drew last."""
        self._spots[name] = where.empty()

    def text(
        self,
        field: Field,
        label: str,
        *,
        key: str,
        where: Any = st,
        area: bool = False,
        **options: Any,
    ) -> Any:
        """Draw a text box (``area``: a text area) for ``field``, then its spot; return the text.

        The box takes at most the field's characters (Streamlit shows the count as one types);
        ``options`` go to the box (``value``, ``help``).
        """
        box = where.text_area if area else where.text_input
        text = box(label, max_chars=field.max_len, key=key, **options)
        self.mark(field.name, where)
        return text

    def show(self, errors: Mapping[str, str]) -> None:
        """Show each field's message in its spot (a message without a spot above the form)."""
        for name, text in errors.items():
            self._spots.get(name, st).error(text, icon="⚠️")


def place_map(
    areas: gpd.GeoDataFrame, base: Basemap, *, fill_opacity: float, fit: bool = True
) -> folium.Map:
    """Return a light map with only the outlines of ``areas``, to click a place on.

    Parameters
    ----------
    areas : GeoDataFrame
        The buurten (EPSG:4326) whose outlines are drawn; the map is centred on them.
    base : Basemap
        The base map under the outlines (``ui.basemap.chosen_tiles``).
    fill_opacity : float
        How much the buurten are filled (0: not at all).
    fit : bool
        Zoom to show all the buurten (else the caller sets the view).
    """
    minx, miny, maxx, maxy = areas.total_bounds
    fmap = folium.Map(tiles=None, location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13)
    fmap.options.update(max_zoom=19, min_zoom=7)
    fmap.default_js, fmap.default_css = vendor.links(vendor.MAP_FILES, vendor.APP_STATIC_BASE)
    if base.url:
        folium.TileLayer(base.url, attr=base.attribution, max_zoom=base.max_zoom).add_to(fmap)
    style = {"color": "#555", "weight": 1, "fillOpacity": fill_opacity}
    folium.GeoJson(
        areas[["code", "geometry"]].to_json(drop_id=True), style_function=lambda _f: style
    ).add_to(fmap)
    if fit:
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap
