"""Residents on a 390×844 phone: Doe mee fits the screen, the withdrawal code never wraps and
copies with one tap, the receipt downloads; 'Bij mij in de buurt' fits too."""

from __future__ import annotations

import re

import pytest
from browser_support import choose, click_button, idle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def _right_edges(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "(els) => els.map((e) => e.getBoundingClientRect().right)"
    )


def test_doe_mee_fits_a_phone_and_the_code_stays_whole_and_copies(phone, app_url):
    page = phone.new_page()
    page.goto(f"{app_url}/meedoen")
    page.get_by_text("Vertel wat u goed kunt").wait_for(timeout=60_000)
    tabs = page.get_by_role("tab")
    tabs.first.wait_for()
    assert tabs.count() == 3
    # Every tab of 'Waar woont u?' is on the screen, the postcode tab too.
    assert max(_right_edges(page, '[role="tab"]')) <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("tab", name="Met postcode").click()
    page.get_by_role("textbox", name="Postcode").first.wait_for()

    page.reload()  # a fresh form, on the first tab
    page.get_by_text("Vertel wat u goed kunt").wait_for(timeout=60_000)
    choose(page, "Kies uw buurt", "Havenkwartier")
    page.get_by_role("textbox", name="Uw naam of bijnaam").fill("Noor")
    choose(page, "Wat kunt u?", "Koken")
    choose(page, "Wat wilt u ermee doen?", "Een buur helpen")
    page.get_by_text("Ik vind het goed dat u mijn gegevens zo bewaart.").click()
    click_button(page, "Verstuur mijn talent")
    page.get_by_text("Dank u wel!").wait_for(timeout=30_000)

    code = page.locator(".am-withdrawal-code")
    code.wait_for(timeout=10_000)
    shown = code.inner_text()
    assert CODE.fullmatch(shown)
    # One line: one box of text, as high as one line, all of it on the screen.
    assert code.evaluate("(e) => e.getClientRects().length") == 1
    line = code.evaluate("(e) => parseFloat(getComputedStyle(e).lineHeight) || 0")
    box = code.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert line == 0 or box["height"] < 2 * line
    idle(page)
    page.get_by_role("button", name="Kopieer de code").tap()
    page.get_by_text("Gekopieerd.").wait_for(timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == shown

    with page.expect_download() as download:
        page.get_by_role("button", name="Bewaar het bewijs als PDF of print het").tap()
    pdf = download.value
    assert pdf.suggested_filename == "bewijs-aanmelding.pdf"
    with open(pdf.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"


def test_near_me_fits_a_phone(phone, app_url):
    page = phone.new_page()
    page.goto(f"{app_url}/in-de-buurt")
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    assert max(_right_edges(page, '[role="tab"]')) <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
