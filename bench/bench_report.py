"""Benchmark: the wijk report (PDF) of every demo wijk, and its parts.

Times the gap analysis of the wijk (3 suggested sites), the map image, the figures and the
whole PDF, and prints the size and page count. The report is made on a click in the app, so
a few seconds at most is the target.

Run: ``python bench/bench_report.py`` (a few seconds).
"""

from __future__ import annotations

import time

from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.indicators import area_figures
from asset_map.render.report import page_count
from asset_map.render.static_map import map_png
from asset_map.services.report import wijk_report
from asset_map.services.workspace import load_workspace


def _timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    ws = load_workspace()
    wijken = ws.areas[ws.areas["level"] == "wijk"]
    _, figures_s = _timed(area_figures, ws.areas, ws.assets, level="buurt", talents=ws.talents)
    print(f"figures per buurt (all {int((ws.areas['level'] == 'buurt').sum())}): {figures_s:.3f} s")
    print(f"{'wijk':<16} {'gaps s':>7} {'map s':>7} {'pdf s':>7} {'kB':>6} {'pages':>5}")
    for code, name in zip(wijken["code"], wijken["name"], strict=True):
        areas = ws.areas[(ws.areas["code"] == code) | (ws.areas["parent_code"] == code)]
        gaps, gaps_s = _timed(analyse_gaps, areas, ws.assets, GapParams(new_sites=3))
        _, map_s = _timed(map_png, ws.areas, ws.assets, focus_code=code)
        pdf, pdf_s = _timed(wijk_report, ws, code, talents=ws.talents, gaps=gaps)
        print(
            f"{name:<16} {gaps_s:>7.2f} {map_s:>7.2f} {pdf_s:>7.2f} {len(pdf) / 1024:>6.0f} "
            f"{page_count(pdf):>5}"
        )


if __name__ == "__main__":
    main()
