"""Fixes to the foundation: a bad data folder, places outside every area, untyped assets,
several areas files, and the map page's size."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"


# --- 1. a bad data folder: a clear message, no traceback ----------------------------------------


def _open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def test_a_data_folder_with_a_place_in_paris_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    folder = tmp_path / "bad"
    shutil.copytree(DEMO, folder)
    assets = gpd.read_file(folder / "assets.geojson")
    assets.loc[0, "geometry"] = Point(2.3522, 48.8566)  # Paris
    assets.to_file(folder / "assets.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = _open_app()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors, "the page shows an error box"
    assert "De kaart kan de gegevens in de map" in errors[0]
    assert "assets.geojson" in errors[0]  # the message names the file
    assert not at.metric, "the page stopped: no counts of half-read data"


def test_a_missing_data_folder_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(tmp_path / "does-not-exist"))
    at = _open_app()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and "does-not-exist" in errors[0]
    assert "areas.geojson" in errors[0]


def test_an_empty_data_folder_gives_a_message_in_english_too(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("The map cannot read the data in the folder")


# --- 2. places outside every area ---------------------------------------------------------------

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
WIJKEN_2014 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
BUURTEN_2014 = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"


def _map(capsys, *args: str) -> tuple[int, str, str]:
    from asset_map.cli import main

    code = main(["map", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_places_in_a_wijk_of_a_wijken_only_file_are_not_outside(real_file, tmp_path, capsys):
    wijken, assets = real_file(WIJKEN_2014), real_file(DEVENTER)
    # Known answer, apart from the code under test: the points inside some wijk polygon.
    points = gpd.read_file(assets)
    polygons = gpd.read_file(wijken).to_crs(points.crs)
    inside = gpd.sjoin(points, polygons.assign(geometry=polygons.make_valid()), how="inner")
    expected_outside = len(points) - inside.index.nunique()
    assert expected_outside < len(points) / 2  # the file does hold Deventer's wijken

    args = ["--areas", str(wijken), "--assets", str(assets), "--mapping", "deventer_wijkteams"]
    code, out, _ = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["areas"] == {"wijk": 99, "buurt": 0}
    assert result["outside_areas"] == expected_outside


def test_places_far_from_every_area_are_reported_in_text_and_json(real_file, tmp_path, capsys):
    assets = real_file(DEVENTER)
    demo_areas = str(DEMO / "areas.geojson")  # the fictional Lindeveen, not Deventer
    args = ["--areas", demo_areas, "--assets", str(assets), "--mapping", "deventer_wijkteams"]
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 0
    assert "240 of 240 places lie outside every wijk and buurt of the areas file" in err
    assert "is it the right gemeente?" in err
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"))
    assert "240 van de 240 plekken liggen buiten elke wijk en buurt" in err  # Dutch by default
    code, out, _ = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--json", "--lang", "en")
    result = json.loads(out)
    assert result["outside_areas"] == 240
    assert any("240 of 240 places" in note for note in result["notes"])


def test_the_app_does_not_call_places_in_a_wijk_outside(tmp_path, monkeypatch):
    folder = tmp_path / "wijken_only"
    shutil.copytree(DEMO, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    wijken = areas[areas["level"] == "wijk"]
    wijken.to_file(folder / "areas.geojson", driver="GeoJSON")
    assets = gpd.read_file(folder / "assets.geojson")
    far = assets.iloc[[0]].assign(id="far-away", geometry=[Point(5.0, 53.3)])  # Wadden Sea
    both = gpd.GeoDataFrame(pd.concat([assets, far], ignore_index=True), crs=assets.crs)
    both.to_file(folder / "assets.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = _open_app()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption if "buiten elke wijk en buurt" in c.value]
    assert captions == ["1 plekken liggen buiten elke wijk en buurt van deze kaart."]


# --- 3. a file without a type column: a preset, --type, or a refusal -------------------------


def test_the_cli_recognises_the_deventer_columns_without_a_mapping(real_file, tmp_path, capsys):
    buurten, assets = real_file(BUURTEN_2014), real_file(DEVENTER)
    args = ["--areas", str(buurten), "--assets", str(assets), "--out", str(tmp_path / "m.html")]
    code, out, _ = _map(capsys, *args, "--json", "--lang", "en")
    assert code == 0
    result = json.loads(out)
    assert result["assets_total"] == 240
    assert result["counts"].get("overig", 0) < 240  # typed by the preset, not all grey
    assert result["counts"]["school"] > 0
    assert any("used mapping 'deventer_wijkteams'" in note for note in result["notes"])


def test_the_cli_refuses_an_untyped_file_and_says_how_to_fix_it(real_file, tmp_path, capsys):
    untyped = tmp_path / "plekken.geojson"
    gpd.read_file(real_file(DEVENTER)).drop(columns=["icon", "category"]).to_file(untyped)
    args = ["--areas", str(real_file(BUURTEN_2014)), "--assets", str(untyped)]
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 2
    assert "plekken.geojson: no type column" in err
    assert "--mapping" in err and "--type KEY" in err
    assert not (tmp_path / "m.html").exists()
    typed = [*args, "--out", str(tmp_path / "m.html"), "--type", "winkel", "--json"]
    code, out, _ = _map(capsys, *typed)
    assert code == 0
    assert json.loads(out)["counts"] == {"winkel": 240}
    assert (tmp_path / "m.html").exists()


# --- 4. wijken and buurten from two files ------------------------------------------------------


def test_wijken_and_buurten_from_two_files_make_one_map(real_file, tmp_path, capsys):
    wijken, buurten = real_file(WIJKEN_2014), real_file(BUURTEN_2014)
    args = ["--areas", str(wijken), "--areas", str(buurten), "--assets", str(real_file(DEVENTER))]
    out_file = tmp_path / "m.html"
    code, out, _ = _map(capsys, *args, "--out", str(out_file), "--json")
    assert code == 0
    result = json.loads(out)
    # Known answers: the rows of the two files (CBS 2014, five gemeenten).
    assert result["areas"] == {
        "wijk": len(gpd.read_file(wijken)),
        "buurt": len(gpd.read_file(buurten)),
    }
    assert result["outside_areas"] == 0
    html = out_file.read_text("utf-8")
    assert "Wijk 4 Voorstad" in html and "Rode Dorp" in html  # a Deventer wijk and a buurt


def test_one_areas_file_given_twice_is_refused(real_file, tmp_path, capsys):
    wijken = str(real_file(WIJKEN_2014))
    args = ["--areas", wijken, "--areas", wijken, "--assets", str(real_file(DEVENTER))]
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 2
    assert "99 areas are also in cbs_wijken_2014_5gemeenten.geojson" in err
    assert "given twice" in err


def test_read_area_files_puts_a_wijk_and_its_buurten_together(tiny_areas, tmp_path):
    from asset_map._errors import SchemaError
    from asset_map.io.area_files import read_area_files

    wijken_path, buurten_path = tmp_path / "wijken.geojson", tmp_path / "buurten.geojson"
    tiny_areas[tiny_areas["level"] == "wijk"].to_file(wijken_path)
    tiny_areas[tiny_areas["level"] == "buurt"].to_file(buurten_path)
    areas = read_area_files([wijken_path, buurten_path]).frame
    assert sorted(areas["code"]) == sorted(tiny_areas["code"])
    assert str(areas.crs) == "EPSG:4326"
    with pytest.raises(SchemaError, match=r"buurten.geojson: 2 areas are also in buurten"):
        read_area_files([buurten_path, buurten_path])


# --- 6. the importers' messages in Dutch and English -------------------------------------------


@pytest.mark.parametrize(
    ("content", "english", "dutch"),
    [
        ("", "leer.geojson: the file is empty. Export the layer again", "het bestand is leeg"),
        (
            '{"type": "FeatureCollection", "features": []}',
            "leer.geojson: the FeatureCollection has no features. Export the layer again",
            "de FeatureCollection heeft geen objecten. Exporteer de laag opnieuw",
        ),
    ],
)
def test_empty_files_are_refused_with_a_fix_in_both_languages(tmp_path, content, english, dutch):
    from asset_map._errors import ImportFormatError
    from asset_map.i18n import explain
    from asset_map.io import read_assets

    path = tmp_path / "leer.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_assets(path)
    assert str(caught.value).startswith(english)
    assert dutch in explain(caught.value, "nl")


def test_repair_notes_and_crs_errors_have_dutch_texts(real_file):
    from asset_map._errors import CRSError
    from asset_map.crs import require_same_crs
    from asset_map.i18n import explain, localise
    from asset_map.io import read_areas

    notes = read_areas(real_file(WIJKEN_2014)).notes
    kept = [n for n in notes if "without a shape" in n]
    assert kept and kept[0].startswith(
        "cbs_wijken_2014_5gemeenten.geojson: Kept feature 3 ('Wijk 25 Rivium') without a shape"
    )
    assert localise(kept[0], "nl").startswith(
        "cbs_wijken_2014_5gemeenten.geojson: object 3 ('Wijk 25 Rivium') is bewaard zonder vorm"
    )
    a = gpd.GeoDataFrame(geometry=[Point(6.16, 52.25)], crs="EPSG:4326")
    with pytest.raises(CRSError, match="The assets are in EPSG:4326 but the areas are in") as e:
        require_same_crs(a, a.to_crs("EPSG:28992"), ("assets", "areas"))
    assert explain(e.value, "nl").startswith("De assets zijn in EPSG:4326, maar de areas")
