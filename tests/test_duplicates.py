"""Duplicates: known-answer layouts in RD New, name similarity, merging, and properties."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from asset_map._errors import CRSError, SchemaError
from asset_map.analysis.duplicates import (
    PAIR_COLUMNS,
    find_duplicates,
    merge_duplicates,
    merge_groups,
    name_similarity,
    name_tokens,
)
from asset_map.model import ASSET_COLUMNS

DEMO_ASSETS = Path(__file__).resolve().parents[1] / "data" / "demo" / "assets.geojson"
X0, Y0 = 208000.0, 473000.0  # Deventer, RD New metres


def make_assets(rows: list[dict], crs: str | None = "EPSG:28992") -> gpd.GeoDataFrame:
    """Build canonical assets from dicts with ``id, name, type, source, dx`` (metres east)."""
    data = {
        "id": [r["id"] for r in rows],
        "name": [r.get("name", "") for r in rows],
        "type": [r.get("type", "buurthuis") for r in rows],
        "description": [r.get("description") for r in rows],
        "address": [r.get("address") for r in rows],
        "tags": [r.get("tags") for r in rows],
        "source": [r.get("source", "gemeente") for r in rows],
        "status": ["existing"] * len(rows),
        "capacity": [r.get("capacity", np.nan) for r in rows],
        "wheelchair": [r.get("wheelchair") for r in rows],
        "opening_hours": [r.get("opening_hours") for r in rows],
    }
    frame = pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in data.items() if k != "capacity"})
    frame["capacity"] = pd.Series(data["capacity"], dtype="float64")
    geometry = [Point(X0 + r.get("dx", 0.0), Y0 + r.get("dy", 0.0)) for r in rows]
    return gpd.GeoDataFrame(frame[ASSET_COLUMNS[:-1]], geometry=geometry, crs=crs)


def linde_pair(dx: float, **b: object) -> gpd.GeoDataFrame:
    return make_assets(
        [
            {"id": "g1", "name": "Buurthuis De Linde", "source": "gemeente"},
            {"id": "o1", "name": "buurthuis de linde", "source": "osm", "dx": dx, **b},
        ]
    )


# --- name similarity -------------------------------------------------------------------------

#: Pairs of names side by side with the score they get (to two decimals).
NAME_SCORES = [
    ("Buurthuis De Linde", "buurthuis de linde", 1.0),  # case
    ("Café 't Hoekje", "Cafe Hoekje", 1.0),  # accents, "'t"
    ("Café ’t Hoekje", "CAFE 'T HOEKJE", 1.0),  # typographic apostrophe
    ("Buurthuis De Linde", "Buurthuis Linde", 1.0),  # article
    ("Stichting Speeltuin De Klim", "Speeltuin De Klim", 1.0),  # legal form
    ("De Linde buurthuis", "Buurthuis De Linde", 1.0),  # word order
    ("Buurthuis De Linde", "Buurthuis De Lindr", 0.93),  # a typo
    ("Speeltuin De Klim", "Speeltuin Klimop", 0.93),
    ("Koor Het Veen", "Koor Onder Ons", 0.52),  # only the type word shared
    ("Buurthuis De Linde", "Linde", 0.5),  # a subset is not a match
    ("Filmavond in De Groene Vinger", "Klaverjassen in De Groene Vinger", 0.76),  # known limit
    ("Vereniging De Eik", "De Eik", 0.35),  # type words are kept
    ("Buurthuis De Linde", "Bibliotheek Centrum", 0.29),
    ("De", "Het", 0.4),  # only stop words: compared as they are
    ("", "Buurthuis", 0.0),  # nothing to compare
]


@pytest.mark.parametrize(("a", "b", "score"), NAME_SCORES)
def test_name_similarity_table(a: str, b: str, score: float) -> None:
    assert name_similarity(a, b) == pytest.approx(score, abs=0.005)
    assert name_similarity(b, a) == pytest.approx(score, abs=0.005)


def test_name_tokens_normalise_and_keep_type_words() -> None:
    assert name_tokens("Stichting Café ’t Hoekje!") == ["cafe", "hoekje"]
    assert name_tokens("Vereniging De Eik") == ["vereniging", "eik"]
    assert name_tokens("De") == ["de"]  # all stop words: keep them rather than nothing
    assert name_tokens(None) == []  # type: ignore[arg-type]


def test_missing_names_score_zero() -> None:
    assert name_similarity("", "") == 0.0
    assert name_similarity(None, "Buurthuis") == 0.0  # type: ignore[arg-type]


@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_lies_between_0_and_1(a: str, b: str) -> None:
    assert 0.0 <= name_similarity(a, b) <= 1.0


# --- finding pairs ---------------------------------------------------------------------------


def test_same_type_12_m_apart_from_two_sources_merge() -> None:
    pairs = find_duplicates(linde_pair(12.0))
    assert list(pairs.columns) == PAIR_COLUMNS
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["id_a"], row["id_b"]) == ("g1", "o1")
    assert (row["source_a"], row["source_b"]) == ("gemeente", "osm")
    assert row["type"] == "buurthuis"
    assert row["distance_m"] == pytest.approx(12.0)
    assert row["similarity"] == pytest.approx(1.0)
    assert row["decision"] == "merge"
    assert row["reason"] == "same type, 12 m apart, names 1.00 alike"


def test_45_m_apart_is_not_a_pair() -> None:
    assert find_duplicates(linde_pair(45.0)).empty
    assert len(find_duplicates(linde_pair(45.0), max_distance_m=50)) == 1


def test_same_place_different_type_is_kept_apart() -> None:
    pairs = find_duplicates(linde_pair(0.0, type="wijkhuiskamer"))
    assert list(pairs["decision"]) == ["keep both"]
    assert pairs["reason"].iloc[0].startswith("different types (buurthuis, wijkhuiskamer)")
    assert pairs["type"].iloc[0] == "buurthuis / wijkhuiskamer"
    loose = find_duplicates(linde_pair(0.0, type="wijkhuiskamer"), same_type=False)
    assert list(loose["decision"]) == ["merge"]


def test_same_source_is_not_merged() -> None:
    pairs = find_duplicates(linde_pair(3.0, source="gemeente"))
    assert list(pairs["decision"]) == ["keep both"]
    assert "same source (gemeente)" in pairs["reason"].iloc[0]
    merged, log = merge_duplicates(linde_pair(3.0, source="gemeente"), pairs)
    assert len(merged) == 2 and log.empty


def test_unlike_names_are_not_pairs() -> None:
    pairs = find_duplicates(linde_pair(5.0, name="Bibliotheek Centrum"))
    assert pairs.empty
    assert list(pairs.columns) == PAIR_COLUMNS


def test_pairs_are_measured_in_metres_whatever_the_crs() -> None:
    pairs = find_duplicates(linde_pair(12.0).to_crs("EPSG:4326"))
    assert pairs["distance_m"].iloc[0] == pytest.approx(12.0, abs=0.01)


def test_assets_without_geometry_are_left_out() -> None:
    assets = linde_pair(1.0)
    assets.loc[1, "geometry"] = None
    assert find_duplicates(assets).empty


# --- merging ---------------------------------------------------------------------------------


def chain() -> gpd.GeoDataFrame:
    return make_assets(
        [
            {"id": "a", "name": "Buurthuis De Linde", "source": "osm", "dx": 0},
            {"id": "b", "name": "Buurthuis Linde", "source": "gemeente", "dx": 20},
            {"id": "c", "name": "buurthuis de linde", "source": "wandeling", "dx": 40},
            {"id": "far", "name": "Buurthuis De Linde", "source": "osm", "dx": 500},
        ]
    )


def test_a_chain_merges_into_one() -> None:
    assets = chain()
    pairs = find_duplicates(assets)
    assert {(a, b) for a, b in zip(pairs["id_a"], pairs["id_b"], strict=True)} == {
        ("a", "b"),
        ("b", "c"),
    }
    merged, log = merge_duplicates(assets, pairs)
    assert list(merged["id"]) == ["a", "far"]
    assert merged["source"].iloc[0] == "osm + gemeente + wandeling"
    assert log.to_dict("records") == [
        {
            "kept_id": "a",
            "merged_ids": ("b", "c"),
            "sources": "osm + gemeente + wandeling",
            "fields_filled": (),
        }
    ]


def test_source_priority_chooses_the_kept_row() -> None:
    assets = chain()
    merged, log = merge_duplicates(
        assets, find_duplicates(assets), source_priority=["wandeling", "gemeente"]
    )
    assert list(merged["id"]) == ["c", "far"]
    assert merged["source"].iloc[0] == "wandeling + gemeente + osm"
    assert log["merged_ids"].iloc[0] == ("b", "a")


def test_empty_fields_are_filled_from_the_others() -> None:
    assets = linde_pair(
        8.0, description="Koffie op dinsdag", address="Lindelaan 1", tags="koffie", capacity=40
    )
    assets.loc[0, "address"] = "Lindelaan 1a"
    assets.loc[0, "tags"] = "   "
    merged, log = merge_duplicates(assets, find_duplicates(assets))
    assert len(merged) == 1
    row = merged.iloc[0]
    assert row["id"] == "g1" and row["name"] == "Buurthuis De Linde"
    assert row["description"] == "Koffie op dinsdag"
    assert row["address"] == "Lindelaan 1a"  # not empty: kept, not overwritten
    assert row["tags"] == "koffie"
    assert row["capacity"] == 40.0
    assert row["source"] == "gemeente + osm"
    assert log["fields_filled"].iloc[0] == ("description", "tags", "capacity")
    assert merged.geometry.iloc[0].equals(assets.geometry.iloc[0])


def test_step_free_access_and_opening_hours_are_filled_from_openstreetmap() -> None:
    assets = linde_pair(8.0, wheelchair="yes", opening_hours="Tu,Th 10:00-12:00; PH off")
    merged, log = merge_duplicates(assets, find_duplicates(assets))
    row = merged.iloc[0]
    assert (row["id"], row["wheelchair"], row["opening_hours"]) == (
        "g1",
        "yes",
        "Tu,Th 10:00-12:00; PH off",
    )
    assert log["fields_filled"].iloc[0] == ("wheelchair", "opening_hours")


def test_assets_made_before_access_and_hours_existed_are_still_merged() -> None:
    assets = linde_pair(8.0).drop(columns=["wheelchair", "opening_hours"])
    merged, _ = merge_duplicates(assets, find_duplicates(assets))
    assert len(merged) == 1 and list(merged.columns) == ASSET_COLUMNS
    assert merged[["wheelchair", "opening_hours"]].isna().all().all()


def test_merged_frame_is_canonical_in_the_input_crs() -> None:
    assets = linde_pair(8.0).to_crs("EPSG:4326")
    assets["extra"] = 1
    merged, _ = merge_duplicates(assets, find_duplicates(assets))
    assert list(merged.columns) == ASSET_COLUMNS
    assert merged.crs == assets.crs


def test_only_merge_decisions_are_carried_out() -> None:
    assets = linde_pair(8.0)
    pairs = find_duplicates(assets)
    pairs.loc[0, "decision"] = "keep both"
    merged, log = merge_duplicates(assets, pairs)
    assert_geodataframe_equal(merged, assets[ASSET_COLUMNS])
    assert log.empty and list(log.columns) == ["kept_id", "merged_ids", "sources", "fields_filled"]


def test_inputs_are_unchanged() -> None:
    assets = chain()
    before = assets.copy()
    pairs = find_duplicates(assets)
    pairs_before = pairs.copy()
    merge_duplicates(assets, pairs, source_priority=["gemeente"])
    assert_geodataframe_equal(assets, before, check_crs=True)
    pd.testing.assert_frame_equal(pairs, pairs_before)


def test_merge_groups_are_connected_components() -> None:
    assert merge_groups(6, [(4, 5), (0, 1), (1, 3)]) == [[0, 1, 3], [4, 5]]
    assert merge_groups(3, []) == []


# --- validation ------------------------------------------------------------------------------


@pytest.fixture
def raises_no_crs():
    return pytest.raises(CRSError, match=r"no coordinate reference system.*set_crs")


def test_find_refuses_assets_without_crs(raises_no_crs) -> None:
    assets = linde_pair(12.0).set_crs(None, allow_override=True)
    with raises_no_crs:
        find_duplicates(assets)


def test_merge_refuses_assets_without_crs(raises_no_crs) -> None:
    assets = linde_pair(12.0)
    pairs = find_duplicates(assets)
    with raises_no_crs:
        merge_duplicates(assets.set_crs(None, allow_override=True), pairs)


def test_missing_columns_are_named() -> None:
    assets = linde_pair(12.0).drop(columns=["source", "tags"])
    with pytest.raises(SchemaError, match="no column 'tags', 'source'"):
        find_duplicates(assets)


def test_repeated_ids_are_refused() -> None:
    assets = linde_pair(12.0)
    assets.loc[1, "id"] = "g1"
    with pytest.raises(SchemaError, match="g1 occur more than once"):
        find_duplicates(assets)


def test_pairs_naming_unknown_ids_are_refused() -> None:
    assets = linde_pair(12.0)
    pairs = find_duplicates(assets)
    with pytest.raises(SchemaError, match="not among the assets: o1"):
        merge_duplicates(assets.iloc[:1], pairs)
    with pytest.raises(SchemaError, match="decision"):
        merge_duplicates(assets, pairs.drop(columns=["decision"]))


@pytest.mark.parametrize(
    ("options", "match"),
    [({"max_distance_m": -1}, "max_distance_m"), ({"min_similarity": 1.5}, "min_similarity")],
)
def test_bad_options_are_refused(options: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        find_duplicates(linde_pair(12.0), **options)


# --- the demo assets and a shifted copy ------------------------------------------------------


def test_every_demo_copy_pairs_with_its_original() -> None:
    demo = gpd.read_file(DEMO_ASSETS)
    copy = demo.to_crs("EPSG:28992")
    copy["geometry"] = copy.geometry.translate(xoff=5.0)
    copy = copy.to_crs(demo.crs)
    copy["id"] = "kopie-" + copy["id"]
    copy["source"] = "Kopie"
    both = gpd.GeoDataFrame(pd.concat([demo, copy], ignore_index=True), crs=demo.crs)
    pairs = find_duplicates(both)
    merges = pairs[pairs["decision"] == "merge"]
    found = set(zip(merges["id_a"], merges["id_b"], strict=True))
    assert all((i, f"kopie-{i}") in found for i in demo["id"])
    merged, _ = merge_duplicates(both, pairs)
    assert len(merged) <= len(demo)
    assert set(merged["source"]) <= {"Demo Lindeveen (fictief) + Kopie"}


# --- properties ------------------------------------------------------------------------------

NAMES = ["Buurthuis De Linde", "buurthuis linde", "Koor Het Veen", "Speeltuin De Klim", ""]


@st.composite
def layouts(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(min_value=0, max_value=12))
    rows = [
        {
            "id": f"x{k}",
            "name": draw(st.sampled_from(NAMES)),
            "type": draw(st.sampled_from(["buurthuis", "park"])),
            "source": draw(st.sampled_from(["osm", "gemeente", "wandeling"])),
            "description": draw(st.sampled_from([None, "", "open"])),
            "dx": draw(st.floats(min_value=0, max_value=80)),
            "dy": draw(st.floats(min_value=0, max_value=80)),
        }
        for k in range(n)
    ]
    return make_assets(rows)


@settings(max_examples=60, deadline=None)
@given(layouts(), st.booleans(), st.lists(st.sampled_from(["osm", "gemeente", "wandeling"])))
def test_merging_never_adds_rows_and_accounts_for_every_id(
    assets: gpd.GeoDataFrame, same_type: bool, priority: list[str]
) -> None:
    pairs = find_duplicates(assets, same_type=same_type)
    merged, log = merge_duplicates(assets, pairs, source_priority=priority)
    assert len(merged) <= len(assets)
    accounted = list(merged["id"]) + [i for ids in log["merged_ids"] for i in ids]
    assert sorted(accounted) == sorted(assets["id"])
    assert len(merged) == len(assets) - sum(len(ids) for ids in log["merged_ids"])
    assert set(log["kept_id"]) <= set(merged["id"])
