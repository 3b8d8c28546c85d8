"""Near me for everyone: a walking profile, places open now or next, and step-free places.

The places of tests/verbinden_fixtures.py (straight-line metres from the origin): p6 200 m,
p1 300 m, p3 600 m. Monday 23 November 2026, 14:30: p1's activity of Monday 14:00-16:00
runs; p6's next activity is on Friday at 9:00.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from verbinden_fixtures import ORIGIN, activities, assets

from asset_map.analysis.nearby import nearby
from asset_map.cli import main
from asset_map.render.flyer import nearby_flyer, open_text

MONDAY = datetime(2026, 11, 23, 14, 30)


def places_with_access():
    frame = assets()
    frame["wheelchair"] = frame["id"].map({"p1": "yes", "p6": "no", "p3": "limited"})
    return frame


def test_a_wheelchair_user_sees_only_places_without_steps_at_a_wheelchair_pace():
    found = nearby(
        ORIGIN,
        places_with_access(),
        activities(),
        walk_min=10,
        speed_kmh=3.5,
        detour=1.4,
        profile="rolstoel",
        now=MONDAY,
    )
    assert found.places["id"].tolist() == ["p1"]  # p6 has steps; p3 is 840 m away
    # 300 m x 1.4 = 420 m at 3.5 km/h: 7.2 minutes, rounded up.
    assert found.places["walk_min"].tolist() == [8]
    assert found.places["step_free"].tolist() == [True]
    walkers = nearby(ORIGIN, places_with_access(), activities(), walk_min=10, now=MONDAY)
    assert walkers.places["id"].tolist() == ["p6", "p1"]
    assert walkers.places["step_free"].tolist() == [False, True]


def test_each_place_says_whether_it_is_open_now_or_when_it_opens_next():
    found = nearby(ORIGIN, assets(), activities(), walk_min=15, now=MONDAY)
    state = found.places.set_index("id")
    assert state.loc["p1", "open_now"] is True  # Monday 14:00-16:00
    assert state.loc["p6", "open_now"] is False
    assert state.loc["p6", "next_open"] == datetime(2026, 11, 27, 9, 0)  # Friday
    assert open_text(False, state.loc["p6", "next_open"], MONDAY, "nl") == (
        "Weer open: vrijdag 09:00"
    )
    assert open_text(True, None, MONDAY, "en") == "Open now"


def test_opening_hours_count_besides_activities_and_unknown_hours_are_said():
    places = assets()
    places["opening_hours"] = places["id"].map({"p6": "Mo-Fr 13:00-17:00; PH off"})
    found = nearby(ORIGIN, places, activities().iloc[0:0], walk_min=15, now=MONDAY)
    state = found.places.set_index("id")
    assert state.loc["p6", "open_now"] is True
    assert state.loc["p1", "open_now"] is None  # no hours, no activities: unknown
    assert open_text(None, None, MONDAY, "nl") == "Openingstijden onbekend"
    later = datetime(2026, 11, 23, 10, 0)
    assert open_text(False, datetime(2026, 11, 23, 13, 0), later, "nl") == (
        "Vandaag open vanaf 13:00"
    )


def test_the_flyer_says_open_now_or_next_and_step_free_for_each_place():
    found = nearby(
        ORIGIN,
        places_with_access(),
        activities(),
        walk_min=10,
        speed_kmh=3.0,
        profile="ouderen",
        now=MONDAY,
    )
    pdf = nearby_flyer(found, place_label="7411 AB", generated_at=date(2026, 11, 23))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "De looptijden gelden voor: Ouderen / rollator (3 km/u)." in text
    assert "Nu open · zonder drempel" in text  # p1
    assert "Weer open: vrijdag 09:00 · niet zonder drempel" in text  # p6


def test_the_flyer_command_takes_a_walking_profile(tmp_path, capsys):
    out = tmp_path / "flyer.pdf"
    assert main(["flyer", "--buurt", "BU99990101", "--profile", "rolstoel", "--out", str(out)]) == 0
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Rolstoel (3,5 km/u, alleen plekken zonder drempel)" in text
    with pytest.raises(SystemExit) as stopped:
        main(["flyer", "--buurt", "BU99990101", "--profile", "rennen", "--out", str(out)])
    assert stopped.value.code == 2
    assert "--profile" in capsys.readouterr().err
