"""A national GeoPackage of several layers (gemeenten, wijken, buurten), as PDOK publishes
the wijk- en buurtkaart: its wijken and buurten are read, one gemeente by name or code, and a
layer without wijken or buurten is refused, naming the layers there are.

The GeoPackage is written from the real CBS 2014 files of Deventer and Utrecht
(``../shared/data/real``): the ``pdok_gpkg`` fixture of tests/conftest.py.
"""

from __future__ import annotations

import pytest
from cli_helpers import run_cli, run_json

from asset_map._errors import SchemaError
from asset_map.io import read_areas
from asset_map.io.formats import list_layers
from asset_map.services.workspace import DEMO_DIR
from asset_map.storage import Store


def test_list_layers(pdok_gpkg):
    assert list_layers(pdok_gpkg) == ["gemeenten", "wijken", "buurten"]
    assert list_layers(DEMO_DIR / "areas.geojson") == []


def test_a_multi_layer_gpkg_is_read_by_its_wijken_and_buurten(pdok_gpkg):
    result = read_areas(pdok_gpkg, gemeente="Deventer")
    levels = result.frame["level"].value_counts().to_dict()
    assert levels == {"wijk": 15, "buurt": 68}  # Deventer's 2014 counts (PROVENANCE.md)
    assert result.frame["code"].str[2:6].eq("0150").all()
    assert result.notes[0] == "Read the layers wijken, buurten of wijkenbuurten_2014.gpkg."
    assert (
        "wijkenbuurten_2014.gpkg: read 15 areas of Deventer; skipped 10 areas of other gemeenten."
        in (result.notes)
    )
    by_code = read_areas(pdok_gpkg, gemeente="GM0344")
    assert by_code.frame["level"].value_counts().to_dict() == {"wijk": 10, "buurt": 111}
    both = read_areas(pdok_gpkg)
    assert len(both.frame) == 15 + 68 + 10 + 111


def test_a_gemeente_that_is_not_in_the_file_is_refused(pdok_gpkg):
    with pytest.raises(SchemaError, match=r"no wijken or buurten of gemeente 'Ermelo'.*Deventer"):
        read_areas(pdok_gpkg, gemeente="Ermelo")


def test_a_layer_without_wijken_and_buurten_is_refused(pdok_gpkg, tmp_path, capsys):
    with pytest.raises(SchemaError, match=r"no wijken and no buurten found \(found: 2 gemeenten\)"):
        read_areas(pdok_gpkg, layer="gemeenten")
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, _out, err = run_cli(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(pdok_gpkg),
            "--layer",
            "gemeenten",
            "--database",
            url,
        ],
    )
    assert code == 2 and "Layers in the file: gemeenten, wijken, buurten" in err
    assert Store(url).load_workspace() is None  # nothing was saved


def test_cli_imports_one_gemeente_of_a_national_file(pdok_gpkg, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    result = run_json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(pdok_gpkg),
            "--gemeente",
            "Utrecht",
            "--database",
            url,
        ],
    )
    assert result["areas"] == {"wijk": 10, "buurt": 111}
