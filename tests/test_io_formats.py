"""The raw readers: CSV dialects and encodings, CRS rules, layers, and number parsing."""

from __future__ import annotations

import json
import math
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import CRS
from shapely.geometry import Point

from asset_map._errors import CRSError, ImportFormatError, SchemaError
from asset_map.io import read_assets
from asset_map.io.cells import parse_number
from asset_map.io.formats import read_raw, read_table

ENKHUIS_RD = (208000.0, 473000.0)


def places_rd() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Enkhuis", "Uithoek"], "type": ["buurthuis", "buurthuis"]},
        geometry=[Point(*ENKHUIS_RD), Point(208500, 473200)],
        crs="EPSG:28992",
    )


# --- CSV -------------------------------------------------------------------------------------


def test_dutch_excel_csv_semicolons_decimal_commas_cp1252(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "naam;soort;breedtegraad;lengtegraad\r\n"
        "Café ’t Hoekje;winkel;52,2553;6,1701\r\n"
        "Speeltuin Kindervreugd;speeltuin met clubhuis;52,26;6,18\r\n".encode("cp1252")
    )
    result = read_assets(path)
    frame = result.frame
    assert frame["name"].tolist() == ["Café ’t Hoekje", "Speeltuin Kindervreugd"]
    assert frame.geometry.y.tolist() == [52.2553, 52.26]
    assert frame.geometry.x.tolist() == [6.1701, 6.18]
    assert "excel.csv is not UTF-8; read it as Windows-1252 (cp1252)." in result.notes


def test_utf8_bom_and_quoted_commas(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeffname,type,description,lat,lon\n"
        '"Enkhuis",buurthuis,"koffie, thee",52.25,6.17\n'.encode()
    )
    frame = read_assets(path).frame
    assert frame["name"].tolist() == ["Enkhuis"]  # the BOM is not part of the first header
    assert frame["description"].tolist() == ["koffie, thee"]


def test_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("name,type,lat,lon\nA,park,52.25,6.17\n\n,,,\nB,park,noord,6.17\n")
    table = read_table(tmp_path / "gaps.csv")
    assert table.rows.tolist() == [2, 5]
    with pytest.raises(SchemaError, match=r"gaps\.csv, row 5, column 'lat': 'noord'"):
        read_assets(path)


@pytest.mark.parametrize(
    ("header", "kwargs", "epsg"),
    [
        ("lat,lon", {}, 4326),
        ("Latitude,Longitude", {}, 4326),
        ("y_wgs84,lng", {}, 4326),
        ("rd_y,rd_x", {}, 28992),
        ("y_rd,x_rd", {"crs": "EPSG:28992"}, 28992),
        ("y,x", {"crs": "EPSG:28992"}, 28992),
        ("ycoord,xcoord", {"crs": "RD"}, 28992),
    ],
)
def test_csv_coordinate_columns_and_their_crs(tmp_path, header, kwargs, epsg):
    lat_or_y, lon_or_x = (52.2425, 6.1632) if epsg == 4326 else (473000, 208000)
    path = tmp_path / "p.csv"
    path.write_text(f"name,type,{header}\nEnkhuis,buurthuis,{lat_or_y},{lon_or_x}\n")
    raw = read_raw(path, **kwargs)
    assert CRS.from_user_input(raw.frame.crs).to_epsg() == epsg
    point = read_assets(path, **kwargs).frame.geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((6.1632, 52.2425), abs=1e-4)


def test_csv_lat_lon_with_another_crs_given(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,type,lat,lon\nA,park,52.25,6.17\n")
    with pytest.raises(
        CRSError,
        match=r"p\.csv: the file says its CRS is EPSG:4326, but "
        r"EPSG:28992 was given",
    ):
        read_assets(path, crs="EPSG:28992")


def test_empty_coordinates_drop_the_row(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,type,lat,lon\nA,park,52.25,6.17\nB,park,,\n")
    result = read_assets(path)
    assert result.frame["name"].tolist() == ["A"]
    assert "p.csv: Dropped row 3 ('B'): it has no geometry." in result.notes


def test_header_without_rows(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,type,lat,lon\n")
    with pytest.raises(ImportFormatError, match=r"p\.csv: the file has a header but no data rows"):
        read_assets(path)


# --- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_with_an_rd_crs_member(tmp_path):
    path = tmp_path / "rd.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                "features": [
                    {
                        "type": "Feature",
                        "id": 17,
                        "properties": {"name": "Enkhuis", "type": "buurthuis"},
                        "geometry": {"type": "Point", "coordinates": list(ENKHUIS_RD)},
                    }
                ],
            }
        )
    )
    frame = read_assets(path).frame
    assert frame.geometry.iloc[0].x == pytest.approx(6.1632, abs=1e-4)
    assert frame["id"].tolist() == ["17"]  # the feature's own id
    with pytest.raises(CRSError, match=r"says its CRS is EPSG:28992, but EPSG:4326 was given"):
        read_assets(path, crs="EPSG:4326")


def test_geojson_without_crs_member_takes_the_given_crs(tmp_path):
    path = tmp_path / "old.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Enkhuis", "type": "buurthuis"},
                        "geometry": {"type": "Point", "coordinates": [*ENKHUIS_RD, 9.5]},
                    }
                ],
            }
        )
    )
    point = read_assets(path, crs="EPSG:28992").frame.geometry.iloc[0]
    assert not point.has_z
    assert (point.x, point.y) == pytest.approx((6.1632, 52.2425), abs=1e-4)


def test_geojson_not_a_feature_inside(tmp_path):
    path = tmp_path / "odd.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "A"}, "geometry": None},
                    ["not", "one"],
                ],
            }
        )
    )
    with pytest.raises(ImportFormatError, match=r"odd\.geojson, feature 2: not a GeoJSON Feature"):
        read_assets(path)


# --- GeoPackage and Shapefile ----------------------------------------------------------------


def test_geopackage_layers(tmp_path):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(places_rd(), path, layer="plekken")
    pyogrio.write_dataframe(places_rd().iloc[:1], path, layer="extra")
    first = read_assets(path)
    assert len(first.frame) == 2
    assert first.notes[0] == (
        "two.gpkg holds 2 layers (plekken, extra); read the first, 'plekken'. "
        "Choose another with the layer option."
    )
    assert len(read_assets(path, layer="extra").frame) == 1


def test_shapefile_plain_and_zipped_with_two_layers(tmp_path):
    pyogrio.write_dataframe(places_rd(), tmp_path / "a.shp", encoding="UTF-8")
    pyogrio.write_dataframe(places_rd().iloc[:1], tmp_path / "b.shp", encoding="UTF-8")
    assert len(read_assets(tmp_path / "a.shp").frame) == 2
    path = tmp_path / "both.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for stem in ("a", "b"):
            for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                archive.write(tmp_path / f"{stem}{suffix}", arcname=f"data/{stem}{suffix}")
    result = read_assets(path)
    assert len(result.frame) == 2
    assert result.notes[0].startswith("both.zip holds 2 Shapefiles; read the first, 'data/a.shp'")
    assert len(read_assets(path, layer="b").frame) == 1
    with pytest.raises(ImportFormatError, match=r"no Shapefile 'c' in the zip"):
        read_assets(path, layer="c")


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("52.25", 52.25), ("52,25", 52.25), (" -3 ", -3.0), ("1e3", 1000.0), (7, 7.0)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", ".", "x", None, "  ", float("nan")])
def test_parse_number_missing(text):
    assert math.isnan(parse_number(text))


@pytest.mark.parametrize("text", ["abc", "1.234,5", "52,25,1", True, "-"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_a_written_float(value):
    assert parse_number(repr(value)) == value
    if "e" not in repr(value):
        assert parse_number(repr(value).replace(".", ",")) == value


def test_shapefile_without_prj_takes_the_given_crs(tmp_path):
    pyogrio.write_dataframe(places_rd(), tmp_path / "p.shp", encoding="UTF-8")
    (tmp_path / "p.prj").unlink()
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".cpg"):
            archive.write(tmp_path / f"p{suffix}", arcname=f"p{suffix}")
    point = read_assets(path, crs="EPSG:28992").frame.geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((6.1632, 52.2425), abs=1e-4)
