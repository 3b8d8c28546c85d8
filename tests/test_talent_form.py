"""The talent form's checks: good and bad inputs side by side, one message per field."""

from __future__ import annotations

import dataclasses

import pytest

from asset_map.i18n import STRINGS
from asset_map.rules.talent_form import TalentForm, check_edit, check_talent, text_problem
from asset_map.storage import Store

CODES = ["BU99990101", "BU99990102"]
GOOD = TalentForm(
    nickname="Fatma",
    categories=("koken",),
    description="Soep voor twintig.",
    wishes=("help_neighbour",),
    availability="dinsdag",
    buurt_code="BU99990101",
    contact="fatma@example.nl",
    consent=True,
)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"contact": ""},
        {"contact": "06 12345678"},
        {"contact": "+31 6 1234 5678"},
        {"nickname": "J."},
        {"description": "<script>alert(1)</script> \u202e"},
    ],
)
def test_good_input(changes):
    checked, errors = check_talent(dataclasses.replace(GOOD, **changes), buurt_codes=CODES)
    assert errors == {} and checked is not None
    assert checked.buurt_code == "BU99990101" and checked.categories == ("koken",)


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"nickname": "  "}, "nickname", "Vul een naam"),
        ({"nickname": "x" * 41}, "nickname", "niet meer dan 40"),
        ({"categories": ()}, "categories", "minstens één talent"),
        ({"categories": ("ruimtevaart",)}, "categories", "minstens één talent"),
        ({"description": "x" * 501}, "description", "niet meer dan 500"),
        ({"wishes": ()}, "wishes", "wat u met uw talent"),
        ({"availability": "x" * 101}, "availability", "niet meer dan 100"),
        ({"buurt_code": None}, "buurt", "Kies uw buurt"),
        ({"buurt_code": "BU03630000"}, "buurt", "niet in de gemeente"),
        ({"contact": "kees at home"}, "contact", "naam@voorbeeld.nl"),
        ({"contact": "a@" + "b" * 130 + ".nl"}, "contact", "niet meer dan 120"),
        ({"consent": False}, "consent", "vinkje"),
    ],
)
def test_bad_input(changes, field, text):
    checked, errors = check_talent(dataclasses.replace(GOOD, **changes), buurt_codes=CODES)
    assert checked is None
    assert list(errors) == [field]
    assert text in errors[field]


def test_messages_in_english():
    _, errors = check_talent(dataclasses.replace(GOOD, consent=False), buurt_codes=CODES, lang="en")
    assert errors["consent"].startswith("Tick the box")


# --- text the store would refuse is refused by the form, with a message --------------------------


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"nickname": "Fa\x00tma"}, "nickname", "niet kunnen bewaren"),
        ({"nickname": "Fa\ud800tma"}, "nickname", "kapot teken"),
        ({"nickname": "\u200b"}, "nickname", "alleen onzichtbare tekens"),
        ({"nickname": " \u200b\u2060\u200e "}, "nickname", "alleen onzichtbare tekens"),
        ({"description": "a\x00b"}, "description", "niet kunnen bewaren"),
        ({"description": "\u200b"}, "description", "alleen onzichtbare tekens"),
        ({"availability": "\ud83d"}, "availability", "kapot teken"),
        ({"contact": "a\x00@b.nl"}, "contact", "niet kunnen bewaren"),
        ({"nickname": "x" * 60}, "nickname", "niet meer dan 40 tekens"),
    ],
)
def test_unstorable_text_is_refused_per_field(changes, field, text):
    checked, errors = check_talent(dataclasses.replace(GOOD, **changes), buurt_codes=CODES)
    assert checked is None and list(errors) == [field]
    assert text in errors[field]


@pytest.mark.parametrize("nickname", ["Zoë", "J.", "Fa\u200btma", "<b>x</b>", "\u202eabc"])
def test_visible_text_with_odd_characters_is_kept(nickname):
    checked, errors = check_talent(dataclasses.replace(GOOD, nickname=nickname), buurt_codes=CODES)
    assert errors == {} and checked is not None and checked.nickname == nickname


def test_what_the_form_accepts_the_store_accepts(tmp_path):
    url = f"sqlite:///{tmp_path / 'form.sqlite'}"
    for nickname in ["Zoë", "\u202eabc", "a\x01b"]:  # other control characters stay verbatim
        checked, errors = check_talent(
            dataclasses.replace(GOOD, nickname=nickname), buurt_codes=CODES
        )
        assert checked is not None, errors
        with Store(url) as store:
            store.submit_talent(checked)
    assert text_problem("\x00") is not None and text_problem("gewoon") is None


def test_description_is_one_box_with_one_limit():
    assert "other" not in {f.name for f in dataclasses.fields(TalentForm)}
    ok, errors = check_talent(dataclasses.replace(GOOD, description="x" * 500), buurt_codes=CODES)
    assert ok is not None and errors == {}
    _, errors = check_talent(dataclasses.replace(GOOD, description="x" * 501), buurt_codes=CODES)
    assert errors == {"description": "Uw tekst is te lang. Gebruik niet meer dan 500 tekens."}


def test_messages_live_in_the_translation_files():
    import asset_map.rules.talent_form as form

    assert not hasattr(form, "MESSAGES")
    mine = [k for k in STRINGS if k.split(".")[0] in ("talent", "join", "moderate", "login")]
    assert len(mine) > 40
    assert not any("hoogstens" in STRINGS[key]["nl"] for key in mine)
    _, errors = check_talent(TalentForm(nickname="\u200b"), buurt_codes=CODES, lang="en")
    assert errors["nickname"] == "This holds only invisible characters. Please type ordinary " + (
        "letters or digits."
    )


# --- a moderator's edits are checked like the form -----------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nickname": ""}, "nickname"),
        ({"nickname": "x" * 60}, "nickname"),
        ({"categories": ()}, "categories"),
        ({"buurt_code": "BU03630000"}, "buurt"),
        ({"contact": "kees at home"}, "contact"),
        ({"availability": "\u200b"}, "availability"),
    ],
)
def test_moderator_edits_are_checked_like_the_form(changes, field):
    values = {
        "nickname": "Fatma",
        "categories": ("koken",),
        "description": "",
        "wishes": ("teach",),
        "availability": "",
        "buurt_code": "BU99990101",
        "contact": "",
    }
    checked, errors = check_edit({**values, **changes}, buurt_codes=CODES)
    assert checked is None and list(errors) == [field]
    checked, errors = check_edit(values, buurt_codes=CODES)
    assert errors == {} and checked is not None
    assert checked["contact"] is None and checked["categories"] == ("koken",)
