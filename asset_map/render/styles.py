"""Colours and classes: base maps, boundaries, and the choropleth of a key figure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


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

WIJK_STYLE = {"color": "#222222", "weight": 3, "fill": False, "opacity": 0.9}
BUURT_STYLE = {"color": "#555555", "weight": 1, "dashArray": "4 3", "fillOpacity": 0.0}
NO_DATA_COLOR = "#d9d9d9"
#: ColorBrewer YlOrRd, 5 classes: light is low, dark is high.
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


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
