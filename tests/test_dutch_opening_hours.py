"""Opening hours written the Dutch way become OpenStreetMap's syntax the analysis reads."""

from __future__ import annotations

import pytest

from asset_map.rules.dutch_hours import dutch_to_osm, readable_hours
from asset_map.rules.edits import asset_problems
from asset_map.rules.open_times import parse_opening_hours


@pytest.mark.parametrize(
    ("dutch", "osm"),
    [
        ("ma-vr 9-17 uur", "Mo-Fr 09:00-17:00"),
        ("woensdag 14-16 uur", "We 14:00-16:00"),
        ("Za 10-14 uur", "Sa 10:00-14:00"),
        ("di en do 10.00-12.00; feestdagen gesloten", "Tu,Th 10:00-12:00; PH off"),
        ("ma t/m vr 9-12, 13-17 uur", "Mo-Fr 09:00-12:00,13:00-17:00"),
        ("elke dag van 9 tot 17 uur", "Mo-Su 09:00-17:00"),
        ("maandagen 19.30-21.30", "Mo 19:30-21:30"),
        ("di, do en za 10-12", "Tu,Th,Sa 10:00-12:00"),
    ],
)
def test_dutch_hours_become_the_same_hours_in_osm_syntax(dutch: str, osm: str) -> None:
    assert dutch_to_osm(dutch) == osm
    assert parse_opening_hours(osm).problem is None


@pytest.mark.parametrize(
    "text", ["op afspraak", "woensdagmiddag", "ma 25-26 uur", "Mo-Fr 09:00-17:00"]
)
def test_what_is_no_dutch_hours_is_left_alone(text: str) -> None:
    assert dutch_to_osm(text) is None


def test_osm_hours_stay_as_they_are_and_unreadable_ones_are_none() -> None:
    assert readable_hours("Tu 10:00-12:00; PH off") == "Tu 10:00-12:00; PH off"
    assert readable_hours("ma-vr 9-17 uur") == "Mo-Fr 09:00-17:00"
    assert readable_hours("elke woensdagmiddag") is None
    assert readable_hours("  ") is None


def test_the_place_form_stores_dutch_hours_in_osm_syntax_and_refuses_others() -> None:
    cleaned, problems = asset_problems({"opening_hours": "di en do 10-12 uur"}, partial=True)
    assert not problems and cleaned["opening_hours"] == "Tu,Th 10:00-12:00"
    _, problems = asset_problems({"opening_hours": "woensdagmiddag"}, partial=True)
    assert [p.field for p in problems] == ["opening_hours"]
