"""Guesses about a file of places: the type column, a type from a word in the name, --guess-types,
and a file without a type column (a preset, --type, or a refusal).

Good and bad inputs side by side; real names from the Deventer wijkteam map; the CLI's
``--guess-types`` counted before and after on that map read without its preset.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from cli_helpers import run_map
from shapely.geometry import Point

from asset_map.cli import main
from asset_map.io import read_assets
from asset_map.io.type_guess import (
    apply_type_guesses,
    guess_type_column,
    suggest_type,
    type_words,
    words_of,
)
from asset_map.model import catalogue

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
WIJKEN = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
BUURTEN = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
#: The Deventer map read with its category as the type column and nothing else: what the
#: app's own column choice gives (72 places "overig": the 66 locaties and the 6 themas).
CATEGORY_ONLY = '[assets.type]\nfrom = ["category"]\ndefault = "overig"\n'

# --- a type from a word in the name ----------------------------------------------------------

SUGGESTED = [
    ("Buurthuis De Linde", None, "buurthuis", "buurthuis"),
    ("Wijkcentrum Oost", None, "buurthuis", "wijkcentrum"),
    ("Huiskamer van de wijk Keizerslanden", None, "wijkhuiskamer", "huiskamer van de wijk"),
    ("Meidenhuiskamer", None, "wijkhuiskamer", "meidenhuiskamer"),  # a compound: its end
    ("Huis van de Wijk De Schakel", None, "huis_van_de_wijk", "huis van de wijk"),
    ("Kantine VV Oranje", None, "sportkantine", "kantine"),
    ("Wijk- en Speeltuinvereniging De Driehoek", None, "speeltuin_clubhuis", "speeltuinvereniging"),
    ("Speeltuin De Pret", None, "speelplek", "speeltuin"),
    ("Openbare Bibliotheek Deventer", None, "bibliotheek", "bibliotheek"),
    ("Basisschool De Regenboog", None, "school", "basisschool"),
    ("Hogeschool Saxion", None, "school", "hogeschool"),
    ("Lambertuskerk", None, "gebedshuis", "lambertuskerk"),
    ("Moskee Arrahman", None, "gebedshuis", "moskee"),
    ("Huisartsenpraktijk De Hoven", None, "zorg", "huisartsenpraktijk"),
    ("PASA SUPERMARKT", None, "winkel", "supermarkt"),
    ("Moestuin 't Groene Hart", None, "moestuin", "moestuin"),
    ("Rijsterborgherpark", None, "park", "rijsterborgherpark"),
    ("Tafeltennisvereniging Swift", None, "vereniging", "tafeltennisvereniging"),
    ("Taalcafé Voorstad", None, "activiteit", "taalcafe"),  # accents do not matter
    ("Plataan", "grafisch vormgeving; dansschool; etc", "school", "dansschool"),
]

NOT_SUGGESTED = [
    ("Parkeerterrein Noord", None),  # "park" is no part of a longer word
    ("Kerkstraat 12", None),  # a street, not a church: the word ends in "straat"
    ("Beestenmarkt", None),  # a square: "markt" only as a whole word
    ("Marijke Bos", None),  # "bos" only inside a compound ("stadsbos")
    ("Tinq", None),
    ("", ""),
    (None, None),
    (np.nan, np.nan),
]


@pytest.mark.parametrize(("name", "description", "type_key", "word"), SUGGESTED)
def test_a_word_in_the_name_suggests_a_type(name, description, type_key, word):
    guess = suggest_type(name, description)
    assert guess is not None
    assert (guess.type, guess.word) == (type_key, word)
    assert guess.where == ("name" if description is None else "description")


@pytest.mark.parametrize(("name", "description"), NOT_SUGGESTED)
def test_no_suggestion_without_a_whole_word_of_the_table(name, description):
    assert suggest_type(name, description) is None


def test_the_name_counts_before_the_description_and_the_longest_word_wins():
    # The name's word wins even when the description has a longer one.
    guess = suggest_type("Buurthuis De Linde", "naast de basisschool")
    assert (guess.type, guess.where) == ("buurthuis", "name")
    # "speeltuinvereniging" (a whole word) beats "*vereniging" and "speeltuin".
    assert suggest_type("Speeltuin en speeltuinvereniging").type == "speeltuin_clubhuis"
    # "medisch centrum" (two words) beats nothing shorter: it is the only match.
    assert suggest_type("medisch centrum de hoge hond").word == "medisch centrum"


def test_words_are_folded_and_split():
    assert words_of("Taalcafé 'De Buurt' (wijk-centrum)") == [
        "taalcafe",
        "de",
        "buurt",
        "wijk",
        "centrum",
    ]
    assert words_of(None) == [] and words_of(float("nan")) == []


def test_the_word_table_names_only_known_types_and_never_overig():
    types = catalogue().types
    table = type_words()
    assert set(table) <= set(types)
    assert "overig" not in table and "talent" not in table
    meeting = set(catalogue().meeting_place_types())
    assert meeting <= set(table)  # every meeting place can be suggested


def test_real_deventer_place_names_get_the_types_the_preset_gives(real_file):
    """On the places ("locaties") the preset types, the suggestions agree almost always."""
    frame = read_assets(real_file(DEVENTER), mapping="deventer_wijkteams").frame
    places = frame[(frame["tags"] == "locaties") & (frame["type"] != "overig")]
    guesses = [
        suggest_type(n, d) for n, d in zip(places["name"], places["description"], strict=True)
    ]
    compared = [(g.type, t) for g, t in zip(guesses, places["type"], strict=True) if g]
    agree = sum(g == t for g, t in compared)
    assert len(compared) >= 40
    assert agree / len(compared) >= 0.9, [c for c in compared if c[0] != c[1]]
    by_name = dict(zip(places["name"], guesses, strict=True))
    assert by_name["enkhuis (buurthuis)"].type == "buurthuis"
    assert by_name["Uithoek (buurthuis) wijkraad bekkumer"].type == "buurthuis"
    assert by_name["Centrum Moskee Deventer"].type == "gebedshuis"
    assert by_name["Huisartsen Hoge Hond"].type == "zorg"
    assert by_name["Tinq"] is None  # a fuel station: no word says so


# --- the type column -------------------------------------------------------------------------


def _frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


TYPE_COLUMNS = [
    ("soort", _frame(naam=["A", "B", "C"], soort=["park", "buurthuis", "park"])),
    ("categorie", _frame(naam=["A", "B"], categorie=["groen", "ontmoeting"])),
    ("Soort_plek", _frame(naam=["A", "B", "C"], Soort_plek=["x", "y", "x"])),
    # no type word in the name, but its values are types we know
    ("kleur", _frame(naam=["A", "B", "C", "D"], kleur=["park", "school", "park", "bieb"])),
    # a column named just "type" beats one whose name only holds a type word
    ("type", _frame(soort_plek=["park", "school"], type=["park", "school"])),
    # and the column the reader takes without a mapping, even with values to map
    ("type", _frame(kleur=["park", "school"], type=["a", "b"])),
]

NO_TYPE_COLUMN = [
    _frame(naam=["Buurthuis De Linde", "Park Oost", "School West"]),  # names: no type
    _frame(naam=["A", "B"], status=["existing", "planned"]),
    _frame(id=[str(i) for i in range(100)], omschrijving=[f"tekst {i}" for i in range(100)]),
    # "soort" in the name, but a different value on every one of 100 rows: not a type
    _frame(soortnaam=[f"plek {i}" for i in range(100)]),
    _frame(soort=[None, None]),  # empty
]


@pytest.mark.parametrize(("expected", "frame"), TYPE_COLUMNS)
def test_the_type_column_is_guessed_from_its_name_and_values(expected, frame):
    assert guess_type_column(frame) == expected


@pytest.mark.parametrize("frame", NO_TYPE_COLUMN)
def test_no_type_column_is_guessed_where_none_holds_types(frame):
    assert guess_type_column(frame) is None


def test_the_real_deventer_type_column_is_category(real_file):
    frame = gpd.read_file(real_file(DEVENTER))
    assert guess_type_column(frame) == "category"
    assert guess_type_column(frame, ["id", "name", "description", "icon"]) is None


# --- applying the suggestions ------------------------------------------------------------------


def test_apply_changes_only_places_of_type_overig_and_lists_each():
    assets = gpd.GeoDataFrame(
        {
            "name": ["Buurthuis De Linde", "Buurthuis Oost", "Tinq", "Park Zuid"],
            "description": [None, None, None, None],
            "type": ["overig", "school", "overig", "overig"],
        },
        geometry=[Point(6.16, 52.25)] * 4,
        crs=4326,
    )
    changed, notes = apply_type_guesses(assets)
    assert list(changed["type"]) == ["buurthuis", "school", "overig", "park"]
    assert list(assets["type"]) == ["overig", "school", "overig", "overig"]  # not changed
    assert len(notes) == 1
    note = str(notes[0])
    assert note.startswith("--guess-types: 2 of the 3 places of type 'overig'")
    assert "'Buurthuis De Linde' becomes buurthuis (word 'buurthuis')" in note
    assert "'Park Zuid' becomes park (word 'park')" in note


def test_apply_says_so_when_nothing_changes():
    assets = pd.DataFrame({"name": ["Tinq"], "description": [None], "type": ["overig"]})
    changed, notes = apply_type_guesses(assets)
    assert list(changed["type"]) == ["overig"]
    assert str(notes[0]).startswith("--guess-types: none of the 1 places of type 'overig'")


# --- the CLI's --guess-types -------------------------------------------------------------------


def _map_counts(capsys, tmp_path: Path, real_file, *extra: str) -> dict:
    mapping = tmp_path / "category.toml"
    mapping.write_text(CATEGORY_ONLY)
    args = ["map", "--areas", str(real_file(WIJKEN)), "--assets", str(real_file(DEVENTER))]
    args += ["--mapping", str(mapping), "--out", str(tmp_path / "k.html"), "--basemap", "none"]
    assert main([*args, "--json", "--lang", "en", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_guess_types_on_the_real_deventer_list_without_its_preset(tmp_path, capsys, real_file):
    meeting = catalogue().meeting_place_types()
    before = _map_counts(capsys, tmp_path, real_file)
    assert before["counts"] == {"bewonersinitiatief": 141, "activiteit": 27, "overig": 72}
    assert not any("--guess-types" in n for n in before["notes"])
    after = _map_counts(capsys, tmp_path, real_file, "--guess-types")
    counts = after["counts"]
    assert sum(counts.values()) == 240
    # Only places of type overig changed; the others kept their type.
    assert counts["bewonersinitiatief"] == 141
    assert counts["activiteit"] >= 27
    changed = 72 - counts["overig"]
    # The two buurthuizen and the speeltuinvereniging are meeting places now.
    assert counts["buurthuis"] == 2 and counts["speeltuin_clubhuis"] == 1
    assert sum(counts.get(k, 0) for k in meeting) == 3
    note = next(n for n in after["notes"] if n.startswith("--guess-types"))
    assert note.startswith(f"--guess-types: {changed} of the 72 places of type 'overig'")
    assert "'enkhuis (buurthuis)' becomes buurthuis (word 'buurthuis')" in note
    assert note.count(" becomes ") == changed  # every change is listed


def test_guess_types_in_dutch_and_refused_when_import_has_no_assets(tmp_path, capsys, real_file):
    mapping = tmp_path / "category.toml"
    mapping.write_text(CATEGORY_ONLY)
    args = ["map", "--areas", str(real_file(WIJKEN)), "--assets", str(real_file(DEVENTER))]
    args += ["--mapping", str(mapping), "--out", str(tmp_path / "k.html"), "--guess-types"]
    assert main([*args, "--basemap", "none"]) == 0
    err = capsys.readouterr().err
    assert "let op: --guess-types: " in err and "kregen een andere soort" in err
    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code = main(["import", "--figures", "x.csv", "--guess-types", "--database", database])
    assert code == 2
    assert "--guess-types" in capsys.readouterr().err


def test_import_and_gaps_take_guess_types_too(tmp_path, capsys):
    demo = Path(__file__).resolve().parents[1] / "data" / "demo"
    files = ["--areas", str(demo / "areas.geojson"), "--assets", str(demo / "assets.geojson")]
    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main(["import", *files, "--guess-types", "--database", database, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    note = next(n for n in summary["notes"] if n.startswith("--guess-types"))
    # Of the demo's 7 places of type overig only the buurtbus has a word of the table.
    assert note.startswith("--guess-types: 1 van de 7 plekken met soort 'overig'")
    assert "'Buurtbus Lindeveen' wordt bewonersinitiatief (woord 'buurtbus')" in note
    without = read_assets(demo / "assets.geojson").frame
    assert summary["counts"]["overig"] == int((without["type"] == "overig").sum()) - 1
    assert main(["gaps", *files, "--guess-types", "--json", "--lang", "en"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any(n.startswith("--guess-types: 1 of the 7 places") for n in notes)


# --- a file without a type column: a preset, --type, or a refusal --------------------------------


def test_the_cli_recognises_the_deventer_columns_without_a_mapping(real_file, tmp_path, capsys):
    buurten, assets = real_file(BUURTEN), real_file(DEVENTER)
    args = ["--areas", str(buurten), "--assets", str(assets), "--out", str(tmp_path / "m.html")]
    code, out, _ = run_map(capsys, *args, "--json", "--lang", "en")
    assert code == 0
    result = json.loads(out)
    assert result["assets_total"] == 240
    assert result["counts"].get("overig", 0) < 240  # typed by the preset, not all grey
    assert result["counts"]["school"] > 0
    assert any("used mapping 'deventer_wijkteams'" in note for note in result["notes"])


def test_the_cli_refuses_an_untyped_file_and_says_how_to_fix_it(real_file, tmp_path, capsys):
    untyped = tmp_path / "plekken.geojson"
    gpd.read_file(real_file(DEVENTER)).drop(columns=["icon", "category"]).to_file(untyped)
    args = ["--areas", str(real_file(BUURTEN)), "--assets", str(untyped)]
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 2
    assert "plekken.geojson: no type column" in err
    assert "--mapping" in err and "--type KEY" in err
    assert not (tmp_path / "m.html").exists()
    typed = [*args, "--out", str(tmp_path / "m.html"), "--type", "winkel", "--json"]
    code, out, _ = run_map(capsys, *typed)
    assert code == 0
    assert json.loads(out)["counts"] == {"winkel": 240}
    assert (tmp_path / "m.html").exists()
