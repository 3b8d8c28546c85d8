"""The asset layers of a map: all places in one clustering, a switch per type.

One :class:`AssetPoints` element writes every place once into the page (see
:mod:`asset_map.render.asset_rows` for the arrays), and ``asset_points.js`` (served with
Leaflet, never from a CDN) turns them into markers in ONE ``L.markerClusterGroup``. Each type
present gets an :class:`AssetTypeLayer`, its line in the layer control: switching it off
takes that type's markers out of the shared clustering, so a cluster counts only what is
shown. Without clustering (the gap map) every place is drawn; from ``CANVAS_FROM`` places on,
as circles on a canvas instead of HTML icons (the whole map then draws on a canvas).

Weekly activities travel with their places (a place's popup lists them); an
:class:`ActivityMarks` line in the layer control rings the places that have them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import folium
import geopandas as gpd
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

from asset_map.i18n import t
from asset_map.model import AssetType, Lang
from asset_map.render import vendor
from asset_map.render.activities import ACTIVITY_COLOR
from asset_map.render.asset_rows import asset_data, swatch
from asset_map.render.layers import VerbatimMacroElement, compact_json, esc

#: Without clustering, from this many places on the map draws circles on a canvas: a
#: thousand HTML icons make panning slow.
CANVAS_FROM = 1000


class AssetPoints(JSCSSMixin, VerbatimMacroElement):
    """Every place of a map, once, for ``asset_points.js``.

    Parameters
    ----------
    data : dict
        The page data from :func:`asset_map.render.asset_rows.asset_data`.
    cluster : bool
        Cluster the places (Leaflet.markercluster, one group for all types).
    canvas : bool
        Without clustering: draw circles on a canvas instead of HTML icons.
    vendor_base : str
        Base URL of the local script files (see :mod:`asset_map.render.vendor`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.assetPoints({{ this._parent.get_name() }},
            {{ this.data_json() }}, {{ this.options_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, object], *, cluster: bool, canvas: bool, vendor_base: str):
        super().__init__()
        self._name = "AssetPoints"
        self.data = data
        self.cluster = cluster
        self.canvas = canvas and not cluster
        files = (
            (*vendor.CLUSTER_FILES, vendor.ASSET_POINTS_JS)
            if cluster
            else (vendor.ASSET_POINTS_JS,)
        )
        self.default_js, self.default_css = vendor.links(files, vendor_base)

    def data_json(self) -> Markup:
        """Return the data as compact JSON that is safe inside a ``<script>``."""
        return compact_json(self.data)

    def options_json(self) -> Markup:
        """Return the drawing options as JSON."""
        return compact_json(
            {"cluster": self.cluster, "canvas": self.canvas, "actColor": ACTIVITY_COLOR}
        )


class AssetTypeLayer(VerbatimMacroElement, Layer):
    """The places of one type: a line in the layer control, drawn by :class:`AssetPoints`.

    Parameters
    ----------
    points : AssetPoints
        The map's places; it must be added to the map before this layer.
    index : int
        The type's index in ``points.data["types"]``.
    name : str
        The name in the layer control (trusted HTML: a swatch, the escaped label, a count).
    show : bool
        Whether the type is shown when the map opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.points.get_name() }}.typeLayer({{ this.index }});
        {% endmacro %}
        """
    )

    def __init__(self, points: AssetPoints, index: int, *, name: str, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AssetTypeLayer"
        self.points = points
        self.index = index


class ActivityMarks(VerbatimMacroElement, Layer):
    """The weekly activities' line in the layer control: rings the places that have them.

    Parameters
    ----------
    points : AssetPoints
        The map's places; it must be added to the map before this layer.
    name : str
        The name in the layer control (trusted HTML).
    show : bool
        Whether the places are ringed when the map opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.points.get_name() }}.activityLayer();
        {% endmacro %}
        """
    )

    def __init__(self, points: AssetPoints, *, name: str, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ActivityMarks"
        self.points = points


@dataclass(frozen=True)
class AssetLayers:
    """What :func:`add_asset_layers` put on a map.

    Attributes
    ----------
    present : list of (AssetType, int)
        The types on the map, in the catalogue's order, with their number of places.
    points : AssetPoints or None
        The element holding the places (None when there are none).
    n_activities : int
        The weekly activities at the places on the map.
    """

    present: list[tuple[AssetType, int]]
    points: AssetPoints | None
    n_activities: int


def activity_swatch() -> str:
    """Return the HTML of the ring that marks a place with weekly activities."""
    return (
        f'<span class="am-sw am-act-sw" style="box-shadow:0 0 0 2px #fff,0 0 0 4px '
        f'{ACTIVITY_COLOR}"></span>'
    )


def add_asset_layers(
    fmap: folium.Map,
    assets: gpd.GeoDataFrame,
    *,
    lang: Lang,
    cluster: bool,
    vendor_base: str,
    activities: Mapping[str, tuple[int, str]] | None = None,
) -> AssetLayers:
    """Add the places of ``assets`` (EPSG:4326) to ``fmap``: one clustering, a layer per type.

    ``activities`` (place id -> number and popup HTML, see
    :func:`asset_map.render.activities.weekly_activities`) go into the places' popups, and a
    layer "Wekelijkse activiteiten" rings the places that have them.
    """
    data, present = asset_data(assets, lang=lang, activities=activities)
    if not present:
        return AssetLayers(present, None, 0)
    total = sum(n for _, n in present)
    points = AssetPoints(
        data, cluster=cluster, canvas=total >= CANVAS_FROM, vendor_base=vendor_base
    )
    if points.canvas:
        # One canvas for the places and the areas: Leaflet puts an SVG above every canvas,
        # so buurten drawn in SVG would catch the clicks meant for the places.
        fmap.options["prefer_canvas"] = True
    points.add_to(fmap)
    for index, (kind, n) in enumerate(present):
        AssetTypeLayer(points, index, name=f"{swatch(kind)} {esc(kind.label(lang))} ({n})").add_to(
            fmap
        )
    act = data["act"]
    n_activities = sum(int(v[0]) for v in act.values()) if isinstance(act, dict) else 0
    if n_activities:
        label = t("layer.weekly", lang, n=n_activities)
        ActivityMarks(points, name=f"{activity_swatch()} {esc(label)}").add_to(fmap)
    return AssetLayers(present, points, n_activities)
