"""``asset-map export`` and ``asset-map report``: the planner's selection as a file, a wijk as PDF.

Both read the workspace from the database (as the app shows it), or from ``--areas`` and
``--assets`` files. Bad input (an unknown wijk, buurt, type or format, a path that cannot be
written) ends with a message on stderr and exit code 2; the file is written to a temporary
file beside the target and renamed, so a failure leaves no half-written file.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.cli._common import (
    add_db_args,
    add_gemeente_arg,
    add_lang_arg,
    check_out,
    input_paths,
    message_of,
    open_store,
    print_note,
    read_inputs,
    unknown_codes,
)
from asset_map.i18n import Msg, explain, t
from asset_map.model import Lang, catalogue
from asset_map.render.styles import BASEMAPS
from asset_map.services.workspace import Workspace

FORMATS = ("csv", "geojson", "gpkg", "html")
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
        "--format", choices=FORMATS, help="the format (default: from the suffix of --out)"
    )
    e.add_argument(
        "--crs", choices=OUT_CRS, default="EPSG:4326", help="CRS of the coordinates written"
    )
    e.add_argument("--wijk", action="append", default=[], metavar="CODE", help="wijk code")
    e.add_argument("--buurt", action="append", default=[], metavar="CODE", help="buurt code")
    e.add_argument("--type", action="append", default=[], metavar="KEY", help="asset type key")
    e.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag")
    e.add_argument("--search", default="", metavar="TEXT", help="text in name or description")
    e.add_argument("--basemap", choices=list(BASEMAPS), default="none", help="tiles of an HTML map")
    _add_workspace_args(e)
    e.set_defaults(func=_cmd_export)

    r = commands.add_parser(
        "report",
        help="write the PDF report of one wijk: map, figures per buurt, walking distance, sources",
    )
    r.add_argument("--wijk", required=True, metavar="CODE", help="the wijk code, e.g. WK015004")
    r.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    r.add_argument("--no-gaps", action="store_true", help="leave out the walking-distance part")
    r.add_argument(
        "--new-sites",
        type=int,
        default=3,
        help="how many new meeting places the walking-distance part suggests (0-10, default 3)",
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


def load(
    args: argparse.Namespace, *, assets_within_m: float = 0.0
) -> tuple[Workspace, pd.DataFrame | None]:
    """Return the workspace and the public talents: from the files given, else the database.

    With files and no ``--talents`` the talents are unknown (None), not zero. With
    ``--gemeente`` and files, only that gemeente's areas are kept, and the assets in them or
    at most ``assets_within_m`` metres away; the database holds one gemeente, so there
    ``--gemeente`` must name it.
    """
    from asset_map.analysis.areas import assign_areas

    if args.areas is None and args.assets is None:
        from asset_map.services.workspace import open_workspace

        if getattr(args, "figures", None) is not None:  # would be ignored: refuse
            raise AssetMapError(Msg("err.cli.figures_with_database"))

        store = open_store(args)
        try:
            ws = open_workspace(store)
            frames = [f for f in (ws.talents, store.public_talents()) if not f.empty]
        finally:
            store.close()
        if args.gemeente:
            _require_gemeente(args.gemeente, ws)
        return ws, pd.concat(frames, ignore_index=True) if frames else ws.talents
    if args.areas is None or args.assets is None:
        raise AssetMapError(Msg("err.cli.export.both_or_neither"))
    from asset_map.io import read_talents
    from asset_map.services import sources

    inputs = argparse.Namespace(
        areas=args.areas,
        assets=args.assets,
        figures=args.figures,
        mapping=args.mapping,
        crs=args.assets_crs,
        areas_crs=args.areas_crs,
        gemeente=args.gemeente,
    )
    areas, assets, notes = read_inputs(inputs, assets_within_m=assets_within_m)
    source: dict[str, Any] = {"name": args.assets.name, "licence": "", "year": None}
    if sources.osm_kind(args.assets):
        source = sources.osm_source()
    gemeente = areas.loc[areas["level"] == "gemeente", "name"]
    meta = {
        "name": str(gemeente.iloc[0]) if len(gemeente) else args.gemeente or args.areas[0].stem,
        "is_demo": False,
        "sources": [source],
    }
    talents = read_talents(args.talents).frame if args.talents else None
    ws = Workspace(
        areas=areas,
        assets=assign_areas(assets, areas),
        talents=pd.DataFrame(columns=["status"]) if talents is None else talents,
        meta=meta,
        notes=notes,
    )
    for note in notes:
        print_note(note, args.lang)
    return ws, talents


def _require_gemeente(given: str, ws: Workspace) -> None:
    """Refuse a ``--gemeente`` that is not the gemeente of the workspace in the database."""
    from asset_map.io.cbs import GemeenteError, gemeente_code
    from asset_map.services.sources import Loaded, gemeente_of

    code = gemeente_of(Loaded(ws.areas, ws.assets, dict(ws.meta))) or ""
    name = str(ws.meta.get("name") or code)
    try:
        found = gemeente_code(given, gemeenten={code: name})
    except GemeenteError:
        found = None
    if not code or found != code:
        raise AssetMapError(
            Msg("err.cli.gemeente_other_workspace", given=given, name=name, code=code or "-")
        )


def _cmd_export(args: argparse.Namespace) -> int:
    from asset_map.analysis.query import AssetQuery, filter_assets, unknown_values
    from asset_map.io.export import EXPORT_SUFFIXES, export_format, write_selection

    fmt = args.format
    suffix = args.out.suffix.lower()
    if fmt is None and suffix in (".html", ".htm"):
        fmt = "html"
    elif fmt is None and suffix not in EXPORT_SUFFIXES:
        raise AssetMapError(
            Msg("err.cli.export.no_format", name=args.out.name, suffix=args.out.suffix)
        )
    if fmt != "html":
        fmt = export_format(args.out, fmt)
    check_out(args.out, inputs=input_paths(args))
    query = AssetQuery(
        wijken=tuple(args.wijk),
        buurten=tuple(args.buurt),
        types=tuple(args.type),
        tags=tuple(args.tag),
        text=args.search,
    )
    ws, _talents = load(args)
    _refuse_unknown(unknown_values(query, ws.areas, ws.assets), ws, lang=args.lang)
    selected = filter_assets(ws.assets, query)
    if fmt == "html":
        from asset_map.analysis.areas import select_areas
        from asset_map.render.map import build_map, map_html

        areas = select_areas(ws.areas, wijken=query.wijken, buurten=query.buurten)
        fmap = build_map(areas, selected, lang=args.lang, basemap=args.basemap)
        write_bytes_atomic(args.out, map_html(fmap).encode("utf-8"))
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_selection(selected, args.out, fmt=fmt, crs=args.crs)
    if selected.empty:
        print_note(Msg("note.export.no_match"), args.lang)
    print(t("cli.export_written", args.lang, count=len(selected), path=args.out))
    return 0


def _refuse_unknown(unknown: dict[str, list[str]], ws: Workspace, *, lang: Lang) -> None:
    """Raise for area codes and type keys that do not exist; note the rest on stderr."""
    problems: list[str] = []
    for level in ("wijk", "buurt"):
        if level in unknown:
            known = ws.areas.loc[ws.areas["level"] == level, "code"].astype(str).tolist()
            problems.append(unknown_codes(level, unknown[level], known))
    bad_types = [k for k in unknown.get("type", []) if k not in catalogue().types]
    if bad_types:
        problems.append(
            Msg(
                "err.cli.export.unknown_type",
                types=", ".join(bad_types),
                known=", ".join(catalogue().types),
            )
        )
    if problems:
        message = problems[0]
        for problem in problems[1:]:
            message = Msg("err.cli.then", first=message, then=problem)
        raise AssetMapError(message)
    absent = [k for k in unknown.get("type", []) if k not in bad_types] + unknown.get("tag", [])
    if absent:
        print_note(Msg("cli.export.absent", values=", ".join(absent)), lang)


def _cmd_report(args: argparse.Namespace) -> int:
    from asset_map.analysis.gaps import GapParams
    from asset_map.render.report import page_count, wijk_gaps, wijk_report

    if args.out.suffix.lower() != ".pdf":
        raise AssetMapError(Msg("err.cli.report.not_pdf", name=args.out.name))
    check_out(args.out, inputs=input_paths(args), suffixes=(".pdf",))
    # With --gemeente: meeting places across its border within walking distance count too.
    ws, talents = load(args, assets_within_m=GapParams().max_walk_m)
    wijk = args.wijk.strip()
    wijken = ws.areas[ws.areas["level"] == "wijk"]
    if wijk not in set(wijken["code"].astype(str)):
        codes = ", ".join(f"{c} ({n})" for c, n in zip(wijken["code"], wijken["name"], strict=True))
        known = codes or Msg("note.io.none")
        raise AssetMapError(Msg("err.cli.report.unknown_wijk", wijk=wijk, known=known))
    gaps = None
    if not args.no_gaps:
        try:
            GapParams(new_sites=args.new_sites)  # a bad option is an error, not a note
        except ValueError as exc:
            problem = message_of(exc)
            raise AssetMapError(
                Msg("err.cli.in_command", command="report", problem=problem)
            ) from None
        try:
            gaps = wijk_gaps(ws, wijk, new_sites=args.new_sites)
        except AssetMapError as exc:
            note = t("note.export.walking_left_out", args.lang, reason=explain(exc, args.lang))
            print_note(note, args.lang)
    pdf = wijk_report(ws, wijk, lang=args.lang, talents=talents, gaps=gaps)
    write_bytes_atomic(args.out, pdf)
    print(t("cli.report_written", args.lang, path=args.out, pages=page_count(pdf)))
    return 0


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file beside it; a failure leaves no file."""
    check_out(path)  # a folder: say so, not "Is a directory: <temporary name>"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
