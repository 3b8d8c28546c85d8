"""When places were checked, in the database: imports, visits, and the wijken staff look after.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture), with a settable clock.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from asset_map._errors import SchemaError
from asset_map.storage import NotFound, Store
from asset_map.storage.db import alembic_config, resolve_url

pytest_plugins = ["storage_fixtures"]


@pytest.fixture
def saved(store: Store, tiny_areas, tiny_assets) -> Store:
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="fetch")
    return store


def _checks(store: Store) -> dict[str, tuple]:
    return {r.asset_id: (r.checked_at, r.checked_by, r.method) for r in store.checks().itertuples()}


def test_an_import_counts_as_the_check_of_the_places_it_brings(saved: Store, clock) -> None:
    first = clock.now
    assert _checks(saved) == {a: (first, "fetch", "import") for a in ("a1", "a2", "a3")}
    [entry] = saved.audit(entity="workspace").itertuples()
    assert json.loads(entry.details)["checked_by_import"] == 3


def test_a_place_the_source_gives_unchanged_keeps_its_last_check(
    saved: Store, clock, tiny_areas, tiny_assets
) -> None:
    first = clock.now
    clock.advance(days=30)
    saved.record_check("a2", method="phone", actor="wim")
    clock.advance(days=300)
    changed = tiny_assets.copy()
    changed.loc[changed["id"] == "a3", "name"] = "Café Het Hoekje"
    saved.save_workspace(tiny_areas, changed, meta={}, actor="fetch")
    checks = _checks(saved)
    assert checks["a1"] == (first, "fetch", "import")  # unchanged: nothing new was learnt
    assert checks["a2"][2] == "phone"
    assert checks["a3"] == (clock.now, "fetch", "import")  # changed: the source looked again


def test_the_check_of_a_place_that_is_gone_goes_with_it(saved: Store, tiny_areas, tiny_assets):
    saved.save_workspace(tiny_areas, tiny_assets[tiny_assets["id"] != "a2"], meta={}, actor="x")
    assert set(_checks(saved)) == {"a1", "a3"}


def test_a_visit_is_recorded_with_who_and_how_and_in_the_audit_log(saved: Store, clock) -> None:
    version = saved.workspace_version()
    clock.advance(days=10)
    saved.record_check("a1", method="visit", actor="wim")
    assert _checks(saved)["a1"] == (clock.now, "wim", "visit")
    assert saved.workspace_version() != version  # the werkbank's cache reloads
    [entry] = saved.audit(entity="asset", entity_id="a1").itertuples()
    assert (entry.actor, entry.action, json.loads(entry.details)) == (
        "wim",
        "checked",
        {"method": "visit"},
    )


def test_a_check_of_an_unknown_place_or_in_an_unknown_way_is_refused(saved: Store) -> None:
    with pytest.raises(NotFound):
        saved.record_check("gone", method="visit", actor="wim")
    with pytest.raises(SchemaError, match="visit, phone, organiser, import, resident"):
        saved.record_check("a1", method="guess", actor="wim")
    assert _checks(saved)["a1"][2] == "import"


def test_each_staff_member_keeps_the_wijken_she_looks_after(store: Store) -> None:
    assert store.staff_areas("wim") == []
    store.set_staff_areas("wim", ["WK015005", "WK015004", "WK015004"], actor="wim")
    store.set_staff_areas("ans", ["WK015001"], actor="ans")
    assert store.staff_areas("wim") == ["WK015004", "WK015005"]
    store.set_staff_areas("wim", ["WK015001"], actor="wim")
    assert store.staff_areas("wim") == ["WK015001"] and store.staff_areas("ans") == ["WK015001"]
    with pytest.raises(SchemaError, match="BU01500401"):
        store.set_staff_areas("wim", ["BU01500401"], actor="wim")
    assert store.staff_areas("wim") == ["WK015001"]


def test_places_stored_before_the_upgrade_count_as_checked_by_their_import(
    store_url: str, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame, clock
) -> None:
    with Store(store_url, clock=clock) as store:
        store.save_workspace(tiny_areas, tiny_assets, meta={}, actor="old import")
    config = alembic_config(store_url)
    command.downgrade(config, "0005")
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        assert "place_checks" not in inspect(conn).get_table_names()
    engine.dispose()
    command.upgrade(config, "head")
    with Store(store_url) as store:
        assert _checks(store) == {
            a: (clock.now, "old import", "import") for a in ("a1", "a2", "a3")
        }
