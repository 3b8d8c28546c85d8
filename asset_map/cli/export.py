"""``asset-map export`` and ``asset-map report``: the planner's selection as a file, a wijk as PDF.

Both read the workspace from the database (as the app shows it), or from ``--areas`` and
``--assets`` files. Bad input (an unknown wijk, buurt, type or format, a path that cannot be
written) ends with a message on stderr and exit code 2; the file is written to a temporary
file beside the target and renamed, so a failure leaves no half-written file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.cli._common import (
    add_db_args,
    add_gemeente_arg,
    add_lang_arg,
    load,
    message_of,
    print_note,
)
from asset_map.cli._outputs import check_out, input_paths, write_bytes_atomic
from asset_map.i18n import Msg, explain, t
from asset_map.render.report import page_count
from asset_map.render.styles import BASEMAP_KEYS
from asset_map.services.options import add_number
from asset_map.services.report import wijk_report

#: The export formats and the suffixes of their files (the first one is suggested).
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "html": (".html", ".htm"),
}
FORMATS = tuple(FORMAT_SUFFIXES)
OUT_CRS = ("EPSG:4326", "EPSG:28992")


def register(commands: Any) -> None:
    """Add the export and report commands to the ``asset-map`` parser."""
    e = commands.add_parser(
        "export",
        help="write the assets you choose (wijk, buurt, type, tag, text) as CSV, GeoJSON, "
        "GeoPackage or a standalone HTML map",
        description="Write a selection of the workspace's assets. Choices of one kind are "
        "'or', choices of different kinds are 'and'; no choice means all assets.",
    )
    e.add_argument("--out", required=True, type=Path, help="the file to write")
    e.add_argument(
        "--format",
        choices=FORMATS,
        help="the format; it must agree with the suffix of --out (default: from the suffix)",
    )
    e.add_argument(
        "--crs", choices=OUT_CRS, default="EPSG:4326", help="CRS of the coordinates written"
    )
    e.add_argument("--wijk", action="append", default=[], metavar="CODE", help="wijk code")
    e.add_argument("--buurt", action="append", default=[], metavar="CODE", help="buurt code")
    e.add_argument("--type", action="append", default=[], metavar="KEY", help="asset type key")
    e.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag")
    e.add_argument("--search", default="", metavar="TEXT", help="text in name or description")
    e.add_argument(
        "--basemap",
        choices=list(BASEMAP_KEYS),
        default="none",
        help="tiles of an HTML map ('eigen': the tile server of ASSET_MAP_TILES_URL)",
    )
    _add_workspace_args(e)
    e.set_defaults(func=_cmd_export)

    r = commands.add_parser(
        "report",
        help="write the PDF report of one wijk: map, figures per buurt, walking distance, sources",
    )
    r.add_argument("--wijk", required=True, metavar="CODE", help="the wijk code, e.g. WK015004")
    r.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    r.add_argument("--no-gaps", action="store_true", help="leave out the walking-distance part")
    add_number(
        r,
        settings.SUGGESTED_SITES,
        "how many new meeting places the walking-distance part suggests",
    )
    _add_workspace_args(r)
    r.set_defaults(func=_cmd_report)


def _add_workspace_args(p: argparse.ArgumentParser) -> None:
    add_lang_arg(p)
    p.add_argument(
        "--areas",
        type=Path,
        action="append",
        help="read areas from this file, not the database; once per file (wijken, buurten)",
    )
    p.add_argument("--assets", type=Path, help="read assets from this file, not the database")
    p.add_argument("--figures", type=Path, help="CSV of key figures to join onto --areas")
    p.add_argument("--talents", type=Path, help="CSV of residents' talents (with --areas)")
    p.add_argument("--mapping", type=Path, help="TOML mapping file or preset name")
    p.add_argument("--assets-crs", help="CRS of the --assets file when it has none")
    p.add_argument("--areas-crs", help="CRS of the --areas file when it has none")
    add_gemeente_arg(p)
    add_db_args(p)


def _cmd_export(args: argparse.Namespace) -> int:
    from asset_map.analysis.query import AssetQuery
    from asset_map.services.export import select, write_export

    fmt = _format_of(args.out, args.format)
    check_out(args.out, inputs=input_paths(args), suffixes=FORMAT_SUFFIXES[fmt])
    query = AssetQuery(
        wijken=tuple(args.wijk),
        buurten=tuple(args.buurt),
        types=tuple(args.type),
        tags=tuple(args.tag),
        text=args.search,
    )
    ws, _talents = load(args)
    selection = select(ws, query)
    if selection.absent:
        print_note(Msg("cli.export.absent", values=", ".join(selection.absent)), args.lang)
    write_export(
        selection,
        args.out,
        fmt=fmt,
        crs=args.crs,
        lang=args.lang,
        basemap=args.basemap,
        write_bytes=write_bytes_atomic,
    )
    if selection.assets.empty:
        print_note(Msg("note.export.no_match"), args.lang)
    print(t("cli.export_written", args.lang, count=len(selection.assets), path=args.out))
    return 0


def _format_of(out: Path, fmt: str | None) -> str:
    """Return the format of an export: the suffix's, which ``--format`` must agree with.

    Raises
    ------
    AssetMapError
        When the suffix tells no format, or another one than ``--format``: a name such as
        ``asset_map.sqlite`` with ``--format csv`` would make a CSV file that is no CSV file
        by its name, or write over a file of another kind.
    """
    suffix = out.suffix.lower()
    by_suffix = next((f for f, suffixes in FORMAT_SUFFIXES.items() if suffix in suffixes), None)
    if fmt is None and by_suffix is None:
        raise AssetMapError(Msg("err.cli.export.no_format", name=out.name, suffix=out.suffix))
    if fmt is not None and fmt != by_suffix:
        suffixes = FORMAT_SUFFIXES[fmt]
        example = f"{out.stem or 'selectie'}{suffixes[0]}"
        raise AssetMapError(
            Msg(
                "err.cli.export.suffix_mismatch",
                fmt=fmt,
                name=out.name,
                suffixes=", ".join(suffixes),
                example=example,
            )
        )
    return str(fmt or by_suffix)


def _cmd_report(args: argparse.Namespace) -> int:
    from asset_map.services.report import wijk_report_with_gaps

    if args.out.suffix.lower() != ".pdf":
        raise AssetMapError(Msg("err.cli.report.not_pdf", name=args.out.name))
    check_out(args.out, inputs=input_paths(args), suffixes=(".pdf",))
    # With --gemeente: meeting places across its border within walking distance count too.
    walk_m = settings.walk_metres(settings.WALK_MIN.default, settings.SPEED_KMH.default)
    ws, talents = load(args, assets_within_m=walk_m)
    wijk = args.wijk.strip()
    wijken = ws.areas[ws.areas["level"] == "wijk"]
    if wijk not in set(wijken["code"].astype(str)):
        codes = ", ".join(f"{c} ({n})" for c, n in zip(wijken["code"], wijken["name"], strict=True))
        known = codes or Msg("note.io.none")
        raise AssetMapError(Msg("err.cli.report.unknown_wijk", wijk=wijk, known=known))
    if args.no_gaps:
        pdf = wijk_report(ws, wijk, lang=args.lang, talents=talents)
    else:
        try:
            settings.SUGGESTED_SITES.check(args.new_sites)  # a bad option is an error
        except AssetMapError as exc:
            problem = message_of(exc)
            raise AssetMapError(
                Msg("err.cli.in_command", command="report", problem=problem)
            ) from None
        pdf, skipped = wijk_report_with_gaps(
            ws, wijk, lang=args.lang, talents=talents, new_sites=args.new_sites
        )
        if skipped is not None:
            note = t("note.export.walking_left_out", args.lang, reason=explain(skipped, args.lang))
            print_note(note, args.lang)
    write_bytes_atomic(args.out, pdf)
    print(t("cli.report_written", args.lang, path=args.out, pages=page_count(pdf)))
    return 0
