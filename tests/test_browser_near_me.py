"""Real browser: a resident finds what is near them, without log-in and without internet.

Debian's chromium, driven by Playwright, against `streamlit run` (own server and database per
module). Every request that leaves 127.0.0.1 is aborted: the demo's postcode table answers
locally, and the map needs no CDN.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import pytest
from browser_support import ROOT, choose, map_frame

from asset_map.render.activities import ORIGIN_COLOR

pytestmark = pytest.mark.browser

DEMO = ROOT / "data" / "demo"
ORIGIN = f'path.leaflet-interactive[fill="{ORIGIN_COLOR}"][stroke="#fff"]'
WALK_CIRCLE = f'path.leaflet-interactive[stroke="{ORIGIN_COLOR}"]'


def _minutes(page) -> list[int]:
    """Return the walking minutes of the activities table, top to bottom."""
    table = page.locator('[data-testid="stTable"]').filter(has_text="Activiteit")
    table.wait_for(timeout=30_000)
    cells = table.locator("tbody tr td:first-child").all_inner_texts()
    return [int(c.split()[0]) for c in cells]


def test_resident_finds_activities_by_postcode_and_prints_a_flyer(offline_page, app_url, tmp_path):
    page = offline_page
    postcode = str(pd.read_csv(DEMO / "postcodes.csv", dtype=str)["postcode"].iloc[0])
    page.goto(f"{app_url}/in-de-buurt")
    page.get_by_role("textbox", name="Postcode").wait_for(timeout=60_000)
    assert page.get_by_text("Wij bewaren uw postcode niet").count() == 1
    page.get_by_role("textbox", name="Postcode").fill(f"{postcode[:4]} {postcode[4:].lower()}")
    page.get_by_role("button", name="Zoek wat er in de buurt is").click()
    page.get_by_text(
        f"Binnen 10 minuten lopen vanaf postcode {postcode[:4]} {postcode[4:]}"
    ).wait_for(timeout=30_000)
    minutes = _minutes(page)
    assert minutes and minutes == sorted(minutes) and max(minutes) <= 10

    frame = map_frame(page)
    frame.locator(ORIGIN).wait_for(timeout=30_000)
    assert frame.locator(ORIGIN).count() == 1  # where the resident starts
    assert frame.locator(WALK_CIRCLE).count() == 1  # how far 10 minutes reach

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Print als flyer").click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
    page.screenshot(path=str(tmp_path / "near_me.png"), full_page=True)

    # A longer walk finds at least as much.
    page.get_by_text("15 minuten", exact=True).click()
    page.get_by_text("Binnen 15 minuten lopen").wait_for(timeout=30_000)
    assert len(_minutes(page)) >= len(minutes)

    hosts = {urlparse(u).hostname for u in page.outside}
    assert hosts <= {"tile.openstreetmap.org"}, page.outside
    assert not [e for e in page.errors if "tile" not in e], page.errors


def test_resident_picks_a_buurt_instead(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/in-de-buurt")
    page.get_by_role("tab", name="Ik kies mijn buurt").click()
    choose(page, "Mijn buurt", "Oude Kern")
    page.get_by_text("Binnen 10 minuten lopen vanaf het midden van Oude Kern").wait_for(
        timeout=30_000
    )
    frame = map_frame(page)
    frame.locator(ORIGIN).wait_for(timeout=30_000)
    assert _minutes(page) == sorted(_minutes(page))
