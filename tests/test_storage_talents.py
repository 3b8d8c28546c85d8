"""Talents in the store: round trips, moderation, edits, erasure, retention, audit.

Every test runs on a SQLite file and on a real PostgreSQL database (see storage_fixtures).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from storage_helpers import HENK, Clock, submission

from asset_map._errors import AssetMapError, SchemaError
from asset_map.analysis.summary import talents_per_buurt
from asset_map.i18n import explain
from asset_map.model import PERSONAL_TALENT_FIELDS, TALENT_COLUMNS, WISHES, catalogue
from asset_map.settings import retention_months
from asset_map.storage import StatusError, Store, TalentNotFound
from asset_map.storage.talents import TalentSubmission, retention_days

pytest_plugins = ["storage_fixtures"]

#: Text that must come back exactly as it went in.
NASTY = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "'); DROP TABLE talents;--",
    'Robert"); DELETE FROM users; --',
    "a\u202eevil\u200b\u200d\ufeff\x07\x1b[31m\r\n\ttab",
    "Zoë – café ’t Hoekje 👩🏽‍🍳 ☕",
    "%s %(x)s {0} ? :name $1",
    "   spaces kept   ",
    "\\x00 is not a NUL, \\ is a backslash",
]


def raw(store_url: str, sql: str, **params: object) -> list[dict]:
    """Query the database behind the store's back, with a connection of our own."""
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", NASTY)
def test_text_round_trips_verbatim(store: Store, value: str) -> None:
    receipt = store.submit_talent(
        submission(
            nickname=value[:40],
            description=value,
            availability=value[:100],
            contact=value[:120],
        )
    )
    row = store.talent(receipt.id)
    assert row is not None
    assert row["nickname"] == value[:40]
    assert row["description"] == value
    assert row["availability"] == value[:100]
    assert row["contact"] == value[:120]
    frame = store.talents()
    assert frame.loc[0, "description"] == value
    assert len(store.talents()) == 1  # the DROP TABLE did not run


def test_every_field_round_trips_at_its_limits(store: Store) -> None:
    keys = tuple(catalogue().talent_categories)[:5]
    sub = submission(
        nickname="N" * 39 + "é",
        categories=keys,
        description="d" * 499 + "€",
        wishes=WISHES,
        availability="a" * 100,
        buurt_code="BU99999999",
        contact="c" * 120,
    )
    receipt = store.submit_talent(sub)
    row = store.talent(receipt.id)
    assert row is not None
    assert row["id"] == receipt.id
    assert (row["nickname"], row["description"]) == (sub.nickname, sub.description)
    assert (row["availability"], row["contact"]) == (sub.availability, sub.contact)
    assert row["categories"] == ";".join(keys)
    assert row["wishes"] == ";".join(WISHES)
    assert row["buurt_code"] == "BU99999999"
    assert row["status"] == "pending"
    assert row["created_at"] == row["updated_at"]
    assert row["created_at"].tzinfo is not None
    assert row["decided_by"] is None and row["decided_at"] is None


def test_optional_fields_round_trip_empty(store: Store) -> None:
    receipt = store.submit_talent(
        submission(description="", availability="", wishes=(), contact=None)
    )
    row = store.talent(receipt.id)
    assert row is not None
    assert (row["description"], row["availability"]) == ("", "")
    assert row["wishes"] is None and row["contact"] is None


def test_moderation_frame_columns_and_types(store: Store, clock: Clock) -> None:
    store.submit_talent(submission())
    clock.advance(minutes=1)
    store.submit_talent(submission(nickname="Bert", contact=None))
    frame = store.talents()
    assert list(frame.columns) == [
        *TALENT_COLUMNS,
        "contact",
        "created_at",
        "updated_at",
        "decided_by",
        "decided_at",
    ]
    assert list(frame["nickname"]) == ["Anne", "Bert"]  # oldest first
    assert str(frame["created_at"].dt.tz) == "UTC"
    assert frame["created_at"].iloc[0] == pd.Timestamp("2025-03-01 12:00", tz="UTC")
    assert frame["contact"].isna().tolist() == [False, True]
    assert frame["id"].is_unique


def test_unknown_id_gives_none(store: Store) -> None:
    assert store.talent("no-such-id") is None


# --- validation ------------------------------------------------------------------------------


BAD_SUBMISSIONS = [
    ({"nickname": ""}, "nickname is empty"),
    ({"nickname": "   "}, "nickname is empty"),
    ({"nickname": "x" * 41}, "nickname has 41 characters; at most 40"),
    ({"description": "x" * 501}, "description has 501 characters; at most 500"),
    ({"availability": "x" * 101}, "availability has 101"),
    ({"contact": "x" * 121}, "contact has 121"),
    ({"categories": ()}, "categories: give 1 to 5, not 0"),
    ({"categories": tuple(catalogue().talent_categories)[:6]}, "give 1 to 5, not 6"),
    ({"categories": ("koken", "breakdance")}, "unknown key 'breakdance'"),
    ({"categories": ("koken", "koken")}, "given twice"),
    ({"wishes": ("fly",)}, "wishes: unknown key 'fly'"),
    ({"buurt_code": "WK015004"}, "not a CBS buurt code"),
    ({"buurt_code": "Dorpsstraat 1"}, "not a CBS buurt code"),
    ({"description": "a\x00b"}, "NUL character"),
    ({"nickname": "bad\ud800"}, "lone surrogate"),
    ({"nickname": 42}, "nickname must be text"),
    ({"categories": 7}, "categories must be a tuple of keys, not int"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_SUBMISSIONS)
def test_bad_submissions_are_refused(store: Store, changes: dict, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        store.submit_talent(submission(**changes))
    assert store.talents().empty


def test_every_problem_is_named_at_once(store: Store) -> None:
    with pytest.raises(SchemaError) as info:
        store.submit_talent(submission(nickname="", contact="x" * 200, buurt_code="x"))
    assert all(word in str(info.value) for word in ("nickname", "contact", "buurt_code"))


# --- moderation and the public layer ---------------------------------------------------------


def test_flow_pending_approved_withdrawn(store: Store, store_url: str, clock: Clock) -> None:
    receipt = store.submit_talent(submission(nickname="Henk", contact="06-12345678"))
    assert store.talents(status="pending")["id"].tolist() == [receipt.id]
    assert store.public_talents().empty  # pending is never public

    clock.advance(hours=1)
    store.decide(receipt.id, status="approved", actor="wm.anne")
    public = store.public_talents()
    # Only what a public count needs: no id, nickname, description, contact or dates.
    assert list(public.columns) == ["categories", "buurt_code", "status"]
    assert public.values.tolist() == [["koken;tuinieren", "BU01500401", "approved"]]
    assert talents_per_buurt(public).loc["BU01500401", "koken"] == 1
    row = store.talent(receipt.id)
    assert row is not None
    assert (row["decided_by"], row["decided_at"]) == ("wm.anne", clock.now)

    assert store.withdraw("AAAA-BBBB-CCCC") is False  # well-formed but unknown
    assert store.withdraw("not a code") is False
    assert store.withdraw(receipt.withdrawal_code.lower().replace("-", " ")) is True
    assert store.withdraw(receipt.withdrawal_code) is False  # erased already
    assert store.already_erased(receipt.withdrawal_code)
    # Erased but approved: it stays in the anonymous counts.
    assert store.public_talents().values.tolist() == [["koken;tuinieren", "BU01500401", "approved"]]

    [stored] = raw(store_url, "SELECT * FROM talents")
    assert stored["nickname"] is None and stored["description"] is None
    assert stored["availability"] is None and stored["contact"] is None
    assert stored["withdrawal_hash"] is not None  # not personal data: kept for "already erased"
    assert stored["status"] == "withdrawn" and stored["erased_at"] is not None
    assert (stored["categories"], stored["wishes"]) == ("koken;tuinieren", "teach")
    assert stored["buurt_code"] == "BU01500401"
    assert stored["created_at"] is not None


def test_only_the_hash_of_the_code_is_stored(store: Store, store_url: str) -> None:
    receipt = store.submit_talent(submission())
    [stored] = raw(store_url, "SELECT withdrawal_hash FROM talents")
    plain = receipt.withdrawal_code.replace("-", "")
    assert len(stored["withdrawal_hash"]) == 64
    assert plain not in stored["withdrawal_hash"]


def test_decisions_and_their_limits(store: Store) -> None:
    receipt = store.submit_talent(submission())
    store.decide(receipt.id, status="rejected", actor="wm")
    store.decide(receipt.id, status="approved", actor="wm")  # changing one's mind
    store.decide(receipt.id, status="approved", actor="wm")  # double click: no-op
    assert store.talents()["status"].tolist() == ["approved"]
    assert store.audit(entity_id=receipt.id)["action"].tolist() == [
        "submitted",
        "rejected",
        "approved",
    ]
    with pytest.raises(SchemaError, match="'rejected' or 'pending', not 'withdrawn'"):
        store.decide(receipt.id, status="withdrawn", actor="wm")
    with pytest.raises(TalentNotFound, match="No talent with id 'nope'"):
        store.decide("nope", status="approved", actor="wm")
    assert store.withdraw(receipt.withdrawal_code)
    with pytest.raises(StatusError, match="withdrawn"):
        store.decide(receipt.id, status="approved", actor="wm")
    with pytest.raises(StatusError, match="withdrawn"):
        store.edit_talent(receipt.id, {"nickname": "Terug"}, actor="wm")


def test_status_filter_is_checked(store: Store) -> None:
    with pytest.raises(SchemaError, match="Unknown status 'open'"):
        store.talents(status="open")


# --- edits -----------------------------------------------------------------------------------


def test_edit_changes_fields_and_logs_only_their_names(store: Store, clock: Clock) -> None:
    receipt = store.submit_talent(submission())
    clock.advance(minutes=5)
    store.edit_talent(
        receipt.id,
        {
            "nickname": "Anne B.",
            "categories": "muziek;koken",
            "contact": "0570-123456",
            "description": "Ik kook graag voor de buren.",  # unchanged
            "wishes": [],
        },
        actor="wm.bert",
    )
    row = store.talent(receipt.id)
    assert row is not None
    assert (row["nickname"], row["categories"], row["contact"]) == (
        "Anne B.",
        "muziek;koken",
        "0570-123456",
    )
    assert row["wishes"] is None
    assert row["updated_at"] == clock.now
    entry = store.audit(entity_id=receipt.id).iloc[-1]
    assert (entry["actor"], entry["action"]) == ("wm.bert", "edited")
    assert json.loads(entry["details"]) == {
        "fields": ["categories", "contact", "nickname", "wishes"]
    }
    store.edit_talent(receipt.id, {"nickname": "Anne B."}, actor="wm.bert")  # no change
    assert len(store.audit(entity_id=receipt.id)) == 2


def test_bad_edits_are_refused(store: Store) -> None:
    receipt = store.submit_talent(submission())
    with pytest.raises(SchemaError, match="Cannot edit status, withdrawal_hash"):
        store.edit_talent(receipt.id, {"status": "approved", "withdrawal_hash": "x"}, actor="a")
    with pytest.raises(SchemaError, match="nickname has 41"):
        store.edit_talent(receipt.id, {"nickname": "x" * 41}, actor="a")
    with pytest.raises(TalentNotFound):
        store.edit_talent("nope", {"nickname": "x"}, actor="a")
    row = store.talent(receipt.id)
    assert row is not None and row["nickname"] == "Anne" and row["status"] == "pending"
    assert len(store.audit(entity_id=receipt.id)) == 1  # nothing logged for refused edits


# --- retention -------------------------------------------------------------------------------


def test_purge_erases_old_submissions_of_any_status(
    store: Store, store_url: str, clock: Clock
) -> None:
    old = [store.submit_talent(submission(nickname=f"Oud {i}")) for i in range(3)]
    store.decide(old[0].id, status="approved", actor="wm")
    store.decide(old[1].id, status="rejected", actor="wm")
    assert store.withdraw(old[2].withdrawal_code)  # already erased: not counted again
    clock.advance(days=200)
    recent = store.submit_talent(submission(nickname="Nieuw"))
    clock.advance(days=20)

    assert store.purge_personal_data(older_than_days=365, actor="system") == 0
    assert store.purge_personal_data(older_than_days=180, actor="admin") == 2
    assert store.purge_personal_data(older_than_days=180, actor="admin") == 0
    rows = {r["id"]: r for r in raw(store_url, "SELECT * FROM talents")}
    for receipt in old:
        assert rows[receipt.id]["nickname"] is None and rows[receipt.id]["contact"] is None
        assert rows[receipt.id]["status"] == "withdrawn"
        assert rows[receipt.id]["erased_at"] is not None
        assert rows[receipt.id]["categories"] == "koken;tuinieren"
    assert rows[recent.id]["nickname"] == "Nieuw"
    assert store.withdraw(old[0].withdrawal_code) is False
    assert store.already_erased(old[0].withdrawal_code)
    purged = store.audit()
    purged = purged[purged["action"] == "purged"]
    assert sorted(purged["entity_id"]) == sorted([old[0].id, old[1].id])
    assert set(purged["actor"]) == {"admin"}
    assert json.loads(purged["details"].iloc[0]) == {"older_than_days": 180}


def test_purge_with_created_at_set_in_the_past(store: Store, store_url: str) -> None:
    receipt = store.submit_talent(submission())
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE talents SET created_at = :past"),
            {
                "past": "2001-01-01 00:00:00"
                if store.dialect == "sqlite"
                else pd.Timestamp("2001-01-01", tz="UTC").to_pydatetime()
            },
        )
    engine.dispose()
    assert store.purge_personal_data(older_than_days=30, actor="system") == 1
    assert store.talent(receipt.id)["nickname"] is None  # type: ignore[index]


@pytest.mark.parametrize("days", [-1, 1.5, "30", True, 99_999_999_999, 10**400])
def test_purge_needs_a_whole_number_of_days_within_a_century(store: Store, days: object) -> None:
    with pytest.raises(ValueError, match="--older-than-days"):
        store.purge_personal_data(older_than_days=days, actor="system")  # type: ignore[arg-type]


# --- audit -----------------------------------------------------------------------------------


def test_audit_records_every_change_without_personal_values(store: Store, store_url: str) -> None:
    secrets_ = {
        "nickname": "Geheime Gerda",
        "contact": "gerda@example.nl",
        "description": "Mijn adres is Dorpsstraat 12",
        "availability": "na 17:00 uur",
    }
    receipt = store.submit_talent(submission(**secrets_))
    store.decide(receipt.id, status="approved", actor="wm.anne")
    store.edit_talent(
        receipt.id, {"contact": "gerda2@example.nl", "nickname": "Gerda G."}, actor="wm.anne"
    )
    store.withdraw(receipt.withdrawal_code)
    log = store.audit(entity="talent", entity_id=receipt.id)
    assert list(log.columns) == ["at", "actor", "action", "entity", "entity_id", "details"]
    assert log[["actor", "action"]].values.tolist() == [
        ["resident", "submitted"],
        ["wm.anne", "approved"],
        ["wm.anne", "edited"],
        ["resident", "withdrawn"],
    ]
    assert log["at"].is_monotonic_increasing
    dumped = repr(raw(store_url, "SELECT * FROM audit_log"))
    for value in [*secrets_.values(), "gerda2@example.nl", "Gerda G.", receipt.withdrawal_code]:
        assert value not in dumped
    for row in log["details"]:
        json.loads(row)  # valid JSON
    assert store.audit(entity="user").empty


# --- undo, erase by a moderator, refusals explained in Dutch -------------------------------------


def test_undo_an_approval_and_erase_are_audited(store: Store) -> None:
    receipt = store.submit_talent(HENK)
    store.decide(receipt.id, status="approved", actor="wim")
    store.decide(receipt.id, status="pending", actor="wim")
    assert store.talent(receipt.id)["status"] == "pending"
    store.decide(receipt.id, status="rejected", actor="anna")
    assert store.erase_talent(receipt.id, actor="anna")
    assert not store.erase_talent(receipt.id, actor="anna")  # erased already
    row = store.talent(receipt.id)
    log = store.audit(entity_id=receipt.id)
    assert all(row[name] is None for name in PERSONAL_TALENT_FIELDS)
    assert (row["categories"], row["wishes"], row["buurt_code"]) == (
        "koken",
        "teach",
        "BU99990101",
    )
    assert list(zip(log["action"], log["actor"], strict=True)) == [
        ("submitted", "resident"),
        ("approved", "wim"),
        ("pending", "wim"),
        ("rejected", "anna"),
        ("erased", "anna"),
    ]


def test_store_refusals_are_explained_in_dutch(store: Store) -> None:
    receipt = store.submit_talent(HENK)
    assert store.withdraw(receipt.withdrawal_code)
    with pytest.raises(StatusError, match="withdrawn by the resident") as approving:
        store.decide(receipt.id, status="approved", actor="wim")
    with pytest.raises(StatusError, match="cannot be edited") as editing:
        store.edit_talent(receipt.id, {"nickname": "X"}, actor="wim")
    with pytest.raises(TalentNotFound, match="No talent with id 'nope'") as missing:
        store.decide("nope", status="approved", actor="wim")
    assert explain(approving.value, "nl").endswith("U kunt het niet meer goedkeuren.")
    assert explain(editing.value, "nl").endswith("U kunt het niet meer aanpassen.")
    assert "Laad de pagina opnieuw" in explain(missing.value, "nl")


# --- retention: the setting, in calendar months --------------------------------------------------


@pytest.mark.parametrize(
    ("months", "now", "days"),
    [
        (12, datetime(2026, 3, 1, tzinfo=UTC), 365),
        (12, datetime(2024, 3, 1, tzinfo=UTC), 366),
        (1, datetime(2026, 3, 31, tzinfo=UTC), 31),  # back to 28 February
        (6, datetime(2026, 8, 31, 9, 30, tzinfo=UTC), 184),  # back to 28 February
    ],
)
def test_retention_days_are_calendar_months(months, now, days):
    assert retention_days(months, now=now) == days


@pytest.mark.parametrize(("value", "months"), [(None, 12), ("", 12), ("6", 6), (" 24 ", 24)])
def test_retention_setting(value, months):
    environ = {} if value is None else {"ASSET_MAP_RETENTION_MONTHS": value}
    assert retention_months(environ) == months


@pytest.mark.parametrize("value", ["0", "-3", "zes", "6m", "١٢"])
def test_a_wrong_retention_setting_is_refused(value):
    with pytest.raises(AssetMapError, match="ASSET_MAP_RETENTION_MONTHS"):
        retention_months({"ASSET_MAP_RETENTION_MONTHS": value})


# --- erased talents keep counting anonymously; "already erased" ----------------------------------


def _sub(nickname: str, buurt: str = "BU01500401") -> TalentSubmission:
    return TalentSubmission(
        nickname=nickname,
        categories=("koken",),
        description="Ik kook graag",
        wishes=("teach",),
        availability="zaterdag",
        buurt_code=buurt,
        contact="a@example.org",
    )


def _count(store: Store, buurt: str = "BU01500401") -> Any:
    public = store.public_talents()
    if public.empty:
        return 0
    return int(talents_per_buurt(public).loc[buurt, "koken"])


def test_erased_approved_talents_keep_counting_but_pending_and_rejected_never(
    store: Store, clock: Clock
) -> None:
    approved = [store.submit_talent(_sub(f"A{i}")) for i in range(4)]
    pending = store.submit_talent(_sub("P"))
    rejected = store.submit_talent(_sub("R"))
    for receipt in approved:
        store.decide(receipt.id, status="approved", actor="wm")
    store.decide(rejected.id, status="rejected", actor="wm")
    assert _count(store) == 4

    assert store.withdraw(approved[0].withdrawal_code)  # by the resident
    assert store.erase_talent(approved[1].id, actor="wm")  # by a moderator
    assert store.withdraw(pending.withdrawal_code)  # pending: never counted
    assert store.erase_talent(rejected.id, actor="wm")  # rejected: never counted
    assert _count(store) == 4
    clock.advance(days=1)
    assert store.purge_personal_data(older_than_days=0, actor="admin") == 2  # the rest
    assert _count(store) == 4
    assert len(store.public_talents()) == 4
    assert store.talents(status="withdrawn")["nickname"].isna().all()
    assert len(store.talents(status="withdrawn")) == 6


def test_a_resident_whose_data_are_gone_hears_so(store: Store) -> None:
    receipt = store.submit_talent(_sub("Henk"))
    assert not store.already_erased(receipt.withdrawal_code)
    assert store.erase_talent(receipt.id, actor="wm")
    assert store.withdraw(receipt.withdrawal_code) is False
    assert store.already_erased(receipt.withdrawal_code)
    assert not store.already_erased("AAAA-BBBB-CCCC")
    assert not store.already_erased("no code")
