"""Benchmark: importing 1,000,000 points (GeoJSON and GeoPackage), and what the limits refuse.

Each import runs as ``asset-map import --assets FILE`` in a fresh process (this checkout's
code), into a SQLite database that already holds the demo's wijken and buurten; the wall
time and the peak memory (resident set) of that process are printed. The places are made
up but realistic: distinct names, types of the catalogue, addresses, a description on 30%
of them. ``--spread nl`` (default) spreads them over the Netherlands, as a national file
would; ``--spread gemeente`` crowds them into the demo gemeente (83 km2), 12,000 per km2.

Then the limits: a file larger than ``ASSET_MAP_MAX_FILE_MB`` and a GeoPackage with more
features than ``ASSET_MAP_MAX_FEATURES`` are refused, with the time it took to refuse them.

Targets: 1,000,000 points imported in under 60 s with under 2 GB; the refusals in well
under a second, before the file is read.

Run: ``python bench/bench_import.py`` (a few minutes: the files are made first, in a
temporary folder); ``--sizes 100000`` for a quick look, ``--check`` to exit 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, not an installed one

from asset_map.model import catalogue  # noqa: E402

TARGET_S = 60.0
TARGET_GB = 2.0
AREAS = ROOT / "data" / "demo" / "areas.geojson"
_A = [
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
    "Klaver",
    "Hoek",
    "Brug",
    "Molen",
    "Haven",
]
_B = [
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
]
_STREETS = [
    "Berkenlaan",
    "Eikenstraat",
    "Lindeweg",
    "Molenpad",
    "Kerkplein",
    "Dorpsstraat",
    "Havenkade",
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
    "inloop",
    "ochtend",
    "middag",
    "avond",
]


def places(n: int, spread: str, seed: int = 1) -> gpd.GeoDataFrame:
    """Return ``n`` made-up places with distinct names (see the module)."""
    rng = np.random.default_rng(seed)
    types = [k for k in catalogue().types if k != "talent"]
    labels = {k: catalogue().types[k].label_nl.split()[0] for k in types}
    kind = rng.choice(types, n)
    a, b = rng.choice(_A, n), rng.choice(_B, n)
    label = np.vectorize(labels.__getitem__)(kind)
    names = [f"{lab} De {x}{y} {k}" for k, (lab, x, y) in enumerate(zip(label, a, b, strict=True))]
    pool = [
        " ".join(rng.choice(_WORDS, rng.integers(6, 30))).capitalize() + "." for _ in range(997)
    ]
    described = rng.random(n) < 0.3
    descriptions = np.where(described, np.array(pool, dtype=object)[rng.integers(0, 997, n)], None)
    streets = np.array(_STREETS, dtype=object)[rng.integers(0, len(_STREETS), n)]
    addresses = [f"{s} {h}" for s, h in zip(streets, rng.integers(1, 400, n), strict=True)]
    if spread == "nl":
        lon, lat = rng.uniform(4.0, 7.0, n), rng.uniform(51.5, 53.2, n)
    else:
        lon, lat = rng.uniform(5.571, 5.661, n), rng.uniform(52.469, 52.515, n)
    return gpd.GeoDataFrame(
        {
            "id": [f"b{k}" for k in range(n)],
            "name": names,
            "type": kind,
            "description": descriptions,
            "address": addresses,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


#: Runs the command and says its own peak memory at the end (ru_maxrss of the process).
_WRAPPER = """
import resource, runpy, sys
sys.argv = ["asset-map", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("asset_map.cli", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def run(
    args: list[str], env: dict[str, str] | None = None, *, lines: bool = False
) -> tuple[Any, ...]:
    """Run ``asset-map ARGS`` in a fresh process; return seconds, its peak GB, its message.

    With ``lines``, also the number of lines it printed (stdout and stderr).
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    lines_wanted, lines = lines, done.stderr.strip().splitlines()
    if done.returncode not in (0, 2) or not lines or not lines[-1].startswith("PEAK_KB"):
        raise SystemExit(f"asset-map {' '.join(args)} failed:\n{done.stderr}")
    said = lines[-2] if len(lines) > 1 else ""
    peak = int(lines[-1].split()[1]) / 1e6
    if not lines_wanted:
        return seconds, peak, said
    return seconds, peak, said, len(done.stdout.splitlines()) + len(lines) - 1


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--spread", choices=["nl", "gemeente"], default="nl")
    parser.add_argument("--formats", default="gpkg,geojson")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        folder = Path(tmp)
        print(f"machine: {load_average()}")
        startup = run(["import", "--lang", "en"])[0]  # refused at once: start-up alone
        print(f"start-up of a command (Python, the package, no work): {startup:.1f} s")
        for n in [int(s) for s in args.sizes.split(",")]:
            frame = places(n, args.spread)
            for fmt in args.formats.split(","):
                path = folder / f"plekken_{n}.{fmt}"
                frame.to_file(path, engine="pyogrio")
                url = f"sqlite:///{folder / f'bench_{n}_{fmt}.sqlite'}"
                run(["import", "--areas", str(AREAS), "--database", url])
                size_mb = path.stat().st_size / 1e6
                seconds, gb, _ = run(
                    ["import", "--assets", str(path), "--source", "Bench", "--database", url]
                )
                print(
                    f"{n:>9,} points {fmt:<7} {size_mb:>6.0f} MB: {seconds:6.1f} s, "
                    f"peak {gb:.2f} GB ({args.spread}; {load_average()})",
                    flush=True,
                )
                if n >= 1_000_000 and (seconds >= TARGET_S or gb >= TARGET_GB):
                    failures.append(f"{n} points {fmt}: {seconds:.1f} s, {gb:.2f} GB")
            gpkg = folder / f"plekken_{n}.gpkg"
            if gpkg.exists():
                url = f"sqlite:///{folder / 'refusals.sqlite'}"
                run(["import", "--areas", str(AREAS), "--database", url])
                few = {"ASSET_MAP_MAX_FEATURES": str(max(n // 2, 1))}
                cmd = ["import", "--assets", str(gpkg), "--database", url, "--lang", "en"]
                seconds, _, said = run(cmd, env=few)
                print(
                    f"refused, {n:,} features over a limit of {n // 2:,}: {seconds:.2f} s: {said}"
                )
                small = {"ASSET_MAP_MAX_FILE_MB": str(max(int(gpkg.stat().st_size / 2e6), 1))}
                seconds, _, said = run(cmd, env=small)
                print(f"refused, a file over the size limit: {seconds:.2f} s: {said}")
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("all targets met")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
