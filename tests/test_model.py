"""The asset catalogue (data in asset_types.toml) and CBS code helpers."""

from __future__ import annotations

import re

import pytest

from asset_map.model import area_level_of, catalogue, parent_code_of


def test_every_abcd_group_has_types():
    cat = catalogue()
    groups = {t.group for t in cat.types.values()}
    assert groups == set(cat.groups)
    for needed in [
        "talent",
        "vereniging",
        "bewonersinitiatief",
        "school",
        "bibliotheek",
        "gebedshuis",
        "zorg",
        "buurthuis",
        "wijkhuiskamer",
        "huis_van_de_wijk",
        "sportkantine",
        "speeltuin_clubhuis",
        "park",
        "speelplek",
        "moestuin",
        "winkel",
        "markt",
    ]:
        assert needed in cat.types


def test_meeting_places_are_data():
    cat = catalogue()
    assert cat.meeting_place_types() == [
        "buurthuis",
        "wijkhuiskamer",
        "huis_van_de_wijk",
        "sportkantine",
        "speeltuin_clubhuis",
    ]
    assert not cat.types["school"].meeting_place and cat.types["school"].can_host


def test_colours_are_distinct_hex_and_every_type_has_an_icon():
    cat = catalogue()
    colours = [t.color for t in cat.types.values()]
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert all(t.icon and t.label_nl and t.label_en for t in cat.types.values())


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Kerk", "gebedshuis"),
        ("MOSKEE", "gebedshuis"),
        ("community_centre", "buurthuis"),
        ("Huis van de wijk", "huis_van_de_wijk"),
        ("huis_van_de_wijk", "huis_van_de_wijk"),
        ("  Speeltuin   met clubhuis ", "speeltuin_clubhuis"),
        ("Library", "bibliotheek"),
    ],
)
def test_type_lookup_accepts_labels_and_aliases(text, key):
    found = catalogue().type_for(text)
    assert found is not None and found.key == key


def test_type_lookup_unknown_is_none():
    assert catalogue().type_for("ruimteschip") is None


def test_aliases_are_unambiguous():
    seen: dict[str, str] = {}
    for t in catalogue().types.values():
        for word in (t.key, t.label_nl, t.label_en, *t.aliases):
            norm = " ".join(word.lower().replace("_", " ").split())
            assert seen.setdefault(norm, t.key) == t.key, f"'{word}' names two types"


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("BU01500401", "buurt", "WK015004"),
        ("WK015004", "wijk", "GM0150"),
        ("GM0150", "gemeente", None),
        ("bu03440000", "buurt", "WK034400"),
        ("XX12", None, None),
    ],
)
def test_cbs_codes_nest(code, level, parent):
    assert area_level_of(code) == level
    assert parent_code_of(code) == parent
