"""Moderation with hundreds of talents (AppTest): one table, one editor, a safe erase."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_helpers import submission
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PENDING = 5
APPROVED = 495


@pytest.fixture
def crowded(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'crowded.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    for i in range(PENDING + APPROVED):
        receipt = store.submit_talent(
            submission(nickname=f"Bewoner {i:03d}", buurt_code="BU99990101")
        )
        if i >= PENDING:
            store.decide(receipt.id, status="approved", actor="test")
    store.close()
    return url


def _button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button '{label}'"
    return matches[0]


def test_moderation_of_500_talents_has_one_editor_and_asks_before_erasing(crowded):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input("wim")
    at.text_input(key="login_password").input("geheim-wachtwoord-1")
    _button(at, "Inloggen").click().run()
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception

    # Pending ones each have an editor (3 text inputs); approved ones are one table.
    assert len(at.text_input) == 3 * PENDING
    [table] = at.dataframe
    assert len(table.value) == APPROVED
    edit_keys = [t.key for t in at.text_input if t.key and t.key.startswith("edit_nick_")]
    assert len(edit_keys) == PENDING

    choice = at.selectbox(key="moderate_choice@nl")
    assert len(choice.options) == APPROVED
    chosen = next(o for o in choice.options if o.startswith("Bewoner 300"))
    choice.select(chosen).run()
    assert not at.exception, at.exception
    assert len(at.text_input) == 3 * PENDING + 3  # one more editor: the chosen talent's
    store = Store(crowded)
    [talent_id] = store.talents().query("nickname == 'Bewoner 300'")["id"].tolist()

    erase = _button(at, "Persoonlijke gegevens wissen")
    erase_keys = [b.key for b in at.button if b.label == "Persoonlijke gegevens wissen"]
    assert f"erase_{talent_id}" in erase_keys
    target = next(b for b in at.button if b.key == f"erase_{talent_id}")
    assert target.disabled and erase is not None  # one click cannot erase
    at.checkbox(key=f"erase_sure_{talent_id}").check().run()
    target = next(b for b in at.button if b.key == f"erase_{talent_id}")
    assert not target.disabled
    target.click().run()
    assert not at.exception, at.exception
    row = store.talent(talent_id)
    assert row is not None and row["nickname"] is None and row["status"] == "withdrawn"
    # Erased but approved: still counted anonymously.
    assert len(store.public_talents()) == APPROVED
    store.close()

    # The erased one shows as erased, without an editor.
    at.multiselect(key="moderate_filter_status@nl").unselect("approved").unselect("rejected").run()
    choice = at.selectbox(key="moderate_choice@nl")
    assert len(choice.options) == 1
    choice.select(choice.options[0]).run()
    assert any("zijn gewist" in i.value for i in at.info)
    assert len(at.text_input) == 3 * PENDING


def _logged_in(url: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input("wim")
    at.text_input(key="login_password").input("geheim-wachtwoord-1")
    _button(at, "Inloggen").click().run()
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    assert not at.warning  # logged in: the moderation screen shows
    return at


@pytest.mark.parametrize("change", ["remove", "set_password", "role"])
def test_a_changed_account_is_logged_out(tmp_path, monkeypatch, change):
    url = f"sqlite:///{tmp_path / 'accounts.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    store.add_user("admin", "beheer-wachtwoord-1", "admin", actor="test")
    at = _logged_in(url)
    at.run()
    assert not at.warning  # nothing changed: still logged in
    if change == "remove":
        store.remove_user("wim", actor="admin")
    elif change == "set_password":
        store.set_password("wim", "nieuw-wachtwoord-22", actor="admin")
    else:
        store.remove_user("wim", actor="admin")
        store.add_user("wim", "geheim-wachtwoord-1", "planner", actor="admin")
    store.close()
    at.run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Uw account is gewijzigd of verwijderd" in warnings
    assert not [t for t in at.text_input if t.key and t.key.startswith("edit_")]


def test_an_unreachable_database_is_explained_in_the_app(monkeypatch):
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", "postgresql://u:geheim@127.0.0.1:1/x")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "niet bereikbaar" in errors and "127.0.0.1:1" in errors and "geheim" not in errors


def test_a_wrong_retention_setting_is_warned_and_not_claimed(db_with_retention):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/meedoen.py").run()
    assert not at.exception, at.exception
    assert any("ASSET_MAP_RETENTION_MONTHS='6m'" in w.value for w in at.warning)
    page = " ".join(m.value for m in at.markdown)
    assert "Wie ziet het?" in page  # the statement is there ...
    assert "Hoe lang?" not in page and "12 maanden" not in page  # ... without a wrong period


@pytest.fixture
def db_with_retention(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", "6m")
    return url
