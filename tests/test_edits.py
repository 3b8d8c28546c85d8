"""The planner's form checks (asset_map.rules.edits): good and bad values side by side."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from asset_map.i18n import STRINGS, t
from asset_map.model import ACTIVITY_FIELDS, ASSET_FIELDS
from asset_map.rules.edits import (
    OWN_SOURCE,
    asset_problems,
    check_activity,
    check_asset,
    needs_problems,
    parse_time,
    parse_weekday,
    problem_text,
)

GOOD_ASSET = {"name": "Buurthuis De Linde", "type": "buurthuis", "lon": 5.62, "lat": 52.25}
GOOD_ACTIVITY = {
    "asset_id": "a1",
    "title": "Koffieochtend",
    "kind": "koffieochtend",
    "weekday": 2,
    "start": "09:30",
    "end": "11:00",
}


def test_a_good_asset_is_cleaned_with_defaults() -> None:
    values = {
        **GOOD_ASSET,
        "name": "  Buurthuis <b>De Linde</b> & 'zo'  ",
        "lon": "5,62",
        "tags": [" koffie ", "", "ontmoeting"],
        "capacity": "40",
        "description": "   ",
    }
    cleaned, errors = check_asset(values)
    assert errors == {}
    assert cleaned == {
        "id": None,
        "name": "Buurthuis <b>De Linde</b> & 'zo'",  # verbatim: escaped where shown
        "type": "buurthuis",
        "lon": 5.62,
        "lat": 52.25,
        "description": None,
        "address": None,
        "source": OWN_SOURCE,
        "tags": "koffie;ontmoeting",
        "status": "existing",
        "capacity": 40.0,
        "wheelchair": None,  # not given: unknown
        "opening_hours": None,
    }


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"name": ""}, "name", "edits.name.empty"),
        ({"name": "x" * (ASSET_FIELDS["name"].max_len + 1)}, "name", "edits.text.long"),
        ({"name": "a\x00b"}, "name", "edits.text.bad"),
        ({"name": "\ud800"}, "name", "edits.text.bad"),
        ({"name": 12}, "name", "edits.text.bad"),
        ({"type": "kasteel"}, "type", "edits.type.unknown"),
        ({"type": "Buurthuis"}, "type", "edits.type.unknown"),  # keys only, not labels
        ({"lon": None}, "lon", "edits.place.missing"),
        ({"lat": "noord"}, "lat", "edits.place.number"),
        ({"lon": float("nan")}, "lon", "edits.place.missing"),
        ({"lat": float("inf")}, "lat", "edits.place.number"),
        ({"lon": 4.9, "lat": 48.85}, "lat", "edits.place.outside"),  # Paris
        ({"lon": True}, "lon", "edits.place.number"),
        ({"status": "gesloten"}, "status", "edits.status.unknown"),
        ({"capacity": -1}, "capacity", "edits.capacity.bad"),
        ({"capacity": "veel"}, "capacity", "edits.capacity.bad"),
        ({"id": "a\tb"}, "id", "edits.id.bad"),
        ({"id": "x" * 65}, "id", "edits.id.bad"),
        ({"description": "x" * (ASSET_FIELDS["description"].max_len + 1)}, "description", None),
    ],
)
def test_a_bad_asset_field_gets_its_message(changes: dict, field: str, key: str | None) -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, **changes}, lang="en")
    assert cleaned is None
    assert list(errors) == [field]
    if key is not None:
        _, problems = asset_problems({**GOOD_ASSET, **changes})
        assert [p.key for p in problems] == [key]
        assert errors[field] == problems[0].message("en")


def test_every_bad_field_is_named_at_once_in_dutch_and_english() -> None:
    bad = {"name": "", "type": "kasteel", "capacity": "-3", "status": "weg"}
    _, nl = check_asset(bad)
    _, en = check_asset(bad, lang="en")
    assert set(nl) == set(en) == {"name", "type", "lon", "lat", "capacity", "status"}
    assert nl["name"] == "Vul een naam in." and en["name"] == "Fill in a name."
    assert nl["lon"] == t("edits.place.missing", "nl")
    assert nl["capacity"] != en["capacity"]


def test_the_technical_message_names_field_value_fix_and_allowed_keys() -> None:
    _, problems = asset_problems({**GOOD_ASSET, "type": "kasteel", "capacity": -2})
    text = problem_text("Cannot add the asset", problems)
    assert text.startswith("Cannot add the asset: type = 'kasteel': Choose a type")
    assert "Allowed: talent, vereniging" in text and "buurthuis" in text
    assert "capacity = -2: Fill in a number of 0 or more" in text


def test_a_partial_check_looks_only_at_the_given_fields() -> None:
    cleaned, problems = asset_problems({"capacity": None, "description": "Nieuw"}, partial=True)
    assert problems == [] and cleaned == {"capacity": None, "description": "Nieuw"}
    cleaned, problems = asset_problems({"lon": 5.6}, partial=True)  # lon without lat
    assert [(p.field, p.key) for p in problems] == [("lat", "edits.place.missing")]
    _, problems = asset_problems({"status": ""}, partial=True)
    assert [p.key for p in problems] == ["edits.status.unknown"]  # no silent default


# --- activities ------------------------------------------------------------------------------


def test_a_good_activity_is_cleaned() -> None:
    values = {**GOOD_ACTIVITY, "weekday": "Dinsdag", "start": time(9, 30), "end": "11.00"}
    cleaned, errors = check_activity(values, asset_ids=["a1", "a2"])
    assert errors == {}
    assert cleaned == {
        "id": None,
        "asset_id": "a1",
        "title": "Koffieochtend",
        "kind": "koffieochtend",
        "weekday": 2,
        "start": "09:30",
        "end": "11:00",
        "target_group": "iedereen",
        "organiser": None,
        "contact": None,
        "description": None,
    }


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"asset_id": "elders"}, ["asset_id"]),
        ({"title": " "}, ["title"]),
        ({"title": "x" * (ACTIVITY_FIELDS["title"].max_len + 1)}, ["title"]),
        ({"kind": "feest"}, ["kind"]),
        ({"weekday": 0}, ["weekday"]),
        ({"weekday": 8}, ["weekday"]),
        ({"weekday": 2.5}, ["weekday"]),
        ({"weekday": "zondagmiddag"}, ["weekday"]),
        ({"weekday": None}, ["weekday"]),
        ({"start": "24:00"}, ["start"]),
        ({"start": "9:7"}, ["start"]),
        ({"end": "11:60"}, ["end"]),
        ({"start": "11:00", "end": "11:00"}, ["end"]),  # the end must be after the start
        ({"start": "14:00", "end": "13:00"}, ["end"]),
        ({"target_group": "katten"}, ["target_group"]),
        ({"organiser": "x" * 121, "contact": "y" * 121}, ["organiser", "contact"]),
        ({"description": "x" * (ACTIVITY_FIELDS["description"].max_len + 1)}, ["description"]),
    ],
)
def test_a_bad_activity_field_gets_its_message(changes: dict, fields: list[str]) -> None:
    cleaned, errors = check_activity({**GOOD_ACTIVITY, **changes}, asset_ids=["a1"])
    assert cleaned is None
    assert list(errors) == fields
    assert all(errors.values())


def test_activity_messages_are_b1_dutch_by_default() -> None:
    _, errors = check_activity({**GOOD_ACTIVITY, "end": "08:00"}, asset_ids=["a1"])
    assert errors == {"end": "De eindtijd moet later zijn dan de begintijd."}
    _, errors = check_activity({**GOOD_ACTIVITY, "end": "08:00"}, asset_ids=["a1"], lang="en")
    assert errors == {"end": "The end time must be later than the start time."}


@pytest.mark.parametrize(
    ("given", "expected"),
    [("9:30", "09:30"), ("09.05", "09:05"), (" 23:59 ", "23:59"), (time(7, 0), "07:00")],
)
def test_times_are_normalised(given: object, expected: str) -> None:
    assert parse_time(given) == expected


@pytest.mark.parametrize("given", ["", "9", "930", "9:30:00", "-1:00", "ab:cd", 930, None])
def test_bad_times_are_refused(given: object) -> None:
    with pytest.raises(ValueError):
        parse_time(given)


@pytest.mark.parametrize(
    ("given", "expected"),
    [(1, 1), ("7", 7), (3.0, 3), ("maandag", 1), ("Sunday", 7), ("ZATERDAG", 6)],
)
def test_weekdays_are_numbers_or_names(given: object, expected: int) -> None:
    assert parse_weekday(given) == expected


def test_needs_take_known_categories_without_repeats() -> None:
    keys, note, problems = needs_problems("koken;tuinieren;koken", "  Wie helpt?  ")
    assert (keys, note, problems) == (("koken", "tuinieren"), "Wie helpt?", [])
    keys, note, problems = needs_problems(["koken", "zeilen"], "x" * 501)
    assert [p.field for p in problems] == ["categories", "note"]
    assert problems[0].allowed[0] == "koken"


def test_every_message_key_the_checks_use_exists() -> None:
    root = Path(__file__).resolve().parents[1] / "asset_map"
    sources = [
        root / "rules" / "edits.py",
        root / "storage" / "edits.py",
        root / "storage" / "activities.py",
    ]
    used = {k for path in sources for k in re.findall(r'"(edits\.[a-z_.]+)"', path.read_text())}
    used |= {"edits.name.empty", "edits.title.empty"}  # made as f"edits.{name}.empty"
    assert len(used) > 15
    assert sorted(used - set(STRINGS)) == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [("yes", "yes"), ("Ja", "yes"), ("beperkt", "limited"), ("no", "no"), ("", None)],
)
def test_step_free_access_is_stored_as_openstreetmap_writes_it(given, stored) -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, "wheelchair": given})
    assert errors == {}
    assert cleaned is not None and cleaned["wheelchair"] == stored


def test_step_free_access_that_says_nothing_is_refused_with_the_choices() -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, "wheelchair": "soms"})
    assert cleaned is None
    assert "ja, beperkt of nee" in errors["wheelchair"]


@pytest.mark.parametrize("hours", ["Mo-Fr 09:00-17:00; PH off", "Tu 10:00-12:00", "24/7"])
def test_opening_hours_in_openstreetmap_syntax_are_kept(hours) -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, "opening_hours": f"  {hours} "})
    assert errors == {}
    assert cleaned is not None and cleaned["opening_hours"] == hours


@pytest.mark.parametrize(
    "hours",
    ["woensdagmiddag", "Ma-Vr 9-17 behalve in juli", "Mo-Fr 09.00-17.00", "Mo-Fr: 09:00-17:00"],
)
def test_opening_hours_the_parser_cannot_read_are_refused_with_an_example(hours) -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, "opening_hours": hours}, lang="en")
    assert cleaned is None
    assert "ma-vr 9-17 uur; za 10-12 uur" in errors["opening_hours"]  # the Dutch way
    assert "Mo-Fr 09:00-17:00; PH off" in errors["opening_hours"]  # and OpenStreetMap's


def test_opening_hours_written_the_dutch_way_are_kept_in_osm_syntax() -> None:
    cleaned, errors = check_asset({**GOOD_ASSET, "opening_hours": "Ma-Vr 9-17"}, lang="en")
    assert not errors and cleaned is not None
    assert cleaned["opening_hours"] == "Mo-Fr 09:00-17:00"
