"""Wijken and buurten of both levels: read together, or imported one after the other.

New areas replace the stored areas of their own level; the stored areas of the other level
stay when their codes fit (a buurt's wijk is among the wijken). What does not fit is refused
with the file named, and removed only with ``--replace``. Real files: Deventer's CBS 2014
wijken and buurten (15 and 68, PROVENANCE.md), its 2024 key figures per wijk, and the Ermelo
GeoPackage of PDOK's 2021 schema, all read in place from ``../shared/data/real``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from cli_helpers import run_map
from shapely.geometry import box

from asset_map._errors import SchemaError
from asset_map.analysis.area_levels import keep_levels, merge_levels
from asset_map.cli import main
from asset_map.i18n import localise
from asset_map.io.area_files import read_area_files
from asset_map.services import sources
from asset_map.storage import Store

WIJKEN_5 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
BUURTEN_5 = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
FIGURES_2024 = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"
DEVENTER_ASSETS = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
ERMELO = "schema_sample_ermelo/cbs_buurten_2021_ermelo_GM0233.gpkg"


@pytest.fixture
def deventer(real_file, tmp_path) -> tuple[Path, Path]:
    """Deventer's wijken and buurten of 2014 (GM0150: 15 and 68), written as two files."""
    paths = []
    for relative, name in ((WIJKEN_5, "wijken.geojson"), (BUURTEN_5, "buurten.geojson")):
        frame = gpd.read_file(real_file(relative))
        path = tmp_path / name
        frame[frame["gemeentecode"] == "GM0150"].to_file(path)
        paths.append(path)
    return paths[0], paths[1]


def _run(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _import(capsys, url: str, *args: str) -> dict:
    code, out, err = _run(capsys, ["import", "--lang", "en", *args, "--database", url, "--json"])
    assert code == 0, err
    return json.loads(out)


def _stored(url: str) -> tuple[gpd.GeoDataFrame, dict, str]:
    store = Store(url)
    try:
        areas, _assets, meta = store.load_workspace()
        return areas, meta, store.workspace_version()
    finally:
        store.close()


def _levels(areas: pd.DataFrame) -> dict[str, int]:
    return {k: int(v) for k, v in areas["level"].value_counts().items()}


# --- one import, two files -----------------------------------------------------------------


def test_two_areas_files_in_one_import_store_both_levels(deventer, real_file, tmp_path, capsys):
    wijken, buurten = deventer
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    figures = real_file(FIGURES_2024)
    result = _import(
        capsys, url, "--areas", str(wijken), "--areas", str(buurten), "--figures", str(figures)
    )
    assert result["areas"] == {"wijk": 15, "buurt": 68}
    areas, meta, _version = _stored(url)
    assert _levels(areas) == {"wijk": 15, "buurt": 68}
    # The 2024 figures are per wijk: they join onto the 15 wijken (103,390 residents).
    wijk_rows = pd.read_csv(figures)
    deventer_wijken = wijk_rows[wijk_rows["regiocode"].str.startswith("WK0150")]
    inhabitants = areas.loc[areas["level"] == "wijk", "inhabitants"]
    assert inhabitants.sum() == deventer_wijken["AantalInwoners_5"].sum() == 103_390
    # One source entry per file, each saying its level; the figures say theirs.
    assert [(s["file"], s["levels"]) for s in meta["sources"]] == [
        ("wijken.geojson", ["wijk"]),
        ("buurten.geojson", ["buurt"]),
        (figures.name, ["wijk"]),
    ]


def test_a_code_in_two_files_is_refused_naming_both(deventer, tmp_path, capsys):
    wijken, buurten = deventer
    copy = tmp_path / "buurten_kopie.geojson"
    copy.write_bytes(buurten.read_bytes())
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    args = ["import", "--lang", "en", "--areas", str(wijken), "--areas", str(buurten)]
    code, _out, err = _run(capsys, [*args, "--areas", str(copy), "--database", url])
    assert code == 2
    assert "buurten_kopie.geojson: 68 areas are also in buurten.geojson" in err
    assert Store(url).load_workspace() is None  # nothing was saved


def test_figures_per_wijk_onto_buurten_only_name_the_missing_wijken(
    deventer, real_file, tmp_path, capsys
):
    _wijken, buurten = deventer
    figures = real_file(FIGURES_2024)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    args = ["import", "--lang", "en", "--areas", str(buurten), "--figures", str(figures)]
    code, _out, err = _run(capsys, [*args, "--database", url])
    assert code == 2
    assert (
        f"{figures.name}: the figures are about wijken, but there are only buurten to join "
        "them onto. Add the wijken first" in err
    )


# --- one import after the other ------------------------------------------------------------


def test_buurten_after_wijken_keep_the_wijken_and_wijken_again_keep_the_buurten(
    deventer, real_file, tmp_path, capsys
):
    wijken, buurten = deventer
    figures = real_file(FIGURES_2024)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    _import(capsys, url, "--areas", str(wijken), "--figures", str(figures))
    second = _import(capsys, url, "--areas", str(buurten))
    assert second["areas"] == {"wijk": 15, "buurt": 68}
    assert "Wijken and buurten: 15 wijken kept, 68 buurten added." in second["notes"]
    areas, meta, _version = _stored(url)
    # The figures joined onto the kept wijken stay with them, and so does their entry.
    assert areas.loc[areas["level"] == "wijk", "inhabitants"].sum() == 103_390
    assert [s.get("file") for s in meta["sources"]] == [
        "wijken.geojson",
        "buurten.geojson",
        figures.name,
    ]
    # The wijken again (a new file of the same layout): the buurten stay; the figures that
    # were joined onto the old wijken go with them, and so does their entry.
    again = tmp_path / "wijken_opnieuw.geojson"
    again.write_bytes(wijken.read_bytes())
    third = _import(capsys, url, "--areas", str(again))
    assert third["areas"] == {"wijk": 15, "buurt": 68}
    kept = "Wijken and buurten: 15 wijken replaced by 15 new ones, 68 buurten kept."
    assert kept in third["notes"]
    areas, meta, _version = _stored(url)
    assert areas.loc[areas["level"] == "wijk", "inhabitants"].isna().all()
    assert [(s.get("file"), s["levels"]) for s in meta["sources"]] == [
        ("buurten.geojson", ["buurt"]),
        ("wijken_opnieuw.geojson", ["wijk"]),
    ]


def test_wijken_that_do_not_fit_need_replace_and_say_what_went(deventer, tmp_path, capsys):
    wijken, buurten = deventer
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    _import(capsys, url, "--areas", str(wijken), "--areas", str(buurten))
    _areas, _meta, version = _stored(url)
    # Ten of the fifteen wijken, as if of another layout: 13 buurten lie in the other five.
    frame = gpd.read_file(wijken)
    ten = tmp_path / "wijken_tien.geojson"
    frame[frame["statcode"] <= "WK015010"].to_file(ten)
    args = ["import", "--lang", "en", "--areas", str(ten), "--database", url]
    code, _out, err = _run(capsys, args)
    assert code == 2
    assert (
        "wijken_tien.geojson: 13 of the 68 stored buurten lie in none of its wijken "
        "(e.g. BU01501504 in WK015015)." in err
    )
    assert "With this file the 68 stored buurten would go. Nothing changed." in err
    assert "`asset-map import --replace`" in err
    assert _stored(url)[2] == version  # nothing was saved
    replaced = _import(capsys, url, "--areas", str(ten), "--replace")
    assert replaced["areas"] == {"wijk": 10, "buurt": 0}
    assert (
        "Wijken and buurten: 15 wijken replaced by 10 new ones, 68 buurten removed, as they do "
        "not fit the new ones." in replaced["notes"]
    )
    _areas, meta, _version = _stored(url)
    assert [s.get("file") for s in meta["sources"]] == ["wijken_tien.geojson"]


def test_buurten_of_wijken_that_are_not_stored_are_refused_naming_the_file(
    deventer, tmp_path, capsys
):
    wijken, buurten = deventer
    frame = gpd.read_file(wijken)
    ten = tmp_path / "wijken_tien.geojson"
    frame[frame["statcode"] <= "WK015010"].to_file(ten)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    _import(capsys, url, "--areas", str(ten))
    code, _out, err = _run(capsys, ["import", "--areas", str(buurten), "--database", url])
    assert code == 2  # the message in Dutch, the default
    assert (
        "buurten.geojson: 13 van de 68 buurten in dit bestand horen bij geen van de "
        "opgeslagen wijken (bijvoorbeeld BU01501504 in WK015015)." in err
    )
    assert "gaan de 10 opgeslagen wijken weg" in err


# --- a GeoPackage with a wijken and a buurten layer ----------------------------------------


@pytest.fixture
def ermelo(real_file, tmp_path) -> tuple[Path, Path]:
    """The Ermelo sample (buurten only), and a GeoPackage with its wijken and buurten layers.

    The wijken are the sample's buurten dissolved by ``wijkcode``, with PDOK's column names.
    """
    sample = real_file(ERMELO)
    buurten = gpd.read_file(sample)
    wijken = buurten.dissolve(by="wijkcode", as_index=False)[
        ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water", "geometry"]
    ]
    both = tmp_path / "wijkenbuurten_2021_ermelo.gpkg"
    wijken.to_file(both, layer="wijken", driver="GPKG")
    buurten.to_file(both, layer="buurten", driver="GPKG")
    return sample, both


def test_a_geopackage_with_wijken_and_buurten_layers_loads_both(ermelo, tmp_path, capsys):
    sample, both = ermelo
    file_buurten = gpd.read_file(sample)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    first = _import(capsys, url, "--areas", str(both))
    areas, meta, _version = _stored(url)
    wijk_codes = set(areas.loc[areas["level"] == "wijk", "code"])
    buurt_codes = set(areas.loc[areas["level"] == "buurt", "code"])
    land = file_buurten[file_buurten["water"] == "NEE"]
    assert set(land["buurtcode"]) <= buurt_codes <= set(file_buurten["buurtcode"])
    assert set(land["wijkcode"]) <= wijk_codes <= set(file_buurten["wijkcode"])
    assert first["areas"] == {"wijk": len(wijk_codes), "buurt": len(buurt_codes)}
    assert [s["levels"] for s in meta["sources"]] == [["wijk", "buurt"]]
    # The single-layer sample (buurten only) again: the wijken of the GeoPackage stay.
    again = _import(capsys, url, "--areas", str(sample))
    assert again["areas"] == first["areas"]
    areas, meta, _version = _stored(url)
    assert set(areas.loc[areas["level"] == "wijk", "code"]) == wijk_codes
    assert [(s["file"], s["levels"]) for s in meta["sources"]] == [
        (both.name, ["wijk"]),
        (sample.name, ["buurt"]),
    ]


# --- the rule itself, on tiny frames with known answers ------------------------------------


def _areas(rows: list[tuple[str, str, str | None]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "level": [r[1] for r in rows],
            "parent_code": [r[2] for r in rows],
            "inhabitants": [float(i) for i in range(len(rows))],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(len(rows))],
        crs="EPSG:4326",
    )


def test_merge_levels_keeps_fitting_levels_and_removes_the_rest():
    stored = _areas([("WK000101", "wijk", "GM0001"), ("BU00010101", "buurt", "WK000101")])
    new_buurten = _areas([("BU00010102", "buurt", "WK000101")])
    merged = merge_levels(stored, new_buurten, files={"buurt": "b.geojson"})
    assert sorted(merged.areas["code"]) == ["BU00010102", "WK000101"]
    assert (merged.kept, merged.removed, merged.misfit) == ({"wijk": 1}, {}, None)
    assert merged.areas.set_index("code").loc["WK000101", "inhabitants"] == 0  # kept as it was
    other = _areas([("BU00010201", "buurt", "WK000102")])
    refused = merge_levels(stored, other, files={"buurt": "b.geojson"})
    assert refused.removed == {"wijk": 1}
    assert refused.misfit == (
        "b.geojson: 1 of its 1 buurten lie in none of the stored wijken "
        "(e.g. BU00010201 in WK000102)."
    )
    assert localise(refused.gone(), "nl") == "de 1 opgeslagen wijk"
    assert list(refused.areas["code"]) == ["BU00010201"]


def test_combine_refuses_what_does_not_fit_unless_told_to_replace():
    stored = _areas([("WK000101", "wijk", "GM0001"), ("BU00010101", "buurt", "WK000101")])
    current = sources.Loaded(stored, _no_assets(), {"name": "X", "sources": []})
    other = sources.Loaded(_areas([("WK000102", "wijk", "GM0001")]), _no_assets(), {})
    with pytest.raises(SchemaError, match=r"the 1 stored buurt would go"):
        sources.combine(current, other)
    out = sources.combine(current, other, replace_levels=True)
    assert list(out.areas["code"]) == ["WK000102"]


def test_an_entry_without_levels_is_about_every_stored_level():
    legacy = {"name": "kaart", "layer": "areas"}
    assert keep_levels(legacy, {"wijk"}, ["wijk", "buurt"]) == {**legacy, "levels": ["buurt"]}
    assert keep_levels(legacy, {"wijk", "buurt"}, ["wijk", "buurt"]) is None
    places = {"name": "lijst", "layer": "assets"}
    assert keep_levels(places, {"wijk", "buurt"}, ["wijk", "buurt"]) is places


def test_read_area_files_says_the_levels_of_each_file(deventer):
    wijken, buurten = deventer
    read = read_area_files([wijken, buurten])
    assert read.levels == {wijken: ["wijk"], buurten: ["buurt"]}
    assert read.file_of() == {"wijk": "wijken.geojson", "buurt": "buurten.geojson"}


def _no_assets() -> gpd.GeoDataFrame:
    from asset_map.model import ASSET_COLUMNS

    return gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")


# --- wijken and buurten from two files make one map ----------------------------------------------


def test_wijken_and_buurten_from_two_files_make_one_map(real_file, tmp_path, capsys):
    wijken, buurten = real_file(WIJKEN_5), real_file(BUURTEN_5)
    args = [
        "--areas",
        str(wijken),
        "--areas",
        str(buurten),
        "--assets",
        str(real_file(DEVENTER_ASSETS)),
    ]
    out_file = tmp_path / "m.html"
    code, out, _ = run_map(capsys, *args, "--out", str(out_file), "--json")
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
    wijken = str(real_file(WIJKEN_5))
    args = ["--areas", wijken, "--areas", wijken, "--assets", str(real_file(DEVENTER_ASSETS))]
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 2
    assert "99 areas are also in cbs_wijken_2014_5gemeenten.geojson" in err
    assert "given twice" in err


def test_read_area_files_puts_a_wijk_and_its_buurten_together(tiny_areas, tmp_path):
    from asset_map._errors import SchemaError

    wijken_path, buurten_path = tmp_path / "wijken.geojson", tmp_path / "buurten.geojson"
    tiny_areas[tiny_areas["level"] == "wijk"].to_file(wijken_path)
    tiny_areas[tiny_areas["level"] == "buurt"].to_file(buurten_path)
    areas = read_area_files([wijken_path, buurten_path]).frame
    assert sorted(areas["code"]) == sorted(tiny_areas["code"])
    assert str(areas.crs) == "EPSG:4326"
    with pytest.raises(SchemaError, match=r"buurten.geojson: 2 areas are also in buurten"):
        read_area_files([buurten_path, buurten_path])
