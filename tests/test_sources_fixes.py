"""Issue 3 "real data" fixes: no silent data loss when sources are combined, and no ignored input.

Real files come from ``../shared/data/real`` (tests skip cleanly without it); PDOK and Overpass
are local HTTP servers on 127.0.0.1 (see tests/test_sources.py). Nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_sources import FakeOverpass, _serve, servers  # noqa: F401 (the fixture)

from asset_map._errors import AssetMapError, SchemaError
from asset_map.cli import main
from asset_map.i18n import Msg, localise
from asset_map.io import join_figures, read_areas
from asset_map.io.formats import list_layers
from asset_map.io.osm import parse_overpass_json
from asset_map.services import sources
from asset_map.services.figures import add_figures
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
LIBRARIES = REAL / "amsterdam_jetlag" / "amsterdam_libraries_points.geojson"
PARKS = REAL / "amsterdam_jetlag" / "amsterdam_parks_points.geojson"
WIJKEN_2014 = REAL / "cbs_2014" / "cbs_wijken_2014_5gemeenten.geojson"
BUURTEN_2014 = REAL / "cbs_2014" / "cbs_buurten_2014_coarse_5gemeenten.geojson"
UTRECHT_2019 = REAL / "cbs_kerncijfers" / "kwb2019_84583NED_GM0344_utrecht.csv"
OSM = Path(__file__).parent / "data" / "osm" / "overpass_deventer.json"

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is not here")


def _run(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys, args: list[str]) -> dict:
    code, out, err = _run(capsys, [*args, "--json"])
    assert code == 0, err
    return json.loads(out)


def _stored(url: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict]:
    store = Store(url)
    try:
        loaded = store.load_workspace()
    finally:
        store.close()
    assert loaded is not None
    return loaded


# --- 1. ids only have to be unique within their source -------------------------------------


@needs_real
def test_two_files_without_ids_keep_all_their_rows(tmp_path, capsys):
    """The audit case: 40 libraries, then 153 parks, both numbered 1, 2, 3 ..."""
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    areas = ["--areas", str(WIJKEN_2014), "--gemeente", "Amsterdam"]
    first = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            *areas,
            "--assets",
            str(LIBRARIES),
            "--source",
            "Bieb",
            "--type",
            "bibliotheek",
            "--database",
            url,
        ],
    )
    assert first["assets_total"] == 40 and first["areas"]["wijk"] == 8
    second = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(PARKS),
            "--source",
            "Parken",
            "--type",
            "park",
            "--database",
            url,
        ],
    )
    assert second["assets_total"] == 193
    assert any(
        "Another source uses the same ids as 'Parken', so its 153 new places got ids "
        "starting with 'parken-'" in note
        for note in second["notes"]
    )
    _areas, assets, _meta = _stored(url)
    assert assets["source"].value_counts().to_dict() == {"Bieb": 40, "Parken": 153}
    assert sorted(assets.loc[assets["source"] == "Bieb", "id"], key=int) == [
        str(i) for i in range(1, 41)
    ]
    parks = set(assets.loc[assets["source"] == "Parken", "id"])
    assert parks == {f"parken-{i}" for i in range(1, 154)}
    # The same source again is an updated list: its rows are replaced, not added.
    third = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(LIBRARIES),
            "--source",
            "Bieb",
            "--type",
            "bibliotheek",
            "--database",
            url,
        ],
    )
    assert third["assets_total"] == 193
    assert "Replaced 40 places of the source 'Bieb' by the new list." in third["notes"]
    _areas, assets, _meta = _stored(url)
    assert assets["source"].value_counts().to_dict() == {"Bieb": 40, "Parken": 153}
    assert set(assets.loc[assets["source"] == "Parken", "id"]) == parks  # stable ids


def test_a_clashing_id_gets_the_slug_of_its_source():
    current = _loaded(_assets(["1", "2"], "Gemeente"))
    new = _loaded(_assets(["1", "9"], "Wijkteam Noord"), areas=False)
    out = sources.combine(current, new)
    assert sorted(out.assets["id"]) == ["1", "2", "wijkteamno-1", "wijkteamno-9"]
    assert out.assets.groupby("source").size().to_dict() == {"Gemeente": 2, "Wijkteam Noord": 2}
    clash = next(n for n in out.notes if isinstance(n, Msg) and n.key == "note.sources.id_clash")
    assert "Een andere bron gebruikt dezelfde ids als 'Wijkteam Noord'" in localise(clash, "nl")


# --- 2. combine is the one rule for fetch and import ---------------------------------------


def _assets(ids: list[str], source: str, *, x0: float = 6.10) -> gpd.GeoDataFrame:
    """Places 500 m apart in Lindeveen's corner of the country, one per id."""
    n = len(ids)
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name": [f"{source} plek {i}" for i in ids],
            "type": ["buurthuis"] * n,
            "status": ["existing"] * n,
            "description": [""] * n,
            "address": [""] * n,
            "tags": [""] * n,
            "capacity": [np.nan] * n,
            "source": [source] * n,
        },
        geometry=gpd.points_from_xy([x0 + 0.01 * k for k in range(n)], [52.25] * n),
        crs="EPSG:4326",
    )


def _loaded(
    assets: gpd.GeoDataFrame, *, areas: bool = True, code: str = "GM9999"
) -> sources.Loaded:
    demo = load_workspace(DEMO_DIR)
    frame = demo.areas if areas else demo.areas.iloc[0:0]
    meta = {"name": "Lindeveen", "gemeentecode": code, "is_demo": False, "sources": []}
    return sources.Loaded(frame, assets, meta if areas else {"is_demo": False, "sources": []})


def test_a_new_download_of_the_same_gemeente_replaces_only_openstreetmap():
    osm = parse_overpass_json(OSM.read_bytes()).frame
    own = _assets(["w1", "w2", "w3"], "Wijkteam")
    current = _loaded(pd.concat([own, osm], ignore_index=True))
    current.meta["sources"] = [sources.cbs_source(2023), sources.osm_source()]
    fresh = osm.iloc[:-2]  # OpenStreetMap now has two places fewer
    new = _loaded(fresh, code="GM9999")
    new.meta["sources"] = [sources.cbs_source(2024), sources.osm_source()]
    out = sources.combine(current, new)
    assert out.assets["source"].value_counts().to_dict() == {
        "OpenStreetMap": len(fresh),
        "Wijkteam": 3,
    }
    assert f"Replaced {len(osm)} places of the source 'OpenStreetMap' by the new list." in out.notes
    assert [s["name"] for s in out.meta["sources"]] == [
        "CBS/Kadaster wijk- en buurtkaart 2024 (PDOK)",  # the new areas replaced the old
        sources.osm_source()["name"],
    ]


def test_another_gemeente_or_the_demo_is_replaced_whole():
    current = _loaded(_assets(["w1"], "Wijkteam"))
    other = _loaded(_assets(["x1"], "Deventer lijst"), code="GM0150")
    other.meta["name"] = "Deventer"
    out = sources.combine(current, other)
    assert out.assets["id"].tolist() == ["x1"]
    assert out.notes[-1] == (
        "Deventer is another gemeente than Lindeveen, so the workspace was replaced whole: "
        "the wijken, buurten, places and sources of Lindeveen are gone."
    )
    demo = load_workspace(DEMO_DIR)
    current = sources.Loaded(demo.areas, demo.assets, demo.meta)
    out = sources.combine(current, other)
    assert out.assets["id"].tolist() == ["x1"]
    assert localise(out.notes[-1], "nl") == "De demo is helemaal vervangen door Deventer."


def test_gemeente_of_reads_the_code_from_the_areas():
    demo = load_workspace(DEMO_DIR)
    assert sources.gemeente_of(sources.Loaded(demo.areas, demo.assets, {})) == "GM9999"
    empty = sources.Loaded(demo.areas.iloc[0:0], demo.assets, {})
    assert sources.gemeente_of(empty) is None


def test_fetch_again_keeps_own_files(servers, tmp_path, capsys):  # noqa: F811
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    fetch = ["fetch", "--gemeente", "GM9999", "--lang", "en", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    first = _json(capsys, fetch)
    own = tmp_path / "wijkteam.geojson"
    _assets(["w1", "w2"], "Wijkteam").to_file(own)
    _json(
        capsys,
        ["import", "--lang", "en", "--assets", str(own), "--source", "Wijkteam", "--database", url],
    )
    again = _json(capsys, fetch)
    assert again["assets_total"] == first["assets_total"] + 2
    assert any("places of the source 'OpenStreetMap' by the new list" in n for n in again["notes"])
    _areas, assets, meta = _stored(url)
    assert (assets["source"] == "Wijkteam").sum() == 2
    assert meta["gemeentecode"] == "GM9999"
    assert [s.get("layer") for s in meta["sources"]] == ["areas", "assets", "assets"]


def test_saving_says_how_many_activities_went_with_their_places(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    try:
        current = _loaded(_assets(["w1", "w2"], "Wijkteam"))
        sources.save(store, current, actor="test")
        store.save_activity(
            {
                "asset_id": "w2",
                "title": "Koffieochtend",
                "kind": "koffieochtend",
                "weekday": 2,
                "start": "09:30",
                "end": "11:00",
            },
            actor="test",
        )
        updated = sources.combine(sources.current(store), _loaded(_assets(["w1"], "Wijkteam")))
        notes = sources.save(store, updated, actor="test")
        assert notes == [
            "1 activities and 0 place needs belonged to places that are gone; they were deleted."
        ]
        assert notes[0] in updated.notes
        assert store.activities().empty
    finally:
        store.close()


# --- 3. an empty Overpass answer keeps the areas -------------------------------------------


class EmptyOverpass(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), EmptyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/interpreter"


class EmptyHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # The gemeente's boundary area and no places; an area element as Overpass outputs one
        # (teritorio/Underpass-API, test/output.rb: {"type":"area","id":36...,"tags":{...}}).
        area = {"type": "area", "id": 3600009999, "tags": {"name": "Lindeveen"}}
        body = json.dumps({"version": 0.6, "elements": [area]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def empty_overpass() -> Iterator[EmptyOverpass]:
    server = EmptyOverpass()
    thread = _serve(server)
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_empty_overpass_answer_keeps_the_areas(servers, empty_overpass, tmp_path, capsys):  # noqa: F811
    pdok, _overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    result = _json(
        capsys,
        [
            "fetch",
            "--gemeente",
            "GM9999",
            "--lang",
            "en",
            "--database",
            url,
            "--pdok-url",
            pdok.base,
            "--overpass-url",
            empty_overpass.url,
        ],
    )
    assert result["areas"] == {"wijk": 2, "buurt": 5} and result["assets_total"] == 0
    assert (
        "OpenStreetMap gave no places for this gemeente; the wijken and buurten were loaded. "
        "Try again later or import a file."
    ) in result["notes"]
    assert [s["licence"] for s in result["sources"]] == ["CC BY 4.0"]  # no OSM entry
    areas, _assets, _meta = _stored(url)
    assert len(areas) == 7


# --- 4. a national GeoPackage with several layers ------------------------------------------


@pytest.fixture
def pdok_gpkg(tmp_path) -> Path:
    """A PDOK-style GeoPackage (gemeenten, wijken, buurten) of Deventer and Utrecht, 2014."""
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is not here")
    keep = ["GM0150", "GM0344"]
    wijken = gpd.read_file(WIJKEN_2014)
    buurten = gpd.read_file(BUURTEN_2014)
    wijken = wijken[wijken["gemeentecode"].isin(keep)]
    buurten = buurten[buurten["gemeentecode"].isin(keep)]
    gemeenten = wijken.dissolve(by=["gemeentecode", "gemeentenaam"]).reset_index()
    names = {"statcode": "wijkcode", "statnaam": "wijknaam"}
    w = wijken.rename(columns=names)[
        ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "geometry"]
    ]
    b = buurten.rename(columns={"statcode": "buurtcode", "statnaam": "buurtnaam"})
    b["wijkcode"] = "WK" + b["buurtcode"].str[2:8]
    b = b[["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "geometry"]]
    path = tmp_path / "wijkenbuurten_2014.gpkg"
    for layer, frame in [
        ("gemeenten", gemeenten[["gemeentecode", "gemeentenaam", "geometry"]]),
        ("wijken", w),
        ("buurten", b),
    ]:
        frame.to_crs(28992).to_file(path, layer=layer, driver="GPKG")
    return path


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
    code, _out, err = _run(
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


@needs_real
def test_cli_imports_one_gemeente_of_a_national_file(pdok_gpkg, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    result = _json(
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


# --- 5. key figures onto the stored areas --------------------------------------------------


@needs_real
def test_figures_alone_join_onto_the_stored_areas(pdok_gpkg, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(pdok_gpkg),
            "--gemeente",
            "GM0344",
            "--database",
            url,
        ],
    )
    result = _json(
        capsys, ["import", "--lang", "en", "--figures", str(UTRECHT_2019), "--database", url]
    )
    entry = result["sources"][-1]
    assert entry == {
        "name": "CBS Kerncijfers wijken en buurten",
        "licence": "CC BY 4.0",
        "year": 2019,
        "layer": "figures",
        "file": UTRECHT_2019.name,
        "levels": ["wijk", "buurt"],  # the Utrecht CSV has rows for both
    }
    areas, _assets, _meta = _stored(url)
    buurten = areas[areas["level"] == "buurt"]
    assert buurten["inhabitants"].notna().sum() == 111  # all 111 Utrecht buurten of 2014
    welgelegen = areas.loc[areas["code"] == "BU03440111"]
    assert welgelegen["inhabitants"].iloc[0] == 1500  # the CSV's AantalInwoners_5
    assert welgelegen["name"].iloc[0] != ""  # the other columns stay


def test_add_figures_needs_areas(tmp_path):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    with pytest.raises(AssetMapError, match="no wijken and buurten yet"):
        add_figures(None, csv)


def test_add_figures_takes_the_given_year_and_replaces_an_older_entry(tmp_path):
    demo = load_workspace(DEMO_DIR)
    code = demo.areas.loc[demo.areas["level"] == "buurt", "code"].iloc[0]
    csv = tmp_path / "kwb.csv"
    csv.write_text(f"code,inhabitants\n{code},1234\n")
    current = sources.Loaded(demo.areas, demo.assets, {"sources": []})
    once = add_figures(current, csv, year=2022)
    twice = add_figures(once, csv, year=2023)
    assert [s["year"] for s in twice.meta["sources"]] == [2023]
    assert twice.areas.loc[twice.areas["code"] == code, "inhabitants"].iloc[0] == 1234


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--layer", "wijken"], "--layer"),
        (["--gemeente", "Deventer"], "--gemeente"),
        (["--crs", "EPSG:28992"], "--crs"),
        (["--source", "X"], "--source"),
        (["--mapping", "cbs_2014"], "--mapping"),
    ],
)
def test_options_that_would_be_ignored_are_refused(args, option, tmp_path, capsys):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, _out, err = _run(
        capsys, ["import", "--lang", "en", "--figures", str(csv), *args, "--database", url]
    )
    assert code == 2
    assert f"import: the option {option} has no effect here" in err


def test_report_refuses_figures_it_would_ignore(tmp_path, capsys):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, _out, err = _run(
        capsys,
        [
            "report",
            "--wijk",
            "WK999901",
            "--figures",
            str(csv),
            "--database",
            url,
            "--out",
            str(tmp_path / "r.pdf"),
            "--lang",
            "en",
        ],
    )
    assert code == 2 and "asset-map import --figures FILE" in err


# --- 7. the duplicate decisions are shown ---------------------------------------------------


def test_import_prints_each_duplicate_decision(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "areas.geojson"
    demo.areas.to_file(areas_file)
    first = tmp_path / "gemeente.geojson"
    _assets(["g1", "g2"], "Gemeente").to_file(first)
    _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(areas_file),
            "--assets",
            str(first),
            "--database",
            url,
        ],
    )
    twin = _assets(["t1"], "Wijkteam").to_crs(28992)
    twin["name"] = ["Gemeente plek g1"]
    twin["geometry"] = twin.geometry.translate(12, 0)  # 12 m from g1
    second = tmp_path / "wijkteam.geojson"
    twin.to_crs(4326).to_file(second)
    code, out, err = _run(
        capsys, ["import", "--lang", "en", "--assets", str(second), "--database", url]
    )
    assert code == 0
    assert (
        "likely duplicate: 'Gemeente plek g1' (Gemeente) and 'Gemeente plek g1' "
        "(Wijkteam), 12 m apart, names 1.00 alike: merged (same type, 12 m apart, "
        "names 1.00 alike)"
    ) in out
    assert "note: 1 likely duplicate merged across sources." in err
    store = Store(url)
    store.save_workspace(demo.areas, _assets(["g1", "g2"], "Gemeente"), meta={}, actor="t")
    store.close()
    result = _json(capsys, ["import", "--lang", "en", "--assets", str(second), "--database", url])
    [decision] = result["decisions"]
    assert decision["decision"] == "merge" and decision["distance_m"] == pytest.approx(12, abs=0.5)
    assert decision["similarity"] == 1.0 and decision["reason"].startswith("same type")
    assert result["merged_duplicates"] == 1


# --- 8. CBS's nil mark ----------------------------------------------------------------------


def test_the_cbs_nil_mark_is_missing_not_refused(tmp_path):
    demo = load_workspace(DEMO_DIR)
    codes = demo.areas.loc[demo.areas["level"] == "buurt", "code"].head(2).tolist()
    csv = tmp_path / "kwb.csv"
    csv.write_text(f"code,AantalInwoners_5\n{codes[0]},-\n{codes[1]},250\n")
    result = join_figures(demo.areas, csv)
    values = result.frame.set_index("code")["inhabitants"]
    assert np.isnan(values[codes[0]]) and values[codes[1]] == 250
    note = "Read 1 cell with '-' in column 'AantalInwoners_5' of kwb.csv as missing, not as 0."
    assert note in result.notes


def test_a_csv_without_a_code_column_names_a_real_fix(tmp_path):
    demo = load_workspace(DEMO_DIR)
    csv = tmp_path / "kwb.csv"
    csv.write_text("gebied,inhabitants\nBU99990101,10\n")
    with pytest.raises(SchemaError) as caught:
        join_figures(demo.areas, csv)
    assert "code_column" not in str(caught.value)
    assert "rename the column in the file" in str(caught.value)
