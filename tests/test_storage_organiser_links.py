"""Organisers' personal links in the database: one place, refused for any other, and after
revocation or expiry; tokens random (256 bits) and stored hashed.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture), with a settable clock,
on the tiny Voorstad workspace (``a1`` a buurthuis, ``a2`` a speelplek).
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from sqlalchemy import create_engine, text

from asset_map._errors import SchemaError
from asset_map.rules.concurrent_edits import StaleEdit
from asset_map.storage import LinkRefused, NotFound, Store
from asset_map.storage.db import resolve_url

pytest_plugins = ["storage_fixtures"]

COFFEE = {
    "asset_id": "a1",
    "title": "Koffieochtend",
    "kind": "koffieochtend",
    "weekday": 2,
    "start": "10:00",
    "end": "12:00",
    "target_group": "iedereen",
}


@pytest.fixture
def saved(store: Store, tiny_areas, tiny_assets) -> Store:
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="fetch")
    return store


@pytest.fixture
def token(saved: Store) -> str:
    return saved.create_organiser_link("a1", days=90, actor="wim", label="Stichting De Uithoek")[1]


def _place(store: Store, asset_id: str):
    loaded = store.load_workspace()
    assert loaded is not None
    return loaded[1].set_index("id").loc[asset_id]


def _refusals(store: Store) -> list[str]:
    log = store.audit(entity="organiser_link")
    return [json.loads(d)["reason"] for d in log.loc[log["action"] == "link_refused", "details"]]


def test_tokens_are_random_256_bits_and_only_their_hash_is_stored(saved, store_url) -> None:
    tokens = [saved.create_organiser_link("a1", days=30, actor="wim")[1] for _ in range(20)]
    assert len(set(tokens)) == 20
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 256
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM organiser_links")).all()
        log = conn.execute(text("SELECT details FROM audit_log")).scalars().all()
    engine.dispose()
    stored = " ".join(str(v) for row in rows for v in row) + " ".join(log)
    for token in tokens:
        assert token not in stored
        assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert "token_hash" not in saved.organiser_links().columns


def test_a_link_edits_its_own_place_and_counts_as_a_check(saved, token, clock) -> None:
    clock.advance(days=3)
    changed = saved.organiser_update(
        token, {"description": "Koffie en soep", "opening_hours": "ma-vr 9-17 uur"}
    )
    assert changed == ["description", "opening_hours"]
    place = _place(saved, "a1")
    assert (place["description"], place["opening_hours"]) == ("Koffie en soep", "Mo-Fr 09:00-17:00")
    check = saved.checks().set_index("asset_id").loc["a1"]
    assert check["method"] == "organiser" and check["checked_at"] == clock.now
    [link] = saved.organiser_links(asset_id="a1").itertuples()
    assert (link.uses, link.last_used_at, link.label) == (1, clock.now, "Stichting De Uithoek")
    edited = saved.audit(entity="asset", entity_id="a1")
    assert edited["actor"].iloc[-1].startswith("organiser:")
    assert json.loads(edited["details"].iloc[-2])["via"] == "organiser_link"


def test_a_link_adds_changes_and_removes_the_activities_of_its_own_place(saved, token) -> None:
    activity_id = saved.organiser_save_activity(token, COFFEE)
    saved.organiser_save_activity(token, {**COFFEE, "id": activity_id, "end": "12:30"})
    stored = saved.activities().set_index("id")
    assert stored.loc[activity_id, ["asset_id", "end"]].tolist() == ["a1", "12:30"]
    saved.organiser_delete_activity(token, activity_id)
    assert saved.activities().empty
    assert saved.organiser_links()["uses"].iloc[0] == 3


def test_a_link_is_refused_for_another_place(saved, token) -> None:
    staff = saved.save_activity({**COFFEE, "asset_id": "a2"}, actor="wim")
    before = saved.workspace_version()
    with pytest.raises(LinkRefused, match=r"only your own place"):
        saved.organiser_save_activity(token, {**COFFEE, "asset_id": "a2"})
    with pytest.raises(LinkRefused):  # moving another place's activity to its own place
        saved.organiser_save_activity(token, {**COFFEE, "id": staff})
    with pytest.raises(LinkRefused):
        saved.organiser_delete_activity(token, staff)
    with pytest.raises(SchemaError, match="only description, opening_hours"):
        saved.organiser_update(token, {"name": "Iets anders"})
    assert saved.workspace_version() == before  # nothing was written
    assert saved.activities().set_index("id").loc[staff, "asset_id"] == "a2"
    assert _refusals(saved) == ["other_place"] * 3
    assert saved.organiser_links()["uses"].iloc[0] == 0


def test_a_revoked_link_is_refused(saved, token) -> None:
    link_id = saved.organiser_place(token).id
    saved.revoke_organiser_link(link_id, actor="wim")
    saved.revoke_organiser_link(link_id, actor="wim")  # twice: nothing more happens
    for attempt in (
        lambda: saved.organiser_place(token),
        lambda: saved.organiser_confirm(token),
        lambda: saved.organiser_update(token, {"description": "x"}),
        lambda: saved.organiser_save_activity(token, COFFEE),
    ):
        with pytest.raises(LinkRefused) as refused:
            attempt()
        assert refused.value.reason == "revoked"
    assert _place(saved, "a1")["description"] == "Koffie op dinsdag; iedereen welkom"
    assert _refusals(saved) == ["revoked"] * 4
    actions = saved.audit(entity="organiser_link", entity_id=link_id)["action"].tolist()
    assert actions.count("link_revoked") == 1


def test_an_expired_link_is_refused(saved, token, clock) -> None:
    saved.organiser_confirm(token)
    clock.advance(days=90)
    with pytest.raises(LinkRefused) as refused:
        saved.organiser_confirm(token)
    assert refused.value.reason == "expired"
    with pytest.raises(LinkRefused) as unknown:
        saved.organiser_confirm("not-a-token-at-all")
    assert unknown.value.reason == "unknown"
    assert _refusals(saved) == ["expired", "unknown"]


def test_a_link_is_made_only_for_a_stored_place_and_a_sensible_time(saved) -> None:
    with pytest.raises(NotFound):
        saved.create_organiser_link("gone", days=30, actor="wim")
    for days in (0, 731, 1.5):
        with pytest.raises(SchemaError, match="1 to 730 days"):
            saved.create_organiser_link("a1", days=days, actor="wim")  # type: ignore[arg-type]
    assert saved.organiser_links().empty


def test_a_stale_save_through_a_link_is_refused_and_writes_nothing(saved, token) -> None:
    place = saved.organiser_editable(token)
    saved.update_asset("a1", {"description": "Nieuwe tekst van de wijkmanager"}, actor="wim")
    with pytest.raises(StaleEdit) as stale:
        saved.organiser_update(token, {"description": "Koffie en soep"}, base=place)
    assert [c.field for c in stale.value.changes] == ["description"]
    assert _place(saved, "a1")["description"] == "Nieuwe tekst van de wijkmanager"
    # From the stored version, the organiser's change goes through.
    fresh = saved.organiser_editable(token)
    assert saved.organiser_update(token, {"opening_hours": "ma 9-12"}, base=fresh) == [
        "opening_hours"
    ]

    activity_id = saved.organiser_save_activity(token, COFFEE)
    read = saved.organiser_editable_activity(token, activity_id)
    saved.save_activity({**COFFEE, "id": activity_id, "end": "12:30"}, actor="wim")
    with pytest.raises(StaleEdit):
        saved.organiser_save_activity(token, {**COFFEE, "id": activity_id}, base=read)
    with pytest.raises(StaleEdit):
        saved.organiser_delete_activity(token, activity_id, base=read)
    assert saved.activities().set_index("id").loc[activity_id, "end"] == "12:30"
    assert saved.organiser_links()["uses"].iloc[0] == 2  # refused saves are no use


def test_a_link_reads_no_activity_of_another_place(saved, token) -> None:
    staff = saved.save_activity({**COFFEE, "asset_id": "a2"}, actor="wim")
    with pytest.raises(LinkRefused) as refused:
        saved.organiser_editable_activity(token, staff)
    assert refused.value.reason == "other_place"
    assert _refusals(saved) == ["other_place"]
