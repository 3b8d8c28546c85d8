"""Round trips: write a canonical layer, read it back, compare with the CRS checked."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from asset_map._errors import CRSError, ImportFormatError, SchemaError
from asset_map.io import read_areas, read_assets, write_layer
from asset_map.io.writers import DBF_TEXT_BYTES

#: The formats of each layer, and the CRS a CSV needs when read back.
ASSET_FORMATS = ["geojson", "json", "gpkg", "zip", "csv"]
AREA_FORMATS = ["geojson", "gpkg", "zip"]


@pytest.mark.parametrize("crs", [None, "EPSG:28992"])
@pytest.mark.parametrize("suffix", ASSET_FORMATS)
def test_assets_round_trip(tiny_assets, tmp_path, suffix, crs):
    path = write_layer(tiny_assets, tmp_path / f"assets.{suffix}", crs=crs)
    back = read_assets(path, crs=crs if suffix == "csv" else None)
    exact = crs is None  # WGS84 is written as is; RD New goes there and back through pyproj
    assert_geodataframe_equal(back.frame, tiny_assets, check_crs=True, check_less_precise=not exact)
    assert back.notes == []


@pytest.mark.parametrize("crs", [None, "EPSG:28992"])
@pytest.mark.parametrize("suffix", AREA_FORMATS)
def test_areas_round_trip(tiny_areas, tmp_path, suffix, crs):
    path = write_layer(tiny_areas, tmp_path / f"areas.{suffix}", crs=crs)
    back = read_areas(path)
    assert_geodataframe_equal(back.frame, tiny_areas, check_crs=True, check_less_precise=True)
    assert back.notes == []


def test_csv_columns_lat_lon_and_rd(tiny_assets, tmp_path):
    wgs = pd.read_csv(write_layer(tiny_assets, tmp_path / "wgs.csv"))
    rd = pd.read_csv(write_layer(tiny_assets, tmp_path / "rd.csv", crs="EPSG:28992"))
    assert list(wgs.columns[-2:]) == ["lat", "lon"]
    assert list(rd.columns[-2:]) == ["x", "y"]
    assert rd["x"].tolist() == pytest.approx([208000, 208300, 208600], abs=1e-3)
    assert rd["y"].tolist() == pytest.approx([473000] * 3, abs=1e-3)


def test_csv_rd_read_back_needs_the_crs(tiny_assets, tmp_path):
    path = write_layer(tiny_assets, tmp_path / "rd.csv", crs="EPSG:28992")
    with pytest.raises(CRSError, match=r"rd\.csv: .*'x' and 'y'.*--crs EPSG:28992"):
        read_assets(path)


def test_zipped_shapefile_parts_and_short_names(tiny_areas, tmp_path):
    path = write_layer(tiny_areas, tmp_path / "areas.zip")
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert archive.read("areas.cpg").decode().strip().upper().replace("-", "") == "UTF8"
    assert names == ["areas.cpg", "areas.dbf", "areas.prj", "areas.shp", "areas.shx"]


def test_shapefile_cuts_long_text(tiny_assets, tmp_path):
    long_text = "ideeën " * 60  # 420 characters, more bytes
    frame = tiny_assets.assign(description=pd.Series([long_text, None, "kort"], dtype="str"))
    back = read_assets(write_layer(frame, tmp_path / "a.zip")).frame
    cut = back["description"].iloc[0]
    assert cut.endswith("…") and long_text.startswith(cut[:-1])
    assert len(cut.encode("utf-8")) <= DBF_TEXT_BYTES
    assert back["description"].iloc[2] == "kort"


def test_overwrites_an_existing_file(tiny_assets, tmp_path):
    path = write_layer(tiny_assets, tmp_path / "a.geojson")
    write_layer(tiny_assets.iloc[:1], path)
    assert len(read_assets(path).frame) == 1


def test_writer_refusals(tiny_assets, tiny_areas, tmp_path):
    with pytest.raises(SchemaError, match=r"areas\.csv: a CSV holds points only.*Polygon"):
        write_layer(tiny_areas, tmp_path / "areas.csv")
    with pytest.raises(CRSError, match=r"EPSG:3857.*EPSG:4326.*EPSG:28992"):
        write_layer(tiny_assets, tmp_path / "a.geojson", crs="EPSG:3857")
    with pytest.raises(ImportFormatError, match=r"a\.kml: cannot write '\.kml'"):
        write_layer(tiny_assets, tmp_path / "a.kml")
    with pytest.raises(CRSError, match="has no coordinate reference system"):
        write_layer(tiny_assets.set_crs(None, allow_override=True), tmp_path / "a.geojson")


@pytest.mark.parametrize("suffix", ["gpkg", "zip", "csv"])
def test_real_deventer_assets_round_trip(tmp_path, suffix, real_file):
    path = real_file("deventer_wijkteams/deventer_wijkteam_assets.geojson")
    assets = read_assets(path, mapping="deventer_wijkteams").frame
    if suffix == "zip":  # Shapefile texts hold 254 bytes; compare what a Shapefile can hold
        short = assets["description"].str.encode("utf-8").str.len() <= DBF_TEXT_BYTES
        assets = assets[short.fillna(True)].reset_index(drop=True)
    back = read_assets(write_layer(assets, tmp_path / f"a.{suffix}")).frame
    assert_geodataframe_equal(back, assets, check_crs=True)
