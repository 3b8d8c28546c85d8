"""Kansen and the werkbank, run headless with AppTest: staff take a snapshot; the comparison
per wijk shows on Kansen and in the werkbank's wijk report.

The workspace is the demo in the ``db`` fixture's database; the known answer comes from the
services (:func:`asset_map.services.snapshots.compare_snapshots`) on the same database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st
from app_helpers import MANAGER, login, open_app
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from asset_map.services import snapshots
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


def test_the_werkbank_report_tells_the_change_between_the_two_newest_snapshots(
    db, monkeypatch, tmp_path
):
    made: dict[str, object] = {}
    original = st.download_button  # bound to the main area when streamlit was imported

    def recording(label, data, file_name=None, *args, **kwargs):
        made[str(file_name)] = data
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    clock_now = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    with Store(db, clock=lambda: clock_now[0]) as store:
        ws = open_workspace(store)
        snapshots.take(store, ws, actor="test")
        closing = ws.assets[ws.assets["type"] == "buurthuis"].iloc[0]
        store.update_asset(str(closing["id"]), {"status": "closed"}, actor="wijkmanager")
        clock_now[0] += timedelta(days=61)
        snapshots.take(store, open_workspace(store), actor="test")
    at = open_app()
    at.switch_page("app_pages/workbench.py").run()
    at.session_state["wb_tab@nl"] = "Downloaden"
    at.session_state["wb_report_wijk"] = str(closing["wijk_code"])
    at.run()
    assert not at.exception, at.exception
    assert any("01-03-2026 en 01-05-2026" in c.value for c in at.caption)
    assert f"wijkrapport_{closing['wijk_code']}.pdf" in made, list(made)
    pdf = made[f"wijkrapport_{closing['wijk_code']}.pdf"]
    pdf = pdf() if callable(pdf) else pdf
    path = tmp_path / "wijk.pdf"
    path.write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "Wat is er veranderd?" in text
    assert "0 geopend, 1 gesloten" in text
