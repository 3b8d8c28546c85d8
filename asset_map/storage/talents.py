"""Residents' talents: submission, moderation, edits, withdrawal and retention.

A submission starts ``pending``; only ``approved`` ones reach :func:`public_talents`.
Erasure (a resident's withdrawal, or the retention limit) blanks every personal field and
keeps the categories, wishes, buurt and date, so anonymous counts stay right.
"""

from __future__ import annotations

import calendar
import hmac
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Connection, Row, insert, or_, select, update

from asset_map._errors import AssetMapError, SchemaError
from asset_map.i18n import Joined, Msg
from asset_map.model import (
    BUURT_CODE,
    PERSONAL_TALENT_FIELDS,
    TALENT_COLUMNS,
    TALENT_FIELDS,
    TALENT_STATUSES,
    WISHES,
    catalogue,
)
from asset_map.rules import auth
from asset_map.rules.concurrent_edits import Editable, changed_fields, check_base
from asset_map.rules.talent_form import TalentSubmission
from asset_map.settings import OLDER_THAN_DAYS, SubmissionLimits
from asset_map.storage import audit, submissions
from asset_map.storage.db import Database
from asset_map.storage.schema import connections, talents

#: Columns moderators see besides ``model.TALENT_COLUMNS``.
MODERATION_COLUMNS = [
    *TALENT_COLUMNS,
    "contact",
    "created_at",
    "updated_at",
    "decided_by",
    "decided_at",
]
#: The only columns of a public talent table (:func:`public_frame`): enough to count talents
#: per buurt and category, nothing that tells who someone is, what they wrote or when.
PUBLIC_TALENT_COLUMNS = ["categories", "buurt_code", "status"]
#: What a moderator may set: a decision, or ``pending`` to undo one.
DECISIONS = ("approved", "rejected", "pending")
_TIMESTAMPS = ("created_at", "updated_at", "decided_at")


class TalentNotFound(AssetMapError):
    """No talent has this id."""


class StatusError(AssetMapError):
    """A change that the talent's status does not allow (e.g. approving a withdrawn one)."""


def retention_days(months: int, *, now: datetime) -> int:
    """Return the whole days in the ``months`` calendar months before ``now``.

    Purging what is older than this many days keeps nothing longer than ``months`` months:
    12 months before 2026-03-01 is 365 days; before 2024-03-01 (a leap year) it is 366.
    """
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return (now - now.replace(year=year, month=month + 1, day=day)).days


@dataclass(frozen=True)
class Receipt:
    """What the resident gets back: the id and the withdrawal code, shown once."""

    id: str
    withdrawal_code: str


# --- validation ------------------------------------------------------------------------------


def _text_problem(name: str, value: Any, *, max_len: int, required: bool) -> Msg | None:
    if value is None:
        return None if not required else Msg("err.talent.field_missing", field=name)
    if not isinstance(value, str):
        return Msg("err.talent.field_not_text", field=name, kind=type(value).__name__)
    if required and not value.strip():
        return Msg("err.talent.field_empty", field=name)
    if len(value) > max_len:
        return Msg("err.talent.field_long", field=name, n=len(value), most=max_len)
    if "\x00" in value:
        return Msg("err.talent.field_nul", field=name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return Msg("err.talent.field_surrogate", field=name)
    return None


def _keys(value: Any) -> tuple[str, ...]:
    """Return category or wish keys from a tuple/list or ``;``-joined text."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part for part in value.split(";") if part)
    if isinstance(value, list | tuple):
        return tuple(value)
    raise TypeError(type(value).__name__)


def _keys_problems(
    name: str, value: Any, allowed: Iterable[str], *, low: int, high: int
) -> list[Msg]:
    try:
        keys = _keys(value)
    except TypeError as error:
        return [Msg("err.talent.keys_not_tuple", field=name, kind=str(error))]
    allowed = list(allowed)
    problems = [
        Msg("err.talent.key_unknown", field=name, value=k, allowed=", ".join(allowed))
        for k in keys
        if k not in allowed
    ]
    if len(set(keys)) != len(keys):
        problems.append(Msg("err.talent.key_twice", field=name))
    if not low <= len(keys) <= high:
        problems.append(Msg("err.talent.keys_count", field=name, low=low, high=high, n=len(keys)))
    return problems


def _problems(name: str, value: Any) -> list[Msg]:
    """Return what is wrong with ``value`` as field ``name`` (empty when it is fine)."""
    field = TALENT_FIELDS[name]
    if field.kind == "text":
        max_len = field.max_len or 0
        problem = _text_problem(name, value, max_len=max_len, required=field.required)
        return [problem] if problem else []
    if field.kind == "keys":
        allowed = catalogue().talent_categories if name == "categories" else WISHES
        low, high = int(field.required), field.most or len(allowed)
        return _keys_problems(name, value, allowed, low=low, high=high)
    if isinstance(value, str) and BUURT_CODE.match(value):
        return []
    return [Msg("err.talent.not_buurt_code", value=value)]


def _check(values: dict[str, Any], what: Msg) -> None:
    """Raise one SchemaError listing every problem of ``values``."""
    problems = [p for name, value in values.items() for p in _problems(name, value)]
    if problems:
        raise SchemaError(Msg("err.talent.refused", what=what, problems=Joined(problems)))


def _stored(name: str, value: Any) -> Any:
    """Return a checked value as the table holds it: key lists as ``;``-joined text."""
    if name in ("categories", "wishes"):
        return ";".join(_keys(value)) or None
    return value


# --- repository ------------------------------------------------------------------------------


def submit(
    db: Database,
    sub: TalentSubmission,
    *,
    now: datetime,
    address: str | None = None,
    limits: SubmissionLimits | None = None,
) -> Receipt:
    """Store a new ``pending`` talent; return its id and the withdrawal code.

    With ``limits`` (the public form), the submission is counted against them for its
    client ``address`` and in all, and refused when one is reached or the queue is full.
    """
    values = {name: getattr(sub, name) for name in TALENT_FIELDS}
    _check(values, Msg("err.talent.submission"))
    receipt = Receipt(id=str(uuid.uuid4()), withdrawal_code=auth.new_withdrawal_code())
    with db.writing() as conn:
        if limits is not None:
            waiting = conn.execute(
                select(sa.func.count()).where(talents.c.status == "pending")
            ).scalar_one()
            submissions.admit(
                conn,
                kind="talent",
                address=address,
                now=now,
                limits=limits,
                queue=int(waiting),
            )
        conn.execute(
            insert(talents).values(
                id=receipt.id,
                **{name: _stored(name, value) for name, value in values.items()},
                status="pending",
                withdrawal_hash=auth.hash_code(receipt.withdrawal_code),
                created_at=now,
                updated_at=now,
            )
        )
        audit.record(
            conn,
            at=now,
            actor="resident",
            action="submitted",
            entity="talent",
            entity_id=receipt.id,
        )
    return receipt


def _frame(rows: Sequence[Row[Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for name in columns:
        if name in _TIMESTAMPS:
            frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
        else:
            frame[name] = frame[name].astype("str")
    return frame


def moderation_frame(db: Database, *, status: str | None = None) -> pd.DataFrame:
    """Return all talents (or those with ``status``) with contact data and timestamps."""
    if status is not None and status not in TALENT_STATUSES:
        raise SchemaError(
            Msg("err.talent.status_unknown", status=status, allowed=", ".join(TALENT_STATUSES))
        )
    query = select(*(talents.c[n] for n in MODERATION_COLUMNS))
    if status is not None:
        query = query.where(talents.c.status == status)
    with db.reading() as conn:
        rows = conn.execute(query.order_by(talents.c.created_at, talents.c.id)).all()
    return _frame(rows, MODERATION_COLUMNS)


def public_frame(db: Database) -> pd.DataFrame:
    """Return approved talents with only :data:`PUBLIC_TALENT_COLUMNS`, oldest first.

    A talent that was approved when its personal data were erased (by the resident, the
    retention purge or a moderator) still counts: only anonymous counts are left of it.

    No id, nickname, description, wishes, availability, contact or dates: only what a public
    count per buurt and category needs. Moderators use :func:`moderation_frame`.
    """
    query = (
        select(
            talents.c.categories,
            talents.c.buurt_code,
            sa.literal("approved").label("status"),
        )
        .where(or_(talents.c.status == "approved", talents.c.counted.is_(True)))
        .order_by(talents.c.created_at, talents.c.id)
    )
    with db.reading() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, PUBLIC_TALENT_COLUMNS)


def pending_count(db: Database) -> int:
    """Return how many talents wait for moderation."""
    with db.reading() as conn:
        query = select(sa.func.count()).where(talents.c.status == "pending")
        return int(conn.execute(query).scalar_one())


def one(db: Database, talent_id: str) -> dict[str, Any] | None:
    """Return one talent as a dict of the moderation columns, or None."""
    query = select(*(talents.c[n] for n in MODERATION_COLUMNS)).where(talents.c.id == talent_id)
    with db.reading() as conn:
        row = conn.execute(query).first()
    return None if row is None else dict(row._mapping)


#: What a moderator's form shows of a talent: the fields they edit and the status.
VERSIONED = (*TALENT_FIELDS, "status")


def _locked(conn: Connection, talent_id: str) -> Editable:
    """Return the talent's version, fields and status, locked for this transaction."""
    row = conn.execute(
        select(*(talents.c[n] for n in VERSIONED), talents.c.version)
        .where(talents.c.id == talent_id)
        .with_for_update()
    ).first()
    if row is None:
        raise TalentNotFound(Msg("err.talent.not_found", id=talent_id))
    return Editable(int(row.version), {n: row._mapping[n] for n in VERSIONED})


def _locked_status(conn: Connection, talent_id: str) -> str:
    return str(_locked(conn, talent_id).values["status"])


def editable(db: Database, talent_id: str) -> Editable:
    """Return a talent's version, the fields a moderator edits (as stored) and its status.

    Raises
    ------
    TalentNotFound
        For an unknown id.
    """
    with db.reading() as conn:
        return _locked(conn, talent_id)


def _next_version() -> Any:
    return talents.c.version + 1


def _withdrawn(talent_id: str, action: str) -> StatusError:
    what = Msg(f"talent.action_{action}")
    return StatusError(Msg("err.talent.withdrawn", id=talent_id, action=what))


def decide(
    db: Database,
    talent_id: str,
    *,
    status: str,
    actor: str,
    now: datetime,
    base: Editable | None = None,
) -> None:
    """Approve or reject a talent, or set it back to ``pending`` (undo a decision).

    Deciding it again the same way changes nothing; the audit log names the actor and the
    status before. With ``base`` (the talent as the moderator's screen showed it), a talent
    changed meanwhile (edited, decided by someone else) raises ``StaleEdit``: nobody
    approves a text they have not seen.
    """
    if status not in DECISIONS:
        raise SchemaError(Msg("err.talent.decision_unknown", status=status))
    with db.writing() as conn:
        found = _locked(conn, talent_id)
        current = str(found.values["status"])
        if current == status:
            return
        if current == "withdrawn":
            raise _withdrawn(talent_id, status)
        check_base("edits.what.talent", talent_id, base, found, {"status": status})
        conn.execute(
            update(talents)
            .where(talents.c.id == talent_id)
            .values(
                status=status,
                decided_by=actor,
                decided_at=now,
                updated_at=now,
                version=_next_version(),
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action=status,
            entity="talent",
            entity_id=talent_id,
            details={"from": current},
        )


def edit(
    db: Database,
    talent_id: str,
    changes: dict[str, Any],
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
) -> None:
    """Change fields of a talent; the audit log names the fields, never their values.

    With ``base`` (the talent as the moderator's form read it), only the fields that differ
    from it are written, and a talent changed meanwhile raises ``StaleEdit``.
    """
    unknown = sorted(set(changes) - set(TALENT_FIELDS))
    if unknown:
        fields, editable = ", ".join(unknown), ", ".join(TALENT_FIELDS)
        raise SchemaError(Msg("err.talent.not_editable", fields=fields, editable=editable))
    _check(changes, Msg("err.talent.edit", id=talent_id))
    new = {name: _stored(name, value) for name, value in changes.items()}
    yours = new if base is None else changed_fields(base.values, new)
    with db.writing() as conn:
        found = _locked(conn, talent_id)
        if found.values["status"] == "withdrawn":
            raise _withdrawn(talent_id, "edited")
        check_base("edits.what.talent", talent_id, base, found, yours)
        written = changed_fields(found.values, yours)
        changed = sorted(written)
        if not changed:
            return
        conn.execute(
            update(talents)
            .where(talents.c.id == talent_id)
            .values(**written, updated_at=now, version=_next_version())
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="edited",
            entity="talent",
            entity_id=talent_id,
            details={"fields": changed},
        )


def _erased(now: datetime) -> dict[str, Any]:
    """Return the values that erase a talent's personal data.

    ``counted`` keeps an approved talent in the public counts; pending or rejected ones never
    count. The withdrawal hash stays (it is not personal data) so a resident who comes back
    with the code hears that the data are gone already.
    """
    return {
        **dict.fromkeys(PERSONAL_TALENT_FIELDS),
        "counted": talents.c.status == "approved",
        "status": "withdrawn",
        "erased_at": now,
        "updated_at": now,
        "version": _next_version(),
    }


def _erase_connection_notes(conn: Connection, talent_ids: Sequence[str]) -> None:
    """Blank the notes of connections made with these talents: a note may describe the person.

    The connection itself (place, category, buurt, who made it and when) stays: it is an
    anonymous count once the talent's personal data are gone.
    """
    conn.execute(
        update(connections).where(connections.c.talent_id.in_(list(talent_ids))).values(note=None)
    )


def withdraw(db: Database, code: str, *, now: datetime) -> bool:
    """Erase the personal data of the talent with withdrawal ``code``; False if unknown."""
    try:
        wanted = auth.hash_code(code)
    except ValueError:
        return False
    with db.writing() as conn:
        row = conn.execute(
            select(talents.c.id, talents.c.withdrawal_hash, talents.c.erased_at)
            .where(talents.c.withdrawal_hash == wanted)
            .with_for_update()
        ).first()
        if row is None or not hmac.compare_digest(str(row.withdrawal_hash), wanted):
            return False
        if row.erased_at is not None:
            return False
        conn.execute(update(talents).where(talents.c.id == row.id).values(**_erased(now)))
        _erase_connection_notes(conn, [row.id])
        audit.record(
            conn, at=now, actor="resident", action="withdrawn", entity="talent", entity_id=row.id
        )
    db.erase_traces()
    return True


def already_erased(db: Database, code: str) -> bool:
    """Tell whether the talent with withdrawal ``code`` exists and was erased already."""
    try:
        wanted = auth.hash_code(code)
    except ValueError:
        return False
    with db.reading() as conn:
        row = conn.execute(
            select(talents.c.erased_at).where(talents.c.withdrawal_hash == wanted)
        ).first()
    return row is not None and row.erased_at is not None


def erase(db: Database, talent_id: str, *, actor: str, now: datetime) -> bool:
    """Erase the personal data of one talent for a moderator (a resident who lost the code).

    Returns False when it was erased already; the audit log names the actor.
    """
    with db.writing() as conn:
        if _locked_status(conn, talent_id) == "withdrawn":
            return False
        conn.execute(update(talents).where(talents.c.id == talent_id).values(**_erased(now)))
        _erase_connection_notes(conn, [talent_id])
        audit.record(
            conn, at=now, actor=actor, action="erased", entity="talent", entity_id=talent_id
        )
    db.erase_traces()
    return True


def purge(db: Database, *, older_than_days: int, actor: str, now: datetime) -> int:
    """Erase the personal data of every talent submitted more than N days ago."""
    OLDER_THAN_DAYS.check(older_than_days)  # 0 to a century: an older date does not exist
    cutoff = now - timedelta(days=older_than_days)
    with db.writing() as conn:
        ids = (
            conn.execute(
                select(talents.c.id)
                .where(talents.c.created_at < cutoff, talents.c.status != "withdrawn")
                .with_for_update()
            )
            .scalars()
            .all()
        )
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(update(talents).where(talents.c.id.in_(chunk)).values(**_erased(now)))
            _erase_connection_notes(conn, chunk)
        for talent_id in ids:
            audit.record(
                conn,
                at=now,
                actor=actor,
                action="purged",
                entity="talent",
                entity_id=talent_id,
                details={"older_than_days": older_than_days},
            )
    if ids:
        db.erase_traces()
    return len(ids)
