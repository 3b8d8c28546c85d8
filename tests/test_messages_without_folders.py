"""Messages name a file by its own name, never by the folders it sits in on the server.

GDAL and the operating system name the files they cannot read with their whole path, such
as the private folder an upload is kept in (``/tmp/asset_map_upload_x/...``) or a path
inside a zip (``/vsizip//tmp/.../a.zip/a.shp``). The readers and the screens leave the
folders out.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from data_screen import upload, with_lindeveen

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.io.formats import read_raw
from asset_map.io.gdal_read import without_folders


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "'/tmp/asset_map_upload_ab12/wijken.gpkg' not recognized as a supported file format.",
            "'wijken.gpkg' not recognized as a supported file format.",
        ),
        ("/vsizip//srv/up/a.zip/map/a.shp: No such file", "a.shp: No such file"),
        (r"C:\Users\wim\Downloads\plekken.gpkg is kapot", "plekken.gpkg is kapot"),
        ("plekken.gpkg: no such layer", "plekken.gpkg: no such layer"),  # no folder: as it is
    ],
)
def test_without_folders_known_answers(text, shown):
    assert without_folders(text) == shown


@pytest.fixture
def deep(tmp_path) -> Path:
    folder = tmp_path / "asset_map_upload_3f9a" / "geheim"
    folder.mkdir(parents=True)
    return folder


def _message(path: Path) -> str:
    with pytest.raises(AssetMapError) as caught:
        read_raw(path)
    return explain(caught.value, "en")


def test_a_broken_geopackage_is_named_by_its_name(deep):
    broken = deep / "wijken.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    message = _message(broken)
    assert "wijken.gpkg" in message
    assert str(deep) not in message and "asset_map_upload" not in message


def test_a_broken_shapefile_in_a_zip_is_named_by_its_name(deep):
    archive = deep / "buurten.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("map/buurten.shp", b"not a shapefile at all")
    message = _message(archive)
    assert "buurten" in message
    assert str(deep) not in message and "vsizip" not in message


def test_a_large_broken_geojson_read_by_gdal_is_named_by_its_name(deep, monkeypatch):
    from asset_map.io import formats

    monkeypatch.setattr(formats, "STREAM_BYTES", 10)  # read by GDAL, as a large file is
    broken = deep / "plekken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature",')
    message = _message(broken)
    assert "plekken.geojson" in message
    assert str(deep) not in message


def test_the_data_screen_shows_no_server_folder(db, tmp_path):
    at = with_lindeveen(tmp_path)
    broken = tmp_path / "kapot.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    upload(at, "assets", broken)
    errors = [e.value for e in at.error]
    assert errors and any("kapot.gpkg" in e for e in errors)
    assert not any("asset_map_upload" in e or "/tmp/" in e for e in errors), errors
