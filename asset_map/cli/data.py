"""``asset-map fetch`` and ``asset-map import``: real data into the workspace."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from asset_map._errors import AssetMapError
from asset_map.analysis.summary import count_by_type
from asset_map.cli._common import (
    add_db_args,
    mapping_arg,
    open_store,
)
from asset_map.io import join_figures, read_areas

if TYPE_CHECKING:
    pass


def register(commands: Any) -> None:
    """Add the fetch and import command(s) to the ``asset-map`` parser."""
    f = commands.add_parser(
        "fetch",
        help="download a gemeente's wijken, buurten and key figures (CBS/PDOK) and its "
        "assets (OpenStreetMap) into the workspace (needs internet)",
    )
    f.add_argument("--gemeente", required=True, help="name (Deventer) or CBS code (GM0150)")
    f.add_argument("--year", type=int, default=2024, help="year of the wijk- en buurtkaart")
    f.add_argument("--no-osm", action="store_true", help="areas only, no OpenStreetMap assets")
    f.add_argument("--pdok-url", default=None, help="another PDOK base URL (a mirror)")
    f.add_argument("--overpass-url", default=None, help="another Overpass API URL")
    f.add_argument("--json", action="store_true", help="print a JSON summary")
    add_db_args(f)
    f.set_defaults(func=_cmd_fetch)

    im = commands.add_parser(
        "import",
        help="import own files into the workspace: areas replace the current ones, assets are "
        "added (likely duplicates across sources merged)",
    )
    im.add_argument("--areas", type=Path, help="wijken/buurten: GeoJSON, GeoPackage, zip")
    im.add_argument("--assets", type=Path, help="assets: GeoJSON, GeoPackage, zip, CSV")
    im.add_argument("--figures", type=Path, help="CSV of key figures to join onto the areas")
    im.add_argument("--mapping", type=Path, help="TOML mapping file or preset name")
    im.add_argument("--crs", help="CRS of the assets file when it has none")
    im.add_argument("--areas-crs", help="CRS of the areas file when it has none")
    im.add_argument("--source", help="name of this source (licence and year: --licence, --year)")
    im.add_argument("--licence", default="", help="licence of this source")
    im.add_argument("--year", type=int, default=None, help="year of this source")
    im.add_argument(
        "--replace-assets",
        action="store_true",
        help="replace the current assets instead of adding to them",
    )
    im.add_argument("--json", action="store_true", help="print a JSON summary")
    add_db_args(im)
    im.set_defaults(func=_cmd_import)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from asset_map import sources

    options: dict[str, str] = {}
    if args.pdok_url:
        options["pdok_base"] = args.pdok_url
    if args.overpass_url:
        options["overpass_url"] = args.overpass_url
    loaded = sources.fetch_gemeente(
        args.gemeente,
        year=args.year,
        osm=not args.no_osm,
        progress=lambda what: print(f"downloading {what} ...", file=sys.stderr),
        **options,
    )
    store = open_store(args)
    try:
        sources.save(store, loaded, actor="asset-map fetch")
    finally:
        store.close()
    _summary(args, loaded)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from asset_map import sources
    from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS

    if not args.areas and not args.assets:
        raise AssetMapError("import: give --areas FILE, --assets FILE, or both.")
    mapping = mapping_arg(args.mapping)
    store = open_store(args)
    try:
        now = sources.current(store)
        empty_or_demo = now is None or bool(now.meta.get("is_demo"))
        if empty_or_demo and not args.areas:
            raise AssetMapError(
                "import: the workspace holds no real areas yet (it is empty or the demo). "
                "Give --areas FILE too, or run 'asset-map fetch --gemeente NAME' first."
            )
        areas = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:4326")
        notes: list[str] = []
        if args.areas:
            read = read_areas(args.areas, mapping=mapping, crs=args.areas_crs)
            areas, notes = read.frame, list(read.notes)
            if args.figures:
                joined = join_figures(areas, args.figures)
                areas, notes = joined.frame, [*notes, *joined.notes]
        assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
        if args.assets:
            read_a = sources.read_any_assets(
                args.assets, mapping=mapping, crs=args.crs, source=args.source
            )
            assets, notes = read_a.frame, [*notes, *read_a.notes]
        name = args.source or ", ".join(p.name for p in (args.areas, args.assets) if p)
        source = {"name": name, "licence": args.licence, "year": args.year}
        if args.assets and sources.osm_kind(args.assets):
            source = sources.osm_source()
        new = sources.Loaded(areas, assets, {"is_demo": False, "sources": [source]}, notes)
        if empty_or_demo:
            new.meta["name"] = name
        loaded = sources.combine(
            None if empty_or_demo else now, new, replace_assets=args.replace_assets
        )
        sources.save(store, loaded, actor="asset-map import")
    finally:
        store.close()
    _summary(args, loaded)
    return 0


def _summary(args: argparse.Namespace, loaded: Any) -> None:
    counts = count_by_type(loaded.assets) if len(loaded.assets) else {}
    summary = {
        "name": loaded.meta.get("name"),
        "areas": {lvl: int((loaded.areas["level"] == lvl).sum()) for lvl in ("wijk", "buurt")},
        "assets_total": len(loaded.assets),
        "counts": counts,
        "merged_duplicates": int((loaded.decisions["decision"] == "merge").sum())
        if len(loaded.decisions)
        else 0,
        "sources": loaded.meta.get("sources", []),
        "notes": loaded.notes,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"{summary['name']}: {summary['areas']['wijk']} wijken, "
            f"{summary['areas']['buurt']} buurten, {summary['assets_total']} assets"
        )
        for note in loaded.notes:
            print(f"note: {note}", file=sys.stderr)
