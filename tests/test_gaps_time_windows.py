"""Open when needed: a meeting place counts in a time window only when it is open then.

The lattice of tests/test_gaps_walking_profiles.py: one buurt of 1 km2 (100 cells of 10
residents) and a place in its middle that reaches 96 of the cells at 4.5 km/h. Its hours
come from its OpenStreetMap opening hours, from its weekly activities, or from both.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from gap_layouts import SQUARES_X0, SQUARES_Y0, buurt, buurthuizen, notes_of

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps, reach_by_profile
from asset_map.settings import WINDOWS

X, Y = SQUARES_X0, SQUARES_Y0
EVERYONE = NeedWeights.preset("all")


@pytest.fixture
def square() -> gpd.GeoDataFrame:
    return buurt(X, Y, X + 1000, Y + 1000)


def place(hours: str | None) -> gpd.GeoDataFrame:
    """The buurthuis (id ``b0``) in the middle, open as ``hours`` says (None: not known)."""
    return buurthuizen((X + 500, Y + 500)).assign(opening_hours=[hours])


def activity(weekday: int, start: str, end: str) -> pd.DataFrame:
    """One weekly activity at the buurthuis ``b0``."""
    return pd.DataFrame(
        {
            "id": ["act1"],
            "asset_id": ["b0"],
            "title": ["Samen eten"],
            "kind": ["samen_eten"],
            "weekday": [weekday],
            "start": [start],
            "end": [end],
            "target_group": ["iedereen"],
            "organiser": ["Buurtteam"],
            "contact": [""],
            "description": [""],
        }
    )


def covered(result) -> float:
    return float(result.summary["covered_before"])


@pytest.mark.parametrize(
    ("window", "weight"),
    [
        ("any", 960.0),
        ("weekday-morning", 960.0),
        ("weekday-afternoon", 0.0),
        ("weekday-evening", 0.0),
        ("weekend", 0.0),
    ],
)
def test_a_place_open_only_on_tuesday_morning_covers_its_cells_only_then(square, window, weight):
    params = GapParams(weights=EVERYONE, window=window, unknown_counts=False)
    result = analyse_gaps(square, place("Tu 10:00-12:00"), params)
    assert covered(result) == pytest.approx(weight)


def test_an_evening_activity_makes_its_place_count_in_the_evening(square):
    dinner = activity(3, "18:30", "20:30")  # Wednesday evening
    params = GapParams(weights=EVERYONE, window="weekday-evening", unknown_counts=False)
    result = analyse_gaps(square, place(None), params, activities=dinner)
    assert covered(result) == pytest.approx(960.0)
    morning = GapParams(weights=EVERYONE, window="weekday-morning", unknown_counts=False)
    assert covered(analyse_gaps(square, place(None), morning, activities=dinner)) == 0.0


def test_opening_hours_and_activities_add_up(square):
    hours, dinner = place("Tu 10:00-12:00"), activity(6, "12:00", "14:00")  # and Saturday
    result = analyse_gaps(
        square, hours, GapParams(weights=EVERYONE, unknown_counts=False), activities=dinner
    )
    shares = result.windows.set_index("window")["share"]
    assert shares.to_dict() == pytest.approx(
        {
            "any": 0.96,
            "weekday-morning": 0.96,
            "weekday-afternoon": 0.0,
            "weekday-evening": 0.0,
            "weekend": 0.96,
        }
    )
    assert result.windows.set_index("window")["places"].to_dict() == {
        "any": 1,
        "weekday-morning": 1,
        "weekday-afternoon": 0,
        "weekday-evening": 0,
        "weekend": 1,
    }


def test_the_table_per_window_shows_an_evening_gap_where_the_day_is_green(square):
    # Two places side by side: one open on weekday mornings, one on Saturdays; nobody in the
    # evening. The map of 'any time' is green; the table shows the evening at 0 %.
    both = pd.concat(
        [place("Mo-Fr 09:00-12:00; PH off"), place("Sa 10:00-16:00").assign(id="b1")],
        ignore_index=True,
    )
    result = analyse_gaps(square, both, GapParams(weights=EVERYONE, unknown_counts=False))
    shares = result.windows.set_index("window")["share"]
    assert shares["any"] == pytest.approx(0.96)
    assert shares["weekday-evening"] == 0.0
    per_buurt = result.buurt_windows.set_index("code")
    assert per_buurt.loc["BU99990101", "weekday-morning"] == pytest.approx(0.96)
    assert per_buurt.loc["BU99990101", "weekday-evening"] == 0.0


def test_a_place_of_unknown_hours_counts_in_every_window_with_a_note(square):
    result = analyse_gaps(square, place(None), GapParams(weights=EVERYONE, window="weekend"))
    assert covered(result) == pytest.approx(960.0)
    [note] = notes_of(result, "note.gaps.hours_unknown.counted")
    assert (note.fields["n"], note.fields["total"]) == (1, 1)
    skipped = GapParams(weights=EVERYONE, window="weekend", unknown_counts=False)
    result = analyse_gaps(square, place(None), skipped)
    assert covered(result) == 0.0
    assert notes_of(result, "note.gaps.hours_unknown.left_out")


def test_unreadable_opening_hours_are_reported_and_count_as_unknown(square):
    result = analyse_gaps(
        square, place("Ma-Vr 9-17"), GapParams(weights=EVERYONE, window="weekday-morning")
    )
    [note] = notes_of(result, "note.gaps.hours_unreadable")
    assert "'Ma-Vr 9-17'" in note.fields["examples"]
    assert covered(result) == pytest.approx(960.0)  # unknown hours count by default


def test_new_sites_can_be_asked_for_a_time_window(square):
    # The existing place opens on weekday mornings only; a planned one in the same spot is
    # suggested for the evening, not for the morning (the morning is already covered).
    both = pd.concat(
        [place("Mo-Fr 09:00-12:00"), place(None).assign(id="p1", status="planned")],
        ignore_index=True,
    )
    ask = {"weights": EVERYONE, "new_sites": 1, "candidates": ("planned",)}
    evening = analyse_gaps(square, both, GapParams(window="weekday-evening", **ask))
    morning = analyse_gaps(square, both, GapParams(window="weekday-morning", **ask))
    assert evening.sites["newly_covered"].tolist() == pytest.approx([960.0])
    assert evening.summary["share_after"] == pytest.approx(0.96)
    assert morning.sites.empty


def test_coverage_per_profile_and_window_matches_the_analysis_of_each(square):
    hours = place("Tu 10:00-12:00")
    table = reach_by_profile(square, hours, GapParams(weights=EVERYONE, unknown_counts=False))
    shares = table.set_index(["profile", "window"])["share"]
    for profile in ("gemiddeld", "ouderen"):
        for window in WINDOWS:
            params = GapParams(
                weights=EVERYONE, profile=profile, window=window, unknown_counts=False
            )
            alone = analyse_gaps(square, hours, params).summary["share_before"]
            assert shares[(profile, window)] == pytest.approx(alone), (profile, window)
