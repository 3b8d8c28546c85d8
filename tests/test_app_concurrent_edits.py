"""Two staff sessions (AppTest) edit one place on the workbench, on one database.

The second save is refused with the first change named; the form keeps the second user's
input and shows the first user's name; saved again, both changes are stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import button, login
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/workbench.py"
ANNA = ("anna", "planner-wachtwoord-1")
BERT = ("bert", "planner-wachtwoord-2")
PLACE = "demo-0002"  # Koor Onder Ons: "Nieuwe leden zijn altijd welkom."


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'two_sessions.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    with Store(url) as store:
        store.add_user(*ANNA, "planner", actor="test")
        store.add_user(*BERT, "planner", actor="test")
    return url


def _editing(account: tuple[str, str]) -> AppTest:
    """A session of its own, logged in, with the place open in the edit form."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    login(at, *account)
    at.switch_page(PAGE).run()
    at.session_state["wb_selected"] = PLACE
    at.run()
    at.radio(key="wb_edit_mode@nl").set_value("edit").run()
    assert not at.exception, at.exception
    assert at.text_input(key="wb_e_name").value == "Koor Onder Ons"
    return at


def _save(at: AppTest) -> AppTest:
    button(at, "Wijzigingen opslaan").click().run()
    assert not at.exception, at.exception
    return at


def test_the_second_save_is_refused_with_the_first_change_and_keeps_the_input(db):
    anna, bert = _editing(ANNA), _editing(BERT)  # both open the place
    anna.text_input(key="wb_e_name").input("Koor Onder Ons Lindeveen")
    _save(anna)
    assert any("Koor Onder Ons Lindeveen" in s.value for s in anna.success)

    bert.text_area(key="wb_e_description").input("Repetitie op donderdag.")
    _save(bert)
    warned = " ".join(w.value for w in bert.warning)
    assert "veranderd door iemand anders" in warned
    assert "de naam is nu 'Koor Onder Ons Lindeveen'" in warned
    assert "Uw wijzigingen zijn nog niet opgeslagen" in warned
    # Bert's input stays; the name he did not touch shows Anna's.
    assert bert.text_area(key="wb_e_description").value == "Repetitie op donderdag."
    assert bert.text_input(key="wb_e_name").value == "Koor Onder Ons Lindeveen"
    with Store(db) as store:
        stored = store.editable_asset(PLACE).values
    assert stored["description"] == "Nieuwe leden zijn altijd welkom."

    _save(bert)  # after reading the message
    assert not any("iemand anders" in w.value for w in bert.warning)
    assert any("zijn opgeslagen" in s.value for s in bert.success)
    with Store(db) as store:
        stored = store.editable_asset(PLACE).values
        log = store.audit(entity="asset", entity_id=PLACE)
    assert stored["name"] == "Koor Onder Ons Lindeveen"
    assert stored["description"] == "Repetitie op donderdag."
    assert list(zip(log["actor"], log["details"], strict=True)) == [
        ("anna", '{"fields": ["name"]}'),
        ("bert", '{"fields": ["description"]}'),
    ]


# --- two moderators on one talent ----------------------------------------------------------------

MODERATORS = (("wim", "geheim-wachtwoord-1"), ("els", "geheim-wachtwoord-2"))


def _moderating(account: tuple[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    login(at, *account)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    return at


def test_a_moderator_cannot_approve_a_text_changed_after_they_read_it(db):
    from asset_map.storage import TalentSubmission

    with Store(db) as store:
        for name, password in MODERATORS:
            store.add_user(name, password, "wijkmanager", actor="test")
        talent_id = store.submit_talent(
            TalentSubmission(
                nickname="Fatma",
                categories=("koken",),
                description="Soep voor twintig.",
                wishes=("teach",),
                availability="dinsdag",
                buurt_code="BU99990101",
                contact=None,
            )
        ).id
    wim, els = (_moderating(account) for account in MODERATORS)
    wim.text_area(key=f"edit_desc_{talent_id}").input("Soep voor veertig.")
    button(wim, "Wijziging opslaan").click().run()
    assert not wim.exception, wim.exception

    button(els, "Goedkeuren").click().run()  # Els still sees "Soep voor twintig."
    assert not els.exception, els.exception
    warned = " ".join(w.value for w in els.warning)
    assert "de uitleg is nu 'Soep voor veertig.'" in warned
    assert "Soep voor veertig." in " ".join(t.value for t in els.text)  # shown now
    with Store(db) as store:
        assert store.talent(talent_id)["status"] == "pending"  # type: ignore[index]

    button(els, "Goedkeuren").click().run()  # after reading the new text
    with Store(db) as store:
        talent = store.talent(talent_id)
    assert talent is not None
    assert (talent["status"], talent["description"], talent["decided_by"]) == (
        "approved",
        "Soep voor veertig.",
        "els",
    )


# --- two sessions on one activity and on one place's needs ---------------------------------------


def _on_activities(account: tuple[str, str], place: str, activity: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    login(at, *account)
    at.switch_page("app_pages/activities.py").run()
    at.selectbox(key="week_edit_place").select(place).run()
    at.selectbox(key=f"week_edit_which_{place}@nl").select(activity).run()
    assert not at.exception, at.exception
    return at


def test_the_second_save_of_an_activity_keeps_the_first_title(db):
    place, activity = "demo-0102", "demo-a001"  # Huiswerkklas on Monday
    suffix = f"{place}_{activity}"
    anna, bert = _on_activities(ANNA, place, activity), _on_activities(BERT, place, activity)
    anna.text_input(key=f"wf_t_{suffix}").input("Huiswerkklas groep 7 en 8")
    button(anna, "Activiteit opslaan").click().run()
    bert.text_input(key=f"wf_o_{suffix}").input("Bibliotheek Lindeveen")
    button(bert, "Activiteit opslaan").click().run()
    assert not bert.exception, bert.exception
    warned = " ".join(w.value for w in bert.warning)
    assert "de naam van de activiteit is nu 'Huiswerkklas groep 7 en 8'" in warned
    assert bert.text_input(key=f"wf_t_{suffix}").value == "Huiswerkklas groep 7 en 8"
    assert bert.text_input(key=f"wf_o_{suffix}").value == "Bibliotheek Lindeveen"
    button(bert, "Activiteit opslaan").click().run()
    with Store(db) as store:
        row = store.activities().set_index("id").loc[activity]
    assert (row["title"], row["organiser"]) == (
        "Huiswerkklas groep 7 en 8",
        "Bibliotheek Lindeveen",
    )
