"""The asset map in a real browser: one clustering for all types, a switch per type, popups.

Standalone pages from ``build_map`` + ``map_html`` (everything inlined), opened from a file
in Debian's chromium with every request outside the page refused, so no CDN can help.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from browser_support import shown_per_type, type_shown
from playwright.sync_api import expect
from shapely.geometry import box

from asset_map.model import ACTIVITY_COLUMNS
from asset_map.render.map import build_map, map_html

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)>"
ABOUT = 'Koffie & "thee" <b>vet</b>'
#: Places per type: sent to the page, and what it must show.
COUNTS = {"buurthuis": 8, "speelplek": 12, "winkel": 20}


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["WK999901", "BU99990101", "BU99990102"],
            "name": ["Wijk", "Buurt A", "Buurt B"],
            "level": ["wijk", "buurt", "buurt"],
            "parent_code": ["GM9999", "WK999901", "WK999901"],
        },
        geometry=[
            box(5.0, 52.0, 5.02, 52.01),
            box(5.0, 52.0, 5.01, 52.01),
            box(5.01, 52.0, 5.02, 52.01),
        ],
        crs="EPSG:4326",
    )


def _assets(counts: dict[str, int], *, seed: int = 1) -> gpd.GeoDataFrame:
    """Places of each type at random spots inside the wijk; the first buurthuis is EVIL."""
    types = [key for key, n in counts.items() for _ in range(n)]
    rng = np.random.default_rng(seed)
    n = len(types)
    assets = gpd.GeoDataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "name": [f"Plek {i}" for i in range(n)],
            "type": types,
            "description": [""] * n,
            "address": ["Dorpsstraat 1"] * n,
            "tags": [""] * n,
            "source": ["test"] * n,
            "status": ["existing"] * n,
            "capacity": [np.nan] * n,
        },
        geometry=gpd.points_from_xy(rng.uniform(5.001, 5.019, n), rng.uniform(52.001, 52.009, n)),
        crs="EPSG:4326",
    )
    first = types.index("buurthuis")
    assets.loc[first, ["name", "description", "status"]] = [EVIL, ABOUT, "planned"]
    return assets


@pytest.fixture
def open_map(browser, tmp_path):
    """Open a standalone map page; ``page.errors`` and ``page.dialogs`` record what went wrong."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    outside: list[str] = []

    def route(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)

    def open_page(assets: gpd.GeoDataFrame, **options):
        path = Path(tmp_path) / "kaart.html"
        fmap = build_map(_areas(), assets, basemap="none", **options)
        path.write_text(map_html(fmap), encoding="utf-8")
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        page.locator(".leaflet-marker-icon, canvas").first.wait_for(timeout=30_000)
        page.outside = outside  # type: ignore[attr-defined]
        return page

    yield open_page
    context.close()


def _switch(page, label: str, *, on: bool) -> None:
    page.locator(".leaflet-control-layers").hover()  # the layers button opens on hover
    box = page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")
    box.check() if on else box.uncheck()


def test_switching_a_type_off_hides_exactly_its_places_in_the_shared_clusters(open_map):
    page = open_map(_assets(COUNTS))
    expect(page.locator(".am-cluster").first).to_be_visible()
    assert shown_per_type(page) == COUNTS
    # One clustering for all types: clusters hold places of several types.
    mixes = page.locator(".am-cluster [data-types]").evaluate_all(
        "(clusters) => clusters.map((c) => c.dataset.types.split(' ').length)"
    )
    assert max(mixes) >= 2, mixes

    _switch(page, "Speelplek", on=False)
    expect(type_shown(page, "speelplek")).to_have_count(0)
    assert shown_per_type(page) == {"buurthuis": 8, "winkel": 20}
    _switch(page, "Winkel of bedrijf", on=False)
    expect(type_shown(page, "winkel")).to_have_count(0)
    assert shown_per_type(page) == {"buurthuis": 8}

    _switch(page, "Speelplek", on=True)
    expect(type_shown(page, "speelplek")).not_to_have_count(0)
    assert shown_per_type(page) == {"buurthuis": 8, "speelplek": 12}
    _switch(page, "Winkel of bedrijf", on=True)
    expect(type_shown(page, "winkel")).not_to_have_count(0)
    assert shown_per_type(page) == COUNTS
    assert page.errors == [] and page.outside == []


#: Name the page's Leaflet map ``map`` for the scripts below.
FIND_MAP = """() => {
    for (const k in window) {
        try { if (window[k] instanceof L.Map) window.map = window[k]; } catch (e) {}
    }
}"""

#: Zoom to the place whose tooltip holds ``needle`` and mark its icon for a real click.
SHOW_PLACE = """(needle) => new Promise((done) => {
    let found = null;
    map.eachLayer((layer) => {
        if (!layer.zoomToShowLayer) return;  // the marker cluster group
        layer.getLayers().forEach((marker) => {
            if (String(marker.getTooltip().getContent()).includes(needle)) found = [layer, marker];
        });
    });
    if (!found) return done(false);
    found[0].zoomToShowLayer(found[1], () => {
        found[1].getElement().classList.add("test-target");
        done(true);
    });
})"""


def test_a_popup_shows_the_places_details_as_text_never_as_html(open_map):
    page = open_map(_assets(COUNTS))
    page.evaluate(FIND_MAP)
    assert page.evaluate(SHOW_PLACE, "onerror")
    target = page.locator(".test-target")
    assert "am-planned" in (target.get_attribute("class") or "")  # the dashed rim
    target.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(EVIL)
    target.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    text = popup.inner_text()
    assert EVIL in text and ABOUT in text
    assert "Buurthuis" in text and "Gepland, nog niet open" in text
    assert "Dorpsstraat 1" in text and "test" in text
    assert popup.locator("img").count() == 0  # shown as text, never parsed as a tag
    assert popup.locator("b", has_text="vet").count() == 0
    assert page.dialogs == [] and page.errors == []


def test_many_places_without_clustering_are_drawn_on_a_canvas(open_map):
    counts = {"buurthuis": 500, "speelplek": 300, "winkel": 400}
    page = open_map(_assets(counts), cluster=False)
    page.evaluate(FIND_MAP)
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert page.locator(".am-pin, .am-cluster").count() == 0
    drawn = """() => {
        const n = {};
        map.eachLayer((l) => {
            if (!l._amPoints) return;
            const key = l._amPoints.types[l._amType].key;
            n[key] = (n[key] || 0) + 1;
        });
        return n;
    }"""
    assert page.evaluate(drawn) == counts
    _switch(page, "Speelplek", on=False)
    page.wait_for_function(f"() => !({drawn})().speelplek")
    assert page.evaluate(drawn) == {"buurthuis": 500, "winkel": 400}
    # A click on a circle opens its popup: zoom in on the evil place and click its centre.
    point = page.evaluate(
        """() => {
            let at = null;
            map.eachLayer((l) => {
                if (!l._amPoints) return;
                if (String(l.getTooltip().getContent()).includes("onerror")) at = l.getLatLng();
            });
            map.setView(at, 18, {animate: false});
            const p = map.latLngToContainerPoint(at);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    assert EVIL in popup.inner_text() and popup.locator("img").count() == 0
    assert page.dialogs == [] and page.errors == []


def _weekly(place_ids: list[str]) -> pd.DataFrame:
    """One weekly activity per id in ``place_ids`` (an id twice: two activities there)."""
    rows = [
        {
            "id": f"w{j}",
            "asset_id": place,
            "title": f"Koffie {j}",
            "kind": "koffieochtend",
            "weekday": 1 + j % 7,
            "start": "10:00",
            "end": "12:00",
            "target_group": "iedereen",
            "organiser": "Buurtteam",
            "contact": "",
            "description": "",
        }
        for j, place in enumerate(place_ids)
    ]
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)


def test_weekly_activities_ring_their_place_and_the_switch_takes_the_rings_off(open_map):
    assets = _assets({"buurthuis": 3})
    page = open_map(assets, cluster=False, activities=_weekly(["a0", "a1", "a1"]))
    rings = page.locator(".am-pin.am-has-act")
    expect(rings).to_have_count(2)  # a ring on the place itself: no second pin
    assert shown_per_type(page) == {"buurthuis": 3}
    badges = page.locator(".am-has-act .am-act-badge")
    expect(badges.filter(has_text="2")).to_be_visible()
    expect(badges.filter(has_text="1")).to_be_visible()
    _switch(page, "Wekelijkse activiteiten (3)", on=False)
    expect(badges.first).to_be_hidden()
    expect(badges.last).to_be_hidden()
    _switch(page, "Wekelijkse activiteiten (3)", on=True)
    expect(badges.first).to_be_visible()
    assert page.errors == [] and page.outside == []
