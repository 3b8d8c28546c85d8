"""Matching talents to what a meeting place asks for: fit first, then distance."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from verbinden_fixtures import ORIGIN, activity, buurten, talents

from asset_map.analysis.matching import MATCH_COLUMNS, match_talents, needs_of
from asset_map.model import ACTIVITY_COLUMNS, PLACE_NEED_COLUMNS

PLACE = {"id": "huiskamer", "lon": ORIGIN[0], "lat": ORIGIN[1]}


def test_a_near_talent_is_in_and_a_far_one_is_out():
    people = talents(
        [
            ("near", "koken", "BU_NEAR", "approved"),
            ("far", "koken", "BU_FAR", "approved"),
        ]
    )
    found = match_talents(PLACE, ["koken"], people, buurten())
    assert list(found.columns) == MATCH_COLUMNS
    assert found["talent_id"].tolist() == ["near"]
    row = found.iloc[0]
    assert row["walk_m"] == 0 and row["walk_min"] == 0  # the huiskamer lies in that buurt
    assert row["matched"] == "koken" and row["fit"] == 1.0
    # With an hour's walk (4,500 m) the far talent (2,500 m x 1.3 = 3,250 m) is in reach.
    wide = match_talents(PLACE, ["koken"], people, buurten(), walk_min=60)
    assert wide["talent_id"].tolist() == ["near", "far"]
    assert wide["walk_m"].tolist() == [0, 3250]
    assert wide["walk_min"].tolist() == [0, 44]  # 3,250 / 75 = 43.3, rounded up


def test_only_approved_talents_with_a_matching_category_count():
    people = talents(
        [
            ("pending", "koken", "BU_NEAR", "pending"),
            ("gardener", "tuinieren", "BU_NEAR", "approved"),
            ("cook", "tuinieren;koken", "BU_NEAR", "approved"),
            ("nowhere", "koken", "BU_UNKNOWN", "approved"),
        ]
    )
    found = match_talents(PLACE, ["koken"], people, buurten())
    assert found["talent_id"].tolist() == ["cook"]
    assert found["categories"].tolist() == ["tuinieren;koken"]


def test_more_fit_ranks_first_then_nearer():
    people = talents(
        [
            ("near_half", "koken", "BU_NEAR", "approved"),  # fit 0.5, 0 m
            ("mid_full", "koken;organiseren", "BU_MID", "approved"),  # fit 1, 1,040 m
            ("near_full", "organiseren;koken", "BU_NEAR", "approved"),  # fit 1, 0 m
            ("mid_half", "organiseren", "BU_MID", "approved"),  # fit 0.5, 1,040 m
        ]
    )
    found = match_talents(PLACE, ["koken", "organiseren"], people, buurten())
    assert found["talent_id"].tolist() == ["near_full", "mid_full", "near_half", "mid_half"]
    assert found["fit"].tolist() == [1.0, 1.0, 0.5, 0.5]
    assert found["walk_m"].tolist() == [0, 1040, 0, 1040]
    assert found["walk_min"].tolist() == [0, 14, 0, 14]  # 1,040 / 75 = 13.9
    # score = fit + (1 - walk_m / 1,125 m) / 100 (15 minutes at 4.5 km/h)
    expected = [1.01, 1 + (1 - 1040 / 1125) / 100, 0.51, 0.5 + (1 - 1040 / 1125) / 100]
    assert found["score"].tolist() == pytest.approx(expected, abs=1e-6)
    assert found["matched"].tolist() == ["koken;organiseren"] * 2 + ["koken", "organiseren"]


def test_a_place_row_with_geometry_works_like_lon_lat():
    from shapely.geometry import Point

    row = pd.Series({"id": "huiskamer", "geometry": Point(*ORIGIN)})
    people = talents([("mid", "koken", "BU_MID", "approved")])
    found = match_talents(row, ["koken"], people, buurten())
    assert found["walk_m"].tolist() == [1040]


def test_no_needs_or_no_talents_give_an_empty_frame_with_the_columns():
    people = talents([("near", "koken", "BU_NEAR", "approved")])
    assert match_talents(PLACE, [], people, buurten()).empty
    empty = match_talents(PLACE, ["koken"], people.iloc[0:0], buurten())
    assert empty.empty and list(empty.columns) == MATCH_COLUMNS


def test_needs_of_prefers_what_is_recorded():
    needs = pd.DataFrame(
        [("p1", "koken;vervoer", "Wij zoeken een kok."), ("p2", "", "")],
        columns=PLACE_NEED_COLUMNS,
    )
    acts = pd.DataFrame(
        [
            activity("a1", "p2", 1, "10:00", kind="samen_eten"),
            activity("a2", "p2", 2, "10:00", kind="stoelgym"),
            activity("a3", "p1", 2, "10:00", kind="taalcafe"),
        ],
        columns=ACTIVITY_COLUMNS,
    )
    assert needs_of("p1", needs, acts) == ("koken", "vervoer")
    # Nothing recorded for p2: the talents its activities fit, in catalogue order.
    assert needs_of("p2", needs, acts) == ("koken", "sport", "organiseren")
    assert needs_of("p3", needs, acts) == ()
    assert needs_of("p2", needs) == ()


def test_demo_huiskamer_finds_a_cook_next_door_and_not_one_across_town():
    from pathlib import Path

    from asset_map.services.workspace import load_workspace

    demo = Path(__file__).resolve().parents[1] / "data" / "demo"
    ws = load_workspace(demo)
    needs = pd.read_csv(demo / "place_needs.csv", dtype=str, keep_default_na=False)
    acts = pd.read_csv(demo / "activities.csv", dtype=str, keep_default_na=False)
    cooks = needs[needs["categories"].str.split(";").apply(lambda c: "koken" in c)]
    place = ws.assets.set_index("id").loc[cooks["asset_id"].iloc[0]]
    place = place.copy()
    place["id"] = cooks["asset_id"].iloc[0]
    asked = needs_of(place["id"], needs, acts)
    assert "koken" in asked
    buurten = ws.areas[ws.areas["level"] == "buurt"].to_crs(28992)
    point = gpd.GeoSeries([place.geometry], crs=4326).to_crs(28992).iloc[0]
    distance = buurten.distance(point)
    own, farthest = buurten.loc[distance.idxmin(), "code"], buurten.loc[distance.idxmax(), "code"]
    assert distance.min() == 0 and distance.max() * 1.3 > 1125  # beyond 15 minutes
    people = talents(
        [("next_door", "koken", own, "approved"), ("across_town", "koken", farthest, "approved")]
    )
    found = match_talents(place, asked, people, ws.areas)
    assert found["talent_id"].tolist() == ["next_door"]


def test_the_walking_profile_sets_the_pace_and_a_place_with_steps_matches_no_wheelchair():
    from asset_map.services import connect
    from asset_map.services.workspace import Workspace

    ws = Workspace(areas=buurten(), assets=gpd.GeoDataFrame(), talents=pd.DataFrame())
    people = talents([("mid", "koken", "BU_MID", "approved")])
    place = pd.Series({**PLACE, "wheelchair": "no"})
    # BU_MID: 800 m x 1.3 = 1,040 m: 14 minutes at 4.5 km/h, 21 at 3 km/h.
    average = connect.matches(ws, place, ["koken"], people, walk_min=15)
    older = connect.matches(ws, place, ["koken"], people, walk_min=15, profile="ouderen")
    assert average["walk_min"].tolist() == [14]
    assert older.empty
    assert connect.matches(ws, place, ["koken"], people, walk_min=60, profile="ouderen")[
        "walk_min"
    ].tolist() == [21]
    assert connect.blocks_profile(place, "rolstoel")
    assert connect.matches(ws, place, ["koken"], people, walk_min=60, profile="rolstoel").empty
    assert not connect.blocks_profile(pd.Series({**PLACE, "wheelchair": None}), "rolstoel")
