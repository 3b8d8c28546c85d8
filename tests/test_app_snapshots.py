"""Kansen, run headless with AppTest: staff take a snapshot; the comparison per wijk shows.

The workspace is the demo in the ``db`` fixture's database; the known answer comes from the
services (:func:`asset_map.services.snapshots.compare_snapshots`) on the same database.
"""

from __future__ import annotations

from app_helpers import MANAGER, login, open_app
from streamlit.testing.v1 import AppTest

from asset_map.services.workspace import open_workspace
from asset_map.storage import Store

PAGE = "app_pages/kansen.py"


def _kansen(*, staff: bool) -> AppTest:
    at = open_app()
    if staff:
        login(at, *MANAGER)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _comparison(at: AppTest):
    tables = [d.value for d in at.dataframe if "Op loopafstand nu" in d.value.columns]
    return tables[0] if tables else None


def test_staff_take_a_snapshot_and_see_a_closed_place_against_today(db):
    at = _kansen(staff=True)
    assert any("nog geen momentopnamen" in c.value for c in at.caption)
    at.text_input(key="snapshot_label").input("voor de zomer")
    next(b for b in at.button if b.label == "Momentopname maken").click().run()
    assert not at.exception, at.exception
    assert at.success[-1].value == "De momentopname is bewaard."
    with Store(db) as store:
        assert list(store.snapshots()["label"]) == ["voor de zomer"]
        ws = open_workspace(store)
        closing = ws.assets[ws.assets["type"] == "buurthuis"].iloc[0]
        store.update_asset(str(closing["id"]), {"status": "closed"}, actor="wijkmanager")
    at.run()
    assert not at.exception, at.exception
    table = _comparison(at).set_index("Wijk")
    wijk = ws.areas.set_index("code").loc[closing["wijk_code"], "name"]
    assert table.loc[wijk, "Gesloten"] == closing["name"]
    everywhere = table.loc["Hele gemeente"]
    assert everywhere["Plekken toen"] - everywhere["Plekken nu"] == 1


def test_residents_see_no_snapshot_button(db):
    at = _kansen(staff=False)
    assert not [b for b in at.button if b.label == "Momentopname maken"]
