"""From "my gemeente" to Kansen in a real browser: Deventer's own files, one after the other.

A wijkmanager at desktop size uploads the CBS wijken, then the buurten, then the 2024 key
figures (known per wijk only), then the wijkteam's list of places (its preset is chosen by
itself); the Kaart shows the gemeente's 103,390 inhabitants and Kansen runs. Debian's
chromium via Playwright against `streamlit run`; real files from ../shared/data/real.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from browser_support import click_button, idle, log_in, map_frame, upload
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FIGURES = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"
PLACES = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


def _deventer(real_file, tmp_path: Path, level: str, name: str) -> Path:
    frame = gpd.read_file(real_file(f"cbs_2014/{name}.geojson"))
    path = tmp_path / f"deventer_{level}.geojson"
    frame[frame["gemeentecode"] == "GM0150"].to_file(path, driver="GeoJSON")
    return path


def _metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def test_deventer_files_one_after_the_other_then_kaart_and_kansen(
    browser, app_url, real_file, tmp_path
):
    wijken = _deventer(real_file, tmp_path, "wijken", "cbs_wijken_2014_5gemeenten")
    buurten = _deventer(real_file, tmp_path, "buurten", "cbs_buurten_2014_coarse_5gemeenten")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    log_in(page, app_url)
    page.get_by_role("link", name="Gegevens").click()
    page.get_by_text("Een eigen bestand toevoegen").wait_for(timeout=30_000)

    page.get_by_text("Wijken en buurten", exact=True).click()
    upload(page, "Bestand met wijken en buurten", wijken)
    click_button(page, "Toevoegen aan de kaart")
    page.get_by_text("15 rijen toegevoegd").first.wait_for(timeout=60_000)
    upload(page, "Bestand met wijken en buurten", buurten)
    click_button(page, "Toevoegen aan de kaart")
    page.get_by_text("68 rijen toegevoegd").first.wait_for(timeout=60_000)

    idle(page)
    page.get_by_text("Kerncijfers (CSV van CBS)", exact=True).click()
    upload(page, "Kerncijfers wijken en buurten", real_file(FIGURES))
    click_button(page, "Cijfers toevoegen")
    page.get_by_text("De kerncijfers uit kwb2024_85984NED").first.wait_for(timeout=60_000)

    idle(page)
    page.get_by_text("Plekken", exact=True).click()
    upload(page, "Bestand met plekken", real_file(PLACES))
    page.get_by_text("Ontmoetingsplekken in dit bestand: 7.").first.wait_for(timeout=60_000)
    click_button(page, "Toevoegen aan de kaart")
    page.get_by_text("240 rijen toegevoegd").first.wait_for(timeout=60_000)

    page.get_by_role("link", name="Kaart", exact=True).click()
    expect(_metric(page, "Inwoners")).to_contain_text("103.390", timeout=60_000)
    frame = map_frame(page)
    assert "Buurthuis" in frame.locator(".am-legend").inner_text()

    page.get_by_role("link", name="Kansen").click()
    expect(_metric(page, "Bewoners (gewogen)")).to_contain_text("103.390", timeout=120_000)
    expect(_metric(page, "Nu binnen loopafstand")).to_contain_text("%")
    page.get_by_text("alleen per wijk bekend").first.wait_for(timeout=30_000)
    context.close()
