"""Real browser: talent submissions from fresh browser sessions of one client address are
limited by the database's count, and another address is not affected.

The server is reached through 127.0.0.1, as through a reverse proxy on the same machine: the
server (uvicorn) then takes the client's address from ``X-Forwarded-For``, which each
browser context sends here (documentation addresses, RFC 5737).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import choose, click_button, idle, start_app

from asset_map.storage import Store

pytestmark = pytest.mark.browser

ONE_ADDRESS, OTHER_ADDRESS = "203.0.113.7", "198.51.100.4"
PER_HOUR = 10  # the default of ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("limits")
    for url in start_app(folder):
        yield url, f"sqlite:///{folder / 'browser.sqlite'}"


def _submit_in_a_fresh_session(browser, url: str, address: str, name: str) -> str:
    """Open a new browser context (no cookies, a new session), fill in the form, send it."""
    context = browser.new_context(
        viewport={"width": 1200, "height": 1000}, extra_http_headers={"X-Forwarded-For": address}
    )
    try:
        page = context.new_page()
        page.goto(f"{url}/meedoen")
        page.get_by_text("Vertel wat u goed kunt").wait_for(timeout=60_000)
        choose(page, "Kies uw buurt", "Havenkwartier")
        page.get_by_text("Uw buurt: Havenkwartier").wait_for(timeout=30_000)
        idle(page)  # the rerun of the choice is over: typing now is kept
        page.get_by_role("textbox", name="Uw naam of bijnaam").fill(name)
        choose(page, "Wat kunt u?", "Koken")
        choose(page, "Wat wilt u ermee doen?", "Een buur helpen")
        page.get_by_text("Ik vind het goed dat u mijn gegevens zo bewaart.").click()
        click_button(page, "Verstuur mijn talent")
        taken = page.get_by_text("Dank u wel!")
        refused = page.get_by_text("Vanaf deze internetverbinding")
        try:
            taken.or_(refused).first.wait_for(timeout=30_000)
        except Exception:
            alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(f"{name}: {alerts}") from None
        return "taken" if taken.count() else "refused"
    finally:
        context.close()


def test_twenty_fresh_sessions_of_one_address_are_limited(browser, server):
    url, database = server
    outcomes = [
        _submit_in_a_fresh_session(browser, url, ONE_ADDRESS, f"Bot {n}") for n in range(20)
    ]
    assert outcomes == ["taken"] * PER_HOUR + ["refused"] * (20 - PER_HOUR)
    # Someone at another address is not affected.
    assert _submit_in_a_fresh_session(browser, url, OTHER_ADDRESS, "Samira") == "taken"
    with Store(database) as store:
        names = store.talents()["nickname"].tolist()
    assert len(names) == PER_HOUR + 1 and "Samira" in names
