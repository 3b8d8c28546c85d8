"""The planner's filter: URL round trips and known answers of filter_assets."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from asset_map._errors import SchemaError
from asset_map.analysis.query import (
    AssetQuery,
    filter_assets,
    fold,
    tag_options,
    unknown_values,
)


def _text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


@pytest.fixture
def assets() -> gpd.GeoDataFrame:
    """Five assets in two wijken (A: buurten A1, A2; B: buurt B1), one outside every area."""
    return gpd.GeoDataFrame(
        {
            "id": _text(["a1", "a2", "a3", "a4", "a5"]),
            "name": _text(["Buurthuis De Uithoek", "Café ’t Hoekje", "Speeltuin", "Koor", "X"]),
            "type": _text(["buurthuis", "winkel", "speelplek", "vereniging", "overig"]),
            "description": _text(["Koffie; ideeën welkom", None, "Voor KINDEREN", None, None]),
            "address": _text([None] * 5),
            "tags": _text(["ontmoeting;Koffie", "horeca; koffie ", "kinderen", None, "overig"]),
            "source": _text(["test"] * 5),
            "status": _text(["existing", "existing", "planned", "existing", "existing"]),
            "capacity": [40.0, None, None, None, None],
            "buurt_code": pd.Series(["BU1", "BU2", "BU3", "BU1", None], dtype="object"),
            "wijk_code": pd.Series(["WKA", "WKA", "WKB", "WKA", None], dtype="object"),
        },
        geometry=[Point(5.0 + i / 100, 52.0) for i in range(5)],
        crs="EPSG:4326",
    )


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": _text(["WKA", "WKB", "BU1", "BU2", "BU3"]),
            "name": _text(["A", "B", "A1", "A2", "B1"]),
            "level": _text(["wijk", "wijk", "buurt", "buurt", "buurt"]),
            "parent_code": _text(["GM1", "GM1", "WKA", "WKA", "WKB"]),
        },
        geometry=[box(0, 0, 1, 1)] * 5,
        crs="EPSG:4326",
    )


def _ids(frame: gpd.GeoDataFrame) -> list[str]:
    return frame["id"].tolist()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (AssetQuery(), ["a1", "a2", "a3", "a4", "a5"]),
        (AssetQuery(wijken=("WKA",)), ["a1", "a2", "a4"]),
        (AssetQuery(wijken=("WKA", "WKB")), ["a1", "a2", "a3", "a4"]),
        (AssetQuery(buurten=("BU1",)), ["a1", "a4"]),
        # AND across fields: buurt BU3 lies in WKB, so WKA and BU3 together match nothing.
        (AssetQuery(wijken=("WKA",), buurten=("BU3",)), []),
        (AssetQuery(wijken=("WKA",), buurten=("BU1", "BU3")), ["a1", "a4"]),
        (AssetQuery(types=("winkel", "vereniging")), ["a2", "a4"]),
        (AssetQuery(wijken=("WKA",), types=("speelplek",)), []),
        # Tags: case and spaces around the ';' do not matter; OR within the field.
        (AssetQuery(tags=("koffie",)), ["a1", "a2"]),
        (AssetQuery(tags=("KOFFIE", "kinderen")), ["a1", "a2", "a3"]),
        (AssetQuery(tags=("koff",)), []),  # a tag matches whole, not as a substring
        # Text: a substring of name or description, case- and accent-insensitive.
        (AssetQuery(text="cafe"), ["a2"]),
        (AssetQuery(text="IDEEEN"), ["a1"]),
        (AssetQuery(text="kinderen"), ["a3"]),
        (AssetQuery(text="hoek"), ["a1", "a2"]),
        (AssetQuery(text="hoek", types=("winkel",)), ["a2"]),
        (AssetQuery(text="ontmoeting"), []),  # tags are not searched as text
    ],
)
def test_filter_known_answers(assets, query, expected):
    before = assets.copy()
    assert _ids(filter_assets(assets, query)) == expected
    pd.testing.assert_frame_equal(assets, before)  # the input is not changed


def test_filter_keeps_the_crs_and_columns(assets):
    out = filter_assets(assets, AssetQuery(types=("buurthuis",)))
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs == assets.crs
    assert list(out.columns) == list(assets.columns)


def test_filter_by_area_needs_the_codes(assets):
    with pytest.raises(SchemaError, match=r"no column 'wijk_code'.*assign_areas"):
        filter_assets(assets.drop(columns="wijk_code"), AssetQuery(wijken=("WKA",)))
    # Filters that need no area codes work without them.
    assert _ids(filter_assets(assets.drop(columns="wijk_code"), AssetQuery(text="koor"))) == ["a4"]


def test_params_round_trip():
    query = AssetQuery(
        wijken=("WK1", "WK2"), buurten=("BU1",), types=("buurthuis",), tags=("koffie",), text="ab"
    )
    params = query.to_params()
    assert params == {
        "wijk": ["WK1", "WK2"],
        "buurt": ["BU1"],
        "type": ["buurthuis"],
        "tag": ["koffie"],
        "q": ["ab"],
    }
    assert AssetQuery.from_params(params) == query
    assert AssetQuery().to_params() == {}
    assert AssetQuery().is_empty() and not query.is_empty()


def test_from_params_accepts_strings_lists_and_commas():
    query = AssetQuery.from_params(
        {
            "wijk": "WK1,WK2",
            "buurt": ["BU1", "BU2,BU3"],
            "type": "buurthuis",
            "q": "  koor  ",
            "x": "y",
        }
    )
    assert query.wijken == ("WK1", "WK2")
    assert query.buurten == ("BU1", "BU2", "BU3")
    assert query.types == ("buurthuis",)
    assert query.text == "koor"
    # Blanks and repeats are dropped; order is kept.
    assert AssetQuery.from_params({"wijk": ["WK2", "", "WK1", "WK2", " "]}).wijken == ("WK2", "WK1")
    assert AssetQuery.from_params({}).is_empty()


def test_query_is_hashable_and_normalised():
    a = AssetQuery(wijken=["WK1", "WK1 "], text="  a   b ")  # type: ignore[arg-type]
    assert a.wijken == ("WK1",) and a.text == "a b"
    assert hash(a) == hash(AssetQuery(wijken=("WK1",), text="a b"))


def test_tag_options(assets):
    assert tag_options(assets) == ["horeca", "kinderen", "Koffie", "ontmoeting", "overig"]


def test_unknown_values(assets, areas):
    query = AssetQuery(
        wijken=("WKA", "WKZ"),
        buurten=("BU1", "WKB", "BU9"),  # a wijk code is not a buurt
        types=("buurthuis", "markt", "nonsense"),  # markt: a type, but no asset has it
        tags=("KOFFIE", "zwemmen"),
    )
    assert unknown_values(query, areas, assets) == {
        "wijk": ["WKZ"],
        "buurt": ["WKB", "BU9"],
        "type": ["markt", "nonsense"],
        "tag": ["zwemmen"],
    }
    assert unknown_values(AssetQuery(wijken=("WKA",)), areas, assets) == {}


def test_fold():
    assert fold("Ideeën Café") == "ideeen cafe"
    assert fold(None) == "" and fold(float("nan")) == ""


def test_demo_filter_matches_a_plain_count():
    from asset_map.services.workspace import load_workspace

    ws = load_workspace()
    query = AssetQuery(wijken=("WK999901",), types=("speelplek", "park"))
    out = filter_assets(ws.assets, query)
    expected = (ws.assets["wijk_code"] == "WK999901") & ws.assets["type"].isin(
        ["speelplek", "park"]
    )
    assert len(out) == int(expected.sum()) > 0
    assert set(out["wijk_code"]) == {"WK999901"}
