"""The audit log: who changed what and when, written in the same transaction as the change.

Entries name the fields that changed, never their values: the log must not become a
second copy of residents' personal data that survives their erasure.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select

from asset_map.storage.schema import audit_log

AUDIT_COLUMNS = ["at", "actor", "action", "entity", "entity_id", "details"]


def record(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one entry to the audit log, inside the caller's transaction.

    Parameters
    ----------
    conn : Connection
        A connection in a write transaction.
    at : datetime
        When (aware).
    actor : str
        The user name, or ``"resident"`` / ``"system"``.
    action : str
        What happened, e.g. ``"approved"``, ``"edited"``, ``"login_failed"``.
    entity : str
        ``"talent"`` or ``"user"``.
    entity_id : str, optional
        The talent id or user name.
    details : dict, optional
        Extra facts as JSON, never personal values.
    """
    conn.execute(
        insert(audit_log).values(
            at=at,
            actor=actor[:64],
            action=action,
            entity=entity,
            entity_id=entity_id,
            details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        )
    )


def read(
    conn: Connection, *, entity: str | None = None, entity_id: str | None = None
) -> pd.DataFrame:
    """Return the audit log, oldest first, optionally for one entity (and id).

    Returns
    -------
    DataFrame
        Columns ``at`` (UTC), ``actor``, ``action``, ``entity``, ``entity_id``, ``details``
        (JSON text).
    """
    query = select(*(audit_log.c[name] for name in AUDIT_COLUMNS)).order_by(audit_log.c.id)
    if entity is not None:
        query = query.where(audit_log.c.entity == entity)
    if entity_id is not None:
        query = query.where(audit_log.c.entity_id == entity_id)
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=AUDIT_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True).astype("datetime64[us, UTC]")
    for name in AUDIT_COLUMNS[1:]:
        frame[name] = frame[name].astype("str")
    return frame
