"""Residents' talents in the app (AppTest): submit, moderate, count in public, erase."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>'); DROP TABLE talents;--"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    return url


@pytest.fixture
def manager(db) -> tuple[str, str]:
    store = Store(db)
    store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    store.close()
    return "wim", "geheim-wachtwoord-1"


def _button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button '{label}'"
    return matches[0]


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, *, nickname: str, buurt: str, contact: str = "") -> AppTest:
    at.selectbox(key="join_buurt").select(buurt)
    at.text_input(key="join_nickname").input(nickname)
    at.multiselect(key="join_categories@nl").select("koken").select("computerhulp")
    at.text_area(key="join_description").input(f"Ik kook. {EVIL}")
    at.multiselect(key="join_wishes@nl").select("help_neighbour")
    at.text_input(key="join_availability").input("dinsdagochtend")
    at.text_input(key="join_contact").input(contact)
    at.checkbox(key="join_consent").check()
    _button(at, "Verstuur mijn talent").click().run()
    assert not at.exception, at.exception
    return at


def _login(at: AppTest, username: str, password: str) -> None:
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    _button(at, "Inloggen").click().run()
    assert not at.exception, at.exception


def _talent_metric(at: AppTest) -> str:
    return str(next(m.value for m in at.metric if m.label == "Talenten"))


def _oude_kern_popup(monkeypatch) -> tuple[str, str]:
    """Open the explore page; return the public total and the map's popup of Oude Kern."""
    maps = []
    monkeypatch.setattr("asset_map.ui.explore.st_folium", lambda fmap, **_: maps.append(fmap))
    at = _open("app_pages/explore.py")
    html = maps[-1].get_root().render()
    start = html.index("Talenten in Oude Kern")
    popup = html[start : html.index("am-meta", start)]
    return _talent_metric(at), popup.replace("\\u003c", "<").replace("\\u003e", ">")


def test_submit_moderate_show_and_erase(db, manager, monkeypatch):
    at = _open("app_pages/meedoen.py")
    _submit(at, nickname="Fatma", buurt="BU99990101", contact="fatma@example.nl")
    assert any("Dank u wel" in s.value for s in at.success)
    code = next(i.value for i in at.info if "code" in i.value).split("**")[1]
    for name in ("Kees", "Lotte"):  # two more cooks in Oude Kern: 3 together
        _submit(_open("app_pages/meedoen.py"), nickname=name, buurt="BU99990101")
    store = Store(db)
    pending = store.talents(status="pending")
    assert pending["nickname"].tolist() == ["Fatma", "Kees", "Lotte"]
    assert pending["description"].iloc[0] == f"Ik kook. {EVIL}"  # stored verbatim
    assert store.public_talents().empty  # not public before review

    # Oude Kern (BU99990101) has 1 approved demo talent (handwerk, vervoer): '<3', left out
    # of the public total; nobody cooks there yet.
    before, popup = _oude_kern_popup(monkeypatch)
    assert before == "18 + 13× <3" and "Koken" not in popup

    _login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Fatma" in shown and "<img" not in shown and "<script" not in shown
    # The description is shown as plain text (st.text), never parsed as HTML or Markdown.
    assert any(EVIL in t.value for t in at.text)
    for _ in range(3):
        _button(at, "Goedkeuren").click().run()
        assert not at.exception, at.exception
    assert store.talents(status="approved")["nickname"].tolist() == ["Fatma", "Kees", "Lotte"]
    public = store.public_talents()
    assert "contact" not in public.columns and set(public["buurt_code"]) == {"BU99990101"}
    # Now 4 talents in Oude Kern: counted in the total (18 + 4), one '<3' buurt fewer, and
    # the popup shows 3 cooks.
    after, popup = _oude_kern_popup(monkeypatch)
    assert after == "22 + 12× <3"
    assert "<td>Koken</td><td>3</td>" in popup

    # Erasure with the code: the personal data is gone from the database file itself.
    form = _open("app_pages/meedoen.py")
    form.text_input(key="withdraw_code").input(code)
    _button(form, "Wis mijn gegevens").click().run()
    assert any("gewist" in s.value for s in form.success)
    _button(form, "Wis mijn gegevens").click().run()  # once more: already erased
    assert any("Uw gegevens zijn al gewist." in i.value for i in form.info)
    # Only anonymous counts are left, and they still count.
    assert _oude_kern_popup(monkeypatch)[0] == "22 + 12× <3"
    store.close()
    path = db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
    raw = Path(path).read_bytes()
    assert b"Fatma" not in raw and b"fatma@example.nl" not in raw
    again = Store(db)
    row = again.talents().iloc[0]
    assert row["status"] == "withdrawn" and pd.isna(row["nickname"])
    assert row["buurt_code"] == "BU99990101"  # only the anonymous count stays
    again.close()


def test_form_explains_every_missing_field(db):
    at = _open("app_pages/meedoen.py")
    _button(at, "Verstuur mijn talent").click().run()
    errors = " ".join(e.value for e in at.error)
    for needed in [
        "naam of bijnaam",
        "minstens één talent",
        "wat u met uw talent",
        "Kies uw buurt",
        "vinkje",
    ]:
        assert needed in errors, needed
    assert Store(db).talents().empty


def test_bad_contact_is_refused_with_an_example(db):
    at = _open("app_pages/meedoen.py")
    _submit(at, nickname="Kees", buurt="BU99990102", contact="kees at home")
    assert any("naam@voorbeeld.nl" in e.value for e in at.error)
    assert Store(db).talents().empty


def test_honeypot_stores_nothing(db):
    at = _open("app_pages/meedoen.py")
    at.text_input(key="join_website").input("http://spam.example")
    _submit(at, nickname="Bot", buurt="BU99990102")
    assert any("Dank u wel" in s.value for s in at.success)  # the bot sees no difference
    assert Store(db).talents().empty


def test_rate_limit_per_session(db):
    at = _open("app_pages/meedoen.py")
    for i in range(3):
        _submit(at, nickname=f"Anna {i}", buurt="BU99990102")
    _submit(at, nickname="Anna 4", buurt="BU99990102")
    assert any("Wacht een paar minuten" in w.value for w in at.warning)
    assert len(Store(db).talents()) == 3


def test_moderation_refuses_anonymous_sessions(db):
    at = _open("app_pages/moderation.py")
    assert any("Log eerst in" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Goedkeuren"]


def test_planner_may_not_moderate(db):
    store = Store(db)
    store.add_user("piet", "planner-wachtwoord-1", "planner", actor="test")
    store.close()
    at = _open("app_pages/explore.py")
    _login(at, "piet", "planner-wachtwoord-1")
    at.switch_page("app_pages/moderation.py").run()
    assert any("mag deze pagina niet zien" in e.value for e in at.error)


def test_wrong_password_one_message(db, manager):
    at = _open("app_pages/explore.py")
    _login(at, "wim", "fout")
    assert any("klopt niet" in e.value for e in at.error)
    _login(at, "niemand", "fout")
    assert any("klopt niet" in e.value for e in at.error)
