"""Log-in in the app (AppTest): a page names the roles it needs; a lockout ends at a local time."""

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


def test_lockout_time_is_shown_in_amsterdam_time(db, manager):
    from zoneinfo import ZoneInfo

    at = open_app()
    for _ in range(5):
        login(at, "wim", "verkeerd-wachtwoord")
    shown = error_text(at)
    found = re.search(r"Probeer het na (\d\d:\d\d) opnieuw", shown)
    assert found, shown
    until = datetime.now(UTC) + timedelta(minutes=15)
    allowed = {
        (until + timedelta(minutes=d)).astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%H:%M")
        for d in (-1, 0)
    }
    assert found.group(1) in allowed
