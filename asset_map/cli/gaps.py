"""``asset-map gaps``: walking-distance coverage and suggested new meeting places.

The options are checked once, by :func:`asset_map.services.options.gap_params`, with the
defaults and ranges of :mod:`asset_map.settings`; the analysis runs in
:func:`asset_map.services.gaps.run_gaps`. Without ``--areas`` and ``--assets`` the workspace
in the database is analysed (after ``asset-map import`` or ``fetch``).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from asset_map import settings
from asset_map.cli._common import add_input_args, print_note, read_inputs
from asset_map.cli._outputs import write_atomic
from asset_map.i18n import localise, t
from asset_map.render.map import map_html
from asset_map.render.styles import format_number
from asset_map.services import gaps as gap_service
from asset_map.services.options import (
    CANDIDATE_CHOICES,
    DEFAULT_CANDIDATES,
    NEED_CHOICES,
    SOLVER_CHOICES,
    add_number,
    add_profile_and_window,
    gap_params,
)

if TYPE_CHECKING:
    from asset_map.analysis.gaps import GapResult
    from asset_map.model import Lang


def register(commands: Any) -> None:
    """Add the gaps command(s) to the ``asset-map`` parser."""
    g = commands.add_parser(
        "gaps",
        help="who lives beyond walking distance of a meeting place, and where new ones help most",
        description="Coverage of (weighted) residents within walking distance of a meeting "
        "place, before and after the suggested new sites (maximal covering location problem). "
        "Without --areas and --assets the workspace in the database is analysed.",
    )
    add_input_args(g)
    add_number(g, settings.WALK_MIN, "walking time")
    add_profile_and_window(g)
    add_number(g, settings.SPEED_KMH, "walking speed (replaces the profile's)")
    add_number(
        g, settings.DETOUR, "walking distance = straight line x detour (replaces the profile's)"
    )
    g.set_defaults(speed_kmh=None, detour=None)
    add_number(g, settings.CELL_M, "demand grid cell size")
    presets = [n for n in NEED_CHOICES if n != "custom"]
    g.add_argument(
        "--need",
        choices=presets,
        default=presets[0],
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
    add_number(g, settings.NEW_SITES, "how many new sites to suggest")
    g.add_argument(
        "--solver",
        choices=list(SOLVER_CHOICES),
        default=SOLVER_CHOICES[0],
        help="greedy (default: fast, nearly the best choice) or exact (HiGHS, starting from "
        "the greedy choice; stops after --time-limit)",
    )
    add_number(g, settings.TIME_LIMIT_S, "the exact solver's time limit")
    g.add_argument(
        "--candidates",
        default=",".join(DEFAULT_CANDIDATES),
        help=f"where new sites may go: {','.join(CANDIDATE_CHOICES)} "
        f"(default {','.join(DEFAULT_CANDIDATES)})",
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
    from asset_map.io.export import sites_to_csv, sites_to_geojson
    from asset_map.render.gaps import build_gap_map

    params = gap_params(
        walk_min=args.walk_min,
        speed_kmh=args.speed_kmh,
        detour=args.detour,
        cell_m=args.cell_m,
        need=args.need,
        weights=args.weights,
        meeting_types=args.meeting_types,
        include_planned=args.what_if,
        new_sites=args.new_sites,
        solver=args.solver,
        candidates=args.candidates,
        profile=args.profile,
        profile_65=args.profile_65,
        profile_single=args.profile_single,
        window=args.window,
        unknown=args.unknown,
        time_limit_s=args.time_limit_s,
    )
    if args.out_sites:
        gap_service.check_sites_file(args.out_sites)
    lang = args.lang
    # With --gemeente: meeting places across its border within walking distance count too.
    inputs = read_inputs(args, assets_within_m=params.max_walk_m)
    areas, assets, notes = inputs.areas, inputs.assets, inputs.notes
    network = gap_service.read_network(args.network) if args.network else None
    grid = gap_service.read_grid(args.population_grid) if args.population_grid else None
    run = gap_service.run_gaps(
        areas, assets, params, network=network, grid=grid, activities=inputs.activities
    )
    result, baseline = run.result, run.baseline
    if args.out_map:
        fmap = build_gap_map(result, areas, assets, lang=args.lang, basemap=args.basemap)
        write_atomic(args.out_map, map_html(fmap))
    named = gap_service.named_sites(result.sites, lang)  # grid cells: lang
    if args.out_sites:
        data = (sites_to_csv if args.out_sites.suffix.lower() == ".csv" else sites_to_geojson)(
            named
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
                **_numbers(site, _SITE_NUMBERS),
                "buurten": [str(b) for b in site["buurten"]],
            }
            for _, site in named.iterrows()
        ]
        print(
            json.dumps(
                {
                    **_numbers(s, _SUMMARY_NUMBERS),
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
                        "time_limit_s": params.time_limit_s,
                        "network": bool(network is not None),
                        "profile": params.profile,
                        "profile_65plus": params.group_profiles()[1].key,
                        "profile_single": params.group_profiles()[2].key,
                        "window": params.window,
                        "unknown": "count" if params.unknown_counts else "skip",
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
                    "windows": window_rows(result.windows),
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
        _print_windows(result.windows, lang)
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


def window_rows(windows: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the coverage per time window as JSON objects (missing numbers as null)."""
    return [
        {
            "window": str(row["window"]),
            "places": int(row["places"]),
            "covered_weight": _num(row["covered_weight"], 1),
            "share": _num(row["share"], 4),
        }
        for _, row in windows.iterrows()
    ]


def _print_windows(windows: pd.DataFrame, lang: Lang) -> None:
    """Print the coverage per time window: a gap in the evenings shows here."""
    print(t("gaps.cli.windows", lang))
    for _, row in windows.iterrows():
        share = (
            format_number(100 * float(row["share"]), "%", lang)
            if row["share"] == row["share"]
            else "–"
        )
        places = t("gaps.cli.window_places", lang, n=int(row["places"]))
        print(f"  {t(settings.WINDOWS[row['window']].label, lang)}: {share} ({places})")


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
            **_numbers(row, _BUURT_NUMBERS),
            "figures_missing": bool(row["figures_missing"]),
            "estimated": bool(row["estimated"]),
        }
        for _, row in buurten.iterrows()
    ]


#: The numbers of the JSON output (see :func:`_numbers`).
_SUMMARY_NUMBERS = [
    *("residents_total", "weighted_total", "covered_before", "covered_after"),
    *("share_before", "share_after", "residents_estimated"),
]
_SITE_NUMBERS = ["newly_covered", "newly_residents", "newly_65", "nearest_meeting_m"]
_BUURT_NUMBERS = ["residents", "weight", "share_covered", "share_covered_after", "mean_walk_m"]
#: Columns whose JSON key is another word.
_JSON_NAMES = {"weight": "weighted"}


def _numbers(row: Any, columns: list[str]) -> dict[str, float | None]:
    """Return ``columns`` of ``row`` as JSON numbers, rounded by what they hold.

    Shares get 4 decimals, metres (``_m``) none, the rest (residents) 1.
    """
    return {
        _JSON_NAMES.get(c, c): _num(row[c], 4 if "share" in c else 0 if c.endswith("_m") else 1)
        for c in columns
    }


def _num(value: Any, digits: int) -> float | None:
    """Return ``value`` rounded, or None (JSON null) when it is missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None
