"""What a file tells about itself: the year (a column, a code, its name) and the gemeente's
name, and what ``asset-map import`` does with them (``--year`` wins; no year is unknown, not
this year)."""

from __future__ import annotations

import geopandas as gpd
from app_helpers import DEMO
from storage_helpers import stored_workspace

from asset_map.cli import main

DEMO_AREAS = DEMO / "areas.geojson"


def test_year_of_reads_columns_codes_and_names():
    import pandas as pd

    from asset_map.io.file_facts import gemeente_name_of, year_in_name, year_of

    assert year_of(pd.DataFrame({"jaar": [2019, 2019]})) == 2019
    assert year_of(pd.DataFrame({"JRSTATCODE": ["2014BU03440101", "2014WK034401"]})) == 2014
    assert year_of(pd.DataFrame({"jaarstatcode": ["2021BU02330000"]}), "x_2019.gpkg") == 2021
    assert year_of(pd.DataFrame({"code": ["BU1"]}), "cbs_buurten_2021_ermelo_GM0233.gpkg") == 2021
    assert year_of(pd.DataFrame({"bev_2016": [1], "inw_2016": [2]})) == 2016
    assert year_of(pd.DataFrame({"bev_2016": [1], "inw_2017": [2]})) is None  # two years
    assert year_in_name("wijken_GM2001.geojson") is None  # a code, not a year
    assert year_in_name("wijken 2014 en 2015.geojson") is None
    assert year_of(pd.DataFrame({"jaar": ["2014", "2015"]}), "kaart_2015.csv") == 2015
    frame = pd.DataFrame(
        {"gemeentecode": ["GM0150", "GM0150", "GM0344"], "GM_NAAM": ["Deventer"] * 2 + ["Utrecht"]}
    )
    assert gemeente_name_of(frame) is None  # two gemeenten
    assert gemeente_name_of(frame, "GM0150") == "Deventer"
    assert gemeente_name_of(pd.DataFrame({"naam": ["x"]})) is None


def test_cli_import_takes_the_year_and_name_from_the_file(tmp_path, capsys):
    areas = gpd.read_file(DEMO_AREAS)
    areas["gemeentenaam"] = "Lindeveen"
    path = tmp_path / "cbs_buurten_2021_lindeveen_GM9999.geojson"
    areas.to_file(path)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    assert main(["import", "--lang", "en", "--areas", str(path), "--database", url]) == 0, (
        capsys.readouterr().err
    )
    _areas, _assets, meta = stored_workspace(url)
    assert meta["name"] == "Lindeveen"
    assert [s["year"] for s in meta["sources"]] == [2021]
    plain = tmp_path / "wijken.geojson"
    gpd.read_file(DEMO_AREAS).to_file(plain)
    assert main(["import", "--lang", "en", "--areas", str(plain), "--database", url]) == 0
    assert [s["year"] for s in stored_workspace(url)[2]["sources"]] == [
        None
    ]  # unknown, not this year
    args = ["import", "--lang", "en", "--areas", str(plain), "--year", "2020", "--database", url]
    assert main(args) == 0
    assert [s["year"] for s in stored_workspace(url)[2]["sources"]] == [2020]  # --year wins
