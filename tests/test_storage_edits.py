"""A planner's edits of single assets in the database: add, change, delete.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import json
import re
import threading

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box
from storage_helpers import submission

from asset_map._errors import AssetMapError, SchemaError
from asset_map.i18n import explain
from asset_map.rules.edits import check_asset
from asset_map.storage import NotFound, NoWorkspace, Store

pytest_plugins = ["storage_fixtures"]

HOSTILE = '\'); DROP TABLE assets; -- <script>alert("{x}")</script> & 🏠'
NEW = {"name": "Huiskamer Het Anker", "type": "wijkhuiskamer", "lon": 6.16, "lat": 52.255}


@pytest.fixture
def saved(store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame) -> Store:
    """The store with a saved workspace of three assets; ``a1`` has an outline."""
    assets = tiny_assets.copy()
    x, y = assets.geometry.iloc[0].x, assets.geometry.iloc[0].y
    assets["footprint"] = [box(x - 1e-4, y - 1e-4, x + 1e-4, y + 1e-4).wkt, None, None]
    store.save_workspace(tiny_areas, assets, meta={"name": "Voorstad"}, actor="test")
    return store


def _assets(store: Store) -> gpd.GeoDataFrame:
    loaded = store.load_workspace()
    assert loaded is not None
    return loaded[1].set_index("id")


def _entries(store: Store, entity: str) -> list[tuple[str, str, dict]]:
    log = store.audit(entity=entity)
    return [(row.action, row.entity_id, json.loads(row.details)) for row in log.itertuples()]


def test_an_added_asset_is_stored_verbatim_and_the_version_changes(saved: Store) -> None:
    before = saved.workspace_version()
    asset_id = saved.add_asset(
        {
            **NEW,
            "name": HOSTILE,
            "tags": ["koffie", "ontmoeting"],
            "capacity": 12,
            "buurt_code": "BU01500401",  # derived: ignored
        },
        actor="petra",
    )
    assert re.fullmatch(r"asset-[0-9a-f]{12}", asset_id)
    assert saved.workspace_version() != before
    assets = _assets(saved)
    assert list(assets.index) == ["a1", "a2", "a3", asset_id]  # added last
    new = assets.loc[asset_id]
    assert new["name"] == HOSTILE
    assert (new["type"], new["source"], new["status"]) == (
        "wijkhuiskamer",
        "Eigen invoer",
        "existing",
    )
    assert new["tags"] == "koffie;ontmoeting" and new["capacity"] == 12.0
    assert pd.isna(new["description"]) and pd.isna(new["address"])
    assert new.geometry.equals(Point(6.16, 52.255))
    [(action, entity_id, details)] = _entries(saved, "asset")
    assert (action, entity_id) == ("added", asset_id)
    assert details == {
        "fields": ["capacity", "lat", "lon", "name", "source", "status", "tags", "type"]
    }
    assert "DROP" not in saved.audit(entity="asset")["details"].iloc[0]
    assert saved.audit(entity="asset")["actor"].iloc[0] == "petra"


def test_a_given_id_is_kept_and_a_taken_one_refused(saved: Store) -> None:
    assert saved.add_asset({**NEW, "id": " eigen-1 "}, actor="petra") == "eigen-1"
    version = saved.workspace_version()
    for taken in ("eigen-1", "a1"):
        with pytest.raises(SchemaError, match=rf"id = '{taken}': This code is already in use"):
            saved.add_asset({**NEW, "id": taken}, actor="petra")
    assert len(_assets(saved)) == 4 and saved.workspace_version() == version


def test_every_bad_field_is_named_and_nothing_is_stored(saved: Store) -> None:
    version = saved.workspace_version()
    bad = {
        "name": " ",
        "type": "kasteel",
        "lon": 2.35,
        "lat": 48.85,
        "capacity": -1,
        "colour": "red",
    }
    with pytest.raises(SchemaError) as error:
        saved.add_asset(bad, actor="petra")
    message = str(error.value)
    for part in (
        "colour = 'red': This field does not exist",
        "name = ' ': Fill in a name.",
        "type = 'kasteel': Choose a type of place from the list. Allowed: talent,",
        "lon = 2.35: This place is not in the Netherlands",
        "lat = 48.85: This place is not in the Netherlands",
        "capacity = -1: Fill in a number of 0 or more",
    ):
        assert part in message
    with pytest.raises(SchemaError, match="name = None: Fill in a name"):
        saved.add_asset({k: v for k, v in NEW.items() if k != "name"}, actor="petra")
    assert len(_assets(saved)) == 3
    assert saved.workspace_version() == version
    assert saved.audit(entity="asset").empty


def test_an_update_changes_only_the_given_fields(saved: Store) -> None:
    before = _assets(saved)
    version = saved.workspace_version()
    saved.update_asset("a1", {"name": HOSTILE, "capacity": None, "status": "planned"}, actor="wim")
    after = _assets(saved)
    assert after.loc["a1", "name"] == HOSTILE and pd.isna(after.loc["a1", "capacity"])
    assert after.loc["a1", "status"] == "planned"
    for column in ("type", "description", "address", "tags", "source"):
        assert after.loc["a1", column] == before.loc["a1", column]
    assert after.loc["a1"].geometry.equals(before.loc["a1"].geometry)
    assert after.drop(index="a1").equals(before.drop(index="a1"))
    assert list(after.index) == ["a1", "a2", "a3"]  # the order stays
    assert saved.workspace_version() != version
    assert _entries(saved, "asset") == [
        ("edited", "a1", {"fields": ["capacity", "name", "status"]})
    ]

    version = saved.workspace_version()
    saved.update_asset("a1", {"name": HOSTILE, "status": "planned"}, actor="wim")  # no change
    saved.update_asset("a1", {}, actor="wim")
    before = _assets(saved).loc["a1"].geometry
    saved.update_asset("a1", {"lon": before.x, "lat": before.y}, actor="wim")
    assert saved.workspace_version() == version and len(saved.audit(entity="asset")) == 1


def test_moving_an_asset_needs_lon_and_lat_together(saved: Store) -> None:
    saved.update_asset("a2", {"lon": "6,17", "lat": 52.26}, actor="wim")
    assert _assets(saved).loc["a2"].geometry.equals(Point(6.17, 52.26))
    assert _entries(saved, "asset")[-1] == ("edited", "a2", {"fields": ["lat", "lon"]})
    with pytest.raises(SchemaError, match="lat = None: Click on the map"):
        saved.update_asset("a2", {"lon": 6.18}, actor="wim")


def test_an_update_refuses_unknown_ids_and_a_new_id(saved: Store) -> None:
    with pytest.raises(NotFound, match="No asset with id 'zz'") as error:
        saved.update_asset("zz", {"name": "X"}, actor="wim")
    assert isinstance(error.value, AssetMapError) and isinstance(error.value, LookupError)
    with pytest.raises(SchemaError, match="id = 'b1': The code of a place cannot change"):
        saved.update_asset("a1", {"id": "b1"}, actor="wim")
    cleaned, errors = check_asset({**NEW, "name": "Anker"})  # the whole form, id None
    assert cleaned is not None and cleaned["id"] is None and errors == {}
    saved.update_asset("a3", cleaned, actor="wim")
    assert _assets(saved).loc["a3", "name"] == "Anker"
    saved.update_asset("a3", {"id": "a3", "name": "Anker"}, actor="wim")  # same id: fine
    with pytest.raises(SchemaError, match="type = 'kasteel'"):
        saved.update_asset("a1", {"type": "kasteel", "name": "Ok"}, actor="wim")
    assert _assets(saved).loc["a1", "name"] == "Buurthuis De Uithoek"


def test_delete_takes_activities_needs_and_outline_but_keeps_connections(saved: Store) -> None:
    saved.save_activity(
        {
            "asset_id": "a1",
            "title": "Koffie",
            "kind": "koffieochtend",
            "weekday": 2,
            "start": "09:30",
            "end": "11:00",
        },
        actor="wim",
    )
    saved.save_activity(
        {
            "asset_id": "a2",
            "title": "Spelen",
            "kind": "kinderactiviteit",
            "weekday": 3,
            "start": "14:00",
            "end": "16:00",
        },
        actor="wim",
    )
    saved.set_place_needs("a1", ["koken"], note="Wie kookt?", actor="wim")
    talent = saved.submit_talent(submission()).id
    saved.decide(talent, status="approved", actor="wim")
    connection = saved.record_connection("a1", talent, category="koken", actor="wim")
    assert "footprint" in _assets(saved).columns
    version = saved.workspace_version()

    saved.delete_asset("a1", actor="petra")

    assets = _assets(saved)
    assert list(assets.index) == ["a2", "a3"]
    assert "footprint" not in assets.columns  # a1's outline went with it
    assert list(saved.activities()["asset_id"]) == ["a2"]
    assert saved.place_needs().empty
    assert list(saved.connections()["id"]) == [connection]  # history stays
    assert saved.workspace_version() != version
    assert _entries(saved, "asset")[-1] == (
        "deleted",
        "a1",
        {"activities": 1, "place_needs": 1, "footprints": 1},
    )
    with pytest.raises(NotFound, match="No asset with id 'a1'"):
        saved.delete_asset("a1", actor="petra")


def test_edits_need_a_saved_workspace(store: Store) -> None:
    activity = {
        "asset_id": "a1",
        "title": "Koffie",
        "kind": "koffieochtend",
        "weekday": 2,
        "start": "09:30",
        "end": "11:00",
    }
    for edit in (
        lambda: store.add_asset(NEW, actor="petra"),
        lambda: store.update_asset("a1", {"name": "X"}, actor="petra"),
        lambda: store.delete_asset("a1", actor="petra"),
        lambda: store.save_activity(activity, actor="petra"),
        lambda: store.delete_activity("x", actor="petra"),
        lambda: store.set_place_needs("a1", ["koken"], actor="petra"),
    ):
        with pytest.raises(NoWorkspace, match=r"No workspace is saved yet.*asset-map import"):
            edit()
    assert not store.has_workspace()
    assert issubclass(NoWorkspace, AssetMapError)


# --- a whole new workspace -------------------------------------------------------------------


def test_a_new_workspace_removes_activities_and_needs_of_assets_gone(
    saved: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame
) -> None:
    for asset_id in ("a1", "a2", "a2"):
        saved.save_activity(
            {
                "asset_id": asset_id,
                "title": "Koffie",
                "kind": "koffieochtend",
                "weekday": 2,
                "start": "09:30",
                "end": "11:00",
            },
            actor="wim",
        )
    saved.set_place_needs("a1", ["koken"], actor="wim")
    saved.set_place_needs("a2", ["sport"], actor="wim")

    saved.save_workspace(tiny_areas, tiny_assets.iloc[[0, 2]], meta={}, actor="import")

    assert list(saved.activities()["asset_id"]) == ["a1"]
    assert list(saved.place_needs()["asset_id"]) == ["a1"]
    details = json.loads(saved.audit(entity="workspace")["details"].iloc[-1])
    assert details["activities_removed"] == 2 and details["place_needs_removed"] == 1
    action, _, details = _entries(saved, "activity")[-1]
    assert (action, details) == (
        "removed_with_asset",
        {"count": 2, "reason": "asset not in the new workspace"},
    )
    assert _entries(saved, "place_needs")[-1][2]["count"] == 1


def test_a_workspace_saved_with_activities_replaces_them(
    saved: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame
) -> None:
    saved.save_activity(
        {
            "asset_id": "a1",
            "title": "Oud",
            "kind": "overig",
            "weekday": 1,
            "start": "10:00",
            "end": "11:00",
        },
        actor="wim",
    )
    activities = pd.DataFrame(
        {
            "id": ["x1", None],
            "asset_id": ["a2", "a3"],
            "title": ["Nieuw", HOSTILE],
            "kind": ["zingen", "overig"],
            "weekday": [5, 7],
            "start": ["19:00", "10:00"],
            "end": ["21:00", "12:00"],
            "target_group": ["iedereen", None],
            "organiser": [None, None],
            "contact": [None, None],
            "description": [None, None],
        }
    )
    needs = pd.DataFrame({"asset_id": ["a3"], "categories": ["koken;muziek"], "note": [None]})
    saved.save_workspace(
        tiny_areas, tiny_assets, meta={}, actor="import", activities=activities, needs=needs
    )
    stored = saved.activities()
    assert list(stored["title"]) == ["Nieuw", HOSTILE]
    assert stored["id"].iloc[0] == "x1" and stored["id"].iloc[1].startswith("activity-")
    assert list(stored["target_group"]) == ["iedereen", "iedereen"]
    needs_stored = saved.place_needs()
    assert list(needs_stored["asset_id"]) == ["a3"]
    assert list(needs_stored["categories"]) == ["koken;muziek"]
    assert needs_stored["note"].isna().all()

    version = saved.workspace_version()
    wrong = activities.assign(asset_id=["a2", "elders"], weekday=[5, 9])
    with pytest.raises(SchemaError, match=r"activity 2: weekday = 9: Choose a day of the week"):
        saved.save_workspace(tiny_areas, tiny_assets, meta={}, actor="x", activities=wrong)
    with pytest.raises(SchemaError, match=r"refer to asset id.*'elders'"):
        saved.save_workspace(
            tiny_areas, tiny_assets, meta={}, actor="x", activities=wrong.assign(weekday=[5, 6])
        )
    assert saved.workspace_version() == version and len(saved.activities()) == 2


def test_edits_at_the_same_time_are_all_kept_and_counted(saved: Store) -> None:
    start = int(saved.workspace_version().split("@")[0])
    errors: list[BaseException] = []

    def add(n: int) -> None:
        try:
            saved.add_asset({**NEW, "name": f"Plek {n}"}, actor=f"planner{n}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assets = _assets(saved)
    assert sorted(assets["name"][3:]) == sorted(f"Plek {n}" for n in range(8))
    assert int(saved.workspace_version().split("@")[0]) == start + 8


def test_a_refused_edit_is_explained_in_dutch_and_english(saved: Store) -> None:
    with pytest.raises(SchemaError) as refused:
        saved.add_asset({**NEW, "name": "", "type": "kasteel"}, actor="petra")
    english, dutch = str(refused.value), explain(refused.value, "nl")
    assert english.startswith("Cannot add the asset: name = '': Fill in a name.")
    assert dutch.startswith("De plek is niet toegevoegd: name = '': Vul een naam in.")
    assert "type = 'kasteel': Kies een soort plek uit de lijst. Dit mag: " in dutch
    with pytest.raises(NotFound) as missing:
        saved.update_asset("zz", {"name": "Nieuw"}, actor="petra")
    assert explain(missing.value, "nl").startswith("Er is geen plek met code 'zz'.")
