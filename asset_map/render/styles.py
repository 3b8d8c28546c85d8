"""Colours and classes: base maps, boundaries, the choropleth of a key figure, coverage.

One colour language: the share of residents within walking distance has ONE scale,
:data:`COVERAGE_SCALE` (fixed classes, colour-blind safe, light for a small share and dark
for a large one), used by the Kaart's and the werkbank's choropleth, the Kansen map, the
wijk report and every exported map; the areas beyond walking distance are hatched
(:data:`BEYOND_HATCH`), never coloured, so the two never mix.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import Msg


@dataclass(frozen=True)
class Basemap:
    """A tile server (or none) with the attribution its licence asks for."""

    key: str
    url: str | None
    attribution: str
    max_zoom: int = 19


BASEMAPS: dict[str, Basemap] = {
    "osm": Basemap(
        "osm",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "pdok": Basemap(
        "pdok",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> '
        "(BRT-Achtergrondkaart, PDOK)",
    ),
    "none": Basemap("none", None, ""),
}
DEFAULT_BASEMAP = "osm"
#: The key of the own tile server of the settings (``ASSET_MAP_TILES_URL``).
OWN_BASEMAP = "eigen"
#: Every key a base map may have (the own one only works when it is set).
BASEMAP_KEYS = (OWN_BASEMAP, *BASEMAPS)


def own_basemap(env: settings.Environ | None = None) -> Basemap | None:
    """Return the own tile server of the settings as a base map, or None when none is set.

    Raises
    ------
    AssetMapError
        When the tile settings are wrong (see :func:`asset_map.settings.tile_server`).
    """
    server = settings.tile_server(env)
    if server is None:
        return None
    # Leaflet shows the attribution as HTML: the setting is plain text.
    return Basemap(OWN_BASEMAP, server.url, html.escape(server.attribution), server.max_zoom)


def basemaps(env: settings.Environ | None = None) -> dict[str, Basemap]:
    """Return the base maps to choose from: the own tile server first (when set), then the rest."""
    own = own_basemap(env)
    return {OWN_BASEMAP: own, **BASEMAPS} if own is not None else dict(BASEMAPS)


def default_basemap(env: settings.Environ | None = None) -> str:
    """Return the base map used when none is chosen: the own tile server when set, else OSM."""
    return OWN_BASEMAP if settings.tile_server(env) is not None else DEFAULT_BASEMAP


def resolve_basemap(key: str | None, env: settings.Environ | None = None) -> Basemap:
    """Return the base map ``key`` (None: :func:`default_basemap`).

    Raises
    ------
    AssetMapError
        For ``"eigen"`` when no own tile server is set, or a key that is no base map.
    """
    if key in BASEMAPS:  # the usual ones need no setting (a wrong tile setting stays apart)
        return BASEMAPS[key]
    choices = basemaps(env)
    key = default_basemap(env) if key is None else key
    if key == OWN_BASEMAP and key not in choices:
        raise AssetMapError(Msg("err.settings.no_own_tiles", env=settings.TILES_URL_ENV))
    if key not in choices:
        raise AssetMapError(Msg("err.map.unknown_basemap", basemap=key, known=", ".join(choices)))
    return choices[key]


WIJK_STYLE = {"color": "#222222", "weight": 3, "fill": False, "opacity": 0.9}
BUURT_STYLE = {"color": "#555555", "weight": 1, "dashArray": "4 3", "fillOpacity": 0.0}
NO_DATA_COLOR = "#d9d9d9"
#: ColorBrewer YlOrRd, 5 classes: light is low, dark is high (any key figure).
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: ColorBrewer YlGnBu, 5 classes (colour-blind safe): the share within walking distance,
#: light for a small share, dark for a large one. Its own hues, so it is never read as a
#: key figure's scale.
COVERAGE_COLORS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
#: Areas beyond walking distance: a hatch of dark lines on a light edge over what is under
#: it (the map's ``L.amControls.hatch``, the report's matplotlib hatch), never a colour.
BEYOND_HATCH = "////"
BEYOND_LINE_COLOR = "#1a1a1a"


@dataclass(frozen=True)
class Classes:
    """Class breaks of a choropleth: ``len(colors) == len(breaks) - 1``."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...]

    def color_of(self, value: float | None) -> str:
        """Return the colour of ``value``; missing values get ``NO_DATA_COLOR``."""
        if value is None or pd.isna(value):
            return NO_DATA_COLOR
        idx = int(np.searchsorted(self.breaks[1:-1], value, side="right"))
        return self.colors[idx]


#: THE scale of the share of residents within walking distance, in percent (0 to 100), in
#: fixed classes of 20 points: the same colours and direction on every map and in the report.
COVERAGE_SCALE = Classes(breaks=(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), colors=COVERAGE_COLORS)
#: The figures (columns, in percent) drawn on :data:`COVERAGE_SCALE`.
COVERAGE_FIGURES = frozenset({"coverage_pct"})


def classes_for(figure: str, values: pd.Series) -> Classes | None:
    """Return the classes of a choropleth of ``figure``.

    :data:`COVERAGE_SCALE` for the share within walking distance, else quantile classes of
    ``values`` (None when all are missing).
    """
    if figure in COVERAGE_FIGURES:
        return COVERAGE_SCALE
    return quantile_classes(values)


def quantile_classes(values: pd.Series, n: int = 5) -> Classes | None:
    """Return up to ``n`` quantile classes of the non-missing ``values``, or None if none.

    Equal quantile edges are merged, so a figure with few distinct values gets fewer
    classes instead of empty ones.
    """
    data = pd.to_numeric(values, errors="coerce").dropna()
    if data.empty:
        return None
    edges = np.unique(np.quantile(data.to_numpy(dtype=float), np.linspace(0, 1, n + 1)))
    if len(edges) == 1:
        edges = np.array([edges[0], edges[0]])
    k = len(edges) - 1
    step = (len(SEQUENTIAL) - 1) / max(k - 1, 1)
    colors = tuple(SEQUENTIAL[round(i * step)] for i in range(k))
    return Classes(breaks=tuple(float(e) for e in edges), colors=colors)


def format_number(value: float | None, unit: str = "", lang: str = "nl") -> str:
    """Format a key figure the Dutch way (``12.345``, ``23,5%``) or the English way."""
    if value is None or pd.isna(value):
        return "–"
    is_int = float(value).is_integer() and unit != "%"
    text = f"{value:,.0f}" if is_int else f"{value:,.1f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    sep = "" if unit == "%" else " "
    return f"{text}{sep}{unit}" if unit else text


def format_break(value: float, unit: str = "", lang: str = "nl") -> str:
    """Format a class break of a colour scale: whole percentages without decimals (``20%``)."""
    if unit == "%" and float(value).is_integer():
        return f"{int(value)}%"
    return format_number(value, unit, lang)
