"""Staff stay logged in through a reload and in a new tab, until they log out or time out.

The server is started as the README says (``streamlit run serve.py``): its session endpoint
sets an HTTP-only cookie after the log-in, and every new connection reads it back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from browser_support import MANAGER, click_button, log_in, start_app
from sqlalchemy import create_engine, update

from asset_map.rules.sessions import COOKIE_NAME, IDLE_TIMEOUT
from asset_map.storage.db import resolve_url
from asset_map.storage.schema import staff_sessions
from asset_map.ui.client import DEVICE_COOKIE

pytestmark = pytest.mark.browser

WELCOME = f"U bent ingelogd als {MANAGER[0]}"


def _logged_in(page, app_url: str):
    log_in(page, app_url)
    # The page hands its one-time ticket to the server, which answers with the cookie.
    page.wait_for_function("document.body.dataset.staffSession === 'kept'", timeout=30_000)


def _session_cookie(context) -> dict:
    cookies = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    assert len(cookies) == 1, context.cookies()
    return cookies[0]


def _wait_for_cookie(context, name: str) -> dict:
    """Wait for a cookie the page sets after the log-in (its script runs after the rerun)."""
    deadline = time.monotonic() + 30
    while True:
        found = [c for c in context.cookies() if c["name"] == name]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no cookie {name}: {context.cookies()}"
        time.sleep(0.2)


def _main(page):
    return page.locator('[data-testid="stMain"]')


def test_a_reload_and_a_new_tab_keep_the_log_in(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _logged_in(page, app_url)
    cookie = _session_cookie(context)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert COOKIE_NAME not in page.evaluate("document.cookie")  # no script can read it
    # The known-device cookie (log-in delays) lives beside it; it logs no one in by itself.
    device = _wait_for_cookie(context, DEVICE_COOKIE)
    assert device["value"] != cookie["value"]

    page.reload()
    page.get_by_text(WELCOME).wait_for(timeout=30_000)
    assert {c["name"] for c in context.cookies()} >= {COOKIE_NAME, DEVICE_COOKIE}

    other = context.new_page()
    other.goto(f"{app_url}/beoordelen")  # a staff page, opened by its link in a new tab
    _main(other).get_by_role("heading", name="Beoordelen").first.wait_for(timeout=30_000)
    assert "Log eerst in" not in _main(other).inner_text()
    context.close()


def test_logging_out_in_one_tab_ends_the_session_in_the_other(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    first = context.new_page()
    _logged_in(first, app_url)
    second = context.new_page()
    second.goto(f"{app_url}/inloggen")
    second.get_by_text(WELCOME).wait_for(timeout=30_000)

    click_button(first, "Uitloggen")
    first.get_by_role("button", name="Inloggen").wait_for(timeout=30_000)

    # The second tab's next step finds its session ended.
    second.get_by_role("link", name="Kaart").first.click()
    second.get_by_role("link", name="Inloggen").first.click()
    _main(second).get_by_text("U bent uitgelogd").wait_for(timeout=30_000)
    assert WELCOME not in _main(second).inner_text()
    # The cookie is gone too, and a reload does not log in again.
    assert not [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    second.reload()
    second.get_by_role("textbox", name="Gebruikersnaam").wait_for(timeout=30_000)
    context.close()


def test_after_the_idle_timeout_the_log_in_is_gone(browser, app_url, app_database):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _logged_in(page, app_url)
    # Half an hour and a minute pass without activity: the session's last activity ages.
    engine = create_engine(resolve_url(app_database))
    long_ago = datetime.now(UTC) - IDLE_TIMEOUT - timedelta(minutes=1)
    with engine.begin() as conn:
        conn.execute(update(staff_sessions).values(last_active=long_ago))
    engine.dispose()

    page.reload()
    page.get_by_role("textbox", name="Gebruikersnaam").wait_for(timeout=30_000)
    assert WELCOME not in _main(page).inner_text()
    page.goto(f"{app_url}/beoordelen")
    _main(page).get_by_text("Log eerst in").wait_for(timeout=30_000)
    context.close()


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory) -> Iterator[str]:
    """The app started without ``serve.py``: ``streamlit run app.py`` (no session endpoints)."""
    yield from start_app(tmp_path_factory.mktemp("plain"), script="app.py")


def test_plain_streamlit_run_logs_in_for_one_tab_only(browser, plain_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    log_in(page, plain_app)  # the log-in works, and staff pages open in this tab
    page.get_by_role("link", name="Beoordelen").first.click()
    _main(page).get_by_role("heading", name="Beoordelen").first.wait_for(timeout=30_000)
    _wait_for_cookie(context, DEVICE_COOKIE)  # the log-in delays work here too
    assert not [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    # Without the session endpoint no cookie holds the log-in: a reload asks for it again.
    page.reload()
    _main(page).get_by_text("Log eerst in").wait_for(timeout=30_000)
    context.close()
