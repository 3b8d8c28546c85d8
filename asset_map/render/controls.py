"""The controls every map shares: legend, colour scale, search, my location, tile notice, view.

Each element here writes one call of ``map_controls.js`` (served with Leaflet, never from a
CDN) into the page; the JavaScript does the work in the browser. Texts are escaped here, in
Python (:func:`asset_map.render.layers.esc`); the script only puts them into the page.

Where they sit: the search box, the zoom buttons and "my location" at the top left; the
layers button and the legend at the top right (a ``<details>`` box, closed on a phone, open
and compact on a wide map); the colour scale of a coloured map at the bottom right; notices
(tiles that do not load, a browser that keeps its location to itself) at the bottom left. The
first view (:class:`FitView`) leaves room for all of them, so no place starts under one.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import pandas as pd
from folium.template import Template
from markupsafe import Markup

from asset_map.i18n import t
from asset_map.model import Lang
from asset_map.render.layers import VerbatimMacroElement, compact_json, esc, figure_parent
from asset_map.render.styles import Classes

#: A map narrower than this (CSS pixels; a phone) starts with its legend closed.
NARROW_PX = 600

#: CSS of the controls; added once per map.
CONTROLS_CSS = """
.am-legend,.am-scale{background:rgba(255,255,255,.94);padding:3px 7px;border-radius:6px;
 box-shadow:0 0 4px rgba(0,0,0,.35);font:11px/1.3 sans-serif;max-width:205px}
.am-legend summary,.am-scale summary{cursor:pointer;font-size:12px;font-weight:bold;
 padding:2px 0;list-style-position:inside}
.am-legend-body{overflow:auto;padding-right:2px}
.am-legend h4,.am-scale h4{margin:4px 0 2px;font-size:11px}
.am-legend .am-sw,.am-scale .am-sw{display:inline-flex;align-items:center;
 justify-content:center;width:12px!important;height:12px!important;border-radius:50%;
 margin-right:5px;font-size:7px!important;vertical-align:middle}
.am-legend .am-sw-count{display:flex;align-items:center;justify-content:center;width:8px;
 height:8px;border-radius:50%;color:#fff;font:bold 6px/1 sans-serif}
.am-legend .am-box,.am-scale .am-box{display:inline-block;width:13px;height:10px;
 margin-right:5px;vertical-align:middle;border:1px solid #999}
.am-legend .am-line{display:inline-block;width:16px;margin-right:5px;vertical-align:middle}
.am-scale .am-hatch{background:repeating-linear-gradient(135deg,#1a1a1a 0 1.5px,
 rgba(255,255,255,.9) 1.5px 4px,transparent 4px 6px);border:1px solid #1a1a1a}
.am-search{background:#fff;width:240px;max-width:calc(100vw - 70px)}
.am-search form{margin:0}
.am-search-label{display:flex;align-items:center;gap:4px;padding:2px 6px}
.am-search input{border:0;outline:0;font:13px sans-serif;padding:5px 2px;width:100%;
 min-width:0;background:transparent}
.am-search:focus-within{box-shadow:0 0 0 2px #1f78b4}
.am-search.am-narrow{width:170px}
.am-search-results{list-style:none;margin:0;padding:0;max-height:260px;overflow:auto}
.am-search-results li{border-top:1px solid #eee}
.am-search-hit{display:block;width:100%;text-align:left;border:0;background:#fff;
 padding:4px 8px;cursor:pointer;font:12px/1.3 sans-serif}
.am-search-hit:hover,.am-search-hit:focus{background:#eef5fb}
.am-search-hit small{display:block;color:#555}
.am-search-none{padding:4px 8px;font:12px sans-serif;color:#555}
.am-locate a{display:flex!important;align-items:center;justify-content:center;color:#222}
.am-locate a.am-busy{color:#1f78b4;animation:am-pulse 1s infinite}
@keyframes am-pulse{50%{opacity:.4}}
.am-notice{background:#fff8e1;border:1px solid #d08c00;border-radius:6px;padding:4px 7px;
 font:12px/1.3 sans-serif;max-width:230px;box-shadow:0 0 4px rgba(0,0,0,.3)}
.am-notice-buttons{display:flex;gap:6px;margin-top:4px;flex-wrap:wrap}
.am-narrow-map .am-notice{max-width:calc(100vw - 200px);font-size:11px}
.am-narrow-map .am-scale{max-width:150px}
.am-notice button{font:12px sans-serif;padding:3px 8px;border:1px solid #888;
 border-radius:4px;background:#fff;cursor:pointer}
.am-notice button.am-primary{background:#1f4e9c;border-color:#1f4e9c;color:#fff}
.am-popup .am-act-head{font-weight:bold;margin-top:6px;border-top:1px solid #ddd;
 padding-top:4px}
.am-popup .am-when{vertical-align:top;white-space:nowrap}
.am-act-badge{display:none}
.am-act-on .am-has-act span{box-shadow:0 0 0 2px #fff,0 0 0 4px #d95f02}
.am-act-on .am-act-badge{display:flex;position:absolute;top:-8px;right:-9px;min-width:14px;
 height:14px;padding:0 2px;box-sizing:border-box;align-items:center;justify-content:center;
 border-radius:7px;background:#d95f02;color:#fff;border:1px solid #fff;
 font:bold 9px/1 sans-serif}
.am-act-on .am-act-dot{top:-2px;right:-2px;min-width:12px;height:12px;padding:0}
"""


class ControlStyle(VerbatimMacroElement):
    """Adds the controls' CSS (``CONTROLS_CSS``) inline to the page header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self, css: str = CONTROLS_CSS):
        super().__init__()
        self._name = "ControlStyle"
        self.css = css


class Panel(VerbatimMacroElement):
    """A legend or colour scale in a map corner: a ``<details>`` box, closed on a phone.

    Plain HTML, no branca colormap (which loads d3 from a CDN).

    Parameters
    ----------
    html_body : str
        Trusted HTML of the box: a ``<details>`` with a ``<summary>`` and a
        ``<div class="am-legend-body">`` (see :func:`panel_html`).
    position : str
        A Leaflet control position, e.g. ``"topright"``.
    css_class : str
        The box's CSS class (``am-legend`` or ``am-scale``).
    share : float
        The box's body is at most this share of the map's height (it scrolls).
    classes : Classes, optional
        The colour scale the box explains (kept for tests and callers: the one scale
        object of a choropleth).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.amControls.panel({{ this._parent.get_name() }},
            {{ this.html_body|tojson }}, {{ this.options_json() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html_body: str,
        *,
        position: str = "topright",
        css_class: str = "am-legend",
        share: float = 0.45,
        classes: Classes | None = None,
    ):
        super().__init__()
        self._name = "Panel"
        self.html_body = html_body
        self.position = position
        self.css_class = css_class
        self.share = share
        self.classes = classes

    def options_json(self) -> Markup:
        """Return the options of ``L.amControls.panel``."""
        return compact_json(
            {
                "position": self.position,
                "className": self.css_class,
                "narrow": NARROW_PX,
                "share": self.share,
            }
        )


def panel_html(title: str, body: Sequence[str]) -> str:
    """Return the HTML of a :class:`Panel`: ``title`` (escaped) over the trusted ``body``."""
    return (
        f"<details open><summary>{esc(title)}</summary>"
        f"<div class='am-legend-body'>{''.join(body)}</div></details>"
    )


class FitView(VerbatimMacroElement):
    """The first view: fit ``bounds`` with room for the controls (add it after them all).

    Parameters
    ----------
    bounds : list
        ``[[south, west], [north, east]]``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.amControls.fit({{ this._parent.get_name() }}, {{ this.bounds_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]]):
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(v) for v in corner] for corner in bounds]

    def bounds_json(self) -> Markup:
        """Return the bounds as JSON."""
        return compact_json(self.bounds)


class TileNotice(VerbatimMacroElement):
    """A notice on the map when its background tiles do not load, with "go on without".

    Parameters
    ----------
    tiles : folium.TileLayer
        The background; it must be added to the map before this element.
    lang : {"nl", "en"}
        Language of the notice.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.amControls.tiles({{ this._parent.get_name() }}, {{ this.tiles.get_name() }},
            {{ this.texts_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, tiles: folium.TileLayer, *, lang: Lang):
        super().__init__()
        self._name = "TileNotice"
        self.tiles = tiles
        self.lang = lang

    def texts_json(self) -> Markup:
        """Return the notice's texts, escaped, as JSON."""
        return compact_json(
            {key: esc(t(f"map.tiles.{key}", self.lang)) for key in ("failed", "none", "close")}
        )


class LocateControl(VerbatimMacroElement):
    """A "my location" button: the browser's geolocation, a plain message when it refuses."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.amControls.locate({{ this._parent.get_name() }},
            {{ this.texts_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: Lang):
        super().__init__()
        self._name = "LocateControl"
        self.lang = lang

    def texts_json(self) -> Markup:
        """Return the button's texts and messages, escaped, as JSON."""
        keys = ("button", "here", "denied", "failed", "unsupported", "close")
        return compact_json({key: esc(t(f"map.locate.{key}", self.lang)) for key in keys})


class SearchControl(VerbatimMacroElement):
    """A search box over the places of the page, its wijken and buurten and local postcodes.

    Parameters
    ----------
    points : VerbatimMacroElement or None
        The map's :class:`~asset_map.render.asset_points.AssetPoints` (names and
        addresses are searched there, in the browser); None when the map has no places.
    areas : list
        ``[name, kind, south, west, north, east]`` per wijk or buurt (texts escaped).
    postcodes : list
        ``[postcode, lat, lon]`` per postcode of the local table.
    lang : {"nl", "en"}
        Language of the box.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.amControls.search({{ this._parent.get_name() }},
            {{ this.points_name() }}, {{ this.entries_json() }}, {{ this.texts_json() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        points: VerbatimMacroElement | None,
        *,
        areas: list[list[object]],
        postcodes: list[list[object]],
        lang: Lang,
    ):
        super().__init__()
        self._name = "SearchControl"
        self.points = points
        self.areas = areas
        self.postcodes = postcodes
        self.lang = lang

    def points_name(self) -> str:
        """Return the JavaScript name of the places (``null`` when there are none)."""
        if self.points is None:
            return "null"
        figure_parent(self.points)  # it must be on the map, before this element
        return self.points.get_name()

    def entries_json(self) -> Markup:
        """Return the areas and postcodes to search, as JSON."""
        return compact_json({"areas": self.areas, "postcodes": self.postcodes})

    def texts_json(self) -> Markup:
        """Return the box's texts, escaped, as JSON."""
        keys = ("placeholder", "none", "postcode")
        return compact_json({key: esc(t(f"map.search.{key}", self.lang)) for key in keys})


def search_areas(areas: pd.DataFrame, *, lang: Lang) -> list[list[object]]:
    """Return the wijken and buurten of ``areas`` (EPSG:4326) as the search box takes them."""
    shown = areas[areas["level"].isin(["wijk", "buurt"]) & ~areas.geometry.is_empty]
    if shown.empty:
        return []
    bounds = shown.geometry.bounds.round(5)
    kinds = {level: esc(t(f"map.search.{level}", lang)) for level in ("wijk", "buurt")}
    return [
        [esc(name), kinds[level], s, w, n, e]
        for name, level, w, s, e, n in zip(
            shown["name"],
            shown["level"],
            bounds["minx"],
            bounds["miny"],
            bounds["maxx"],
            bounds["maxy"],
            strict=True,
        )
    ]


def search_postcodes(postcodes: pd.DataFrame | None) -> list[list[object]]:
    """Return the local postcode table (``postcode``, ``lon``, ``lat``) for the search box."""
    if postcodes is None or postcodes.empty:
        return []
    table = postcodes.dropna(subset=["postcode", "lon", "lat"])
    return [
        [esc(code), round(float(lat), 5), round(float(lon), 5)]
        for code, lon, lat in zip(table["postcode"], table["lon"], table["lat"], strict=True)
    ]


class HatchFill(VerbatimMacroElement):
    """Fill the areas of a GeoJSON layer with the hatch of "beyond walking distance".

    A hatch (dark lines on a light edge, see ``map_controls.js``) leaves the colours under it
    as they are, so it never mixes with a choropleth into colours no legend explains.

    Parameters
    ----------
    layer : folium.GeoJson
        The layer to fill; it must be added to the map before this element.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.layer.get_name() }}.setStyle({fillColor: L.amControls.hatch(
            {{ this._parent.get_name() }}), fillOpacity: 1, color: '#1a1a1a', weight: 1,
            opacity: 0.8});
        {% endmacro %}
        """
    )

    def __init__(self, layer: folium.GeoJson):
        super().__init__()
        self._name = "HatchFill"
        self.layer = layer
