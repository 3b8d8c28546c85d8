"""Residents' talents in the app (AppTest): the form (checks, location, postcode, privacy
text), moderation, public counts and erasure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from app_helpers import button, error_text, login, open_page
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>'); DROP TABLE talents;--"


def _submit(at: AppTest, *, nickname: str, buurt: str, contact: str = "") -> AppTest:
    at.selectbox(key="join_buurt").select(buurt)
    at.text_input(key="join_nickname").input(nickname)
    at.multiselect(key="join_categories@nl").select("koken").select("computerhulp")
    at.text_area(key="join_description").input(f"Ik kook. {EVIL}")
    at.multiselect(key="join_wishes@nl").select("help_neighbour")
    at.text_input(key="join_availability").input("dinsdagochtend")
    at.text_input(key="join_contact").input(contact)
    at.checkbox(key="join_consent").check()
    button(at, "Verstuur mijn talent").click().run()
    assert not at.exception, at.exception
    return at


def _talent_metric(at: AppTest) -> str:
    return str(next(m.value for m in at.metric if m.label == "Talenten"))


def _oude_kern_popup(monkeypatch) -> tuple[str, str]:
    """Open the explore page; return the public total and the map's popup of Oude Kern."""
    maps = []
    monkeypatch.setattr("asset_map.ui.explore.st_folium", lambda fmap, **_: maps.append(fmap))
    at = open_page("app_pages/explore.py")
    html = maps[-1].get_root().render()
    start = html.index("Talenten in Oude Kern")
    popup = html[start : html.index("am-meta", start)]
    return _talent_metric(at), popup.replace("\\u003c", "<").replace("\\u003e", ">")


def test_submit_moderate_show_and_erase(db, manager, monkeypatch):
    at = open_page("app_pages/meedoen.py")
    _submit(at, nickname="Fatma", buurt="BU99990101", contact="fatma@example.nl")
    assert any("Dank u wel" in s.value for s in at.success)
    code = next(i.value for i in at.info if "code" in i.value).split("**")[1]
    for name in ("Kees", "Lotte"):  # two more cooks in Oude Kern: 3 together
        _submit(open_page("app_pages/meedoen.py"), nickname=name, buurt="BU99990101")
    store = Store(db)
    pending = store.talents(status="pending")
    assert pending["nickname"].tolist() == ["Fatma", "Kees", "Lotte"]
    assert pending["description"].iloc[0] == f"Ik kook. {EVIL}"  # stored verbatim
    assert store.public_talents().empty  # not public before review

    # Oude Kern (BU99990101) has 1 approved demo talent (handwerk, vervoer): '<3', left out
    # of the public total; nobody cooks there yet.
    before, popup = _oude_kern_popup(monkeypatch)
    assert before == "18 + 13× <3" and "Koken" not in popup

    login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Fatma" in shown and "<img" not in shown and "<script" not in shown
    # The description is shown as plain text (st.text), never parsed as HTML or Markdown.
    assert any(EVIL in t.value for t in at.text)
    for _ in range(3):
        button(at, "Goedkeuren").click().run()
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
    form = open_page("app_pages/meedoen.py")
    form.text_input(key="withdraw_code").input(code)
    button(form, "Wis mijn gegevens").click().run()
    assert any("gewist" in s.value for s in form.success)
    button(form, "Wis mijn gegevens").click().run()  # once more: already erased
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
    at = open_page("app_pages/meedoen.py")
    button(at, "Verstuur mijn talent").click().run()
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
    at = open_page("app_pages/meedoen.py")
    _submit(at, nickname="Kees", buurt="BU99990102", contact="kees at home")
    assert any("naam@voorbeeld.nl" in e.value for e in at.error)
    assert Store(db).talents().empty


def test_honeypot_stores_nothing(db):
    at = open_page("app_pages/meedoen.py")
    at.text_input(key="join_website").input("http://spam.example")
    _submit(at, nickname="Bot", buurt="BU99990102")
    assert any("Dank u wel" in s.value for s in at.success)  # the bot sees no difference
    assert Store(db).talents().empty


def test_rate_limit_per_session(db):
    at = open_page("app_pages/meedoen.py")
    for i in range(3):
        _submit(at, nickname=f"Anna {i}", buurt="BU99990102")
    _submit(at, nickname="Anna 4", buurt="BU99990102")
    assert any("Wacht een paar minuten" in w.value for w in at.warning)
    assert len(Store(db).talents()) == 3


def test_fresh_sessions_from_one_address_share_one_count(db, monkeypatch):
    # The count is the database's: a new browser session starts none of its own.
    monkeypatch.setenv("ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR", "2")
    for i in range(2):
        at = _submit(open_page("app_pages/meedoen.py"), nickname=f"Bo {i}", buurt="BU99990102")
        assert any("Dank u wel" in s.value for s in at.success)
    at = _submit(open_page("app_pages/meedoen.py"), nickname="Bo 3", buurt="BU99990102")
    assert any("afgelopen uur al veel aanmeldingen" in w.value for w in at.warning)
    assert at.text_input(key="join_nickname").value == "Bo 3"  # the input stays
    assert len(Store(db).talents()) == 2


def test_a_full_queue_says_so_on_the_form_and_to_the_wijkmanager(db, manager, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_MODERATION_QUEUE_MAX", "1")
    _submit(open_page("app_pages/meedoen.py"), nickname="Eerste", buurt="BU99990102")
    at = _submit(open_page("app_pages/meedoen.py"), nickname="Tweede", buurt="BU99990102")
    assert any("wachten al veel aanmeldingen" in w.value for w in at.warning)
    at = open_page("app_pages/explore.py")
    login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert any("De wachtrij is vol" in w.value for w in at.warning)


def test_a_wrong_limit_setting_is_named_on_the_form(db, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_SUBMISSIONS_PER_DAY", "veel")
    at = _submit(open_page("app_pages/meedoen.py"), nickname="Bo", buurt="BU99990102")
    assert "ASSET_MAP_SUBMISSIONS_PER_DAY='veel'" in error_text(at)
    assert Store(db).talents().empty


def test_moderation_refuses_anonymous_sessions(db):
    at = open_page("app_pages/moderation.py")
    assert any("Log eerst in" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Goedkeuren"]


def test_planner_may_not_moderate(db):
    store = Store(db)
    store.add_user("piet", "planner-wachtwoord-1", "planner", actor="test")
    store.close()
    at = open_page("app_pages/explore.py")
    login(at, "piet", "planner-wachtwoord-1")
    at.switch_page("app_pages/moderation.py").run()
    assert any("mag deze pagina niet zien" in e.value for e in at.error)


def test_wrong_password_one_message(db, manager):
    at = open_page("app_pages/explore.py")
    login(at, "wim", "fout")
    assert any("klopt niet" in e.value for e in at.error)
    login(at, "niemand", "fout")
    assert any("klopt niet" in e.value for e in at.error)


# --- the form: helpers of the tests below --------------------------------------------------------


INSIDE = {"lng": 5.6176, "lat": 52.496418}  # demo postcode 0101 AB, in Oude Kern BU99990101


OUTSIDE = {"lng": 4.9, "lat": 52.37}  # Amsterdam: not in Lindeveen


@pytest.fixture
def clicks(monkeypatch) -> dict[str, object]:
    """Stand in for the map: ``clicks["point"]`` is what st_folium reports (re-sent each run)."""
    state: dict[str, object] = {"point": None}

    def fake_st_folium(*_args: object, **_kwargs: object) -> dict[str, object]:
        return {"last_clicked": state["point"]}

    monkeypatch.setattr("asset_map.ui.talents.st_folium", fake_st_folium)
    return state


def _fill(at: AppTest, *, nickname: str = "Fatma", buurt: str | None = "BU99990101") -> None:
    if buurt is not None:
        at.selectbox(key="join_buurt").select(buurt)
    at.text_input(key="join_nickname").input(nickname)
    at.multiselect(key="join_categories@nl").select("koken")
    at.multiselect(key="join_wishes@nl").select("help_neighbour")
    at.checkbox(key="join_consent").check()


def _send(at: AppTest) -> AppTest:
    button(at, "Verstuur mijn talent").click().run()
    assert not at.exception, at.exception
    return at


# --- bad input: an inline message, never a traceback ---------------------------------------------


@pytest.mark.parametrize(
    ("nickname", "text"),
    [
        ("Fa\x00tma", "onzichtbaar teken dat wij niet kunnen bewaren"),
        ("\u200b", "alleen onzichtbare tekens"),
    ],
)
def test_form_refuses_unstorable_nicknames_inline(db, nickname, text):
    at = open_page("app_pages/meedoen.py")
    _fill(at, nickname=nickname)
    _send(at)
    assert text in error_text(at)
    assert Store(db).talents().empty


# --- location: only a new click counts; a later list choice wins ---------------------------------


def test_list_choice_after_a_click_outside_wins(db, clicks):
    clicks["point"] = OUTSIDE
    at = open_page("app_pages/meedoen.py")
    assert any("niet in de gemeente" in w.value for w in at.warning)
    at.run()  # st_folium sends the same click again: still outside, nothing else changes
    assert any("niet in de gemeente" in w.value for w in at.warning)
    at.selectbox(key="join_buurt").select("BU99990103").run()  # chosen after the click
    assert not any("niet in de gemeente" in w.value for w in at.warning)
    _fill(at, buurt=None)
    _send(at)
    assert any("Dank u wel" in s.value for s in at.success), error_text(at)
    assert Store(db).talents()["buurt_code"].tolist() == ["BU99990103"]


def test_a_new_click_fills_in_the_list_and_a_later_choice_replaces_it(db, clicks):
    at = open_page("app_pages/meedoen.py")
    assert at.selectbox(key="join_buurt").value is None
    clicks["point"] = INSIDE
    at.run()
    assert at.selectbox(key="join_buurt").value == "BU99990101"
    at.selectbox(key="join_buurt").select("BU99990102").run()  # same click re-sent
    assert at.selectbox(key="join_buurt").value == "BU99990102"
    clicks["point"] = OUTSIDE  # a new click outside
    at.run()
    assert at.selectbox(key="join_buurt").value is None
    assert any("niet in de gemeente" in w.value for w in at.warning)


# --- postcode: the local table, Dutch messages ---------------------------------------------------


def test_demo_postcode_sets_the_buurt(db):
    at = open_page("app_pages/meedoen.py")
    at.text_input(key="join_postcode").input("0101 AB")
    button(at, "Zoek mijn buurt").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="join_buurt").value == "BU99990101"
    assert any("Oude Kern" in s.value for s in at.success)


@pytest.mark.parametrize("postcode", ["12", "abcd ef"])
def test_bad_postcode_gets_a_dutch_message(db, postcode):
    at = open_page("app_pages/meedoen.py")
    at.text_input(key="join_postcode").input(postcode)
    button(at, "Zoek mijn buurt").click().run()
    assert not at.exception, at.exception
    assert "Dit is geen postcode" in error_text(at)
    assert "not a Dutch postcode" not in error_text(at)
    assert at.selectbox(key="join_buurt").value is None


# --- one text box, the privacy text, an empty form after success ---------------------------------


def test_one_text_box_with_one_limit(db):
    at = open_page("app_pages/meedoen.py")
    labels = [a.label for a in at.text_area]
    assert len(labels) == 1 and "Meer uitleg" in labels[0]
    assert at.text_area(key="join_description").max_chars == 500
    assert "hoogstens" not in " ".join(m.value for m in at.markdown)


def test_privacy_text_names_the_setting_and_the_erased_fields(db, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", "6")
    at = open_page("app_pages/meedoen.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Niet langer dan 6 maanden" in text
    assert "wissen wij uw naam, uw uitleg, wanneer u kunt en uw e-mail of telefoon." in text
    assert "Alleen uw talenten, wat u wilt doen en uw buurt blijven over" in text
    assert "De wijkmanager en de beheerder" in text and "PDOK" in text
    assert "Bent u de code kwijt? Vraag dan de wijkmanager" in text


def test_form_is_empty_after_success_and_a_second_click_stores_nothing(db):
    at = open_page("app_pages/meedoen.py")
    _fill(at)
    _send(at)
    assert any("Dank u wel" in s.value for s in at.success)
    assert sum("code" in i.value for i in at.info) == 1
    assert at.text_input(key="join_nickname").value == ""
    assert at.selectbox(key="join_buurt").value is None
    _send(at)  # the double click
    assert "Vul een naam" in error_text(at)
    assert len(Store(db).talents()) == 1
    at.run()
    assert not any("code" in i.value for i in at.info)  # the code is shown once
