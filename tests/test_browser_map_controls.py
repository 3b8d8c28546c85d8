"""The map's controls in a real browser, on the demo, at a desktop and a phone size.

The legend stays out of the way, no place starts under a control, every wijkhuiskamer can be
clicked and opens its own popup (weekly activities never cover it), the search box finds
places, buurten and postcodes, "my location" centres the map, and a background that cannot
load says so. The app runs on 127.0.0.1; every other request is refused (no internet), so
the OpenStreetMap tiles never load.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pandas as pd
import pytest
from browser_support import MAP_FRAME, ROOT, shown_per_type
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEMO = ROOT / "data" / "demo"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _demo_places(kind: str) -> list[dict]:
    features = json.loads((DEMO / "assets.geojson").read_text("utf-8"))["features"]
    return [
        {**f["properties"], "lon": f["geometry"]["coordinates"][0],
         "lat": f["geometry"]["coordinates"][1]}
        for f in features
        if f["properties"]["type"] == kind
    ]  # fmt: skip


@pytest.fixture
def open_page(browser, app_url):
    """Open a page of the app at a size; only 127.0.0.1 answers (``page.outside``)."""
    contexts = []

    def open_(path: str = "", *, size: dict = DESKTOP, **context_options):
        context = browser.new_context(viewport=size, **context_options)
        contexts.append(context)
        outside: list[str] = []

        def route(route):
            host = urlparse(route.request.url).hostname
            if host in {"127.0.0.1", "localhost"} or route.request.url.startswith(
                ("data:", "blob:")
            ):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", route)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.outside = outside  # type: ignore[attr-defined]
        page.goto(f"{app_url}/{path}")
        return page

    yield open_
    for context in contexts:
        context.close()


def _map(page):
    """Return the newest map frame once its places are drawn and its first view is set."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME).last
    frame.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
    frame.locator(".am-legend").wait_for(timeout=30_000)
    # The view is fitted (with room for the controls) once Leaflet's CSS is in.
    frame.locator(".leaflet-top.leaflet-left").evaluate(
        "(el) => new Promise((ok) => { const t = () => getComputedStyle(el).position"
        " === 'absolute' ? setTimeout(ok, 150) : setTimeout(t, 25); t(); })"
    )
    return frame


_SHARE_COVERED = """(body) => {
    const map = body.querySelector('.leaflet-container').getBoundingClientRect();
    let covered = 0;
    body.querySelectorAll('.am-legend, .am-scale').forEach((el) => {
        const r = el.getBoundingClientRect();
        covered += r.width * r.height;
    });
    return covered / (map.width * map.height);
}"""

#: Places (marker and cluster icons) whose centre lies under a control of the map.
_PLACES_UNDER_CONTROLS = """(body) => {
    const controls = [...body.querySelectorAll('.leaflet-control')]
        .filter((c) => !c.classList.contains('am-notice'))
        .map((c) => c.getBoundingClientRect());
    const under = [];
    body.querySelectorAll('.leaflet-marker-icon').forEach((icon) => {
        const r = icon.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (controls.some((c) => x >= c.left && x <= c.right && y >= c.top && y <= c.bottom)) {
            under.push(icon.textContent.trim() || icon.className);
        }
    });
    return under;
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_the_legend_covers_little_and_no_place_starts_under_a_control(open_page, size):
    page = open_page(size=SIZES[size])
    frame = _map(page)
    body = frame.locator("body")
    share = body.evaluate(_SHARE_COVERED)
    assert share < 0.15, f"the legend covers {share:.0%} of the map"
    # Closed on a phone (a button to open it), open on a desktop.
    opened = frame.locator(".am-legend details").evaluate("(d) => d.open")
    assert opened == (size == "desktop")
    assert body.evaluate(_PLACES_UNDER_CONTROLS) == []
    assert not page.errors, page.errors


@pytest.mark.parametrize("size", list(SIZES))
def test_the_kansen_map_keeps_its_colour_scale_apart_and_its_sites_free(open_page, size):
    page = open_page("kansen", size=SIZES[size])
    frame = _map(page)
    frame.locator(".am-site").first.wait_for(timeout=60_000)
    body = frame.locator("body")
    assert frame.locator(".am-scale").count() == 1  # the colour scale is its own box
    assert body.evaluate(_SHARE_COVERED) < 0.15
    assert body.evaluate(_PLACES_UNDER_CONTROLS) == []  # the first suggested site too
    if size == "desktop":
        scale = frame.locator(".am-scale").inner_text()
        assert "0% – 20%" in scale and "80% – 100%" in scale
        assert "Verder dan loopafstand" in scale  # the hatch is explained beside the colours
        # The cells beyond walking distance are hatched, never coloured.
        assert frame.locator('path[fill="url(#am-hatch)"]').count() >= 1


def test_every_wijkhuiskamer_can_be_clicked_and_opens_its_own_popup(open_page):
    page = open_page()
    _map(page)
    types = page.get_by_role("combobox", name="Soort plek")
    types.click()
    page.get_by_role("option", name="Wijkhuiskamer").click()
    page.keyboard.press("Escape")
    places = _demo_places("wijkhuiskamer")
    frame = page.frame_locator(MAP_FRAME).last
    # The new map holds only the wijkhuiskamers: no calendars, no pins of activities.
    expect(
        frame.locator(".am-cluster [data-types]:not([data-types^='wijkhuiskamer:'])")
    ).to_have_count(0)
    expect(frame.locator('.am-pin [data-layer]:not([data-layer="wijkhuiskamer"])')).to_have_count(0)
    _map(page)
    assert shown_per_type(frame) == {"wijkhuiskamer": len(places)}
    weekly = pd.read_csv(DEMO / "activities.csv", dtype=str)["asset_id"].value_counts()
    for place in places:
        # To the place, close enough that no cluster is left (clusters end at zoom 17).
        frame.locator("body").evaluate(
            "(body, p) => window.map.setView([p.lat, p.lon], 17, {animate: false})", place
        )
        centre = frame.locator(".leaflet-container").evaluate(
            "(el) => { const r = el.getBoundingClientRect();"
            " const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            " const pin = hit && hit.closest('.leaflet-marker-icon');"
            " return pin ? pin.querySelector('[data-layer]').dataset.layer : null; }"
        )
        assert centre == "wijkhuiskamer", (place["name"], centre)  # nothing lies on top of it
        box = frame.locator(".leaflet-container").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        popup = frame.locator(".leaflet-popup-content")
        expect(popup.locator(".am-name")).to_have_text(place["name"])
        n = int(weekly.get(place["id"], 0))
        if n:  # its weekly activities are in its own popup
            expect(popup.locator(".am-act-head")).to_have_text("Elke week hier")
            expect(popup.locator("tr")).to_have_count(n)
        frame.locator(".leaflet-popup-close-button").click()
        expect(popup).to_have_count(0)


def test_the_search_box_finds_a_place_a_buurt_and_a_postcode(open_page):
    page = open_page()
    frame = _map(page)
    search = frame.get_by_role("searchbox", name="Zoek plek, adres, buurt of postcode")
    zoom = "() => window.map.getZoom()"
    start = frame.locator("body").evaluate(zoom)
    search.fill("vlasveld")  # a buurt first, then the places of that name
    hits = frame.locator(".am-search-hit")
    expect(hits.first).to_have_attribute("data-kind", "area")
    expect(hits.first.locator(".am-search-name")).to_have_text("Vlasveld")
    hits.first.click()
    assert frame.locator("body").evaluate(zoom) > start  # zoomed to the buurt

    search.fill("Huiskamer Vlasv")
    expect(hits.first.locator(".am-search-name")).to_have_text("Huiskamer Vlasveld")
    hits.first.click()
    expect(frame.locator(".leaflet-popup-content .am-name")).to_have_text("Huiskamer Vlasveld")

    postcodes = pd.read_csv(DEMO / "postcodes.csv", dtype=str)
    code = postcodes["postcode"].iloc[0]
    search.fill(f"{code[:4]} {code[4:].lower()}")  # as a resident types it
    search.press("Enter")
    mark = frame.locator("path.am-search-mark")
    expect(mark).to_have_count(1)
    centre = _offset_from_centre(frame, mark)
    assert max(abs(centre[0]), abs(centre[1])) <= 2, centre  # the map went to the postcode

    search.fill("zzzz-niets")
    expect(frame.locator(".am-search-none")).to_contain_text("Niets gevonden")


def _offset_from_centre(frame, locator) -> tuple[float, float]:
    """Return how far the centre of ``locator`` lies from the map's centre, in pixels."""
    box = frame.locator(".leaflet-container").bounding_box()
    item = locator.bounding_box()
    return (
        item["x"] + item["width"] / 2 - (box["x"] + box["width"] / 2),
        item["y"] + item["height"] / 2 - (box["y"] + box["height"] / 2),
    )


def test_my_location_centres_the_map_when_the_browser_allows_it(open_page, app_url):
    place = _demo_places("wijkhuiskamer")[2]
    page = open_page(
        size=PHONE,
        permissions=["geolocation"],
        geolocation={"latitude": place["lat"], "longitude": place["lon"], "accuracy": 30},
    )
    frame = _map(page)
    frame.get_by_role("button", name="Toon waar ik nu ben").click()
    here = frame.locator("path.am-located")
    expect(here).to_have_count(1)
    # The map zooms there with an animation: measure once it has ended.
    frame.locator("body").evaluate(
        "() => new Promise((ok) => window.map._animatingZoom"
        " ? window.map.once('zoomend', () => setTimeout(ok, 0)) : ok())"
    )
    dx, dy = _offset_from_centre(frame, here)
    assert abs(dx) <= 2 and abs(dy) <= 2, (dx, dy)


def test_my_location_says_so_plainly_when_the_browser_refuses(open_page):
    page = open_page(size=PHONE)  # no permission given: the browser refuses
    frame = _map(page)
    frame.get_by_role("button", name="Toon waar ik nu ben").click()
    notice = frame.locator('.am-notice[data-notice="locate"]')
    expect(notice).to_contain_text("Uw browser geeft niet door waar u bent")
    notice.get_by_role("button", name="Sluiten").click()
    expect(notice).to_have_count(0)


def test_near_me_has_my_location_too(open_page):
    page = open_page("in-de-buurt")
    postcode = pd.read_csv(DEMO / "postcodes.csv", dtype=str)["postcode"].iloc[0]
    page.get_by_role("textbox", name="Postcode").fill(postcode)
    page.get_by_role("button", name="Zoek wat er in de buurt is").click()
    frame = _map(page)
    expect(frame.get_by_role("button", name="Toon waar ik nu ben")).to_have_count(1)


def test_blocked_tiles_show_a_notice_and_the_map_goes_on_without_them(open_page):
    page = open_page()
    frame = _map(page)
    notice = frame.locator('.am-notice[data-notice="tiles"]')
    expect(notice).to_contain_text("De achtergrondkaart laadt niet")
    assert {urlparse(u).hostname for u in page.outside} == {"tile.openstreetmap.org"}
    # No tile was shown, so no credit for one.
    expect(frame.locator(".leaflet-control-attribution")).not_to_contain_text("OpenStreetMap")
    notice.get_by_role("button", name="Zonder achtergrond").click()
    expect(notice).to_have_count(0)
    expect(frame.locator(".leaflet-tile")).to_have_count(0)
    # The background is gone for good: zooming asks for no tile any more.
    frame.locator("body").evaluate("() => window.map.zoomIn(1, {animate: false})")
    expect(frame.locator(".leaflet-tile")).to_have_count(0)
