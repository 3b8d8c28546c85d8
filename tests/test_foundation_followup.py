"""Issue 2 follow-up: --out guards, the CLI's language, the mapping error, --assets-layer,
notes that name their file, and a choropleth without buurt values."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map._errors import SchemaError
from asset_map.cli import main
from asset_map.cli.maps import buurt_has_figure
from asset_map.i18n import explain, localise
from asset_map.io import read_assets
from asset_map.io.area_files import read_area_files

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[6.16, 52.25], [6.18, 52.27], [6.18, 52.25], [6.16, 52.27], [6.16, 52.25]]],
}


@pytest.fixture
def files(tmp_path, tiny_areas, tiny_assets) -> dict[str, Path]:
    """The tiny areas as GeoJSON and the tiny assets as CSV (lat/lon) in ``tmp_path``."""
    areas = tmp_path / "va.geojson"
    tiny_areas.to_file(areas, driver="GeoJSON")
    assets = tmp_path / "case.csv"
    table = pd.DataFrame(tiny_assets.drop(columns="geometry"))
    table["lat"], table["lon"] = tiny_assets.geometry.y, tiny_assets.geometry.x
    table.to_csv(assets, index=False)
    return {"areas": areas, "assets": assets}


def _map(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["map", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- 1. --out never overwrites an input, a file of another kind, or names a temp file --------


@pytest.mark.parametrize("target", ["areas", "assets"])
def test_map_refuses_to_write_over_an_input(files, capsys, target):
    before = files[target].read_bytes()
    args = ["--areas", str(files["areas"]), "--assets", str(files["assets"])]
    code, _, err = _map(capsys, *args, "--out", str(files[target]), "--lang", "en")
    assert code == 2
    assert f"--out {files[target]} is also one of the input files" in err
    assert "Nothing was written" in err
    assert files[target].read_bytes() == before  # untouched, not HTML
    code, _, err = _map(capsys, *args, "--out", str(files[target]))  # Dutch by default
    assert code == 2 and "is ook een invoerbestand" in err


def test_map_refuses_an_existing_file_that_is_not_html(files, tmp_path, capsys):
    notes = tmp_path / "notities.txt"
    notes.write_text("mijn aantekeningen")
    args = ["--areas", str(files["areas"]), "--assets", str(files["assets"]), "--lang", "en"]
    code, _, err = _map(capsys, *args, "--out", str(notes))
    assert code == 2 and "exists and is not a .html, .htm file" in err
    assert notes.read_text() == "mijn aantekeningen"
    old_map = tmp_path / "kaart.html"
    old_map.write_text("old")
    assert _map(capsys, *args, "--out", str(old_map))[0] == 0  # a map may replace a map
    assert old_map.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_map_out_a_folder_asks_for_a_file_name(files, tmp_path, capsys):
    folder = tmp_path / "kaarten"
    folder.mkdir()
    args = ["--areas", str(files["areas"]), "--assets", str(files["assets"]), "--lang", "en"]
    code, _, err = _map(capsys, *args, "--out", str(folder))
    assert code == 2
    assert f"--out {folder} is a folder, not a file" in err
    assert f"{folder}/kaart.html" in err
    assert ".tmp" not in err
    assert list(folder.iterdir()) == []


def test_gaps_and_export_refuse_to_write_over_an_input(files, capsys):
    before = files["assets"].read_bytes()
    base = ["--areas", str(files["areas"]), "--assets", str(files["assets"]), "--lang", "en"]
    code = main(["gaps", *base, "--out-map", str(files["assets"])])
    assert code == 2
    assert "--out-map" in capsys.readouterr().err
    code = main(["export", *base, "--out", str(files["areas"].with_suffix(".geojson"))])
    assert code == 2
    assert "is also one of the input files" in capsys.readouterr().err
    assert files["assets"].read_bytes() == before
    table = files["areas"].with_name("tabel.csv")
    table.write_text("a,b\n1,2\n")
    assert main(["gaps", *base, "--out-map", str(table)]) == 2  # a map over a table: refused
    assert "exists and is not a .html, .htm file" in capsys.readouterr().err
    assert table.read_text() == "a,b\n1,2\n"


# --- 2. errors and notes in the language of --lang -------------------------------------------


def test_errors_follow_lang(files, tmp_path, capsys):
    bad = tmp_path / "kroeg.csv"
    bad.write_text("name,type,lat,lon\nDe Kroeg,kroeg,52.25,6.16\n")
    args = ["--areas", str(files["areas"]), "--assets", str(bad), "--out", str(tmp_path / "m.html")]
    code, _, err = _map(capsys, *args, "--lang", "en")
    assert code == 2 and "unknown asset type 'kroeg'" in err
    code, _, dutch = _map(capsys, *args)  # nl is the default
    assert code == 2 and "kroeg" in dutch
    assert "unknown asset type" not in dutch
    assert dutch != err


def test_notes_follow_lang_in_text_and_json(files, tmp_path, capsys):
    table = pd.read_csv(files["assets"]).drop(columns="id")  # no id column gives a note
    no_ids = tmp_path / "zonder_id.csv"
    table.to_csv(no_ids, index=False)
    talents = DEMO / "talents.csv"
    out = tmp_path / "m.html"
    args = ["--areas", str(files["areas"]), "--assets", str(no_ids), "--out", str(out)]
    code, stdout, _ = _map(capsys, *args, "--json", "--talents", str(talents))
    assert code == 0
    notes = json.loads(stdout)["notes"]
    assert any(n.startswith("talents.csv: ") and "talenten gelezen" in n for n in notes)
    assert not any("talents read" in n for n in notes)
    english = json.loads(_map(capsys, *args, "--json", "--lang", "en")[1])["notes"]
    assert any("has no id column" in n for n in english)
    assert len(english) == len(notes) - 1  # the same notes, less the talents one
    _, _, err = _map(capsys, *args)
    assert f"Opgeslagen: {out}" in err and "wrote" not in err


# --- 3. a mapping whose type column the file lacks: one error that names it --------------------


def test_a_missing_type_column_is_one_error_naming_the_columns(files, tmp_path, capsys):
    table = pd.read_csv(files["assets"]).rename(columns={"type": "soort"})
    soort = tmp_path / "soort.csv"
    table.to_csv(soort, index=False)
    mapping = tmp_path / "m3.toml"
    mapping.write_text('[assets.type.type]\n"buurthuis" = "buurthuis"\n')
    with pytest.raises(SchemaError) as caught:
        read_assets(soort, mapping=mapping)
    message = str(caught.value)
    assert message.startswith("soort.csv: mapping 'm3.toml' looks for the asset type in column")
    assert "column(s) type, which the file does not have" in message
    assert "Found the columns: id, name, soort," in message
    assert "[assets.type.soort]" in message  # the likely column, as the fix
    assert "empty values" not in message and "row 2" not in message
    assert "soort" in explain(caught.value, "nl") and "staan niet in het bestand" in explain(
        caught.value, "nl"
    )
    args = ["--areas", str(files["areas"]), "--assets", str(soort), "--mapping", str(mapping)]
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 2 and err.count("asset-map: error:") == 1 and "Found the columns" in err


def test_empty_type_values_are_translated(tmp_path):
    data = tmp_path / "leeg.csv"
    data.write_text("name,soort,lat,lon\nA,,52.25,6.16\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text('[assets.type.soort]\n"sport" = "vereniging"\n')
    with pytest.raises(SchemaError) as caught:
        read_assets(data, mapping=mapping)
    assert "gives no asset type for empty values" in explain(caught.value, "en")
    dutch = explain(caught.value, "nl")
    assert "voor lege waarden" in dutch and "empty values" not in dutch


# --- 4. --assets-layer picks the layer of a GeoPackage ---------------------------------------


def test_assets_layer_chooses_the_layer(files, tiny_assets, tmp_path, capsys):
    gpkg = tmp_path / "plekken.gpkg"
    tiny_assets.iloc[:1].to_file(gpkg, layer="een", driver="GPKG")
    tiny_assets.iloc[1:].to_file(gpkg, layer="twee", driver="GPKG")
    args = ["--areas", str(files["areas"]), "--assets", str(gpkg), "--json", "--lang", "en"]
    out = str(tmp_path / "m.html")
    first = json.loads(_map(capsys, *args, "--out", out)[1])
    assert first["counts"] == {"buurthuis": 1}
    assert any("layer" in n for n in first["notes"])  # it says there are more layers
    code, stdout, _ = _map(capsys, *args, "--out", out, "--assets-layer", "twee")
    assert code == 0
    assert json.loads(stdout)["counts"] == {"speelplek": 1, "winkel": 1}
    code, _, err = _map(capsys, *args, "--out", out, "--assets-layer", "drie")
    assert code == 2 and "drie" in err


# --- 5. repair notes name their file ---------------------------------------------------------


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


def test_dropped_asset_notes_start_with_their_file_name(tmp_path):
    data = tmp_path / "plekken.csv"
    data.write_text("name,type,lat,lon\nA,park,52.25,6.16\nB,park,,\n")
    notes = read_assets(data).notes
    assert "plekken.csv: Dropped row 3 ('B'): it has no geometry." in notes


# --- 6. a choropleth no buurt can show: the wijken are coloured -----------------------------------


def test_choropleth_without_buurt_values_colours_the_wijken(files, tiny_areas, tmp_path, capsys):
    wijken = tmp_path / "wijken.geojson"
    tiny_areas[tiny_areas["level"] == "wijk"].to_file(wijken, driver="GeoJSON")
    args = ["--areas", str(wijken), "--assets", str(files["assets"]), "--choropleth", "inhabitants"]
    code, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 0
    assert "--choropleth inhabitants: no buurt has a value" in err
    assert "so the wijken are coloured instead" in err
    assert '"_fill": "#' in (tmp_path / "m.html").read_text()  # the wijk has a colour
    level = ["--choropleth-level", "buurt"]  # asked for buurten: none has it, so no colour
    _, _, err = _map(capsys, *args, *level, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert "--choropleth-level buurt: no area of this level has a value" in err
    assert '"_fill": "#' not in (tmp_path / "m.html").read_text()
    args[1] = str(files["areas"])  # buurten with inhabitants: no note
    _, _, err = _map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert "no buurt has a value" not in err


def test_buurt_has_figure(tiny_areas):
    assert buurt_has_figure(tiny_areas, "inhabitants")
    assert not buurt_has_figure(tiny_areas, "not_a_column")
    wijk_level = tiny_areas.assign(
        inhabitants=np.where(tiny_areas["level"] == "wijk", 3000.0, np.nan)
    )
    assert not buurt_has_figure(wijk_level, "inhabitants")


def test_the_app_colours_the_wijken_by_a_figure_only_wijken_have(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(DEMO, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    areas.loc[areas["level"] == "buurt", "inhabitants"] = np.nan  # a wijk-level figure now
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    choropleth = at.sidebar.selectbox(key="map_choropleth@nl")
    assert "inhabitants" in choropleth.options or "Inwoners" in choropleth.options
    choropleth.set_value("inhabitants").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.sidebar.caption if "alleen per wijk" in c.value]
    assert captions == ["Dit cijfer is er alleen per wijk. Daarom kleurt de kaart de wijken."]
    assert not [r for r in at.sidebar.radio if r.key == "map_choropleth_level@nl"]
    # A figure both levels have: the user chooses the level, buurten first.
    at.sidebar.selectbox(key="map_choropleth@nl").set_value("pct_65_plus").run()
    level = at.sidebar.radio(key="map_choropleth_level@nl")
    assert list(level.options) == ["buurt", "wijk"] and level.value == "buurt"
