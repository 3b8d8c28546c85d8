"""Assets from any file we read: our formats, or an OpenStreetMap export (told by content).

:func:`osm_kind` recognises an OpenStreetMap export (``.osm.pbf``, ``.osm``, an Overpass API
answer, an overpass-turbo GeoJSON export); :func:`read_any_assets` reads it with the parser
of :mod:`asset_map.io.osm`, and any other file with :func:`asset_map.io.read_assets`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from asset_map._errors import ImportFormatError
from asset_map.i18n import Msg
from asset_map.io.assets import read_assets
from asset_map.io.formats import STREAM_BYTES, ImportResult
from asset_map.io.limits import check_size
from asset_map.io.osm import parse_overpass_json, read_osm_pbf, read_overpass_turbo_geojson
from asset_map.model import ASSET_COLUMNS, FOOTPRINT


def osm_kind(path: str | Path) -> str | None:
    """Return ``"pbf"``, ``"overpass"`` or ``"turbo"`` for an OpenStreetMap export, else None.

    ``.osm.pbf``/``.pbf`` and ``.osm`` (XML) files; JSON with an ``elements`` list (an
    Overpass API answer); GeoJSON whose features carry an ``@id`` like ``node/123`` (an
    overpass-turbo export).
    """
    path = Path(path)
    if path.name.lower().endswith((".pbf", ".osm")):
        return "pbf"
    if path.suffix.lower() not in {".json", ".geojson"}:
        return None
    try:
        if path.stat().st_size > STREAM_BYTES:  # a large file is not parsed whole to tell
            return _kind_from_head(path)
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


#: How much of a large JSON file is read to tell an OpenStreetMap export from other GeoJSON.
HEAD_BYTES = 1 << 16
#: OpenStreetMap's JSON exports are parsed whole (about ten times their size in memory):
#: larger ones are refused with the advice to export ``.osm.pbf``.
OSM_JSON_BYTES = 100_000_000


def _kind_from_head(path: Path) -> str | None:
    """Tell an OpenStreetMap JSON export by its first bytes (see :func:`osm_kind`)."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if re.search(rb'^\s*\{[^\[]*"elements"\s*:\s*\[', head):
        return "overpass"
    first = re.search(rb'"features"\s*:\s*\[\s*\{', head)
    if first and re.search(
        rb'"(@id|id)"\s*:\s*"(node|way|relation)/\d+"', head[first.end() : first.end() + 4096]
    ):
        return "turbo"
    return None


def read_any_assets(
    path: str | Path,
    *,
    mapping: Any = None,
    crs: str | None = None,
    source: str | None = None,
    layer: str | None = None,
    type_key: str | None = None,
) -> ImportResult:
    """Read assets from our formats, or from an OpenStreetMap export (detected by content).

    ``layer`` and ``type_key`` are passed to :func:`asset_map.io.read_assets` (our formats
    only: OpenStreetMap exports carry their own types).
    """
    path = Path(path)
    if path.is_file():
        check_size(path)
    kind = osm_kind(path)
    if kind in ("overpass", "turbo") and path.stat().st_size > OSM_JSON_BYTES:
        raise ImportFormatError(
            Msg("err.limits.osm_json", path=path.name, limit=OSM_JSON_BYTES // 1_000_000)
        )
    if kind == "pbf":
        result = read_osm_pbf(path)
    elif kind == "overpass":
        result = parse_overpass_json(Path(path).read_bytes())
    elif kind == "turbo":
        result = read_overpass_turbo_geojson(path)
    else:
        return read_assets(
            path, mapping=mapping, crs=crs, source=source, layer=layer, type_key=type_key
        )
    frame = result.frame[ASSET_COLUMNS].copy()
    if "osm_polygon" in result.frame.columns:  # ways and relations: keep their outline
        frame[FOOTPRINT] = result.frame["osm_polygon"]
    label = "xml" if Path(path).name.lower().endswith(".osm") else kind
    note = Msg("note.sources.osm_read", file=Path(path).name, kind=label)
    return ImportResult(frame, [note, *result.notes])
