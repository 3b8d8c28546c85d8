"""Refresh from the sources: a source fetched or imported again is compared, not replaced.

The changes (new, gone, changed places) wait for a decision; local edits and staff decisions
survive; nothing is deleted without a decision. PDOK and Overpass are the local servers of
tests/fake_servers.py; the later Overpass answer (``overpass_deventer_later.json``) is the
recorded-shape fixture ``overpass_deventer.json`` with one place added, one removed and one
renamed (see tests/data/osm/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from cli_helpers import run_cli, run_json
from shapely.geometry import Point
from storage_helpers import stored_workspace

from asset_map.storage import Store

LATER = Path(__file__).parent / "data" / "osm" / "overpass_deventer_later.json"
EDITED = "Koffie op dinsdag en donderdag, ook voor nieuwe buren"


def _fetch(servers, url: str) -> list[str]:
    pdok, overpass = servers
    args = ["fetch", "--gemeente", "GM9999", "--lang", "en", "--database", url]
    return [*args, "--pdok-url", pdok.base, "--overpass-url", overpass.url]


@pytest.fixture
def refreshed(servers, tmp_path, capsys) -> tuple[str, dict]:
    """Fetch, edit a place here, fetch the later answer; return the URL and the listing."""
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(capsys, _fetch(servers, url))
    with Store(url) as store:
        store.update_asset("osm:node/1001", {"description": EDITED}, actor="wijkmanager")
    servers[1].answer = LATER
    again = run_json(capsys, _fetch(servers, url))
    assert any("Changes to review: 1 new, 1 gone, 1 changed" in n for n in again["notes"])
    return url, run_json(capsys, ["refresh", "list", "--database", url])


def _kinds(listing: dict) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(c["kind"], c["source_id"], tuple(c["fields"])) for c in listing["changes"]}


def test_refresh_lists_exactly_the_added_removed_and_renamed_places(refreshed):
    _url, listing = refreshed
    assert _kinds(listing) == {
        ("new", "osm:node/1004", ()),
        ("gone", "osm:node/1002", ()),
        ("changed", "osm:way/2001", ("name",)),
    }
    renamed = next(c for c in listing["changes"] if c["kind"] == "changed")
    assert (renamed["old"], renamed["new"]) == ({"name": "Rijnvis Park"}, {"name": "Rijnvispark"})
    assert listing["summary"] == {"OpenStreetMap": {"new": 1, "gone": 1, "changed": 1}}


def test_refresh_changes_nothing_before_a_decision(refreshed):
    url, _listing = refreshed
    _areas, assets, _meta = stored_workspace(url)
    by_id = assets.set_index("id")
    assert "osm:node/1002" in by_id.index  # gone from the source, not deleted
    assert "osm:node/1004" not in by_id.index  # new in the source, not added yet
    assert by_id.loc["osm:way/2001", "name"] == "Rijnvis Park"
    assert by_id.loc["osm:node/1001", "description"] == EDITED


def test_accepting_all_carries_out_the_changes_and_keeps_the_local_edit(refreshed, capsys):
    url, _listing = refreshed
    code, out, err = run_cli(
        capsys, ["refresh", "accept", "--all", "--lang", "en", "--database", url]
    )
    assert code == 0, err
    assert "3 change(s) accepted." in out
    _areas, assets, _meta = stored_workspace(url)
    by_id = assets.set_index("id")
    assert "osm:node/1002" not in by_id.index
    assert by_id.loc["osm:node/1004", "name"] == "Bibliotheek De Hoven"
    assert by_id.loc["osm:node/1004", "source"] == "OpenStreetMap"
    assert by_id.loc["osm:way/2001", "name"] == "Rijnvispark"
    assert by_id.loc["osm:node/1001", "description"] == EDITED
    assert run_json(capsys, ["refresh", "list", "--database", url])["changes"] == []


def test_the_same_answer_again_lists_no_change_after_the_decisions(servers, refreshed, capsys):
    url, listing = refreshed
    renamed = next(c["id"] for c in listing["changes"] if c["kind"] == "changed")
    others = [c["id"] for c in listing["changes"] if c["id"] != renamed]
    assert run_cli(capsys, ["refresh", "reject", renamed[:8], "--database", url])[0] == 0
    assert run_cli(capsys, ["refresh", "accept", *others, "--database", url])[0] == 0
    run_json(capsys, _fetch(servers, url))  # the later answer once more
    assert run_json(capsys, ["refresh", "list", "--database", url])["changes"] == []
    by_id = stored_workspace(url)[1].set_index("id")
    assert by_id.loc["osm:way/2001", "name"] == "Rijnvis Park"  # rejected: stays as it was


def test_a_change_of_a_field_edited_here_keeps_the_local_value(servers, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(capsys, _fetch(servers, url))
    with Store(url) as store:  # a staff decision: the park is a meeting place now
        store.update_asset("osm:way/2001", {"name": "Ontmoetingstuin Rijnvis"}, actor="staff")
    servers[1].answer = LATER
    run_json(capsys, _fetch(servers, url))
    listing = run_json(capsys, ["refresh", "list", "--database", url])
    renamed = next(c for c in listing["changes"] if c["kind"] == "changed")
    assert renamed["kept_local"] == ["name"]
    assert run_cli(capsys, ["refresh", "accept", "--all", "--database", url])[0] == 0
    by_id = stored_workspace(url)[1].set_index("id")
    assert by_id.loc["osm:way/2001", "name"] == "Ontmoetingstuin Rijnvis"


def test_a_place_closed_or_deleted_here_survives_the_refresh(servers, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(capsys, _fetch(servers, url))
    with Store(url) as store:
        store.update_asset("osm:node/1001", {"status": "closed"}, actor="wijkmanager")
        store.delete_asset("osm:relation/3001", actor="wijkmanager")
    run_json(capsys, _fetch(servers, url))  # the same answer: the source did not change
    assert run_json(capsys, ["refresh", "list", "--database", url])["changes"] == []
    by_id = stored_workspace(url)[1].set_index("id")
    assert by_id.loc["osm:node/1001", "status"] == "closed"
    assert "osm:relation/3001" not in by_id.index


def _own_file(path: Path, names: dict[str, str]) -> Path:
    rows = [
        {"id": i, "name": n, "type": "buurthuis", "geometry": Point(6.16 + k / 1000, 52.256)}
        for k, (i, n) in enumerate(names.items())
    ]
    gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").to_file(path)
    return path


def test_an_own_file_imported_again_is_listed_for_review(servers, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(capsys, _fetch(servers, url))
    first = _own_file(tmp_path / "wijkteam.geojson", {"w1": "De Kroon", "w2": "Het Anker"})
    imp = ["import", "--source", "Wijkteam", "--database", url, "--assets"]
    run_json(capsys, [*imp, str(first)])
    later = _own_file(tmp_path / "wijkteam2.geojson", {"w1": "De Kroon", "w3": "De Brug"})
    run_json(capsys, [*imp, str(later)])
    listing = run_json(capsys, ["refresh", "list", "--database", url])
    assert _kinds(listing) == {("new", "w3", ()), ("gone", "w2", ())}
    assert {"w1", "w2"} <= set(stored_workspace(url)[1]["id"])


def test_replacing_the_places_forgets_the_changes_waiting_for_them(servers, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    first = _own_file(tmp_path / "wijkteam.geojson", {"w1": "De Kroon", "w2": "Het Anker"})
    later = _own_file(tmp_path / "wijkteam2.geojson", {"w1": "De Kroon", "w3": "De Brug"})
    run_json(capsys, _fetch(servers, url))
    imp = ["import", "--source", "Wijkteam", "--database", url, "--assets"]
    run_json(capsys, [*imp, str(first)])
    run_json(capsys, [*imp, str(later)])
    assert len(run_json(capsys, ["refresh", "list", "--database", url])["changes"]) == 2
    run_json(capsys, [*imp, str(later), "--replace-assets"])  # the user replaces all places
    assert run_json(capsys, ["refresh", "list", "--database", url])["changes"] == []
    assert set(stored_workspace(url)[1]["id"]) == {"w1", "w3"}


def test_a_merged_place_that_one_source_drops_keeps_the_other_source(servers, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(capsys, _fetch(servers, url))
    centre = stored_workspace(url)[1].set_index("id").loc["osm:node/1001", "geometry"]
    near = Point(centre.x + 0.00005, centre.y)  # about 3 m east: the same buurthuis
    own = gpd.GeoDataFrame(
        [{"id": "h1", "name": "Buurthuis De Hoven", "type": "buurthuis", "geometry": near}],
        geometry="geometry",
        crs="EPSG:4326",
    )
    own.to_file(tmp_path / "wijkteam.geojson")
    imp = ["import", "--source", "Wijkteam", "--database", url, "--assets"]
    run_json(capsys, [*imp, str(tmp_path / "wijkteam.geojson")])
    merged = stored_workspace(url)[1].set_index("id").loc["osm:node/1001", "source"]
    assert merged == "OpenStreetMap + Wijkteam"
    data = json.loads((LATER.parent / "overpass_deventer.json").read_text())
    data["elements"] = [e for e in data["elements"] if e.get("id") != 1001]
    answer = tmp_path / "overpass_without_the_buurthuis.json"
    answer.write_text(json.dumps(data))
    servers[1].answer = answer
    run_json(capsys, _fetch(servers, url))
    listing = run_json(capsys, ["refresh", "list", "--database", url])
    assert _kinds(listing) == {("gone", "osm:node/1001", ())}
    assert run_cli(capsys, ["refresh", "accept", "--all", "--database", url])[0] == 0
    place = stored_workspace(url)[1].set_index("id").loc["osm:node/1001"]
    assert place["source"] == "Wijkteam"  # the wijkteam still lists it: it stays
