"""Dated snapshots of the workspace: stored as JSON, compared later (``analysis.snapshots``)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import insert, select

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.schema import snapshots

SNAPSHOT_COLUMNS = ["id", "taken_at", "taken_by", "label"]
MAX_LABEL = 120


class SnapshotNotFound(AssetMapError, LookupError):
    """No snapshot has this id."""


def take(
    db: Database, data: dict[str, Any], *, actor: str, label: str | None, now: datetime
) -> str:
    """Store ``data`` as a snapshot taken ``now`` by ``actor``; return its id."""
    snapshot_id = str(uuid.uuid4())
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with db.writing() as conn:
        conn.execute(
            insert(snapshots).values(
                id=snapshot_id,
                taken_at=now,
                taken_by=actor[:64],
                label=(label or "").strip()[:MAX_LABEL] or None,
                data=text,
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="snapshot_taken",
            entity="snapshot",
            entity_id=snapshot_id,
            details={"places": int(data.get("places_total", 0))},
        )
    return snapshot_id


def frame(db: Database) -> pd.DataFrame:
    """Return the snapshots, oldest first (``taken_at`` UTC)."""
    query = select(*(snapshots.c[n] for n in SNAPSHOT_COLUMNS)).order_by(snapshots.c.taken_at)
    with db.reading() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=SNAPSHOT_COLUMNS, dtype="object")
    out["taken_at"] = pd.to_datetime(out["taken_at"], utc=True)
    return out


def one(db: Database, snapshot_id: str) -> dict[str, Any]:
    """Return one snapshot: its columns and ``data``."""
    with db.reading() as conn:
        row = conn.execute(
            select(*(snapshots.c[n] for n in SNAPSHOT_COLUMNS), snapshots.c.data).where(
                snapshots.c.id == snapshot_id
            )
        ).first()
    if row is None:
        raise SnapshotNotFound(Msg("err.snapshot.not_found", id=repr(snapshot_id)))
    out = dict(row._mapping)
    out["data"] = json.loads(out["data"])
    return out
