"""Mappings made in code: the app's own mapping, rules from suggestions, TOML round trips."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from asset_map.io import read_assets
from asset_map.io.mapping import (
    TypeRule,
    asset_preset_names,
    load_mapping,
    parse_mapping,
    preset_names,
    preset_text,
)
from asset_map.io.mapping_edit import (
    manual_mapping,
    mapping_to_toml,
    row_types,
    rule,
    type_suggestions,
    with_rules,
)

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


def _places(tmp_path, **columns: list) -> tuple[gpd.GeoDataFrame, str]:
    n = len(next(iter(columns.values())))
    points = [Point(6.16 + 0.001 * i, 52.25) for i in range(n)]
    frame = gpd.GeoDataFrame(columns, geometry=points, crs=4326)
    path = tmp_path / "plekken.geojson"
    frame.to_file(path)
    return frame, str(path)


# --- TOML round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_written_as_toml_reads_back_the_same(name):
    mapping = load_mapping(name)
    assert parse_mapping(mapping_to_toml(mapping), name) == mapping


def test_the_apps_own_mapping_round_trips_through_toml():
    mapping = manual_mapping(
        columns={"name": "Naam", "description": "Omschrijving", "type": "Soort", "id": ""},
        source='Wijkteam "Oost"\\2024',  # quotes and a backslash survive
        type_column="Soort",
        values={"Ontmoeting": "buurthuis", "Groen": "park", "Café ☕": "winkel"},
        default="overig",
        rules=[
            rule({"Soort": ["sport", "Spel"], "Naam": "De Tapperij"}, "sportkantine"),
            rule({"icoon": "kerk.png"}, "gebedshuis"),
        ],
        title="Eigen keuze",
    )
    text = mapping_to_toml(mapping)
    assert parse_mapping(text, mapping.name) == mapping
    # as parse_mapping normalises: lower-case columns and values, our type column left out
    assert mapping.assets.columns == {"name": ("naam",), "description": ("omschrijving",)}
    assert mapping.assets.type.tables == {
        "soort": {"ontmoeting": "buurthuis", "groen": "park", "café ☕": "winkel"}
    }
    assert '[assets.type]\nfrom = ["soort"]\ndefault = "overig"\nrules = [' in text


def test_a_mapping_without_a_type_column_gives_everyone_the_default(tmp_path):
    _frame, path = _places(tmp_path, naam=["Bieb A", "Bieb B"])
    mapping = manual_mapping(columns={"name": "naam"}, default="bibliotheek")
    assert 'default = "bibliotheek"' in mapping_to_toml(mapping)
    assert set(read_assets(path, mapping=mapping).frame["type"]) == {"bibliotheek"}


def test_names_the_format_reserves_cannot_be_written():
    with pytest.raises(ValueError, match="column named 'type'"):
        mapping_to_toml(manual_mapping(columns={}, rules=[rule({"type": "x"}, "park")]))
    with pytest.raises(ValueError, match="column named 'rules'"):
        mapping_to_toml(manual_mapping(columns={}, type_column="rules", values={"a": "park"}))


def test_presets_for_places_and_their_text():
    assert asset_preset_names() == ["deventer_wijkteams", "example"]  # areas presets left out
    assert preset_text("deventer_wijkteams").startswith("# The wijkteam asset map of Deventer")


# --- the types each row gets --------------------------------------------------------------------


def test_row_types_are_the_types_read_assets_gives(tmp_path, real_file):
    path = real_file(DEVENTER)
    preset = load_mapping("deventer_wijkteams")
    read = read_assets(path, mapping=preset).frame
    assert row_types(gpd.read_file(path), preset) == list(read["type"])
    # Without a mapping: the type column found by its name ("soort"); a blank is overig.
    raw = gpd.read_file(path)
    known = {"bewonersinitiatieven": "Bewonersinitiatief", "activiteiten": "activiteiten"}
    raw["soort"] = raw["category"].map(known)
    own = tmp_path / "soort.geojson"
    raw.drop(columns="category").to_file(own)
    read = read_assets(own).frame
    assert row_types(gpd.read_file(own), None) == list(read["type"])
    assert set(read["type"]) == {"bewonersinitiatief", "activiteit", "overig"}


# --- suggestions become rules --------------------------------------------------------------------


def test_a_taken_suggestion_changes_exactly_its_rows(tmp_path):
    frame, path = _places(
        tmp_path,
        naam=["Buurthuis De Linde", "Buurthuis De Linde", "Buurthuis De Linde", "Tinq", "Park"],
        soort=["ontmoeting", "ontmoeting", "thema", "ontmoeting", "ontmoeting"],
    )
    mapping = manual_mapping(
        columns={"name": "naam"},
        type_column="soort",
        values={"ontmoeting": "overig", "thema": "bewonersinitiatief"},
    )
    suggestions = type_suggestions(frame, mapping)
    assert [(s.name, s.type, s.word, s.rows) for s in suggestions] == [
        ("Buurthuis De Linde", "buurthuis", "buurthuis", 2),
        ("Park", "park", "park", 1),
    ]
    taken = with_rules(mapping, [suggestions[0].rule()], columns=frame.columns)
    types = list(read_assets(path, mapping=taken).frame["type"])
    # The third row has the same name but another type already: it keeps it.
    assert types == ["buurthuis", "buurthuis", "bewonersinitiatief", "overig", "overig"]
    assert parse_mapping(mapping_to_toml(taken), taken.name) == taken


def test_suggestions_for_a_file_read_without_a_mapping(tmp_path):
    # No mapping and a type column found by its name ("soort"): the rules keep that column.
    frame, path = _places(tmp_path, naam=["Buurthuis Oost", "Kiosk"], soort=["overig", "park"])
    suggestions = type_suggestions(frame, None)
    assert [(s.name, s.type) for s in suggestions] == [("Buurthuis Oost", "buurthuis")]
    taken = with_rules(_columns_only(), [s.rule() for s in suggestions], columns=frame.columns)
    assert list(read_assets(path, mapping=taken).frame["type"]) == ["buurthuis", "park"]


def _columns_only():
    """A mapping with only a columns section, as a user may upload."""
    return parse_mapping('[assets.columns]\nname = "naam"\n', "kolommen.toml")


def test_suggestions_on_the_real_deventer_list_read_by_category(real_file):
    frame = gpd.read_file(real_file(DEVENTER))
    mapping = manual_mapping(
        columns={"name": "name", "description": "description"},
        type_column="category",
        values={"bewonersinitiatieven": "bewonersinitiatief", "activiteiten": "activiteit"},
    )
    types = row_types(frame, mapping)
    assert types.count("overig") == 72
    suggestions = type_suggestions(frame, mapping)
    rows = sum(s.rows for s in suggestions)
    assert 40 <= rows < 72  # most of the places, not the themes and the unknown names
    buurthuis = [s for s in suggestions if s.type == "buurthuis"]
    assert sorted(s.name for s in buurthuis) == [
        "Uithoek (buurthuis) wijkraad bekkumer",
        "enkhuis (buurthuis)",
    ]
    taken = with_rules(mapping, [s.rule() for s in buurthuis], columns=frame.columns)
    after = row_types(frame, taken)
    assert after.count("buurthuis") == 2 and after.count("overig") == 70


def test_rules_over_several_columns_as_the_preset_has(real_file):
    """The app's own mapping can say what the preset says: category and icon give the type."""
    frame = gpd.read_file(real_file(DEVENTER))
    preset = load_mapping("deventer_wijkteams")
    own = manual_mapping(
        columns={"id": "id", "name": "name", "description": "description", "tags": "category"},
        source=preset.assets.source,
        type_column="category",
        values=dict(preset.assets.type.tables["category"]),
        default=None,
        rules=list(preset.assets.type.rules),
        name=preset.name,
        title=preset.title,
    )
    assert own.assets.type.rules == preset.assets.type.rules
    assert isinstance(own.assets.type.rules[0], TypeRule)
    assert row_types(frame, own) == row_types(frame, preset)
