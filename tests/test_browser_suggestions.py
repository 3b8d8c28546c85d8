"""Plek doorgeven in a real browser: a resident on a phone, a wijkmanager at a desk.

What only a browser shows: the click on the map that says where, the form on a narrow
screen, and where the accepted place lands on the Kaart's map.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from browser_support import MAP_FRAME, choose, click_button, idle, log_in, map_frame
from playwright.sync_api import expect
from shapely.geometry import Point

pytestmark = pytest.mark.browser

#: Name the Leaflet map of a frame ``map``.
FIND_MAP = """() => {
    for (const k in window) {
        try { if (window[k] instanceof L.Map) window.map = window[k]; } catch (e) {}
    }
    return !!window.map;
}"""
#: The position of the marker whose tooltip holds the text, or null.
MARKER_AT = """(needle) => {
    let at = null;
    map.eachLayer((layer) => {
        const markers = layer.getLayers ? layer.getLayers() : [];
        markers.forEach((m) => {
            const tip = m.getTooltip && m.getTooltip();
            if (tip && String(tip.getContent()).includes(needle)) at = m.getLatLng();
        });
    });
    return at && [at.lng, at.lat];
}"""


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    points = gpd.GeoSeries([Point(*a), Point(*b)], crs="EPSG:4326").to_crs("EPSG:28992")
    return float(points.iloc[0].distance(points.iloc[1]))


def _frame(page, index: int = 0):
    handle = page.locator(MAP_FRAME).nth(index).element_handle()
    frame = handle.content_frame()
    frame.wait_for_function(FIND_MAP, timeout=60_000)
    return frame


def test_a_resident_suggests_a_home_huiskamer_on_a_phone_and_it_shows_at_the_buurt(
    browser, app_url
):
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    resident = phone.new_page()
    resident.goto(f"{app_url}/plek-doorgeven")
    resident.get_by_text("Wat wilt u doorgeven?").wait_for(timeout=60_000)
    resident.get_by_text("Een nieuwe plek").click()
    idle(resident)
    resident.get_by_text("Het is bij iemand thuis").click()
    idle(resident)
    pick = resident.locator(MAP_FRAME).first
    pick.scroll_into_view_if_needed()
    pick.content_frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    idle(resident)
    frame = _frame(resident)
    container = pick.content_frame.locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    x, y = round(box["width"] * 0.45), round(box["height"] * 0.55)
    clicked = frame.evaluate(
        f"() => {{ const p = map.containerPointToLatLng([{x}, {y}]); return [p.lng, p.lat]; }}"
    )
    container.click(position={"x": x, "y": y})
    found = resident.get_by_text("Op de kaart staat de plek in het midden van")
    found.wait_for(timeout=30_000)
    expect(pick.content_frame.locator(".leaflet-marker-icon")).to_have_count(0)  # no pin at a home
    choose(resident, "Wat voor plek of groep is het?", "Wijkhuiskamer")
    resident.get_by_role("textbox", name="Naam").fill("Huiskamer bij Ans")
    resident.get_by_role("textbox", name="Wat gebeurt er?").fill("Koffie en een praatje")
    resident.get_by_text("Ik vind het goed dat u dit zo gebruikt en bewaart.").click()
    resident.screenshot(path="/tmp/suggest_phone_form.png", full_page=True)
    click_button(resident, "Verstuur")
    resident.get_by_text("Dank u wel!").wait_for(timeout=30_000)
    code = resident.get_by_text("Uw code is")
    expect(code).to_have_count(1)
    resident.screenshot(path="/tmp/suggest_phone_done.png", full_page=True)
    phone.close()

    desk = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = desk.new_page()
    page.goto(app_url)
    map_frame(page)
    frame = _frame(page)
    assert frame.evaluate(MARKER_AT, "Huiskamer bij Ans") is None  # not before it is accepted

    log_in(page, app_url)
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_role("tab", name="Plekken van bewoners").click()
    page.get_by_text("Huiskamer bij Ans").wait_for(timeout=30_000)
    page.screenshot(path="/tmp/suggest_review_desk.png", full_page=True)
    click_button(page, "Goedkeuren")
    page.get_by_text("Goedgekeurd. De kaart is bijgewerkt.").wait_for(timeout=30_000)
    page.get_by_role("link", name="Kaart", exact=True).click()
    map_frame(page)
    frame = _frame(page)
    frame.wait_for_function(f"() => ({MARKER_AT})('Huiskamer bij Ans') !== null", timeout=30_000)
    shown = frame.evaluate(MARKER_AT, "Huiskamer bij Ans")
    areas = gpd.read_file("data/demo/areas.geojson")
    buurten = areas[areas["level"] == "buurt"]
    buurt = buurten[buurten.geometry.covers(Point(*clicked))]
    assert len(buurt) == 1
    middle = buurt.to_crs("EPSG:28992").geometry.representative_point().to_crs("EPSG:4326").iloc[0]
    assert _metres(tuple(shown), (middle.x, middle.y)) < 1.0  # at the middle of its buurt
    assert not math.isclose(shown[0], clicked[0]) and not math.isclose(shown[1], clicked[1])
    desk.close()
