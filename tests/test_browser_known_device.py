"""Real browser: after a log-in the browser keeps a known-device cookie; with it the owner logs
in while a script's wrong passwords, from the same address, make everyone else wait."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from browser_support import MANAGER, log_in, start_app

from asset_map.rules.auth import LoginDelayed, LoginFailed
from asset_map.storage import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("known_device")
    for url in start_app(folder):
        yield url, f"sqlite:///{folder / 'browser.sqlite'}"


def _device_cookie(context) -> str | None:
    found = [c["value"] for c in context.cookies() if c["name"] == "asset_map_device"]
    return found[0] if found else None


def _script_guesses(database: str) -> None:
    """Wrong passwords for wim from the browser's address (localhost: 'unknown'), waiting out
    each delay, until the next try is half an hour away."""
    now = datetime.now(UTC)
    with Store(database) as store:
        while True:
            try:
                store.authenticate("wim", "raden-raden", now=now)
            except LoginDelayed as delayed:
                if (delayed.until - datetime.now(UTC)).total_seconds() > 1800:
                    return
                now = delayed.until
            except LoginFailed:
                pass


def test_the_owners_browser_logs_in_while_others_wait(browser, server):
    url, database = server
    owners = browser.new_context()
    log_in(owners.new_page(), url)
    deadline = time.monotonic() + 30
    while _device_cookie(owners) is None:  # set by the page after the log-in
        assert time.monotonic() < deadline, "no known-device cookie was set"
        time.sleep(0.2)
    cookie = next(c for c in owners.cookies() if c["name"] == "asset_map_device")
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > time.time() + 80 * 86400

    _script_guesses(database)

    stranger = browser.new_context()  # another browser at the same address: it waits
    page = stranger.new_page()
    page.goto(f"{url}/inloggen")
    page.get_by_role("textbox", name="Gebruikersnaam").fill(MANAGER[0])
    page.get_by_role("textbox", name="Wachtwoord").fill(MANAGER[1])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Te vaak een verkeerd wachtwoord vanaf deze plek").wait_for(timeout=30_000)
    stranger.close()

    log_in(owners.new_page(), url)  # a new session of the owner's browser: no wait
    with Store(database) as store:
        last = store.audit(entity="user", entity_id="wim").iloc[-1]
    assert last["action"] == "login_ok" and '"known_device": true' in last["details"]
    owners.close()
