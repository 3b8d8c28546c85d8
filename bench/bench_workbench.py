"""Benchmark: the workbench and Verbinden on a large gemeente (50,000 assets).

Times what one click in the app does on the server: filtering the assets (text search and
tags), the figures per wijk and buurt, an export of the selection in each format, the places
and activities near a resident, and the talents that match a meeting place (10,000 approved
talents). Prints a table; with ``--check`` exits non-zero when a step takes over its bound
(generous: a 2-core CI machine).

Run: ``python bench/bench_workbench.py`` (about half a minute).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from bench_map import synthetic

from asset_map.analysis.areas import assign_areas
from asset_map.analysis.indicators import area_figures
from asset_map.analysis.matching import match_talents
from asset_map.analysis.nearby import nearby, week_schedule
from asset_map.analysis.query import AssetQuery, filter_assets
from asset_map.io.export import EXPORT_FORMATS, selection_bytes
from asset_map.model import ACTIVITY_COLUMNS, catalogue

N_ASSETS = 50_000
N_ACTIVITIES = 20_000
N_TALENTS = 10_000
#: Seconds per step; a click that takes longer feels broken.
BOUND_S = 2.0
#: Exporting all 50,000 assets is rarer than a click; it may take longer.
EXPORT_BOUND_S = 10.0


def _timed(label: str, work, rows: list[tuple[str, float, str]], bound: float = BOUND_S):
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    rows.append((label, seconds, "ok" if seconds <= bound else f"over {bound:.0f} s"))
    return result


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a bound is missed")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    areas, assets = synthetic(N_ASSETS)
    assets = assign_areas(assets, areas)
    cat = catalogue()
    kinds, groups = list(cat.activity_kinds), list(cat.target_groups)
    activities = pd.DataFrame(
        {
            "id": [f"act{i}" for i in range(N_ACTIVITIES)],
            "asset_id": rng.choice(assets["id"].to_numpy(), N_ACTIVITIES),
            "title": [f"Activiteit {i}" for i in range(N_ACTIVITIES)],
            "kind": rng.choice(kinds, N_ACTIVITIES),
            "weekday": rng.integers(1, 8, N_ACTIVITIES),
            "start": "10:00",
            "end": "12:00",
            "target_group": rng.choice(groups, N_ACTIVITIES),
            "organiser": "Welzijn",
            "contact": "info@welzijn.example",
            "description": "",
        }
    )[ACTIVITY_COLUMNS]
    categories = list(cat.talent_categories)
    buurten = areas.loc[areas["level"] == "buurt", "code"].to_numpy()
    talents = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(N_TALENTS)],
            "nickname": [f"Bewoner {i}" for i in range(N_TALENTS)],
            "categories": rng.choice(categories, N_TALENTS),
            "description": "",
            "wishes": "help_neighbour",
            "availability": "",
            "buurt_code": rng.choice(buurten, N_TALENTS),
            "status": "approved",
        }
    )
    rows: list[tuple[str, float, str]] = []
    query = AssetQuery(buurten=("BU99990101",), tags=("koffie",), text="plek 1")
    chosen = _timed("filter (buurt, tag, text)", lambda: filter_assets(assets, query), rows)
    _timed("figures per buurt", lambda: area_figures(areas, assets, level="buurt"), rows)
    for fmt in EXPORT_FORMATS:
        _timed(
            f"export all as {fmt} (EPSG:28992)",
            lambda fmt=fmt: selection_bytes(assets, fmt=fmt, crs="EPSG:28992"),
            rows,
            EXPORT_BOUND_S,
        )
    found = _timed(
        "near me (10 min)", lambda: nearby((5.15, 52.1), assets, activities, walk_min=10), rows
    )
    _timed("what's on this week", lambda: week_schedule(activities, assets), rows)
    place = assets.iloc[0]
    matches = _timed(
        "talents matching a place",
        lambda: match_talents(place, ("koken", "organiseren"), talents, areas),
        rows,
    )
    print(f"{N_ASSETS:,} assets, {N_ACTIVITIES:,} activities, {N_TALENTS:,} approved talents")
    print(
        f"filtered: {len(chosen):,}; near me: {len(found.places):,} places, "
        f"{len(found.activities):,} activities; matches: {len(matches):,}"
    )
    width = max(len(r[0]) for r in rows)
    for label, seconds, verdict in rows:
        print(f"  {label:<{width}}  {seconds:7.3f} s  {verdict}")
    missed = [r for r in rows if r[2] != "ok"]
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
