"""Log-in in the app (AppTest): a page names the roles it needs; a wait is said in seconds, or
as a time in Amsterdam."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from app_helpers import error_text, login, open_app, open_page


@pytest.mark.parametrize(
    ("page", "roles"),
    [
        ("app_pages/moderation.py", "alleen voor een wijkmanager of beheerder"),
        ("app_pages/data.py", "alleen voor een wijkmanager, planner of beheerder"),
    ],
)
def test_login_required_names_the_roles_of_the_page(db, page, roles):
    at = open_page(page)
    assert any(roles in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_short_wait_is_said_in_seconds(db, manager, monkeypatch):
    monkeypatch.setattr("asset_map.rules.auth.FIRST_DELAY", timedelta(seconds=30))
    at = open_app()
    for _ in range(4):  # three free, the fourth starts a wait of 30 s
        login(at, "wim", "verkeerd-wachtwoord")
        assert "klopt niet" in error_text(at)
    login(at, "wim", "geheim-wachtwoord-1")  # the right one, too early
    found = re.search(r"vanaf deze plek\. Wacht (\d+) seconden", error_text(at))
    assert found, error_text(at)
    assert 20 <= int(found.group(1)) <= 30


def test_a_long_wait_ends_at_a_time_in_amsterdam(db, manager, monkeypatch):
    from zoneinfo import ZoneInfo

    from asset_map.rules.auth import LoginDelayed
    from asset_map.storage import Store

    until = datetime.now(UTC) + timedelta(minutes=15)

    def delayed(self, *args, **kwargs):
        raise LoginDelayed(until)

    monkeypatch.setattr(Store, "authenticate", delayed)
    at = open_app()
    login(at, "wim", "geheim-wachtwoord-1")
    found = re.search(r"Probeer het na (\d\d:\d\d) opnieuw", error_text(at))
    assert found, error_text(at)
    local = until.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert found.group(1) in {
        (local + timedelta(minutes=d)).strftime("%H:%M") for d in (0, 1)
    }  # rounded up to the minute
