"""When each place was last checked: by a visit, a phone call, its organiser, an import.

One row per place (the latest check); the audit log keeps every check. A workspace save
records an ``import`` check for each place it brings new or changed, and removes the checks
of places that are gone (:func:`asset_map.storage.layers.save`).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from asset_map._errors import SchemaError
from asset_map.i18n import Msg
from asset_map.model import CHECK_METHODS
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.edits import require_asset
from asset_map.storage.layers import bump_version
from asset_map.storage.schema import place_checks, staff_areas

CHECK_COLUMNS = ["asset_id", "checked_at", "checked_by", "method"]


def _upsert(conn: Connection, asset_id: str, *, method: str, actor: str, now: datetime) -> None:
    values = {"checked_at": now, "checked_by": actor[:64], "method": method}
    done = conn.execute(
        update(place_checks).where(place_checks.c.asset_id == asset_id).values(**values)
    ).rowcount
    if not done:
        conn.execute(insert(place_checks).values(asset_id=asset_id, **values))


def record_in(
    conn: Connection,
    asset_id: str,
    *,
    method: str,
    actor: str,
    now: datetime,
    details: dict[str, object] | None = None,
) -> None:
    """Record that ``actor`` checked a place ``now`` (inside the caller's transaction).

    Raises
    ------
    SchemaError
        For a method that is not one of ``model.CHECK_METHODS``.
    """
    if method not in CHECK_METHODS:
        methods = ", ".join(CHECK_METHODS)
        raise SchemaError(Msg("err.storage.check_method", method=method, methods=methods))
    _upsert(conn, asset_id, method=method, actor=actor, now=now)
    bump_version(conn)
    audit.record(
        conn,
        at=now,
        actor=actor,
        action="checked",
        entity="asset",
        entity_id=asset_id,
        details={"method": method, **(details or {})},
    )


def record(db: Database, asset_id: str, *, method: str, actor: str, now: datetime) -> None:
    """Record a check of a stored place in a transaction of its own.

    Raises
    ------
    NotFound
        For an unknown asset.
    """
    with db.writing() as conn:
        require_asset(conn, asset_id)
        record_in(conn, asset_id, method=method, actor=actor, now=now)


def frame(db: Database) -> pd.DataFrame:
    """Return the latest check of every place: :data:`CHECK_COLUMNS` (``checked_at`` UTC)."""
    with db.reading() as conn:
        rows = conn.execute(select(*(place_checks.c[n] for n in CHECK_COLUMNS))).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=CHECK_COLUMNS)
    out["checked_at"] = pd.to_datetime(out["checked_at"], utc=True).astype("datetime64[us, UTC]")
    for name in ("asset_id", "checked_by", "method"):
        out[name] = out[name].astype("str")
    return out


def set_areas(db: Database, username: str, codes: list[str], *, actor: str, now: datetime) -> None:
    """Set the wijken ``username`` looks after (replacing the ones set before)."""
    wanted = sorted(dict.fromkeys(str(c) for c in codes))
    bad = [c for c in wanted if not (c.startswith("WK") and len(c) == 8)]
    if bad:
        raise SchemaError(Msg("err.storage.not_wijk_codes", codes=", ".join(bad)))
    with db.writing() as conn:
        conn.execute(delete(staff_areas).where(staff_areas.c.username == username))
        if wanted:
            conn.execute(
                insert(staff_areas), [{"username": username, "area_code": c} for c in wanted]
            )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="areas_set",
            entity="user",
            entity_id=username,
            details={"wijken": wanted},
        )


def areas_of(db: Database, username: str) -> list[str]:
    """Return the wijken ``username`` looks after, sorted (empty: none chosen)."""
    with db.reading() as conn:
        rows = conn.execute(
            select(staff_areas.c.area_code)
            .where(staff_areas.c.username == username)
            .order_by(staff_areas.c.area_code)
        )
        return [str(code) for code in rows.scalars().all()]
