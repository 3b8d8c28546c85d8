"""``asset-map gaps``: walking-distance coverage and suggested new meeting places."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.cli._common import (
    add_input_args,
    print_note,
    read_inputs,
    split_list,
    write_atomic,
)
from asset_map.i18n import Msg, localise, t
from asset_map.render.map import map_html
from asset_map.render.styles import format_number

if TYPE_CHECKING:
    from asset_map.analysis.gaps import GapResult, NeedWeights
    from asset_map.model import Lang

#: The number options checked against ``analysis.gaps.RANGES``: parameter -> (the
#: attribute of the parsed arguments, the option as the user types it).
OPTIONS = {
    "walk_min": ("walk_min", "--walk-min"),
    "speed_kmh": ("speed", "--speed"),
    "detour": ("detour", "--detour"),
    "cell_m": ("cell_m", "--cell-m"),
    "new_sites": ("new_sites", "--new-sites"),
}
#: The option to name for a problem ``GapParams`` finds, by the problem's text key.
PROBLEM_OPTIONS = {
    "err.gaps.candidate_kinds": "--candidates",
    "err.gaps.no_candidate_kind": "--candidates",
    "err.gaps.meeting_types": "--meeting-types",
}


def register(commands: Any) -> None:
    """Add the gaps command(s) to the ``asset-map`` parser."""
    g = commands.add_parser(
        "gaps",
        help="who lives beyond walking distance of a meeting place, and where new ones help most",
        description="Coverage of (weighted) residents within walking distance of a meeting "
        "place, before and after the suggested new sites (maximal covering location problem).",
    )
    add_input_args(g)
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


def _cmd_gaps(args: argparse.Namespace) -> int:
    from asset_map.analysis.gaps import GapParams, analyse_gaps
    from asset_map.io.export import sites_to_csv, sites_to_geojson
    from asset_map.render.gaps import build_gap_map

    check_options(args)
    try:
        params = GapParams(
            walk_min=args.walk_min,
            speed_kmh=args.speed,
            detour=args.detour,
            cell_m=args.cell_m,
            weights=_weights(args),
            meeting_types=tuple(split_list(args.meeting_types)) or None,
            include_planned=args.what_if,
            new_sites=args.new_sites,
            solver=args.solver,
            candidates=tuple(split_list(args.candidates)),
        )
    except AssetMapError as exc:  # name the option the problem is in, when we know it
        problem = exc.args[0] if exc.args else str(exc)
        option = PROBLEM_OPTIONS.get(getattr(problem, "key", ""))
        if option is None:
            raise
        raise AssetMapError(
            Msg("err.gaps.option_problem", option=option, problem=problem)
        ) from None
    if args.out_sites and args.out_sites.suffix.lower() not in {".csv", ".geojson", ".json"}:
        raise AssetMapError(Msg("err.gaps.out_sites", name=args.out_sites.name))
    lang = args.lang
    # With --gemeente: meeting places across its border within walking distance count too.
    areas, assets, notes = read_inputs(args, assets_within_m=params.max_walk_m)
    network = None
    if args.network:
        from asset_map.io.network import read_walk_network

        network = read_walk_network(args.network)
    grid = None
    if args.population_grid:
        from asset_map.analysis.population_grid import read_population_grid

        grid = read_population_grid(args.population_grid)
    result = analyse_gaps(areas, assets, params, population_grid=grid, network=network)
    baseline = None
    if params.include_planned:  # what-if: the same without the planned places, to compare
        plain = dataclasses.replace(params, include_planned=False, new_sites=0)
        baseline = analyse_gaps(areas, assets, plain, population_grid=grid, network=network)
    if args.out_map:
        fmap = build_gap_map(result, areas, assets, lang=args.lang, basemap=args.basemap)
        write_atomic(args.out_map, map_html(fmap))
    named = result.sites.copy()
    named["name"] = [localise(name, lang) for name in named["name"]]  # grid cells: lang
    if args.out_sites:
        sites_out = named.copy()  # no meeting place at all: missing, not Infinity
        far = sites_out["nearest_meeting_m"].astype("float64")
        sites_out["nearest_meeting_m"] = far.where(far.abs() != math.inf)
        data = (sites_to_csv if args.out_sites.suffix.lower() == ".csv" else sites_to_geojson)(
            sites_out
        )
        write_atomic(args.out_sites, data.decode("utf-8"))
    s = result.summary
    if args.json:
        sites = [
            {
                "rank": int(site["rank"]),
                "name": str(site["name"]),
                "kind": str(site["kind"]),
                "lon": round(float(site["lon"]), 6),
                "lat": round(float(site["lat"]), 6),
                "newly_covered": _num(site["newly_covered"], 1),
                "newly_residents": _num(site["newly_residents"], 1),
                "newly_65": _num(site["newly_65"], 1),
                "buurten": [str(b) for b in site["buurten"]],
                "nearest_meeting_m": _num(site["nearest_meeting_m"], 0),
            }
            for _, site in named.iterrows()
        ]
        print(
            json.dumps(
                {
                    "residents_total": _num(s["residents_total"], 1),
                    "weighted_total": _num(s["weighted_total"], 1),
                    "covered_before": _num(s["covered_before"], 1),
                    "covered_after": _num(s["covered_after"], 1),
                    "share_before": _num(s["share_before"], 4),
                    "share_after": _num(s["share_after"], 4),
                    "residents_estimated": _num(s["residents_estimated"], 1),
                    "buurten_estimated": int(s["buurten_estimated"]),
                    "params": {
                        "walk_min": params.walk_min,
                        "speed_kmh": params.speed_kmh,
                        "detour": params.detour,
                        "max_walk_m": round(params.max_walk_m, 1),
                        "need": "custom" if args.weights else args.need,
                        "weights": [
                            params.weights.all_residents,
                            params.weights.aged_65_plus,
                            params.weights.single_households,
                        ],
                        "new_sites": params.new_sites,
                        "solver": params.solver,
                        "network": bool(network is not None),
                    },
                    "solver": s.get("solver"),
                    "mip_gap": _num(s.get("mip_gap"), 6),
                    "what_if": None
                    if baseline is None
                    else {
                        "covered_without_planned": _num(baseline.summary["covered_before"], 1),
                        "share_without_planned": _num(baseline.summary["share_before"], 4),
                    },
                    "sites": sites,
                    "buurten": buurt_rows(result.buurten),
                    "warnings": [localise(w, lang) for w in result.warnings],
                    "notes": [localise(n, lang) for n in notes],
                },
                ensure_ascii=False,
                indent=2,
                allow_nan=False,
            )
        )
    else:
        _print_text(s, baseline, named, lang)
        for warning in [*result.warnings, *notes]:
            print_note(warning, lang)
    return 0


def _print_text(
    s: dict[str, Any], baseline: GapResult | None, sites: pd.DataFrame, lang: Lang
) -> None:
    """Print the coverage before and after, and the suggested sites, in ``lang``."""

    def share(value: float) -> str:
        return format_number(100 * value, "%", lang)

    if baseline is not None:
        print(f"{t('gaps.cli.what_if', lang)}: {share(baseline.summary['share_before'])}")
        print(f"{t('gaps.share_with_planned', lang)}: {share(s['share_before'])}")
    else:
        print(f"{t('gaps.share_before', lang)}: {share(s['share_before'])}")
    print(f"{t('gaps.share_after', lang)}: {share(s['share_after'])}")
    if len(sites):
        print(t("gaps.cli.sites", lang))
    for _, site in sites.iterrows():
        gained = format_number(round(float(site["newly_covered"])), lang=lang)
        print(
            f"{int(site['rank']):>2}. {site['name']}  +{gained} "
            f"({site['lat']:.5f}, {site['lon']:.5f})"
        )


def buurt_rows(buurten: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the gap analysis per buurt as JSON objects (missing numbers as null).

    ``estimated`` is true where the buurt's residents (or a figure the weights need) were
    estimated from its wijk's figures.
    """
    return [
        {
            "code": str(row["code"]),
            "name": str(row["name"]),
            "wijk_code": None if pd.isna(row["wijk_code"]) else str(row["wijk_code"]),
            "residents": _num(row["residents"], 1),
            "weighted": _num(row["weight"], 1),
            "share_covered": _num(row["share_covered"], 4),
            "share_covered_after": _num(row["share_covered_after"], 4),
            "mean_walk_m": _num(row["mean_walk_m"], 0),
            "figures_missing": bool(row["figures_missing"]),
            "estimated": bool(row["estimated"]),
        }
        for _, row in buurten.iterrows()
    ]


def check_options(args: argparse.Namespace) -> None:
    """Refuse a number option outside its range, naming the option as the user typed it.

    Raises
    ------
    AssetMapError
        E.g. ``--walk-min must be between 1 and 60 minutes; you gave 0.``
    """
    from asset_map.analysis.gaps import RANGES

    for name, (attr, option) in OPTIONS.items():
        value = getattr(args, attr)
        lo, hi, unit = RANGES[name]
        if not lo <= value <= hi:  # also refuses NaN
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            raise AssetMapError(
                Msg(
                    "err.gaps.option_range",
                    option=option,
                    lo=lo,
                    hi=hi,
                    unit=Msg(unit),
                    value=shown,
                )
            )


def _num(value: Any, digits: int) -> float | None:
    """Return ``value`` rounded, or None (JSON null) when it is missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def _weights(args: argparse.Namespace) -> NeedWeights:
    from asset_map.analysis.gaps import NeedWeights

    if not args.weights:
        return NeedWeights.preset(args.need)
    try:
        values = [float(v) for v in split_list(args.weights)]
    except ValueError:
        values = []
    if len(values) != 3:
        raise AssetMapError(Msg("err.gaps.option_weights", value=args.weights))
    try:
        return NeedWeights(*values)
    except AssetMapError as exc:  # e.g. all three 0: name the option
        raise AssetMapError(
            Msg("err.gaps.option_problem", option=f"--weights {args.weights}", problem=exc.args[0])
        ) from None
