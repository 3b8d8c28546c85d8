"""The workspace the app shows: seeded from the demo on first start, then from the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from asset_map.model import ACTIVITY_COLUMNS, PLACE_NEED_COLUMNS
from asset_map.services.workspace import DEMO_DIR, Workspace, load_workspace, open_workspace
from asset_map.storage import Store


def test_first_start_seeds_the_demo_then_reads_the_database(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    assert not store.has_workspace()
    files = load_workspace(DEMO_DIR)
    ws = open_workspace(store, seed_dir=DEMO_DIR)
    assert store.has_workspace() and ws.is_demo
    assert len(ws.assets) == len(files.assets) and len(ws.areas) == len(files.areas)
    assert ws.assets["buurt_code"].notna().all()  # located in their buurten
    assert len(ws.talents) == len(files.talents)  # the demo's made-up talents

    # A later import replaces the workspace: the app then shows the database, not the files.
    one_wijk = files.areas[files.areas["code"].isin(["WK999901", "BU99990101"])]
    store.save_workspace(one_wijk, files.assets.iloc[:5], meta={"name": "Eigen"}, actor="test")
    again = open_workspace(store, seed_dir=DEMO_DIR)
    assert len(again.areas) == 2 and len(again.assets) == 5
    assert not again.is_demo and again.talents.empty
    store.close()


# --- activities and place needs --------------------------------------------------------------


def _seed_folder(tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of the demo's layers with two activities, one at a place that does not exist."""
    folder = tmp_path / "seed"
    folder.mkdir()
    for name in ("areas.geojson", "assets.geojson", "meta.json"):
        shutil.copy(DEMO_DIR / name, folder / name)
    ids = list(load_workspace(DEMO_DIR).assets["id"][:2])
    (folder / "activities.csv").write_text(
        "id,asset_id,title,kind,weekday,start,end,target_group,organiser,contact,description\n"
        f"x1,{ids[0]},Koffie,koffieochtend,2,09:30,11:00,,,,\n"
        "x2,nergens,Zingen,zingen,4,19:00,20:00,,,,\n",
        encoding="utf-8",
    )
    (folder / "place_needs.csv").write_text(
        f"asset_id,categories,note\n{ids[1]},koken;muziek,Wie helpt?\n", encoding="utf-8"
    )
    return folder, ids


def test_a_workspace_made_without_activities_has_empty_tables(tiny_areas, tiny_assets):
    ws = Workspace(areas=tiny_areas, assets=tiny_assets, talents=pd.DataFrame())
    assert list(ws.activities.columns) == ACTIVITY_COLUMNS and ws.activities.empty
    assert ws.activities["weekday"].dtype == "int64"
    assert list(ws.needs.columns) == PLACE_NEED_COLUMNS and ws.needs.empty
    other = Workspace(areas=tiny_areas, assets=tiny_assets, talents=pd.DataFrame())
    assert other.activities is not ws.activities  # a frame of its own


def test_a_folder_gives_activities_and_needs_of_its_places(tmp_path):
    folder, ids = _seed_folder(tmp_path)
    ws = load_workspace(folder)
    assert list(ws.activities["id"]) == ["x1"] and ws.activities["weekday"].tolist() == [2]
    assert ws.needs.to_dict("records") == [
        {"asset_id": ids[1], "categories": "koken;muziek", "note": "Wie helpt?"}
    ]
    assert "Left out 1 activity at a place that is not in the assets: nergens." in ws.notes


def test_the_first_start_seeds_activities_and_needs_then_reads_the_database(tmp_path):
    folder, ids = _seed_folder(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    ws = open_workspace(store, seed_dir=folder)
    assert list(ws.activities["id"]) == ["x1"] and list(ws.needs["asset_id"]) == [ids[1]]
    saved = store.audit(entity="workspace")
    assert list(saved["actor"]) == ["first start"]
    assert '"activities_saved": 1' in saved["details"].iloc[0]

    # Later changes come from the database; the seed files are not read again.
    (folder / "activities.csv").unlink()
    store.save_activity(
        {
            "asset_id": ids[1],
            "title": "Eten",
            "kind": "samen_eten",
            "weekday": 5,
            "start": "17:30",
            "end": "19:00",
        },
        actor="wim",
    )
    store.set_place_needs(ids[1], [], actor="wim")
    again = open_workspace(store, seed_dir=folder)
    assert list(again.activities["title"]) == ["Koffie", "Eten"]
    assert again.needs.empty and list(again.needs.columns) == PLACE_NEED_COLUMNS

    # A new workspace without these places drops their activities.
    files = load_workspace(DEMO_DIR)
    store.save_workspace(files.areas, files.assets.iloc[2:], meta={"name": "x"}, actor="test")
    assert open_workspace(store, seed_dir=folder).activities.empty
    store.close()


def test_the_demo_seeds_its_activities(tmp_path):
    if not (DEMO_DIR / "activities.csv").exists():
        pytest.skip("the demo has no activities.csv yet")
    files = load_workspace(DEMO_DIR)
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    ws = open_workspace(store, seed_dir=DEMO_DIR)
    assert len(ws.activities) == len(files.activities) > 0
    assert set(ws.activities["id"]) == set(files.activities["id"])
    assert len(ws.needs) == len(files.needs) > 0
    assert ws.activities["asset_id"].isin(set(ws.assets["id"])).all()
    store.close()
