"""Activities, place needs and connections in the database.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import pytest
from storage_helpers import Clock, submission

from asset_map._errors import SchemaError
from asset_map.model import ACTIVITY_COLUMNS, CONNECTION_COLUMNS, PLACE_NEED_COLUMNS
from asset_map.storage import NotFound, StatusError, Store

pytest_plugins = ["storage_fixtures"]

HOSTILE = "<img src=x onerror=alert(1)> {{ x }} '; DELETE FROM activities; --"
COFFEE = {
    "asset_id": "a1",
    "title": "Koffieochtend",
    "kind": "koffieochtend",
    "weekday": 2,
    "start": "09:30",
    "end": "11:00",
}


@pytest.fixture
def saved(store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame) -> Store:
    """The store with a saved workspace of three assets (a1, a2, a3)."""
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="test")
    return store


def _audit(store: Store, entity: str) -> list[tuple[str, str, dict]]:
    return [
        (row.action, row.entity_id, json.loads(row.details))
        for row in store.audit(entity=entity).itertuples()
    ]


# --- activities ------------------------------------------------------------------------------


def test_empty_tables_have_their_columns_and_dtypes(saved: Store) -> None:
    activities, needs, connections = saved.activities(), saved.place_needs(), saved.connections()
    assert list(activities.columns) == ACTIVITY_COLUMNS and activities.empty
    assert activities["weekday"].dtype == "int64" and activities["title"].dtype == "str"
    assert list(needs.columns) == PLACE_NEED_COLUMNS and needs.empty
    assert list(connections.columns) == CONNECTION_COLUMNS and connections.empty
    assert str(connections["made_at"].dtype) == "datetime64[us, UTC]"


def test_an_activity_round_trips_verbatim(saved: Store) -> None:
    version = saved.workspace_version()
    activity_id = saved.save_activity(
        {**COFFEE, "title": HOSTILE, "start": "9.30", "organiser": "Buurtteam", "contact": None},
        actor="wim",
    )
    assert re.fullmatch(r"activity-[0-9a-f]{12}", activity_id)
    assert saved.workspace_version() != version
    [row] = saved.activities().to_dict("records")
    assert row["id"] == activity_id and row["title"] == HOSTILE
    assert (row["weekday"], row["start"], row["end"]) == (2, "09:30", "11:00")
    assert (row["kind"], row["target_group"], row["organiser"]) == (
        "koffieochtend",
        "iedereen",
        "Buurtteam",
    )
    assert saved.activities()["contact"].isna().all()
    [(action, entity_id, details)] = _audit(saved, "activity")
    assert (action, entity_id) == ("added", activity_id)
    assert details == {
        "asset_id": "a1",
        "fields": [
            "asset_id",
            "end",
            "kind",
            "organiser",
            "start",
            "target_group",
            "title",
            "weekday",
        ],
    }
    assert "DELETE" not in saved.audit(entity="activity")["details"].iloc[0]


def test_saving_with_a_stored_id_updates_and_a_new_id_inserts(saved: Store) -> None:
    first = saved.save_activity(COFFEE, actor="wim")
    version = saved.workspace_version()
    assert saved.save_activity({**COFFEE, "id": first, "end": "12:00"}, actor="petra") == first
    assert saved.workspace_version() != version
    assert list(saved.activities()["end"]) == ["12:00"]
    assert _audit(saved, "activity")[-1] == ("edited", first, {"asset_id": "a1", "fields": ["end"]})

    version = saved.workspace_version()
    saved.save_activity({**COFFEE, "id": first, "end": "12:00"}, actor="petra")  # no change
    assert saved.workspace_version() == version and len(_audit(saved, "activity")) == 2

    assert saved.save_activity({**COFFEE, "id": "eigen-7", "weekday": 1}, actor="wim") == "eigen-7"
    assert list(saved.activities()["id"]) == ["eigen-7", first]  # by weekday, then time


def test_activities_are_ordered_by_weekday_and_time(saved: Store) -> None:
    for weekday, start, end in (
        (5, "19:00", "21:00"),
        (1, "14:00", "15:00"),
        (1, "09:00", "10:00"),
    ):
        saved.save_activity({**COFFEE, "weekday": weekday, "start": start, "end": end}, actor="wim")
    frame = saved.activities()
    assert list(zip(frame["weekday"], frame["start"], strict=True)) == [
        (1, "09:00"),
        (1, "14:00"),
        (5, "19:00"),
    ]


def test_a_bad_activity_names_every_field_and_stores_nothing(saved: Store) -> None:
    version = saved.workspace_version()
    bad = {
        **COFFEE,
        "title": "",
        "kind": "feest",
        "weekday": 9,
        "start": "25:00",
        "target_group": "katten",
        "colour": "red",
    }
    with pytest.raises(SchemaError) as error:
        saved.save_activity(bad, actor="wim")
    message = str(error.value)
    for part in (
        "colour = 'red': This field does not exist",
        "title = '': Fill in a name for the activity.",
        "kind = 'feest': Choose a kind of activity from the list. Allowed: koffieochtend,",
        "weekday = 9: Choose a day of the week.",
        "start = '25:00': Fill in a time, for example 09:30.",
        "target_group = 'katten': Choose who the activity is for. Allowed: iedereen,",
    ):
        assert part in message
    with pytest.raises(SchemaError, match="end = '09:00': The end time must be later"):
        saved.save_activity({**COFFEE, "end": "09:00"}, actor="wim")
    with pytest.raises(NotFound, match="No asset with id 'elders'"):
        saved.save_activity({**COFFEE, "asset_id": "elders"}, actor="wim")
    assert saved.activities().empty and saved.workspace_version() == version


def test_delete_an_activity(saved: Store) -> None:
    keep = saved.save_activity(COFFEE, actor="wim")
    gone = saved.save_activity({**COFFEE, "weekday": 4}, actor="wim")
    version = saved.workspace_version()
    saved.delete_activity(gone, actor="petra")
    assert list(saved.activities()["id"]) == [keep]
    assert saved.workspace_version() != version
    assert _audit(saved, "activity")[-1] == ("deleted", gone, {})
    with pytest.raises(NotFound, match=f"No activity with id '{gone}'"):
        saved.delete_activity(gone, actor="petra")


# --- place needs -----------------------------------------------------------------------------


def test_place_needs_are_set_changed_and_cleared(saved: Store) -> None:
    version = saved.workspace_version()
    saved.set_place_needs("a1", ["koken", "tuinieren", "koken"], note=HOSTILE, actor="wim")
    assert saved.place_needs().to_dict("records") == [
        {"asset_id": "a1", "categories": "koken;tuinieren", "note": HOSTILE}
    ]
    assert saved.workspace_version() != version
    saved.set_place_needs("a1", ["muziek"], note=HOSTILE, actor="wim")
    assert list(saved.place_needs()["categories"]) == ["muziek"]
    version = saved.workspace_version()
    saved.set_place_needs("a1", ["muziek"], note=HOSTILE, actor="wim")  # no change
    assert saved.workspace_version() == version
    saved.set_place_needs("a1", [], note="  ", actor="wim")  # nothing asked: no row
    assert saved.place_needs().empty
    saved.set_place_needs("a2", [], actor="wim")  # nothing to clear: nothing written
    assert [(a, e, d) for a, e, d in _audit(saved, "place_needs")] == [
        ("set", "a1", {"categories": 2, "fields": ["categories", "note"]}),
        ("edited", "a1", {"categories": 1, "fields": ["categories"]}),
        ("cleared", "a1", {"categories": 0, "fields": ["categories", "note"]}),
    ]


def test_a_note_alone_is_kept(saved: Store) -> None:
    saved.set_place_needs("a2", [], note="Bel ons", actor="wim")
    [row] = saved.place_needs().to_dict("records")
    assert (row["asset_id"], row["categories"], row["note"]) == ("a2", "", "Bel ons")


def test_bad_needs_are_refused(saved: Store) -> None:
    with pytest.raises(SchemaError, match=r"categories = .*zeilen.*Allowed: koken") as error:
        saved.set_place_needs("a1", ["koken", "zeilen"], note="x" * 501, actor="wim")
    assert "note = " in str(error.value) and "at most 500 characters" in str(error.value)
    with pytest.raises(NotFound, match="No asset with id 'elders'"):
        saved.set_place_needs("elders", ["koken"], actor="wim")
    assert saved.place_needs().empty


# --- connections -----------------------------------------------------------------------------


def _approved(store: Store, **changes: object) -> str:
    talent = store.submit_talent(submission(**changes)).id
    store.decide(talent, status="approved", actor="wim")
    return talent


def test_a_connection_copies_the_buurt_and_keeps_the_version(saved: Store, clock: Clock) -> None:
    talent = _approved(saved, buurt_code="BU01500402")
    version = saved.workspace_version()
    made = clock.advance(hours=1)
    connection = saved.record_connection(
        "a1", talent, category="tuinieren", actor="wim", note=HOSTILE
    )
    assert re.fullmatch(r"connection-[0-9a-f]{12}", connection)
    [row] = saved.connections().to_dict("records")
    assert row == {
        "id": connection,
        "asset_id": "a1",
        "talent_id": talent,
        "category": "tuinieren",
        "buurt_code": "BU01500402",
        "made_by": "wim",
        "made_at": made,
        "note": HOSTILE,
    }
    assert row["made_at"].tzinfo is not None and made == datetime(2025, 3, 1, 13, tzinfo=UTC)
    assert saved.workspace_version() == version  # connections are no workspace change
    [(action, entity_id, details)] = _audit(saved, "connection")
    assert (action, entity_id) == ("connected", connection)
    assert details == {"asset_id": "a1", "note": True, "talent_id": talent}


def test_a_connection_survives_the_withdrawal_of_the_talent_without_its_note(
    saved: Store,
) -> None:
    receipt = saved.submit_talent(submission())
    saved.decide(receipt.id, status="approved", actor="wim")
    saved.record_connection("a2", receipt.id, category="koken", actor="wim", note="Kookt op do")
    other = _approved(saved)
    saved.record_connection("a1", other, category="koken", actor="wim", note="Blijft staan")
    assert saved.withdraw(receipt.withdrawal_code)
    rows = {r["talent_id"]: r for r in saved.connections().to_dict("records")}
    row = rows[receipt.id]
    assert (row["buurt_code"], row["category"]) == ("BU01500401", "koken")
    assert pd.isna(row["note"])
    assert rows[other]["note"] == "Blijft staan"  # only the withdrawn resident's notes go


def test_purge_blanks_the_notes_of_connections_too(saved: Store, clock: Clock) -> None:
    talent = _approved(saved)
    saved.record_connection("a1", talent, category="koken", actor="wim", note="Woont om de hoek")
    clock.advance(days=31)
    assert saved.purge_personal_data(older_than_days=30, actor="admin") == 1
    [row] = saved.connections().to_dict("records")
    assert pd.isna(row["note"]) and row["talent_id"] == talent


def test_the_same_connection_is_not_recorded_twice(saved: Store, clock: Clock) -> None:
    from asset_map.i18n import explain
    from asset_map.storage.activities import AlreadyConnected

    talent = _approved(saved)
    first = clock.advance(hours=2)  # 14:00 UTC on 1 March 2025: 15:00 in Amsterdam
    saved.record_connection("a1", talent, category="koken", actor="wim")
    clock.advance(days=3)
    for category in ("koken", "tuinieren"):  # another talent of the same resident: the same
        with pytest.raises(AlreadyConnected) as caught:
            saved.record_connection("a1", talent, category=category, actor="anna")
        assert caught.value.made_at == first and caught.value.made_by == "wim"
        assert "01-03-2025 15:00, door wim" in explain(caught.value, "nl")
    assert len(saved.connections()) == 1
    assert len(saved.audit(entity="connection")) == 1
    saved.record_connection("a2", talent, category="koken", actor="wim")  # another place: fine
    assert len(saved.connections()) == 2


def test_connections_are_refused_with_a_reason(saved: Store) -> None:
    pending = saved.submit_talent(submission()).id
    approved = _approved(saved)
    with pytest.raises(StatusError, match="is pending, not approved"):
        saved.record_connection("a1", pending, category="koken", actor="wim")
    with pytest.raises(NotFound, match="No talent with id 'nobody'"):
        saved.record_connection("a1", "nobody", category="koken", actor="wim")
    with pytest.raises(NotFound, match="No asset with id 'elders'"):
        saved.record_connection("elders", approved, category="koken", actor="wim")
    with pytest.raises(SchemaError, match="category = 'muziek': This resident did not give"):
        saved.record_connection("a1", approved, category="muziek", actor="wim")
    with pytest.raises(SchemaError, match="category = 'zeilen': Choose talents from the list"):
        saved.record_connection("a1", approved, category="zeilen", actor="wim")
    with pytest.raises(SchemaError, match=r"note = .*at most 500 characters"):
        saved.record_connection("a1", approved, category="koken", actor="wim", note="x" * 501)
    assert saved.connections().empty and saved.audit(entity="connection").empty
