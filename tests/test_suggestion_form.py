"""The residents' suggestion form: good and bad answers side by side, per field.

``locate`` here is a stand-in with known answers: inside the box of one buurt a point is
found (a private home at the buurt's middle), outside it is not.
"""

from __future__ import annotations

import pytest

from asset_map.i18n import t
from asset_map.rules.suggestion_form import (
    SuggestionForm,
    check_edit,
    check_suggestion,
    types_for,
)

MIDDLE = (6.15, 52.25)


def locate(lon: float, lat: float, private_home: bool):
    if not (6.1 <= lon <= 6.2 and 52.2 <= lat <= 52.3):
        return None
    return ("BU01500401", *MIDDLE) if private_home else ("BU01500401", lon, lat)


PLACE = SuggestionForm(
    kind="place",
    type="wijkhuiskamer",
    name="  Huiskamer De Lindeboom ",
    description="Koffie en een praatje",
    schedule="elke dinsdag 10-12 uur",
    lon=6.123,
    lat=52.211,
    address="Lindelaan 4",
    contact="06 12345678",
    consent=True,
)


def check(form: SuggestionForm, lang: str = "nl"):
    return check_suggestion(form, locate=locate, asset_ids=["a1", "a2"], lang=lang)


def replace(form: SuggestionForm, **changes: object) -> SuggestionForm:
    return SuggestionForm(**{**form.__dict__, **changes})


def test_a_new_place_is_checked_and_trimmed():
    sub, errors = check(PLACE)
    assert errors == {}
    assert sub is not None
    assert (sub.kind, sub.type, sub.name) == ("place", "wijkhuiskamer", "Huiskamer De Lindeboom")
    assert (sub.lon, sub.lat, sub.buurt_code) == (6.123, 52.211, "BU01500401")
    assert (sub.address, sub.schedule, sub.contact) == (
        "Lindelaan 4",
        "elke dinsdag 10-12 uur",
        "06 12345678",
    )
    assert not sub.private_home


def test_a_private_home_keeps_neither_its_point_nor_its_address():
    sub, errors = check(replace(PLACE, private_home=True))
    assert errors == {}
    assert sub is not None and sub.private_home
    assert (sub.lon, sub.lat) == MIDDLE
    assert sub.address is None


def test_a_group_chooses_among_the_types_of_associations():
    assert set(types_for("group")) == {"vereniging", "bewonersinitiatief", "activiteit"}
    assert "vereniging" not in types_for("place") and "talent" not in types_for("place")
    sub, errors = check(replace(PLACE, kind="group", type="vereniging", name="Breiclub"))
    assert errors == {} and sub is not None and sub.kind == "group"
    _, errors = check(replace(PLACE, kind="group", type="buurthuis"))
    assert errors == {"type": t("suggest.err.type")}


@pytest.mark.parametrize(
    ("correction", "changes", "kept"),
    [
        ("closed", {}, {"name": None, "schedule": None, "lon": None}),
        ("hours", {"schedule": "ma-vr 9-17 uur"}, {"schedule": "ma-vr 9-17 uur", "name": None}),
        ("name", {"name": "Buurthuis De Uithoek"}, {"name": "Buurthuis De Uithoek"}),
        ("moved", {"lon": 6.18, "lat": 52.27}, {"lon": 6.18, "lat": 52.27, "name": None}),
    ],
)
def test_each_correction_keeps_only_what_it_needs(correction, changes, kept):
    given = {"name": "ignored unless a new name", "schedule": "ignored unless new hours"}
    form = SuggestionForm(
        kind="correction",
        asset_id="a1",
        correction=correction,
        consent=True,
        **{**given, **changes},
    )
    sub, errors = check(form)
    assert errors == {}
    assert sub is not None and (sub.kind, sub.asset_id, sub.correction) == (
        "correction",
        "a1",
        correction,
    )
    for name, value in kept.items():
        assert getattr(sub, name) == value, name


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"kind": None}, "kind", "suggest.err.kind"),
        ({"kind": "complaint"}, "kind", "suggest.err.kind"),
        ({"type": None}, "type", "suggest.err.type"),
        ({"type": "talent"}, "type", "suggest.err.type"),
        ({"name": "   "}, "name", "suggest.err.name"),
        ({"description": ""}, "description", "suggest.err.description"),
        ({"lon": None}, "where", "suggest.err.where"),
        ({"lon": 4.9, "lat": 52.37}, "where", "suggest.err.outside"),
        ({"contact": "bel me"}, "contact", "suggest.err.contact"),
        ({"consent": False}, "consent", "suggest.err.consent"),
    ],
)
def test_each_wrong_answer_says_under_its_field_what_to_fix(changes, field, key):
    sub, errors = check(replace(PLACE, **changes))
    assert sub is None
    assert errors == {field: t(key)}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x" * 121, "suggest.err.long"),
        ("\u200b\u200b", "talent.text_invisible"),
        ("a\x00b", "talent.text_nul"),
        ("\ud800", "talent.text_broken"),
    ],
)
def test_text_is_checked_like_the_talent_form(text, key):
    _, errors = check(replace(PLACE, name=text))
    expected = t(key, n=120) if key == "suggest.err.long" else t(key)
    assert errors == {"name": expected}


def test_markup_is_kept_verbatim_to_be_escaped_where_shown():
    sub, errors = check(replace(PLACE, name="<b>Koffie</b> & 'thee'"))
    assert errors == {} and sub is not None and sub.name == "<b>Koffie</b> & 'thee'"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"asset_id": "elsewhere"}, {"asset"}),
        ({"correction": None}, {"correction"}),
        ({"correction": "hours", "schedule": ""}, {"schedule"}),
        ({"correction": "name", "name": ""}, {"name"}),
        ({"correction": "moved"}, {"where"}),
    ],
)
def test_a_correction_names_a_stored_place_and_what_is_wrong(changes, fields):
    form = replace(
        SuggestionForm(kind="correction", asset_id="a2", correction="closed", consent=True),
        **changes,
    )
    sub, errors = check(form)
    assert sub is None and set(errors) == fields


def test_messages_follow_the_language():
    _, errors = check(replace(PLACE, consent=False), lang="en")
    assert errors == {"consent": t("suggest.err.consent", "en")}
    assert errors["consent"].startswith("Tick the box")


def test_a_wijkmanager_edit_is_checked_with_the_same_rules():
    stored = {"kind": "place", "correction": None, "private_home": False}
    values, errors = check_edit(stored, {"name": " Nieuwe naam ", "type": "buurthuis"})
    assert errors == {} and values == {"name": "Nieuwe naam", "type": "buurthuis"}
    values, errors = check_edit(stored, {"name": "", "type": "vereniging"})
    assert values is None
    assert errors == {"name": t("suggest.err.name"), "type": t("suggest.err.type")}
    private = {**stored, "private_home": True}
    values, errors = check_edit(private, {"address": "Thuisstraat 1"})
    assert values == {"address": None}  # a private home keeps no address, also not by an edit
