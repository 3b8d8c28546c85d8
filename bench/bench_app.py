"""Benchmark: what a person waits for in the running app, with ``streamlit run`` and a browser.

For the demo gemeente and a workspace of 50,000 places this starts ``streamlit run app.py``
(one server per checkout, workspace and round, on a database of its own) and drives Debian's
``chromium`` with Playwright, as a visitor would:

- ``kaart fresh``: the first visitor after the server started (nothing cached yet), from
  opening the Kaart to the first marker or cluster in the map;
- ``kaart second``: a second visitor (a new browser context: no browser cache either), the
  same;
- ``wijk filter``: that visitor picks a wijk in the sidebar; from the pick to the map showing
  exactly that wijk's places (counted from the clusters and markers on the map);
- ``kansen 5 sites``: on the Kansen screen, from "Bereken" with 5 new places to the map
  showing the 5 suggested places.

The 50k workspace is the demo's areas and its 300 places, plus 49,700 made-up places (names,
addresses and descriptions as in ``bench_map.py``) of types that are no meeting place, spread
over the gemeente: the Kaart carries 50,000 places and the Kansen screen has thousands of
buildings that could host a new meeting place, while the meeting places (and so the gaps)
stay the demo's. It is built once per run in a temporary SQLite database.

``--checkouts A,B`` times other checkouts of the app (e.g. ``/work/main`` before a change)
side by side: every figure is measured for every checkout in turn, round after round, and the
table shows the medians of ``--rounds`` runs (default 3). Run it with the checkout's Python
environment: ``python bench/bench_app.py`` (several minutes).

``--check`` exits 1 when a checkout misses a target: Kaart first paint for a second visitor
within 3 s on the demo and 5 s on 50,000 places; wijk filter within 1 s and 1.5 s. The
machine's load average is printed with every run: on a shared machine, compare checkouts
measured in the same run, not figures of different runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

# Measure the checkout this file is in, not another copy of the package that is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench_map import realistic_assets

from asset_map.analysis.areas import assign_areas, select_assets
from asset_map.model import catalogue
from asset_map.services.workspace import DEMO_DIR, load_workspace, open_workspace
from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_S = 120.0
SIZE_50K = 50_000
#: The wijk the filter picks (the demo's largest by places).
WIJK = ("WK999902", "Oosterhof")
TARGETS = {
    ("demo", "kaart second"): 3.0,
    ("50k", "kaart second"): 5.0,
    ("demo", "wijk filter"): 1.0,
    ("50k", "wijk filter"): 1.5,
}
COLUMNS = ("kaart fresh", "kaart second", "wijk filter", "kansen 5 sites")

#: The places a map shows: the counts in its cluster icons plus its single markers (not the
#: activities' markers, which sit on the places).
SHOWN_JS = """() => {
    let n = 0;
    document.querySelectorAll('.am-cluster [data-types]').forEach((c) => {
        c.dataset.types.split(' ').forEach((pair) => { n += Number(pair.split(':')[1]); });
    });
    document.querySelectorAll('.am-pin [data-layer]').forEach((pin) => {
        if (pin.dataset.layer !== 'activities') { n += 1; }
    });
    return n;
}"""


# --- the workspaces ------------------------------------------------------------------------


def build_databases(folder: Path) -> dict[str, Path]:
    """Write the demo and the 50k workspace into SQLite files; return them by name."""
    demo = folder / "demo.sqlite"
    with Store(f"sqlite:///{demo}") as store:
        open_workspace(store, seed_dir=DEMO_DIR)
    big = folder / "50k.sqlite"
    ws = load_workspace(DEMO_DIR)
    rng = np.random.default_rng(20261207)
    extra = realistic_assets(SIZE_50K - len(ws.assets), rng)
    others = [k for k, t in catalogue().types.items() if not t.meeting_place and k != "talent"]
    extra["type"] = rng.choice(others, len(extra))
    extra["id"] = [f"bench{i}" for i in range(len(extra))]
    extra["status"] = "existing"
    w, s, e, n = ws.areas.total_bounds
    extra = extra.set_geometry(
        gpd.points_from_xy(rng.uniform(w, e, len(extra)), rng.uniform(s, n, len(extra))),
        crs="EPSG:4326",
    )
    inside = assign_areas(extra, ws.areas)["buurt_code"].notna().to_numpy()
    assets = pd.concat([ws.assets[extra.columns], extra[inside]], ignore_index=True)
    meta = {**ws.meta, "name": "Lindeveen 50k", "is_demo": False}
    with Store(f"sqlite:///{big}") as store:
        store.save_workspace(
            ws.areas, assets, meta=meta, actor="bench", activities=ws.activities, needs=ws.needs
        )
    return {"demo": demo, "50k": big}


def wijk_places(database: Path) -> int:
    """Return how many places of the workspace lie in the wijk the filter picks."""
    with Store(f"sqlite:///{database}") as store:
        ws = open_workspace(store)
    return len(select_assets(ws.assets, wijken=[WIJK[0]]))


# --- the server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def app_server(checkout: Path, database: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` of ``checkout`` on ``database``; yield its URL."""
    port = _free_port()
    env = {
        **os.environ,
        "ASSET_MAP_DATABASE_URL": f"sqlite:///{database}",
        # Upload folders and the like beside the database: nothing written into the checkout.
        "ASSET_MAP_INSTANCE_DIR": str(database.with_suffix(".instance")),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ASSET_MAP_DATA_DIR", None)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the server runs, closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start:\n{log.read().decode()}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --- measuring -----------------------------------------------------------------------------


def _poll(check: Callable[[], bool], what: str, page) -> None:  # type: ignore[no-untyped-def]
    """Call ``check`` every 50 ms until it is true; fail on a timeout or an app error."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # a frame replaced while it was read: try again
            pass
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"the app showed an error while waiting for {what}")
        time.sleep(0.05)
    raise TimeoutError(f"waited {TIMEOUT_S:.0f} s for {what}")


def _shown(page) -> int:  # type: ignore[no-untyped-def]
    """Return the places the map on ``page`` shows (0 when there is no map yet)."""
    frame = page.frame_locator(MAP_FRAME).first
    return int(frame.locator("body").evaluate(SHOWN_JS, timeout=1000))


def open_kaart(context, url: str):  # type: ignore[no-untyped-def]
    """Open the Kaart; return the page and the seconds to the first marker or cluster."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    page.frame_locator(MAP_FRAME).first.locator(".leaflet-marker-icon").first.wait_for(
        state="visible", timeout=TIMEOUT_S * 1000
    )
    return page, time.perf_counter() - start


def pick_wijk(page, expected: int) -> float:  # type: ignore[no-untyped-def]
    """Pick the wijk in the sidebar; return the seconds until the map shows its places."""
    box = page.get_by_role("combobox", name="Wijk")
    box.click()
    box.press_sequentially(WIJK[1])
    page.get_by_role("option", name=WIJK[1], exact=True).first.wait_for()
    start = time.perf_counter()
    box.press("Enter")
    _poll(lambda: _shown(page) == expected, f"the map of wijk {WIJK[1]}", page)
    return time.perf_counter() - start


def kansen(page, url: str) -> float:  # type: ignore[no-untyped-def]
    """Ask the Kansen screen for 5 new places; return the seconds until the map shows them."""
    page.goto(f"{url}/kansen", wait_until="commit", timeout=TIMEOUT_S * 1000)
    frame = page.frame_locator(MAP_FRAME).first
    _poll(lambda: frame.locator(".am-site").count() == 3, "the first gap map", page)
    slider = page.get_by_role("slider", name="Hoeveel nieuwe plekken zoeken?")
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    start = time.perf_counter()
    page.get_by_role("button", name="Bereken").click()
    _poll(lambda: frame.locator(".am-site").count() == 5, "the gap map with 5 places", page)
    return time.perf_counter() - start


def one_round(browser, url: str, expected: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Measure every figure once on a freshly started server."""
    figures: dict[str, float] = {}
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    _page, figures["kaart fresh"] = open_kaart(first, url)
    first.close()
    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    page, figures["kaart second"] = open_kaart(second, url)
    figures["wijk filter"] = _or_nan(lambda: pick_wijk(page, expected))
    figures["kansen 5 sites"] = _or_nan(lambda: kansen(page, url))
    second.close()
    return figures


def _or_nan(measure: Callable[[], float]) -> float:
    try:
        return measure()
    except (RuntimeError, TimeoutError) as exc:
        print(f"    failed: {exc}", file=sys.stderr)
        return float("nan")


def load_average() -> str:
    """Return the 1-minute load average and the number of CPUs, e.g. ``2.31 on 2 CPUs``."""
    return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure; medians shown")
    parser.add_argument(
        "--checkouts", default=str(ROOT), help="app checkouts to compare, comma-separated"
    )
    parser.add_argument("--workspaces", default="demo,50k", help="demo and/or 50k")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    checkouts = [Path(c).resolve() for c in args.checkouts.split(",") if c]
    names = [w for w in args.workspaces.split(",") if w]
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-app-"))
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    loads: list[float] = []
    try:
        built = build_databases(folder)
        expected = {name: wijk_places(built[name]) for name in names}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            )
            for round_ in range(args.rounds):
                for name in names:
                    for checkout in checkouts:
                        database = folder / f"{checkout.name}-{name}-{round_}.sqlite"
                        shutil.copyfile(built[name], database)
                        loads.append(os.getloadavg()[0])
                        with app_server(checkout, database) as url:
                            figures = one_round(browser, url, expected[name])
                        runs.setdefault((checkout.name, name), []).append(figures)
                        shown = " ".join(f"{c} {figures[c]:.2f}" for c in COLUMNS)
                        print(
                            f"round {round_ + 1} {checkout.name} {name}: {shown} "
                            f"(load {load_average()})",
                            file=sys.stderr,
                        )
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"Medians of {args.rounds} interleaved runs (seconds); load average (1 min) at the "
        f"runs' starts {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} CPUs"
    )
    print("| checkout | workspace | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    medians = {
        key: {c: statistics.median(r[c] for r in results) for c in COLUMNS}
        for key, results in runs.items()
    }
    for (checkout, name), figures in medians.items():
        print(f"| {checkout} | {name} | " + " | ".join(f"{figures[c]:.2f}" for c in COLUMNS) + " |")
    misses = [
        f"{checkout.name}, {name} {column}: {medians[(checkout.name, name)][column]:.2f} s "
        f"(target {limit} s)"
        for checkout in checkouts
        for (name, column), limit in TARGETS.items()
        if name in names and not medians[(checkout.name, name)][column] <= limit
    ]
    for miss in misses:
        print(f"MISSED: {miss}")
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
