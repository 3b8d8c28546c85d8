"""Fixes of the gap analysis: strict JSON, unknown 65+, the weights used, Dutch notes, the
real CBS population grid layout, progress stages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from asset_map._errors import SchemaError
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.population_grid import grid_demand
from asset_map.cli import main
from asset_map.cli.gaps import _num
from asset_map.i18n import Msg, localise
from asset_map.io.export import sites_to_csv
from asset_map.io.population_grid import grid_squares, read_population_grid

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
X0, Y0 = 150_000.0, 450_000.0


def _refuse(constant: str) -> None:
    raise AssertionError(f"not strict JSON: {constant}")


def _strict_json(capsys, args: list[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out, parse_constant=_refuse)


DEMO_ARGS = [
    "gaps",
    "--areas",
    str(DEMO / "areas.geojson"),
    "--assets",
    str(DEMO / "assets.geojson"),
]


# --- 1. strict JSON -----------------------------------------------------------------------------


def test_json_is_strict_when_there_is_no_meeting_place(capsys):
    # 'talent' is no asset type of the demo: nobody is covered, the nearest place is nowhere.
    out = _strict_json(
        capsys,
        [*DEMO_ARGS, "--meeting-types", "talent", "--new-sites", "1", "--candidates", "cells",
         "--json"],
    )  # fmt: skip
    assert out["covered_before"] == 0.0 and out["share_before"] == 0.0
    assert out["sites"][0]["nearest_meeting_m"] is None
    assert out["sites"][0]["newly_covered"] > 0


def test_non_finite_numbers_become_null():
    assert _num(float("nan"), 4) is None
    assert _num(float("inf"), 0) is None
    assert _num(None, 1) is None
    assert _num(0.123456, 4) == 0.1235


# --- 3. the weights used ------------------------------------------------------------------------


def test_json_params_name_the_weights_used(capsys):
    own = _strict_json(capsys, [*DEMO_ARGS, "--weights", "0,1,0", "--json"])
    assert own["params"]["need"] == "custom"
    assert own["params"]["weights"] == [0.0, 1.0, 0.0]
    preset = _strict_json(capsys, [*DEMO_ARGS, "--need", "65plus", "--json"])
    assert preset["params"]["need"] == "65plus" and preset["params"]["weights"] == [0, 1, 0]
    default = _strict_json(capsys, [*DEMO_ARGS, "--json"])
    assert default["params"]["need"] == "mix" and default["params"]["weights"] == [0.2, 0.4, 0.4]


# --- 2. unknown 65+ -----------------------------------------------------------------------------


@pytest.fixture
def two_buurten() -> gpd.GeoDataFrame:
    """Buurt A (1000 residents, 20 % 65+) and buurt B (1000, 65+ unknown), 1 km2 each."""
    return gpd.GeoDataFrame(
        {
            "code": ["BU99990101", "BU99990102"],
            "name": ["A", "B"],
            "level": ["buurt", "buurt"],
            "parent_code": ["WK999901"] * 2,
            "inhabitants": [1000.0, 1000.0],
            "pct_65_plus": [20.0, np.nan],
            "households": [500.0, 500.0],
            "pct_single_households": [40.0, 40.0],
        },
        geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)],
        crs="EPSG:28992",
    )


def _no_assets() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["w1"], "name": ["Winkel"], "type": ["winkel"], "status": ["existing"]},
        geometry=[Point(X0 + 5000, Y0 + 5000)],
        crs="EPSG:28992",
    )


def test_newly_covered_65_plus_is_unknown_not_zero(two_buurten):
    # One 1 km cell per buurt, centres 1000 m apart, 750 m in reach: each cell site covers
    # only its own buurt. With 'all' weights buurt B counts although its 65+ share is unknown.
    params = GapParams(
        cell_m=1000, detour=1.0, weights=NeedWeights.preset("all"), new_sites=2,
        candidates=("cells",),
    )  # fmt: skip
    result = analyse_gaps(two_buurten, _no_assets(), params)
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


# --- 4. Dutch texts from the core ---------------------------------------------------------------


def test_notes_and_cell_names_are_translatable(two_buurten):
    params = GapParams(cell_m=1000, detour=1.0, new_sites=1, candidates=("cells",))
    result = analyse_gaps(two_buurten, _no_assets(), params)
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


# --- 5. CBS population grid in CBS's own layout ------------------------------------------------

#: Four squares as CBS writes them in a CSV (';' separated, secret marks -99997/-99998):
#: two in buurt A, one in buurt B (65+ secret), one in A with everything secret.
CBS_CSV = (
    (
        "crs28992res100m;aantal_inwoners;aantal_inwoners_65_jaar_en_ouder;"
        "aantal_eenpersoonshuishoudens\n"
    )
    + """E1500N4500;40;5;10
E1505N4505;60;-99997;20
E1512N4503;30;-99997;10
E1509N4509;-99997;-99997;-99998
"""
)


def test_read_cbs_csv_with_square_ids(tmp_path):
    path = tmp_path / "vierkant_100m_2022.csv"
    path.write_text(CBS_CSV, encoding="utf-8")
    grid = read_population_grid(path)
    assert grid.crs.to_epsg() == 28992
    # E1500N4500: the square from (150,000, 450,000), lower-left, 100 m wide.
    assert grid.geometry.iloc[0].bounds == (X0, Y0, X0 + 100, Y0 + 100)
    assert grid.geometry.iloc[2].bounds == (151_200.0, 450_300.0, 151_300.0, 450_400.0)
    assert grid["aantal_inwoners"].tolist()[:3] == [40.0, 60.0, 30.0]
    assert np.isnan(grid["aantal_inwoners"].iloc[3])
    assert np.isnan(grid["aantal_inwoners_65_jaar_en_ouder"].iloc[1])
    assert np.isnan(grid["aantal_eenpersoonshuishoudens"].iloc[3])


def test_bad_square_id_is_refused_with_its_row(tmp_path):
    path = tmp_path / "grid.csv"
    path.write_text("crs28992res100m;aantal_inwoners\nE1500N4500;40\n1500-4500;10\n")
    with pytest.raises(SchemaError, match=r"row 3.*not a CBS square id.*E1234N4567"):
        read_population_grid(path)


def test_square_ids_known_answer():
    squares, bad = grid_squares(["E0871N4462", "e1234n4567", "CRS28992RES100mE1234N4567", "x"], 100)
    assert squares[0].bounds == (87_100.0, 446_200.0, 87_200.0, 446_300.0)
    assert squares[1].bounds == squares[2].bounds == (123_400.0, 456_700.0, 123_500.0, 456_800.0)
    assert squares[3] is None and bad == [3]


def test_read_older_cbs_names_from_a_geopackage(tmp_path):
    # The vierkantstatistieken up to 2019: INWONER, INW_65PL, TOTHH_EENP, id 'c28992r100'.
    frame = gpd.GeoDataFrame(
        {
            "c28992r100": ["E1500N4500", "E1501N4500"],
            "INWONER": [40, -99997],
            "INW_65PL": [5, 0],
            "TOTHH_EENP": [-99997, 5],
        },
        geometry=[box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 100, Y0, X0 + 200, Y0 + 100)],
        crs="EPSG:28992",
    )
    path = tmp_path / "CBS_vk100_2019.gpkg"
    frame.to_file(path, driver="GPKG")
    grid = read_population_grid(path)
    assert list(grid.columns) == [
        "aantal_inwoners", "aantal_inwoners_65_jaar_en_ouder", "aantal_eenpersoonshuishoudens",
        "geometry",
    ]  # fmt: skip
    assert grid["aantal_inwoners"].iloc[0] == 40.0 and np.isnan(grid["aantal_inwoners"].iloc[1])
    assert np.isnan(grid["aantal_eenpersoonshuishoudens"].iloc[0])


def test_secret_65_plus_falls_back_to_the_buurt_share(tmp_path, two_buurten):
    path = tmp_path / "vierkant.csv"
    path.write_text(CBS_CSV, encoding="utf-8")
    grid = read_population_grid(path)
    rd = two_buurten.copy()
    rd.loc[1, "pct_65_plus"] = 10.0  # buurt B's 65+ share is known here
    needs = ("inhabitants", "pct_65_plus")
    cells, notes = grid_demand(grid, rd, cell_m=100.0, needs=needs)
    # Squares 1-3 kept: 65+ of square 2 from buurt A (20 % of 60), of square 3 from B (10 %).
    assert cells["buurt_code"].tolist() == ["BU99990101", "BU99990101", "BU99990102"]
    assert cells["residents"].tolist() == [40.0, 60.0, 30.0]
    assert cells["residents_65"].tolist() == pytest.approx([5.0, 12.0, 3.0])
    assert notes == [
        "2 population grid squares with 90 residents have a secret figure for aged 65 and over: "
        "used their buurt's share instead.",
        "1 population grid square have secret or missing figures (CBS keeps small numbers "
        "secret): left out of the demand, not counted as 0.",
    ]
    assert localise(notes[0], "nl").startswith(
        "Van 2 CBS-vierkanten is het cijfer '65 jaar en ouder' geheim. Daar wonen samen 90 mensen."
    )


def test_secret_65_plus_without_a_buurt_share_is_dropped_and_counted(tmp_path, two_buurten):
    path = tmp_path / "vierkant.csv"
    path.write_text(CBS_CSV, encoding="utf-8")
    cells, notes = grid_demand(
        read_population_grid(path), two_buurten, cell_m=100.0, needs=("inhabitants", "pct_65_plus")
    )
    # Buurt B has no 65+ share: its square (30 residents) is left out, and the note says so.
    assert cells["residents"].tolist() == [40.0, 60.0]
    assert notes[1:] == [
        "2 population grid squares have secret or missing figures (CBS keeps small numbers "
        "secret): left out of the demand, not counted as 0.",
        "The squares left out hold 30 residents.",
    ]


def test_cbs_grid_through_the_cli(tmp_path, capsys, two_buurten):
    grid = tmp_path / "vierkant.csv"
    grid.write_text(CBS_CSV, encoding="utf-8")
    areas = tmp_path / "areas.geojson"
    two_buurten.to_crs(4326).to_file(areas)
    assets = tmp_path / "assets.geojson"
    meeting = gpd.GeoDataFrame(
        {"id": ["m1"], "name": ["Huis"], "type": ["buurthuis"], "status": ["existing"]},
        geometry=[Point(X0 + 50, Y0 + 50)],
        crs="EPSG:28992",
    )
    meeting.to_crs(4326).to_file(assets)
    out = _strict_json(
        capsys,
        ["gaps", "--areas", str(areas), "--assets", str(assets), "--population-grid", str(grid),
         "--need", "all", "--detour", "1", "--json"],
    )  # fmt: skip
    # 'all' needs only residents: squares 1-3 count (40 + 60 + 30). From the meeting place at
    # (150,050, 450,050): square 1's centre 0 m, square 2's (150,550, 450,550) 707 m, square
    # 3's (151,250, 450,350) 1,237 m: 100 covered.
    assert out["residents_total"] == 130.0
    assert out["covered_before"] == 100.0


# --- 7. progress --------------------------------------------------------------------------------


def test_progress_reports_each_stage_in_order(two_buurten):
    seen: list[tuple[str, float]] = []
    analyse_gaps(
        two_buurten,
        _no_assets(),
        GapParams(cell_m=1000, new_sites=1, candidates=("cells",)),
        progress=lambda stage, share: seen.append((stage, share)),
    )
    assert seen == [
        ("demand", 0.0), ("distances", 0.25), ("coverage", 0.5), ("solver", 0.75), ("done", 1.0)
    ]  # fmt: skip


def test_secret_single_households_fall_back_to_the_buurt_share(two_buurten):
    # Buurt A: 500 households, 40 % single -> 200 single-person households per 1000 residents.
    grid = gpd.GeoDataFrame(
        {"INWONER": [50.0], "TOTHH_EENP": [-99997.0]},
        geometry=[Point(X0 + 450, Y0 + 450)],
        crs="EPSG:28992",
    )
    needs = ("inhabitants", "households", "pct_single_households")
    cells, notes = grid_demand(grid, two_buurten, cell_m=100.0, needs=needs)
    assert cells["single_households"].tolist() == pytest.approx([50 * 0.2])
    assert notes == [
        "1 population grid square with 50 residents have a secret figure for single-person "
        "households: used their buurt's share instead."
    ]


def test_sites_file_is_valid_json_without_meeting_places(tmp_path, capsys):
    out = tmp_path / "sites.geojson"
    args = [*DEMO_ARGS, "--meeting-types", "talent", "--new-sites", "1", "--candidates", "cells"]
    assert main([*args, "--out-sites", str(out)]) == 0
    capsys.readouterr()
    features = json.loads(out.read_text("utf-8"), parse_constant=_refuse)["features"]
    assert features[0]["properties"]["nearest_meeting_m"] is None
