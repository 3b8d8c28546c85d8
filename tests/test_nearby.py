"""Nearby: meeting places and activities within walking distance, and the week's schedule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from verbinden_fixtures import ORIGIN, activities, assets

from asset_map import settings
from asset_map._errors import AssetMapError, SchemaError
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.nearby import (
    NEARBY_ACTIVITY_COLUMNS,
    PLACE_COLUMNS,
    Nearby,
    buurt_origin,
    nearby,
    walking_minutes,
    week_schedule,
)
from asset_map.io.postcode import local_lookup, read_postcodes
from asset_map.services.workspace import load_workspace

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def test_defaults_are_the_gap_analysis_ones():
    found = nearby(ORIGIN, assets(), activities())
    params = GapParams()  # the default walking profile, as the gap analysis resolves it
    assert (found.speed_kmh, found.detour) == (params.speed_kmh, params.detour)
    assert (found.speed_kmh, found.detour) == (settings.SPEED_KMH.default, settings.DETOUR.default)
    assert (Nearby.speed_kmh, Nearby.detour) == (4.5, 1.3)


def test_walking_minutes_round_up():
    # 75 m a minute at 4.5 km/h: 750 m is exactly 10, one metre more is 11.
    assert walking_minutes(pd.Series([0.0, 1.0, 75.0, 750.0, 751.0]), 4.5).tolist() == [
        0,
        1,
        1,
        10,
        11,
    ]


def test_places_in_reach_nearest_first_with_known_distances():
    found = nearby(ORIGIN, assets(), activities(), walk_min=10)
    places = found.places
    assert list(places.columns) == PLACE_COLUMNS
    # p6: 200 m x 1.3 = 260 m; p1: 300 m x 1.3 = 390 m. p3 (780 m) is beyond 750 m, p2 far
    # away, p4 no meeting place without activities, p5 only planned.
    assert places["id"].tolist() == ["p6", "p1"]
    assert places["walk_m"].tolist() == [260, 390]
    assert places["walk_min"].tolist() == [4, 6]
    assert found.max_walk_m == pytest.approx(750.0)
    assert found.radius_m == pytest.approx(750.0 / 1.3)


def test_a_place_with_an_activity_counts_even_when_it_is_no_meeting_place():
    found = nearby(ORIGIN, assets(), activities(), walk_min=11)  # 825 m in reach
    assert found.places["id"].tolist() == ["p6", "p1", "p3"]
    assert found.places["walk_min"].tolist() == [4, 6, 11]
    assert "p4" not in found.places["id"].tolist()


def test_activities_in_walking_time_order_then_weekday_and_start():
    found = nearby(ORIGIN, assets(), activities(), walk_min=10)
    acts = found.activities
    assert list(acts.columns) == NEARBY_ACTIVITY_COLUMNS
    assert acts["id"].tolist() == ["a3", "a2", "a1", "a6"]
    assert acts["walk_min"].tolist() == [4, 6, 6, 6]
    assert acts["place_name"].tolist()[0] == "Plek p6"
    assert acts["weekday"].tolist() == [5, 1, 3, 4]


def test_the_public_result_holds_no_personal_data():
    found = nearby(ORIGIN, assets(), activities())
    personal = {"nickname", "talent_id", "email", "phone", "wishes", "availability", "made_by"}
    assert not personal & set(found.places.columns)
    assert not personal & set(found.activities.columns)


def test_inputs_are_not_changed_and_bad_options_are_refused():
    frame, acts = assets(), activities()
    before, acts_before = frame.copy(), acts.copy()
    nearby(ORIGIN, frame, acts)
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(acts, acts_before)
    with pytest.raises(ValueError, match=r"walking time \(--walk-min\) must be between 1 and 60"):
        nearby(ORIGIN, frame, acts, walk_min=0)
    with pytest.raises(ValueError, match=r"origin must be \(lon, lat\)"):
        nearby((500.0, 52.0), frame, acts)
    with pytest.raises(SchemaError, match="The activities have no column 'weekday'"):
        nearby(ORIGIN, frame, acts.drop(columns="weekday"))


def test_buurt_origin_lies_inside_the_buurt(tiny_areas):
    lon, lat = buurt_origin(tiny_areas, "BU01500402")
    buurt = tiny_areas.set_index("code").geometry["BU01500402"]
    from shapely.geometry import Point

    assert buurt.contains(Point(lon, lat))
    with pytest.raises(AssetMapError, match=r"Unknown buurt code 'BU0000'.*BU01500401"):
        buurt_origin(tiny_areas, "BU0000")
    with pytest.raises(AssetMapError, match="Unknown buurt code"):
        buurt_origin(tiny_areas, "WK015004")  # a wijk is no buurt


def test_week_schedule_dates_for_a_fixed_today():
    today = date(2026, 11, 26)  # a Thursday
    week = week_schedule(activities(), assets(), today=today)
    by_id = dict(zip(week["id"], week["date"], strict=True))
    assert by_id == {
        "a6": date(2026, 11, 26),  # Thursday: today
        "a3": date(2026, 11, 27),  # Friday
        "a2": date(2026, 11, 30),  # Monday
        "a5": date(2026, 11, 30),
        "a4": date(2026, 12, 1),  # Tuesday
        "a1": date(2026, 12, 2),  # Wednesday: the last of the seven days
    }
    assert week["id"].tolist() == ["a6", "a3", "a5", "a2", "a4", "a1"]  # date, then start
    assert week["place_name"].tolist()[0] == "Plek p1"
    assert {"organiser", "contact", "buurt_code", "address"} <= set(week.columns)


def test_week_schedule_filters_by_the_place_buurt_and_weekday():
    today = date(2026, 11, 26)
    week = week_schedule(activities(), assets(), buurten=["BU1"], today=today)
    assert sorted(week["id"]) == ["a1", "a2", "a3", "a6"]  # at p1 and p6
    mondays = week_schedule(activities(), assets(), weekdays=[1], today=today)
    assert sorted(mondays["id"]) == ["a2", "a5"]
    both = week_schedule(activities(), assets(), buurten=["BU2"], weekdays=[2], today=today)
    assert both["id"].tolist() == ["a4"]
    with pytest.raises(SchemaError, match=r"no column 'buurt_code'.*assign_areas"):
        week_schedule(activities(), assets().drop(columns="buurt_code"), buurten=["BU1"])


def test_activities_at_unknown_places_or_with_a_bad_weekday_are_left_out():
    acts = pd.concat(
        [activities(), activities().iloc[[0]].assign(id="x1", asset_id="gone")],
        ignore_index=True,
    )
    acts.loc[acts["id"] == "a2", "weekday"] = 9
    week = week_schedule(acts, assets(), today=date(2026, 11, 26))
    assert "x1" not in set(week["id"]) and "a2" not in set(week["id"])


def test_demo_postcode_lists_activities_in_walking_time_order():
    ws = load_workspace(DEMO)
    acts = pd.read_csv(DEMO / "activities.csv", dtype=str, keep_default_na=False)
    table = read_postcodes(DEMO / "postcodes.csv")
    origin = local_lookup("0105 AA", table)  # Havenkwartier, near several places
    assert origin is not None
    found = nearby(origin, ws.assets, acts, walk_min=15)
    assert len(found.activities) >= 5
    minutes = found.activities["walk_min"].tolist()
    assert minutes == sorted(minutes) and max(minutes) <= 15
    assert found.places["walk_m"].is_monotonic_increasing
    # Every activity listed is at a place that is listed.
    assert set(found.activities["asset_id"]) <= set(found.places["id"])
