"""Figures per wijk and buurt: known answers on a tiny hand-built gemeente, and the demo."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from asset_map._errors import SchemaError
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import GapResult, analyse_gaps
from asset_map.analysis.indicators import FIGURES, area_figures, figure_label, type_counts
from asset_map.model import catalogue


def _text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """Wijk W1 (2,000 inhabitants, 25% aged 65+) with buurten B1 and B2 (no figures); W2 empty."""
    return gpd.GeoDataFrame(
        {
            "code": _text(["W1", "W2", "B1", "B2", "B3"]),
            "name": _text(["Wijk 1", "Wijk 2", "Buurt 1", "Buurt 2", "Buurt 3"]),
            "level": _text(["wijk", "wijk", "buurt", "buurt", "buurt"]),
            "parent_code": _text(["GM1", "GM1", "W1", "W1", "W2"]),
            "inhabitants": [2000.0, 0.0, 1000.0, np.nan, 0.0],
            "pct_65_plus": [25.0, np.nan, 20.0, np.nan, np.nan],
        },
        geometry=[box(0, 0, 1, 1)] * 5,
        crs="EPSG:4326",
    )


@pytest.fixture
def assets() -> gpd.GeoDataFrame:
    rows = [
        ("buurthuis", "existing", "B1", "W1"),
        ("wijkhuiskamer", "planned", "B1", "W1"),  # planned: never counted
        ("winkel", "existing", "B1", "W1"),
        ("buurthuis", "existing", "B2", "W1"),
        ("speelplek", "existing", "B3", "W2"),
        ("winkel", "existing", None, None),  # outside every area
    ]
    return gpd.GeoDataFrame(
        {
            "type": _text([r[0] for r in rows]),
            "status": _text([r[1] for r in rows]),
            "buurt_code": pd.Series([r[2] for r in rows], dtype="object"),
            "wijk_code": pd.Series([r[3] for r in rows], dtype="object"),
        },
        geometry=[Point(0.5, 0.5)] * len(rows),
        crs="EPSG:4326",
    )


@pytest.fixture
def talents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "buurt_code": ["B1", "B1", "B1", "B2"],
            "status": ["approved", "approved", "pending", "approved"],
            "categories": ["koken", "koken;muziek", "koken", "tuinieren"],
        }
    )


@pytest.fixture
def gaps() -> GapResult:
    """A gap result by hand: B1 80 of 100 weighted residents covered, B2 60 of 300, B3 unknown."""
    buurten = pd.DataFrame(
        {
            "code": ["B1", "B2", "B3"],
            "name": ["Buurt 1", "Buurt 2", "Buurt 3"],
            "wijk_code": ["W1", "W1", "W2"],
            "weight": [100.0, 300.0, np.nan],
            "covered_weight": [80.0, 60.0, np.nan],
            "share_covered": [0.8, 0.2, np.nan],
        }
    )
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    return GapResult(GapParams(), empty, buurten, empty, {}, [])


def _row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("code").loc[code]


def test_wijk_figures_known_answers(areas, assets, talents, gaps):
    out = area_figures(areas, assets, level="wijk", talents=talents, gaps=gaps)
    assert out["code"].tolist() == ["W1", "W2"]
    w1, w2 = _row(out, "W1"), _row(out, "W2")
    assert w1["inhabitants"] == 2000 and w1["residents_65"] == 500
    assert w1["assets"] == 3 and w1["meeting_places"] == 2
    assert w1["meeting_places_per_1000"] == pytest.approx(1.0)
    assert w1["meeting_places_per_1000_65"] == pytest.approx(4.0)
    # Approved only: 2 in B1, 1 in B2. Both are small groups: left out of the public total.
    assert (w1["talents"], w1["talents_small"]) == (0, 2)
    # Pooled by weight (140 of 400), not the mean of the buurten's shares (0.5).
    assert w1["coverage"] == pytest.approx(0.35)
    assert w1["coverage_pct"] == pytest.approx(35.0)
    assert (w1["n_buurthuis"], w1["n_winkel"], w1["n_speelplek"]) == (2, 1, 0)
    assert "n_wijkhuiskamer" not in out.columns  # only a planned one
    # W2: 0 inhabitants and no share aged 65+: the rates are unknown, never 0 or inf.
    assert w2["assets"] == 1 and w2["meeting_places"] == 0
    assert math.isnan(w2["meeting_places_per_1000"])
    assert math.isnan(w2["meeting_places_per_1000_65"])
    assert math.isnan(w2["residents_65"])
    assert (w2["talents"], w2["talents_small"]) == (0, 0)
    assert math.isnan(w2["coverage"])


def test_buurt_figures_known_answers(areas, assets, talents, gaps):
    out = area_figures(areas, assets, level="buurt", talents=talents, gaps=gaps)
    assert out["code"].tolist() == ["B1", "B2", "B3"]
    b1, b2 = _row(out, "B1"), _row(out, "B2")
    assert (b1["assets"], b1["meeting_places"]) == (2, 1)
    assert (b1["talents"], b1["talents_small"]) == (0, 1)  # 2 talents: shown as "<3"
    assert b1["meeting_places_per_1000"] == pytest.approx(1.0)
    assert b1["meeting_places_per_1000_65"] == pytest.approx(5.0)
    assert b1["coverage"] == pytest.approx(0.8)
    assert b2["meeting_places"] == 1
    assert math.isnan(b2["meeting_places_per_1000"])  # inhabitants unknown
    assert b2["coverage"] == pytest.approx(0.2)
    numeric = out.select_dtypes("float")
    assert not np.isinf(numeric.to_numpy()).any()


def test_without_talents_or_gaps_the_figures_are_missing(areas, assets):
    out = area_figures(areas, assets)
    assert out["talents"].isna().all() and str(out["talents"].dtype) == "Int64"
    assert out["coverage"].isna().all() and out["coverage_pct"].isna().all()


def test_inputs_are_not_changed(areas, assets, talents, gaps):
    before = (areas.copy(), assets.copy(), talents.copy(), gaps.buurten.copy())
    area_figures(areas, assets, talents=talents, gaps=gaps)
    pd.testing.assert_frame_equal(areas, before[0])
    pd.testing.assert_frame_equal(assets, before[1])
    pd.testing.assert_frame_equal(talents, before[2])
    pd.testing.assert_frame_equal(gaps.buurten, before[3])


def test_type_counts_long_form(assets):
    wijk = type_counts(assets)
    assert wijk.to_dict("records") == [
        {"code": "W1", "type": "buurthuis", "count": 2},
        {"code": "W1", "type": "winkel", "count": 1},
        {"code": "W2", "type": "speelplek", "count": 1},
    ]
    buurt = type_counts(assets, level="buurt")
    assert buurt["count"].sum() == 4  # existing assets in a buurt
    with pytest.raises(ValueError, match="level must be 'wijk' or 'buurt'"):
        type_counts(assets, level="gemeente")


def test_missing_area_codes_are_refused(areas, assets):
    with pytest.raises(SchemaError, match=r"no column 'buurt_code'.*assign_areas"):
        area_figures(areas, assets.drop(columns="buurt_code"), level="buurt")


def test_labels():
    assert figure_label("meeting_places_per_1000", "nl") == "Ontmoetingsplekken per 1.000 inwoners"
    assert figure_label("coverage_pct", "en") == "Within walking distance of a meeting place"
    assert figure_label("n_buurthuis", "nl") == catalogue().types["buurthuis"].label_nl
    assert all(len(v) == 3 for v in FIGURES.values())


def test_demo_figures_add_up():
    from asset_map.services.workspace import load_workspace

    ws = load_workspace()
    gaps = analyse_gaps(ws.areas, ws.assets)
    wijken = area_figures(ws.areas, ws.assets, talents=ws.talents, gaps=gaps)
    buurten = area_figures(ws.areas, ws.assets, level="buurt", talents=ws.talents, gaps=gaps)
    existing = ws.assets[ws.assets["status"] == "existing"]
    meeting = existing["type"].isin(catalogue().meeting_place_types())
    assert len(wijken) == 4 and len(buurten) == 20
    parent = ws.areas.set_index("code")["parent_code"]
    for _, w in wijken.iterrows():
        own = buurten[buurten["code"].map(parent) == w["code"]]
        assert w["assets"] == own["assets"].sum() == (existing["wijk_code"] == w["code"]).sum()
        assert w["meeting_places"] == ((existing["wijk_code"] == w["code"]) & meeting).sum()
        assert w["talents"] == own["talents"].sum()
        assert w["talents_small"] == own["talents_small"].sum()
        assert w["meeting_places_per_1000"] == pytest.approx(
            1000 * w["meeting_places"] / w["inhabitants"]
        )
        shares = own["coverage"].dropna()
        assert shares.min() - 1e-9 <= w["coverage"] <= shares.max() + 1e-9
    per_buurt = ws.talents[ws.talents["status"] == "approved"]["buurt_code"].value_counts()
    assert wijken["talents"].sum() == per_buurt[per_buurt >= 3].sum()
    assert wijken["talents_small"].sum() == ((per_buurt > 0) & (per_buurt < 3)).sum()
    # The business park has no key figures: unknown rates, never 0.
    park = _row(buurten, "BU99990206")
    assert math.isnan(park["meeting_places_per_1000"]) and math.isnan(park["coverage"])
    # The sum of n_<type> columns is the number of assets.
    n_columns = [c for c in wijken.columns if c.startswith("n_")]
    assert (wijken[n_columns].sum(axis=1) == wijken["assets"]).all()
