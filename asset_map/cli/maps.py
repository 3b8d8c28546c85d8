"""``asset-map map``: a standalone HTML map and the counts per type."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asset_map.analysis.areas import assign_areas
from asset_map.analysis.summary import count_by_type
from asset_map.analysis.wijk_figures import levels_with
from asset_map.cli._common import add_input_args, print_note, read_inputs
from asset_map.cli._outputs import check_out, input_paths, write_atomic
from asset_map.i18n import Msg, localise, t
from asset_map.model import KEY_FIGURES, catalogue
from asset_map.render.map import build_map, map_html

if TYPE_CHECKING:
    import geopandas as gpd


def register(commands: Any) -> None:
    """Add the map command(s) to the ``asset-map`` parser."""
    m = commands.add_parser(
        "map",
        help="write a standalone HTML map and print the number of assets per type",
        description="Write a standalone HTML map (Leaflet inlined, works offline) of areas "
        "and assets, and print the number of assets per type. Without --areas and --assets "
        "the workspace in the database is drawn.",
    )
    add_input_args(m)
    m.add_argument("--talents", type=Path, help="CSV of residents' talents (shown per buurt)")
    m.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    m.add_argument(
        "--choropleth",
        choices=list(KEY_FIGURES),
        help="colour the buurten (or wijken, see --choropleth-level) by this key figure",
    )
    m.add_argument(
        "--choropleth-level",
        choices=["auto", "buurt", "wijk"],
        default="auto",
        help="colour buurten or wijken; auto (default): buurten when some buurt has the "
        "figure, else wijken, with a note",
    )
    m.add_argument("--no-cluster", action="store_true", help="draw every marker, no clustering")
    m.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    m.set_defaults(func=_cmd_map)


def _cmd_map(args: argparse.Namespace) -> int:
    check_out(args.out, inputs=input_paths(args), suffixes=(".html", ".htm"))
    inputs = read_inputs(args)  # the files, or the workspace in the database
    area_frame, asset_frame, notes, talents = (
        inputs.areas,
        inputs.assets,
        inputs.notes,
        inputs.talents,
    )
    if args.talents and talents is not None:
        notes.append(Msg("note.map.talents_read", path=args.talents.name, n=len(talents)))
    level = None if args.choropleth_level == "auto" else args.choropleth_level
    if args.choropleth:
        level, level_note = choropleth_level(area_frame, args.choropleth, level)
        notes += [level_note] if level_note else []
    fmap = build_map(
        area_frame,
        asset_frame,
        talents=talents,
        lang=args.lang,
        basemap=args.basemap,
        choropleth=args.choropleth,
        choropleth_level=level,
        cluster=not args.no_cluster,
    )
    write_atomic(args.out, map_html(fmap))

    located = assign_areas(asset_frame, area_frame)
    outside = outside_count(located)
    if outside:
        every = outside == len(located)
        key = "note.map.outside_all" if every else "note.map.outside_some"
        notes.append(Msg(key, n=outside, total=len(located)))
    counts = count_by_type(asset_frame)
    if args.json:
        print(
            json.dumps(
                {
                    "out": str(args.out),
                    "assets_total": len(asset_frame),
                    "counts": counts,
                    "outside_areas": outside,
                    "areas": {
                        lvl: int((area_frame["level"] == lvl).sum()) for lvl in ("wijk", "buurt")
                    },
                    "notes": [localise(note, args.lang) for note in notes],
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
            print_note(note, args.lang)
        print(t("cli.map.wrote", args.lang, path=args.out), file=sys.stderr)
    return 0


def outside_count(located: gpd.GeoDataFrame) -> int:
    """Return how many assets lie in neither a buurt nor a wijk of the areas.

    ``located`` is the output of ``assign_areas``. An areas file of wijken only gives no
    ``buurt_code`` at all, so only a point with neither code counts as outside.
    """
    return int((located["buurt_code"].isna() & located["wijk_code"].isna()).sum())


def choropleth_level(
    areas: gpd.GeoDataFrame, figure: str, asked: str | None
) -> tuple[str | None, Msg | None]:
    """Return the level ``--choropleth`` colours, and a note when it is not what one expects.

    ``asked`` is ``buurt``, ``wijk`` or None (auto: buurten when some buurt has the figure,
    else wijken, e.g. for CBS figures given per wijk only).
    """
    levels = levels_with(areas, figure)
    if asked is not None:
        if asked in levels:
            return asked, None
        return asked, Msg("note.map.choropleth_level_empty", figure=figure, level=asked)
    if not levels:
        return None, Msg("note.map.choropleth_no_value", figure=figure)
    if levels[0] == "wijk":
        return "wijk", Msg("note.map.choropleth_wijken", figure=figure)
    return "buurt", None


def buurt_has_figure(areas: gpd.GeoDataFrame, figure: str) -> bool:
    """Return whether any buurt of ``areas`` has a value for the key figure ``figure``.

    Without such a value ``--choropleth`` colours the wijken instead (:func:`choropleth_level`).
    """
    if figure not in areas.columns:
        return False
    buurten = areas.loc[areas["level"] == "buurt", figure]
    return bool(buurten.notna().any())
