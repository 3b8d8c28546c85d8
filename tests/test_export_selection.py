"""Exports of the planner's selection: round trips of every format in both CRSs, CRS checked."""

from __future__ import annotations

import io
import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import CRS

from asset_map._errors import CRSError, ImportFormatError, SchemaError
from asset_map.io import read_assets
from asset_map.io.export import (
    ATTRIBUTION_COLUMN,
    EXPORT_FORMATS,
    selection_bytes,
    selection_frame,
    write_selection,
)
from asset_map.io.osm import OSM_ATTRIBUTION

CRSS = ["EPSG:4326", "EPSG:28992"]
#: Coordinates must come back within 1e-6 degrees (WGS84) or 1 cm (RD New).
TOLERANCE = {"EPSG:4326": 1e-6, "EPSG:28992": 0.01}
SUFFIX = {"csv": "csv", "geojson": "geojson", "gpkg": "gpkg"}


@pytest.fixture
def selection(tiny_assets) -> gpd.GeoDataFrame:
    """The tiny assets with their area codes (one outside every buurt) and one from OSM."""
    out = tiny_assets.copy()
    out["buurt_code"] = pd.Series(["BU01500401", "BU01500402", None], dtype="object")
    out["wijk_code"] = pd.Series(["WK015004", "WK015004", None], dtype="object")
    out["source"] = pd.Series(["test", "OpenStreetMap", "test"], dtype="str")
    return out


def _xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _geopandas_read(path, fmt: str, crs: str) -> gpd.GeoDataFrame:
    if fmt != "csv":
        return gpd.read_file(path)
    table = pd.read_csv(path, encoding="utf-8-sig", dtype={"buurt_code": "str"})
    x, y = ("lon", "lat") if crs == "EPSG:4326" else ("x", "y")
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table[x], table[y]), crs=crs)


@pytest.mark.parametrize("crs", CRSS)
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip(selection, tmp_path, fmt, crs):
    data = selection_bytes(selection, fmt=fmt, crs=crs)
    path = tmp_path / f"selectie.{SUFFIX[fmt]}"
    path.write_bytes(data)

    # 1. geopandas (as a GIS reads it): in the CRS asked for, coordinates within tolerance.
    back = _geopandas_read(path, fmt, crs)
    assert CRS.from_user_input(back.crs) == CRS.from_user_input(crs)
    np.testing.assert_allclose(_xy(back), _xy(selection.to_crs(crs)), atol=TOLERANCE[crs], rtol=0)
    assert back["name"].tolist() == selection["name"].tolist()
    assert back["buurt_code"].iloc[:2].tolist() == ["BU01500401", "BU01500402"]
    assert pd.isna(back["buurt_code"].iloc[2])
    assert back[ATTRIBUTION_COLUMN].iloc[1] == OSM_ATTRIBUTION

    # 2. our own reader: the canonical frame again, in EPSG:4326.
    read = read_assets(path, crs=crs if fmt == "csv" else None)
    assert read.frame.crs == "EPSG:4326"
    np.testing.assert_allclose(_xy(read.frame), _xy(selection), atol=1e-6, rtol=0)
    columns = ["id", "name", "type", "description", "address", "tags", "status"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(read.frame[columns]), pd.DataFrame(selection[columns]).reset_index(drop=True)
    )
    np.testing.assert_array_equal(read.frame["capacity"], selection["capacity"])


def test_geojson_in_rd_names_its_crs(selection):
    data = json.loads(selection_bytes(selection, fmt="geojson", crs="EPSG:28992"))
    assert "28992" in data["crs"]["properties"]["name"]
    x, y = data["features"][0]["geometry"]["coordinates"]
    assert x == pytest.approx(208000, abs=0.01) and y == pytest.approx(473000, abs=0.01)
    # In WGS84 GDAL names CRS84: longitude first, as RFC 7946 has it.
    wgs = json.loads(selection_bytes(selection, fmt="geojson"))
    assert wgs["crs"]["properties"]["name"].endswith("CRS84")
    assert wgs["features"][0]["geometry"]["coordinates"][0] == pytest.approx(6.16, abs=0.05)


def test_csv_columns(selection):
    wgs = pd.read_csv(io.BytesIO(selection_bytes(selection, fmt="csv")), encoding="utf-8-sig")
    rd = pd.read_csv(io.BytesIO(selection_bytes(selection, fmt="csv", crs="EPSG:28992")))
    assert list(wgs.columns[-2:]) == ["lat", "lon"] and list(rd.columns[-2:]) == ["x", "y"]
    assert {"buurt_code", "wijk_code", ATTRIBUTION_COLUMN} <= set(wgs.columns)
    assert rd["x"].tolist() == pytest.approx([208000, 208300, 208600], abs=0.01)


def test_geopackage_layer_and_srs(selection, tmp_path):
    path = tmp_path / "s.gpkg"
    path.write_bytes(selection_bytes(selection, fmt="gpkg", crs="EPSG:28992"))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT table_name, srs_id FROM gpkg_geometry_columns").fetchall()
    assert rows == [("assets", 28992)]


def test_no_attribution_without_osm_rows(tiny_assets):
    assert ATTRIBUTION_COLUMN not in selection_frame(tiny_assets).columns


def test_write_selection_format_from_suffix_and_replace(selection, tmp_path):
    path = write_selection(selection, tmp_path / "a.json")
    assert json.loads(path.read_text())["type"] == "FeatureCollection"
    write_selection(selection.iloc[:1], path)
    assert len(read_assets(path).frame) == 1
    gpkg = write_selection(selection, tmp_path / "kaart.gpkg", crs="EPSG:28992")
    assert gpd.read_file(gpkg, layer="kaart").crs == "EPSG:28992"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "kaart.gpkg"]


def test_write_selection_refusals_leave_nothing(selection, tmp_path):
    with pytest.raises(ImportFormatError, match=r"a\.txt: cannot tell the format.*\.csv"):
        write_selection(selection, tmp_path / "a.txt")
    with pytest.raises(ImportFormatError, match=r"Unknown export format 'shp'.*csv, geojson, gpkg"):
        write_selection(selection, tmp_path / "a.csv", fmt="shp")
    with pytest.raises(ImportFormatError, match=r"the folder .*nope does not exist"):
        write_selection(selection, tmp_path / "nope" / "a.csv")
    with pytest.raises(CRSError, match=r"EPSG:4326 .* or EPSG:28992"):
        write_selection(selection, tmp_path / "a.csv", crs="EPSG:3857")
    with pytest.raises(SchemaError, match=r"no column 'status'"):
        write_selection(selection.drop(columns="status"), tmp_path / "a.csv")
    assert list(tmp_path.iterdir()) == []  # no file, no scratch folder


def test_write_failure_keeps_the_old_file(selection, tmp_path):
    path = write_selection(selection, tmp_path / "a.geojson")
    before = path.read_bytes()
    with pytest.raises(CRSError):
        write_selection(selection, path, crs="EPSG:3857")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.geojson"]


def test_empty_selection_writes_a_header(selection):
    table = pd.read_csv(io.BytesIO(selection_bytes(selection.iloc[:0], fmt="csv")))
    assert len(table) == 0 and "name" in table.columns
