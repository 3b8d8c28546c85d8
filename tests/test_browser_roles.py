"""Real-browser check that staff pages refuse visitors who type their address directly."""

from __future__ import annotations

import pytest
from browser_support import PLANNER, log_in

pytestmark = pytest.mark.browser

STAFF_PAGES = ("beoordelen", "gegevens", "verbinden")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitor_typing_a_staff_address_is_refused(offline_page, app_url, path):
    page = offline_page
    page.goto(f"{app_url}/{path}")
    page.get_by_text("Log eerst in").wait_for(timeout=30_000)
    # The page stops at the refusal: no forms, tables or uploads of the staff screen.
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator('[data-testid="stForm"]').count() == 0
    # The menu does not offer staff pages to a visitor.
    menu = page.locator('[data-testid="stSidebarNav"]')
    for other in STAFF_PAGES:
        assert menu.locator(f'a[href$="/{other}"]').count() == 0


def test_planner_menu_offers_only_the_pages_of_the_role(offline_page, app_url):
    # Typing an address reloads the app, which starts a new (anonymous) session, so a
    # logged-in user can only move through the menu: it must not offer moderation.
    page = offline_page
    log_in(page, app_url, PLANNER)
    menu = page.locator('[data-testid="stSidebarNav"]')
    menu.locator('a[href$="/gegevens"]').wait_for(timeout=30_000)
    assert menu.locator('a[href$="/beoordelen"]').count() == 0
    assert menu.locator('a[href$="/verbinden"]').count() == 0
