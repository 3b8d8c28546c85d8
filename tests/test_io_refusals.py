"""Malformed files: each is refused whole, with its own error class and a message that names
the file, the row or feature, the column, and the fix."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from asset_map._errors import (
    AssetMapError,
    CRSError,
    ImportFormatError,
    MappingError,
    ProblemList,
    SchemaError,
)
from asset_map.io import read_areas, read_assets


def feature_collection(*features: tuple[dict, list | None]) -> str:
    """GeoJSON text of points: (properties, [lon, lat] or None)."""
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": None if xy is None else {"type": "Point", "coordinates": xy},
                }
                for props, xy in features
            ],
        }
    )


def shapefile_zip_without_prj(folder: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {"name": ["A"], "type": ["school"]}, geometry=[Point(208000, 473000)], crs="EPSG:28992"
    )
    pyogrio.write_dataframe(frame, folder / "places.shp", encoding="UTF-8")
    path = folder / "places.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".cpg"):
            archive.write(folder / f"places{suffix}", arcname=f"places{suffix}")
    return path


def zip_without_shp(folder: Path) -> Path:
    path = folder / "docs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no shapes here")
    return path


def rd_geopackage(folder: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {"name": ["A"], "type": ["school"]}, geometry=[Point(208000, 473000)], crs="EPSG:28992"
    )
    path = folder / "places.gpkg"
    pyogrio.write_dataframe(frame, path, layer="places")
    return path


def bad_mapping(folder: Path) -> Path:
    (folder / "bad_mapping.toml").write_text(
        '[assets.type]\nfrom = ["soort"]\n[assets.type.soort]\n"zwembad" = "swimming_pool"\n'
    )
    path = folder / "places.csv"
    path.write_text("name,soort,lat,lon\nBad De Scheg,zwembad,52.25,6.19\n")
    return path


IN_NL = [6.16, 52.26]
OK = {"name": "A", "type": "school"}

#: (id, file name, content or builder, reader, keyword arguments, error class, match)
CASES: list[tuple[str, str, str | Callable[[Path], Path], Callable, dict, type, str]] = [
    (
        "broken json",
        "bad.geojson",
        '{"type": "FeatureCollection",\n  "features": [}',
        read_assets,
        {},
        ImportFormatError,
        r"bad\.geojson: broken JSON at line 2, column 16: Expecting value",
    ),
    (
        "empty file",
        "empty.geojson",
        "",
        read_assets,
        {},
        ImportFormatError,
        r"empty\.geojson: the file is empty",
    ),
    (
        "blank json",
        "blank.json",
        "  \n",
        read_assets,
        {},
        ImportFormatError,
        r"blank\.json: the file is empty",
    ),
    (
        "no features",
        "none.geojson",
        '{"type": "FeatureCollection", "features": []}',
        read_assets,
        {},
        ImportFormatError,
        r"none\.geojson: the FeatureCollection has no features",
    ),
    (
        "not a collection",
        "one.geojson",
        '{"type": "Feature", "properties": {}, "geometry": null}',
        read_assets,
        {},
        ImportFormatError,
        r"one\.geojson: a GeoJSON FeatureCollection is expected.*'Feature'",
    ),
    (
        "all geometry null",
        "nulls.geojson",
        feature_collection((OK, None), (OK, None)),
        read_assets,
        {},
        ImportFormatError,
        r"nulls\.geojson: none of the 2 features has a geometry",
    ),
    (
        "broken geometry",
        "broken.geojson",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[6, 52], [6.1, 52]]]}}]}',
        read_assets,
        {},
        ImportFormatError,
        r"broken\.geojson, feature 1: broken geometry",
    ),
    (
        "csv without coordinates",
        "list.csv",
        "naam,soort\nDe Uithoek,buurthuis\n",
        read_assets,
        {},
        ImportFormatError,
        r"list\.csv: no coordinate columns\. Found the columns: naam, soort\. "
        r"Accepted names: latitude lat/latitude/breedtegraad/y_wgs84",
    ),
    (
        "csv with lat but no lon",
        "half.csv",
        "name,lat\nA,52.2\n",
        read_assets,
        {},
        ImportFormatError,
        r"half\.csv: found the coordinate column 'lat' but not its partner",
    ),
    (
        "csv non-numeric lat",
        "places.csv",
        "name,type,lat,lon\nA,school,52.25,6.15\nB,school,abc,6.16\n",
        read_assets,
        {},
        SchemaError,
        r"places\.csv, row 3, column 'lat': 'abc' is not a number",
    ),
    (
        "csv row too long",
        "commas.csv",
        "name,type,lat,lon\nA,school,52,25,6,15\n",
        read_assets,
        {},
        ImportFormatError,
        r"commas\.csv, row 2: 6 cells but the header has 4 columns.*decimal",
    ),
    (
        "rd metres as degrees",
        "rd.geojson",
        feature_collection(({"name": "Enkhuis", "type": "buurthuis"}, [208000, 473000])),
        read_assets,
        {},
        CRSError,
        r"rd\.geojson: 1 of 1 features lie outside the Netherlands.*feature 1 \('Enkhuis'\) "
        r"at \(208000, 473000\).*look like RD New metres: give the CRS EPSG:28992",
    ),
    (
        "lat lon swapped",
        "swapped.csv",
        "name,type,lat,lon\nA,school,6.15,52.25\nB,school,6.16,52.26\n",
        read_assets,
        {},
        CRSError,
        r"swapped\.csv: 2 of 2 features lie outside.*row 2 \('A'\).*row 3 \('B'\)"
        r".*Latitude and longitude look swapped",
    ),
    (
        "degrees given as rd",
        "deg.csv",
        "name,type,x,y\nA,school,6.15,52.25\n",
        read_assets,
        {"crs": "EPSG:28992"},
        CRSError,
        r"deg\.csv: .*outside.*look like longitude/latitude",
    ),
    (
        "unknown type",
        "places.csv",
        "name,type,lat,lon\nBad De Scheg,zwembad,52.25,6.19\n",
        read_assets,
        {},
        SchemaError,
        r"places\.csv, row 2, column 'type': unknown asset type 'zwembad'\. Add it to a mapping "
        r"file under \[assets\.type\.type\] .* or use one of: talent, vereniging",
    ),
    (
        "missing name column",
        "places.csv",
        "titel_x,type,lat,lon\nA,school,52.25,6.19\n",
        read_assets,
        {},
        SchemaError,
        r"places\.csv: no name column\. Found the columns: titel_x, type\. Call the column 'name'",
    ),
    (
        "xy without crs",
        "xy.csv",
        "name,type,x,y\nA,school,208000,473000\n",
        read_assets,
        {},
        CRSError,
        r"xy\.csv: its coordinate columns 'x' and 'y' do not say which CRS.*"
        r"give the CRS, e\.g\. --crs EPSG:28992 for RD New",
    ),
    (
        "shapefile without prj",
        "places.zip",
        shapefile_zip_without_prj,
        read_assets,
        {},
        CRSError,
        r"places\.zip: it has no \.prj file, so its CRS is unknown.*--crs EPSG:28992",
    ),
    (
        "zip without shp",
        "docs.zip",
        zip_without_shp,
        read_assets,
        {},
        ImportFormatError,
        r"docs\.zip: the zip holds no \.shp file \(found: readme\.txt\)",
    ),
    (
        "not a zip",
        "fake.zip",
        "hello",
        read_assets,
        {},
        ImportFormatError,
        r"fake\.zip: not a valid zip file",
    ),
    (
        "crs conflict",
        "places.gpkg",
        rd_geopackage,
        read_assets,
        {"crs": "EPSG:4326"},
        CRSError,
        r"places\.gpkg: the file says its CRS is EPSG:28992, but EPSG:4326 was given",
    ),
    (
        "unknown layer",
        "places.gpkg",
        rd_geopackage,
        read_assets,
        {"layer": "wegen"},
        ImportFormatError,
        r"places\.gpkg: there is no layer 'wegen'\. Layers: places",
    ),
    (
        "unknown extension",
        "places.xlsx",
        "whatever",
        read_assets,
        {},
        ImportFormatError,
        r"places\.xlsx: unknown file type '\.xlsx'\. Use one of: \.geojson",
    ),
    (
        "unknown crs",
        "xy.csv",
        "name,type,x,y\nA,school,1,2\n",
        read_assets,
        {"crs": "EPSG:999999"},
        CRSError,
        r"Unknown CRS 'EPSG:999999'",
    ),
    (
        "mapping with unknown type key",
        "places.csv",
        bad_mapping,
        read_assets,
        {"mapping": "bad_mapping.toml"},
        MappingError,
        r'bad_mapping\.toml: \[assets\.type\.soort\] "zwembad" = "swimming_pool": '
        r'"swimming_pool" is not an asset type key\. Use one of: talent',
    ),
    (
        "areas without code",
        "areas.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"naam": "Voorstad"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[6.1, 52.2], [6.2, 52.2], [6.2, 52.3], [6.1, 52.2]]],
                        },
                    }
                ],
            }
        ),
        read_areas,
        {},
        SchemaError,
        r"areas\.geojson: no code column\. Found the columns: naam\. Areas need a CBS code",
    ),
    (
        "areas that are points",
        "points.geojson",
        feature_collection(({"code": "BU01500401", "name": "Rode Dorp"}, IN_NL)),
        read_areas,
        {},
        ImportFormatError,
        r"points\.geojson: areas need polygons, but the features are Point",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "reader", "kwargs", "error", "match"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_refused(tmp_path, monkeypatch, name, content, reader, kwargs, error, match):
    monkeypatch.chdir(tmp_path)  # mapping files are named relative to the folder
    if callable(content):
        path = content(tmp_path)
    else:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=match):
        reader(path, **kwargs)


def test_missing_file(tmp_path):
    with pytest.raises(ImportFormatError, match=r"gone\.geojson: file not found .*Check the path"):
        read_assets(tmp_path / "gone.geojson")


def test_several_problems_are_raised_once(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "name,type,status,lat,lon\n"
        "A,zwembad,existing,52.25,6.15\n"
        "B,school,gesloopt,52.25,6.15\n"
        "C,school,existing,52.25,zes\n"
        "D,bakkerij,existing,52.25,6.15\n",
        encoding="utf-8",
    )
    # Coordinates are checked first (the file cannot be placed without them) ...
    with pytest.raises(SchemaError, match=r"many\.csv, row 4, column 'lon': 'zes'"):
        read_assets(path)
    path.write_text(path.read_text().replace("zes", "6.15"), encoding="utf-8")
    # ... then every row-level problem is collected and raised once.
    with pytest.raises(ProblemList, match=r"^3 problems:") as caught:
        read_assets(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("many.csv, row 2, column 'type': unknown asset type 'zwembad'")
    assert messages[1].startswith("many.csv, row 5, column 'type': unknown asset type 'bakkerij'")
    assert messages[2].startswith("many.csv, row 3, column 'status': unknown status 'gesloopt'")
    assert all(isinstance(p, AssetMapError) for p in caught.value.problems)


def test_nothing_half_imported_on_refusal(tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("name,type,lat,lon\nA,school,52.25,6.15\nB,zwembad,52.25,6.15\n")
    with pytest.raises(SchemaError):
        read_assets(path)
    # The refused file gave nothing back; fixing the one row imports both.
    path.write_text(path.read_text().replace("zwembad", "buurthuis"))
    assert read_assets(path).frame["type"].tolist() == ["school", "buurthuis"]
