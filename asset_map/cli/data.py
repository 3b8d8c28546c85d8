"""``asset-map fetch`` and ``asset-map import``: real data into the workspace."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.summary import count_by_type
from asset_map.cli._common import (
    add_db_args,
    add_guess_types_arg,
    add_lang_arg,
    open_store,
    print_note,
)
from asset_map.cli._outputs import write_bytes_atomic
from asset_map.i18n import Msg, localise, t
from asset_map.services.decisions import decision_lines, decisions_csv
from asset_map.services.imports import (
    Replacement,
    import_figures,
    level_summary,
    name_workspace,
    read_files,
    replacement,
)
from asset_map.services.refresh import refresh_into
from asset_map.services.sources import current

ACTOR = "asset-map import"


def register(commands: Any) -> None:
    """Add the fetch and import command(s) to the ``asset-map`` parser."""
    f = commands.add_parser(
        "fetch",
        help="download a gemeente's wijken, buurten and key figures (CBS/PDOK) and its "
        "assets (OpenStreetMap) into the workspace (needs internet); fetched again, the "
        "places' changes are listed for review (asset-map refresh list)",
    )
    f.add_argument("--gemeente", required=True, help="name (Deventer) or CBS code (GM0150)")
    f.add_argument("--year", type=int, default=2024, help="year of the wijk- en buurtkaart")
    f.add_argument("--no-osm", action="store_true", help="areas only, no OpenStreetMap assets")
    f.add_argument("--pdok-url", default=None, help="another PDOK base URL (a mirror)")
    f.add_argument("--overpass-url", default=None, help="another Overpass API URL")
    _add_common(
        f,
        "replace a workspace of another gemeente whole, own lists too (or stored areas that do "
        "not fit the new ones)",
    )
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
        help="replace the current assets instead of adding to them (a source imported "
        "again is otherwise compared, its changes listed for review: asset-map refresh list)",
    )
    _add_common(
        im,
        "replace what the --areas do not fit: the workspace of another gemeente (whole, own "
        "lists too), or stored wijken or buurten of another layout",
    )
    im.set_defaults(func=_cmd_import)


def _add_common(p: argparse.ArgumentParser, replace_help: str) -> None:
    """Add what fetch and import share: --json, --decisions-out, --lang, --replace, the database."""
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument(
        "--decisions-out",
        type=Path,
        metavar="FILE.csv",
        help="write every likely duplicate (one row per place: its group, what was done and "
        "why) to this CSV file; the output shows at most 20 groups",
    )
    add_lang_arg(p)
    p.add_argument("--replace", action="store_true", help=replace_help)
    add_db_args(p)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from asset_map.services.fetch import fetch_gemeente

    loaded = fetch_gemeente(
        args.gemeente,
        year=args.year,
        osm=not args.no_osm,
        progress=lambda what: print(
            t("cli.data.downloading", args.lang, what=localise(what, args.lang)), file=sys.stderr
        ),
        pdok_base=args.pdok_url,  # None: $ASSET_MAP_PDOK_URL, else PDOK
        overpass_url=args.overpass_url,  # None: $ASSET_MAP_OVERPASS_URL, else overpass-api.de
    )
    store = open_store(args)
    try:
        _ask_replace(args, replacement(current(store), loaded), command="fetch")
        actor = "asset-map fetch"
        loaded = refresh_into(store, loaded, actor=actor, replace_levels=args.replace).loaded
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
    _refuse_ignored(args)
    if args.year is not None:
        settings.SOURCE_YEAR.check(args.year)
    store = open_store(args)
    try:
        now = current(store)
        empty_or_demo = now is None or bool(now.meta.get("is_demo"))
        if empty_or_demo and not args.areas:
            raise AssetMapError(Msg("err.cli.import_needs_areas"))
        if not args.areas and not args.assets:  # key figures alone, onto the stored areas
            loaded = import_figures(store, args.figures, actor=ACTOR, year=args.year)
        else:
            new = read_files(
                areas=args.areas or (),
                assets=args.assets,
                layer=args.layer,
                gemeente=args.gemeente,
                mapping=args.mapping,
                areas_crs=args.areas_crs,
                crs=args.crs,
                type_key=args.type_key,
                guess_types=args.guess_types,
                source=args.source,
                licence=args.licence,
                year=args.year,
            )
            if args.areas:  # a new workspace is named after the gemeente a file names
                fallback = args.source or args.gemeente or args.areas[0].name
                name_workspace(
                    new, now, args.areas, layer=args.layer, crs=args.areas_crs, fallback=fallback
                )
            _ask_replace(args, replacement(now, new), command="import")
            loaded = refresh_into(
                store,
                new,
                actor=ACTOR,
                replace_assets=args.replace_assets,
                replace_levels=args.replace,
                figures=args.figures,
            ).loaded
    finally:
        store.close()
    _summary(args, loaded)
    return 0


def _ask_replace(args: argparse.Namespace, replace: Replacement, *, command: str) -> None:
    """Refuse what --replace has to allow: replacing another gemeente, removing areas."""
    if args.replace:
        return
    if replace.other_gemeente:
        raise AssetMapError(
            Msg("err.cli.replace_needed", old=replace.other_gemeente, command=command)
        )
    levels = replace.levels
    if levels is not None and levels.removed:
        raise AssetMapError(
            Msg(
                "err.cli.levels_replace_needed",
                why=levels.misfit,
                gone=levels.gone(),
                command=command,
            )
        )


def _summary(args: argparse.Namespace, loaded: Any) -> None:
    """Print what the workspace holds now: JSON with ``--json``, else lines in ``--lang``.

    The JSON is the same in both languages but for the text of the notes.
    """
    counts = count_by_type(loaded.assets) if len(loaded.assets) else {}
    if args.decisions_out is not None:
        write_bytes_atomic(args.decisions_out, decisions_csv(loaded.grouped, args.lang))
    pairs = loaded.decisions
    summary = {
        "name": loaded.meta.get("name"),
        "areas": level_summary(loaded),
        "assets_total": len(loaded.assets),
        "counts": counts,
        "merged_duplicates": int((pairs["decision"] == "merge").sum()) if len(pairs) else 0,
    }
    if args.json:
        summary |= {
            "decisions": _decisions(pairs),
            "duplicate_groups": _decisions(loaded.groups),
            "sources": loaded.meta.get("sources", []),
            "notes": [localise(note, args.lang) for note in loaded.notes],
        }
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
    out = args.decisions_out
    hint = Msg("decisions.hint_file", path=out) if out else Msg("decisions.hint_cli")
    for line in decision_lines(loaded.groups, loaded.decisions, hint=hint):
        print(localise(line, args.lang))
    if out is not None:
        print(t("cli.data.decisions_written", args.lang, n=len(loaded.grouped), path=out))
    for note in loaded.notes:
        print_note(note, args.lang)


def _decisions(pairs: Any) -> list[dict[str, Any]]:
    """Return the duplicate pairs (or groups) as JSON-able rows."""
    rows = []
    for row in pairs.to_dict("records") if len(pairs) else []:
        row = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for column, digits in (("distance_m", 1), ("similarity", 2), ("within_m", 1)):
            if column in row:
                row[column] = round(float(row[column]), digits)
        rows.append({k: v if isinstance(v, int | float | None) else str(v) for k, v in row.items()})
    return rows
