"""Key figures known per wijk only: the estimate per buurt, totals, and the gap analysis on it.

Known answers on a tiny wijk of two buurten (1 km2 and 3 km2, 400 inhabitants), and the real
Deventer files: 15 wijken with their 2024 inhabitants, 68 buurten without figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.population_grid import grid_residents_by_buurt
from asset_map.analysis.wijk_figures import (
    estimate_from_wijken,
    figure_level,
    figure_total,
    supported_need,
)
from asset_map.cli import main
from asset_map.i18n import localise

X0, Y0 = 150_000.0, 450_000.0
ALL = NeedWeights.preset("all")


def two_buurten(
    *,
    buurt_inhabitants: tuple[float, float] = (np.nan, np.nan),
    wijk: dict[str, float] | None = None,
    land_area_ha: tuple[float, float] = (np.nan, np.nan),
) -> gpd.GeoDataFrame:
    """A wijk of buurt A (1 km2, west) and buurt B (3 km2, east); figures per wijk by default."""
    figures = {"inhabitants": 400.0, "pct_65_plus": 20.0, "households": 200.0,
               "pct_single_households": 40.0, **(wijk or {})}  # fmt: skip
    missing = (np.nan, np.nan)
    frame = gpd.GeoDataFrame(
        {
            "code": ["WK999901", "BU99990101", "BU99990102"],
            "name": ["Wijk", "A", "B"],
            "level": ["wijk", "buurt", "buurt"],
            "parent_code": ["GM9999", "WK999901", "WK999901"],
            "inhabitants": [figures["inhabitants"], *buurt_inhabitants],
            "pct_65_plus": [figures["pct_65_plus"], *missing],
            "households": [figures["households"], *missing],
            "pct_single_households": [figures["pct_single_households"], *missing],
            "land_area_ha": [400.0, *land_area_ha],
        },
        geometry=[
            box(X0, Y0, X0 + 4000, Y0 + 1000),
            box(X0, Y0, X0 + 1000, Y0 + 1000),
            box(X0 + 1000, Y0, X0 + 4000, Y0 + 1000),
        ],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


def _by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("code")


# --- the estimate per buurt ---------------------------------------------------------------------


def test_a_wijk_count_is_shared_by_land_area():
    areas = two_buurten()
    estimate = estimate_from_wijken(areas)
    got = _by_code(estimate.areas)
    assert got.loc["BU99990101", "inhabitants"] == pytest.approx(100.0)
    assert got.loc["BU99990102", "inhabitants"] == pytest.approx(300.0)
    assert got.loc["BU99990101", "households"] == pytest.approx(50.0)
    assert got.loc["BU99990102", "households"] == pytest.approx(150.0)
    assert estimate.basis == "land_area"
    marks = estimate.estimated.set_axis(areas["code"])
    assert marks.loc["BU99990101"].all() and marks.loc["BU99990102"].all()
    assert not marks.loc["WK999901"].any()  # the wijk keeps its own figures
    assert got.loc["WK999901", "inhabitants"] == 400.0
    # The input is not changed.
    assert areas["inhabitants"].isna().sum() == 2


def test_percentages_take_the_wijks_percentage():
    got = _by_code(estimate_from_wijken(two_buurten()).areas)
    assert got.loc[["BU99990101", "BU99990102"], "pct_65_plus"].tolist() == [20.0, 20.0]
    assert got.loc[["BU99990101", "BU99990102"], "pct_single_households"].tolist() == [40.0, 40.0]


def test_cbs_land_area_is_used_when_every_sharing_buurt_has_it():
    # The polygons say 1 : 3, CBS's land area (without water) says 3 : 1.
    got = _by_code(estimate_from_wijken(two_buurten(land_area_ha=(150.0, 50.0))).areas)
    assert got.loc["BU99990101", "inhabitants"] == pytest.approx(300.0)
    assert got.loc["BU99990102", "inhabitants"] == pytest.approx(100.0)
    # Known for one buurt only: both are shared by their polygons, never mixed.
    got = _by_code(estimate_from_wijken(two_buurten(land_area_ha=(150.0, np.nan))).areas)
    assert got.loc["BU99990101", "inhabitants"] == pytest.approx(100.0)


def test_a_population_grid_shares_by_its_residents():
    areas = two_buurten()
    # 30 residents in a square of A, 10 + a secret one in B, one outside the wijk.
    grid = gpd.GeoDataFrame(
        {"aantal_inwoners": [30.0, 10.0, -99997.0, 500.0]},
        geometry=[
            box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),
            box(X0 + 2000, Y0 + 100, X0 + 2100, Y0 + 200),
            box(X0 + 3000, Y0 + 100, X0 + 3100, Y0 + 200),
            box(X0 + 9000, Y0 + 100, X0 + 9100, Y0 + 200),
        ],
        crs="EPSG:28992",
    )
    buurten_rd = areas[areas["level"] == "buurt"].to_crs("EPSG:28992")
    weights = grid_residents_by_buurt(grid, buurten_rd)
    assert weights.to_dict() == {"BU99990101": 30.0, "BU99990102": 10.0}
    estimate = estimate_from_wijken(areas, weights=weights)
    got = _by_code(estimate.areas)
    assert got.loc["BU99990101", "inhabitants"] == pytest.approx(300.0)
    assert got.loc["BU99990102", "inhabitants"] == pytest.approx(100.0)
    assert estimate.basis == "grid"


def test_buurten_with_own_figures_keep_them_and_the_rest_is_spread():
    # A has 100 of its own: B gets what is left, 300, all of it (it is the only one lacking).
    areas = two_buurten(buurt_inhabitants=(100.0, np.nan), wijk={"inhabitants": 400.0})
    estimate = estimate_from_wijken(areas)
    got = _by_code(estimate.areas)
    assert got.loc["BU99990101", "inhabitants"] == 100.0
    assert got.loc["BU99990102", "inhabitants"] == pytest.approx(300.0)
    marks = estimate.estimated.set_axis(areas["code"])
    assert not marks.loc["BU99990101", "inhabitants"] and marks.loc["BU99990102", "inhabitants"]
    assert marks.loc["BU99990101", "pct_65_plus"]  # its own count, the wijk's percentage


def test_nothing_left_to_share_stays_unknown_never_zero():
    areas = two_buurten(buurt_inhabitants=(400.0, np.nan))
    estimate = estimate_from_wijken(areas)
    got = _by_code(estimate.areas)
    assert np.isnan(got.loc["BU99990102", "inhabitants"])
    # No count, so no percentage either: the buurt stays "no key figures" in the analysis.
    assert np.isnan(got.loc["BU99990102", "pct_65_plus"])
    marks = estimate.estimated.set_axis(areas["code"])
    assert not marks.loc["BU99990102", ["inhabitants", "pct_65_plus"]].any()
    # Households are another count: neither buurt has one, so the wijk's 200 are shared.
    assert marks.loc["BU99990102", "households"]


def test_without_a_wijk_figure_nothing_is_estimated():
    areas = two_buurten(wijk={"inhabitants": np.nan, "households": np.nan})
    estimate = estimate_from_wijken(areas)
    assert estimate.areas["inhabitants"].isna().sum() == 3
    assert not estimate.estimated.to_numpy().any()


def test_a_buurt_without_a_shape_takes_no_share():
    areas = two_buurten()
    areas.loc[areas["code"] == "BU99990101", "geometry"] = box(0, 0, 0, 0).buffer(0)  # empty
    got = _by_code(estimate_from_wijken(areas).areas)
    assert np.isnan(got.loc["BU99990101", "inhabitants"])
    assert got.loc["BU99990102", "inhabitants"] == pytest.approx(400.0)  # the wijk's total


# --- totals and levels ----------------------------------------------------------------------------


def test_a_total_takes_the_wijk_figure_where_its_buurten_lack_it():
    assert figure_total(two_buurten()) == 400.0
    assert figure_total(two_buurten(buurt_inhabitants=(150.0, 260.0))) == 410.0  # buurten
    assert figure_total(two_buurten(buurt_inhabitants=(150.0, np.nan))) == 400.0  # the wijk
    no_figures = two_buurten(wijk={"inhabitants": np.nan})
    assert np.isnan(figure_total(no_figures))  # unknown, never 0
    only_buurten = two_buurten(buurt_inhabitants=(150.0, np.nan), wijk={"inhabitants": np.nan})
    assert figure_total(only_buurten) == 150.0


def test_the_level_a_map_can_colour():
    assert figure_level(two_buurten(), "inhabitants") == "wijk"
    assert figure_level(two_buurten(buurt_inhabitants=(1.0, 2.0)), "inhabitants") == "buurt"
    assert figure_level(two_buurten(wijk={"inhabitants": np.nan}), "inhabitants") is None
    assert figure_level(two_buurten(), "not_a_figure") is None


def test_the_need_follows_the_figures_there_are():
    assert supported_need(two_buurten()) == "mix"
    inhabitants_only = two_buurten(wijk={"pct_65_plus": np.nan, "pct_single_households": np.nan})
    assert supported_need(inhabitants_only) == "all"
    nothing = two_buurten(wijk={k: np.nan for k in ("inhabitants", "pct_65_plus")})
    assert supported_need(nothing.drop(columns=["households", "pct_single_households"])) == "mix"


# --- the gap analysis -------------------------------------------------------------------------


def _meeting_place(x: float, y: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["m"], "name": ["Huiskamer"], "type": ["wijkhuiskamer"], "status": ["existing"]},
        geometry=[Point(X0 + x, Y0 + y)],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")


def test_gaps_run_on_wijk_figures_and_mark_the_estimate():
    result = analyse_gaps(
        two_buurten(), _meeting_place(500, 500), GapParams(cell_m=1000, detour=1.0)
    )
    s = result.summary
    assert s["residents_total"] == pytest.approx(400.0)
    assert s["residents_estimated"] == pytest.approx(400.0) and s["buurten_estimated"] == 2
    table = _by_code(result.buurten)
    assert table["estimated"].tolist() == [True, True]
    assert table.loc["BU99990101", "residents"] == pytest.approx(100.0)
    assert table.loc["BU99990102", "residents"] == pytest.approx(300.0)
    # mix: 0.2 x 100 + 0.4 x 20 (65+) + 0.4 x 50 households x 40 % = 36 weighted in A.
    assert table.loc["BU99990101", "weight"] == pytest.approx(36.0)
    assert table.loc["BU99990101", "share_covered"] == 1.0  # the cell centre is the place
    notes = [localise(w, "nl") for w in result.warnings]
    assert notes[0].startswith("Van 2 buurten weten we het aantal inwoners niet per buurt")
    assert "400 inwoners" in notes[0] and "schattingen" in notes[0]


def test_a_buurt_with_own_figures_is_no_estimate():
    areas = two_buurten(buurt_inhabitants=(100.0, np.nan))
    result = analyse_gaps(areas, _meeting_place(500, 500), GapParams(cell_m=1000, weights=ALL))
    table = _by_code(result.buurten)
    assert table["estimated"].to_dict() == {"BU99990101": False, "BU99990102": True}
    assert result.summary["residents_estimated"] == pytest.approx(300.0)
    assert result.summary["residents_total"] == pytest.approx(400.0)


def test_with_a_grid_only_a_share_from_the_wijk_is_an_estimate():
    # Two squares in A: one with a secret 65+ count. A has no figures, its wijk 20 % 65+.
    grid = gpd.GeoDataFrame(
        {
            "aantal_inwoners": [40.0, 60.0],
            "aantal_inwoners_65_jaar_en_ouder": [-99997.0, 6.0],
        },
        geometry=[box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200), box(X0, Y0, X0 + 100, Y0 + 100)],
        crs="EPSG:28992",
    )
    params = GapParams(weights=NeedWeights(0.0, 1.0, 0.0), cell_m=100)
    result = analyse_gaps(two_buurten(), _meeting_place(50, 50), params, population_grid=grid)
    table = _by_code(result.buurten)
    assert table.loc["BU99990101", "residents"] == 100.0  # the squares' own counts
    assert table.loc["BU99990101", "residents_65"] == pytest.approx(40 * 0.2 + 6)
    assert bool(table.loc["BU99990101", "estimated"])
    assert result.summary["residents_estimated"] == pytest.approx(40.0)
    assert any(w.startswith("In 1 buurt some squares") for w in result.warnings)


def test_without_any_wijk_or_buurt_figure_the_analysis_still_refuses():
    areas = two_buurten(wijk={"inhabitants": np.nan})
    with pytest.raises(ValueError, match="None of the 2 buurten has the key figures"):
        analyse_gaps(areas, _meeting_place(500, 500), GapParams(weights=ALL))


# --- real Deventer: 15 wijken with 2024 figures, 68 buurten without -----------------------------


@pytest.fixture
def deventer(real_file, tmp_path) -> dict[str, Path]:
    """The Deventer wijken and buurten (CBS 2014) as files of their own, and the other inputs."""
    files = {}
    for level, name in (
        ("wijken", "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"),
        ("buurten", "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"),
    ):
        frame = gpd.read_file(real_file(name))
        files[level] = tmp_path / f"{level}.geojson"
        frame[frame["gemeentecode"] == "GM0150"].to_file(files[level], driver="GeoJSON")
    files["figures"] = real_file("cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv")
    files["assets"] = real_file("deventer_wijkteams/deventer_wijkteam_assets.geojson")
    return files


def test_deventer_wijk_figures_are_spread_over_its_buurten(deventer, capsys):
    args = ["gaps", "--areas", str(deventer["wijken"]), "--areas", str(deventer["buurten"])]
    args += ["--figures", str(deventer["figures"]), "--assets", str(deventer["assets"])]
    args += ["--mapping", "deventer_wijkteams", "--need", "all", "--new-sites", "3", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    # The 15 wijken's inhabitants (2024) add up to 103,390; the spread keeps each wijk's sum
    # (only the JSON's rounding to 0.1 per number is left).
    assert data["residents_total"] == pytest.approx(103_390, abs=0.5)
    assert data["residents_estimated"] == pytest.approx(103_390, abs=0.5)
    buurten = data["buurten"]
    assert len(buurten) == 68
    wijken = gpd.read_file(deventer["wijken"])
    figures = pd.read_csv(deventer["figures"]).set_index("regiocode")["AantalInwoners_5"]
    for code in wijken["statcode"]:
        spread = sum(b["residents"] or 0 for b in buurten if b["wijk_code"] == code)
        assert spread == pytest.approx(figures[code], abs=0.1 * 7)
    estimated = [b for b in buurten if b["estimated"]]
    assert len(estimated) == 67  # Dorp Lettele has no shape: no share, left out, never 0
    lettele = next(b for b in buurten if b["name"] == "Dorp Lettele")
    assert lettele["figures_missing"] and lettele["residents"] is None
    assert 0 < data["share_before"] < 1  # some within walking distance, not all
    assert data["warnings"][0].startswith("Van 67 buurten weten we het aantal inwoners niet")
    # The suggested sites lie inside Deventer.
    assert len(data["sites"]) == 3
    gemeente = wijken.to_crs("EPSG:28992").union_all()
    points = gpd.GeoSeries(
        [Point(s["lon"], s["lat"]) for s in data["sites"]], crs="EPSG:4326"
    ).to_crs("EPSG:28992")
    assert all(gemeente.contains(p) for p in points)


# --- the wijk report ----------------------------------------------------------------------------


def test_the_wijk_report_gives_the_wijk_total_and_says_the_buurten_are_estimated(tmp_path):
    import io
    import shutil

    from pypdf import PdfReader

    from asset_map.services.report import wijk_gaps, wijk_report
    from asset_map.services.workspace import load_workspace

    demo = Path(__file__).resolve().parents[1] / "data" / "demo"
    folder = tmp_path / "wijkcijfers"
    shutil.copytree(demo, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    figures = ["inhabitants", "pct_65_plus", "households", "pct_single_households"]
    areas.loc[areas["level"] == "buurt", figures] = np.nan
    areas.loc[:, figures[1:]] = np.nan  # inhabitants per wijk only, as for Deventer
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    ws = load_workspace(folder)
    gaps = wijk_gaps(ws, "WK999901")
    assert gaps.params.weights == ALL  # only inhabitants: everyone counts the same
    assert gaps.summary["residents_total"] == pytest.approx(9465)  # Centrum's own figure
    assert gaps.summary["buurten_estimated"] == 5
    pdf = wijk_report(ws, "WK999901", gaps=gaps)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Hele wijk 9.465" in text  # the wijk total is the wijk's own figure
    assert "Oude Kern – –" in text  # a buurt CBS gave nothing for: a dash, never 0
    assert "van 5 buurten zijn de inwoners niet per buurt bekend, alleen per wijk" in text
    assert "Alle inwoners tellen even zwaar mee." in text
