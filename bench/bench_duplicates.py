"""Benchmark: 10,000 places of one name at one spot, imported (the duplicate check at scale).

Two imports, each ``asset-map import`` in a fresh process (this checkout's code) with its
wall time, peak memory and the number of lines it printed:

- *merged*: the database holds the demo's areas and one place; the file holds 10,000
  copies of it (same name, type and spot) from another source: all merge into that place;
- *kept*: the database holds the demo's areas and one place elsewhere; the 10,000 copies
  come from one source: all are kept (one source that lists a place twice means two
  things), told as one group of decisions.

The full list of decisions is written with ``--decisions-out``. Before, comparing every pair
took 205 s and 2.1 GB for 1,000 such places and printed ~500,000 lines.

Targets: under 10 s, under 1 GB and under 50 lines each.

Run: ``python bench/bench_duplicates.py`` (``--places N`` for another number, ``--check``
to exit 1 on a miss).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import ROOT, load_average, run

sys.path.insert(0, str(ROOT))
from asset_map.model import ASSET_COLUMNS
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store

TARGET_S, TARGET_GB, TARGET_LINES = 10.0, 1.0, 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    failures = []
    with tempfile.TemporaryDirectory(prefix="bench_duplicates_") as tmp:
        folder = Path(tmp)
        demo = load_workspace()
        place = demo.assets.iloc[[0]][ASSET_COLUMNS].copy()
        copies = gpd.GeoDataFrame(
            pd.concat([place] * args.places, ignore_index=True), geometry="geometry", crs=place.crs
        ).drop(columns=["source"])
        copies["id"] = [f"kopie-{k}" for k in range(len(copies))]
        path = folder / "kopieen.geojson"
        copies.to_file(path)
        elsewhere = demo.assets.iloc[[-1]][ASSET_COLUMNS].copy()
        print(f"machine: {load_average()}")
        startup = run(["import", "--lang", "en"])[0]  # refused at once: start-up alone
        print(f"start-up of a command (Python, the package, no work): {startup:.1f} s")
        for name, stored in (("merged", place), ("kept", elsewhere)):
            db = f"sqlite:///{folder / f'{name}.sqlite'}"
            with Store(db) as store:
                store.save_workspace(demo.areas, stored, meta={"name": "Lindeveen"}, actor="b")
            command = ["import", "--assets", str(path), "--source", "Wijkteam"]
            out = folder / f"{name}.csv"
            seconds, gb, _said, lines = run(
                [*command, "--database", db, "--decisions-out", str(out)], lines=True
            )
            rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
            with Store(db) as store:
                kept = len(store.load_workspace()[1])  # type: ignore[index]
            print(
                f"{args.places:,} at one spot, {name}: {seconds:.1f} s, peak {gb:.2f} GB, "
                f"{lines} lines printed, {kept:,} places stored, {rows:,} rows in the full list "
                f"({load_average()})"
            )
            if seconds >= TARGET_S or gb >= TARGET_GB or lines >= TARGET_LINES:
                failures.append(f"{name}: {seconds:.1f} s, {gb:.2f} GB, {lines} lines")
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("all targets met")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
