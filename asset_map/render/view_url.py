"""The map's view in the page's web address: open at a shared view, and keep it up to date.

:class:`ViewInUrl` is added to a map after it is built. When a view is given (from a shared
link) the map opens there instead of fitting its contents; after every pan or zoom it
writes ``lat``, ``lon`` and ``zoom`` into the address of the page that holds it (the app's
page around ``st_folium``'s frame), without reloading anything. So the address is always a
link to what is on the screen. In a standalone HTML file (no page around it) it writes into
its own address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from folium.template import Template

#: Query parameters of the view; a screen's own filters use other names.
VIEW_PARAMS = ("lat", "lon", "zoom")
#: Query parameter of the layers switched off in the map's layer control (repeated): a
#: place type's key, or :data:`ACTIVITIES_LAYER` for the rings of the weekly activities.
LAYERS_OFF_PARAM = "uit"
ACTIVITIES_LAYER = "activiteiten"

#: The page whose address holds the view: the app's page around the map's frame when it is
#: of the same site, else the map's own page (a standalone HTML file).
_PAGE_JS = """
            function page() {
                try {
                    var up = window.parent;
                    if (up && up !== window && up.location.origin === window.location.origin) {
                        return up;
                    }
                } catch (e) { /* another site's page: keep to our own frame */ }
                return window;
            }
            function setAddress(change) {
                var target = page();
                var url = new URL(target.location.href);
                change(url.searchParams);
                try { target.history.replaceState(target.history.state, '', url.toString()); }
                catch (e) { /* a page that may not change its address (file://) */ }
            }
"""
#: Decimals written for lat/lon (about a metre) and zoom.
LATLON_DECIMALS, ZOOM_DECIMALS = 5, 2
#: Views outside this box or zoom range are no view of a Dutch map: ignored.
LAT_RANGE, LON_RANGE, ZOOM_RANGE = (50.5, 53.7), (3.2, 7.3), (5.0, 22.0)


@dataclass(frozen=True)
class MapView:
    """A centre and zoom level, as a shared link gives them."""

    lat: float
    lon: float
    zoom: float

    @classmethod
    def from_params(cls, params: dict[str, list[str]]) -> MapView | None:
        """Return the view of ``lat``, ``lon`` and ``zoom`` query parameters, or None.

        None when one is missing, no number, or outside the Netherlands or the zoom range
        (a hand-edited link must not open the map over the sea).
        """
        try:
            lat, lon, zoom = (float(params[name][-1]) for name in VIEW_PARAMS)
        except (KeyError, IndexError, ValueError):
            return None
        inside = (
            LAT_RANGE[0] <= lat <= LAT_RANGE[1]
            and LON_RANGE[0] <= lon <= LON_RANGE[1]
            and ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]
        )
        return cls(lat, lon, zoom) if inside else None

    def to_params(self) -> dict[str, str]:
        """Return the view as query parameters (rounded)."""
        return {
            "lat": f"{self.lat:.{LATLON_DECIMALS}f}",
            "lon": f"{self.lon:.{LATLON_DECIMALS}f}",
            "zoom": f"{round(self.zoom, ZOOM_DECIMALS):g}",
        }


class ViewInUrl(MacroElement):
    """Open the map at ``view`` (if given) and keep its centre and zoom in the page address.

    Add it after everything else (after a fit to the bounds), so its view wins.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var start = {{ this.start_json }};
            if (start) {
                map._amKeepView = true;  // the fit that waits for the CSS leaves it be
                map.setView([start[0], start[1]], start[2], {animate: false});
            }
            {{ this.page_js }}
            function write() {
                var c = map.getCenter();
                setAddress(function (params) {
                    params.set('lat', c.lat.toFixed({{ this.latlon_decimals }}));
                    params.set('lon', c.lng.toFixed({{ this.latlon_decimals }}));
                    params.set('zoom', String(Math.round(map.getZoom() * 100) / 100));
                });
            }
            map.on('moveend', write);
            map.whenReady(function () { setTimeout(write, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, view: MapView | None = None):
        super().__init__()
        self._name = "ViewInUrl"
        self.start_json = json.dumps(None if view is None else [view.lat, view.lon, view.zoom])
        self.latlon_decimals = LATLON_DECIMALS
        self.page_js = _PAGE_JS


def add_view_in_url(fmap: folium.Map, view: MapView | None = None) -> folium.Map:
    """Add :class:`ViewInUrl` to ``fmap`` (last, so a shared view wins over the fit)."""
    ViewInUrl(view).add_to(fmap)
    return fmap


class LayersInUrl(MacroElement):
    """Keep the layers switched off in the map's layer control in the page address.

    After every switch in the layer control (and when the map is ready) the address gets
    one ``uit`` per place type switched off (its key), and ``uit=activiteiten`` when the
    rings of the weekly activities are off; none when everything is on. The map opens with
    those layers off when :func:`asset_map.render.map.build_map` is given them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var points = {{ this.points_name }};
            {{ this.page_js }}
            function off() {
                var keys = [], k;
                for (k = 0; k < points.types.length; k++) {
                    if (!points._wanted[k]) { keys.push(points.types[k].key); }
                }
                if (points._hasAct && !points._actOn) { keys.push({{ this.activities_json }}); }
                return keys;
            }
            function write() {
                var keys = off();
                setAddress(function (params) {
                    params.delete({{ this.param_json }});
                    keys.forEach(function (key) { params.append({{ this.param_json }}, key); });
                });
            }
            map.on('overlayadd overlayremove', function () { setTimeout(write, 0); });
            map.whenReady(function () { setTimeout(write, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points_name: str):
        super().__init__()
        self._name = "LayersInUrl"
        self.points_name = points_name
        self.page_js = _PAGE_JS
        self.param_json = json.dumps(LAYERS_OFF_PARAM)
        self.activities_json = json.dumps(ACTIVITIES_LAYER)


def add_layers_in_url(fmap: folium.Map) -> folium.Map:
    """Add :class:`LayersInUrl` to ``fmap`` when it has places (else there is nothing to keep)."""
    from asset_map.render.asset_points import AssetPoints

    points = [c for c in fmap._children.values() if isinstance(c, AssetPoints)]
    if points:
        LayersInUrl(points[0].get_name()).add_to(fmap)
    return fmap
