"""An organiser's personal link in a real browser: staff make it at a desk, the organiser
opens it on a phone and sees their own place only, without the app's menu.
"""

from __future__ import annotations

import pytest
from browser_support import choose, click_button, idle, log_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_link_made_on_bijhouden_opens_only_that_place_on_a_phone(browser, app_url):
    desk = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = desk.new_page()
    log_in(page, app_url)
    page.get_by_role("link", name="Bijhouden").click()
    page.get_by_role("tab", name="Links voor organisatoren").click()
    idle(page)
    choose(page, "Voor welke plek?", "Buurthuis De Boog", exact=False)
    idle(page)
    page.get_by_role("textbox", name="Voor wie? (mag leeg blijven)").fill("Stichting De Boog")
    click_button(page, "Maak een link")
    code = page.locator('[data-testid="stCode"]')
    code.wait_for(timeout=30_000)
    page.screenshot(path="/tmp/links_desk.png")
    url = code.inner_text().strip()
    assert "/organisator?sleutel=" in url and url.startswith(app_url)
    desk.close()

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    organiser = phone.new_page()
    organiser.goto(url)
    organiser.get_by_role("heading", name="Uw plek op de kaart: Buurthuis De Boog").wait_for(
        timeout=60_000
    )
    idle(organiser)
    # Its own path is found (no "Page not found" over the page), and there is no menu: no
    # link to the map, the werkbank or the staff pages.
    expect(organiser.get_by_text("Page not found")).to_have_count(0)
    expect(organiser.get_by_role("link", name="Kaart", exact=True)).to_have_count(0)
    expect(organiser.get_by_role("link", name="Beoordelen")).to_have_count(0)
    organiser.screenshot(path="/tmp/organiser_phone.png")
    click_button(organiser, "Alles klopt nog")
    organiser.get_by_text("Dank u wel! Wij hebben genoteerd dat alles klopt.").wait_for(
        timeout=30_000
    )
    organiser.get_by_role("textbox", name="Openingstijden").fill("ma-vr 9-17 uur")
    click_button(organiser, "Bewaar")
    organiser.get_by_text("Bewaard. Het staat nu op de kaart.").wait_for(timeout=30_000)
    expect(organiser.get_by_role("textbox", name="Openingstijden")).to_have_value("ma-vr 9-17 uur")
    phone.close()
