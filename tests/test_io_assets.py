"""read_assets: the real Deventer wijkteam map, and what is repaired, dropped or assumed."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS

from asset_map._errors import SchemaError
from asset_map.io import load_mapping, read_assets
from asset_map.io.mapping import norm_value
from asset_map.model import ASSET_COLUMNS, catalogue

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


@pytest.fixture
def deventer(real_file):
    return read_assets(real_file(DEVENTER), mapping="deventer_wijkteams")


def write_points(path, features):
    """Write a GeoJSON of (properties, geometry) pairs."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": p, "geometry": g} for p, g in features
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def point(lon=6.17, lat=52.26):
    return {"type": "Point", "coordinates": [lon, lat]}


# --- the real Deventer wijkteam map ---------------------------------------------------------


def test_deventer_all_240_load_with_a_known_type(deventer):
    frame = deventer.frame
    assert list(frame.columns) == ASSET_COLUMNS
    assert len(frame) == 240
    assert frame["type"].notna().all()
    assert set(frame["type"]) <= set(catalogue().types)
    assert CRS.from_user_input(frame.crs) == CRS.from_epsg(4326)
    assert (frame.geom_type == "Point").all()
    assert frame["id"].is_unique
    assert deventer.notes == []


@pytest.mark.parametrize(
    ("name", "asset_type"),
    [
        ("Centrum Moskee Deventer", "gebedshuis"),
        ("Albert Heijn", "winkel"),
        ("enkhuis (buurthuis)", "buurthuis"),
        ("Uithoek (buurthuis) wijkraad bekkumer", "buurthuis"),
        (
            "Wijk- en Speeltuinvereniging De Driehoek , wandelverenigingdeventer",
            "speeltuin_clubhuis",
        ),
        ("Vrije School de Kleine Johannes", "school"),
        ("Go Ahead Eagles", "vereniging"),
        ("Huisartsen Hoge Hond", "zorg"),
        ("Dierenarts Deventer", "winkel"),
        ("Skatepark Deventer", "speelplek"),
        ("Rijsterborgherpark", "park"),
        ("buurttuin", "moestuin"),
        ("Gespreksruimte / huiskamer voor jongeren aan de Bierstraat", "wijkhuiskamer"),
        ("Buurtfeest Reigerstraat", "bewonersinitiatief"),
        ("DO stoelgym", "activiteit"),
        ("hondenpoep overlast", "overig"),
    ],
)
def test_deventer_concrete_types(deventer, name, asset_type):
    types = set(deventer.frame.loc[deventer.frame["name"] == name, "type"])
    assert types == {asset_type}


def test_deventer_counts_and_columns(deventer):
    frame = deventer.frame
    assert frame["tags"].value_counts().to_dict() == {
        "bewonersinitiatieven": 141,
        "locaties": 66,
        "activiteiten": 27,
        "themas": 6,
    }
    assert (frame.loc[frame["tags"] == "activiteiten", "type"] == "activiteit").all()
    assert (frame["source"] == "Wijkteams Deventer (rimvanvliet/wijkteams)").all()
    assert (frame["status"] == "existing").all()
    assert frame["capacity"].isna().all()
    assert frame.total_bounds == pytest.approx([6.142, 52.254, 6.197, 52.269], abs=1e-3)


def test_deventer_every_place_is_typed_by_a_rule_not_the_fallback(real_file):
    """Each `locaties` point matches an icon or name rule of the preset (none left to
    'locaties = overig')."""
    raw = json.loads(real_file(DEVENTER).read_text(encoding="utf-8"))
    rules = load_mapping("deventer_wijkteams").assets.type.rules
    places = [f["properties"] for f in raw["features"] if f["properties"]["category"] == "locaties"]
    assert len(places) == 66
    unmatched = [
        p["name"]
        for p in places
        if not any(r.matches({k: norm_value(v) for k, v in p.items()}) for r in rules)
    ]
    assert unmatched == []


def test_deventer_without_a_mapping_is_recognised_by_its_columns(real_file):
    result = read_assets(real_file(DEVENTER))
    mapped = read_assets(real_file(DEVENTER), mapping="deventer_wijkteams")
    assert len(result.frame) == 240
    assert list(result.frame["type"]) == list(mapped.frame["type"])
    assert "overig" in set(result.frame["type"]) and len(set(result.frame["type"])) > 5
    assert result.notes == [
        "Recognised the columns of deventer_wijkteam_assets.geojson: used mapping "
        "'deventer_wijkteams' to type the assets."
    ]


def test_a_file_without_a_type_column_and_no_mapping_is_refused(real_file, tmp_path):
    frame = gpd.read_file(real_file(DEVENTER)).drop(columns=["icon"])
    path = tmp_path / "zonder_icoon.geojson"
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(SchemaError, match=r"zonder_icoon.geojson: no type column.*--type KEY"):
        read_assets(path)
    typed = read_assets(path, type_key="vereniging")
    assert set(typed.frame["type"]) == {"vereniging"}
    with pytest.raises(SchemaError, match="'clubhuis' is not an asset type key"):
        read_assets(path, type_key="clubhuis")


def test_source_argument_overrides(real_file):
    result = read_assets(real_file(DEVENTER), mapping="deventer_wijkteams", source="Wijkteam 4")
    assert set(result.frame["source"]) == {"Wijkteam 4"}


# --- per-feature problems: reported in notes, not fatal ------------------------------------


def test_types_match_keys_labels_and_aliases(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "naam,soort,lat,lon\nA,Buurthuis,52.25,6.17\nB,kerk,52.25,6.17\nC,Speeltuin met "
        "clubhuis,52.25,6.17\nD, huis_van_de_wijk ,52.25,6.17\nE,,52.25,6.17\n",
        encoding="utf-8",
    )
    result = read_assets(path)
    assert result.frame["type"].tolist() == [
        "buurthuis",
        "gebedshuis",
        "speeltuin_clubhuis",
        "huis_van_de_wijk",
        "overig",
    ]
    assert "No type for 1 asset; typed 'overig': row 6 ('E')." in result.notes


def test_null_and_empty_geometries_are_dropped_and_named(tmp_path):
    path = write_points(
        tmp_path / "p.geojson",
        [
            ({"name": "Enkhuis", "type": "buurthuis"}, point()),
            ({"name": "Zonder plek", "type": "park"}, None),
            ({"name": "Leeg", "type": "park"}, {"type": "Point", "coordinates": []}),
        ],
    )
    result = read_assets(path)
    assert result.frame["name"].tolist() == ["Enkhuis"]
    assert "p.geojson: Dropped feature 2 ('Zonder plek'): it has no geometry." in result.notes
    assert "p.geojson: Dropped feature 3 ('Leeg'): its geometry is empty." in result.notes


def test_polygons_become_points_inside_them(tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[6.16, 52.25], [6.18, 52.27], [6.18, 52.25], [6.16, 52.27], [6.16, 52.25]]
        ],
    }
    square = {
        "type": "Polygon",
        "coordinates": [
            [[6.16, 52.25], [6.18, 52.25], [6.18, 52.27], [6.16, 52.27], [6.16, 52.25]]
        ],
    }
    path = write_points(
        tmp_path / "p.geojson",
        [
            ({"name": "Park", "type": "park"}, square),
            ({"name": "Vlinder", "type": "park"}, bowtie),
        ],
    )
    result = read_assets(path)
    assert (result.frame.geom_type == "Point").all()
    inside = result.frame.geometry.iloc[0]
    assert 6.16 < inside.x < 6.18 and 52.25 < inside.y < 52.27
    assert result.notes[-2:] == [
        "p.geojson: Placed feature 1 ('Park'), a Polygon, at one point on it (assets are points).",
        "p.geojson: Placed feature 2 ('Vlinder'), a Polygon, at one point on it "
        "(assets are points).",
    ]


def test_duplicate_and_missing_ids(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "id,name,type,lat,lon\n7,A,park,52.25,6.17\n7,B,park,52.25,6.17\n,C,park,52.25,6.17\n"
        "7-2,D,park,52.25,6.17\n",
        encoding="utf-8",
    )
    result = read_assets(path)
    assert result.frame["id"].tolist() == ["7", "7-3", "4", "7-2"]
    assert "Renumbered row 3 ('B'): its id '7' was already used; it is now '7-3'." in result.notes
    assert "No id for 1 row; numbered by row: row 4 ('C')." in result.notes


def test_missing_name_is_filled_from_the_type(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,type,lat,lon\n,speelplek,52.25,6.17\n", encoding="utf-8")
    result = read_assets(path)
    assert result.frame["name"].tolist() == ["Speelplek"]
    assert "No name for 1 asset; named after the type: row 2." in result.notes


def test_status_capacity_and_optional_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "naam;soort;status;capaciteit;adres;omschrijving;lat;lon\n"
        "Nieuw;buurthuis;gepland;40;Hoofdstraat 1;Komt in 2026;52,25;6,17\n"
        "Oud;buurthuis;;12,5;;;52,26;6,18\n",
        encoding="utf-8",
    )
    frame = read_assets(path).frame
    assert frame["status"].tolist() == ["planned", "existing"]
    assert frame["capacity"].tolist() == [40.0, 12.5]
    assert frame["address"].tolist()[0] == "Hoofdstraat 1"
    assert frame["description"].isna().tolist() == [False, True]
    assert frame["source"].tolist() == ["p.csv", "p.csv"]
    assert frame.geometry.x.tolist() == [6.17, 6.18]


def test_bad_capacity_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,type,capacity,lat,lon\nA,park,veel,52.25,6.17\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"p\.csv, row 2, column 'capacity': capacity 'veel'"):
        read_assets(path)


def test_rd_csv_is_converted_to_wgs84(tmp_path):
    path = tmp_path / "rd.csv"
    path.write_text("name,type,rd_x,rd_y\nEnkhuis,buurthuis,208000,473000\n", encoding="utf-8")
    frame = read_assets(path).frame
    assert CRS.from_user_input(frame.crs).to_epsg() == 4326
    assert frame.geometry.x.iloc[0] == pytest.approx(6.1632, abs=1e-4)
    assert frame.geometry.y.iloc[0] == pytest.approx(52.2425, abs=1e-4)
    assert np.isnan(frame["capacity"].iloc[0])


# --- notes of dropped rows name their file -------------------------------------------------------


def test_dropped_asset_notes_start_with_their_file_name(tmp_path):
    data = tmp_path / "plekken.csv"
    data.write_text("name,type,lat,lon\nA,park,52.25,6.16\nB,park,,\n")
    notes = read_assets(data).notes
    assert "plekken.csv: Dropped row 3 ('B'): it has no geometry." in notes
