"""Activities at places, what a place asks for, and connections of talents to places.

Activities and place needs belong to the workspace: a change bumps its version (the app's
cache key) and needs a saved workspace. Connections are history: they record who connected
which approved talent to which place, keep the talent's buurt for counts, and stay when the
place or the talent goes. Every change writes the audit log (field names and counts only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Row, Table, delete, insert, select

from asset_map._errors import AssetMapError, SchemaError, require_columns
from asset_map.i18n import Joined, Msg
from asset_map.model import (
    ACTIVITY_COLUMNS,
    ACTIVITY_FIELDS,
    CONNECTION_COLUMNS,
    PLACE_NEED_COLUMNS,
)
from asset_map.rules.concurrent_edits import Editable, changed_fields, check_base
from asset_map.rules.edits import (
    Problem,
    activity_problems,
    connection_problems,
    needs_problems,
    problem_text,
)
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.edits import NotFound, new_id, of_place, require_asset
from asset_map.storage.layers import bump_version, insert_stamped, lock_workspace, write_stamped
from asset_map.storage.schema import activities as activities_table
from asset_map.storage.schema import connections as connections_table
from asset_map.storage.schema import place_needs as needs_table
from asset_map.storage.schema import talents as talents_table
from asset_map.storage.talents import StatusError

#: Times in messages to staff are in the local time of the Netherlands.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")

# --- frames ----------------------------------------------------------------------------------


def _frame(rows: Sequence[Row[Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for name in columns:
        if name == "weekday":
            frame[name] = frame[name].astype("int64")
        elif name == "made_at":
            frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
        else:
            frame[name] = frame[name].astype("str")
    return frame


def _read(db: Database, table: Table, columns: list[str], order: Sequence[str]) -> pd.DataFrame:
    query = select(*(table.c[n] for n in columns)).order_by(*(table.c[n] for n in order))
    with db.reading() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, columns)


def activities_frame(db: Database) -> pd.DataFrame:
    """Return every activity: ``ACTIVITY_COLUMNS``, by weekday and start time."""
    return _read(db, activities_table, ACTIVITY_COLUMNS, ("weekday", "start", "end", "id"))


def needs_frame(db: Database) -> pd.DataFrame:
    """Return every place's needs: ``PLACE_NEED_COLUMNS``, by asset id."""
    return _read(db, needs_table, PLACE_NEED_COLUMNS, ("asset_id",))


def connections_frame(db: Database) -> pd.DataFrame:
    """Return every connection: ``CONNECTION_COLUMNS``, oldest first."""
    return _read(db, connections_table, CONNECTION_COLUMNS, ("made_at", "id"))


# --- rows for a whole workspace --------------------------------------------------------------


def _cell(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _require_columns(
    frame: pd.DataFrame, needed: Sequence[str], columns: Sequence[str], what: str
) -> None:
    """Refuse a frame of activities or place needs that lacks a column it must have."""
    columns_are = Msg("err.columns.fix.columns_are", columns=", ".join(columns))
    require_columns(frame.columns, needed, Msg(f"err.what.{what}"), columns_are)


def _refuse_rows(rows: list[dict[str, Any]], key: str, problems: list[Msg], what: str) -> None:
    """Raise one SchemaError naming every problem of the rows and every ``key`` given twice."""
    keys = [r[key] for r in rows]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        problems.append(Msg(f"err.storage.{what}_twice", ids=", ".join(twice)))
    if problems:
        raise SchemaError(Msg(f"err.storage.{what}_refused", problems=Joined(problems)))


def activity_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return checked table rows of a frame of activities (ids made where missing).

    Raises
    ------
    SchemaError
        Naming every bad row and field, or a column missing, or an id given twice.
    """
    needed = [c for c in ACTIVITY_COLUMNS if c != "id"]
    _require_columns(frame, needed, ACTIVITY_COLUMNS, "activities")
    rows, problems = [], []
    for n, record in enumerate(frame.to_dict("records"), start=1):
        values = {k: _cell(v) for k, v in record.items() if k in ACTIVITY_FIELDS}
        cleaned, found = activity_problems(values, asset_ids=None)
        if found:
            problems.append(problem_text(Msg("err.edits.activity_row", n=n), found))
        rows.append({**cleaned, "id": cleaned["id"] or new_id("activity")})
    _refuse_rows(rows, "id", problems, "activities")
    return rows


def need_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return checked table rows of a frame of place needs (rows without content dropped).

    Raises
    ------
    SchemaError
        Naming every bad row, or a column missing, or an asset given twice.
    """
    _require_columns(frame, PLACE_NEED_COLUMNS, PLACE_NEED_COLUMNS, "place_needs")
    rows, problems = [], []
    for n, record in enumerate(frame.to_dict("records"), start=1):
        keys, note, found = needs_problems(_cell(record["categories"]), _cell(record["note"]))
        asset_id = _cell(record["asset_id"])
        if not isinstance(asset_id, str) or not asset_id:
            found.append(Problem("asset_id", "edits.asset.unknown", asset_id))
        if found:
            problems.append(problem_text(Msg("err.edits.needs_row", n=n), found))
        elif keys or note:
            rows.append({"asset_id": asset_id, "categories": ";".join(keys), "note": note})
    _refuse_rows(rows, "asset_id", problems, "place_needs")
    return rows


# --- activities ------------------------------------------------------------------------------

#: The fields of an activity a form edits (all but the id).
ACTIVITY_EDIT_FIELDS = tuple(f for f in ACTIVITY_FIELDS if f != "id")


def _activity_now(conn: Connection, activity_id: str) -> Editable | None:
    row = conn.execute(
        select(
            *(activities_table.c[n] for n in ACTIVITY_EDIT_FIELDS), activities_table.c.version
        ).where(activities_table.c.id == activity_id)
    ).first()
    if row is None:
        return None
    return Editable(int(row.version), {n: row._mapping[n] for n in ACTIVITY_EDIT_FIELDS})


def editable_activity(db: Database, activity_id: str) -> Editable:
    """Return an activity's version and its fields as a form shows them.

    Raises
    ------
    NotFound
        For an unknown activity id.
    """
    with db.reading() as conn:
        found = _activity_now(conn, activity_id)
    if found is None:
        raise NotFound(Msg("err.storage.no_activity", id=repr(activity_id)))
    return found


def save_activity(
    db: Database,
    activity: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
) -> str:
    """Insert an activity, or update the one with its id; return the id.

    With ``base`` (what the form of a stored activity started from), only the fields that
    differ from it are written, and an activity changed meanwhile raises ``StaleEdit``.
    """
    activity_id, cleaned = checked_activity(activity)
    with db.writing() as conn:
        lock_workspace(conn)
        save_activity_in(conn, activity_id, cleaned, actor=actor, now=now, base=base)
    return activity_id


def checked_activity(activity: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return the id (made when missing) and the cleaned fields, or raise one SchemaError."""
    cleaned, problems = activity_problems(activity, asset_ids=None)
    problems = [
        *(
            Problem(str(k), "edits.field.unknown", v, allowed=tuple(ACTIVITY_FIELDS))
            for k, v in activity.items()
            if k not in ACTIVITY_FIELDS
        ),
        *problems,
    ]
    if problems:
        raise SchemaError(problem_text(Msg("err.edits.save_activity"), problems))
    activity_id = cleaned.pop("id") or new_id("activity")
    return activity_id, cleaned


def activity_place(conn: Connection, activity_id: str) -> str | None:
    """Return the asset id of a stored activity, or None when there is no such activity."""
    return conn.execute(
        select(activities_table.c.asset_id).where(activities_table.c.id == activity_id)
    ).scalar()


def save_activity_in(
    conn: Connection,
    activity_id: str,
    cleaned: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
    details: Mapping[str, Any] | None = None,
) -> list[str]:
    """Save a checked activity inside the caller's locked transaction; return changed fields.

    ``base`` as for :func:`save_activity`; ``details`` are added to the audit entry.
    """
    yours = dict(cleaned) if base is None else changed_fields(base.values, cleaned)
    require_asset(conn, cleaned["asset_id"])
    old = _activity_now(conn, activity_id)
    if old is None and base is not None and base.version:
        raise NotFound(Msg("err.storage.activity_deleted_meanwhile", id=repr(activity_id)))
    if old is None:
        insert_stamped(conn, activities_table, id=activity_id, **cleaned)
        action, fields = "added", sorted(k for k, v in cleaned.items() if v is not None)
    else:
        check_base("edits.what.activity", activity_id, base, old, yours)
        where = activities_table.c.id == activity_id
        fields = write_stamped(conn, activities_table, where, changed_fields(old.values, yours))
        if not fields:
            return []
        action = "edited"
    audit.record(
        conn,
        at=now,
        actor=actor,
        action=action,
        entity="activity",
        entity_id=activity_id,
        details={"fields": fields, "asset_id": cleaned["asset_id"], **(details or {})},
    )
    return fields


def delete_activity(
    db: Database, activity_id: str, *, actor: str, now: datetime, base: Editable | None = None
) -> None:
    """Delete one activity; with ``base``, one changed meanwhile raises ``StaleEdit``."""
    with db.writing() as conn:
        lock_workspace(conn)
        delete_activity_in(conn, activity_id, actor=actor, now=now, base=base)


def delete_activity_in(
    conn: Connection,
    activity_id: str,
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Delete one activity inside the caller's locked transaction (``base`` as above)."""
    old = _activity_now(conn, activity_id)
    if old is not None:
        check_base("edits.what.activity", activity_id, base, old, {})
    gone = conn.execute(
        delete(activities_table).where(activities_table.c.id == activity_id)
    ).rowcount
    if not gone:
        raise NotFound(Msg("err.storage.no_activity", id=repr(activity_id)))
    bump_version(conn)
    audit.record(
        conn,
        at=now,
        actor=actor,
        action="deleted",
        entity="activity",
        entity_id=activity_id,
        details=dict(details or {}),
    )


# --- place needs -----------------------------------------------------------------------------


def _needs_now(conn: Connection, asset_id: str) -> Editable:
    """Return a place's needs; version 0 and empty values when it asks for nothing."""
    row = conn.execute(
        select(needs_table.c.categories, needs_table.c.note, needs_table.c.version).where(
            needs_table.c.asset_id == asset_id
        )
    ).first()
    if row is None:
        return Editable(0, {"categories": "", "note": None})
    return Editable(int(row.version), {"categories": row.categories or "", "note": row.note})


def editable_needs(db: Database, asset_id: str) -> Editable:
    """Return a place's needs (``categories`` ``;``-joined, ``note``) and their version.

    An unknown asset id raises ``NotFound`` (:func:`asset_map.storage.edits.of_place`).
    """
    return of_place(db, asset_id, _needs_now)


def set_needs(
    db: Database,
    asset_id: str,
    categories: Sequence[str],
    *,
    note: str,
    actor: str,
    now: datetime,
    base: Editable | None = None,
) -> None:
    """Set what a place asks for; no categories and no note remove its row.

    With ``base``, only what differs from it is written, and needs changed meanwhile
    raise ``StaleEdit``.
    """
    keys, text, problems = needs_problems(categories, note)
    if problems:
        raise SchemaError(problem_text(Msg("err.edits.set_needs", id=repr(asset_id)), problems))
    wanted = {"categories": ";".join(keys), "note": text}
    yours = wanted if base is None else changed_fields(base.values, wanted)
    with db.writing() as conn:
        lock_workspace(conn)
        require_asset(conn, asset_id)
        where = needs_table.c.asset_id == asset_id
        current = _needs_now(conn, asset_id)
        check_base("edits.what.place_needs", asset_id, base, current, yours)
        new = {**current.values, **yours}
        if not new["categories"] and not new["note"]:
            if not current.version:
                return
            conn.execute(delete(needs_table).where(where))
            action, fields = "cleared", ["categories", "note"]
            bump_version(conn)
        elif not current.version:
            insert_stamped(conn, needs_table, asset_id=asset_id, **new)
            action, fields = "set", sorted(k for k, v in new.items() if v)
        else:
            fields = write_stamped(conn, needs_table, where, changed_fields(current.values, new))
            if not fields:
                return
            action = "edited"
        audit.record(
            conn,
            at=now,
            actor=actor,
            action=action,
            entity="place_needs",
            entity_id=asset_id,
            details={
                "fields": fields,
                "categories": len([k for k in new["categories"].split(";") if k]),
            },
        )


# --- connections -----------------------------------------------------------------------------


def _talent(conn: Connection, talent_id: str) -> Any:
    row = conn.execute(
        select(talents_table.c.status, talents_table.c.categories, talents_table.c.buurt_code)
        .where(talents_table.c.id == talent_id)
        .with_for_update()
    ).first()
    if row is None:
        raise NotFound(Msg("err.talent.not_found", id=talent_id))
    if row.status != "approved":
        status = Msg(f"status.{row.status}")
        raise StatusError(Msg("err.storage.talent_not_approved", id=repr(talent_id), status=status))
    return row


class AlreadyConnected(AssetMapError):
    """The talent was connected to the place before: a second record would count twice.

    Attributes
    ----------
    made_at : datetime
        When the first connection was recorded (UTC).
    made_by : str
        Who recorded it.
    """

    def __init__(self, made_at: datetime, made_by: str):
        self.made_at, self.made_by = made_at, made_by
        when = made_at.astimezone(LOCAL_TIME).strftime("%d-%m-%Y %H:%M")
        super().__init__(Msg("err.connect.already", when=when, by=made_by))


def record_connection(
    db: Database,
    asset_id: str,
    talent_id: str,
    *,
    category: str,
    actor: str,
    note: str,
    now: datetime,
) -> str:
    """Record that ``actor`` connected an approved talent to a place; return the id."""
    key, text, problems = connection_problems(category, note)
    if problems:
        raise SchemaError(problem_text(Msg("err.edits.record_connection"), problems))
    connection_id = new_id("connection")
    with db.writing() as conn:
        talent = _talent(conn, talent_id)  # locks the talent: two clicks cannot both pass
        if key not in str(talent.categories).split(";"):
            wrong = Problem("category", "edits.category.not_talent", category)
            raise SchemaError(problem_text(Msg("err.edits.record_connection"), [wrong]))
        require_asset(conn, asset_id)
        earlier = conn.execute(
            select(connections_table.c.made_at, connections_table.c.made_by)
            .where(
                connections_table.c.asset_id == asset_id,
                connections_table.c.talent_id == talent_id,
            )
            .order_by(connections_table.c.made_at)
        ).first()
        if earlier is not None:
            raise AlreadyConnected(earlier.made_at, str(earlier.made_by))
        conn.execute(
            insert(connections_table).values(
                id=connection_id,
                asset_id=asset_id,
                talent_id=talent_id,
                category=key,
                buurt_code=talent.buurt_code,
                made_by=actor[:64],
                made_at=now,
                note=text,
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="connected",
            entity="connection",
            entity_id=connection_id,
            details={"asset_id": asset_id, "talent_id": talent_id, "note": text is not None},
        )
    return connection_id
