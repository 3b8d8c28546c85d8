"""The workbench in a real browser: a shared URL filters, a table row puts its asset on the map.

The table is a Glide data grid drawn on a canvas: a row is chosen by clicking its row
marker (the first 30 px column; rows are 35 px high, the header is row 0), as Streamlit's
own end-to-end tests do.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from browser_support import MAP_FRAME, PLANNER, ROOT, choose, log_in, map_frame
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIJK = "WK999904"  # Lindeveen-Zuid
ROW_HEIGHT_PX = 35
ROW_MARKER_X_PX = 15
MAP_VIEW = "() => [map_div.getCenter().lat, map_div.getCenter().lng, map_div.getZoom()]"


def _wijk_assets() -> gpd.GeoDataFrame:
    """The wijk's assets in the table's order (buurt name, then name), from the demo files."""
    areas = gpd.read_file(ROOT / "data" / "demo" / "areas.geojson")
    assets = gpd.read_file(ROOT / "data" / "demo" / "assets.geojson")
    buurten = areas[(areas["level"] == "buurt") & (areas["parent_code"] == WIJK)]
    inside = gpd.sjoin(assets, buurten[["name", "geometry"]].rename(columns={"name": "buurt"}))
    return inside.sort_values(["buurt", "name"], kind="stable").reset_index(drop=True)


def _map_view(page) -> list[float]:
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    return frame.evaluate(MAP_VIEW)


def test_shared_url_filters_and_a_chosen_row_shows_on_the_map(offline_page, app_url, tmp_path):
    page = offline_page
    expected = _wijk_assets()
    page.goto(f"{app_url}/werkbank?wijk={WIJK}")
    frame = map_frame(page)
    # The URL chose the wijk: the filter shows it and the counts are the wijk's.
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Lindeveen-Zuid")).to_be_visible()
    places = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text("Plekken", exact=True)
    )
    expect(places).to_contain_text(str(len(expected)))

    grid = page.locator(".st-key-wb_table [data-testid='stDataFrame']")
    grid.locator("canvas").first.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the grid settles its size before it takes clicks
    row = 3  # the third data row (row 0 is the header)
    grid.click(position={"x": ROW_MARKER_X_PX, "y": row * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2})

    chosen = expected.iloc[row - 1]
    name = frame.locator(".wb-selected-name")
    expect(name).to_have_text(chosen["name"], timeout=30_000)
    assert frame.locator(".wb-selected").get_attribute("data-id") == chosen["id"]
    # The map went to the asset (the frame is the same: no reload, just a new view).
    page.wait_for_timeout(1000)
    lat, lon, zoom = _map_view(page)
    assert lat == pytest.approx(chosen.geometry.y, abs=2e-4)
    assert lon == pytest.approx(chosen.geometry.x, abs=2e-4)
    assert zoom == 17
    # The details under the table name it too, and the URL still holds the filter.
    details = page.locator('[data-testid="stMarkdownContainer"] strong')
    expect(details.filter(has_text=chosen["name"])).to_be_visible()
    assert f"wijk={WIJK}" in page.url
    page.screenshot(path=str(tmp_path / "werkbank.png"), full_page=True)
    assert not [e for e in page.errors if "tile" not in e], page.errors


#: Zoom the map to the marker whose tooltip is ``name`` and tag its icon for a real click.
SHOW_MARKER = """(name) => new Promise((done) => {
    let found = null;
    map_div.eachLayer((layer) => {
        if (!layer.zoomToShowLayer) return;  // a marker cluster group
        layer.getLayers().forEach((marker) => {
            const tip = marker.getTooltip && marker.getTooltip();
            if (tip && String(tip.getContent()) === name) found = [layer, marker];
        });
    });
    if (!found) return done(false);
    found[0].zoomToShowLayer(found[1], () => {
        found[1]._icon.classList.add("wb-test-target");
        done(true);
    });
})"""


def test_clicking_an_asset_on_the_map_chooses_it(offline_page, app_url):
    page = offline_page
    expected = _wijk_assets()
    target = expected.iloc[5]
    page.goto(f"{app_url}/werkbank?wijk={WIJK}")
    map_frame(page)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    details = page.locator('[data-testid="stMarkdownContainer"] strong')
    chosen = details.filter(has_text=target["name"])
    # On a busy machine a click can land while the cluster still animates open: click again,
    # as a user would, but at most three times.
    for _attempt in range(3):
        assert frame.evaluate(SHOW_MARKER, target["name"])
        frame.locator(".wb-test-target").click()
        try:
            chosen.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    expect(chosen).to_be_visible(timeout=10_000)
    expect(frame.locator(".wb-selected-name")).to_have_text(target["name"], timeout=30_000)


def _open_tab(page, name: str, shows) -> None:
    """Open a tab and wait for ``shows``; click again when a rerun swallowed the first click."""
    for _attempt in range(3):
        page.get_by_role("tab", name=name).click()
        try:
            shows.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    shows.wait_for(timeout=15_000)


def test_downloads_are_made_on_click(offline_page, app_url, tmp_path):
    page = offline_page
    page.goto(f"{app_url}/werkbank?wijk={WIJK}")
    map_frame(page)
    report = page.get_by_role("button", name="Download het rapport van Lindeveen-Zuid")
    _open_tab(page, "Downloaden", report)
    with page.expect_download(timeout=60_000) as pdf:
        report.click()
    path = tmp_path / "rapport.pdf"
    pdf.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    with page.expect_download(timeout=60_000) as csv:
        page.get_by_role("button", name="CSV (om weer in te lezen)").click()
    assert csv.value.suggested_filename == "plekken_wgs84.csv"
    csv.value.save_as(tmp_path / "plekken.csv")
    rows = (tmp_path / "plekken.csv").read_text("utf-8-sig").strip().splitlines()
    assert len(rows) == len(_wijk_assets()) + 1  # a header and one row per asset
    # For people: Dutch Excel's CSV (";", Dutch headers) and an Excel workbook.
    with page.expect_download(timeout=60_000) as dutch:
        page.get_by_role("button", name="CSV voor Excel (met ;)").click()
    dutch.value.save_as(tmp_path / "plekken_nl.csv")
    lines = (tmp_path / "plekken_nl.csv").read_text("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Naam;Soort plek;Status;") and len(lines) == len(rows)
    with page.expect_download(timeout=60_000) as xlsx:
        page.get_by_role("button", name="Excel (.xlsx)").click()
    assert xlsx.value.suggested_filename == "plekken_wgs84.xlsx"
    xlsx.value.save_as(tmp_path / "plekken.xlsx")
    assert (tmp_path / "plekken.xlsx").read_bytes()[:2] == b"PK"  # a zipped workbook


def test_planner_adds_a_place_by_clicking_the_map(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    log_in(page, app_url, PLANNER)
    page.get_by_role("link", name="Cijfers en lijst").click()
    big_map = page.frame_locator(MAP_FRAME).first
    big_map.locator(".leaflet-marker-icon").first.wait_for(timeout=60_000)
    page.get_by_text("Plekken toevoegen en wijzigen").wait_for(timeout=30_000)
    small_map = page.locator(MAP_FRAME).nth(1)
    small_map.scroll_into_view_if_needed()
    small_map.content_frame.locator(".leaflet-container").wait_for(timeout=30_000)
    box = small_map.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = page.get_by_role("spinbutton", name="Breedtegraad")
    expect(latitude).not_to_have_value("", timeout=30_000)
    assert 52.4 < float(latitude.input_value()) < 52.6
    page.get_by_role("textbox", name="Naam").last.fill("Buurtkamer De Klik")
    choose(page, "Welke soort plek?", "Wijkhuiskamer", exact=False)
    page.get_by_role("button", name="Plek toevoegen").click()
    page.get_by_text("Buurtkamer De Klik staat nu op de kaart.").wait_for(timeout=30_000)
    places = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text("Plekken", exact=True)
    )
    expect(places).to_contain_text("301")
    # The new place is the chosen one: marked and named on the big map.
    expect(big_map.locator(".wb-selected-name")).to_have_text("Buurtkamer De Klik", timeout=30_000)
    context.close()
