"""analyse_gaps on tiny layouts whose coverage is computed by hand; parameters; validation."""

from __future__ import annotations

import math
import sys
import types

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from gap_layouts import NEAR, STRIP, buurt, buurthuizen, far_shop
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, box

import asset_map.analysis
from asset_map._errors import AssetMapError, CRSError, ImportFormatError, ProblemList, SchemaError
from asset_map.analysis.coverage import cover_matrix, nearest_m
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import GapResult, analyse_gaps
from asset_map.i18n import Msg, explain, localise
from asset_map.io.export import sites_to_csv
from asset_map.io.network import read_walk_network
from asset_map.io.population_grid import read_population_grid

X0, Y0 = 150_000.0, 450_000.0
#: Straight line = walking distance, 750 m in reach (10 min at 4.5 km/h).
PLAIN = {"detour": 1.0}


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """A wijk of three 1 km2 buurten A, B, C in a row along x, and a buurt D without figures.

    A: 1000 residents, 20 % 65+, 400 households, 50 % single -> weight (mix) 200 + 80 + 80 = 360
    B: 2000, 10 %, 1000, 30 % -> 400 + 80 + 120 = 600
    C: 500, 40 %, 250, 60 % -> 100 + 80 + 60 = 240
    """
    squares = [box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(4)]
    frame = gpd.GeoDataFrame(
        {
            "code": ["WK999901", "BU99990101", "BU99990102", "BU99990103", "BU99990104"],
            "name": ["Wijk", "A", "B", "C", "D"],
            "level": ["wijk", "buurt", "buurt", "buurt", "buurt"],
            "parent_code": ["GM9999", *["WK999901"] * 4],
            "inhabitants": [3500.0, 1000.0, 2000.0, 500.0, np.nan],
            "pct_65_plus": [np.nan, 20.0, 10.0, 40.0, np.nan],
            "households": [1650.0, 400.0, 1000.0, 250.0, np.nan],
            "pct_single_households": [np.nan, 50.0, 30.0, 60.0, np.nan],
            "land_area_ha": [400.0, 100.0, 100.0, 100.0, 100.0],
        },
        geometry=[box(X0, Y0, X0 + 4000, Y0 + 1000), *squares],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


def asset_frame(rows: list[tuple[str, str, str, float, float, float]]) -> gpd.GeoDataFrame:
    """Assets from (id, type, status, x, y, capacity) in RD New, returned in EPSG:4326."""
    frame = gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [f"Plek {r[0]}" for r in rows],
            "type": [r[1] for r in rows],
            "status": [r[2] for r in rows],
            "capacity": [r[5] for r in rows],
        },
        geometry=[Point(X0 + r[3], Y0 + r[4]) for r in rows],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


@pytest.fixture
def assets() -> gpd.GeoDataFrame:
    """M1 at A's centre (capacity 30); M2 600 m north of B's centre (capacity 60); a planned
    huiskamer 100 m east of C's centre; a school in C; a shop (not a meeting place) in C."""
    return asset_frame(
        [
            ("m1", "buurthuis", "existing", 500, 500, 30.0),
            ("m2", "wijkhuiskamer", "existing", 1500, 1100, 60.0),
            ("p1", "wijkhuiskamer", "planned", 2600, 500, 20.0),
            ("s1", "school", "existing", 2500, 900, np.nan),
            ("w1", "winkel", "existing", 2500, 500, np.nan),
        ]
    )


def by_code(result: GapResult) -> pd.DataFrame:
    return result.buurten.set_index("code")


# --- known answers ---------------------------------------------------------------------------


def test_one_cell_per_buurt(areas, assets):
    # cell_m = 1000: each buurt is one cell, its demand point the buurt's centre.
    result = analyse_gaps(areas, assets, GapParams(cell_m=1000, **PLAIN))
    cells = result.cells.set_index("buurt_code")
    assert cells.index.tolist() == ["BU99990101", "BU99990102", "BU99990103"]
    assert cells["weight"].tolist() == pytest.approx([360.0, 600.0, 240.0])
    assert cells["covered"].tolist() == [True, True, False]
    # The fixture went through EPSG:4326 like real data: positions agree to a millimetre.
    assert cells["walk_m"].tolist() == pytest.approx([0.0, 600.0, math.hypot(1000, 600)], abs=1e-3)
    # 2SFCA: M1 serves only A (R = 30 / 360), M2 only B (R = 60 / 600).
    assert cells["access"].tolist() == pytest.approx([30 / 360, 60 / 600, 0.0])
    per_buurt = result.buurten.set_index("code")["access"]
    assert per_buurt[["BU99990101", "BU99990102", "BU99990103"]].tolist() == pytest.approx(
        [30 / 360, 60 / 600, 0.0]
    )
    s = result.summary
    assert s["residents_total"] == 3500.0 and s["weighted_total"] == pytest.approx(1200.0)
    assert s["covered_before"] == pytest.approx(960.0) and s["share_before"] == pytest.approx(0.8)
    assert s["residents_covered_before"] == 3000.0
    assert s["covered_after"] == s["covered_before"] and s["objective"] == 0.0
    assert s["n_cells"] == 3 and s["n_meeting_places"] == 2 and s["n_candidates"] == 2
    table = by_code(result)
    assert table.loc["BU99990103", "share_covered"] == 0.0
    assert table.loc["BU99990101", "share_covered"] == 1.0
    assert table.loc["BU99990102", "residents_65"] == pytest.approx(200.0)
    assert table.loc["BU99990102", "wijk_code"] == "WK999901"


def test_buurt_without_figures_is_left_out_not_zero(areas, assets):
    result = analyse_gaps(areas, assets, GapParams(cell_m=1000, **PLAIN))
    assert result.warnings == [
        "Buurt D (BU99990104) has no key figures: left out of the demand, not counted as 0."
    ]
    d = by_code(result).loc["BU99990104"]
    assert bool(d["figures_missing"]) and np.isnan(d["share_covered"]) and np.isnan(d["residents"])
    assert "BU99990104" not in set(result.cells["buurt_code"])
    assert result.summary["residents_total"] == 3500.0  # D is not counted as 0 residents either


def test_quarter_cells_on_a_buurt_border(areas):
    # cell_m = 500: cell centres at 250 and 750 m into each buurt. A meeting place on the A|B
    # border at (1000, 500) is 353.6 m from the nearest cells of A and B and 790.6 m from
    # their far cells; with detour 1.3 only the near ones are within 750 m of walking.
    assets = asset_frame([("m", "buurthuis", "existing", 1000, 500, np.nan)])
    result = analyse_gaps(areas, assets, GapParams(cell_m=500, detour=1.3))
    table = by_code(result)
    shares = table.loc[["BU99990101", "BU99990102", "BU99990103"], "share_covered"]
    assert shares.tolist() == pytest.approx([0.5, 0.5, 0.0], abs=1e-6)
    walk = np.sort(result.cells["walk_m"].to_numpy())
    assert walk[:4] == pytest.approx([math.hypot(250, 250) * 1.3] * 4, abs=1e-3)
    assert walk[4:8] == pytest.approx([math.hypot(750, 250) * 1.3] * 4, abs=1e-3)
    # A: two cells at 353.6 m and two at 790.6 m (x 1.3), weighted equally.
    assert table.loc["BU99990101", "mean_walk_m"] == pytest.approx(
        1.3 * (math.hypot(250, 250) + math.hypot(750, 250)) / 2, abs=1e-3
    )
    assert result.cells["access"].isna().all()  # no capacity anywhere
    assert result.summary["share_before"] == pytest.approx((180 + 300) / 1200, abs=1e-6)


def test_planned_site_is_suggested_and_fills_the_gap(areas, assets):
    params = GapParams(cell_m=1000, new_sites=1, candidates=("planned",), **PLAIN)
    result = analyse_gaps(areas, assets, params)
    site = result.sites.iloc[0]
    assert len(result.sites) == 1 and result.sites.crs.to_epsg() == 4326
    assert (site["rank"], site["name"], site["kind"], site["asset_id"]) == (
        1,
        "Plek p1",
        "planned",
        "p1",
    )
    assert site["newly_covered"] == pytest.approx(240.0)
    assert site["newly_residents"] == pytest.approx(500.0)
    assert site["newly_65"] == pytest.approx(200.0)
    assert site["buurten"] == ["C"]
    assert site["nearest_meeting_m"] == pytest.approx(math.hypot(1100, 600))
    assert (site["lon"], site["lat"]) == pytest.approx((site.geometry.x, site.geometry.y))
    s = result.summary
    assert s["covered_after"] == pytest.approx(1200.0) and s["share_after"] == pytest.approx(1.0)
    assert s["objective"] == pytest.approx(240.0) and s["mip_gap"] is None
    assert result.cells["covered_after"].all()
    assert by_code(result).loc["BU99990103", "share_covered_after"] == 1.0
    # What-if: counting the planned huiskamer as supply gives the same coverage.
    what_if = analyse_gaps(areas, assets, GapParams(cell_m=1000, include_planned=True, **PLAIN))
    assert what_if.summary["covered_before"] == pytest.approx(1200.0)
    assert what_if.summary["n_meeting_places"] == 3


def test_exact_and_hosts_and_cells(areas, assets):
    params = GapParams(
        cell_m=1000, new_sites=2, solver="exact", candidates=("hosts", "cells"), **PLAIN
    )
    result = analyse_gaps(areas, assets, params)
    # Only C is uncovered; the school (400 m from C's centre) and C's own cell both reach it.
    assert len(result.sites) == 1 and result.sites.iloc[0]["newly_covered"] == pytest.approx(240)
    assert result.sites.iloc[0]["kind"] in {"host", "cell"}
    assert result.summary["mip_gap"] == 0.0 and result.summary["solver"] == "exact"
    assert result.summary["n_candidates"] == 1 + 3
    assert "Only 1 of the 2 new meeting places would reach anyone new" in result.warnings[-1]
    cells_only = analyse_gaps(
        areas, assets, GapParams(cell_m=1000, new_sites=1, candidates=("cells",), **PLAIN)
    )
    site = cells_only.sites.iloc[0]
    assert site["name"] == "Grid cell in C" and site["asset_id"] is None


def test_too_few_candidates_warns(areas, assets):
    params = GapParams(cell_m=1000, new_sites=3, candidates=("planned",), **PLAIN)
    result = analyse_gaps(areas, assets, params)
    assert len(result.sites) == 1
    assert "Only 1 candidate sites for 3 new meeting places" in " ".join(result.warnings)
    none = analyse_gaps(
        areas,
        assets,
        GapParams(cell_m=1000, new_sites=1, include_planned=True, candidates=("planned",)),
    )
    # What-if counts the planned places as open: say so, not "no candidates (planned)".
    assert len(none.sites) == 0
    assert none.warnings[-1].startswith("The planned meeting places already count as open")


def test_missing_capacity_gets_the_median(areas, assets):
    extra = asset_frame([("m3", "sportkantine", "existing", 3500, 500, np.nan)])
    more = pd.concat([assets, extra], ignore_index=True)
    result = analyse_gaps(areas, more, GapParams(cell_m=1000, **PLAIN))
    assert (
        "1 of the 3 meeting places have no capacity: gave them the median of the others (45) "
        "for the accessibility score."
    ) in result.warnings


def test_need_weights_change_the_weight(areas, assets):
    # A and B are covered: residents 3000 of 3500; 65+ 200 + 200 of 600; single households
    # 200 + 300 of 650.
    for preset, expected in (("all", 3000 / 3500), ("65plus", 400 / 600), ("single", 500 / 650)):
        params = GapParams(cell_m=1000, weights=NeedWeights.preset(preset), **PLAIN)
        assert analyse_gaps(areas, assets, params).summary["share_before"] == pytest.approx(
            expected
        )
    single = analyse_gaps(
        areas, assets, GapParams(cell_m=1000, weights=NeedWeights(0, 0, 1), **PLAIN)
    )
    assert single.summary["weighted_total"] == pytest.approx(200 + 300 + 150)


def test_inputs_are_not_changed_and_outputs_are_wgs84(areas, assets):
    before_areas, before_assets = areas.copy(), assets.copy()
    result = analyse_gaps(areas, assets, GapParams(cell_m=250, new_sites=1))
    assert_geodataframe_equal(areas, before_areas)
    assert_geodataframe_equal(assets, before_assets)
    assert result.cells.crs.to_epsg() == 4326 and result.sites.crs.to_epsg() == 4326
    assert list(result.cells.columns) == [
        "buurt_code", "residents", "residents_65", "single_households", "weight", "walk_m",
        "covered", "covered_after", "covered_weight", "covered_weight_after", "access",
        "geometry",
    ]  # fmt: skip
    assert set(result.cells.geom_type) == {"Polygon"}


def test_any_input_crs(areas, assets):
    in_rd = analyse_gaps(areas.to_crs(28992), assets.to_crs(28992), GapParams(cell_m=500))
    in_wgs = analyse_gaps(areas, assets, GapParams(cell_m=500))
    assert in_rd.summary["covered_before"] == pytest.approx(in_wgs.summary["covered_before"])


# --- street network (faked: the real module is another engineer's) ---------------------------


def test_network_distances_replace_the_detour(areas, assets, monkeypatch):
    calls = []
    graph = object()

    def network_cover(g, demand_xy_rd, site_xy_rd, *, max_walk_m, step_free=False):
        assert not step_free  # the average profile walks steps too
        calls.append(("cover", g, max_walk_m))
        return cover_matrix(demand_xy_rd, site_xy_rd, max_walk_m)  # "network" = straight line

    def network_nearest_m(g, demand_xy_rd, site_xy_rd, *, step_free=False):
        assert not step_free
        calls.append(("nearest", g, None))
        return nearest_m(demand_xy_rd, site_xy_rd)

    def off_network_notes(g, demand_xy_rd, weight, site_xy_rd, *, detour):
        calls.append(("reach", g, None))
        return []

    fake = types.ModuleType("asset_map.analysis.network")
    fake.network_cover = network_cover  # type: ignore[attr-defined]
    fake.network_nearest_m = network_nearest_m  # type: ignore[attr-defined]
    fake.off_network_notes = off_network_notes  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "asset_map.analysis.network", fake)
    monkeypatch.setattr(asset_map.analysis, "network", fake, raising=False)

    params = GapParams(cell_m=500, detour=2.0, new_sites=1, candidates=("planned",))
    with_network = analyse_gaps(areas, assets, params, network=graph)
    straight = analyse_gaps(areas, assets, GapParams(cell_m=500, detour=1.0, new_sites=1))
    assert {c[0] for c in calls} == {"cover", "nearest", "reach"}
    assert all(c[1] is graph for c in calls)
    assert {c[2] for c in calls if c[0] == "cover"} == {750.0}  # the walking distance
    assert with_network.summary["distance"] == "network"
    assert with_network.summary["covered_before"] == pytest.approx(
        straight.summary["covered_before"]
    )
    assert with_network.cells["walk_m"].tolist() == pytest.approx(straight.cells["walk_m"].tolist())
    assert with_network.sites["nearest_meeting_m"].tolist() == pytest.approx(
        straight.sites["nearest_meeting_m"].tolist()
    )


# --- parameters ------------------------------------------------------------------------------


def test_params_defaults():
    p = GapParams()
    assert p.max_walk_m == pytest.approx(750.0)
    assert p.radius_m == pytest.approx(750 / 1.3)
    assert p.weights == NeedWeights(0.2, 0.4, 0.4) == NeedWeights.preset("mix")
    assert hash(p) == hash(GapParams())  # usable as a cache key


@pytest.mark.parametrize(
    "kwargs",
    [
        {"walk_min": 1},
        {"walk_min": 60},
        {"speed_kmh": 8},
        {"detour": 3},
        {"cell_m": 25},
        {"new_sites": 10, "solver": "exact"},
        {"candidates": ("cells",)},
        {"candidates": (), "new_sites": 0},
        {"meeting_types": ["buurthuis"]},
        {"weights": NeedWeights(0, 0, 0.5)},
    ],
)
def test_good_params(kwargs):
    GapParams(**kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"walk_min": 0.5}, r"\(--walk-min\) must be between 1 and 60 minutes; you gave 0.5"),
        ({"walk_min": float("nan")}, r"\(--walk-min\) must be between"),
        ({"speed_kmh": 9}, r"\(--speed\) must be between 1 and 8"),
        ({"detour": 0.9}, r"\(--detour\) must be between 1 and 3"),
        ({"cell_m": 10}, r"\(--cell-m\) must be between 25 and 1000"),
        ({"new_sites": 11}, r"\(--new-sites\) must be between 0 and 10"),
        ({"new_sites": 2.5}, r"\(--new-sites\) must be a whole number"),
        ({"new_sites": True}, r"\(--new-sites\) must be between"),
        ({"solver": "cbc"}, "solver must be one of greedy, exact"),
        ({"candidates": ("shops",)}, "candidates must be distinct kinds"),
        ({"candidates": ("cells", "cells")}, "candidates must be distinct kinds"),
        ({"candidates": (), "new_sites": 2}, "no kind of candidate"),
        ({"meeting_types": ("kroeg",)}, r"unknown: \['kroeg'\]"),
        ({"meeting_types": ()}, "unknown: none given"),
        ({"weights": (1, 0, 0)}, "weights must be a NeedWeights"),
    ],
)
def test_bad_params(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GapParams(**kwargs)


def test_need_weight_presets():
    assert NeedWeights.preset("all") == NeedWeights(1, 0, 0)
    assert NeedWeights.preset("65plus") == NeedWeights(0, 1, 0)
    assert NeedWeights.preset("single") == NeedWeights(0, 0, 1)
    with pytest.raises(ValueError, match="Choose one of: all, 65plus, single, mix"):
        NeedWeights.preset("elderly")
    with pytest.raises(ValueError, match="all three are 0"):
        NeedWeights(0, 0, 0)
    with pytest.raises(ValueError, match="0 or more"):
        NeedWeights(-1, 1, 0)


# --- validation ------------------------------------------------------------------------------


def test_missing_crs_is_refused_before_computing(areas, assets):
    naive = areas.set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="The areas has no coordinate reference system"):
        analyse_gaps(naive, assets)
    with pytest.raises(ProblemList, match="2 problems"):
        analyse_gaps(naive, assets.set_crs(None, allow_override=True))


@pytest.mark.parametrize(
    "change, error, match",
    [
        (lambda a: a.drop(columns="level"), SchemaError, "The areas have no column 'level'"),
        (lambda a: a[a["level"] != "buurt"], SchemaError, "The areas hold no buurten"),
        (
            lambda a: a.assign(inhabitants=np.nan),
            SchemaError,
            r"None of the 4 buurten has the key figures the weights need \(inhabitants",
        ),
        (lambda a: pd.DataFrame(a), SchemaError, "must be a GeoDataFrame"),
    ],
)
def test_bad_areas_are_refused(areas, assets, change, error, match):
    with pytest.raises(error, match=match):
        analyse_gaps(change(areas), assets)


def test_bad_assets_are_refused(areas, assets):
    with pytest.raises(SchemaError, match="The assets have no column 'status'"):
        analyse_gaps(areas, assets.drop(columns="status"))


def test_with_the_real_network_module(areas, assets):
    # Streets on a 100 m lattice: walking is Manhattan distance. C's centre (2500, 500) to M2
    # (1500, 1100) is 1000 + 600 = 1600 m on foot, 1166 m straight.
    nx = pytest.importorskip("networkx")
    pytest.importorskip("asset_map.analysis.network")
    graph = nx.Graph(crs="EPSG:28992")
    for i in range(41):
        for j in range(13):
            graph.add_node((i, j), x=X0 + 100 * i, y=Y0 + 100 * j)
            if i:
                graph.add_edge((i - 1, j), (i, j), length=100.0)
            if j:
                graph.add_edge((i, j - 1), (i, j), length=100.0)
    params = GapParams(cell_m=1000, new_sites=1, candidates=("planned",))
    result = analyse_gaps(areas, assets, params, network=graph)
    assert result.cells["walk_m"].tolist() == pytest.approx([0.0, 600.0, 1600.0], abs=0.01)
    assert result.cells["covered"].tolist() == [True, True, False]
    # The planned huiskamer (2600, 500) is 100 m from C's centre; M2 is 1100 + 600 m away.
    assert result.sites["nearest_meeting_m"].tolist() == pytest.approx([1700.0], abs=0.01)
    assert result.summary["covered_after"] == pytest.approx(1200.0)


def test_no_meeting_places_at_all(areas, assets):
    shops = assets[assets["type"] == "winkel"]
    result = analyse_gaps(areas, shops, GapParams(cell_m=1000, new_sites=1, candidates=("cells",)))
    assert result.summary["share_before"] == 0.0 and np.isinf(result.cells["walk_m"]).all()
    assert "No meeting places (buurthuis, wijkhuiskamer" in result.warnings[1]
    assert np.isinf(result.buurten["mean_walk_m"].iloc[:3]).all()
    # The best single cell is B's: it reaches B only (the others are 1000 m away) and B weighs most.
    assert result.sites.iloc[0]["name"] == "Grid cell in B"
    assert np.isinf(result.sites.iloc[0]["nearest_meeting_m"])


def test_population_grid_instead_of_key_figures(areas, assets):
    # Squares of 100 m: two in A (40 + 60 residents), one in B (30), one secret in C.
    corners = [(100, 100), (800, 800), (1400, 500), (2400, 400)]
    grid = gpd.GeoDataFrame(
        {"aantal_inwoners": [40.0, 60.0, 30.0, -99997.0]},
        geometry=[box(X0 + x, Y0 + y, X0 + x + 100, Y0 + y + 100) for x, y in corners],
        crs="EPSG:28992",
    )
    params = GapParams(weights=NeedWeights.preset("all"), **PLAIN)
    result = analyse_gaps(areas, assets, params, population_grid=grid)
    table = by_code(result)
    assert table.loc["BU99990101", "residents"] == 100.0
    assert table.loc["BU99990102", "residents"] == 30.0
    assert table.loc[["BU99990103", "BU99990104"], "figures_missing"].all()
    assert np.isnan(table.loc["BU99990103", "residents"])
    assert result.summary["residents_total"] == 130.0
    # M1 at (500, 500): (150, 150) is 495 m away, (850, 850) 495 m; M2 at (1500, 1100) is
    # 552 m from (1450, 550).
    assert result.summary["share_before"] == 1.0
    assert result.warnings == [
        "1 population grid square have secret or missing figures (CBS keeps small numbers "
        "secret): left out of the demand, not counted as 0.",
        "2 of the 4 buurten hold no usable square of the population grid (CBS publishes "
        "squares with at least 5 inhabitants or dwellings): their figures are unknown, not 0.",
    ]
    with pytest.raises(SchemaError, match="no column 'aantal_inwoners_65_jaar_en_ouder'"):
        analyse_gaps(areas, assets, GapParams(), population_grid=grid)


def test_no_meeting_places_now_when_planned_ones_do_not_count(areas, assets):
    shops = assets[assets["type"] == "winkel"]
    params = GapParams(cell_m=1000, new_sites=0, candidates=("cells",), include_planned=False)
    result = analyse_gaps(areas, shops, params)
    note = next(w for w in result.warnings if w.key == "note.gaps.no_meeting_places_now")
    assert localise(note, "nl").startswith("Er zijn nu geen ontmoetingsplekken (buurthuis")
    assert "that exist now" in note


# --- errors in the reader's language -------------------------------------------------------------


@pytest.mark.parametrize(
    "make, english, dutch",
    [
        (
            lambda: NeedWeights(0, 0, 0),
            "all three are 0",
            "Alle drie de gewichten zijn 0. Dan telt niemand mee.",
        ),
        (
            lambda: NeedWeights(-1, 1, 0),
            "Need weights must be numbers of 0 or more, got -1, 1, 0.",
            "Een gewicht moet een getal van 0 of meer zijn. Nu: -1, 1, 0.",
        ),
        (
            lambda: GapParams(walk_min=0.5),
            "The walking time (--walk-min) must be between 1 and 60 minutes; you gave 0.5.",
            "De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0.5.",
        ),
        (
            lambda: GapParams(cell_m=10),
            "The grid cell size (--cell-m) must be between 25 and 1000 metres; you gave 10.",
            "De grootte van de vakjes (--cell-m) moet tussen 25 en 1000 meter liggen. U gaf 10.",
        ),
        (
            lambda: GapParams(new_sites=2, candidates=()),
            "new_sites is 2 but no kind of candidate is given.",
            "U zoekt 2 nieuwe plekken, maar koos geen soort plek om uit te kiezen.",
        ),
        (
            lambda: GapParams(meeting_types=()),
            "unknown: none given",
            "Onbekend: niets gekozen.",
        ),
    ],
)
def test_parameter_errors_are_messages(make, english, dutch):
    with pytest.raises(AssetMapError) as caught:
        make()
    assert isinstance(caught.value, ValueError)  # callers that catch ValueError still catch it
    assert english in str(caught.value)
    assert dutch in explain(caught.value, "nl")


def test_data_errors_are_messages(tmp_path):
    no_buurten = buurt(*STRIP).assign(level="wijk")
    with pytest.raises(SchemaError) as caught:
        analyse_gaps(no_buurten, buurthuizen(NEAR))
    assert explain(caught.value, "nl").startswith("Er zijn geen buurten.")
    no_figures = buurt(*STRIP).assign(inhabitants=np.nan)
    with pytest.raises(SchemaError) as caught:
        analyse_gaps(no_figures, buurthuizen(NEAR))
    assert explain(caught.value, "nl").startswith(
        "Van geen van de 1 buurten zijn de kerncijfers bekend die we nodig hebben (inwoners, "
        "65 jaar en ouder, huishoudens, eenpersoonshuishoudens)."
    )
    grid = tmp_path / "vierkanten.csv"
    grid.write_text("crs28992res100m,aantal_inwoners\nE2000N4700,40\nX12,5\n", encoding="utf-8")
    with pytest.raises(AssetMapError) as caught:
        read_population_grid(grid)
    assert "'X12' is geen code van een CBS-vierkant" in explain(caught.value, "nl")
    empty = tmp_path / "straten.osm"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_walk_network(empty)
    assert explain(caught.value, "nl").startswith("straten.osm: het bestand is leeg.")
    assert str(caught.value).startswith("straten.osm: the file is empty.")


# --- unknown 65+, notes in Dutch, progress -------------------------------------------------------


def test_newly_covered_65_plus_is_unknown_not_zero(two_buurten):
    # One 1 km cell per buurt, centres 1000 m apart, 750 m in reach: each cell site covers
    # only its own buurt. With 'all' weights buurt B counts although its 65+ share is unknown.
    params = GapParams(
        cell_m=1000, detour=1.0, weights=NeedWeights.preset("all"), new_sites=2,
        candidates=("cells",),
    )  # fmt: skip
    result = analyse_gaps(two_buurten, far_shop(), params)
    sites = result.sites.set_index(result.sites["buurten"].map(lambda b: b[0]))
    assert sites.loc["A", "newly_residents"] == 1000.0
    assert sites.loc["A", "newly_65"] == pytest.approx(200.0)
    assert sites.loc["B", "newly_residents"] == 1000.0
    assert math.isnan(sites.loc["B", "newly_65"])  # unknown, not 0
    rank_b = int(sites.loc["B", "rank"])
    assert (
        f"Suggestion {rank_b} (Grid cell in B): the number of newly covered residents aged 65+ "
        "is unknown, because part of the area it reaches has no 65+ figure."
    ) in result.warnings
    # CSV: an empty cell; JSON writes null (see _num).
    table = pd.read_csv(pd.io.common.BytesIO(sites_to_csv(result.sites)), keep_default_na=False)
    row = table[table["rank"] == rank_b].iloc[0]
    assert row["newly_65"] == "" and row["name"] == "Grid cell in B"


def test_notes_and_cell_names_are_translatable(two_buurten):
    params = GapParams(cell_m=1000, detour=1.0, new_sites=1, candidates=("cells",))
    result = analyse_gaps(two_buurten, far_shop(), params)
    missing = result.warnings[0]
    assert isinstance(missing, Msg)
    assert missing == (
        "Buurt B (BU99990102) has no figure for aged 65 and over: left out of the demand, "
        "not counted as 0."
    )
    assert localise(missing, "nl") == (
        "Van buurt B (BU99990102) is dit cijfer niet bekend: 65 jaar en ouder. Daarom telt "
        "deze buurt niet mee. We rekenen niet met 0."
    )
    assert all(isinstance(w, Msg) for w in result.warnings)
    assert all(localise(w, "nl") != str(w) for w in result.warnings)
    name = result.sites.iloc[0]["name"]
    assert name == "Grid cell in A" and localise(name, "nl") == "Vakje in A"


def test_progress_reports_each_stage_in_order(two_buurten):
    seen: list[tuple[str, float]] = []
    analyse_gaps(
        two_buurten,
        far_shop(),
        GapParams(cell_m=1000, new_sites=1, candidates=("cells",)),
        progress=lambda stage, share: seen.append((stage, share)),
    )
    assert seen == [
        ("demand", 0.0), ("distances", 0.25), ("coverage", 0.5), ("solver", 0.75), ("done", 1.0)
    ]  # fmt: skip
