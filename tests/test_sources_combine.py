"""Combining sources in the workspace: ids need be unique only within their source, a new
download touches only OpenStreetMap (its changes listed for review), another gemeente
replaces everything only when asked, and each duplicate decision is shown.

PDOK and Overpass are the local servers of tests/fake_servers.py (the ``servers`` fixture);
real files come from ``../shared/data/real`` through the ``real_file`` fixture.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from app_helpers import DEMO
from cli_helpers import run_cli, run_json
from fake_servers import OSM
from storage_helpers import stored_workspace

from asset_map.cli import main
from asset_map.i18n import Msg, localise
from asset_map.io.osm import parse_overpass_json
from asset_map.services import sources
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store

LIBRARIES = "amsterdam_jetlag/amsterdam_libraries_points.geojson"
PARKS = "amsterdam_jetlag/amsterdam_parks_points.geojson"
WIJKEN_2014 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
DEMO_AREAS = DEMO / "areas.geojson"


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


# --- ids only have to be unique within their source ----------------------------------------------


def test_two_files_without_ids_keep_all_their_rows(real_file, tmp_path, capsys):
    """40 libraries, then 153 parks, both numbered 1, 2, 3 ... (real Amsterdam files)."""
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    areas = ["--areas", str(real_file(WIJKEN_2014)), "--gemeente", "Amsterdam"]
    first = run_json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            *areas,
            "--assets",
            str(real_file(LIBRARIES)),
            "--source",
            "Bieb",
            "--type",
            "bibliotheek",
            "--database",
            url,
        ],
    )
    assert first["assets_total"] == 40 and first["areas"]["wijk"] == 8
    second = run_json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(real_file(PARKS)),
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
    _areas, assets, _meta = stored_workspace(url)
    assert assets["source"].value_counts().to_dict() == {"Bieb": 40, "Parken": 153}
    assert sorted(assets.loc[assets["source"] == "Bieb", "id"], key=int) == [
        str(i) for i in range(1, 41)
    ]
    parks = set(assets.loc[assets["source"] == "Parken", "id"])
    assert parks == {f"parken-{i}" for i in range(1, 154)}
    # The same source again is compared with what it said before: nothing new, nothing added.
    third = run_json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(real_file(LIBRARIES)),
            "--source",
            "Bieb",
            "--type",
            "bibliotheek",
            "--database",
            url,
        ],
    )
    assert third["assets_total"] == 193
    unchanged = "Changes to review: 0 new, 0 gone, 0 changed."
    assert any("source 'Bieb' already had places" in n and unchanged in n for n in third["notes"])
    # The parks again: their renamed ids ("parken-1") are known as the file's own ("1").
    fourth = run_json(
        capsys,
        [
            *["import", "--lang", "en", "--assets", str(real_file(PARKS))],
            *["--source", "Parken", "--type", "park", "--database", url],
        ],
    )
    assert any(
        "source 'Parken' already had places" in n and unchanged in n for n in fourth["notes"]
    )
    _areas, assets, _meta = stored_workspace(url)
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


# --- one rule for fetch and import ---------------------------------------------------------------


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


def test_fetch_again_keeps_own_files(servers, tmp_path, capsys):
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    fetch = ["fetch", "--gemeente", "GM9999", "--lang", "en", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    first = run_json(capsys, fetch)
    own = tmp_path / "wijkteam.geojson"
    _assets(["w1", "w2"], "Wijkteam").to_file(own)
    run_json(
        capsys,
        ["import", "--lang", "en", "--assets", str(own), "--source", "Wijkteam", "--database", url],
    )
    again = run_json(capsys, fetch)
    assert again["assets_total"] == first["assets_total"] + 2
    # OpenStreetMap again: compared with what it said before, not replaced (nothing changed)
    assert any(
        "source 'OpenStreetMap' already had places" in n and "0 new, 0 gone, 0 changed" in n
        for n in again["notes"]
    )
    _areas, assets, meta = stored_workspace(url)
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


# --- another gemeente replaces the workspace only with --replace ---------------------------------


def _other_gemeente(tmp_path: Path) -> Path:
    """Lindeveen's shapes under the codes of GM0150 ("Eigenstad")."""
    areas = gpd.read_file(DEMO_AREAS)
    areas["code"] = areas["code"].str.replace("9999", "0150")
    path = tmp_path / "eigenstad.geojson"
    areas.to_file(path)
    return path


def _own_workspace(tmp_path: Path, capsys) -> str:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    args = [
        "import",
        "--lang",
        "en",
        "--areas",
        str(_other_gemeente(tmp_path)),
        "--source",
        "Eigenstad",
    ]
    assert main([*args, "--database", url]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return url


def test_fetch_of_another_gemeente_needs_replace(servers, tmp_path, capsys):
    pdok, overpass = servers
    url = _own_workspace(tmp_path, capsys)
    before = stored_workspace(url)[0]
    fetch = ["fetch", "--gemeente", "GM9999", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    assert main(fetch) == 2
    err = capsys.readouterr().err
    # In the CLI's language (its default may be Dutch or English).
    assert (
        "vervangt alle plekken van Eigenstad, ook uw eigen lijsten. Er is niets veranderd." in err
        or "replaces all places of Eigenstad, your own lists too. Nothing changed." in err
    ), err
    assert "asset-map fetch --replace" in err
    assert set(stored_workspace(url)[0]["code"]) == set(before["code"])  # nothing changed
    assert main([*fetch, "--replace", "--json"]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["assets_total"] == 4
    areas, _assets, meta = stored_workspace(url)
    assert meta["gemeentecode"] == "GM9999" and "BU99990101" in set(areas["code"])


def test_import_of_areas_of_another_gemeente_needs_replace(tmp_path, capsys):
    url = _own_workspace(tmp_path, capsys)
    args = ["import", "--lang", "en", "--areas", str(DEMO_AREAS), "--database", url]
    assert main(args) == 2
    assert "asset-map import --replace" in capsys.readouterr().err
    assert "BU01500101" in set(stored_workspace(url)[0]["code"])
    assert main([*args, "--replace"]) == 0, capsys.readouterr().err
    assert "BU99990101" in set(stored_workspace(url)[0]["code"])


def test_fetch_over_the_demo_or_the_same_gemeente_needs_no_replace(
    servers,
    tmp_path,
    capsys,
):
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    fetch = ["fetch", "--gemeente", "GM9999", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    assert main(fetch) == 0, capsys.readouterr().err
    assert main(fetch) == 0, capsys.readouterr().err


# --- each duplicate decision is shown ------------------------------------------------------------


def test_import_prints_each_duplicate_decision(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "areas.geojson"
    demo.areas.to_file(areas_file)
    first = tmp_path / "gemeente.geojson"
    _assets(["g1", "g2"], "Gemeente").to_file(first)
    run_json(
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
    code, out, err = run_cli(
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
    result = run_json(
        capsys, ["import", "--lang", "en", "--assets", str(second), "--database", url]
    )
    [decision] = result["decisions"]
    assert decision["decision"] == "merge" and decision["distance_m"] == pytest.approx(12, abs=0.5)
    assert decision["similarity"] == 1.0 and decision["reason"].startswith("same type")
    assert result["merged_duplicates"] == 1
