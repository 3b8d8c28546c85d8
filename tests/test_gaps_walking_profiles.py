"""Walking profiles: slower walkers reach less, a wheelchair only step-free places, per group.

Known answers on a hand-made lattice: one buurt of 1 km x 1 km (100 cells of 100 m, 10
residents each) with one buurthuis in its middle. A cell counts when its centre lies within
the straight-line radius (walking metres / detour) of the buurthuis. The cell centres lie
50, 150, 250, 350 and 450 m from the middle along each axis; per quarter of the buurt:

- 4.5 km/h, 10 minutes: 750 m / 1.3 = 576.9 m; dx^2 + dy^2 <= 332,840 for 24 of the 25
  centres (not 450 + 450): 96 cells, 960 residents;
- 3 km/h (ouderen): 500 m / 1.3 = 384.6 m; <= 147,929 for 4 + 4 + 3 + 2 + 0 = 13
  centres: 52 cells, 520 residents;
- 3.5 km/h, detour 1.4 (rolstoel): 583.3 m / 1.4 = 416.7 m; <= 173,611: again 13 per
  quarter, 52 cells.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pytest
from gap_layouts import SQUARES_X0, SQUARES_Y0, buurt, buurthuizen, notes_of

from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps, reach_by_profile
from asset_map.i18n import explain
from asset_map.services.options import gap_params

X, Y = SQUARES_X0, SQUARES_Y0
EVERYONE = NeedWeights.preset("all")


@pytest.fixture
def square() -> gpd.GeoDataFrame:
    """The buurt of 1 km2: 1000 residents, 20 % aged 65+, 200 single-person households."""
    return buurt(X, Y, X + 1000, Y + 1000)


def middle(wheelchair: str | None = None) -> gpd.GeoDataFrame:
    """One buurthuis in the middle of the buurt, with its step-free access when given."""
    place = buurthuizen((X + 500, Y + 500))
    place["wheelchair"] = [wheelchair]
    return place


@pytest.mark.parametrize(
    ("profile", "cells"), [("gemiddeld", 96), ("ouderen", 52), ("rolstoel", 52)]
)
def test_coverage_at_each_pace_equals_the_hand_count(square, profile, cells):
    params = GapParams(profile=profile, weights=EVERYONE)
    result = analyse_gaps(square, middle("yes"), params)
    assert int(result.cells["covered"].sum()) == cells
    assert result.summary["covered_before"] == pytest.approx(10.0 * cells)
    assert result.summary["share_before"] == pytest.approx(cells / 100)


def test_the_profile_sets_speed_and_detour_unless_they_are_given():
    older = GapParams(profile="ouderen")
    assert (older.speed_kmh, older.detour, older.max_walk_m) == (3.0, 1.3, 500.0)
    chair = GapParams(profile="rolstoel")
    assert (chair.speed_kmh, chair.detour) == (3.5, 1.4)
    own = gap_params(profile="ouderen", speed_kmh=2.5)
    assert (own.speed_kmh, own.detour, own.walk_profile.key) == (2.5, 1.3, "ouderen")


def test_a_place_with_steps_does_not_count_for_the_wheelchair_profile(square):
    steps = middle("no")
    walkers = analyse_gaps(square, steps, GapParams(weights=EVERYONE))
    chairs = analyse_gaps(square, steps, GapParams(profile="rolstoel", weights=EVERYONE))
    assert walkers.summary["covered_before"] == pytest.approx(960.0)
    assert chairs.summary["covered_before"] == 0.0
    assert chairs.summary["n_meeting_places"] == 0
    assert not chairs.cells["covered"].any()
    assert chairs.cells["walk_m"].eq(float("inf")).all()


@pytest.mark.parametrize("value", ["yes", "limited"])
def test_a_step_free_place_counts_for_the_wheelchair_profile(square, value):
    result = analyse_gaps(square, middle(value), GapParams(profile="rolstoel", weights=EVERYONE))
    assert result.summary["covered_before"] == pytest.approx(520.0)
    assert not notes_of(result, "note.gaps.access_unknown")


def test_a_place_of_unknown_access_counts_with_a_note_or_is_skipped(square):
    counted = analyse_gaps(square, middle(None), GapParams(profile="rolstoel", weights=EVERYONE))
    assert counted.summary["covered_before"] == pytest.approx(520.0)
    [note] = notes_of(counted, "note.gaps.access_unknown.counted")
    assert (note.fields["n"], note.fields["total"]) == (1, 1)
    skipped = analyse_gaps(
        square,
        middle(None),
        GapParams(profile="rolstoel", weights=EVERYONE, unknown_counts=False),
    )
    assert skipped.summary["covered_before"] == 0.0
    assert notes_of(skipped, "note.gaps.access_unknown.left_out")


def test_residents_aged_65_walk_at_their_own_pace_and_the_groups_are_combined(square):
    # Need weights 0.2 everyone, 0.4 aged 65+, 0.4 single households (the 'mix' preset):
    # 1000 residents and 200 single households at 4.5 km/h (96 %), 200 aged 65+ at 3 km/h
    # (52 %): 0.2 x 1000 x 0.96 + 0.4 x 200 x 0.52 + 0.4 x 200 x 0.96 = 310.4 of 360.
    result = analyse_gaps(square, middle("yes"), GapParams(profile_65="ouderen"))
    assert result.summary["weighted_total"] == pytest.approx(360.0)
    assert result.summary["covered_before"] == pytest.approx(310.4)
    assert result.summary["profiles"] == ["gemiddeld", "ouderen"]
    # The residents are counted at the pace of everyone, the cell is 'covered' only when
    # every group with weight reaches the buurthuis: the 52 cells of the slower pace.
    assert result.summary["residents_covered_before"] == pytest.approx(960.0)
    assert int(result.cells["covered"].sum()) == 52
    assert result.cells["covered_weight"].sum() == pytest.approx(310.4)
    assert result.buurten["share_covered"].iloc[0] == pytest.approx(310.4 / 360.0)


def test_one_group_at_one_pace_is_the_same_as_everyone_at_that_pace(square):
    only_65 = NeedWeights.preset("65plus")
    grouped = analyse_gaps(square, middle("yes"), GapParams(weights=only_65, profile_65="ouderen"))
    whole = analyse_gaps(square, middle("yes"), GapParams(weights=only_65, profile="ouderen"))
    assert grouped.summary["covered_before"] == pytest.approx(whole.summary["covered_before"])
    assert grouped.summary["covered_before"] == pytest.approx(0.52 * 200)


def test_new_places_are_chosen_for_every_group_at_its_own_pace(square):
    # No meeting place yet; a planned one in the middle. With the 65+ at 3 km/h the site
    # newly reaches 0.2 x 960 + 0.4 x 104 + 0.4 x 192 = 310.4 weighted residents, and the
    # 65+ newly in reach are counted at their own pace: 52 % of 200.
    planned = dataclasses.replace(GapParams(), new_sites=1, candidates=("planned",))
    place = middle("yes").assign(status="planned")
    result = analyse_gaps(square, place, dataclasses.replace(planned, profile_65="ouderen"))
    [site] = result.sites.to_dict("records")
    assert site["newly_covered"] == pytest.approx(310.4)
    assert site["newly_residents"] == pytest.approx(960.0)
    assert site["newly_65"] == pytest.approx(104.0)
    assert result.summary["covered_after"] == pytest.approx(310.4)


def test_a_planned_building_with_steps_does_not_serve_wheelchair_users(square):
    place = middle("no").assign(status="planned")
    params = GapParams(profile="rolstoel", new_sites=1, candidates=("planned",), weights=EVERYONE)
    result = analyse_gaps(square, place, params)
    assert result.sites.empty
    assert notes_of(result, "note.gaps.useless_sites")


def test_coverage_per_profile_and_window_comes_in_one_table(square):
    table = reach_by_profile(square, middle("no"), GapParams(weights=EVERYONE))
    shares = table.set_index(["profile", "window"])["share"]
    assert shares[("gemiddeld", "any")] == pytest.approx(0.96)
    assert shares[("ouderen", "any")] == pytest.approx(0.52)
    assert shares[("rolstoel", "any")] == 0.0  # the only place has steps
    assert len(table) == 3 * 5


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unknown_profile_is_refused_with_the_choices(lang):
    with pytest.raises(AssetMapError) as caught:
        gap_params(profile="hardloper")
    text = explain(caught.value, lang)
    assert "--profile" in text and "gemiddeld, ouderen, rolstoel" in text
