"""Residents' suggestions: submitted without an account, decided on Beoordelen.

A suggestion starts ``pending``. A wijkmanager may edit it, then accepts it (the place is
added, or the stored place changed, in the same transaction, with source
:data:`~asset_map.rules.suggestion_form.RESIDENTS_SOURCE` and an audit entry) or rejects it.
The resident follows the status with the code they got; only its hash is stored. The
contact is for the wijkmanager only and is erased after the retention period. The public
form's submissions count against the same limits as talents (``rules.submissions``).
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update

from asset_map._errors import AssetMapError, SchemaError
from asset_map.i18n import Joined, Msg
from asset_map.rules import auth
from asset_map.rules.dutch_hours import readable_hours
from asset_map.rules.suggestion_form import (
    EDIT_FIELDS,
    RESIDENTS_SOURCE,
    SuggestionSubmission,
)
from asset_map.settings import SubmissionLimits
from asset_map.storage import audit, checks, submissions
from asset_map.storage.db import Database
from asset_map.storage.edits import add_in, checked_changes, checked_new, update_in
from asset_map.storage.layers import lock_workspace
from asset_map.storage.schema import (
    CORRECTIONS,
    SUGGESTION_KINDS,
    suggestions,
)
from asset_map.storage.talents import Receipt

#: The columns Beoordelen shows, oldest first.
COLUMNS = [
    "id",
    "kind",
    "correction",
    "asset_id",
    "type",
    "name",
    "description",
    "schedule",
    "address",
    "lon",
    "lat",
    "private_home",
    "buurt_code",
    "contact",
    "status",
    "created_at",
    "decided_by",
    "decided_at",
    "result_asset_id",
]
_TIMES = ("created_at", "decided_at")
#: The tag of a place at someone's home: the map shows it at the middle of its area.
PRIVATE_TAG = "bij iemand thuis"


class SuggestionNotFound(AssetMapError, LookupError):
    """No suggestion has this id."""


class AlreadyDecided(AssetMapError):
    """The suggestion was accepted or rejected already (by someone else, a moment ago)."""


def _problems(sub: SuggestionSubmission) -> list[Msg]:
    problems = []
    if sub.kind not in SUGGESTION_KINDS:
        kinds = ", ".join(SUGGESTION_KINDS)
        problems.append(Msg("err.suggestion.kind", kind=sub.kind, kinds=kinds))
    if sub.kind == "correction" and (sub.correction not in CORRECTIONS or not sub.asset_id):
        problems.append(Msg("err.suggestion.correction", corrections=", ".join(CORRECTIONS)))
    for name, value in asdict(sub).items():
        if isinstance(value, str) and "\x00" in value:
            problems.append(Msg("err.suggestion.nul", field=name))
    return problems


def submit(
    db: Database,
    sub: SuggestionSubmission,
    *,
    now: datetime,
    address: str | None = None,
    limits: SubmissionLimits | None = None,
) -> Receipt:
    """Store a new ``pending`` suggestion; return its id and the code to follow it with.

    With ``limits`` (the public form), the submission is counted against them for its
    client ``address`` and in all, as the talent form's are (``rules.submissions``), and
    refused when one is reached or too many suggestions wait for Beoordelen.

    Raises
    ------
    SubmissionRefused
        When a limit is reached; nothing is stored or counted then.
    """
    problems = _problems(sub)
    if problems:
        raise SchemaError(Msg("err.suggestion.refused", problems=Joined(problems, "; ")))
    receipt = Receipt(id=str(uuid.uuid4()), withdrawal_code=auth.new_withdrawal_code())
    with db.writing() as conn:
        if limits is not None:
            waiting = conn.execute(
                select(func.count()).where(suggestions.c.status == "pending")
            ).scalar_one()
            submissions.admit(
                conn,
                kind="suggestion",
                address=address,
                now=now,
                limits=limits,
                queue=int(waiting),
            )
        conn.execute(
            insert(suggestions).values(
                id=receipt.id,
                **asdict(sub),
                status="pending",
                code_hash=auth.hash_code(receipt.withdrawal_code),
                created_at=now,
                updated_at=now,
            )
        )
        audit.record(
            conn,
            at=now,
            actor="resident",
            action="submitted",
            entity="suggestion",
            entity_id=receipt.id,
            details={"kind": sub.kind, "correction": sub.correction},
        )
    return receipt


def frame(db: Database, *, status: str | None = None) -> pd.DataFrame:
    """Return the suggestions (or those with ``status``), oldest first, with contact data."""
    query = select(*(suggestions.c[n] for n in COLUMNS)).order_by(
        suggestions.c.created_at, suggestions.c.id
    )
    if status is not None:
        query = query.where(suggestions.c.status == status)
    with db.reading() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    for name in _TIMES:
        out[name] = pd.to_datetime(out[name], utc=True).astype("datetime64[us, UTC]")
    for name in ("lon", "lat"):
        out[name] = pd.to_numeric(out[name]).astype("float64")
    out["private_home"] = out["private_home"].astype("bool")
    return out


def one(db: Database, suggestion_id: str) -> dict[str, Any] | None:
    """Return one suggestion as a dict of :data:`COLUMNS`, or None."""
    with db.reading() as conn:
        row = conn.execute(
            select(*(suggestions.c[n] for n in COLUMNS)).where(suggestions.c.id == suggestion_id)
        ).first()
    return None if row is None else dict(row._mapping)


def by_code(db: Database, code: str) -> dict[str, Any] | None:
    """Return what the resident may see of their suggestion: kind, name, status and dates.

    None for an unknown code (or text that is no code at all).
    """
    try:
        wanted = auth.hash_code(code)
    except ValueError:
        return None
    columns = ("kind", "correction", "name", "status", "created_at", "decided_at", "code_hash")
    with db.reading() as conn:
        row = conn.execute(
            select(*(suggestions.c[n] for n in columns)).where(suggestions.c.code_hash == wanted)
        ).first()
    if row is None or not hmac.compare_digest(str(row.code_hash), wanted):
        return None
    return {n: getattr(row, n) for n in columns if n != "code_hash"}


def _pending(conn: Connection, suggestion_id: str) -> dict[str, Any]:
    row = conn.execute(
        select(*(suggestions.c[n] for n in COLUMNS))
        .where(suggestions.c.id == suggestion_id)
        .with_for_update()
    ).first()
    if row is None:
        raise SuggestionNotFound(Msg("err.suggestion.not_found", id=suggestion_id))
    if row.status != "pending":
        raise AlreadyDecided(
            Msg("err.suggestion.decided", status=Msg(f"suggest.status.{row.status}"))
        )
    return dict(row._mapping)


def edit(
    db: Database, suggestion_id: str, changes: dict[str, Any], *, actor: str, now: datetime
) -> None:
    """Change fields of a pending suggestion (checked by ``suggestion_form.check_edit``)."""
    unknown = sorted(set(changes) - set(EDIT_FIELDS))
    if unknown:
        editable = ", ".join(EDIT_FIELDS)
        raise SchemaError(
            Msg("err.suggestion.not_editable", fields=", ".join(unknown), editable=editable)
        )
    with db.writing() as conn:
        old = _pending(conn, suggestion_id)
        changed = sorted(name for name, value in changes.items() if old[name] != value)
        if not changed:
            return
        conn.execute(
            update(suggestions)
            .where(suggestions.c.id == suggestion_id)
            .values(**{name: changes[name] for name in changed}, updated_at=now)
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="edited",
            entity="suggestion",
            entity_id=suggestion_id,
            details={"fields": changed},
        )


def _new_place(row: dict[str, Any]) -> dict[str, Any]:
    """Return the place a suggestion makes, its "when" as opening hours when they read.

    A "when" that reads as no opening hours ("elke woensdagmiddag") goes into the
    description, so nothing the resident wrote is lost; the hours stay unknown.
    """
    schedule = (row["schedule"] or "").strip()
    hours = readable_hours(schedule)
    description = row["description"]
    if schedule and hours is None:
        description = "\n".join(p for p in (description, f"Wanneer: {schedule}") if p)
    return {
        "name": row["name"],
        "type": row["type"],
        "lon": row["lon"],
        "lat": row["lat"],
        "description": description,
        "address": None if row["private_home"] else row["address"],
        "opening_hours": hours,
        "tags": PRIVATE_TAG if row["private_home"] else None,
        "source": RESIDENTS_SOURCE,
        "status": "existing",
    }


def _correction(row: dict[str, Any]) -> dict[str, Any]:
    kind = row["correction"]
    if kind == "closed":
        return {"status": "closed"}
    if kind == "moved":
        moved: dict[str, Any] = {"lon": row["lon"], "lat": row["lat"]}
        if row["address"]:
            moved["address"] = row["address"]
        return moved
    if kind == "hours":
        return {"opening_hours": row["schedule"]}
    return {"name": row["name"]}


def accept(db: Database, suggestion_id: str, *, actor: str, now: datetime) -> str:
    """Accept a pending suggestion: add the place, or change the stored one; return its id.

    In one transaction: the asset is added (source ``bewoners``) or changed, the place
    counts as checked (how: ``resident``), the suggestion is marked accepted, and the audit
    log has an entry for the suggestion and one for the asset.

    Raises
    ------
    SuggestionNotFound, AlreadyDecided
        For an unknown or decided suggestion.
    NotFound
        For a correction of a place that was deleted meanwhile.
    SchemaError
        When the suggestion (as edited) does not make a valid place.
    """
    details = {"source": RESIDENTS_SOURCE, "suggestion": suggestion_id}
    with db.writing() as conn:
        lock_workspace(conn)
        row = _pending(conn, suggestion_id)
        if row["kind"] == "correction":
            asset_id = str(row["asset_id"])
            changes = checked_changes(asset_id, _correction(row))
            update_in(conn, asset_id, changes, actor=actor, now=now, details=details)
        else:
            asset_id = add_in(
                conn, checked_new(_new_place(row)), actor=actor, now=now, details=details
            )
        checks.record_in(conn, asset_id, method="resident", actor=actor, now=now)
        conn.execute(
            update(suggestions)
            .where(suggestions.c.id == suggestion_id)
            .values(
                status="accepted",
                decided_by=actor,
                decided_at=now,
                updated_at=now,
                result_asset_id=asset_id,
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="accepted",
            entity="suggestion",
            entity_id=suggestion_id,
            details={"asset": asset_id, "kind": row["kind"], "correction": row["correction"]},
        )
    return asset_id


def reject(db: Database, suggestion_id: str, *, actor: str, now: datetime) -> None:
    """Reject a pending suggestion; nothing on the map changes."""
    with db.writing() as conn:
        _pending(conn, suggestion_id)
        conn.execute(
            update(suggestions)
            .where(suggestions.c.id == suggestion_id)
            .values(status="rejected", decided_by=actor, decided_at=now, updated_at=now)
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="rejected",
            entity="suggestion",
            entity_id=suggestion_id,
        )


def purge_contacts(db: Database, *, older_than_days: int, actor: str, now: datetime) -> int:
    """Erase the contact of every suggestion sent more than N days ago; return how many."""
    cutoff = now - timedelta(days=older_than_days)
    with db.writing() as conn:
        ids = (
            conn.execute(
                select(suggestions.c.id).where(
                    suggestions.c.created_at < cutoff, suggestions.c.contact.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(
                update(suggestions)
                .where(suggestions.c.id.in_(chunk))
                .values(contact=None, erased_at=now)
            )
        for suggestion_id in ids:
            audit.record(
                conn,
                at=now,
                actor=actor,
                action="purged",
                entity="suggestion",
                entity_id=suggestion_id,
                details={"older_than_days": older_than_days},
            )
    if ids:
        db.erase_traces()
    return len(ids)
