"""Bounded imports: limits on size, features, layers and text, checked before a file is read.

The limits are settings (``ASSET_MAP_MAX_*``) with defaults that a gemeente never reaches;
here they are set low to meet them with small files. A refusal names the file, what it
holds, the limit and the setting; a text that is too long is cut, and a note says where.
Large files are read by GDAL in batches: the result is the same as reading them whole.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from asset_map import settings
from asset_map._errors import AssetMapError, ImportFormatError
from asset_map.i18n import explain, localise
from asset_map.io import asset_files, formats, gdal_read, read_assets
from asset_map.io.formats import list_layers, read_raw, read_table

X0, Y0 = 208000.0, 473000.0  # Deventer, RD New


def places(n: int, **columns: list) -> gpd.GeoDataFrame:
    """``n`` places 50 m apart in Deventer (EPSG:4326) with a name and a type."""
    frame = gpd.GeoDataFrame(
        {
            "id": [f"p{k}" for k in range(n)],
            "name": [f"Plek {k}" for k in range(n)],
            "type": ["buurthuis"] * n,
            **columns,
        },
        geometry=[shapely.Point(X0 + 50 * k, Y0) for k in range(n)],
        crs=28992,
    )
    return frame.to_crs(4326)


@pytest.fixture
def limits(monkeypatch):
    """Set a limit for this test: ``limits("FEATURES", 10)``."""

    def set_limit(name: str, value: int) -> None:
        monkeypatch.setenv(f"ASSET_MAP_MAX_{name}", str(value))

    return set_limit


@pytest.fixture
def nothing_read(monkeypatch):
    """Fail the test when a file's features are read (only its size and header may be)."""

    def never(*_args, **_kwargs):
        raise AssertionError("the features were read before the limit refused the file")

    for name in ("_read_geojson", "read_in_batches"):
        monkeypatch.setattr(formats, name, never)
    monkeypatch.setattr(formats.pyogrio, "read_dataframe", never)


def _refusal(path: Path, **kwargs) -> str:
    with pytest.raises(ImportFormatError) as caught:
        read_raw(path, **kwargs)
    return explain(caught.value, "en")


# --- file size -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path, limits, nothing_read, suffix
):
    path = tmp_path / f"groot{suffix}"
    with path.open("wb") as handle:  # 2 MB; its content never matters
        handle.write(b"x" * 2_000_001)
    limits("FILE_MB", 1)
    message = _refusal(path)
    assert message == (
        f"groot{suffix}: the file is 2 MB; the app reads files up to 1 MB (setting "
        "ASSET_MAP_MAX_FILE_MB). Split the file, or ask the administrator to raise the limit."
    )


def test_an_openstreetmap_json_over_the_size_limit_is_refused(tmp_path, limits):
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps({"version": 0.6, "elements": [{"type": "node"}] * 100_000}))
    limits("FILE_MB", 1)
    with pytest.raises(ImportFormatError, match="ASSET_MAP_MAX_FILE_MB"):
        asset_files.read_any_assets(path)


def test_a_large_openstreetmap_json_is_told_by_its_head_and_refused(tmp_path, monkeypatch):
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps({"version": 0.6, "elements": [{"type": "node", "id": 1}] * 5000}))
    monkeypatch.setattr(asset_files, "STREAM_BYTES", 100)  # told from the first bytes
    monkeypatch.setattr(asset_files, "OSM_JSON_BYTES", 1000)
    assert asset_files.osm_kind(path) == "overpass"
    with pytest.raises(ImportFormatError) as caught:
        asset_files.read_any_assets(path)
    assert ".osm.pbf" in explain(caught.value, "en")


# --- features --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gpkg", ".zip"])
def test_features_over_the_limit_are_counted_from_the_header(
    tmp_path, limits, nothing_read, suffix
):
    path = tmp_path / f"plekken{suffix}"
    if suffix == ".zip":
        places(50).to_file(tmp_path / "plekken.shp")
        with zipfile.ZipFile(path, "w") as zipped:
            for part in tmp_path.glob("plekken.*"):
                if part.suffix != ".zip":
                    zipped.write(part, part.name)
    else:
        places(50).to_file(path)
    limits("FEATURES", 10)
    message = _refusal(path)
    assert "holds 50 features; the app reads at most 10 (setting ASSET_MAP_MAX_FEATURES)" in (
        message
    )


def test_features_of_a_small_geojson_are_counted_after_parsing(tmp_path, limits):
    path = tmp_path / "plekken.geojson"
    places(50).to_file(path)
    limits("FEATURES", 10)
    assert "holds 50 features" in _refusal(path)


def test_a_large_geojson_stops_streaming_at_the_limit(tmp_path, limits, monkeypatch):
    path = tmp_path / "plekken.geojson"
    places(50).to_file(path)
    monkeypatch.setattr(formats, "STREAM_BYTES", 100)  # read by GDAL, as a large file is
    monkeypatch.setattr(gdal_read, "BATCH_ROWS", 4)
    limits("FEATURES", 10)
    seen: list[int] = []
    real = formats.pyogrio.open_arrow

    def counting(*args, **kwargs):
        with real(*args, **kwargs) as (meta, reader):
            yield meta, (seen.append(b.num_rows) or b for b in reader)

    monkeypatch.setattr(formats.pyogrio, "open_arrow", _contextmanager(counting))
    message = _refusal(path)
    assert "holds more than 10 features; the app reads at most 10" in message
    assert sum(seen) == 12 < 50


def _contextmanager(func):
    from contextlib import contextmanager

    return contextmanager(func)


def test_rows_of_a_csv_over_the_limit_are_refused(tmp_path, limits):
    path = tmp_path / "plekken.csv"
    rows = "\n".join(f"Plek {k};buurthuis;52.25;6.15" for k in range(50))
    path.write_text("naam;soort;lat;lon\n" + rows + "\n", encoding="utf-8")
    limits("FEATURES", 10)
    with pytest.raises(ImportFormatError, match="holds more than 10 features"):
        read_table(path)


# --- layers ----------------------------------------------------------------------------------


def test_a_geopackage_with_too_many_layers_is_refused_before_any_is_read(
    tmp_path, limits, nothing_read
):
    path = tmp_path / "lagen.gpkg"
    for k in range(5):
        formats.pyogrio.write_dataframe(places(2), path, layer=f"laag_{k}")
    limits("LAYERS", 3)
    expected = "lagen.gpkg: the file holds 5 layers; the app reads files with at most 3 layers"
    assert expected in _refusal(path)
    with pytest.raises(ImportFormatError, match="holds 5 layers"):
        list_layers(path)  # the layer choice of the screens too


def test_a_zip_with_too_many_shapefiles_is_refused(tmp_path, limits):
    path = tmp_path / "veel.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        for k in range(5):
            zipped.writestr(f"laag_{k}.shp", b"")
    limits("LAYERS", 3)
    assert "holds 5 layers" in _refusal(path)
    with pytest.raises(ImportFormatError, match="holds 5 layers"):
        list_layers(path)


def test_a_note_on_many_layers_names_a_few_of_them(tmp_path):
    path = tmp_path / "lagen.gpkg"
    for k in range(12):
        formats.pyogrio.write_dataframe(places(2), path, layer=f"laag_{k:02d}")
    notes = [localise(n, "en") for n in read_raw(path).notes]
    assert len(notes) == 1 and "and 7 more" in notes[0]


# --- texts -----------------------------------------------------------------------------------


def test_long_names_and_descriptions_are_cut_with_a_note(tmp_path, limits):
    frame = places(
        3,
        description=["kort", "b" * 250, None],
        address=["Straat 1", None, "a" * 120],
    )
    frame.loc[1, "name"] = "Buurthuis " * 30  # 300 characters
    path = tmp_path / "lang.geojson"
    frame.to_file(path)
    limits("NAME_CHARS", 100)
    limits("TEXT_CHARS", 200)
    result = read_assets(path)
    names, descriptions = result.frame["name"], result.frame["description"]
    assert names.iloc[1] == ("Buurthuis " * 10)[:99].rstrip() + "…"
    assert len(descriptions.iloc[1]) == 200 and descriptions.iloc[1].endswith("…")
    assert descriptions.iloc[0] == "kort" and result.frame["address"].iloc[2] == "a" * 120
    notes = [localise(n, "en") for n in result.notes]
    assert "lang.geojson: 1 texts in column name were longer than 100 characters and were " in (
        " ".join(notes)
    )
    assert any("column description" in n and "feature 2" in n for n in notes)


def test_long_area_names_are_cut_with_a_note(tmp_path, limits):
    from asset_map.io import read_areas

    square = shapely.box(X0, Y0, X0 + 500, Y0 + 500)
    areas = gpd.GeoDataFrame(
        {"code": ["BU01500101"], "name": ["Buurt " * 100], "level": ["buurt"]},
        geometry=[square],
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / "buurten.geojson"
    areas.to_file(path)
    limits("NAME_CHARS", 50)
    result = read_areas(path)
    assert len(result.frame["name"].iloc[0]) == 50
    assert any("column name" in localise(n, "en") for n in result.notes)


def test_the_defaults_cut_a_200_mb_text_to_10000_characters(tmp_path):
    path = tmp_path / "groot.geojson"
    places(1, description=["x" * 2_000_000]).to_file(path)
    result = read_assets(path)
    assert len(result.frame["description"].iloc[0]) == settings.MAX_TEXT_CHARS.default


# --- the settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("FEATURES", "0"), ("FEATURES", "veel"), ("FILE_MB", "-5"), ("LAYERS", "1e3")],
)
def test_a_wrong_limit_is_refused_with_its_name(monkeypatch, name, value):
    env = {f"ASSET_MAP_MAX_{name}": value}
    with pytest.raises(AssetMapError) as caught:
        settings.import_limits(env)
    assert f"ASSET_MAP_MAX_{name}='{value}'" in explain(caught.value, "en")
    assert "Geef een heel getal" in explain(caught.value, "nl")


def test_the_defaults_are_far_above_a_gemeente():
    limits = settings.import_limits({})
    assert (limits.file_bytes, limits.features, limits.layers) == (500_000_000, 2_000_000, 50)
    assert (limits.name_chars, limits.text_chars) == (200, 10_000)


# --- reading in batches is reading whole --------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_a_file_read_in_batches_gives_the_same_places(tmp_path, monkeypatch, suffix):
    rng = np.random.default_rng(3)
    frame = places(
        23,
        description=[None if k % 3 else f"Tekst {k}" for k in range(23)],
        capacity=[float(k) if k % 2 else np.nan for k in range(23)],
        status=["gepland" if k % 5 == 0 else "bestaand" for k in range(23)],
    )
    frame["geometry"] = frame.geometry.translate(*rng.normal(0, 1e-4, 2))
    path = tmp_path / f"plekken{suffix}"
    frame.to_file(path)
    whole = read_assets(path)
    monkeypatch.setattr(formats, "STREAM_BYTES", 10)
    monkeypatch.setattr(gdal_read, "BATCH_ROWS", 5)
    batched = read_assets(path)
    assert_geodataframe_equal(batched.frame, whole.frame, check_dtype=False)
    assert [str(n) for n in batched.notes] == [str(n) for n in whole.notes]
    assert isinstance(batched.frame, pd.DataFrame) and len(batched.frame) == 23
