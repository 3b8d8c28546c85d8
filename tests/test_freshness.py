"""Freshness with a fixed clock: a place unchecked for 13 months is marked, left off the flyer,
and counted in its wijk's freshness figure.

The demo gemeente is saved on 1 February 2024 (every place then counts as checked by that
import); on 15 January 2025 three places in wijk WK999901 are visited; the clock then stands
on 1 March 2025: thirteen months after the import.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from pypdf import PdfReader
from storage_helpers import Clock

from asset_map.analysis.freshness import checked_share, freshness, months_before, to_check
from asset_map.analysis.query import AssetQuery
from asset_map.io.export import selection_bytes
from asset_map.model import catalogue
from asset_map.services import freshness as service
from asset_map.services import near_me
from asset_map.services.export import select
from asset_map.services.report import wijk_report
from asset_map.services.workspace import DEMO_DIR, load_workspace, open_workspace
from asset_map.storage import Store

IMPORTED = datetime(2024, 2, 1, 10, 0, tzinfo=UTC)
VISITED = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """The demo in a database whose clock is set by the test; three places visited."""
    monkeypatch.delenv("ASSET_MAP_CHECK_MONTHS", raising=False)
    clock = Clock(IMPORTED)
    store = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}", clock=clock)
    demo = load_workspace(DEMO_DIR)
    store.save_workspace(
        demo.areas, demo.assets, meta=demo.meta, actor="import", activities=demo.activities
    )
    meeting = demo.assets["type"].isin(catalogue().meeting_place_types())
    in_wijk = demo.assets[
        (demo.assets["wijk_code"] == "WK999901") & (demo.assets["status"] == "existing") & meeting
    ]
    visited = in_wijk["id"].astype(str).tolist()[:3]
    clock.now = VISITED
    for asset_id in visited:
        store.record_check(asset_id, method="visit", actor="wim")
    clock.now = NOW
    yield store, visited
    store.close()


def test_months_are_calendar_months():
    assert months_before(NOW, 12) == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2025, 1, 10, tzinfo=UTC), 13) == datetime(
        2023, 12, 10, tzinfo=UTC
    )


def test_a_place_unchecked_for_13_months_is_overdue_and_one_checked_lately_is_not(stored):
    store, visited = stored
    ws = open_workspace(store)
    table = service.of_assets(ws, now=NOW)
    assert table is not None
    by_id = table.set_index(ws.assets["id"].astype(str))
    assert not by_id.loc[visited, "overdue"].any()
    assert set(by_id.loc[visited, "checked_how"]) == {"visit"}
    others = by_id.drop(index=visited)
    assert others["overdue"].all()  # imported 13 months ago, nobody looked since
    assert set(others["checked_how"]) == {"import"}
    assert others["age_days"].round().eq((NOW - IMPORTED).days).all()
    # Twelve months is the setting's default; with 14 months nothing is overdue yet.
    longer = service.of_assets(ws, now=NOW, months=14)
    assert longer is not None and not longer["overdue"].any()


def test_the_wijk_freshness_figure_counts_the_places_checked_in_time(stored):
    store, _visited = stored
    ws = open_workspace(store)
    table = service.per_area(ws, level="wijk", now=NOW)
    assert table is not None
    row = table.set_index("code").loc["WK999901"]
    places = int(((ws.assets["wijk_code"] == "WK999901") & (ws.assets["status"] != "closed")).sum())
    assert (row["places"], row["checked"], row["overdue"]) == (places, 3, places - 3)
    assert row["checked_pct"] == pytest.approx(100 * 3 / places)
    other = table.set_index("code").loc["WK999902"]
    assert other["checked"] == 0 and other["checked_pct"] == 0.0


def test_a_closed_place_needs_no_check_and_counts_nowhere(stored):
    store, visited = stored
    ws = open_workspace(store)
    closed = ws.assets[(ws.assets["wijk_code"] == "WK999901")]["id"].astype(str)
    closed = next(i for i in closed if i not in visited)
    store.update_asset(closed, {"status": "closed"}, actor="wim")
    ws = open_workspace(store)
    table = service.of_assets(ws, now=NOW)
    assert table is not None
    assert not table.set_index(ws.assets["id"].astype(str)).loc[closed, "overdue"]
    before = (ws.assets["wijk_code"] == "WK999901").sum()
    row = service.per_area(ws, now=NOW).set_index("code").loc["WK999901"]
    assert row["places"] == before - 1


def test_the_list_to_check_puts_never_checked_first_then_the_oldest():
    assets = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "type": ["buurthuis"] * 4,
            "status": ["existing", "existing", "existing", "closed"],
            "wijk_code": ["WK1", "WK1", "WK2", "WK1"],
            "buurt_code": [None] * 4,
        }
    )
    checks = pd.DataFrame(
        {
            "asset_id": ["a", "b"],
            "checked_at": [NOW - timedelta(days=400), NOW - timedelta(days=500)],
            "checked_by": ["wim", "ans"],
            "method": ["phone", "visit"],
        }
    )
    fresh = freshness(assets, checks, now=NOW, months=12)
    assert to_check(assets, fresh)["id"].tolist() == ["c", "b", "a"]  # d is closed
    assert to_check(assets, fresh, wijken=("WK1",))["id"].tolist() == ["b", "a"]
    share = checked_share(assets.assign(geometry=None), fresh).set_index("code")
    assert share.loc["WK1", ["places", "checked"]].tolist() == [2, 0]


def test_an_overdue_place_is_left_off_the_flyer_with_its_activities(stored):
    store, visited = stored
    ws = open_workspace(store)
    place = ws.assets.set_index("id").loc[visited[0]]
    found = near_me.find_nearby(ws, (place.geometry.x, place.geometry.y), 15)
    late = service.overdue_ids(ws, now=NOW)
    nearby_late = [i for i in found.places["id"] if i in late]
    assert nearby_late and visited[0] in set(found.places["id"])
    pdf = near_me.flyer(ws, found, place_label="Oude Kern", now=NOW)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    names = ws.assets.set_index("id")["name"]
    assert names[visited[0]] in text
    for asset_id in nearby_late:
        assert names[asset_id] not in text
    kept = service.for_flyer(ws, found, now=NOW)
    assert not set(kept.activities["asset_id"]) & late
    assert set(kept.places["id"]) == set(found.places["id"]) - late


def test_exports_say_when_each_place_was_checked(stored):
    store, visited = stored
    ws = open_workspace(store)
    selection = select(ws, AssetQuery(wijken=("WK999901",)), now=NOW)
    data = selection_bytes(selection.assets, fmt="csv")
    table = pd.read_csv(io.BytesIO(data), dtype=str).set_index("id")
    assert table.loc[visited[0], "last_checked"] == "2025-01-15"
    assert table.loc[visited[0], "checked_how"] == "visit"
    assert table.loc[visited[0], "check_overdue"] == "False"
    others = table.drop(index=visited)
    assert set(others["check_overdue"]) == {"True"} and set(others["last_checked"]) == {
        "2024-02-01"
    }


def test_the_wijk_report_says_how_many_places_were_checked_in_time(stored):
    store, _visited = stored
    ws = open_workspace(store)
    pdf = wijk_report(ws, "WK999901", generated_at=NOW)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    places = int(((ws.assets["wijk_code"] == "WK999901") & (ws.assets["status"] != "closed")).sum())
    assert f"3 van de {places} plekken in deze wijk" in " ".join(text.split())
