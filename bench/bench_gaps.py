"""Benchmark the gap analysis: siting against PySAL spopt, and coverage at national scale.

Run ``python bench/bench_gaps.py [--check] [--k 10] [--no-spopt]``. Prints figures; with
``--check`` it exits 1 when a target is missed:

(a) 6,000 demand points x 1,500 candidates, random in a 10 x 10 km RD box (fixed seed),
    radius 577 m (750 m walking / detour 1.3), random weights, 40 existing meeting places:
    spopt ``MCLP`` (dense PuLP model, CBC) against our exact solver (HiGHS on the sparse
    matrix: >= 20x faster, same objective) and our greedy (>= 200x faster, within 2 %).
    The three run in turn, round after round (``--rounds``, default 3); the table shows
    medians. Each whole call includes the distances the method needs, and is split into its
    steps: for spopt the distance matrix, building the PuLP model (``from_cost_matrix``),
    PuLP writing it for CBC, CBC itself, and reading the answer back; for ours the cover
    matrix and the solver. Two ratios are printed, each saying what it compares: the whole
    calls (what a user of each waits for), and the solvers alone (CBC against HiGHS).
(b) National scale: the ~12,000 CBS buurt label points of the Netherlands as demand and
    20,000 random meeting places in the Dutch bounding box: nearest distance, covered flags
    and per-point counts in < 10 s and < 2 GB. These time the numpy kernels only, so
(b2) also times the whole ``analyse_gaps`` (validation, reprojection, demand grid, coverage,
    2SFCA, buurt table; and once with 10 new sites among all cells), with tracemalloc
    started before the file is read.
(b3) Reach for everyone at national scale: the same 12,000 buurten x 20,000 meeting places,
    now with opening hours (real OpenStreetMap values, a third unknown), step-free access
    (yes, limited, no, unknown) and 10,000 weekly activities: the coverage per walking
    profile and time window (``reach_by_profile``, three profiles x three windows) in
    < 10 s, and ``analyse_gaps`` with the 65+ at their own pace in the evening.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

# Measure the checkout this file is in, not another copy of the package that is installed
# (``python bench/...`` puts bench/ first on the path, not the checkout).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from asset_map.analysis.coverage import cover_matrix, is_covered, nearest_m, sites_in_reach
from asset_map.analysis.siting import exact_mclp, greedy_mclp
from asset_map.crs import NL_BOUNDS_RD

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
LABEL_POINTS = REAL / "cbs_2014" / "cbs_buurt_labelpoints_2014_nl.geojson"
SEED = 20260105
RADIUS_M = 750.0 / 1.3


def siting_instance(n: int = 6000, m: int = 1500, existing: int = 40):
    rng = np.random.default_rng(SEED)
    origin = np.array([150_000.0, 450_000.0])
    demand = rng.uniform(0, 10_000, (n, 2)) + origin
    candidates = rng.uniform(0, 10_000, (m, 2)) + origin
    current = rng.uniform(0, 10_000, (existing, 2)) + origin
    weights = rng.uniform(1, 100, n)
    return demand, candidates, current, weights


#: How long each CBC process ran, in seconds (filled by :class:`_TimedPopen`).
_CBC_SECONDS: list[float] = []


class _TimedPopen(subprocess.Popen):  # type: ignore[type-arg]
    """A process that records how long it ran (from its start until ``wait`` returns)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._started = time.perf_counter()
        super().__init__(*args, **kwargs)

    def wait(self, timeout=None):  # type: ignore[no-untyped-def]
        code = super().wait(timeout)
        _CBC_SECONDS.append(time.perf_counter() - self._started)
        return code


def run_spopt(demand, candidates, current, weights, k) -> dict[str, float]:
    """Solve with spopt's MCLP and CBC; return the objective and the seconds of each step."""
    import pulp
    import pulp.apis.coin_api as coin_api
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    steps: dict[str, float] = {}
    started = time.perf_counter()
    sites = np.vstack([current, candidates])
    cost = cdist(demand, sites)
    predefined = np.r_[np.ones(len(current), int), np.zeros(len(candidates), int)]
    steps["distances"] = time.perf_counter() - started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PuLP 3.3 deprecation notes on every variable
        at = time.perf_counter()
        model = MCLP.from_cost_matrix(
            cost, weights, RADIUS_M, p_facilities=len(current) + k,
            predefined_facilities_arr=predefined,
        )  # fmt: skip
        steps["model build"] = time.perf_counter() - at
        write = model.problem.writeMPS
        written: list[float] = []

        def timed_write(*args, **kwargs):  # type: ignore[no-untyped-def]
            at = time.perf_counter()
            try:
                return write(*args, **kwargs)
            finally:
                written.append(time.perf_counter() - at)

        model.problem.writeMPS = timed_write
        _CBC_SECONDS.clear()
        popen, coin_api.subprocess.Popen = coin_api.subprocess.Popen, _TimedPopen
        try:
            at = time.perf_counter()
            model.solve(pulp.PULP_CBC_CMD(msg=False))
            solve = time.perf_counter() - at
        finally:
            coin_api.subprocess.Popen = popen
    steps["write for CBC"] = sum(written)
    steps["CBC"] = sum(_CBC_SECONDS)
    steps["read answer"] = solve - steps["write for CBC"] - steps["CBC"]
    steps["whole"] = time.perf_counter() - started
    steps["objective"] = float(pulp.value(model.problem.objective))
    return steps


def run_ours(demand, candidates, current, weights, k, solver: str) -> dict[str, float]:
    """Solve with our greedy or exact solver; return the objective, gap and seconds."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    covered = is_covered(cover_matrix(demand, current, RADIUS_M))
    cover = cover_matrix(demand, candidates, RADIUS_M)
    steps["distances"] = time.perf_counter() - started
    at = time.perf_counter()
    if solver == "exact":
        _, gain, gap = exact_mclp(cover, weights, k, covered=covered)
    else:
        (_, gain), gap = greedy_mclp(cover, weights, k, covered=covered), float("nan")
    steps["solver"] = time.perf_counter() - at
    steps["whole"] = time.perf_counter() - started
    steps["objective"] = float(weights[covered].sum() + gain)
    steps["gap"] = gap
    return steps


def siting_table(runs: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Print the medians of every method's steps and the two ratios; return the medians."""
    medians = {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for name, found in runs.items()
    }
    columns = ("distances", "model build", "write for CBC", "CBC", "read answer", "solver")
    print(f"    {'method':<22} {'whole s':>8} " + " ".join(f"{c:>13}" for c in columns)
          + f" {'covered weight':>15}")  # fmt: skip
    for name, m in medians.items():
        cells = " ".join(f"{m[c]:>13.3f}" if c in m else f"{'':>13}" for c in columns)
        print(f"    {name:<22} {m['whole']:>8.3f} {cells} {m['objective']:>15.1f}")
    if "spopt (PuLP + CBC)" in medians:
        spopt = medians["spopt (PuLP + CBC)"]
        for name in ("ours exact (HiGHS)", "ours greedy (CELF)"):
            print(
                f"    whole call, spopt / {name}: {spopt['whole'] / medians[name]['whole']:.0f}x "
                "(what a user of each waits for, distances included)"
            )
        exact = medians["ours exact (HiGHS)"]
        print(
            f"    solvers alone, CBC / HiGHS: {spopt['CBC'] / exact['solver']:.1f}x (CBC's run, "
            f"reading PuLP's file, against exact_mclp); spopt's model build alone is "
            f"{spopt['model build'] / exact['whole']:.0f}x our whole exact call"
        )
    return medians


def national() -> dict[str, float]:
    if not LABEL_POINTS.is_file():
        return {}
    points = gpd.read_file(LABEL_POINTS).to_crs(28992)
    demand = points.get_coordinates().to_numpy()
    rng = np.random.default_rng(SEED)
    x0, y0, x1, y1 = NL_BOUNDS_RD
    supply = np.column_stack([rng.uniform(x0, x1, 20_000), rng.uniform(y0, y1, 20_000)])
    tracemalloc.start()  # after reading: the kernels alone (see national_full for the rest)
    started = time.perf_counter()
    walk_m = nearest_m(demand, supply) * 1.3
    cover = cover_matrix(demand, supply, RADIUS_M)
    covered = is_covered(cover)
    counts = sites_in_reach(cover)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "n_demand": len(demand),
        "n_supply": len(supply),
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "share_covered": float(covered.mean()),
        "mean_sites_in_reach": float(counts.mean()),
        "median_walk_m": float(np.median(walk_m)),
    }


def national_inputs(points: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return national buurten and meeting places for a full ``analyse_gaps`` run.

    Each of the ~12,000 buurten is the 100 m lattice square holding its CBS label point (one
    demand cell each), with made-up key figures (fixed seed; the label points carry none).
    The 20,000 meeting places (buurthuizen with a capacity) are random in the Dutch box.
    """
    rng = np.random.default_rng(SEED)
    xy = points.get_coordinates().to_numpy()
    corner = np.floor(xy / 100.0) * 100.0
    n = len(points)
    areas = gpd.GeoDataFrame(
        {
            "code": points["statcode"].to_numpy(),
            "name": points["statnaam"].to_numpy(),
            "level": "buurt",
            "parent_code": points["gemeentecode"].to_numpy(),
            "inhabitants": rng.integers(50, 5000, n).astype(float),
            "pct_65_plus": rng.uniform(5, 35, n).round(0),
            "households": rng.integers(25, 2500, n).astype(float),
            "pct_single_households": rng.uniform(20, 60, n).round(0),
        },
        geometry=shapely.box(corner[:, 0], corner[:, 1], corner[:, 0] + 100, corner[:, 1] + 100),
        crs=28992,
    )
    x0, y0, x1, y1 = NL_BOUNDS_RD
    m = 20_000
    assets = gpd.GeoDataFrame(
        {
            "id": [f"m{i}" for i in range(m)],
            "name": [f"Buurthuis {i}" for i in range(m)],
            "type": "buurthuis",
            "status": "existing",
            "capacity": rng.integers(10, 200, m).astype(float),
        },
        geometry=gpd.points_from_xy(rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)),
        crs=28992,
    )
    return areas.to_crs(4326), assets.to_crs(4326)


def national_full() -> dict[str, float]:
    """Time the whole ``analyse_gaps`` at national scale: coverage only, and with 10 sites.

    Timings run without tracemalloc (it slows Python allocations); the traced peak comes
    from a separate run that starts tracing before the file is read.
    """
    if not LABEL_POINTS.is_file():
        return {}
    from asset_map.analysis.gap_params import GapParams
    from asset_map.analysis.gaps import analyse_gaps

    tracemalloc.start()
    traced_started = time.perf_counter()
    areas, assets = national_inputs(gpd.read_file(LABEL_POINTS).to_crs(28992))
    analyse_gaps(areas, assets, GapParams())
    traced_s = time.perf_counter() - traced_started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    areas, assets = national_inputs(gpd.read_file(LABEL_POINTS).to_crs(28992))
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    result = analyse_gaps(areas, assets, GapParams())
    coverage_s = time.perf_counter() - started
    started = time.perf_counter()
    sited = analyse_gaps(
        areas, assets, GapParams(new_sites=10, candidates=("cells",), solver="greedy")
    )
    sites_s = time.perf_counter() - started
    return {
        "n_demand": int(result.summary["n_cells"]),
        "n_supply": int(result.summary["n_meeting_places"]),
        "read_s": read_s,
        "coverage_s": coverage_s,
        "sites_s": sites_s,
        "traced_s": traced_s,
        "peak_mb": peak / 2**20,
        "share_before": float(result.summary["share_before"]),
        "share_after": float(sited.summary["share_after"]),
    }


#: Real OpenStreetMap opening hours (remi-dupre/opening-hours-rs, src/tests/data/sample.txt,
#: and the forms of huiskamers), drawn at random for the places that have hours.
HOURS = [
    "Mo-Fr 09:00-17:00; PH off",
    "Tu 10:00-12:00",
    "Tu,Th 10:00-12:00; PH off",
    "24/7",
    "Mo-Fr 07:00-21:00 ; PH off",
    "Mo-Sa 09:00-19:00 ; PH off",
    "Mo-Fr 12:00-14:30, 19:00-22:30 ; PH off",
    "Mo-We,Fr 09:00-12:30, 14:30-19:00 ; Th,Sa 09:00-12:30 ; PH off",
    "Tu-Sa 10:00-20:00 ; PH off",
    "Mo-Su 11:00-22:00 ; PH off",
    "We 14:00-16:00; Sa 10:00-12:00",
    "Mo-Fr 19:00-22:00 ; PH off",
    "Ma-Vr 9-17",  # malformed: reported, counts as unknown
]


def national_reach_inputs(points: gpd.GeoDataFrame):
    """Return the national areas and places of (b2), with hours, access and activities."""
    import pandas as pd

    areas, assets = national_inputs(points)
    rng = np.random.default_rng(SEED + 16)
    m = len(assets)
    hours = rng.choice(np.array(HOURS, dtype=object), m)
    hours[rng.random(m) < 1 / 3] = None
    chair = rng.choice(np.array(["yes", "limited", "no", None], dtype=object), m)
    assets = assets.assign(opening_hours=hours, wheelchair=chair)
    n = 10_000
    start = rng.integers(8, 21, n)
    activities = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "asset_id": assets["id"].to_numpy()[rng.integers(0, m, n)],
            "weekday": rng.integers(1, 8, n),
            "start": [f"{h:02d}:00" for h in start],
            "end": [f"{h + 2:02d}:00" for h in start],
        }
    )
    return areas, assets, activities


def national_reach() -> dict[str, float]:
    """Time the coverage per profile and window, and one layered analysis, at national scale."""
    if not LABEL_POINTS.is_file():
        return {}
    from asset_map.analysis.gap_params import GapParams
    from asset_map.analysis.gaps import analyse_gaps, reach_by_profile
    from asset_map.rules.open_times import parse_opening_hours

    areas, assets, activities = national_reach_inputs(gpd.read_file(LABEL_POINTS).to_crs(28992))
    parse_opening_hours.cache_clear()  # parsing the hours is part of the timing
    windows = ("weekday-morning", "weekday-evening", "weekend")
    started, cpu_started = time.perf_counter(), time.process_time()
    table = reach_by_profile(areas, assets, GapParams(), windows=windows, activities=activities)
    table_s = time.perf_counter() - started
    table_cpu_s = time.process_time() - cpu_started  # steadier than wall time on a busy machine
    parse_opening_hours.cache_clear()
    started = time.perf_counter()
    layered = analyse_gaps(
        areas,
        assets,
        GapParams(profile_65="ouderen", window="weekday-evening"),
        activities=activities,
    )
    layered_s = time.perf_counter() - started
    shares = table.set_index(["profile", "window"])["share"]
    return {
        "rows": len(table),
        "table_s": table_s,
        "table_cpu_s": table_cpu_s,
        "layered_s": layered_s,
        "shares": shares,
        "evening_share": float(layered.summary["share_before"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--k", type=int, default=10, help="new sites to choose (default 10)")
    parser.add_argument("--no-spopt", action="store_true", help="skip the (slow) spopt run")
    parser.add_argument("--rounds", type=int, default=3, help="siting runs; medians shown")
    args = parser.parse_args(argv)
    missed: list[str] = []

    print("(b) national coverage: CBS buurt label points x 20,000 random meeting places")
    nat = national()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if nat:
        print(
            f"    {nat['n_demand']:,} x {nat['n_supply']:,}: {nat['seconds']:.3f} s, "
            f"peak traced {nat['peak_mb']:.1f} MB, process max RSS {rss_mb:.0f} MB; "
            f"covered {100 * nat['share_covered']:.1f} %, {nat['mean_sites_in_reach']:.2f} "
            f"sites in reach on average, median walk {nat['median_walk_m']:.0f} m"
        )
        if nat["seconds"] >= 10:
            missed.append(f"national coverage took {nat['seconds']:.1f} s (target < 10 s)")
        if max(nat["peak_mb"], rss_mb) >= 2048:
            missed.append(f"national coverage used {max(nat['peak_mb'], rss_mb):.0f} MB (< 2 GB)")
    else:
        print(f"    skipped: {LABEL_POINTS} not found")

    print("(b2) the whole analyse_gaps at national scale (buurten from the label points)")
    full = national_full()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if full:
        print(
            f"    {full['n_demand']:,} demand cells x {full['n_supply']:,} meeting places: "
            f"building the inputs {full['read_s']:.2f} s; analyse_gaps {full['coverage_s']:.2f} s "
            f"(coverage, 2SFCA), {full['sites_s']:.2f} s with 10 new sites among all cells "
            f"(greedy); traced run incl. reading {full['traced_s']:.2f} s, peak traced "
            f"{full['peak_mb']:.0f} MB, process max RSS {rss_mb:.0f} MB; covered "
            f"{100 * full['share_before']:.1f} % -> {100 * full['share_after']:.1f} %"
        )
        if full["coverage_s"] >= 10:
            missed.append(f"national analyse_gaps took {full['coverage_s']:.1f} s (< 10 s)")
        if max(full["peak_mb"], rss_mb) >= 2048:
            missed.append(f"national analyse_gaps used {max(full['peak_mb'], rss_mb):.0f} MB")

    print("(b3) reach for everyone: 3 walking profiles x 3 time windows at national scale")
    reach = national_reach()
    if reach:
        print(
            f"    coverage per profile and window ({reach['rows']} figures): "
            f"{reach['table_s']:.2f} s ({reach['table_cpu_s']:.2f} s CPU, load average "
            f"{os.getloadavg()[0]:.1f}); analyse_gaps with the 65+ at 3 km/h on weekday "
            f"evenings: {reach['layered_s']:.2f} s (covered {100 * reach['evening_share']:.1f} %)"
        )
        for (profile, window), share in reach["shares"].items():
            print(f"      {profile:<10} {window:<16} {100 * share:5.1f} %")
        if reach["table_s"] >= 10:
            missed.append(f"coverage per profile and window took {reach['table_s']:.1f} s (< 10 s)")
    else:
        print(f"    skipped: {LABEL_POINTS} not found")

    demand, candidates, current, weights = siting_instance()
    print(
        f"\n(a) siting: {len(demand):,} demand x {len(candidates):,} candidates, "
        f"{len(current)} existing, radius {RADIUS_M:.0f} m, k = {args.k}; medians of "
        f"{args.rounds} interleaved runs (seconds)"
    )
    runs: dict[str, list[dict[str, float]]] = {}
    loads = []
    for round_ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        if not args.no_spopt:
            try:
                found = run_spopt(demand, candidates, current, weights, args.k)
                runs.setdefault("spopt (PuLP + CBC)", []).append(found)
            except ImportError as exc:
                print(f"    spopt not importable ({exc}): no comparison")
                args.no_spopt = True
        for solver, name in (("exact", "ours exact (HiGHS)"), ("greedy", "ours greedy (CELF)")):
            runs.setdefault(name, []).append(
                run_ours(demand, candidates, current, weights, args.k, solver)
            )
        print(f"    round {round_ + 1} done", file=sys.stderr)
    print(f"    load average (1 min) {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} CPUs")
    medians = siting_table(runs)
    exact, greedy = medians["ours exact (HiGHS)"], medians["ours greedy (CELF)"]
    spopt = medians.get("spopt (PuLP + CBC)")
    best = spopt["objective"] if spopt else exact["objective"]
    if spopt:
        if not np.isclose(exact["objective"], spopt["objective"], rtol=1e-6):
            missed.append(f"exact objective {exact['objective']:.3f} != spopt {best:.3f}")
        if spopt["whole"] / exact["whole"] < 20:
            speedup = spopt["whole"] / exact["whole"]
            missed.append(f"exact only {speedup:.1f}x faster than spopt (target 20x)")
        if spopt["whole"] / greedy["whole"] < 200:
            speedup = spopt["whole"] / greedy["whole"]
            missed.append(f"greedy only {speedup:.0f}x faster than spopt (target 200x)")
    if greedy["objective"] < 0.98 * best:
        below = 100 * (best - greedy["objective"]) / best
        missed.append(f"greedy {below:.2f}% below the optimum (< 2%)")

    print("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
