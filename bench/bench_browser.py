"""Benchmark: the asset map in a real browser, ours next to folium's two ways, side by side.

What a person waits for is the browser, not the server. For 1,000 / 10,000 / 50,000 assets
this opens three pages in headless Chromium (Debian's ``chromium``, driven by Playwright):

- **ours**: the app's and CLI's map (``build_map``), as the app serves it;
- **naive**: one ``folium.Marker`` with popup and tooltip per asset in a ``MarkerCluster``;
- **fast**: folium's ``FastMarkerCluster`` (markers made in the browser from one array), with
  a popup per marker.

All three load Leaflet and Leaflet.markercluster from the same local files (served by a
local HTTP server, as the app serves them), with no background tiles, so only the markers
differ. Runs are interleaved (size by size, peer after peer, round after round) and every
figure is the median of ``--rounds`` runs (default 3).

Measured per page, from the start of navigation:

- ``first``: the first marker or cluster icon in the page;
- ``settled``: the last change to the page before it stays quiet for 1.5 s;
- ``longest``: the longest main-thread task (Long Tasks API): how long the page froze;
- ``zoom in`` (two levels), ``pan`` (2,100 px: new places come into view), ``zoom out``
  (back): from the call (``setZoom`` / ``panBy``, no animation) to the last change it causes;
- ``heap``: the JavaScript heap after settling (MB, after a garbage collection);
- ``icons``: marker and cluster icons drawn at the first view.

Run: ``python bench/bench_browser.py`` (a few minutes). ``--check`` exits 1 when ours misses
a target at the largest size: settled within 3 s, zoom and pan within 0.3 s, at most 100
icons at the first view.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
from bench_map import synthetic
from folium.plugins import FastMarkerCluster, MarkerCluster

from asset_map.render import vendor
from asset_map.render.map import build_map

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Where the local HTTP server serves Leaflet's files (as the app does under /app/static/).
VENDOR_BASE = "/vendor/"
QUIET_S = 1.5
TIMEOUT_S = 180.0
TARGETS = {"settled": 3.0, "zoom in": 0.3, "zoom out": 0.3, "pan": 0.3, "icons": 100}

#: Installed before any page script: records the first icon, the last change and long tasks.
PROBE_JS = """
window.__bench = {first: null, last: 0, longest: 0};
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      window.__bench.longest = Math.max(window.__bench.longest, e.duration);
    });
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
function __watch() {
  new MutationObserver(function (changes) {
    var now = performance.now();
    window.__bench.last = now;
    if (window.__bench.first === null && document.querySelector('.leaflet-marker-icon')) {
      window.__bench.first = now;
    }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true});
}
if (document.documentElement) { __watch(); }
else { document.addEventListener('readystatechange', __watch, {once: true}); }
window.__map = function () {
  for (var k in window) {
    try { if (window[k] instanceof L.Map) { return window[k]; } } catch (e) {}
  }
  return null;
};
"""


# --- the three pages -----------------------------------------------------------------------


#: folium's popups build their content with jQuery's ``$(html)[0]``; this stands in for it
#: (a cheaper parse than jQuery's, so the peers lose nothing by it).
JQUERY_SHIM = (
    "<script>window.$ = function (s) { var t = document.createElement('template');"
    " t.innerHTML = s.trim(); return [t.content.firstChild]; };</script>"
)


def _local_leaflet(fmap: folium.Map) -> None:
    """Point a folium map at the local Leaflet files, with a max zoom for clustering."""
    fmap.default_js, fmap.default_css = vendor.links(vendor.MAP_FILES, VENDOR_BASE)
    fmap.options.update(max_zoom=19)
    fmap.get_root().header.add_child(folium.Element(JQUERY_SHIM), name="jquery_shim")


def _local_cluster(layer: MarkerCluster) -> None:
    layer.default_js, layer.default_css = vendor.links(vendor.CLUSTER_FILES, VENDOR_BASE)


def ours(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """Our map, as the app builds it (files from the local server, no tiles)."""
    fmap = build_map(areas, assets, basemap="none", vendor_base=VENDOR_BASE)
    return fmap.get_root().render()


def naive(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """One ``folium.Marker`` with popup and tooltip per asset in one ``MarkerCluster``."""
    fmap = folium.Map(location=[52.1, 5.15], zoom_start=12, tiles=None)
    _local_leaflet(fmap)
    folium.GeoJson(areas.to_json(), name="areas").add_to(fmap)
    cluster = MarkerCluster()
    _local_cluster(cluster)
    cluster.add_to(fmap)
    for row in assets.itertuples():
        about = row.description if isinstance(row.description, str) else ""
        text = f"<b>{html.escape(row.name)}</b><br>{html.escape(about)}"
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            popup=folium.Popup(text),
            tooltip=html.escape(row.name),
        ).add_to(cluster)
    fmap.fit_bounds(_bounds(areas))
    return fmap.get_root().render()


def fast(areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame) -> str:
    """folium's ``FastMarkerCluster``: one array, a marker with a popup made per row."""
    fmap = folium.Map(location=[52.1, 5.15], zoom_start=12, tiles=None)
    _local_leaflet(fmap)
    folium.GeoJson(areas.to_json(), name="areas").add_to(fmap)
    rows = [[row.geometry.y, row.geometry.x, html.escape(row.name)] for row in assets.itertuples()]
    callback = (
        "function (row) { var m = L.marker(new L.LatLng(row[0], row[1]));"
        " m.bindPopup(row[2]); return m; }"
    )
    layer = FastMarkerCluster(rows, callback=callback)
    _local_cluster(layer)
    layer.add_to(fmap)
    fmap.fit_bounds(_bounds(areas))
    return fmap.get_root().render()


def _bounds(areas: gpd.GeoDataFrame) -> list[list[float]]:
    w, s, e, n = areas.total_bounds
    return [[float(s), float(w)], [float(n), float(e)]]


PEERS: dict[str, Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame], str]] = {
    "ours": ours,
    "naive": naive,
    "fast": fast,
}


# --- measuring -----------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free local port; return the server and its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _wait_quiet(page, since: float) -> float:  # type: ignore[no-untyped-def]
    """Wait until the page has not changed for ``QUIET_S``; return the last change (ms)."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        now, last = page.evaluate("[performance.now(), window.__bench.last]")
        if last >= since and now - last >= QUIET_S * 1000:
            return float(last)
        if last < since and now - since >= QUIET_S * 1000:
            return since  # nothing changed at all
        time.sleep(0.1)
    raise TimeoutError("the page kept changing")


def _step(page, script: str) -> float:  # type: ignore[no-untyped-def]
    """Run ``script`` (given the map as ``m``); return seconds to the last change it caused."""
    start = page.evaluate(
        "(s) => { var m = window.__map(); var t = performance.now(); window.__bench.last = t;"
        " new Function('m', s)(m); return t; }",
        script,
    )
    return (_wait_quiet(page, start) - start) / 1000


def measure(browser, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Open ``url`` in a fresh context and return the figures of one run."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script(PROBE_JS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    page.wait_for_function(
        "window.__bench && window.__bench.first !== null",
        polling=100,
        timeout=TIMEOUT_S * 1000,
    )
    settled = _wait_quiet(page, 0)
    first = page.evaluate("window.__bench.first")
    icons = page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length")
    longest = page.evaluate("window.__bench.longest")
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    figures = {
        "first": first / 1000,
        "settled": settled / 1000,
        "longest": longest / 1000,
        "heap": metrics.get("JSHeapUsedSize", float("nan")) / 1e6,
        "icons": float(icons),
        "zoom in": _step(page, "m.setZoom(m.getZoom() + 2, {animate: false});"),
        "pan": _step(page, "m.panBy([2100, 0], {animate: false});"),
        "zoom out": _step(page, "m.setZoom(m.getZoom() - 2, {animate: false});"),
    }
    context.close()
    return figures


COLUMNS = ("first", "settled", "longest", "zoom in", "zoom out", "pan", "heap", "icons")


def _row(n: int, peer: str, figures: dict[str, float]) -> str:
    cells = [
        f"{figures[c]:.0f}" if c in ("heap", "icons") else f"{figures[c]:.2f}" for c in COLUMNS
    ]
    return f"| {n:,} | {peer} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page; medians shown")
    parser.add_argument("--peers", default=",".join(PEERS), help="which pages, comma-separated")
    parser.add_argument("--check", action="store_true", help="exit 1 when ours misses a target")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    peers = [p for p in args.peers.split(",") if p]
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    try:
        vendor.install_static(folder)  # -> folder/vendor/...
        for n in sizes:
            areas, assets = synthetic(n)
            for peer in peers:
                page = PEERS[peer](areas, assets)
                (folder / f"{peer}-{n}.html").write_text(page, encoding="utf-8")
        server, base = serve(folder)
        runs: dict[tuple[int, str], list[dict[str, float]]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--enable-precise-memory-info",
                ],
            )
            for round_ in range(args.rounds):
                for n in sizes:
                    for peer in peers:
                        figures = measure(browser, f"{base}/{peer}-{n}.html")
                        runs.setdefault((n, peer), []).append(figures)
                        print(f"round {round_ + 1}: {_row(n, peer, figures)}", file=sys.stderr)
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"Medians of {args.rounds} interleaved runs (seconds; heap in MB):")
    print("| assets | page | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    medians = {
        key: {c: statistics.median(r[c] for r in results) for c in COLUMNS}
        for key, results in runs.items()
    }
    for (n, peer), figures in medians.items():
        print(_row(n, peer, figures))
    misses = []
    largest = max(sizes)
    if "ours" in peers:
        mine = medians[(largest, "ours")]
        misses = [
            f"{c}: {mine[c]:.2f} (target {limit})"
            for c, limit in TARGETS.items()
            if mine[c] > limit
        ]
    for miss in misses:
        print(f"MISSED at {largest:,} assets: {miss}")
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
