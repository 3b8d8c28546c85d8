"""Bring real data into the workspace: a gemeente from PDOK and OpenStreetMap, or own files.

Everything is downloaded and read first; the workspace in the database is replaced only at the
end, in one transaction (:meth:`asset_map.storage.Store.save_workspace`). A download that
fails halfway therefore leaves the workspace as it was.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from asset_map.analysis.duplicates import find_duplicates, merge_duplicates
from asset_map.crs import to_storage_crs
from asset_map.io import ImportResult, read_assets
from asset_map.io._overpass import OVERPASS_URL, fetch_overpass, overpass_query
from asset_map.io._pdok import PDOK_BASE
from asset_map.io.cbs import fetch_areas, gemeente_code
from asset_map.io.osm import (
    OSM_ATTRIBUTION,
    parse_overpass_json,
    read_osm_pbf,
    read_overpass_turbo_geojson,
)
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS
from asset_map.storage.layers import FOOTPRINT

if TYPE_CHECKING:
    from asset_map.storage import Store

Progress = Callable[[str], None]


@dataclass
class Loaded:
    """Layers ready to be saved, with their sources and what happened on the way."""

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    meta: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)


def osm_kind(path: str | Path) -> str | None:
    """Return ``"pbf"``, ``"overpass"`` or ``"turbo"`` for an OpenStreetMap export, else None.

    ``.osm.pbf``/``.pbf`` files; JSON with an ``elements`` list (an Overpass API answer);
    GeoJSON whose features carry an ``@id`` like ``node/123`` (an overpass-turbo export).
    """
    path = Path(path)
    if path.name.endswith(".pbf"):
        return "pbf"
    if path.suffix.lower() not in {".json", ".geojson"}:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # the ordinary reader gives the precise error
    if isinstance(data, dict) and isinstance(data.get("elements"), list):
        return "overpass"
    features = data.get("features") if isinstance(data, dict) else None
    if isinstance(features, list) and features:
        props = features[0].get("properties") or {}
        if "@id" in props or str(features[0].get("id", "")).startswith(("node/", "way/")):
            return "turbo"
    return None


def read_any_assets(
    path: str | Path, *, mapping: Any = None, crs: str | None = None, source: str | None = None
) -> ImportResult:
    """Read assets from our formats, or from an OpenStreetMap export (detected by content)."""
    kind = osm_kind(path)
    if kind == "pbf":
        result = read_osm_pbf(path)
    elif kind == "overpass":
        result = parse_overpass_json(Path(path).read_bytes())
    elif kind == "turbo":
        result = read_overpass_turbo_geojson(path)
    else:
        return read_assets(path, mapping=mapping, crs=crs, source=source)
    frame = result.frame[ASSET_COLUMNS].copy()
    if "osm_polygon" in result.frame.columns:  # ways and relations: keep their outline
        frame[FOOTPRINT] = result.frame["osm_polygon"]
    return ImportResult(
        frame, [f"Read {Path(path).name} as OpenStreetMap data ({kind}).", *result.notes]
    )


def cbs_source(year: int) -> dict[str, Any]:
    """Return the source entry of the CBS wijk- en buurtkaart of ``year``."""
    return {
        "name": f"CBS/Kadaster wijk- en buurtkaart {year} (PDOK)",
        "licence": "CC BY 4.0",
        "year": year,
    }


def osm_source() -> dict[str, Any]:
    """Return the source entry of OpenStreetMap (ODbL: the attribution must be shown)."""
    return {"name": OSM_ATTRIBUTION, "licence": "ODbL 1.0", "year": date.today().year}


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
    pdok_base: str = PDOK_BASE,
    overpass_url: str = OVERPASS_URL,
    progress: Progress | None = None,
) -> Loaded:
    """Download a gemeente's wijken and buurten (CBS, PDOK) and its assets (OpenStreetMap).

    Raises
    ------
    AssetMapError
        A subclass that names what failed (no internet, HTTP status, unknown gemeente).
    """
    say = progress or (lambda _message: None)
    say("wijken en buurten (CBS/PDOK)")
    with tempfile.TemporaryDirectory() as tmp:
        areas = fetch_areas(gemeente, year=year, base=pdok_base, folder=Path(tmp))
        code = areas.frame.loc[areas.frame["level"] == "wijk", "parent_code"].dropna()
        gm = str(code.iloc[0]) if len(code) else gemeente_code(gemeente)
        names = _gemeente_names(Path(tmp))
    sources = [cbs_source(year)]
    assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
    notes = list(areas.notes)
    if osm:
        say("plekken (OpenStreetMap)")
        payload = fetch_overpass(overpass_query(gemeente_code=gm), url=overpass_url)
        found = parse_overpass_json(payload)
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


def combine(current: Loaded | None, new: Loaded, *, replace_assets: bool = False) -> Loaded:
    """Put ``new`` layers into the ``current`` workspace.

    New areas replace the current ones (when given); new assets are added to the current
    ones, and likely duplicates across sources (same type, within 30 m, similar names) are
    merged; ``decisions`` lists every pair found and what was done with it.
    """
    if current is None or current.meta.get("is_demo") or replace_assets:
        return new  # the made-up demo is never mixed with real data
    areas = new.areas if len(new.areas) else current.areas
    frames = [to_storage_crs(current.assets), to_storage_crs(new.assets)]
    outlines = pd.concat(
        [f.set_index("id")[FOOTPRINT] for f in frames if FOOTPRINT in f.columns]
        or [pd.Series(dtype="object")]
    )
    both = pd.concat([f[ASSET_COLUMNS] for f in frames], ignore_index=True)
    assets = gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")
    assets = assets.drop_duplicates(subset="id", keep="last").reset_index(drop=True)
    pairs = find_duplicates(assets)
    merged, _log = merge_duplicates(assets, pairs)
    outlines = outlines[~outlines.index.duplicated(keep="last")].dropna()
    if len(outlines):
        merged[FOOTPRINT] = merged["id"].map(outlines)
    known = {s["name"] for s in current.meta.get("sources", [])}
    sources = [
        *current.meta.get("sources", []),
        *[s for s in new.meta.get("sources", []) if s["name"] not in known],
    ]
    meta = {
        **current.meta,
        **{k: v for k, v in new.meta.items() if k != "sources"},
        "sources": sources,
    }
    notes = [
        *new.notes,
        f"{int((pairs['decision'] == 'merge').sum()) if len(pairs) else 0} likely "
        "duplicates merged across sources.",
    ]
    return Loaded(areas, merged, meta, notes, pairs)


def current(store: Store) -> Loaded | None:
    """Return the workspace in ``store`` as :class:`Loaded`, or None when there is none."""
    loaded = store.load_workspace()
    if loaded is None:
        return None
    areas, assets, meta = loaded
    return Loaded(areas, assets, meta)


def save(store: Store, loaded: Loaded, *, actor: str) -> None:
    """Save the layers as the workspace (all or nothing)."""
    store.save_workspace(loaded.areas, loaded.assets, meta=loaded.meta, actor=actor)
