"""Writing the demo's files byte for byte the same on every run (used by ``asset_map.demo``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping


def _rounded(coords: Any) -> Any:
    return round(coords, 6) if isinstance(coords, float) else [_rounded(c) for c in coords]


def write_geojson(path: Path, rows: list[dict], columns: list[str]) -> None:
    """Write a GeoJSON FeatureCollection in WGS84, one feature a line, counter-clockwise shells."""
    lines = []
    for row in rows:
        geom = shapely.orient_polygons(shapely.normalize(row["geometry"]))
        geometry = {"type": geom.geom_type, "coordinates": _rounded(mapping(geom)["coordinates"])}
        properties = {c: row[c] for c in columns if c != "geometry"}
        feature = {"type": "Feature", "properties": properties, "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False))
    head = json.dumps({"type": "FeatureCollection", "name": path.stem})[:-1]
    path.write_text(f'{head}, "features": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    """Write ``rows`` as UTF-8 CSV with Unix line ends, in the order of ``columns``."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
