"""A folium map in two parts, for a map that stays in the page while what it shows changes.

A filter on the Kaart changes what the map shows, not the map. :func:`map_parts` renders a
folium map once and splits the page into

- the **frame**: the map itself (as the variable ``map_div``, at a view that does not depend
  on the selection), its base layer and the notice when its tiles do not load, zoom and
  scale, ``L.amContents`` (``static/map_contents.js``), the head (CSS) and the script and
  style files every contents may need. It changes only with the base map;
- the **contents**: everything else, in the order folium wrote it (areas, places, talents,
  activities, legend, layer control, attribution, the view of the selection), as one
  script that hands it to ``L.amContents``, which first takes off what the previous
  contents added.

The app shows the frame once and sends new contents on every change (``streamlit_folium``
runs them in the map that is there: its ``feature_group`` argument), so a filter does not
build a new map in the browser. Both parts are plain text: rendered once per selection,
they can be cached and handed to every visitor. Nothing here imports streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
from branca.element import Element, Figure

from asset_map.render import vendor
from asset_map.render.controls import TileNotice
from asset_map.render.layers import compact_json

#: The name the frame gives the map: ``streamlit_folium``'s page puts it in ``<div id=map_div>``.
MAP_NAME = "map_div"
#: The files every frame loads: Leaflet, clustering and our places (``L.amContents`` is
#: written into the frame itself: one request less before the map shows).
FRAME_FILES = (*vendor.MAP_FILES, *vendor.CLUSTER_FILES, vendor.ASSET_POINTS_JS)

_SCRIPT_SRC = re.compile(
    r"<script\b[^>]*\bsrc=[\"'][^\"']*[\"'][^>]*>.*?</script\b[^>]*>", re.S | re.I
)
_STYLESHEET = re.compile(r"<link\b[^>]*rel=[\"']stylesheet[\"'][^>]*/?>", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_MAP_DIV = re.compile(r'<div class="folium-map" id="[^"]*"\s*>\s*</div>')


@dataclass(frozen=True)
class MapParts:
    """A rendered map, split into a frame that stays and contents that are replaced.

    Attributes
    ----------
    frame : str
        Script that makes the map as ``map_div`` with its base layers, zoom and scale.
    header : str
        The frame's head: meta tags and the map's CSS (no links to files).
    html : str
        HTML the page needs besides the map's ``<div>`` (usually none).
    js_links, css_links : tuple of str
        The script and style files, in the order a page loads them.
    contents : str
        Script that puts everything else on ``map_div`` through ``L.amContents``.
    """

    frame: str
    header: str
    html: str
    js_links: tuple[str, ...]
    css_links: tuple[str, ...]
    contents: str

    @property
    def frame_key(self) -> str:
        """Return a digest of the frame: it changes only when the frame does (the base map)."""
        text = "\n".join((self.frame, self.header, self.html, *self.js_links, *self.css_links))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def map_parts(fmap: folium.Map, *, center: Sequence[float], vendor_base: str) -> MapParts:
    """Render ``fmap`` and split it into its frame and its contents.

    Parameters
    ----------
    fmap : folium.Map
        A map as :func:`asset_map.render.map.build_map` makes it. It is rendered here (and
        its starting view set to ``center``), so use it for nothing else afterwards.
    center : sequence of float
        ``[lat, lon]`` where the frame starts, before the contents set their own view: the
        same for every selection (e.g. the middle of the gemeente), so the frame stays.
    vendor_base : str
        Base URL of the local script files (``vendor.APP_STATIC_BASE`` in the app).

    Returns
    -------
    MapParts
    """
    fmap.location = [float(center[0]), float(center[1])]
    figure = fmap.get_root()
    if not isinstance(figure, Figure):
        raise ValueError("The map must be rendered in a page (a branca Figure) to be split.")
    figure.render()
    name = fmap.get_name()
    tiles = [child for child in fmap._children.values() if isinstance(child, folium.TileLayer)]
    # The tiles' notice watches the frame's tiles: in the frame, so it watches them once.
    notices = [child for child in fmap._children.values() if isinstance(child, TileNotice)]
    frame_names = {name, *(n for part in (*tiles, *notices) for n in _names(part))}

    scripts = figure.script._children
    frame = "".join(scripts[n].render() for n in scripts if n in frame_names)
    inside = "".join(scripts[n].render() for n in scripts if n not in frame_names)
    # Names that stay the same in every build: the frame must not change with the selection.
    for i, tile in enumerate(tiles):
        frame = frame.replace(tile.get_name(), f"{MAP_NAME}_tiles_{i}")
        inside = inside.replace(tile.get_name(), f"{MAP_NAME}_tiles_{i}")

    header_parts = figure.header._children
    own_head = "".join(
        _without_links(header_parts[n].render())
        for n in header_parts
        if n == name or not _STYLE.search(header_parts[n].render())
    )
    styles = [
        style
        for n in header_parts
        if n != name
        for style in _STYLE.findall(header_parts[n].render())
    ]
    html = _MAP_DIV.sub("", figure.html.render()).strip()
    js_links, css_links = _links(fmap, vendor_base)
    contents = (
        f"L.amContents({MAP_NAME}, {compact_json(styles)}, function ({name}) {{\n{inside}\n}});\n"
    )
    return MapParts(
        frame=_contents_helper() + frame.replace(name, MAP_NAME) + "\nvar drawnItems = [];\n",
        header=own_head.replace(name, MAP_NAME),
        html=html.replace(name, MAP_NAME),
        js_links=js_links,
        css_links=css_links,
        contents=contents,
    )


@functools.cache
def _contents_helper() -> str:
    """Return ``map_contents.js`` (``L.amContents``), to run before the frame's own script."""
    return vendor.MAP_CONTENTS_JS.path.read_text("utf-8") + "\n"


def _names(element: Element) -> Iterator[str]:
    """Yield the names of ``element`` and of its children (e.g. what adds it to the map)."""
    yield element.get_name()
    for child in element._children.values():
        yield from _names(child)


def _without_links(text: str) -> str:
    """Return head HTML without ``<script src>`` and stylesheet links (the page adds those)."""
    return _STYLESHEET.sub("", _SCRIPT_SRC.sub("", text))


def _links(fmap: folium.Map, base: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the script and style URLs: the frame's files, then any others the map names."""
    js, css = vendor.links(FRAME_FILES, base)
    js_urls = [url for _, url in js]
    css_urls = [url for _, url in css]
    for element in _walk(fmap):
        js_urls += [url for _, url in getattr(element, "default_js", [])]
        css_urls += [url for _, url in getattr(element, "default_css", [])]
    return tuple(dict.fromkeys(js_urls)), tuple(dict.fromkeys(css_urls))


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def middle(areas: gpd.GeoDataFrame) -> list[float]:
    """Return ``[lat, lon]`` of the middle of ``areas`` (EPSG:4326): where a frame starts.

    The middle of the Netherlands when there are no areas.
    """
    if areas.empty:
        return [52.1, 5.3]
    w, s, e, n = areas.total_bounds
    if not np.isfinite([w, s, e, n]).all():
        return [52.1, 5.3]
    return [float((s + n) / 2), float((w + e) / 2)]
