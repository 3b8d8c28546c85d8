"""Changes a refresh found in a source, waiting for a decision, and what each source said last.

:func:`put_changes` stores the changes of one source (replacing that source's undecided
ones); :func:`decide` carries out or rejects one, in one transaction, with an audit entry.
Accepting a change never overwrites a field edited here (see :func:`local_fields`); a place
is deleted only when a ``gone`` change is accepted. A rejected change is remembered: the same
change is not listed again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.storage import audit, edits
from asset_map.storage import checks as _checks
from asset_map.storage.db import Database
from asset_map.storage.layers import bump_version, lock_workspace
from asset_map.storage.schema import assets as assets_table
from asset_map.storage.schema import refresh_changes, source_records

CHANGE_COLUMNS = [
    "id",
    "source",
    "kind",
    "source_id",
    "asset_id",
    "name",
    "fields",
    "old",
    "new",
    "local",
    "status",
    "found_at",
    "decided_by",
    "decided_at",
]
_JSON_COLUMNS = ("fields", "old", "new", "local")


Record = dict[str, Any]


class ChangeNotFound(AssetMapError, LookupError):
    """No change of a refresh has this id, or it was decided already."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- records: what each source said last -------------------------------------------------


def records(db: Database, source: str) -> dict[str, tuple[str, Record]]:
    """Return ``{source id: (asset id, record)}`` of one source (empty: never taken in)."""
    with db.reading() as conn:
        rows = conn.execute(
            select(
                source_records.c.source_id, source_records.c.asset_id, source_records.c.fields
            ).where(source_records.c.source == source)
        ).all()
    return {str(sid): (str(aid), json.loads(values)) for sid, aid, values in rows}


def _put_record(
    conn: Connection, source: str, source_id: str, asset_id: str, record: Record, now: datetime
) -> None:
    key = (source_records.c.source == source) & (source_records.c.source_id == source_id)
    values = {"asset_id": asset_id, "fields": _dumps(record), "seen_at": now}
    if not conn.execute(update(source_records).where(key).values(**values)).rowcount:
        conn.execute(insert(source_records).values(source=source, source_id=source_id, **values))


def set_records(
    db: Database,
    source: str,
    rows: Iterable[tuple[str, str, Record]],
    *,
    now: datetime,
) -> None:
    """Replace the records of ``source`` by ``rows`` of (source id, asset id, record)."""
    with db.writing() as conn:
        conn.execute(delete(source_records).where(source_records.c.source == source))
        values = [
            {"source": source, "source_id": sid, "asset_id": aid, "fields": _dumps(rec)}
            for sid, aid, rec in rows
        ]
        if values:
            conn.execute(insert(source_records), [{**v, "seen_at": now} for v in values])


# --- local edits ----------------------------------------------------------------------------


def local_fields(db: Database) -> dict[str, set[str]]:
    """Return ``{asset id: fields edited here}``: by hand, by a suggestion, by a decision.

    Read from the audit log: every ``edited`` entry of a place, except those a refresh
    wrote (their details name the ``refresh``).
    """
    with db.reading() as conn:
        log = audit.read(conn, entity="asset")
    out: dict[str, set[str]] = {}
    for entity_id, action, details in zip(
        log["entity_id"], log["action"], log["details"], strict=True
    ):
        if action != "edited":
            continue
        facts = json.loads(details or "{}")
        if "refresh" in facts:
            continue
        out.setdefault(str(entity_id), set()).update(str(f) for f in facts.get("fields", []))
    return out


# --- changes ------------------------------------------------------------------------------------


def put_changes(
    db: Database,
    source: str,
    found: Iterable[tuple[Any, str | None, str | None, list[str]]],
    *,
    now: datetime,
) -> int:
    """Store the changes a refresh found in ``source``; return how many are listed.

    ``found`` holds (change, asset id, name, fields edited here); a change has the
    attributes of :class:`asset_map.analysis.source_changes.SourceChange`. The undecided changes of
    the source found before are replaced; a change equal to one rejected before (the same
    place, kind and new values) is not listed again.
    """
    with db.writing() as conn:
        conn.execute(
            delete(refresh_changes).where(
                (refresh_changes.c.source == source) & (refresh_changes.c.status == "pending")
            )
        )
        rejected = {
            (str(k), str(s), str(n))
            for k, s, n in conn.execute(
                select(refresh_changes.c.kind, refresh_changes.c.source_id, refresh_changes.c.new)
                .where(refresh_changes.c.source == source)
                .where(refresh_changes.c.status == "rejected")
            ).all()
        }
        rows = []
        for change, asset_id, name, local in found:
            new = _dumps(change.new)
            if (change.kind, change.source_id, new) in rejected:
                continue
            rows.append(
                {
                    "id": str(uuid.uuid4()),
                    "source": source,
                    "kind": change.kind,
                    "source_id": change.source_id,
                    "asset_id": asset_id,
                    "name": name,
                    "fields": _dumps(list(change.fields)),
                    "old": _dumps(change.old),
                    "new": new,
                    "local": _dumps(sorted(local)),
                    "status": "pending",
                    "found_at": now,
                }
            )
        if rows:
            conn.execute(insert(refresh_changes), rows)
        return len(rows)


def drop_pending(db: Database, sources: Iterable[str]) -> int:
    """Remove the undecided changes of ``sources`` (their places were replaced whole)."""
    names = sorted(set(sources))
    if not names:
        return 0
    with db.writing() as conn:
        return int(
            conn.execute(
                delete(refresh_changes).where(
                    refresh_changes.c.source.in_(names) & (refresh_changes.c.status == "pending")
                )
            ).rowcount
        )


def frame(db: Database, *, status: str | None = "pending") -> pd.DataFrame:
    """Return the changes (``status`` None: all), oldest first, JSON columns decoded."""
    query = select(*(refresh_changes.c[n] for n in CHANGE_COLUMNS)).order_by(
        refresh_changes.c.found_at,
        refresh_changes.c.source,
        refresh_changes.c.kind,
        refresh_changes.c.source_id,
    )
    if status is not None:
        query = query.where(refresh_changes.c.status == status)
    with db.reading() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=CHANGE_COLUMNS, dtype="object")
    for name in _JSON_COLUMNS:
        out[name] = [json.loads(v) for v in out[name]]
    return out


def _one(conn: Connection, change_id: str) -> Mapping[str, Any]:
    row = conn.execute(
        select(*(refresh_changes.c[n] for n in CHANGE_COLUMNS)).where(
            (refresh_changes.c.id == change_id) & (refresh_changes.c.status == "pending")
        )
    ).first()
    if row is None:
        raise ChangeNotFound(Msg("err.refresh.no_open_change", id=repr(change_id)))
    out = dict(row._mapping)
    for name in _JSON_COLUMNS:
        out[name] = json.loads(out[name])
    return out


def _asset_source(conn: Connection, asset_id: str) -> str | None:
    return conn.execute(select(assets_table.c.source).where(assets_table.c.id == asset_id)).scalar()


def _accept_new(conn: Connection, change: Mapping[str, Any], actor: str, now: datetime) -> str:
    values = {k: v for k, v in change["new"].items() if v is not None}
    wanted = change["source_id"]
    asset_id = wanted if not edits.asset_exists(conn, wanted) else edits.new_id("asset")
    cleaned = edits.checked_new({**values, "id": asset_id, "source": change["source"]})
    details = {"refresh": change["source"], "source_id": wanted}
    added = edits.add_in(conn, cleaned, actor=actor, now=now, details=details)
    _checks.record_in(conn, added, method="import", actor=actor, now=now, details=details)
    _put_record(conn, change["source"], wanted, added, change["new"], now)
    return added


def _accept_gone(conn: Connection, change: Mapping[str, Any], actor: str, now: datetime) -> None:
    source, asset_id = change["source"], change["asset_id"]
    conn.execute(
        delete(source_records).where(
            (source_records.c.source == source)
            & (source_records.c.source_id == change["source_id"])
        )
    )
    stored = _asset_source(conn, asset_id) if asset_id else None
    if stored is None:
        return  # deleted here already
    parts = [p.strip() for p in str(stored).split(" + ") if p.strip() != source]
    details = {"refresh": source, "source_id": change["source_id"]}
    if parts:  # merged with another source, which still lists it: only this source goes
        stamp = bump_version(conn)
        conn.execute(
            update(assets_table)
            .where(assets_table.c.id == asset_id)
            .values(source=" + ".join(parts), version=stamp)
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="edited",
            entity="asset",
            entity_id=asset_id,
            details={"fields": ["source"], **details},
        )
        return
    edits.remove_in(conn, asset_id, actor=actor, now=now, details=details)


def _accept_changed(conn: Connection, change: Mapping[str, Any], actor: str, now: datetime) -> None:
    source, asset_id = change["source"], change["asset_id"]
    local = set(change["local"])
    if {"lon", "lat"} & local:
        local |= {"lon", "lat"}
    taken = {k: v for k, v in change["new"].items() if k not in local}
    if asset_id and edits.asset_exists(conn, asset_id) and taken:
        cleaned = edits.checked_changes(asset_id, taken)
        details = {"refresh": source, "source_id": change["source_id"]}
        edits.update_in(conn, asset_id, cleaned, actor=actor, now=now, details=details)
    known = conn.execute(
        select(source_records.c.fields).where(
            (source_records.c.source == source)
            & (source_records.c.source_id == change["source_id"])
        )
    ).scalar()
    record = {**(json.loads(known) if known else change["old"]), **change["new"]}
    _put_record(conn, source, change["source_id"], asset_id or "", record, now)


def decide(db: Database, change_id: str, *, accept: bool, actor: str, now: datetime) -> str | None:
    """Accept (carry out) or reject one change, in one transaction; audited.

    Returns the id of the place it concerns (a new place's id when one is added).

    Raises
    ------
    ChangeNotFound
        When the change is not open (decided already, or replaced by a newer refresh).
    SchemaError
        When a new place's values are refused by the rules of the forms.
    """
    with db.writing() as conn:
        lock_workspace(conn)
        change = _one(conn, change_id)
        asset_id = change["asset_id"]
        if accept and change["kind"] == "new":
            asset_id = _accept_new(conn, change, actor, now)
        elif accept and change["kind"] == "gone":
            _accept_gone(conn, change, actor, now)
        elif accept:
            _accept_changed(conn, change, actor, now)
        conn.execute(
            update(refresh_changes)
            .where(refresh_changes.c.id == change_id)
            .values(
                status="accepted" if accept else "rejected",
                decided_by=actor[:64],
                decided_at=now,
                asset_id=asset_id,
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="refresh_accepted" if accept else "refresh_rejected",
            entity="refresh_change",
            entity_id=change_id,
            details={
                "source": change["source"],
                "kind": change["kind"],
                "source_id": change["source_id"],
                "fields": change["fields"],
                "kept_local": change["local"],
            },
        )
        return None if asset_id is None else str(asset_id)
