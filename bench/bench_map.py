"""Benchmark: building the asset map for 1,000 / 10,000 / 50,000 assets, on the server.

Compares, in one run, three ways to make the page of a map:

- **ours**: the app's and CLI's map (one clustering for all types, places as compact arrays,
  markers made in the browser), rendered to a standalone HTML page (``map_html``: Leaflet
  inlined);
- **naive**: one ``folium.Marker`` with a popup and tooltip per asset in a ``MarkerCluster``;
- **fast**: folium's ``FastMarkerCluster`` (one array, a marker with a popup made per row in
  the browser).

Server time is building the folium map plus rendering it to HTML; what the browser then does
with the page is ``bench_browser.py``'s. Runs are interleaved (size by size, way after way,
round after round) and every figure is the median of ``--rounds`` runs (default 3), with the
fastest and slowest run beside it. "× ours" is the median server time of a way divided by
ours: how many times longer it takes to make the page, nothing about the browser.

Targets (``--check``): 50,000 assets in under 1 s, at least 50x faster than naive, HTML < 5 MB.

Run: ``python bench/bench_map.py`` (several minutes: the naive way takes about a minute per
round at 50,000).
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import FastMarkerCluster, MarkerCluster
from shapely.geometry import box

# Measure the checkout this file is in, not another copy of the package that is installed
# (``python bench/...`` puts bench/ first on the path, not the checkout).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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
    assets = realistic_assets(n, rng)
    return areas, assets


#: Words for made-up but realistic names, streets and descriptions.
_NAME_A = [
    "Linde",
    "Eik",
    "Beuk",
    "Berk",
    "Wilg",
    "Hazel",
    "Vlier",
    "Ster",
    "Zon",
    "Maan",
    "Regenboog",
    "Klaver",
    "Kastanje",
    "Hoek",
    "Brug",
    "Molen",
    "Haven",
    "Poort",
    "Toren",
    "Tuin",
    "Akker",
    "Beek",
    "Dijk",
    "Gaarde",
    "Hof",
    "Kamp",
    "Veld",
    "Weide",
    "Boom",
    "Es",
]
_NAME_B = [
    "hof",
    "hoek",
    "huis",
    "nest",
    "plein",
    "kring",
    "punt",
    "stek",
    "plek",
    "lust",
    "oord",
    "dal",
    "veld",
    "zicht",
    "werf",
    "kamer",
]
_STREETS = [
    f"{a}{b}"
    for a in [
        "Berken",
        "Eiken",
        "Beuken",
        "Linden",
        "Wilgen",
        "Kastanje",
        "Rozen",
        "Tulpen",
        "Lelie",
        "Dahlia",
        "Zonne",
        "Molen",
        "Kerk",
        "School",
        "Dorps",
        "Haven",
        "Stations",
        "Brink",
        "Veld",
        "Wei",
    ]
    for b in ("straat", "laan", "weg", "plein", "singel", "hof", "kade", "pad", "dreef", "erf")
]
_WORDS = [
    "elke",
    "dinsdag",
    "koffie",
    "en",
    "thee",
    "voor",
    "iedereen",
    "uit",
    "de",
    "buurt",
    "welkom",
    "gratis",
    "samen",
    "eten",
    "koken",
    "spelletjes",
    "kinderen",
    "ouderen",
    "moestuin",
    "vrijwilligers",
    "gezocht",
    "open",
    "inloop",
    "ochtend",
    "middag",
    "avond",
    "repair",
    "cafe",
    "taalles",
    "hulp",
    "bij",
    "formulieren",
    "wandelen",
    "fietsen",
    "muziek",
    "zingen",
    "koor",
    "bewegen",
    "yoga",
    "schaken",
    "kaarten",
    "bingo",
    "buurtfeest",
    "markt",
    "kleding",
    "ruilen",
    "boeken",
    "lenen",
    "computerles",
    "jongeren",
    "huiswerk",
    "sport",
    "voetbal",
    "speeltuin",
    "bankje",
]
_TAGS = ["", "", "", "ouderen", "kinderen;spelen", "ontmoeting;koffie", "groen", "jongeren;sport"]
_SOURCES = ["Gemeente", "Wijkteam", "OpenStreetMap-export", "Bewonersavond"]


def realistic_assets(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return ``n`` assets with realistic texts: distinct names and addresses, a description
    of 40-200 characters on about 30% of them, a few tag combinations, a few sources."""
    cat = catalogue()
    types = rng.choice([k for k in cat.types if k != "talent"], n)
    a, b = rng.integers(0, len(_NAME_A), n), rng.integers(0, len(_NAME_B), n)
    streets = rng.integers(0, len(_STREETS), n)
    numbers = rng.integers(1, 400, n)
    letters = rng.choice(["", "", "a", "b", "c"], n)
    addresses = [f"{_STREETS[s]} {h}{x}" for s, h, x in zip(streets, numbers, letters, strict=True)]
    # Names as in the real Deventer data (about 24 characters on average): some carry the
    # type ("Buurthuis De Linde"), some not ("Lindehof"), some a street ("Speelplek
    # Berkenlaan"); every name once.
    style = rng.integers(0, 4, n)
    names, seen = [], set()
    for k, i, j, s, how in zip(types, a, b, streets, style, strict=True):
        label = cat.types[k].label_nl.replace(",", " ").split()[0]
        name = [
            f"{label} De {_NAME_A[i]}{_NAME_B[j]}",
            f"De {_NAME_A[i]}{_NAME_B[j]}",
            f"{label} {_STREETS[s]}",
            f"Stichting {_NAME_A[i]}{_NAME_B[j]} aan de {_STREETS[s]}",
        ][how]
        for extra in (f"{label} {_NAME_A[i]}{_NAME_B[j]}", f"{_NAME_A[i]}{_NAME_B[j]} {label}"):
            if name in seen:
                name = extra
        number = 2
        while name in seen:
            name = f"{name.rsplit(' (', 1)[0]} ({number})"
            number += 1
        seen.add(name)
        names.append(name)
    described = rng.random(n) < 0.3
    descriptions: list[str | None] = []
    for has in described:
        if not has:
            descriptions.append(None)
            continue
        length = int(rng.integers(40, 201))
        words: list[str] = []
        while len(" ".join(words)) < length:
            words.append(str(rng.choice(_WORDS)))
        descriptions.append(" ".join(words)[:length].strip().capitalize() + ".")
    return gpd.GeoDataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "name": names,
            "type": types,
            "description": descriptions,
            "address": addresses,
            "tags": [_TAGS[i] or None for i in rng.integers(0, len(_TAGS), n)],
            "source": [_SOURCES[i] for i in rng.integers(0, len(_SOURCES), n)],
            "status": np.where(rng.random(n) < 0.05, "planned", "existing"),
            "capacity": np.where(rng.random(n) < 0.1, rng.integers(10, 200, n), np.nan),
        },
        geometry=gpd.points_from_xy(rng.uniform(5.0, 5.3, n), rng.uniform(52.0, 52.2, n)),
        crs="EPSG:4326",
    )


def ours(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """Our way: the app's and CLI's map, rendered standalone."""
    return map_html(build_map(areas, assets, basemap="none"))


def naive(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """The naive way: one folium.Marker (with popup and tooltip) per asset in a MarkerCluster."""
    fmap = folium.Map(location=[52.1, 5.15], zoom_start=12)
    folium.GeoJson(areas.to_json(), name="areas").add_to(fmap)
    cluster = MarkerCluster().add_to(fmap)
    for row in assets.itertuples():
        about = row.description if isinstance(row.description, str) else ""
        text = f"<b>{html.escape(row.name)}</b><br>{html.escape(about)}"
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            popup=folium.Popup(text),
            tooltip=html.escape(row.name),
        ).add_to(cluster)
    return fmap.get_root().render()


def fast(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """folium's ``FastMarkerCluster``: one array of rows, a marker with a popup made per row."""
    fmap = folium.Map(location=[52.1, 5.15], zoom_start=12)
    folium.GeoJson(areas.to_json(), name="areas").add_to(fmap)
    rows = [[row.geometry.y, row.geometry.x, html.escape(row.name)] for row in assets.itertuples()]
    callback = (
        "function (row) { var m = L.marker(new L.LatLng(row[0], row[1]));"
        " m.bindPopup(row[2]); return m; }"
    )
    FastMarkerCluster(rows, callback=callback).add_to(fmap)
    return fmap.get_root().render()


SIDES: dict[str, Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame], str]] = {
    "ours": ours,
    "naive": naive,
    "fast": fast,
}


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
    parser.add_argument("--rounds", type=int, default=3, help="runs per way; medians shown")
    parser.add_argument("--sides", default=",".join(SIDES), help="which ways, comma-separated")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    sides = [s for s in args.sides.split(",") if s]

    for side in sides:
        SIDES[side](*synthetic(100))  # warm up imports and template compilation
    inputs = {n: synthetic(n) for n in sizes}
    loads = []
    runs: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for round_ in range(args.rounds):
        for n in sizes:
            for side in sides:
                loads.append(os.getloadavg()[0])
                runs.setdefault((n, side), []).append(timed(SIDES[side], *inputs[n]))
                seconds, mb = runs[(n, side)][-1]
                shown = f"{n:,} {side} {seconds:.3f} s {mb:.2f} MB"
                print(f"round {round_ + 1}: {shown}", file=sys.stderr)
    memory = {n: peak_memory_mb(ours, *inputs[n]) for n in sizes} if "ours" in sides else {}

    print(
        f"Server time to build and render the page: medians of {args.rounds} interleaved runs "
        f"(fastest-slowest); load average (1 min) {min(loads):.2f}-{max(loads):.2f} on "
        f"{os.cpu_count()} CPUs"
    )
    print("| assets | way | seconds | fastest-slowest | HTML MB | peak MB | × ours |")
    print("|---|---|---|---|---|---|---|")
    medians = {key: statistics.median(s for s, _ in found) for key, found in runs.items()}
    for (n, side), found in runs.items():
        times = [s for s, _ in found]
        ratio = medians[(n, side)] / medians[(n, "ours")] if "ours" in sides else float("nan")
        peak = f"{memory[n]:.0f}" if side == "ours" else ""
        print(
            f"| {n:,} | {side} | {medians[(n, side)]:.3f} | {min(times):.3f}-{max(times):.3f} "
            f"| {found[0][1]:.2f} | {peak} | {ratio:.1f} |"
        )
    failures = []
    largest = max(sizes)
    if "ours" in sides:
        mine, size_mb = medians[(largest, "ours")], runs[(largest, "ours")][0][1]
        if mine >= TARGET_S:
            failures.append(f"{largest} assets took {mine:.2f} s (target < {TARGET_S} s)")
        if size_mb >= TARGET_MB:
            failures.append(f"HTML {size_mb:.2f} MB (target < {TARGET_MB} MB)")
        if "naive" in sides and medians[(largest, "naive")] / mine < TARGET_SPEEDUP:
            speedup = medians[(largest, "naive")] / mine
            failures.append(f"{speedup:.0f}x faster than naive (target >= {TARGET_SPEEDUP:.0f}x)")
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("all targets met")
    return 1 if (failures and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
