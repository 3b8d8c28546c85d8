"""The ``asset-map`` command.

``asset-map map --areas FILE --assets FILE --out map.html`` writes a standalone HTML map (the
same map the app draws, with Leaflet inlined: it opens offline) and prints the number of
assets per type. Bad input ends with a message on stderr that says what and where, and exit
code 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from asset_map import __version__
from asset_map._errors import AssetMapError
from asset_map.analysis.areas import assign_areas
from asset_map.analysis.summary import count_by_type
from asset_map.i18n import DEFAULT_LANG, t
from asset_map.io import join_figures, read_areas, read_assets, read_talents
from asset_map.model import KEY_FIGURES, LANGS, catalogue
from asset_map.render.map import build_map, map_html
from asset_map.render.styles import BASEMAPS, DEFAULT_BASEMAP

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asset-map",
        description="Asset maps for Asset Based Community Development in Dutch neighbourhoods.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    m = commands.add_parser(
        "map",
        help="write a standalone HTML map and print the number of assets per type",
        description="Write a standalone HTML map (Leaflet inlined, works offline) of areas "
        "and assets, and print the number of assets per type.",
    )
    m.add_argument(
        "--areas",
        required=True,
        type=Path,
        help="wijken/buurten: GeoJSON, GeoPackage, zipped Shapefile",
    )
    m.add_argument(
        "--assets",
        required=True,
        type=Path,
        help="assets: GeoJSON, GeoPackage, zipped Shapefile, or CSV with lat/lon or x/y",
    )
    m.add_argument("--figures", type=Path, help="CSV of key figures to join onto the areas by code")
    m.add_argument("--talents", type=Path, help="CSV of residents' talents (shown per buurt)")
    m.add_argument(
        "--mapping",
        type=Path,
        help="TOML mapping file for foreign columns and types, or a preset name",
    )
    m.add_argument("--crs", help="CRS of the assets file when it has none, e.g. EPSG:28992")
    m.add_argument("--areas-crs", help="CRS of the areas file when it has none")
    m.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    m.add_argument(
        "--basemap",
        choices=list(BASEMAPS),
        default=DEFAULT_BASEMAP,
        help="background tiles; 'none' makes the map fully offline (default: osm)",
    )
    m.add_argument(
        "--choropleth", choices=list(KEY_FIGURES), help="colour the buurten by this key figure"
    )
    m.add_argument(
        "--lang", choices=list(LANGS), default=DEFAULT_LANG, help="language (default nl)"
    )
    m.add_argument("--no-cluster", action="store_true", help="draw every marker, no clustering")
    m.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    m.set_defaults(func=_cmd_map)
    return parser


def _cmd_map(args: argparse.Namespace) -> int:
    mapping = _mapping_arg(args.mapping)
    areas = read_areas(args.areas, mapping=mapping, crs=args.areas_crs)
    notes = list(areas.notes)
    area_frame = areas.frame
    if args.figures:
        joined = join_figures(area_frame, args.figures)
        area_frame, notes = joined.frame, [*notes, *joined.notes]
    assets = read_assets(args.assets, mapping=mapping, crs=args.crs)
    notes += assets.notes
    talents = read_talents(args.talents).frame if args.talents else None
    if talents is not None:
        notes.append(f"{args.talents.name}: {len(talents)} talents read")
    fmap = build_map(
        area_frame,
        assets.frame,
        talents=talents,
        lang=args.lang,
        basemap=args.basemap,
        choropleth=args.choropleth,
        cluster=not args.no_cluster,
    )
    _write_atomic(args.out, map_html(fmap))

    located = assign_areas(assets.frame, area_frame)
    counts = count_by_type(assets.frame)
    if args.json:
        print(
            json.dumps(
                {
                    "out": str(args.out),
                    "assets_total": len(assets.frame),
                    "counts": counts,
                    "outside_areas": int(located["buurt_code"].isna().sum()),
                    "areas": {
                        lvl: int((area_frame["level"] == lvl).sum()) for lvl in ("wijk", "buurt")
                    },
                    "notes": notes,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        cat = catalogue()
        width = max((len(cat.types[k].label(args.lang)) for k in counts), default=10)
        for key, n in counts.items():
            print(f"{cat.types[key].label(args.lang):<{width}}  {n:>6}")
        print(f"{t('cli.total', args.lang):<{width}}  {len(assets.frame):>6}")
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _mapping_arg(value: Path | None) -> str | Path | None:
    """Return a path to an existing file, or a preset name (e.g. ``deventer_wijkteams``)."""
    if value is None:
        return None
    return value if value.exists() or value.suffix else str(value)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssetMapError as exc:
        print(f"asset-map: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"asset-map: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
