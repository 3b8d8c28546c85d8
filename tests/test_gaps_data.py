"""analyse_gaps on the demo gemeente Lindeveen and on real Utrecht buurten with CBS figures."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.io import join_figures, read_areas
from asset_map.services.workspace import Workspace, load_workspace

BUURTEN_2014 = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
UTRECHT_2019 = "cbs_kerncijfers/kwb2019_84583NED_GM0344_utrecht.csv"
#: Utrecht's inhabitants on 1 January 2019 (CBS Kerncijfers wijken en buurten 2019).
UTRECHT_RESIDENTS = 352_866


# --- the demo gemeente -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Workspace:
    return load_workspace()


def test_demo_has_gaps(demo):
    result = analyse_gaps(demo.areas, demo.assets)
    s = result.summary
    assert 0 < s["share_before"] < 1
    assert s["residents_total"] == pytest.approx(
        demo.areas.query("level == 'buurt'")["inhabitants"].sum()
    )
    assert (
        "Buurt Bedrijventerrein De Vaart (BU99990206) has no key figures: left out of the "
        "demand, not counted as 0."
    ) in result.warnings
    shares = result.buurten["share_covered"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert (shares < 0.05).any()  # a real gap: a buurt nobody can walk to a meeting place from


def test_demo_planned_huiskamers_fill_gaps(demo):
    without = analyse_gaps(demo.areas, demo.assets)
    what_if = analyse_gaps(demo.areas, demo.assets, GapParams(include_planned=True))
    assert what_if.summary["share_before"] > without.summary["share_before"]
    # Suggesting two sites among the planned ones picks exactly the planned huiskamers, and
    # they cover what the what-if counts.
    suggested = analyse_gaps(
        demo.areas, demo.assets, GapParams(new_sites=2, candidates=("planned",))
    )
    planned = demo.assets[demo.assets["status"] == "planned"]
    assert set(suggested.sites["asset_id"]) == set(planned["id"])
    assert suggested.summary["covered_after"] == pytest.approx(what_if.summary["covered_before"])
    gained = suggested.buurten.set_index("name")
    assert gained.loc["Rietlanden", "share_covered"] == 0.0
    assert gained.loc["Rietlanden", "share_covered_after"] > 0.5


def test_demo_exact_beats_or_equals_greedy(demo):
    params: dict[str, Any] = {
        "new_sites": 3,
        "candidates": ("planned", "hosts", "cells"),
        "cell_m": 200,
    }
    greedy = analyse_gaps(demo.areas, demo.assets, GapParams(**params))
    exact = analyse_gaps(demo.areas, demo.assets, GapParams(solver="exact", **params))
    assert exact.summary["objective"] >= greedy.summary["objective"] - 1e-6
    assert greedy.summary["objective"] >= 0.9 * exact.summary["objective"]
    assert exact.summary["mip_gap"] <= 1e-4
    assert list(exact.sites["rank"]) == [1, 2, 3]
    assert exact.sites["newly_covered"].is_monotonic_decreasing


# --- real data: Utrecht ----------------------------------------------------------------------


@pytest.fixture
def utrecht(real_file) -> gpd.GeoDataFrame:
    buurten = read_areas(real_file(BUURTEN_2014)).frame
    utrecht = buurten[buurten["code"].str.startswith("BU0344")]
    return join_figures(utrecht, real_file(UTRECHT_2019)).frame


def synthetic_meeting_places(areas: gpd.GeoDataFrame, n: int, seed: int) -> gpd.GeoDataFrame:
    """``n`` buurthuizen at the representative points of random buurten (no real Utrecht
    meeting places are in the data)."""
    rng = np.random.default_rng(seed)
    rows = areas.iloc[rng.choice(len(areas), size=n, replace=False)]
    return gpd.GeoDataFrame(
        {
            "id": [f"u{i}" for i in range(n)],
            "name": [f"Buurthuis {name}" for name in rows["name"]],
            "type": "buurthuis",
            "status": "existing",
            "capacity": np.nan,
        },
        geometry=rows.to_crs(28992).representative_point().to_crs(4326).to_numpy(),
        crs="EPSG:4326",
    )


def test_utrecht_coverage_is_plausible(utrecht):
    places = synthetic_meeting_places(utrecht, 60, seed=344)
    fewer = places.iloc[:30]
    result = analyse_gaps(utrecht, places, GapParams(new_sites=3, candidates=("cells",)))
    s = result.summary
    assert s["residents_total"] == pytest.approx(UTRECHT_RESIDENTS, rel=0.02)
    shares = result.buurten["share_covered"]
    assert shares.notna().sum() >= 100
    assert ((shares.dropna() >= 0) & (shares.dropna() <= 1)).all()
    assert 0.3 < s["share_before"] < 1
    assert s["share_after"] > s["share_before"] and len(result.sites) == 3
    less = analyse_gaps(utrecht, fewer, GapParams())
    assert less.summary["share_before"] < s["share_before"]
    # Per buurt, more meeting places never lower coverage.
    both = pd.concat(
        [less.buurten.set_index("code")["share_covered"], shares.set_axis(result.buurten["code"])],
        axis=1,
    ).dropna()
    assert (both.iloc[:, 1] >= both.iloc[:, 0] - 1e-12).all()
