"""Mapping files: good and bad inputs side by side, presets, and how a type is found."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_helpers import run_map

from asset_map._errors import MappingError, SchemaError
from asset_map.i18n import explain
from asset_map.io import Mapping, load_mapping, preset_names, read_assets
from asset_map.io.mapping import detect_areas_preset, parse_mapping, resolve_columns
from asset_map.model import catalogue

GOOD = {
    "columns only": '[assets.columns]\nname = "naam"\n',
    "column candidates": '[assets.columns]\nname = ["titel", "naam"]\n',
    "areas only": '[areas.columns]\ncode = "gwb_code"\nname = "gwb_naam"\n',
    "type tables": (
        '[assets.type]\nfrom = ["icoon", "soort"]\n'
        '[assets.type.icoon]\n"kerk.png" = "gebedshuis"\n'
        '[assets.type.soort]\n"ontmoeten" = "buurthuis"\n'
    ),
    "tables without from": '[assets.type.soort]\n"sport" = "vereniging"\n',
    "rules and default": (
        '[assets]\nsource = "Gemeente"\n[assets.type]\ndefault = "overig"\n'
        'rules = [{ soort = ["a", "b"], naam = "X", type = "park" }]\n'
    ),
    "rules as array of tables": ('[[assets.type.rules]]\nsoort = "a"\ntype = "park"\n'),
    "title": 'title = "Mijn kaart"\n[areas.columns]\ncode = "c"\n',
}

BAD = {
    "not toml": ('[assets.columns\nname = "x"\n', r"bad\.toml: not valid TOML \(.*line 1"),
    "unknown section": (
        '[asets]\nsource = "x"\n',
        r"bad\.toml: unknown section or key asets\. A mapping has",
    ),
    "no section": ('title = "x"\n', r"bad\.toml: the mapping has neither an \[assets\] nor"),
    "unknown our column": (
        '[assets.columns]\nnaam = "name"\n',
        r"\[assets\.columns\] entry 'naam' is not one of our assets columns\. "
        r"Use one of: id, name, type",
    ),
    "area column for assets": (
        '[assets.columns]\ncode = "x"\n',
        r"entry 'code' is not one of our assets columns",
    ),
    "column not text": (
        "[assets.columns]\nname = 3\n",
        r"\[assets\.columns\] name must be a column name or a list",
    ),
    "empty column list": (
        "[assets.columns]\nname = []\n",
        r"\[assets\.columns\] name must be a column name or a list",
    ),
    "unknown type in table": (
        '[assets.type.soort]\n"sport" = "sports"\n',
        r'\[assets\.type\.soort\] "sport" = "sports": "sports" is not an '
        r"asset type key\. Use one of: talent, vereniging",
    ),
    "label instead of key": (
        '[assets.type.soort]\n"kerk" = "Gebedshuis"\n',
        r'"Gebedshuis" is not an asset type key',
    ),
    "unknown default": (
        '[assets.type]\ndefault = "anders"\n',
        r'\[assets\.type\] default = "anders": "anders" is not an asset type',
    ),
    "table not in from": (
        '[assets.type]\nfrom = ["soort"]\n[assets.type.icoon]\n"a" = "park"\n',
        r"\[assets\.type\.icoon\] is a table for their column 'icoon', but "
        r"that column is not in `from` \(soort\)",
    ),
    "table not a table": (
        '[assets.type]\nsoort = "park"\n',
        r"\[assets\.type\.soort\] must be a table",
    ),
    "rule without type": (
        '[assets.type]\nrules = [{ soort = "a" }]\n',
        r"\[assets\.type\] rule 1 has no `type`",
    ),
    "rule without condition": (
        '[assets.type]\nrules = [{ type = "park" }]\n',
        r"\[assets\.type\] rule 1 has no condition.*use `default`",
    ),
    "rule with unknown type": (
        '[assets.type]\nrules = [{ a = "b", type = "bos" }]\n',
        r'\[assets\.type\] rule 1 = "bos": "bos" is not an asset type',
    ),
    "rules not a list": ('[assets.type]\nrules = "x"\n', r"\[assets\.type\] rules must be a list"),
    "type for areas": (
        '[areas]\ntype = "x"\n',
        r"\[areas\] has unknown key\(s\) type; allowed: columns",
    ),
    "source not text": ("[assets]\nsource = 1\n", r"\[assets\] source must be text"),
}


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_good_mapping(text):
    mapping = parse_mapping(text, "good.toml")
    assert isinstance(mapping, Mapping)
    assert mapping.assets is not None or mapping.areas is not None


@pytest.mark.parametrize(("text", "match"), BAD.values(), ids=BAD.keys())
def test_bad_mapping(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=match):
        load_mapping(path)


def test_presets_ship_and_load():
    assert {
        "cbs_2014",
        "pdok_wijkenbuurten",
        "cbs_shape_old",
        "deventer_wijkteams",
        "example",
    } <= set(preset_names())
    for name in preset_names():
        mapping = load_mapping(name)
        assert mapping.name == name and mapping.title


def test_load_by_path_name_or_object(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[assets.columns]\nname = "naam"\n', encoding="utf-8")
    mapping = load_mapping(path)
    assert load_mapping(str(path)) == mapping
    assert load_mapping(mapping) is mapping
    assert mapping.name == "mine.toml"


def test_unknown_preset_and_missing_file(tmp_path):
    with pytest.raises(
        MappingError,
        match=r"No mapping file or preset 'deventer'.*presets: "
        r"cbs_2014, cbs_shape_old, deventer_wijkteams",
    ):
        load_mapping("deventer")
    with pytest.raises(MappingError, match=r"gone\.toml: mapping file not found"):
        load_mapping(tmp_path / "gone.toml")


def test_mapping_without_the_section_needed(tmp_path):
    """One mapping may serve both layers (as in the CLI): a missing section is a note."""
    path = tmp_path / "p.csv"
    path.write_text("name,type,lat,lon\nA,park,52.25,6.15\n", encoding="utf-8")
    result = read_assets(path, mapping="cbs_2014")
    assert result.frame["type"].tolist() == ["park"]
    assert result.notes[0] == "Mapping 'cbs_2014' has no [assets] section; read p.csv without it."


def test_type_lookup_order():
    spec = parse_mapping(
        '[assets.type]\nfrom = ["icoon", "soort"]\n'
        'rules = [{ soort = "sport", naam = ["de tapperij"], type = "sportkantine" }]\n'
        '[assets.type.icoon]\n"boom.png" = "park"\n'
        '[assets.type.soort]\n"sport" = "vereniging"\n',
        "m.toml",
    ).assets.type
    # a rule beats the tables; values compare case-insensitively with spaces trimmed
    assert spec.lookup({"soort": "sport", "naam": "de tapperij"}) == "sportkantine"
    # the first `from` column with a known value wins
    assert spec.lookup({"icoon": "boom.png", "soort": "sport"}) == "park"
    assert spec.lookup({"icoon": "onbekend.png", "soort": "sport"}) == "vereniging"
    # a value that is a type key, label or alias needs no table
    assert spec.lookup({"icoon": "", "soort": "Moskee"}) == "gebedshuis"
    # nothing matches and no default
    assert spec.lookup({"icoon": "x", "soort": "y"}) is None


def test_default_type():
    spec = parse_mapping('[assets.type]\nfrom = ["soort"]\ndefault = "overig"\n', "m").assets.type
    assert spec.lookup({"soort": "iets anders"}) == "overig"


def test_mapping_applied_to_a_file(tmp_path):
    (tmp_path / "m.toml").write_text(
        '[assets]\nsource = "Sociale kaart"\n'
        '[assets.columns]\nname = "Locatie"\naddress = "Straat"\n'
        '[assets.type]\nfrom = ["Soort"]\n[assets.type.soort]\n"Ontmoeten" = "buurthuis"\n',
        encoding="utf-8",
    )
    (tmp_path / "kaart.csv").write_text(
        "Locatie,Soort,Straat,bron,lat,lon\n"
        "De Uithoek,ontmoeten ,Bekkumerstraat 1,,52.25,6.17\n"
        "Sint-Jozef,kerk,,Parochie,52.26,6.16\n",
        encoding="utf-8",
    )
    result = read_assets(tmp_path / "kaart.csv", mapping=tmp_path / "m.toml")
    frame = result.frame
    assert frame["name"].tolist() == ["De Uithoek", "Sint-Jozef"]
    assert frame["type"].tolist() == ["buurthuis", "gebedshuis"]
    assert frame["address"].tolist()[0] == "Bekkumerstraat 1"
    assert frame["source"].tolist() == ["Sociale kaart", "Parochie"]


def test_mapping_names_a_column_the_file_lacks(tmp_path):
    (tmp_path / "m.toml").write_text('[assets.columns]\ndescription = "omschrijving"\n')
    (tmp_path / "k.csv").write_text("name,type,lat,lon\nA,park,52.25,6.17\n")
    result = read_assets(tmp_path / "k.csv", mapping=tmp_path / "m.toml")
    assert (
        "Mapping 'm.toml' takes description from 'omschrijving', but the file has no such column."
        in result.notes
    )


def test_resolve_columns_uses_aliases_case_insensitively():
    columns = ["NAAM", "Omschrijving", "geometry"]
    found, notes = resolve_columns(None, columns, ["name", "description"])
    assert found == {"name": "NAAM", "description": "Omschrijving"}
    assert notes == []


@pytest.mark.parametrize(
    ("columns", "preset"),
    [
        (["rubriek", "statcode", "statnaam"], "cbs_2014"),
        (["buurtcode", "buurtnaam", "wijkcode", "aantal_inwoners"], "pdok_wijkenbuurten"),
        (["wijkcode", "wijknaam", "gemeentecode"], "pdok_wijkenbuurten"),
        (["BU_CODE", "BU_NAAM", "WK_CODE", "AANT_INW"], "cbs_shape_old"),
        (["WK_CODE", "WK_NAAM"], "cbs_shape_old"),
        (["code", "name", "level"], None),
        (["buurtcode", "naam"], None),
    ],
)
def test_detect_areas_preset(columns, preset):
    found = detect_areas_preset(columns)
    assert (found.name if found else None) == preset


def test_every_type_in_the_presets_is_known():
    keys = set(catalogue().types)
    for name in preset_names():
        spec = load_mapping(name).assets
        if spec and spec.type:
            used = {r.type for r in spec.type.rules}
            used |= {t for table in spec.type.tables.values() for t in table.values()}
            assert used <= keys


# --- a mapping whose type column the file lacks: one error that names it -------------------------


def test_a_missing_type_column_is_one_error_naming_the_columns(tiny_files, tmp_path, capsys):
    table = pd.read_csv(tiny_files["assets"]).rename(columns={"type": "soort"})
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
    args = ["--areas", str(tiny_files["areas"]), "--assets", str(soort), "--mapping", str(mapping)]
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
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
