"""The ``asset-map`` command.

``asset-map map --areas FILE --assets FILE --out map.html`` writes a standalone HTML map (the
same map the app draws, with Leaflet inlined: it opens offline) and prints the number of
assets per type. Bad input ends with a message on stderr that says what and where, and exit
code 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from asset_map import __version__
from asset_map._errors import AssetMapError
from asset_map.analysis.areas import assign_areas
from asset_map.analysis.summary import count_by_type
from asset_map.i18n import DEFAULT_LANG, t
from asset_map.io import join_figures, read_areas, read_assets, read_talents
from asset_map.model import KEY_FIGURES, LANGS, catalogue
from asset_map.render.map import build_map, map_html
from asset_map.render.styles import BASEMAPS, DEFAULT_BASEMAP, format_number

if TYPE_CHECKING:
    from asset_map.analysis.gaps import NeedWeights
    from asset_map.storage import Store

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
    _add_input_args(m)
    m.add_argument("--talents", type=Path, help="CSV of residents' talents (shown per buurt)")
    m.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    m.add_argument(
        "--choropleth", choices=list(KEY_FIGURES), help="colour the buurten by this key figure"
    )
    m.add_argument("--no-cluster", action="store_true", help="draw every marker, no clustering")
    m.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    m.set_defaults(func=_cmd_map)

    g = commands.add_parser(
        "gaps",
        help="who lives beyond walking distance of a meeting place, and where new ones help most",
        description="Coverage of (weighted) residents within walking distance of a meeting "
        "place, before and after the suggested new sites (maximal covering location problem).",
    )
    _add_input_args(g)
    g.add_argument("--walk-min", type=float, default=10.0, help="walking time in minutes (10)")
    g.add_argument("--speed", type=float, default=4.5, help="walking speed in km/h (4.5)")
    g.add_argument(
        "--detour", type=float, default=1.3, help="walking distance = straight line x detour (1.3)"
    )
    g.add_argument("--cell-m", type=float, default=100.0, help="demand grid cell size in m (100)")
    g.add_argument(
        "--need",
        choices=["mix", "65plus", "single", "all"],
        default="mix",
        help="who counts: mix (default: mostly 65+ and single-person households), "
        "65plus, single, all",
    )
    g.add_argument(
        "--weights",
        metavar="ALL,65PLUS,SINGLE",
        help="your own need weights instead of --need, e.g. 0.2,0.4,0.4: residents, "
        "residents aged 65+, single-person households",
    )
    g.add_argument(
        "--meeting-types",
        help="comma-separated type keys that count as a meeting "
        "place (default: asset_types.toml's meeting places)",
    )
    g.add_argument(
        "--what-if", action="store_true", help="count the planned meeting places as open"
    )
    g.add_argument("--new-sites", type=int, default=0, help="how many new sites to suggest (0-10)")
    g.add_argument("--solver", choices=["greedy", "exact"], default="greedy")
    g.add_argument(
        "--candidates",
        default="planned,hosts",
        help="where new sites may go: planned,hosts,cells (default planned,hosts)",
    )
    g.add_argument(
        "--network",
        type=Path,
        help="street network for true walking distance: .osm, .osm.pbf or .graphml",
    )
    g.add_argument(
        "--population-grid",
        type=Path,
        help="CBS 100 m population squares (GeoPackage/GeoJSON/CSV) instead of "
        "spreading each buurt's residents evenly",
    )
    g.add_argument("--out-map", type=Path, help="write the gap map as standalone HTML")
    g.add_argument("--out-sites", type=Path, help="write the suggested sites (.csv or .geojson)")
    g.add_argument("--json", action="store_true", help="print a JSON object (see README)")
    g.set_defaults(func=_cmd_gaps)

    u = commands.add_parser("user", help="staff accounts (wijkmanager, planner, admin)")
    user_commands = u.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    ua = user_commands.add_parser(
        "add", help="add an account; asks for the password (or reads it from stdin)"
    )
    ua.add_argument("--username", required=True)
    ua.add_argument("--role", required=True, choices=["wijkmanager", "planner", "admin"])
    ua.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (for scripts)",
    )
    _add_db_args(ua)
    ua.set_defaults(func=_cmd_user_add)
    ul = user_commands.add_parser("list", help="list the accounts (never passwords)")
    _add_db_args(ul)
    ul.set_defaults(func=_cmd_user_list)

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
    _add_db_args(f)
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
    _add_db_args(im)
    im.set_defaults(func=_cmd_import)

    pg = commands.add_parser(
        "purge", help="erase residents' personal data older than the retention period"
    )
    pg.add_argument(
        "--older-than-days",
        type=int,
        required=True,
        help="erase name, text, availability and contact of submissions older "
        "than this many days (anonymous counts per buurt stay)",
    )
    pg.add_argument("--actor", default="asset-map purge", help="name in the audit log")
    _add_db_args(pg)
    pg.set_defaults(func=_cmd_purge)
    return parser


def _add_db_args(p: argparse.ArgumentParser) -> None:
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


def _open_store(args: argparse.Namespace) -> Store:
    from asset_map.storage import Store

    return Store(args.database, instance_dir=args.instance_dir)


def _cmd_user_add(args: argparse.Namespace) -> int:
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            raise AssetMapError("The two passwords differ; nothing was saved. Try again.")
    store = _open_store(args)
    try:
        store.add_user(args.username, password, args.role, actor="asset-map user add")
    except ValueError as exc:
        raise AssetMapError(str(exc)) from None
    finally:
        store.close()
    print(f"added {args.role} '{args.username}' to {store.url}", file=sys.stderr)
    return 0


def _cmd_user_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
    try:
        users = store.users()
    finally:
        store.close()
    print(users.to_string(index=False) if len(users) else "no accounts yet")
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    if args.older_than_days < 0:
        raise AssetMapError("--older-than-days must be 0 or more.")
    store = _open_store(args)
    try:
        n = store.purge_personal_data(older_than_days=args.older_than_days, actor=args.actor)
    finally:
        store.close()
    print(f"erased the personal data of {n} submissions older than {args.older_than_days} days")
    return 0


def _add_input_args(p: argparse.ArgumentParser) -> None:
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


def _read_inputs(args: argparse.Namespace) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, list[str]]:
    """Read areas (with figures joined) and assets as the options say; return them and notes."""
    mapping = _mapping_arg(args.mapping)
    areas = read_areas(args.areas, mapping=mapping, crs=args.areas_crs)
    notes = list(areas.notes)
    area_frame = areas.frame
    if args.figures:
        joined = join_figures(area_frame, args.figures)
        area_frame, notes = joined.frame, [*notes, *joined.notes]
    assets = read_assets(args.assets, mapping=mapping, crs=args.crs)
    return area_frame, assets.frame, [*notes, *assets.notes]


def _cmd_gaps(args: argparse.Namespace) -> int:
    from asset_map.analysis.gaps import GapParams, analyse_gaps
    from asset_map.io.export import sites_to_csv, sites_to_geojson
    from asset_map.render.gaps import build_gap_map

    try:
        params = GapParams(
            walk_min=args.walk_min,
            speed_kmh=args.speed,
            detour=args.detour,
            cell_m=args.cell_m,
            weights=_weights(args),
            meeting_types=tuple(_split(args.meeting_types)) or None,
            include_planned=args.what_if,
            new_sites=args.new_sites,
            solver=args.solver,
            candidates=tuple(_split(args.candidates)),
        )
    except ValueError as exc:
        raise AssetMapError(f"gaps: {exc}") from None
    if args.out_sites and args.out_sites.suffix.lower() not in {".csv", ".geojson", ".json"}:
        raise AssetMapError(f"--out-sites {args.out_sites.name}: use a .csv or .geojson file name.")
    areas, assets, notes = _read_inputs(args)
    network = None
    if args.network:
        from asset_map.io.network import read_walk_network

        network = read_walk_network(args.network)
    grid = None
    if args.population_grid:
        from asset_map.analysis.demand import read_population_grid

        grid = read_population_grid(args.population_grid)
    result = analyse_gaps(areas, assets, params, population_grid=grid, network=network)
    baseline = None
    if params.include_planned:  # what-if: the same without the planned places, to compare
        plain = dataclasses.replace(params, include_planned=False, new_sites=0)
        baseline = analyse_gaps(areas, assets, plain, population_grid=grid, network=network)
    if args.out_map:
        fmap = build_gap_map(result, areas, assets, lang=args.lang, basemap=args.basemap)
        _write_atomic(args.out_map, map_html(fmap))
    if args.out_sites:
        data = (sites_to_csv if args.out_sites.suffix.lower() == ".csv" else sites_to_geojson)(
            result.sites
        )
        _write_atomic(args.out_sites, data.decode("utf-8"))
    s = result.summary
    if args.json:
        sites = [
            {
                "rank": int(site["rank"]),
                "name": str(site["name"]),
                "kind": str(site["kind"]),
                "lon": round(float(site["lon"]), 6),
                "lat": round(float(site["lat"]), 6),
                "newly_covered": round(float(site["newly_covered"]), 1),
                "newly_residents": round(float(site["newly_residents"]), 1),
                "newly_65": round(float(site["newly_65"]), 1),
                "buurten": [str(b) for b in site["buurten"]],
                "nearest_meeting_m": round(float(site["nearest_meeting_m"]), 0),
            }
            for _, site in result.sites.iterrows()
        ]
        print(
            json.dumps(
                {
                    "residents_total": round(float(s["residents_total"]), 1),
                    "weighted_total": round(float(s["weighted_total"]), 1),
                    "covered_before": round(float(s["covered_before"]), 1),
                    "covered_after": round(float(s["covered_after"]), 1),
                    "share_before": round(float(s["share_before"]), 4),
                    "share_after": round(float(s["share_after"]), 4),
                    "params": {
                        "walk_min": params.walk_min,
                        "speed_kmh": params.speed_kmh,
                        "detour": params.detour,
                        "max_walk_m": round(params.max_walk_m, 1),
                        "need": args.need,
                        "new_sites": params.new_sites,
                        "solver": params.solver,
                        "network": bool(network is not None),
                    },
                    "solver": s.get("solver"),
                    "mip_gap": s.get("mip_gap"),
                    "what_if": None
                    if baseline is None
                    else {
                        "covered_without_planned": round(
                            float(baseline.summary["covered_before"]), 1
                        ),
                        "share_without_planned": round(float(baseline.summary["share_before"]), 4),
                    },
                    "sites": sites,
                    "warnings": result.warnings,
                    "notes": notes,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        lang = args.lang
        print(
            f"{t('gaps.share_before', lang)}: {format_number(100 * s['share_before'], '%', lang)}"
        )
        print(f"{t('gaps.share_after', lang)}: {format_number(100 * s['share_after'], '%', lang)}")
        for _, site in result.sites.iterrows():
            print(
                f"{int(site['rank']):>2}. {site['name']}  +{site['newly_covered']:.0f} "
                f"({site['lat']:.5f}, {site['lon']:.5f})"
            )
        for warning in [*result.warnings, *notes]:
            print(f"note: {warning}", file=sys.stderr)
    return 0


def _weights(args: argparse.Namespace) -> NeedWeights:
    from asset_map.analysis.gaps import NeedWeights

    if not args.weights:
        return NeedWeights.preset(args.need)
    try:
        values = [float(v) for v in _split(args.weights)]
    except ValueError:
        values = []
    if len(values) != 3:
        raise ValueError(
            f"--weights '{args.weights}': give three numbers separated by commas, for all "
            "residents, residents aged 65+ and single-person households, e.g. 0.2,0.4,0.4."
        )
    return NeedWeights(*values)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _cmd_map(args: argparse.Namespace) -> int:
    area_frame, asset_frame, notes = _read_inputs(args)
    talents = read_talents(args.talents).frame if args.talents else None
    if talents is not None:
        notes.append(f"{args.talents.name}: {len(talents)} talents read")
    fmap = build_map(
        area_frame,
        asset_frame,
        talents=talents,
        lang=args.lang,
        basemap=args.basemap,
        choropleth=args.choropleth,
        cluster=not args.no_cluster,
    )
    _write_atomic(args.out, map_html(fmap))

    located = assign_areas(asset_frame, area_frame)
    counts = count_by_type(asset_frame)
    if args.json:
        print(
            json.dumps(
                {
                    "out": str(args.out),
                    "assets_total": len(asset_frame),
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
        print(f"{t('cli.total', args.lang):<{width}}  {len(asset_frame):>6}")
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
    store = _open_store(args)
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
    mapping = _mapping_arg(args.mapping)
    store = _open_store(args)
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
            read_a = read_assets(args.assets, mapping=mapping, crs=args.crs, source=args.source)
            assets, notes = read_a.frame, [*notes, *read_a.notes]
        name = args.source or ", ".join(p.name for p in (args.areas, args.assets) if p)
        source = {"name": name, "licence": args.licence, "year": args.year}
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
