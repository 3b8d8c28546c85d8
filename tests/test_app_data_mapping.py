"""The mapping step of an upload of places on the Gegevens screen, run headless with AppTest.

"Hoe lezen we dit bestand?": a shipped preset (chosen when the file fits it), an uploaded
TOML mapping, or the user's own columns, values and rules; type suggestions to confirm; the
places per type, with a warning when none is a meeting place. The real Deventer wijkteam
list must give the same places as ``asset-map map --mapping deventer_wijkteams``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from data_screen import IMPORT, click, open_data_screen, places, upload, with_lindeveen
from storage_helpers import stored_workspace

from asset_map.cli import main
from asset_map.io import read_assets
from asset_map.io.mapping import parse_mapping
from asset_map.model import catalogue
from asset_map.storage import Store

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
WIJKEN = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
#: The Deventer list read by its category, with one rule over two columns (category and
#: icon): the map's icon 17 marks its buurthuizen.
CATEGORY_AND_ICON = """title = "Deventer, by category and icon"
[assets.columns]
tags = "category"
[assets.type]
from = ["category"]
default = "overig"
rules = [{ category = "locaties", icon = "images/icon-17.png", type = "buurthuis" }]
[assets.type.category]
bewonersinitiatieven = "bewonersinitiatief"
activiteiten = "activiteit"
"""


def _type_counts(at) -> dict[str, int]:
    """The table 'Plekken per soort': type label -> number of places."""
    tables = [d.value for d in at.dataframe if "Soort plek" in d.value.columns]
    assert len(tables) == 1, [e.value for e in at.error]
    table = tables[0]
    return dict(zip(table["Soort plek"], table["Aantal"].astype(int), strict=True))


def _labels(counts: dict[str, int]) -> dict[str, int]:
    """Type key -> n as type label -> n, as the screen shows them in Dutch."""
    return {catalogue().types[key].label("nl"): n for key, n in counts.items()}


def _meeting_text(at) -> str | None:
    found = [m.value for m in at.markdown if m.value.startswith("Ontmoetingsplekken in dit")]
    return found[0] if found else None


def _cli_counts(capsys, tmp_path: Path, real_file, *mapping: str) -> dict[str, int]:
    out = tmp_path / "cli.html"
    args = ["map", "--areas", str(real_file(WIJKEN)), "--assets", str(real_file(DEVENTER))]
    assert main([*args, *mapping, "--out", str(out), "--basemap", "none", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["counts"]


def _stored_counts(url: str) -> dict[str, int]:
    store = Store(url)
    try:
        assets = store.load_workspace()[1]
    finally:
        store.close()
    return {k: int(n) for k, n in assets["type"].value_counts().items()}


# --- a shipped preset ----------------------------------------------------------------------------


def test_the_deventer_list_with_its_preset_gives_what_the_cli_gives(
    db, tmp_path, capsys, real_file
):
    expected = _cli_counts(capsys, tmp_path, real_file, "--mapping", "deventer_wijkteams")
    meeting = catalogue().meeting_place_types()
    assert sum(expected.get(k, 0) for k in meeting) == 7
    # The user's own gemeente first: Deventer's wijken (a list of places needs areas).
    at = upload(open_data_screen(), "areas", real_file(WIJKEN))
    at.text_input(key="data_area_gm").input("GM0150").run()
    click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    upload(at, "assets", real_file(DEVENTER))
    how = at.radio(key="data_how@nl")
    assert how.value == "preset:deventer_wijkteams"  # recognised by its columns
    assert how.options == [  # every preset for places, an own mapping file, own choices
        "Vaste koppeling: wijkteamkaart van Deventer (rimvanvliet/wijkteams)",
        "Vaste koppeling: voorbeeld: sociale kaart van een gemeente",
        "Eigen koppeling uploaden (TOML-bestand)",
        "Zelf kiezen welke kolom wat is",
    ]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Dit bestand lijkt op: wijkteamkaart van Deventer") for c in captions)
    assert _type_counts(at) == _labels(expected)
    assert _meeting_text(at) == "Ontmoetingsplekken in dit bestand: 7."
    assert not at.warning
    # The suggestions are offered, not taken: nothing is ticked.
    assert all(not c.value for c in at.checkbox if c.key and c.key.startswith("data_suggest_"))
    assert at.session_state["data_mapping_toml"].startswith("# The wijkteam asset map")
    click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    assert _stored_counts(db) == expected


def test_the_language_switch_keeps_the_choice_of_preset(db, real_file):
    at = upload(open_data_screen(), "assets", real_file(DEVENTER))
    at.radio(key="data_how@nl").set_value("manual").run()
    at.sidebar.selectbox[0].set_value("en").run()
    how = at.radio(key="data_how@en")
    assert how.value == "manual" and how.label == "How do we read this file?"
    how.set_value("preset:deventer_wijkteams").run()
    assert at.markdown and any(m.value == "**Places per type**" for m in at.markdown)
    assert any(m.value == "Meeting places in this file: 7." for m in at.markdown)


# --- an uploaded TOML mapping --------------------------------------------------------------------


def test_an_uploaded_toml_mapping_reads_the_file_as_the_cli_does(db, tmp_path, real_file):
    at = upload(open_data_screen(), "assets", real_file(DEVENTER))
    at.radio(key="data_how@nl").set_value("upload").run()
    assert any("Kies een koppeling" in i.value for i in at.info)
    assert not [m for m in at.markdown if "Voorbeeld:" in m.value]  # nothing read yet
    mapping = tmp_path / "deventer_icoon.toml"
    mapping.write_text(CATEGORY_AND_ICON)
    at.file_uploader(key="data_mapping_file").set_value(
        (mapping.name, mapping.read_bytes(), "application/toml")
    ).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    expected = read_assets(real_file(DEVENTER), mapping=mapping).frame
    counts = {k: int(n) for k, n in expected["type"].value_counts().items()}
    assert counts["buurthuis"] == 3  # enkhuis, Buurtfabriek Voorstad, gebouw kindervreugd
    assert _type_counts(at) == _labels(counts)
    assert _meeting_text(at) == "Ontmoetingsplekken in dit bestand: 3."
    assert "Gelezen met de koppeling: Deventer, by category and icon." in [
        c.value for c in at.caption
    ]
    assert at.session_state["data_mapping_toml"] == CATEGORY_AND_ICON


def test_a_broken_toml_mapping_is_refused_with_its_name_and_line(db, tmp_path, real_file):
    at = upload(open_data_screen(), "assets", real_file(DEVENTER))
    at.radio(key="data_how@nl").set_value("upload").run()
    bad = tmp_path / "kapot.toml"
    bad.write_text('[assets.type]\nfrom = "category\n')
    at.file_uploader(key="data_mapping_file").set_value((bad.name, bad.read_bytes(), "")).run()
    assert at.error, "no error for a broken mapping"
    assert at.error[0].value.startswith("kapot.toml: dit is geen geldige TOML (")
    assert "(at line 2, column 17)" in at.error[0].value
    assert not [m for m in at.markdown if "Voorbeeld:" in m.value]
    wrong = tmp_path / "soorten.toml"
    wrong.write_text('[assets.type.category]\nlocaties = "plek"\n')
    at.file_uploader(key="data_mapping_file").set_value((wrong.name, wrong.read_bytes(), "")).run()
    assert at.error[0].value.startswith(
        'soorten.toml: [assets.type.category] "locaties" = "plek": "plek" is geen soort plek.'
    )
    assert not [m for m in at.markdown if "Voorbeeld:" in m.value]


# --- the user's own choices ----------------------------------------------------------------------


def test_no_meeting_place_warns_until_a_value_is_mapped_to_one(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = places(
        tmp_path / "lijst.geojson",
        {"naam": ["Speelveld", "De Ontmoeting", "Het Trefpunt"], "soort": ["groen", "x", "x"]},
        3,
    )
    upload(at, "assets", path)
    assert at.radio(key="data_how@nl").value == "manual"  # no preset fits
    assert at.selectbox(key="data_col_type@nl").value == "soort"
    assert _type_counts(at) == {"Park of groen": 1, "Overig": 2}
    assert len(at.warning) == 1
    warning = at.warning[0].value
    assert warning.startswith("In dit bestand staat geen enkele ontmoetingsplek (Buurthuis,")
    assert "Kies hierboven een vaste koppeling" in warning
    at.selectbox(key="data_type_1@nl").set_value("wijkhuiskamer").run()  # the value "x"
    assert not at.warning
    assert _type_counts(at) == {"Park of groen": 1, "Wijkhuiskamer": 2}
    assert _meeting_text(at) == "Ontmoetingsplekken in dit bestand: 2."


def test_suggestions_and_rules_of_the_own_choice_round_trip_through_toml(db, tmp_path, real_file):
    at = upload(open_data_screen(), "assets", real_file(DEVENTER))
    at.radio(key="data_how@nl").set_value("manual").run()
    # The type column is guessed from its name and values, and said.
    assert at.selectbox(key="data_col_type@nl").value == "category"
    guess = "Kolom 'category' lijkt de soort plek te bevatten."
    assert any(guess in caption.value for caption in at.caption)
    assert _type_counts(at)["Overig"] == 72 and at.warning  # no meeting place yet
    # A suggestion: the two places called "... (buurthuis)".
    box = at.checkbox(key="data_suggest_buurthuis")
    assert box.label == "Buurthuis maken: 2 plekken" and not box.value
    box.check().run()
    rows = [m for m in at.multiselect if m.key.startswith("data_suggest_rows_buurthuis_")]
    assert len(rows) == 1 and len(rows[0].value) == 2
    assert _type_counts(at)["Buurthuis"] == 2 and not at.warning
    # A rule over two columns: the places of icon 17 are buurthuizen.
    click(at, "Regel toevoegen")
    at.selectbox(key="data_rule_1_col_1@nl").select("category").run()
    at.multiselect(key="data_rule_1_values_1_category").select("locaties").run()
    at.selectbox(key="data_rule_1_col_2@nl").select("icon").run()
    at.multiselect(key="data_rule_1_values_2_icon").select("images/icon-17.png").run()
    at.selectbox(key="data_rule_1_type@nl").set_value("buurthuis").run()
    assert not at.exception and not at.error
    shown = _type_counts(at)
    assert shown["Buurthuis"] == 4  # enkhuis and Uithoek, Buurtfabriek, gebouw kindervreugd
    # The mapping to download reads the file exactly as the preview shows it.
    text = at.session_state["data_mapping_toml"]
    assert '{ "category" = "locaties", "icon" = "images/icon-17.png", type = "buurthuis" }' in text
    mapping = parse_mapping(text, "mapping.toml")
    read = read_assets(real_file(DEVENTER), mapping=mapping).frame
    counts = {k: int(n) for k, n in read["type"].value_counts().items()}
    assert _labels(counts) == shown
    assert at.get("download_button")  # offered for asset-map import --mapping
    # Removing the rule takes its places back.
    click(at, "Regel 1 weghalen")
    assert _type_counts(at)["Buurthuis"] == 2


def test_another_file_starts_with_fresh_choices(db, tmp_path, real_file):
    at = upload(open_data_screen(), "assets", real_file(DEVENTER))
    at.radio(key="data_how@nl").set_value("manual").run()
    click(at, "Regel toevoegen")
    assert at.selectbox(key="data_rule_1_col_1@nl")
    path = tmp_path / "again.geojson"
    gpd.read_file(real_file(DEVENTER)).to_file(path)
    upload(at, "assets", path)
    assert at.radio(key="data_how@nl").value == "preset:deventer_wijkteams"
    assert not [s for s in at.selectbox if s.key and s.key.startswith("data_rule_")]


# --- no type column, seventy type values, a default in the TOML ----------------------------------


def test_places_without_a_type_column_all_get_the_chosen_type(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = places(tmp_path / "bibliotheken.geojson", {"naam": ["Bieb A", "Bieb B"]}, 2)
    upload(at, "assets", path)
    assert at.selectbox(key="data_col_type@nl").value == ""  # no column holds a type
    at.selectbox(key="data_one_type@nl").set_value("bibliotheek").run()
    assert not at.error, [e.value for e in at.error]
    assert 'default = "bibliotheek"' in at.session_state["data_mapping_toml"]
    click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    assets = stored_workspace(db)[1]
    assert sorted(assets["name"]) == ["Bieb A", "Bieb B"]
    assert set(assets["type"]) == {"bibliotheek"}


def test_seventy_type_values_are_all_listed_and_imported(db, tmp_path):
    at = with_lindeveen(tmp_path)
    values = [f"cat{k}" for k in range(70)]
    path = places(tmp_path / "veel.geojson", {"titel": values, "soortplek": values}, 70)
    upload(at, "assets", path)
    at.selectbox(key="data_col_name@nl").select("titel").run()
    at.selectbox(key="data_col_type@nl").select("soortplek").run()
    boxes = [b for b in at.selectbox if b.key and b.key.startswith("data_type_") and b.label]
    assert {b.label for b in boxes} >= set(values)  # every value, the last ten too
    at.selectbox(key="data_type_65@nl").set_value("park").run()
    at.selectbox(key="data_type_3@nl").set_value("school").run()
    click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    assets = stored_workspace(db)[1].set_index("name")
    assert len(assets) == 70
    assert assets.loc["cat65", "type"] == "park"
    assert assets.loc["cat3", "type"] == "school"
    assert (assets.drop(index=["cat65", "cat3"])["type"] == "overig").all()


def test_the_mapping_toml_of_a_type_column_names_a_default(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = places(tmp_path / "twee.geojson", {"naam": ["A", "B"], "soort": ["park", ""]}, 2)
    upload(at, "assets", path)
    toml = at.session_state["data_mapping_toml"]
    assert '[assets.type]\nfrom = ["soort"]\ndefault = "overig"' in toml
    assert json.dumps("park") + ' = "park"' in toml
