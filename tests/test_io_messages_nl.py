"""The io layer's errors and notes in Dutch and English: real bad files through the readers.

Every message names the file (and the row or feature and column where there is one) in both
languages; the English text is what it was before the messages became ``i18n.Msg``.
"""

from __future__ import annotations

import ast
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from asset_map import _errors
from asset_map.cli import main
from asset_map.i18n import Msg, explain, localise
from asset_map.io import cbs as cbs_module
from asset_map.io import join_figures, read_areas, read_assets
from asset_map.io import postcode as postcode_module
from asset_map.io.cells import list_some
from asset_map.io.formats import list_layers, read_raw, read_table
from asset_map.io.mapping import parse_mapping
from asset_map.io.postcode import check_postcodes, normalise, normalise_local
from asset_map.services.workspace import DEMO_DIR

ROOT = Path(__file__).resolve().parents[1]
IO_FILES = [
    ROOT / "asset_map" / "io" / f"{name}.py"
    for name in (
        "formats",
        "cells",
        "mapping",
        "figures",
        "areas",
        "assets",
        "hygiene",
        "cbs",
        "postcode",
        "file_facts",
    )
]


def _both(error: pytest.ExceptionInfo) -> tuple[str, str]:
    return explain(error.value, "nl"), explain(error.value, "en")


def _square(x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature_collection(path: Path, features: list[tuple[dict, dict | None]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": props, "geometry": geometry}
                    for props, geometry in features
                ],
            }
        ),
        "utf-8",
    )
    return path


# --- opening files ---------------------------------------------------------------------------


def test_a_missing_file_is_named_in_both_languages(tmp_path):
    missing = tmp_path / "plekken.geojson"
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(missing)
    nl, en = _both(caught)
    assert nl == (
        f"plekken.geojson: het bestand is niet gevonden ({missing}). Controleer de naam en de map."
    )
    assert en == f"plekken.geojson: file not found ({missing}). Check the path."
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_table(tmp_path / "cijfers.csv")
    assert explain(caught.value, "nl").startswith("cijfers.csv: het bestand is niet gevonden")


def test_a_broken_zip_is_refused_in_both_languages(tmp_path):
    broken = tmp_path / "wijken.zip"
    broken.write_bytes(b"PK this is not a zip archive")
    for read in (read_raw, list_layers):
        with pytest.raises(_errors.ImportFormatError) as caught:
            read(broken)
        nl, en = _both(caught)
        assert nl.startswith("wijken.zip: dit is geen geldig zip-bestand.")
        assert "Maak het zip-bestand opnieuw" in nl
        assert en == "wijken.zip: not a valid zip file."


def test_a_zip_without_a_shapefile_lists_what_it_holds(tmp_path):
    path = tmp_path / "buurten.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("lees_mij.txt", "geen kaart")
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(path)
    nl, en = _both(caught)
    assert nl.startswith(
        "buurten.zip: in het zip-bestand zit geen .shp-bestand (wel: lees_mij.txt)."
    )
    assert en.startswith("buurten.zip: the zip holds no .shp file (found: lees_mij.txt).")


def test_an_unknown_file_type_says_which_types_work(tmp_path):
    path = tmp_path / "plekken.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(path)
    nl, en = _both(caught)
    assert nl.startswith("plekken.xlsx: dit soort bestand ('.xlsx') kunnen we niet lezen.")
    assert ".geojson, .json, .gpkg, .zip, .shp, .csv, .txt" in nl
    assert en.startswith("plekken.xlsx: unknown file type '.xlsx'. Use one of: .geojson")


def test_geojson_without_features_or_geometry_or_collection(tmp_path):
    empty = _feature_collection(tmp_path / "leeg.geojson", [])
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(empty)
    nl, en = _both(caught)
    assert nl.startswith("leeg.geojson: de FeatureCollection heeft geen objecten.")
    assert en.startswith("leeg.geojson: the FeatureCollection has no features.")

    no_geometry = _feature_collection(tmp_path / "kaal.geojson", [({"name": "A"}, None)] * 2)
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(no_geometry)
    nl, en = _both(caught)
    assert nl == (
        "kaal.geojson: geen enkel object heeft een plek op de kaart (geometrie). "
        "Aantal objecten: 2. Zet coördinaten (of vlakken) in het bestand."
    )
    assert en == (
        "kaal.geojson: none of the 2 features has a geometry. "
        "Add coordinates (or polygons) to the file."
    )

    single = tmp_path / "een.geojson"
    single.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": None}))
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(single)
    nl, en = _both(caught)
    assert nl.startswith("een.geojson: we verwachten een GeoJSON FeatureCollection")
    assert "'Feature'" in nl
    assert en.startswith("een.geojson: a GeoJSON FeatureCollection is expected")


def test_bad_features_are_named_by_number(tmp_path):
    path = tmp_path / "raar.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": _square(6.1, 52.2)},
                    {"type": "Point"},
                    {"type": "Feature", "properties": [1], "geometry": None},
                ],
            }
        ),
        "utf-8",
    )
    with pytest.raises(_errors.ProblemList) as caught:
        read_raw(path)
    nl, en = _both(caught)
    assert nl.splitlines() == [
        "2 problemen:",
        "- raar.geojson, object 2: dit is geen GeoJSON Feature. Verbeter dit object of haal het "
        "weg.",
        "- raar.geojson, object 3: 'properties' is geen object (geen lijst van naam en waarde). "
        "Verbeter dit object of haal het weg.",
    ]
    assert en.splitlines() == [
        "2 problems:",
        "- raar.geojson, feature 2: not a GeoJSON Feature.",
        "- raar.geojson, feature 3: 'properties' is not an object.",
    ]


# --- CSV: cells, coordinates, CRS ------------------------------------------------------------


def test_a_coordinate_that_is_no_number_names_row_and_column(tmp_path):
    path = tmp_path / "plekken.csv"
    path.write_text("name,type,lat,lon\nA,buurthuis,52.25,6.17\nB,buurthuis,noord,6.18\n", "utf-8")
    with pytest.raises(_errors.SchemaError) as caught:
        read_assets(path)
    nl, en = _both(caught)
    assert nl == (
        "plekken.csv, rij 3, kolom 'lat': 'noord' is geen getal. Schrijf coördinaten als getal "
        "met een punt of komma, bijvoorbeeld 52.2553 of 52,2553."
    )
    assert en == (
        "plekken.csv, row 3, column 'lat': 'noord' is not a number. Write coordinates as "
        "numbers with a decimal point or comma, e.g. 52.2553 or 52,2553."
    )


def test_a_row_with_too_many_cells_names_the_row_and_separator(tmp_path):
    path = tmp_path / "plekken.csv"
    path.write_text("name;lat;lon\nA;52,25;6,17;extra\n", "utf-8")
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_table(path)
    nl, en = _both(caught)
    assert nl.startswith("plekken.csv, rij 2: 4 cellen, maar de kopregel heeft 3 kolommen.")
    assert "scheidingsteken ';'" in nl
    assert en.startswith("plekken.csv, row 2: 4 cells but the header has 3 columns.")


def test_missing_coordinate_columns_are_explained(tmp_path):
    half = tmp_path / "half.csv"
    half.write_text("name,lat\nA,52.2\n", "utf-8")
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(half)
    nl, en = _both(caught)
    assert nl.startswith("half.csv: er is een coördinaatkolom 'lat', maar de kolom die erbij hoort")
    assert en.startswith("half.csv: found the coordinate column 'lat' but not its partner.")

    none = tmp_path / "geen.csv"
    none.write_text("name,adres\nA,Markt 1\n", "utf-8")
    with pytest.raises(_errors.ImportFormatError) as caught:
        read_raw(none)
    nl, en = _both(caught)
    assert nl.startswith(
        "geen.csv: er zijn geen kolommen met coördinaten. De kolommen zijn: name, adres."
    )
    assert en.startswith("geen.csv: no coordinate columns. Found the columns: name, adres.")


def test_a_file_without_a_crs_asks_for_one(tmp_path):
    path = tmp_path / "rd.csv"
    path.write_text("name,type,x,y\nA,buurthuis,208000,473000\n", "utf-8")
    with pytest.raises(_errors.CRSError) as caught:
        read_raw(path)
    nl, en = _both(caught)
    assert nl.startswith(
        "rd.csv: de coördinaatkolommen 'x' en 'y' zeggen niet in welk coördinatenstelsel ze "
        "zijn. Geef daarom het coördinatenstelsel (CRS) op, bijvoorbeeld EPSG:28992"
    )
    assert en == (
        "rd.csv: its coordinate columns 'x' and 'y' do not say which CRS they are in, so its "
        "CRS is unknown. Please give the CRS, e.g. --crs EPSG:28992 for RD New "
        "(or crs='EPSG:28992' in Python)."
    )
    assert len(read_raw(path, crs="EPSG:28992").frame) == 1  # the fix the message names works


def test_a_crs_that_contradicts_the_file_names_both(tmp_path):
    path = tmp_path / "wgs.csv"
    path.write_text("name,lat,lon\nA,52.25,6.17\n", "utf-8")
    with pytest.raises(_errors.CRSError) as caught:
        read_raw(path, crs="EPSG:28992")
    nl, en = _both(caught)
    assert nl.startswith(
        "wgs.csv: volgens het bestand is het coördinatenstelsel EPSG:4326, maar u gaf "
        "EPSG:28992 op."
    )
    assert en.startswith("wgs.csv: the file says its CRS is EPSG:4326, but EPSG:28992 was given.")


def test_an_unknown_crs_member_is_named_with_the_file(tmp_path):
    path = tmp_path / "crs.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
                "features": [{"type": "Feature", "properties": {}, "geometry": None}],
            }
        ),
        "utf-8",
    )
    with pytest.raises(_errors.CRSError) as caught:
        read_raw(path)
    nl, en = _both(caught)
    assert nl.startswith("crs.geojson: ") and "EPSG:999999" in nl
    assert en.startswith("crs.geojson: ") and "EPSG:999999" in en
    assert nl != en  # the inner message (crs.py's) is translated too


def test_points_outside_the_netherlands_are_listed_with_a_dutch_hint(tmp_path):
    path = tmp_path / "verkeerd.csv"
    path.write_text("name,type,lat,lon\nA,buurthuis,473000,208000\n", "utf-8")
    with pytest.raises(_errors.CRSError) as caught:
        read_assets(path)
    nl, en = _both(caught)
    assert "rij 2 ('A') op (208000, 473000). Dit lijken meters van RD New" in nl
    assert "row 2 ('A') at (208000, 473000). These look like RD New metres" in en


# --- ids and names: the notes ----------------------------------------------------------------


def test_duplicate_and_missing_ids_are_noted_in_both_languages(tmp_path):
    path = tmp_path / "plekken.csv"
    path.write_text(
        "id,name,type,lat,lon\n"
        "1,Buurthuis,buurthuis,52.25,6.17\n"
        "1,Bieb,bibliotheek,52.26,6.18\n"
        ",Park,park,52.27,6.19\n"
        ",,speelplek,52.28,6.16\n",
        "utf-8",
    )
    result = read_assets(path)
    assert result.frame["id"].tolist() == ["1", "1-2", "4", "5"]
    notes_nl = [localise(note, "nl") for note in result.notes]
    notes_en = [str(note) for note in result.notes]
    assert (
        "2 rijen hebben geen id. Ze krijgen hun rijnummer als id: rij 4 ('Park'), rij 5."
        in notes_nl
    )
    assert "No id for 2 rows; numbered by row: row 4 ('Park'), row 5." in notes_en
    assert (
        "rij 3 ('Bieb') heeft een nieuw id gekregen: het id '1' was al gebruikt. "
        "Het id is nu '1-2'." in notes_nl
    )
    assert "Renumbered row 3 ('Bieb'): its id '1' was already used; it is now '1-2'." in notes_en
    assert "1 plek heeft geen naam. Die heet nu naar zijn soort: rij 5." in notes_nl
    assert "No name for 1 asset; named after the type: row 5." in notes_en


def test_a_geojson_feature_without_id_is_noted_as_an_object(tmp_path):
    path = _feature_collection(
        tmp_path / "plekken.geojson",
        [
            (
                {"id": "a", "name": "A", "type": "park"},
                {"type": "Point", "coordinates": [6.1, 52.2]},
            ),
            ({"name": "B", "type": "park"}, {"type": "Point", "coordinates": [6.2, 52.2]}),
        ],
    )
    notes = read_assets(path).notes
    assert "1 object heeft geen id. Dat krijgt het objectnummer als id: object 2 ('B')." in [
        localise(note, "nl") for note in notes
    ]
    assert "No id for 1 feature; numbered by feature: feature 2 ('B')." in notes


# --- areas -----------------------------------------------------------------------------------


def test_duplicate_area_codes_name_both_features(tmp_path):
    path = _feature_collection(
        tmp_path / "buurten.geojson",
        [
            ({"code": "BU01500401", "name": "A"}, _square(6.1, 52.2)),
            ({"code": "BU01500401", "name": "B"}, _square(6.2, 52.2)),
        ],
    )
    with pytest.raises(_errors.SchemaError) as caught:
        read_areas(path)
    nl, en = _both(caught)
    assert nl.startswith(
        "buurten.geojson, object 2, kolom 'code': code 'BU01500401' is ook de code van object 1."
    )
    assert en.startswith(
        "buurten.geojson, feature 2, column 'code': code 'BU01500401' is also the code of "
        "feature 1."
    )


def test_areas_without_code_column_or_with_odd_codes(tmp_path):
    path = _feature_collection(tmp_path / "gebieden.geojson", [({"naam": "A"}, _square(6.1, 52.2))])
    with pytest.raises(_errors.SchemaError) as caught:
        read_areas(path)
    nl, en = _both(caught)
    assert nl.startswith("gebieden.geojson: er is geen kolom code. De kolommen zijn: naam.")
    assert en.startswith("gebieden.geojson: no code column. Found the columns: naam.")

    nothing = _feature_collection(tmp_path / "niets.geojson", [({}, _square(6.1, 52.2))])
    with pytest.raises(_errors.SchemaError) as caught:
        read_areas(nothing)
    nl, en = _both(caught)
    assert nl.startswith(
        "niets.geojson: er is geen kolom code en geen kolom name. De kolommen zijn: geen."
    )
    assert en.startswith("niets.geojson: no code and no name column. Found the columns: none.")

    odd = _feature_collection(
        tmp_path / "codes.geojson",
        [({"code": "X12", "name": "A"}, _square(6.1, 52.2)), ({"code": "", "name": "B"}, None)],
    )
    with pytest.raises(_errors.ProblemList) as caught:
        read_areas(odd)
    nl, en = _both(caught)
    assert (
        "- codes.geojson, object 1: we kunnen niet zien of 'X12' een gemeente, wijk of buurt" in nl
    )
    assert "- codes.geojson, object 2, kolom 'code': er is geen code." in nl
    assert (
        "- codes.geojson, feature 1: cannot tell whether 'X12' is a gemeente, wijk or buurt" in en
    )


def test_an_area_without_a_name_is_noted(tmp_path):
    path = _feature_collection(
        tmp_path / "buurten.geojson",
        [
            ({"code": "BU01500401", "name": "A"}, _square(6.1, 52.2)),
            ({"code": "BU01500402", "name": None}, _square(6.2, 52.2)),
        ],
    )
    notes = read_areas(path).notes
    assert "object 2 heeft geen naam. De naam is nu de code: 'BU01500402'." in [
        localise(note, "nl") for note in notes
    ]
    assert "feature 2 has no name; named it by its code 'BU01500402'." in notes


# --- key figures -----------------------------------------------------------------------------


@pytest.fixture
def two_buurten(tmp_path) -> gpd.GeoDataFrame:
    path = _feature_collection(
        tmp_path / "buurten.geojson",
        [
            ({"code": "BU01500401", "name": "A"}, _square(6.1, 52.2)),
            ({"code": "BU01500402", "name": "B"}, _square(6.2, 52.2)),
        ],
    )
    return read_areas(path).frame


def test_bad_figures_name_row_and_column(tmp_path, two_buurten):
    path = tmp_path / "cijfers.csv"
    path.write_text("code,inhabitants\nBU01500401,100\nBU01500401,veel\n", "utf-8")
    with pytest.raises(_errors.ProblemList) as caught:
        join_figures(two_buurten, path)
    nl, en = _both(caught)
    assert nl.splitlines()[1:] == [
        "- cijfers.csv, rij 3, kolom 'code': code 'BU01500401' staat ook in rij 2. Houd één rij "
        "per wijk of buurt.",
        "- cijfers.csv, rij 3, kolom 'inhabitants': 'veel' is geen getal. Vul een getal in, of "
        "laat de cel leeg (of zet er een '.') als het cijfer onbekend is.",
    ]
    assert en.splitlines()[1] == (
        "- cijfers.csv, row 3, column 'code': code 'BU01500401' is also in row 2. "
        "Keep one row per area."
    )


def test_figure_notes_count_in_both_languages(tmp_path, two_buurten):
    path = tmp_path / "cijfers.csv"
    path.write_text(
        "code;inhabitants;AantalInwoners_5\nBU01500401;-99997;1\nBU01500402;-5;2\n", "utf-8"
    )
    notes = join_figures(two_buurten, path).notes
    dutch = [localise(note, "nl") for note in notes]
    assert (
        "2 negatieve getallen in kolom 'inhabitants' van cijfers.csv zijn gelezen als onbekend. "
        "Het CBS geeft geheime of onbekende cijfers aan met een negatief getal." in dutch
    )
    assert (
        "Read 2 negative values in column 'inhabitants' of cijfers.csv as missing (CBS marks "
        "secret or unknown figures with negative numbers)." in notes
    )
    assert (
        "Zowel 'inhabitants' als 'AantalInwoners_5' bevat inhabitants. We gebruiken de eerste: "
        "'inhabitants'." in dutch
    )

    one = tmp_path / "een.csv"
    one.write_text("code,inhabitants\nBU01500401,-1\nBU01500402,5\n", "utf-8")
    assert "1 negatief getal in kolom 'inhabitants' van een.csv is gelezen als onbekend." in (
        localise(join_figures(two_buurten, one).notes[0], "nl")
    )


def test_figures_without_a_code_column(tmp_path, two_buurten):
    path = tmp_path / "cijfers.csv"
    path.write_text("gebied,inhabitants\nBU01500401,3\n", "utf-8")
    with pytest.raises(_errors.SchemaError) as caught:
        join_figures(two_buurten, path)
    nl, en = _both(caught)
    assert nl.startswith(
        "cijfers.csv: er is geen kolom met de code van de wijk of buurt. De kolommen zijn: "
        "gebied, inhabitants."
    )
    assert en.startswith("cijfers.csv: no code column. Found the columns: gebied, inhabitants.")


# --- mapping files ---------------------------------------------------------------------------


def test_mapping_errors_name_the_rule_in_dutch():
    with pytest.raises(_errors.MappingError) as caught:
        parse_mapping('[assets.type]\nrules = [{ type = "school" }]\n', "wijkteam.toml")
    nl, en = _both(caught)
    assert nl.startswith("wijkteam.toml: [assets.type] regel 1 heeft geen voorwaarde.")
    assert en.startswith("wijkteam.toml: [assets.type] rule 1 has no condition;")

    with pytest.raises(_errors.MappingError) as caught:
        parse_mapping('titel = "x"\n', "wijkteam.toml")
    nl, en = _both(caught)
    assert nl.startswith("wijkteam.toml: onbekend deel of onbekende sleutel titel.")
    assert en.startswith("wijkteam.toml: unknown section or key titel.")

    with pytest.raises(_errors.MappingError) as caught:
        parse_mapping("[assets]\ncolumns = 3\n", "wijkteam.toml")
    nl, en = _both(caught)
    assert (
        nl == "wijkteam.toml: [assets.columns] moet een tabel zijn (regels met sleutel = waarde)."
    )
    assert en == "wijkteam.toml: [assets.columns] must be a table (key = value lines)."


# --- postcodes and CBS pages -----------------------------------------------------------------


def test_postcode_errors_in_both_languages():
    with pytest.raises(postcode_module.PostcodeError) as caught:
        normalise("12", "1")
    nl, en = _both(caught)
    assert nl.startswith("'12' is geen Nederlandse postcode.")
    assert en.startswith("'12' is not a Dutch postcode.")
    with pytest.raises(postcode_module.PostcodeError) as caught:
        normalise("7411AB", "twaalf")
    assert explain(caught.value, "nl").startswith("'twaalf' is geen huisnummer.")
    with pytest.raises(postcode_module.PostcodeError) as caught:
        normalise_local("74a")
    nl, en = _both(caught)
    assert nl.startswith("'74a' is geen postcode.")
    assert en.startswith("'74a' is not a postcode.")


def test_a_bad_postcode_table_lists_rows_in_dutch():
    table = pd.DataFrame(
        {
            "postcode": ["12", "7411AB", *["0000X"] * 5],
            "lon": ["6", "600", *["6"] * 5],
            "lat": ["52"] * 7,
        }
    )
    with pytest.raises(_errors.SchemaError) as caught:
        check_postcodes(table, where="pc.csv")
    nl, en = _both(caught)
    assert nl.startswith(
        "pc.csv: rij 2, kolom 'postcode': '12' is niet 4 cijfers + 2 letters; "
        "rij 3, kolommen 'lon'/'lat': geen WGS84-graden; "
    )
    assert nl.endswith("; en nog 2. Verbeter deze rijen of laat ze weg.")
    assert en.startswith(
        "pc.csv: row 2, column 'postcode': '12' is not 4 digits + 2 letters; "
        "row 3, columns 'lon'/'lat': not WGS84 degrees; "
    )
    assert en.endswith("; and 2 more. Fix these rows or leave them out.")
    with pytest.raises(_errors.SchemaError) as caught:
        check_postcodes(table.drop(columns="lat"))
    nl, en = _both(caught)
    assert nl.startswith("postcodetabel: de kolom(men) lat ontbreken.")
    assert en.startswith("postcode table: column(s) lat missing.")


def test_a_bad_pdok_page_is_explained_in_dutch():
    with pytest.raises(cbs_module.DownloadError) as caught:
        cbs_module.parse_pages([b'{"features": []}', b"<html>"])
    nl, en = _both(caught)
    assert nl.endswith("PDOK: pagina 2: geen JSON (Expecting value: line 1 column 1 (char 0)).")
    assert en.endswith("PDOK: page 2: not JSON (Expecting value: line 1 column 1 (char 0)).")


# --- lists -----------------------------------------------------------------------------------


def test_list_some_translates_its_items_and_the_rest():
    labels = [Msg("note.hygiene.label", label=Msg("err.where.label.row"), n=n) for n in range(2, 9)]
    shown = list_some(labels)
    assert shown == "row 2, row 3, row 4, row 5, row 6 and 2 more"
    assert localise(shown, "nl") == "rij 2, rij 3, rij 4, rij 5, rij 6 en nog 2"
    assert list_some(["a"]) == "a" and list_some([]) == ""


# --- the import command speaks Dutch by default ------------------------------------------------


def test_import_prints_errors_and_notes_in_its_language(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    missing = tmp_path / "wijken.geojson"
    assert main(["import", "--areas", str(missing), "--database", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("asset-map: error: wijken.geojson: het bestand is niet gevonden")
    assert main(["import", "--areas", str(missing), "--database", url, "--lang", "en"]) == 2
    assert "wijken.geojson: file not found" in capsys.readouterr().err

    buurt = gpd.read_file(DEMO_DIR / "areas.geojson").query("level == 'buurt'").iloc[0]
    point = buurt.geometry.representative_point()
    assets = tmp_path / "plekken.csv"
    assets.write_text(f"name,type,lat,lon\nHuis,buurthuis,{point.y},{point.x}\n", "utf-8")
    args = ["import", "--areas", str(DEMO_DIR / "areas.geojson"), "--assets", str(assets)]
    assert main([*args, "--database", url, "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert (
        "plekken.csv heeft geen kolom met een id. De plekken krijgen het nummer van hun rij."
        in notes
    )


# --- no English prose left in the io layer's errors --------------------------------------------


def _error_classes() -> set[str]:
    found, todo = set(), [_errors.AssetMapError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def _is_prose(node: ast.expr) -> bool:
    """Return whether an argument is text built in the code rather than a ``Msg``."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return _is_prose(node.left) or _is_prose(node.right)
    return False


def test_no_user_facing_error_or_note_in_the_io_layer_is_a_bare_string():
    classes = _error_classes()
    assert {"ImportFormatError", "PostcodeError", "GemeenteError", "DownloadError"} <= classes
    bare = []
    for path in IO_FILES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            target = func.value if isinstance(func, ast.Attribute) else None
            is_note = name in ("append", "insert") and getattr(target, "id", "") == "notes"
            if name in classes or is_note:
                bare += [f"{path.name}:{node.lineno}" for arg in node.args if _is_prose(arg)]
    assert bare == []


def test_the_scan_finds_a_bare_f_string():
    tree = ast.parse('raise SchemaError(f"{name}: bad")\nnotes.append("Read it.")')
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert [_is_prose(call.args[0]) for call in calls] == [True, True]
    assert not _is_prose(ast.parse('Msg("err.io.bad_zip", path=p)', mode="eval").body)


# --- empty files, repair notes and CRS errors in both languages ----------------------------------


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

    notes = read_areas(real_file("cbs_2014/cbs_wijken_2014_5gemeenten.geojson")).notes
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
