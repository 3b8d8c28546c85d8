"""The workspace the app shows: seeded from the demo on first start, then from the database."""

from __future__ import annotations

from asset_map.storage import Store
from asset_map.workspace import DEMO_DIR, load_workspace, open_workspace


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
