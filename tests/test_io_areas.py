"""read_areas: real CBS boundaries (2014 TopoJSON conversion, PDOK GeoPackage), presets,
repairs and refusals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from pyproj import CRS
from shapely.geometry import Polygon, box

from asset_map._errors import ProblemList, SchemaError
from asset_map.i18n import localise
from asset_map.io import read_areas
from asset_map.io.area_files import read_area_files
from asset_map.model import AREA_COLUMNS, KEY_FIGURES

BUURTEN_2014 = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
WIJKEN_2014 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
ERMELO = "schema_sample_ermelo/cbs_buurten_2021_ermelo_GM0233.gpkg"


def rd_frame(columns: dict, geometries: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometries, crs="EPSG:28992")


def squares(n: int) -> list[Polygon]:
    """n squares of 1 km2 side by side in Deventer, in RD New."""
    return [box(207000 + 1000 * i, 472000, 208000 + 1000 * i, 473000) for i in range(n)]


def write_geojson(path, rows: list[tuple[dict, dict | None]]):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in rows],
            }
        ),
        encoding="utf-8",
    )
    return path


# --- real data -------------------------------------------------------------------------------


@pytest.fixture
def deventer_buurten_2014(real_file):
    result = read_areas(real_file(BUURTEN_2014))
    raw = gpd.read_file(real_file(BUURTEN_2014))
    return result, raw[raw["gemeentecode"] == "GM0150"]


def test_deventer_buurten_2014_load_with_repairs(deventer_buurten_2014):
    result, raw = deventer_buurten_2014
    frame = result.frame
    deventer = frame[frame["code"].str.startswith("BU0150")]
    assert list(frame.columns) == AREA_COLUMNS
    assert CRS.from_user_input(frame.crs).to_epsg() == 4326
    assert frame.is_valid.all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (deventer["level"] == "buurt").all()
    assert deventer["parent_code"].str.fullmatch(r"WK0150\d\d").all()
    assert deventer.set_index("code").loc["BU01500401", "name"] == "Rode Dorp"
    assert result.notes[0] == (
        "Recognised the columns of CBS gebiedsindeling 2014 (statcode, statnaam): "
        "used mapping 'cbs_2014'."
    )
    # All 68 Deventer buurten load. The 10 invalid polygons are each named in a note and
    # repaired: 5 keep an area; 5 collapsed to lines under TopoJSON quantisation and are kept
    # as a 10 m wide outline where they were. Dorp Lettele has an empty polygon in the file:
    # kept without a shape, so its code and figures still count.
    invalid = raw[~raw.is_valid]
    assert len(raw) == 68 and len(invalid) == 10
    assert len(deventer) == 68
    assert set(deventer["name"]) == set(raw["statnaam"])
    for name in invalid["statnaam"]:
        assert any(
            "Repaired feature" in n and f"('{name}'): its polygon was invalid" in n
            for n in result.notes
        ), name
    repaired = [n for n in result.notes if "Repaired" in n and "('Dorp Schalkhaar')" in n]
    assert repaired and "Ring Self-intersection" in repaired[0]
    collapsed = deventer.set_index("name").loc[
        ["Colmschaterenk", "De Scheg", "Oudegoedstraat", "Raambuurt", "Noordenbergkwartier"]
    ]
    in_rd = collapsed.set_crs(4326).to_crs(28992)
    assert (in_rd.area > 0).all() and in_rd.is_valid.all()
    # Each collapsed buurt stays where the file put it: its outline covers the raw shape.
    raw_rd = raw.set_index("statnaam").loc[collapsed.index].to_crs(28992)
    assert in_rd.buffer(1).covers(raw_rd.geometry.boundary).all()
    lettele = deventer.set_index("name").loc["Dorp Lettele"]
    assert lettele.geometry.is_empty
    assert any("('Dorp Lettele') without a shape" in n for n in result.notes)
    assert not any(n.startswith("Dropped") for n in result.notes)


def test_deventer_wijken_2014(real_file):
    result = read_areas(real_file(WIJKEN_2014))
    wijken = result.frame[result.frame["parent_code"] == "GM0150"]
    assert len(wijken) == 15
    assert sorted(wijken["code"]) == [f"WK0150{i:02d}" for i in range(1, 16)]
    assert (wijken["level"] == "wijk").all() and wijken.is_valid.all()
    assert "Wijk 4 Voorstad" in set(wijken["name"])
    assert wijken[list(KEY_FIGURES)].isna().all().all()  # the 2014 files hold no figures
    # Deventer is 134.4 km2 (PROVENANCE.md); the simplified wijken come close.
    assert wijken.to_crs(28992).area.sum() / 1e6 == pytest.approx(134.4, rel=0.03)


def test_ermelo_pdok_geopackage(real_file):
    result = read_areas(real_file(ERMELO))
    frame = result.frame
    # 17 features: 16 land buurten and the Veluwemeer, CBS's nameless water buurt
    # BU02339997 (water = 'JA', in water wijk WK023399), which is no neighbourhood.
    assert len(frame) == 16
    assert "BU02339997" not in set(frame["code"])
    assert CRS.from_user_input(frame.crs).to_epsg() == 4326
    assert (frame.geom_type == "MultiPolygon").all() and frame.is_valid.all()
    assert frame.total_bounds == pytest.approx([5.55, 52.25, 5.75, 52.35], abs=0.1)
    assert (frame["level"] == "buurt").all()
    assert frame["parent_code"].str.startswith("WK0233").all()
    # The key figures of this preliminary file are NULL: missing, never 0.
    assert frame[list(KEY_FIGURES)].isna().all().all()
    assert "used mapping 'pdok_wijkenbuurten'" in result.notes[0]
    assert (
        "cbs_buurten_2021_ermelo_GM0233.gpkg: left out 1 part that is water or lies outside "
        "the Netherlands; it is no wijk or buurt: BU02339997 (water)."
    ) in result.notes
    assert not any("has no name" in note for note in result.notes)


# --- presets and columns ---------------------------------------------------------------------


def test_old_cbs_shapefile_with_secret_figures(tmp_path):
    frame = rd_frame(
        {
            "BU_CODE": ["BU01500401", "BU01500402"],
            "BU_NAAM": ["Rode Dorp", "Knutteldorp"],
            "WK_CODE": ["WK015004", "WK015004"],
            "AANT_INW": [1205, -99999999],
            "P_65_EO_JR": [18, -99997],
            "AANT_HH": [640, 12],
            "P_EENP_HH": [52, 40],
            "OPP_LAND": [31, 12],
        },
        squares(2),
    )
    pyogrio.write_dataframe(frame, tmp_path / "buurt_2018.shp", encoding="UTF-8")
    path = tmp_path / "buurt_2018.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            archive.write(tmp_path / f"buurt_2018{suffix}", arcname=f"buurt_2018{suffix}")
    result = read_areas(path)
    out = result.frame.set_index("code")
    assert out.loc["BU01500401", "inhabitants"] == 1205
    assert np.isnan(out.loc["BU01500402", "inhabitants"])
    assert np.isnan(out.loc["BU01500402", "pct_65_plus"])
    assert out.loc["BU01500402", "households"] == 12
    assert out["land_area_ha"].tolist() == [31.0, 12.0]
    assert out["parent_code"].tolist() == ["WK015004", "WK015004"]
    assert "used mapping 'cbs_shape_old'" in result.notes[0]
    assert (
        "Read 1 negative value in column 'AANT_INW' of buurt_2018.zip as missing "
        "(CBS marks secret or unknown figures with negative numbers)."
    ) in result.notes


def test_pdok_wijk_layer(tmp_path):
    frame = rd_frame(
        {
            "wijkcode": ["WK015004"],
            "wijknaam": ["Voorstad"],
            "gemeentecode": ["GM0150"],
            "aantal_inwoners": [None],
        },
        squares(1),
    )
    path = tmp_path / "wijken.gpkg"
    pyogrio.write_dataframe(frame, path, layer="wijken")
    out = read_areas(path).frame
    assert out[["code", "name", "level", "parent_code"]].values.tolist() == [
        ["WK015004", "Voorstad", "wijk", "GM0150"]
    ]
    assert np.isnan(out["inhabitants"].iloc[0])


def test_own_columns_level_column_and_mapping(tmp_path):
    frame = rd_frame(
        {"gwb": ["bu01500401"], "titel": ["Rode Dorp"], "Niveau": ["Buurt"], "inw": ["1.205"]},
        squares(1),
    )
    path = tmp_path / "eigen.gpkg"
    pyogrio.write_dataframe(frame, path)
    (tmp_path / "m.toml").write_text(
        '[areas.columns]\ncode = "gwb"\nname = "titel"\ninhabitants = "inw"\n', encoding="utf-8"
    )
    out = read_areas(path, mapping=tmp_path / "m.toml").frame
    assert out[["code", "name", "level", "parent_code"]].values.tolist() == [
        ["BU01500401", "Rode Dorp", "buurt", "WK015004"]
    ]
    assert out["inhabitants"].tolist() == [1.205]  # a decimal point, not a thousands mark


def test_bowtie_is_repaired_and_named(tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[6.16, 52.25], [6.18, 52.27], [6.18, 52.25], [6.16, 52.27], [6.16, 52.25]]
        ],
    }
    path = write_geojson(
        tmp_path / "a.geojson", [({"code": "BU01500401", "name": "Vlinder"}, bowtie)]
    )
    result = read_areas(path)
    geometry = result.frame.geometry.iloc[0]
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon"
    assert result.notes == [
        "a.geojson: Repaired feature 1 ('Vlinder'): its polygon was invalid "
        "(Self-intersection[6.17 52.26])."
    ]


def test_points_among_polygons_are_dropped(tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [[[6.16, 52.25], [6.18, 52.25], [6.18, 52.27], [6.16, 52.25]]],
    }
    path = write_geojson(
        tmp_path / "a.geojson",
        [
            ({"code": "BU01500401", "name": "A"}, square),
            ({"code": "BU01500402", "name": "B"}, {"type": "Point", "coordinates": [6.17, 52.26]}),
        ],
    )
    result = read_areas(path)
    assert result.frame["code"].tolist() == ["BU01500401"]
    assert result.notes == [
        "a.geojson: Dropped feature 2 ('B'): it is a Point, not an area (polygon)."
    ]


# --- refusals --------------------------------------------------------------------------------


def test_duplicate_and_blank_codes_are_refused(tmp_path):
    frame = rd_frame(
        {"code": ["BU01500401", "BU01500401", None], "name": ["A", "A (2)", "C"]}, squares(3)
    )
    path = tmp_path / "dubbel.gpkg"
    pyogrio.write_dataframe(frame, path)
    with pytest.raises(ProblemList, match=r"^2 problems:") as caught:
        read_areas(path)
    first, second = (str(p) for p in caught.value.problems)
    assert first.startswith(
        "dubbel.gpkg, feature 2, column 'code': code 'BU01500401' is also "
        "the code of feature 1. Each area needs its own code"
    )
    assert second.startswith("dubbel.gpkg, feature 3, column 'code': no code.")


def test_level_unknown_from_code_is_refused(tmp_path):
    frame = rd_frame({"code": ["0150-04"], "name": ["Voorstad"]}, squares(1))
    pyogrio.write_dataframe(frame, tmp_path / "a.gpkg")
    with pytest.raises(
        SchemaError,
        match=r"a\.gpkg, feature 1: cannot tell whether '0150-04' "
        r"is a gemeente, wijk or buurt",
    ):
        read_areas(tmp_path / "a.gpkg")


def test_non_numeric_figure_is_refused(tmp_path):
    frame = rd_frame({"code": ["BU01500401"], "name": ["A"], "inwoners": ["veel"]}, squares(1))
    pyogrio.write_dataframe(frame, tmp_path / "a.gpkg")
    with pytest.raises(
        SchemaError,
        match=r"a\.gpkg, feature 1, column 'inwoners': 'veel' is "
        r"not a number",
    ):
        read_areas(tmp_path / "a.gpkg")


def test_unknown_level_value_is_refused(tmp_path):
    frame = rd_frame({"code": ["BU01500401"], "name": ["A"], "level": ["straat"]}, squares(1))
    pyogrio.write_dataframe(frame, tmp_path / "a.gpkg")
    with pytest.raises(
        SchemaError,
        match=r"column 'level': unknown level 'straat'\. Use one of: "
        r"gemeente, wijk, buurt",
    ):
        read_areas(tmp_path / "a.gpkg")


def test_an_assets_only_mapping_leaves_areas_to_detection(tmp_path):
    frame = rd_frame({"statcode": ["WK015004"], "statnaam": ["Voorstad"]}, squares(1))
    pyogrio.write_dataframe(frame, tmp_path / "w.gpkg")
    result = read_areas(tmp_path / "w.gpkg", mapping="deventer_wijkteams")
    assert result.frame["code"].tolist() == ["WK015004"]
    assert result.notes[:2] == [
        "Mapping 'deventer_wijkteams' has no [areas] section; read w.gpkg without it.",
        "Recognised the columns of CBS gebiedsindeling 2014 (statcode, statnaam): "
        "used mapping 'cbs_2014'.",
    ]


# --- repair notes name their file ----------------------------------------------------------------


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[6.16, 52.25], [6.18, 52.27], [6.18, 52.25], [6.16, 52.27], [6.16, 52.25]]],
}


def _bowtie_file(path: Path, code: str, name: str, level: str) -> Path:
    feature = {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level},
        "geometry": BOWTIE,
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_repair_notes_start_with_their_file_name(tmp_path):
    wijken = _bowtie_file(tmp_path / "wijken.geojson", "WK015004", "Vlinder", "wijk")
    buurten = _bowtie_file(tmp_path / "buurten.geojson", "BU01500401", "Vlinder", "buurt")
    notes = read_area_files([wijken, buurten]).notes
    repaired = [n for n in notes if "Repaired" in n]
    assert [n.split(": ")[0] for n in repaired] == ["wijken.geojson", "buurten.geojson"]
    assert localise(repaired[1], "nl").startswith(
        "buurten.geojson: object 1 ('Vlinder') is hersteld"
    )
