"""Moderation of residents' talents in the app (AppTest): shown escaped, edits checked per
field, undo, a withdrawal in between, and erasure for a resident who lost the code."""

from __future__ import annotations

import pytest
from app_helpers import button, error_text, login, open_app
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store, TalentSubmission


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


def _moderation(db, manager) -> AppTest:
    at = open_app()
    login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    return at


def test_moderation_shows_all_and_escapes_markdown(db, manager):
    _pending(db, nickname="$x^2$ *vet*")
    at = open_app()
    login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert r"\$x^2\$ \*vet\*" in shown
    texts = " ".join(t.value for t in at.text)
    assert "Wil graag: Het aan anderen leren, Een buur helpen" in texts
    assert "Kan op: dinsdagochtend" in texts


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
    button(at, "Wijziging opslaan").click().run()
    assert not at.exception, at.exception
    assert text in error_text(at)
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
    button(at, "Wijziging opslaan").click().run()
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
    button(at, "Goedkeuren").click().run()
    assert Store(db).talent(talent_id)["status"] == "approved"
    # Decided talents are one table; the editor and buttons are for the chosen one.
    choice = at.selectbox(key="moderate_choice@nl")
    assert len(choice.options) == 1
    choice.select(choice.options[0]).run()
    button(at, "Terug naar wachten").click().run()
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
    button(at, "Goedkeuren").click().run()
    assert not at.exception, at.exception
    assert "De bewoner heeft dit talent net zelf gewist" in error_text(at)
    assert Store(db).talent(receipt.id)["status"] == "withdrawn"


def test_moderator_erases_for_a_resident_who_lost_the_code(db, manager):
    talent_id = _pending(db)
    at = _moderation(db, manager)
    assert button(at, "Persoonlijke gegevens wissen").disabled  # not on one click
    at.checkbox(key=f"erase_sure_{talent_id}").check().run()
    button(at, "Persoonlijke gegevens wissen").click().run()
    assert not at.exception, at.exception
    with Store(db) as store:
        row = store.talent(talent_id)
        log = store.audit(entity_id=talent_id)
    assert row is not None and row["status"] == "withdrawn" and row["nickname"] is None
    assert row["categories"] == "koken" and row["buurt_code"] == "BU99990101"
    assert log["action"].tolist()[-1] == "erased" and log["actor"].tolist()[-1] == "wim"
