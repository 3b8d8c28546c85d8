"""What the ``asset-map`` commands share: input options, reading, the database, safe writes."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd

from asset_map.i18n import DEFAULT_LANG
from asset_map.io import join_figures, read_areas
from asset_map.model import LANGS
from asset_map.render.styles import BASEMAPS, DEFAULT_BASEMAP

if TYPE_CHECKING:
    from asset_map.storage import Store

EXIT_BAD_INPUT = 2


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--areas",
        required=True,
        type=Path,
        help="wijken/buurten: GeoJSON, GeoPackage, zipped Shapefile",
    )
    p.add_argument(
        "--assets",
        required=True,
        type=Path,
        help="assets: GeoJSON, GeoPackage, zipped Shapefile, or CSV with lat/lon or x/y",
    )
    p.add_argument("--figures", type=Path, help="CSV of key figures to join onto the areas by code")
    p.add_argument(
        "--mapping",
        type=Path,
        help="TOML mapping file for foreign columns and types, or a preset name",
    )
    p.add_argument("--crs", help="CRS of the assets file when it has none, e.g. EPSG:28992")
    p.add_argument("--areas-crs", help="CRS of the areas file when it has none")
    p.add_argument(
        "--lang", choices=list(LANGS), default=DEFAULT_LANG, help="language (default nl)"
    )
    p.add_argument(
        "--basemap",
        choices=list(BASEMAPS),
        default=DEFAULT_BASEMAP,
        help="background tiles of a written map; 'none' is fully offline",
    )


def read_inputs(args: argparse.Namespace) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, list[str]]:
    """Read areas (with figures joined) and assets as the options say; return them and notes."""
    mapping = mapping_arg(args.mapping)
    areas = read_areas(args.areas, mapping=mapping, crs=args.areas_crs)
    notes = list(areas.notes)
    area_frame = areas.frame
    if args.figures:
        joined = join_figures(area_frame, args.figures)
        area_frame, notes = joined.frame, [*notes, *joined.notes]
    from asset_map.sources import read_any_assets  # our formats and OpenStreetMap exports

    assets = read_any_assets(args.assets, mapping=mapping, crs=args.crs)
    return area_frame, assets.frame, [*notes, *assets.notes]


def mapping_arg(value: Path | None) -> str | Path | None:
    """Return a path to an existing file, or a preset name (e.g. ``deventer_wijkteams``)."""
    if value is None:
        return None
    return value if value.exists() or value.suffix else str(value)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def add_db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database",
        help="database URL (default: $ASSET_MAP_DATABASE_URL, or "
        "SQLite in ./instance/asset_map.sqlite)",
    )
    p.add_argument(
        "--instance-dir",
        type=Path,
        default=Path("instance"),
        help="folder of the default SQLite database (default ./instance)",
    )


def open_store(args: argparse.Namespace) -> Store:
    from asset_map.storage import Store

    return Store(args.database, instance_dir=args.instance_dir)
