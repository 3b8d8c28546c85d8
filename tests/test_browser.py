"""Real-browser tests: Debian's chromium, driven by Playwright, against `streamlit run`.

The app runs on 127.0.0.1; every request that leaves 127.0.0.1 is recorded and aborted, so
the test sees the app as a user with no internet would, and proves the map needs no CDN.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser_support import (
    choose,
    click_button,
    log_in,
    map_frame,
    shown_per_type,
    type_shown,
    upload,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_map_draws_markers_offline_with_no_cdn(offline_page, app_url, tmp_path):
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page)
    clusters = frame.locator(".marker-cluster").count()
    markers = frame.locator(".leaflet-marker-icon").count()
    assert clusters + markers > 10
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".am-legend").count() == 1
    assert frame.locator("path.leaflet-interactive").count() >= 20  # wijk and buurt outlines
    page.screenshot(path=str(tmp_path / "explore.png"))
    # Only the chosen tile server was asked for anything outside the app.
    hosts = {urlparse(u).hostname for u in page.outside}
    assert hosts <= {"tile.openstreetmap.org"}, page.outside
    assert not [e for e in page.errors if "tile" not in e], page.errors


def test_toggling_a_layer_off_hides_its_markers(offline_page, app_url):
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page)
    before = shown_per_type(frame)
    assert before["speelplek"] > 0 and before["winkel"] > 0
    frame.locator(".leaflet-control-layers").hover()  # the layers button opens on hover
    checkbox = frame.locator(".leaflet-control-layers-overlays label", has_text="Speelplek")
    checkbox.locator("input").uncheck()
    expect(type_shown(frame, "speelplek")).to_have_count(0)
    after = shown_per_type(frame)
    assert after == {k: n for k, n in before.items() if k != "speelplek"}  # the others stay
    checkbox.locator("input").check()
    expect(type_shown(frame, "speelplek")).not_to_have_count(0)
    assert shown_per_type(frame) == before


def test_basemap_none_makes_no_request_outside_the_app(offline_page, app_url):
    page = offline_page
    page.goto(app_url)
    map_frame(page)
    page.outside.clear()
    # The box sits low in the sidebar: type the choice, as a keyboard user would.
    choose(page, "Achtergrondkaart", "Geen (werkt zonder internet)")
    page.wait_for_timeout(1500)
    frame = map_frame(page)
    frame.locator(".leaflet-marker-icon").first.wait_for()
    page.outside.clear()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(1000)
    assert page.outside == []


OPEN_POPUP = """(needle) => {
    let found = null;
    map_div.eachLayer((layer) => {
        if (!layer.zoomToShowLayer) return;  // a marker cluster group
        layer.getLayers().forEach((marker) => {
            const tip = marker.getTooltip && marker.getTooltip();
            if (tip && String(tip.getContent()).includes(needle)) found = [layer, marker];
        });
    });
    if (!found) return false;
    found[0].zoomToShowLayer(found[1], () => found[1].openPopup());
    return true;
}"""


def test_popup_shows_special_characters_as_text(offline_page, app_url):
    page = offline_page
    page.goto(app_url)
    map_frame(page)
    frame = page.frame(url=lambda url: "streamlit_folium" in url)
    assert frame is not None
    assert frame.evaluate(OPEN_POPUP, "De Brug")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert 'Café "De Brug" & Zn <oud>' in text
    assert '"koffie & appeltaart" <sinds 1923>' in text
    assert popup.locator("oud, sinds").count() == 0  # shown as text, never parsed as tags
    assert "Winkel of bedrijf" in text


def _talent_labels(page) -> list[str]:
    frame = map_frame(page)
    frame.locator(".am-talent").first.wait_for(timeout=30_000)
    return [t.strip() for t in frame.locator(".am-talent span").all_inner_texts()]


def test_resident_submits_on_a_phone_and_manager_approves(browser, app_url):
    # Havenkwartier has 2 approved demo talents: shown as '<3'; one more makes it '3'.
    desktop = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = desktop.new_page()
    page.goto(app_url)
    before = _talent_labels(page)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    resident = phone.new_page()
    resident.goto(f"{app_url}/meedoen")
    resident.get_by_text("Vertel wat u goed kunt").wait_for(timeout=60_000)
    choose(resident, "Kies uw buurt", "Havenkwartier")
    resident.get_by_role("textbox", name="Uw naam of bijnaam").fill("Samira")
    choose(resident, "Wat kunt u?", "Koken")
    choose(resident, "Wat wilt u ermee doen?", "Een buur helpen")
    resident.get_by_text("Ik vind het goed dat u mijn gegevens zo bewaart.").click()
    resident.get_by_role("button", name="Verstuur mijn talent").click()
    try:
        resident.get_by_text("Dank u wel!").wait_for(timeout=30_000)
    except Exception:
        resident.screenshot(path="/tmp/phone_fail.png", full_page=True)
        raise
    code = resident.get_by_text("Uw code om uw gegevens later te wissen")
    code.wait_for(timeout=10_000)
    assert code.count() == 1
    phone.close()

    log_in(page, app_url)
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_text("Samira").wait_for(timeout=30_000)
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Er wachten geen talenten op beoordeling.").wait_for(timeout=30_000)
    page.get_by_role("link", name="Kaart", exact=True).click()
    page.wait_for_timeout(1000)
    after = _talent_labels(page)
    assert after.count("⭐ 3") == before.count("⭐ 3") + 1
    assert after.count("⭐ <3") == before.count("⭐ <3") - 1
    assert "Samira" not in page.content()  # never a name on the public map
    desktop.close()


def test_upload_with_foreign_columns_map_preview_import(browser, app_url, tmp_path):
    """A wijkmanager loads own areas, then a GeoJSON with foreign column names; maps them,
    sees the preview, imports, and finds the new places on the map."""
    import geopandas as gpd
    from shapely.geometry import Point

    from asset_map.services.workspace import DEMO_DIR, load_workspace

    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "eigen_buurten.geojson"
    demo.areas.to_file(areas_file)
    inside = demo.areas[demo.areas["code"] == "BU99990101"].geometry.iloc[0]
    p = inside.representative_point()
    places = gpd.GeoDataFrame(
        {
            "titel": ["Buurtcentrum De Kei", "Speeltuin Zonnebloem"],
            "soort": ["buurtcentrum", "speeltuin"],
            "info": ["Elke dag open", "Met schommels"],
        },
        geometry=[Point(p.x, p.y), Point(p.x + 0.001, p.y)],
        crs="EPSG:4326",
    )
    places_file = tmp_path / "wijkteam.geojson"
    places.to_file(places_file)

    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    log_in(page, app_url)
    page.get_by_role("link", name="Gegevens").click()
    page.get_by_text("Een eigen bestand toevoegen").wait_for(timeout=30_000)

    # 1. Own areas replace the demo.
    page.get_by_text("Wijken en buurten", exact=True).click()
    upload(page, "Bestand met wijken en buurten", areas_file)
    page.get_by_text("Voorbeeld: 25 rijen worden geladen").first.wait_for(timeout=30_000)
    click_button(page, "Toevoegen aan de kaart")
    page.get_by_text("25 rijen toegevoegd").first.wait_for(timeout=30_000)

    # 2. Places with foreign columns: map them, check the preview, import.
    page.get_by_text("Plekken", exact=True).click()
    upload(page, "Bestand met plekken", places_file)
    # The mapping step belongs to this file once its name fills in the source box.
    expect(page.get_by_role("textbox", name="Naam van de bron")).to_have_value(
        "wijkteam", timeout=30_000
    )
    choose(page, "Naam", "titel")
    choose(page, "Soort plek", "soort")
    choose(page, "Omschrijving", "info")
    choose(page, "buurtcentrum", "Buurthuis", exact=False)  # shown as "🏠 Buurthuis"
    page.get_by_text("Voorbeeld: 2 rijen worden geladen").first.wait_for(timeout=30_000)
    preview = page.locator('[data-testid="stDataFrame"]').first
    preview.wait_for()
    click_button(page, "Toevoegen aan de kaart")
    page.get_by_text("2 rijen toegevoegd").first.wait_for(timeout=30_000)

    page.get_by_role("link", name="Kaart", exact=True).click()
    frame = map_frame(page)
    legend = frame.locator(".am-legend").inner_text()
    assert "Buurthuis (1)" in legend and "Speelplek (1)" in legend
    assert shown_per_type(frame)["buurthuis"] >= 1
    context.close()
