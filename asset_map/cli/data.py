"""``asset-map fetch`` and ``asset-map import``: real data into the workspace."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd

from asset_map._errors import AssetMapError
from asset_map.analysis.summary import count_by_type
from asset_map.cli._common import (
    add_db_args,
    add_guess_types_arg,
    add_lang_arg,
    guessed_types,
    mapping_arg,
    open_store,
    print_note,
)
from asset_map.i18n import Msg, localise, t
from asset_map.io.area_files import read_area_files
from asset_map.io.file_facts import file_facts


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
    add_lang_arg(f)
    f.add_argument(
        "--replace",
        action="store_true",
        help="replace a workspace of another gemeente whole, own lists too (or stored areas "
        "that do not fit the new ones)",
    )
    add_db_args(f)
    f.set_defaults(func=_cmd_fetch)

    im = commands.add_parser(
        "import",
        help="import own files into the workspace: areas replace the current ones, assets are "
        "added (likely duplicates across sources merged)",
    )
    im.add_argument(
        "--areas",
        type=Path,
        action="append",
        help="wijken/buurten: GeoJSON, GeoPackage, zip; give it once per file (e.g. a wijken "
        "and a buurten file). They replace the stored areas of the same level; the stored "
        "areas of the other level stay when they fit",
    )
    im.add_argument(
        "--layer", help="layer of the --areas GeoPackage (default: its wijken and buurten)"
    )
    im.add_argument(
        "--gemeente",
        help="keep only this gemeente's wijken and buurten of --areas (name or GM code)",
    )
    im.add_argument("--assets", type=Path, help="assets: GeoJSON, GeoPackage, zip, CSV")
    im.add_argument(
        "--figures",
        type=Path,
        help="CSV of key figures (CBS Kerncijfers) to join onto the areas; alone: onto the "
        "stored areas (--year: its year when the file does not say)",
    )
    im.add_argument("--mapping", type=Path, help="TOML mapping file or preset name")
    im.add_argument(
        "--type",
        dest="type_key",
        metavar="KEY",
        help="give every asset of --assets this type (e.g. bibliotheek), e.g. for a file "
        "without a type column",
    )
    add_guess_types_arg(im)
    im.add_argument("--crs", help="CRS of the assets file when it has none")
    im.add_argument("--areas-crs", help="CRS of the areas file when it has none")
    im.add_argument("--source", help="name of this source (licence and year: --licence, --year)")
    im.add_argument("--licence", default=None, help="licence of this source")
    im.add_argument("--year", type=int, default=None, help="year of this source")
    im.add_argument(
        "--replace-assets",
        action="store_true",
        help="replace the current assets instead of adding to them",
    )
    im.add_argument("--json", action="store_true", help="print a JSON summary")
    add_lang_arg(im)
    im.add_argument(
        "--replace",
        action="store_true",
        help="replace what the --areas do not fit: the workspace of another gemeente (whole, "
        "own lists too), or stored wijken or buurten of another layout",
    )
    add_db_args(im)
    im.set_defaults(func=_cmd_import)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from asset_map.services import sources

    loaded = sources.fetch_gemeente(
        args.gemeente,
        year=args.year,
        osm=not args.no_osm,
        progress=lambda what: print(
            t("cli.data.downloading", args.lang, what=localise(what, args.lang)), file=sys.stderr
        ),
        pdok_base=args.pdok_url or sources.PDOK_BASE,
        overpass_url=args.overpass_url or sources.OVERPASS_URL,
    )
    store = open_store(args)
    try:
        now = sources.current(store)
        _ask_replace(args, now, loaded, command="fetch")
        loaded = sources.combine(now, loaded, replace_levels=args.replace)
        sources.save(store, loaded, actor="asset-map fetch")
    finally:
        store.close()
    _summary(args, loaded)
    return 0


def _refuse_ignored(args: argparse.Namespace) -> None:
    """Refuse every option that this combination of files would leave unused."""
    if not (args.areas or args.assets or args.figures):
        raise AssetMapError(Msg("err.cli.import_nothing"))
    ignored: list[tuple[str, str]] = []
    if not args.areas:
        given = [("--layer", args.layer), ("--gemeente", args.gemeente)]
        given.append(("--areas-crs", args.areas_crs))
        ignored += [(flag, "err.cli.why.needs_areas") for flag, value in given if value]
    if not args.assets:
        given = [("--crs", args.crs), ("--replace-assets", args.replace_assets)]
        given += [("--type", args.type_key), ("--guess-types", args.guess_types)]
        ignored += [(flag, "err.cli.why.needs_assets") for flag, value in given if value]
    if not args.areas and not args.assets:
        given = [("--mapping", args.mapping), ("--source", args.source)]
        given.append(("--licence", args.licence))
        ignored += [(flag, "err.cli.why.figures_only") for flag, value in given if value]
    if ignored:
        flag, why = ignored[0]
        raise AssetMapError(
            Msg("err.cli.ignored_option", command="import", option=flag, why=Msg(why))
        )


def _cmd_import(args: argparse.Namespace) -> int:
    from asset_map.services import sources

    _refuse_ignored(args)
    figures_only = not args.areas and not args.assets
    mapping = mapping_arg(args.mapping)
    store = open_store(args)
    try:
        now = sources.current(store)
        empty_or_demo = now is None or bool(now.meta.get("is_demo"))
        if empty_or_demo and not args.areas:
            raise AssetMapError(Msg("err.cli.import_needs_areas"))
        if figures_only:
            loaded = sources.add_figures(now, args.figures, year=args.year)
        else:
            loaded = _import_files(args, now, mapping, empty_or_demo)
            if args.figures:
                with_figures = sources.add_figures(loaded, args.figures)
                with_figures.notes[:0] = loaded.notes
                with_figures.decisions = loaded.decisions
                loaded = with_figures
        sources.save(store, loaded, actor="asset-map import")
    finally:
        store.close()
    _summary(args, loaded)
    return 0


def _import_files(args: argparse.Namespace, now: Any, mapping: Any, empty_or_demo: bool) -> Any:
    """Read --areas and --assets, one source entry per layer, and combine them with ``now``."""
    from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS
    from asset_map.services import sources

    areas = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:4326")
    notes: list[str] = []
    entries: list[dict[str, Any]] = []
    if args.areas:
        read = read_area_files(
            args.areas,
            mapping=mapping,
            crs=args.areas_crs,
            layer=args.layer,
            gemeente=args.gemeente,
        )
        areas, notes = read.frame, list(read.notes)
        for path, levels in read.levels.items():  # one entry per file: its levels and year
            entries.append({**_entry(args, path, "areas"), "levels": levels, "file": path.name})
    assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
    if args.assets:
        read_a = sources.read_any_assets(
            args.assets, mapping=mapping, crs=args.crs, source=args.source, type_key=args.type_key
        )
        notes = [*notes, *read_a.notes]
        assets = guessed_types(read_a.frame, notes, args)
        osm = sources.osm_kind(args.assets)
        entries.append(sources.osm_source() if osm else _entry(args, args.assets, "assets"))
    new = sources.Loaded(areas, assets, {"is_demo": False, "sources": entries}, notes)
    if args.areas and (empty_or_demo or sources.gemeente_of(new) != sources.gemeente_of(now)):
        # A new workspace: named after the gemeente a file names, else the options or file.
        gm = sources.gemeente_of(new)
        facts = (
            file_facts(p, layer=args.layer, crs=args.areas_crs, gemeente=gm) for p in args.areas
        )
        named = next((name for _year, name in facts if name), None)
        new.meta["name"] = named or args.source or args.gemeente or args.areas[0].name
    _ask_replace(args, now, new, command="import")
    return sources.combine(
        now, new, replace_assets=args.replace_assets, replace_levels=args.replace
    )


def _ask_replace(args: argparse.Namespace, now: Any, new: Any, *, command: str) -> None:
    """Refuse what --replace has to allow: replacing another gemeente, removing areas.

    Replacing the workspace of another gemeente, or removing stored wijken or buurten that
    do not fit the new ones, needs ``--replace``.
    """
    from asset_map.services import sources

    old = sources.replaces_other_gemeente(now, new)
    if old and not args.replace:
        raise AssetMapError(Msg("err.cli.replace_needed", old=old, command=command))
    levels = sources.area_levels(now, new)
    if levels is not None and levels.removed and not args.replace:
        raise AssetMapError(
            Msg(
                "err.cli.levels_replace_needed",
                why=levels.misfit,
                gone=levels.gone(),
                command=command,
            )
        )


def _entry(args: argparse.Namespace, path: Path, layer: str) -> dict[str, Any]:
    """Return the source entry of a file: --year, else the year the file holds, else None."""
    year = args.year
    if year is None:
        crs = args.areas_crs if layer == "areas" else args.crs
        year = file_facts(path, layer=args.layer if layer == "areas" else None, crs=crs)[0]
    return {
        "name": args.source or path.name,
        "licence": args.licence or "",
        "year": year,
        "layer": layer,
    }


def _summary(args: argparse.Namespace, loaded: Any) -> None:
    """Print what the workspace holds now: JSON with ``--json``, else lines in ``--lang``.

    The JSON is the same in both languages but for the text of the notes.
    """
    counts = count_by_type(loaded.assets) if len(loaded.assets) else {}
    decisions = _decisions(loaded.decisions)
    notes = [localise(note, args.lang) for note in loaded.notes]
    summary = {
        "name": loaded.meta.get("name"),
        "areas": {lvl: int((loaded.areas["level"] == lvl).sum()) for lvl in ("wijk", "buurt")},
        "assets_total": len(loaded.assets),
        "counts": counts,
        "merged_duplicates": sum(d["decision"] == "merge" for d in decisions),
        "decisions": decisions,
        "sources": loaded.meta.get("sources", []),
        "notes": notes,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    areas = summary["areas"]
    print(
        t(
            "cli.data.summary",
            args.lang,
            name=summary["name"],
            wijken=areas["wijk"],
            buurten=areas["buurt"],
            assets=summary["assets_total"],
        )
    )
    reasons = list(loaded.decisions["reason"]) if len(loaded.decisions) else []
    for d, reason in zip(decisions, reasons, strict=True):
        what = "cli.data.merged" if d["decision"] == "merge" else "cli.data.kept_apart"
        line = Msg(
            "cli.data.duplicate",
            name_a=d["name_a"],
            source_a=d["source_a"],
            name_b=d["name_b"],
            source_b=d["source_b"],
            distance=f"{d['distance_m']:.0f}",
            similarity=f"{d['similarity']:.2f}",
            what=Msg(what),
            reason=reason,  # a Msg: in --lang, where the JSON holds it in English
        )
        print(localise(line, args.lang))
    for note in loaded.notes:
        print_note(note, args.lang)


def _decisions(pairs: Any) -> list[dict[str, Any]]:
    """Return the duplicate pairs as JSON-able rows."""
    rows = []
    for row in pairs.to_dict("records") if len(pairs) else []:
        row = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        row["distance_m"] = round(float(row["distance_m"]), 1)
        row["similarity"] = round(float(row["similarity"]), 2)
        rows.append({k: v if isinstance(v, int | float | None) else str(v) for k, v in row.items()})
    return rows
