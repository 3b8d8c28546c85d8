"""demand: grid cells over buurten, residents spread by area, CBS population grids."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gap_layouts import CBS_GRID_CSV
from shapely.geometry import Point, Polygon, box

from asset_map._errors import CRSError, SchemaError
from asset_map.analysis.demand import (
    buurt_demand,
    clip_grid,
    missing_figure_warnings,
    needed_figures,
)
from asset_map.analysis.population_grid import grid_demand
from asset_map.i18n import localise
from asset_map.io.population_grid import grid_squares, read_population_grid

X0, Y0 = 150_000.0, 450_000.0
ALL_NEEDS = needed_figures(aged_65_plus=True, single_households=True)


def buurten(geoms, **figures) -> gpd.GeoDataFrame:
    n = len(geoms)
    data = {
        "code": [f"BU9999010{i}" for i in range(n)],
        "name": [f"Buurt {i}" for i in range(n)],
        "inhabitants": [1000.0] * n,
        "pct_65_plus": [20.0] * n,
        "households": [500.0] * n,
        "pct_single_households": [40.0] * n,
    }
    data.update(figures)
    return gpd.GeoDataFrame(data, geometry=list(geoms), crs="EPSG:28992")


def test_needed_figures():
    assert needed_figures(aged_65_plus=False, single_households=False) == ("inhabitants",)
    assert ALL_NEEDS == ("inhabitants", "pct_65_plus", "households", "pct_single_households")


def test_clip_grid_aligned_square():
    owner, cells = clip_grid([box(X0, Y0, X0 + 1000, Y0 + 1000)], 100.0)
    assert len(cells) == 100 and (owner == 0).all()
    assert np.allclose(shapely.area(cells), 10_000.0)
    centres = shapely.point_on_surface(cells)
    xs = np.sort(np.unique(shapely.get_x(centres)))
    assert np.allclose(xs, X0 + 50 + 100 * np.arange(10))  # centres on the known lattice


def test_clip_grid_clips_to_the_buurt():
    # 250 x 150 m, off the lattice: cells of 100 m are cut at the edges; area is kept.
    geom = box(X0 + 30, Y0 + 10, X0 + 280, Y0 + 160)
    _, cells = clip_grid([geom], 100.0)
    assert len(cells) == 3 * 2
    assert shapely.area(cells).sum() == pytest.approx(geom.area)
    assert shapely.covers(geom.buffer(1e-6), cells).all()


def test_clip_grid_drops_slivers_and_skips_empty():
    # A strip 0.05 m into the next column of cells: that sliver (5 m2 < 0.1% of 1 ha) is dropped.
    geom = box(X0, Y0, X0 + 100.05, Y0 + 100)
    owner, cells = clip_grid([None, Polygon(), geom], 100.0)
    assert len(cells) == 1 and owner.tolist() == [2]


def test_buurt_demand_spreads_residents_by_area():
    # 1000 x 1500 m with 1 km cells: a full cell and a half cell share residents 2:1.
    frame = buurt_demand(
        buurten([box(X0, Y0, X0 + 1000, Y0 + 1500)], inhabitants=[900.0]),
        cell_m=1000.0,
        needs=ALL_NEEDS,
    )
    frame = frame.sort_values("y")
    assert frame["residents"].tolist() == pytest.approx([600.0, 300.0])
    assert frame["residents_65"].tolist() == pytest.approx([120.0, 60.0])  # 20 %
    assert frame["single_households"].tolist() == pytest.approx([400 / 3, 200 / 3])  # 500 x 40 %
    assert frame[["x", "y"]].to_numpy() == pytest.approx(
        np.array([[X0 + 500, Y0 + 500], [X0 + 500, Y0 + 1250]])
    )
    assert frame.crs.to_epsg() == 28992
    assert frame["buurt_code"].tolist() == ["BU99990100"] * 2


def test_buurt_demand_nobody_lives_there():
    frame = buurt_demand(
        buurten([box(X0, Y0, X0 + 200, Y0 + 200)], inhabitants=[0.0], pct_65_plus=[np.nan]),
        cell_m=100.0,
        needs=ALL_NEEDS,
    )
    assert (frame["residents_65"] == 0).all() and (frame["residents"] == 0).all()


def test_missing_figures_are_named_not_zero():
    frame = buurten(
        [box(X0, Y0, X0 + 100, Y0 + 100)] * 4,
        name=["Vol", "Leeg", "Bedrijven", "Oud"],
        inhabitants=[100.0, 0.0, np.nan, 50.0],
        pct_65_plus=[10.0, np.nan, np.nan, np.nan],
        households=[50.0, 0.0, np.nan, 20.0],
        pct_single_households=[30.0, np.nan, np.nan, 40.0],
    )
    missing, warnings = missing_figure_warnings(frame, ALL_NEEDS)
    assert missing.tolist() == [False, False, True, True]
    assert warnings == [
        "Buurt Bedrijven (BU99990102) has no key figures: left out of the demand, "
        "not counted as 0.",
        "Buurt Oud (BU99990103) has no figure for aged 65 and over: left out of the demand, "
        "not counted as 0.",
    ]
    # With weights that do not need the 65+ figure, buurt Oud counts.
    missing, _ = missing_figure_warnings(
        frame, ("inhabitants", "households", "pct_single_households")
    )
    assert missing.tolist() == [False, False, True, False]


def test_many_missing_buurten_are_summed_up():
    frame = buurten([box(X0, Y0, X0 + 100, Y0 + 100)] * 14, inhabitants=[np.nan] * 14)
    missing, warnings = missing_figure_warnings(frame, ALL_NEEDS)
    assert missing.all() and len(warnings) == 11
    assert warnings[-1].startswith("4 more buurten lack the key figures")


# --- CBS population grid ---------------------------------------------------------------------


def grid_frame(as_points: bool = False, crs: str = "EPSG:28992") -> gpd.GeoDataFrame:
    """Four 100 m squares: two in buurt 0, one in buurt 1, one outside; one is secret."""
    corners = [(X0, Y0), (X0 + 100, Y0), (X0 + 1000, Y0), (X0 + 5000, Y0)]
    geoms = [
        Point(x + 50, y + 50) if as_points else box(x, y, x + 100, y + 100) for x, y in corners
    ]
    frame = gpd.GeoDataFrame(
        {
            "aantal_inwoners": [40.0, -99997.0, 25.0, 10.0],
            "aantal_inwoners_65_jaar_en_ouder": [5.0, 5.0, -99997.0, 0.0],
            "aantal_eenpersoonshuishoudens": [10.0, 5.0, 5.0, 5.0],
        },
        geometry=geoms,
        crs="EPSG:28992",
    )
    return frame.to_crs(crs)


TWO_BUURTEN = buurten([box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)])


@pytest.mark.parametrize("as_points", [False, True])
def test_grid_demand_assigns_squares_and_drops_secret_ones(as_points):
    cells, warnings = grid_demand(
        grid_frame(as_points, crs="EPSG:4326"), TWO_BUURTEN, cell_m=100.0, needs=("inhabitants",)
    )
    assert cells["buurt_code"].tolist() == ["BU99990100", "BU99990101"]
    assert cells["residents"].tolist() == [40.0, 25.0]
    assert np.isnan(cells["residents_65"].iloc[1])  # secret, but not needed by these weights
    assert cells[["x", "y"]].to_numpy() == pytest.approx(
        np.array([[X0 + 50, Y0 + 50], [X0 + 1050, Y0 + 50]]), abs=0.01
    )
    assert shapely.area(cells.geometry.to_numpy()) == pytest.approx([10_000.0] * 2, rel=1e-4)
    assert warnings == [
        "1 population grid square lie outside every buurt: left out.",
        "1 population grid square have secret or missing figures (CBS keeps small numbers "
        "secret): left out of the demand, not counted as 0.",
    ]


def test_grid_demand_needs_the_columns_the_weights_use():
    cells, warnings = grid_demand(grid_frame(), TWO_BUURTEN, cell_m=100.0, needs=ALL_NEEDS)
    # The 65+ count of the third square is secret: its buurt's share (20 %) stands in.
    assert cells["residents"].tolist() == [40.0, 25.0]
    assert cells["residents_65"].tolist() == [5.0, 25.0 * 0.20]
    assert warnings[1:] == [
        "1 population grid square with 25 residents have a secret figure for aged 65 and over: "
        "used their buurt's share instead.",
        "1 population grid square have secret or missing figures (CBS keeps small numbers "
        "secret): left out of the demand, not counted as 0.",
    ]
    with pytest.raises(SchemaError, match="no column 'aantal_inwoners_65_jaar_en_ouder'"):
        grid_demand(
            grid_frame().drop(columns="aantal_inwoners_65_jaar_en_ouder"),
            TWO_BUURTEN,
            cell_m=100.0,
            needs=ALL_NEEDS,
        )


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_read_population_grid_round_trip(tmp_path, suffix):
    path = tmp_path / f"vierkanten{suffix}"
    grid_frame(crs="EPSG:28992" if suffix == ".gpkg" else "EPSG:4326").to_file(path)
    grid = read_population_grid(path)
    assert grid.crs.to_epsg() == (28992 if suffix == ".gpkg" else 4326)
    assert grid["aantal_inwoners"].tolist()[::2] == [40.0, 25.0]
    assert np.isnan(grid["aantal_inwoners"].iloc[1])  # -99997: secret
    assert set(grid.columns) == {
        "aantal_inwoners",
        "aantal_inwoners_65_jaar_en_ouder",
        "aantal_eenpersoonshuishoudens",
        "geometry",
    }


def test_read_population_grid_csv(tmp_path):
    path = tmp_path / "vierkanten.csv"
    path.write_text(
        "rd_x;rd_y;aantal_inwoners;aantal_inwoners_65_jaar_en_ouder\n"
        f"{X0 + 50};{Y0 + 50};40;5\n{X0 + 150};{Y0 + 50};-99997;-99997\n",
        encoding="utf-8",
    )
    grid = read_population_grid(path)
    assert grid.crs.to_epsg() == 28992
    assert grid["aantal_inwoners"].tolist()[0] == 40.0 and np.isnan(grid["aantal_inwoners"][1])
    assert "aantal_eenpersoonshuishoudens" not in grid.columns
    cells, _ = grid_demand(grid, TWO_BUURTEN, cell_m=100.0, needs=("inhabitants",))
    assert cells["residents"].tolist() == [40.0]
    assert shapely.area(cells.geometry.to_numpy()).tolist() == pytest.approx([10_000.0])


@pytest.mark.parametrize(
    "text, error, match",
    [
        ("rd_x,rd_y,inwoners\n150050,450050,40\n", SchemaError, "no column 'aantal_inwoners'"),
        (
            "rd_x,rd_y,aantal_inwoners\n150050,450050,veel\n",
            SchemaError,
            r"row 2, column 'aantal_inwoners'.*'veel' is not a number",
        ),
        ("x,y,aantal_inwoners\n150050,450050,40\n", CRSError, "CRS is unknown"),
    ],
)
def test_read_population_grid_refuses_bad_files(tmp_path, text, error, match):
    path = tmp_path / "grid.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=match):
        read_population_grid(path)


def test_inputs_are_not_changed():
    frame = TWO_BUURTEN.copy()
    grid = grid_frame()
    before = (frame.copy(), grid.copy())
    buurt_demand(frame, cell_m=250.0, needs=ALL_NEEDS)
    grid_demand(grid, frame, cell_m=100.0, needs=("inhabitants",))
    pd.testing.assert_frame_equal(frame, before[0])
    pd.testing.assert_frame_equal(grid, before[1])


# --- the CBS population grid in CBS's own layout -------------------------------------------------


def test_read_cbs_csv_with_square_ids(tmp_path):
    path = tmp_path / "vierkant_100m_2022.csv"
    path.write_text(CBS_GRID_CSV, encoding="utf-8")
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
    path.write_text(CBS_GRID_CSV, encoding="utf-8")
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
    path.write_text(CBS_GRID_CSV, encoding="utf-8")
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
