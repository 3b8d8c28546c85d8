"""Helpers of the AppTest tests: open the app on a page, find a button, log in."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"

#: The wijkmanager of the ``db`` fixture (tests/conftest.py): user name and password.
MANAGER = ("wim", "geheim-wachtwoord-1")


def open_app() -> AppTest:
    """Run the app once: it shows its first page."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def open_page(page: str) -> AppTest:
    """Run the app and switch to ``page`` (a path such as ``app_pages/meedoen.py``)."""
    at = open_app()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    """The first button labelled ``label``; fails the test when there is none."""
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button '{label}'"
    return matches[0]


def login(at: AppTest, username: str, password: str) -> None:
    """Log in on the log-in page of the running app."""
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    button(at, "Inloggen").click().run()
    assert not at.exception, at.exception


def error_text(at: AppTest) -> str:
    """The text of every error box on the page, joined by spaces."""
    return " ".join(e.value for e in at.error)
