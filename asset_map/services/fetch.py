"""Fetch a gemeente: its wijken and buurten from PDOK (CBS) and its places from OpenStreetMap.

The result is a :class:`~asset_map.services.sources.Loaded` to combine with the stored
workspace (:func:`asset_map.services.sources.combine`) and save; nothing is stored here.
The addresses of PDOK and Overpass come from :mod:`asset_map.settings` unless given.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map import settings
from asset_map.i18n import Msg
from asset_map.io.cbs import fetch_areas, gemeente_code
from asset_map.io.osm_download import fetch_gemeente_places
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS, FOOTPRINT
from asset_map.services.sources import Loaded, cbs_source, osm_source

Progress = Callable[[str], None]


def _gemeente_names(folder: Path) -> pd.Series:
    """Return the gemeente names in the downloaded GeoPackage (PDOK's ``gemeentenaam``)."""
    for gpkg in folder.glob("*.gpkg"):
        frame = gpd.read_file(gpkg, layer="wijken")
        if "gemeentenaam" in frame.columns:
            return frame["gemeentenaam"].dropna()
    return pd.Series(dtype="str")


def fetch_gemeente(
    gemeente: str,
    *,
    year: int = 2024,
    osm: bool = True,
    pdok_base: str | None = None,
    overpass_url: str | None = None,
    progress: Progress | None = None,
    pages: Callable[[int, int | None], None] | None = None,
) -> Loaded:
    """Download a gemeente's wijken and buurten (CBS, PDOK) and its assets (OpenStreetMap).

    ``progress`` is told each step; ``pages`` is called after each PDOK page with the areas
    received so far in that collection and how many there are (None when PDOK does not say).
    OpenStreetMap's boundary of the gemeente is looked up by ``ref:gemeentecode`` (padded or
    not), else by the gemeente's CBS name; when it has none, a note says so and only the
    wijken and buurten are loaded.

    Raises
    ------
    AssetMapError
        A subclass that names what failed (no internet, HTTP status, unknown gemeente), or
        a year out of range (``settings.MAP_YEAR``).
    """
    year = int(settings.MAP_YEAR.check(year))
    say = progress or (lambda _message: None)
    say(Msg("note.download.pdok"))
    with tempfile.TemporaryDirectory() as tmp:
        base = pdok_base or settings.pdok_url()
        areas = fetch_areas(gemeente, year=year, base=base, folder=Path(tmp), progress=pages)
        code = areas.frame.loc[areas.frame["level"] == "wijk", "parent_code"].dropna()
        gm = str(code.iloc[0]) if len(code) else gemeente_code(gemeente)
        names = _gemeente_names(Path(tmp))
    sources = [cbs_source(year)]
    assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
    notes = list(areas.notes)
    if osm:
        say(Msg("note.download.osm"))
        name = str(names.iloc[0]) if len(names) else None
        url = overpass_url or settings.overpass_url()
        found, osm_notes = fetch_gemeente_places(gm, name, url=url)
        notes += osm_notes
        if found is not None:
            assets = found.frame[ASSET_COLUMNS].copy()
            if "osm_polygon" in found.frame.columns:
                assets[FOOTPRINT] = found.frame["osm_polygon"]
            notes += found.notes
            sources.append(osm_source())
    meta = {
        "name": str(names.iloc[0]) if len(names) else gm,
        "gemeentecode": gm,
        "is_demo": False,
        "sources": sources,
    }
    return Loaded(areas.frame[AREA_COLUMNS], assets, meta, notes)
