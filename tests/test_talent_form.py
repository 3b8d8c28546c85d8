"""The talent form's checks: good and bad inputs side by side, one message per field."""

from __future__ import annotations

import dataclasses

import pytest

from asset_map.rules.talent_form import TalentForm, check_talent

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
