"""Fixes of the talent screens in the app (AppTest): bad input, location, postcode, moderation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store, TalentSubmission

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
INSIDE = {"lng": 5.6176, "lat": 52.496418}  # demo postcode 0101 AB, in Oude Kern BU99990101
OUTSIDE = {"lng": 4.9, "lat": 52.37}  # Amsterdam: not in Lindeveen


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    monkeypatch.delenv("ASSET_MAP_RETENTION_MONTHS", raising=False)
    return url


@pytest.fixture
def manager(db) -> tuple[str, str]:
    with Store(db) as store:
        store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    return "wim", "geheim-wachtwoord-1"


@pytest.fixture
def clicks(monkeypatch) -> dict[str, object]:
    """Stand in for the map: ``clicks["point"]`` is what st_folium reports (re-sent each run)."""
    state: dict[str, object] = {"point": None}

    def fake_st_folium(*_args: object, **_kwargs: object) -> dict[str, object]:
        return {"last_clicked": state["point"]}

    monkeypatch.setattr("asset_map.ui.talents.st_folium", fake_st_folium)
    return state


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


def _fill(at: AppTest, *, nickname: str = "Fatma", buurt: str | None = "BU99990101") -> None:
    if buurt is not None:
        at.selectbox(key="join_buurt").select(buurt)
    at.text_input(key="join_nickname").input(nickname)
    at.multiselect(key="join_categories@nl").select("koken")
    at.multiselect(key="join_wishes@nl").select("help_neighbour")
    at.checkbox(key="join_consent").check()


def _send(at: AppTest) -> AppTest:
    _button(at, "Verstuur mijn talent").click().run()
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def _login(at: AppTest, username: str, password: str) -> None:
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    _button(at, "Inloggen").click().run()
    assert not at.exception, at.exception


def _pending(db: str, nickname: str = "Fatma", **changes: object) -> str:
    values: dict[str, object] = {
        "nickname": nickname,
        "categories": ("koken",),
        "description": "Soep voor twintig.",
        "wishes": ("teach", "help_neighbour"),
        "availability": "dinsdagochtend",
        "buurt_code": "BU99990101",
        "contact": "fatma@example.nl",
    }
    values.update(changes)
    with Store(db) as store:
        return store.submit_talent(TalentSubmission(**values)).id  # type: ignore[arg-type]


# --- 1. bad input: an inline message, never a traceback ----------------------------------------


@pytest.mark.parametrize(
    ("nickname", "text"),
    [
        ("Fa\x00tma", "onzichtbaar teken dat wij niet kunnen bewaren"),
        ("\u200b", "alleen onzichtbare tekens"),
    ],
)
def test_form_refuses_unstorable_nicknames_inline(db, nickname, text):
    at = _open("app_pages/meedoen.py")
    _fill(at, nickname=nickname)
    _send(at)
    assert text in _errors(at)
    assert Store(db).talents().empty


# --- 2. location: only a new click counts; a later list choice wins ----------------------------


def test_list_choice_after_a_click_outside_wins(db, clicks):
    clicks["point"] = OUTSIDE
    at = _open("app_pages/meedoen.py")
    assert any("niet in de gemeente" in w.value for w in at.warning)
    at.run()  # st_folium sends the same click again: still outside, nothing else changes
    assert any("niet in de gemeente" in w.value for w in at.warning)
    at.selectbox(key="join_buurt").select("BU99990103").run()  # chosen after the click
    assert not any("niet in de gemeente" in w.value for w in at.warning)
    _fill(at, buurt=None)
    _send(at)
    assert any("Dank u wel" in s.value for s in at.success), _errors(at)
    assert Store(db).talents()["buurt_code"].tolist() == ["BU99990103"]


def test_a_new_click_fills_in_the_list_and_a_later_choice_replaces_it(db, clicks):
    at = _open("app_pages/meedoen.py")
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


# --- 3. postcode: the local table, Dutch messages ------------------------------------------------


def test_demo_postcode_sets_the_buurt(db):
    at = _open("app_pages/meedoen.py")
    at.text_input(key="join_postcode").input("0101 AB")
    _button(at, "Zoek mijn buurt").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="join_buurt").value == "BU99990101"
    assert any("Oude Kern" in s.value for s in at.success)


@pytest.mark.parametrize("postcode", ["12", "abcd ef"])
def test_bad_postcode_gets_a_dutch_message(db, postcode):
    at = _open("app_pages/meedoen.py")
    at.text_input(key="join_postcode").input(postcode)
    _button(at, "Zoek mijn buurt").click().run()
    assert not at.exception, at.exception
    assert "Dit is geen postcode" in _errors(at)
    assert "not a Dutch postcode" not in _errors(at)
    assert at.selectbox(key="join_buurt").value is None


# --- 5, 6, 9. one text box, privacy text, an empty form after success --------------------------


def test_one_text_box_with_one_limit(db):
    at = _open("app_pages/meedoen.py")
    labels = [a.label for a in at.text_area]
    assert len(labels) == 1 and "Meer uitleg" in labels[0]
    assert at.text_area(key="join_description").max_chars == 500
    assert "hoogstens" not in " ".join(m.value for m in at.markdown)


def test_privacy_text_names_the_setting_and_the_erased_fields(db, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", "6")
    at = _open("app_pages/meedoen.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Niet langer dan 6 maanden" in text
    assert "wissen wij uw naam, uw uitleg, wanneer u kunt en uw e-mail of telefoon." in text
    assert "Alleen uw talenten, wat u wilt doen en uw buurt blijven over" in text
    assert "De wijkmanager en de beheerder" in text and "PDOK" in text
    assert "Bent u de code kwijt? Vraag dan de wijkmanager" in text


def test_form_is_empty_after_success_and_a_second_click_stores_nothing(db):
    at = _open("app_pages/meedoen.py")
    _fill(at)
    _send(at)
    assert any("Dank u wel" in s.value for s in at.success)
    assert sum("code" in i.value for i in at.info) == 1
    assert at.text_input(key="join_nickname").value == ""
    assert at.selectbox(key="join_buurt").value is None
    _send(at)  # the double click
    assert "Vul een naam" in _errors(at)
    assert len(Store(db).talents()) == 1
    at.run()
    assert not any("code" in i.value for i in at.info)  # the code is shown once


# --- 7, 8. moderation: everything shown escaped; edits checked; undo; races --------------------


def test_moderation_shows_all_and_escapes_markdown(db, manager):
    _pending(db, nickname="$x^2$ *vet*")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    _login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert r"\$x^2\$ \*vet\*" in shown
    texts = " ".join(t.value for t in at.text)
    assert "Wil graag: Het aan anderen leren, Een buur helpen" in texts
    assert "Kan op: dinsdagochtend" in texts


def _moderation(db, manager) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    _login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("edit_nick", "", "Vul een naam"),
        ("edit_nick", "\u200b\u200b", "alleen onzichtbare tekens"),
        ("edit_contact", "kees at home", "naam@voorbeeld.nl"),
    ],
)
def test_bad_edit_is_explained_per_field(db, manager, field, value, text):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    at.text_input(key=f"{field}_{talent_id}").input(value)
    _button(at, "Wijziging opslaan").click().run()
    assert not at.exception, at.exception
    assert text in _errors(at)
    assert Store(db).talent(talent_id)["nickname"] == "Fatma"


def test_edit_boxes_have_the_form_limits(db, manager):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    limits = {
        "edit_nick": 40,
        "edit_avail": 100,
        "edit_contact": 120,
    }
    for prefix, n in limits.items():
        assert at.text_input(key=f"{prefix}_{talent_id}").max_chars == n
    assert at.text_area(key=f"edit_desc_{talent_id}").max_chars == 500


def test_edit_every_field_is_saved_and_audited(db, manager):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    at.text_input(key=f"edit_nick_{talent_id}").input("Fatma B.")
    at.multiselect(key=f"edit_cat_{talent_id}@nl").select("tuinieren")
    at.multiselect(key=f"edit_wish_{talent_id}@nl").unselect("teach")
    at.text_input(key=f"edit_avail_{talent_id}").input("zaterdag")
    at.selectbox(key=f"edit_buurt_{talent_id}").select("BU99990102")
    at.text_input(key=f"edit_contact_{talent_id}").input("06 12345678")
    _button(at, "Wijziging opslaan").click().run()
    assert not at.exception, at.exception
    assert any("Opgeslagen" in s.value for s in at.success)
    with Store(db) as store:
        row = store.talent(talent_id)
        assert row is not None
        assert (row["nickname"], row["categories"], row["wishes"]) == (
            "Fatma B.",
            "koken;tuinieren",
            "help_neighbour",
        )
        assert (row["availability"], row["buurt_code"], row["contact"]) == (
            "zaterdag",
            "BU99990102",
            "06 12345678",
        )
        log = store.audit(entity_id=talent_id)
    edited = log[log["action"] == "edited"]
    assert edited["actor"].tolist() == ["wim"]


def test_approve_then_undo_is_audited(db, manager):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    _button(at, "Goedkeuren").click().run()
    assert Store(db).talent(talent_id)["status"] == "approved"
    # Decided talents are one table; the editor and buttons are for the chosen one.
    choice = at.selectbox(key="moderate_choice@nl")
    assert len(choice.options) == 1
    choice.select(choice.options[0]).run()
    _button(at, "Terug naar wachten").click().run()
    assert not at.exception, at.exception
    with Store(db) as store:
        assert store.talent(talent_id)["status"] == "pending"
        log = store.audit(entity_id=talent_id)
    assert log["action"].tolist() == ["submitted", "approved", "pending"]
    assert log["actor"].tolist() == ["resident", "wim", "wim"]


def test_approving_a_talent_withdrawn_meanwhile_is_explained(db, manager, monkeypatch):
    with Store(db) as store:
        receipt = store.submit_talent(
            TalentSubmission(
                nickname="Henk",
                categories=("koken",),
                description="",
                wishes=("teach",),
                availability="",
                buurt_code="BU99990101",
            )
        )
    at = _moderation(db, manager)
    decide = Store.decide

    def withdrawn_meanwhile(self, talent_id, **kwargs):
        # The resident erases their data between the page's list and the click's effect.
        with Store(db) as other:
            assert other.withdraw(receipt.withdrawal_code)
        return decide(self, talent_id, **kwargs)

    monkeypatch.setattr(Store, "decide", withdrawn_meanwhile)
    _button(at, "Goedkeuren").click().run()
    assert not at.exception, at.exception
    assert "De bewoner heeft dit talent net zelf gewist" in _errors(at)
    assert Store(db).talent(receipt.id)["status"] == "withdrawn"


def test_moderator_erases_for_a_resident_who_lost_the_code(db, manager):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    assert _button(at, "Persoonlijke gegevens wissen").disabled  # not on one click
    at.checkbox(key=f"erase_sure_{talent_id}").check().run()
    _button(at, "Persoonlijke gegevens wissen").click().run()
    assert not at.exception, at.exception
    with Store(db) as store:
        row = store.talent(talent_id)
        log = store.audit(entity_id=talent_id)
    assert row is not None and row["status"] == "withdrawn" and row["nickname"] is None
    assert row["categories"] == "koken" and row["buurt_code"] == "BU99990101"
    assert log["action"].tolist()[-1] == "erased" and log["actor"].tolist()[-1] == "wim"


# --- 9. log-in messages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "roles"),
    [
        ("app_pages/moderation.py", "alleen voor een wijkmanager of beheerder"),
        ("app_pages/data.py", "alleen voor een wijkmanager, planner of beheerder"),
    ],
)
def test_login_required_names_the_roles_of_the_page(db, page, roles):
    at = _open(page)
    assert any(roles in w.value for w in at.warning), [w.value for w in at.warning]


def test_lockout_time_is_shown_in_amsterdam_time(db, manager):
    from zoneinfo import ZoneInfo

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for _ in range(5):
        _login(at, "wim", "verkeerd-wachtwoord")
    shown = _errors(at)
    found = re.search(r"Probeer het na (\d\d:\d\d) opnieuw", shown)
    assert found, shown
    until = datetime.now(UTC) + timedelta(minutes=15)
    allowed = {
        (until + timedelta(minutes=d)).astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%H:%M")
        for d in (-1, 0)
    }
    assert found.group(1) in allowed
