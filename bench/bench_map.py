"""Benchmark: building the asset map for 1,000 / 10,000 / 50,000 assets.

Compares, in one run, our map (one clustered layer per type, points as one JSON array,
markers made in the browser) with the naive way (one ``folium.Marker`` with a popup per
asset in a ``MarkerCluster``). Server time is building the folium map plus rendering it to a
standalone HTML page. Prints a table; with ``--check`` exits non-zero when a target is missed.

Targets (issue 2): 50,000 assets in under 1 s, at least 50x faster than naive, HTML < 5 MB.

Run: ``python bench/bench_map.py`` (about a minute and a half: the naive way is slow).
"""

from __future__ import annotations

import argparse
import html
import sys
import time
import tracemalloc

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import MarkerCluster
from shapely.geometry import box

from asset_map.model import catalogue
from asset_map.render.map import build_map, map_html

TARGET_S = 1.0
TARGET_SPEEDUP = 50.0
TARGET_MB = 5.0


def synthetic(n: int, seed: int = 42) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return one wijk with two buurten and ``n`` assets of every type spread over it."""
    rng = np.random.default_rng(seed)
    areas = gpd.GeoDataFrame(
        {
            "code": ["WK999901", "BU99990101", "BU99990102"],
            "name": ["Wijk", "Buurt A", "Buurt B"],
            "level": ["wijk", "buurt", "buurt"],
            "parent_code": ["GM9999", "WK999901", "WK999901"],
            "inhabitants": [30000.0, 10000.0, 20000.0],
            "pct_65_plus": [20.0, 15.0, 25.0],
            "households": [15000.0, 5000.0, 10000.0],
            "pct_single_households": [35.0, 30.0, 40.0],
            "land_area_ha": [2000.0, 1000.0, 1000.0],
        },
        geometry=[
            box(5.0, 52.0, 5.3, 52.2),
            box(5.0, 52.0, 5.15, 52.2),
            box(5.15, 52.0, 5.3, 52.2),
        ],
        crs="EPSG:4326",
    )
    types = [k for k in catalogue().types if k != "talent"]
    assets = gpd.GeoDataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "name": [f"Plek {i} & Co" for i in range(n)],
            "type": rng.choice(types, n),
            "description": ["Een plek in de buurt."] * n,
            "address": [f"Dorpsstraat {i % 300 + 1}" for i in range(n)],
            "tags": ["ouderen;koffie"] * n,
            "source": ["bench"] * n,
            "status": ["existing"] * n,
            "capacity": [np.nan] * n,
        },
        geometry=gpd.points_from_xy(rng.uniform(5.0, 5.3, n), rng.uniform(52.0, 52.2, n)),
        crs="EPSG:4326",
    )
    return areas, assets


def ours(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """Our way: the app's and CLI's map, rendered standalone."""
    return map_html(build_map(areas, assets, basemap="none"))


def naive(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """The naive way: one folium.Marker (with popup and tooltip) per asset in a MarkerCluster."""
    fmap = folium.Map(location=[52.1, 5.15], zoom_start=12)
    folium.GeoJson(areas.to_json(), name="areas").add_to(fmap)
    cluster = MarkerCluster().add_to(fmap)
    for row in assets.itertuples():
        text = f"<b>{html.escape(row.name)}</b><br>{html.escape(row.description)}"
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            popup=folium.Popup(text),
            tooltip=html.escape(row.name),
        ).add_to(cluster)
    return fmap.get_root().render()


def timed(func, *args) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Return (seconds, MB of HTML) of one call."""
    start = time.perf_counter()
    page = func(*args)
    return time.perf_counter() - start, len(page.encode()) / 1e6


def peak_memory_mb(func, *args) -> float:  # type: ignore[no-untyped-def]
    """Return the peak Python memory (MB, tracemalloc) of one call; a separate, slower run."""
    tracemalloc.start()
    func(*args)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours; the best counts")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    ours(*synthetic(100))  # warm up imports and template compilation
    print(
        f"{'assets':>7} | {'ours s':>7} {'ours MB':>8} {'ours mem':>9} | "
        f"{'naive s':>8} {'naive MB':>9} | {'speed-up':>8}"
    )
    failures = []
    for n in sizes:
        areas, assets = synthetic(n)
        runs = [timed(ours, areas, assets) for _ in range(args.repeat)]
        best = min(runs)
        memory = peak_memory_mb(ours, areas, assets)
        slow = timed(naive, areas, assets)
        speedup = slow[0] / best[0]
        print(
            f"{n:>7} | {best[0]:>7.3f} {best[1]:>8.2f} {memory:>8.0f}M | "
            f"{slow[0]:>8.2f} {slow[1]:>9.2f} | {speedup:>7.0f}x",
            flush=True,
        )
        if n == max(sizes):
            if best[0] >= TARGET_S:
                failures.append(f"{n} assets took {best[0]:.2f} s (target < {TARGET_S} s)")
            if speedup < TARGET_SPEEDUP:
                failures.append(f"speed-up {speedup:.0f}x (target >= {TARGET_SPEEDUP:.0f}x)")
            if best[1] >= TARGET_MB:
                failures.append(f"HTML {best[1]:.2f} MB (target < {TARGET_MB} MB)")
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("all targets met")
    return 1 if (failures and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
