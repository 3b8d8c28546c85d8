"""Edits of single assets by a planner: add, change, delete, each in one transaction.

The rules are those of the forms (:mod:`asset_map.rules.edits`); a bad value raises one
``SchemaError`` naming every bad field. Every edit writes the audit log (field names, never
values) and bumps the workspace version, so cached maps reload.

A change or a deletion may say which version of the row its form started from (an
:class:`~asset_map.rules.concurrent_edits.Editable`): only the fields the user changed are
written, and a row that someone changed meanwhile is not overwritten
(:class:`~asset_map.rules.concurrent_edits.StaleEdit`, naming what changed).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry import Point
from sqlalchemy import Connection, delete, func, select

from asset_map._errors import AssetMapError, SchemaError
from asset_map.i18n import Msg
from asset_map.rules.concurrent_edits import Editable, changed_fields, check_base
from asset_map.rules.edits import (
    ASSET_FORM_FIELDS,
    DERIVED,
    Problem,
    asset_problems,
    problem_text,
)
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.layers import bump_version, insert_stamped, lock_workspace, write_stamped
from asset_map.storage.schema import activities as activities_table
from asset_map.storage.schema import asset_footprints as footprints_table
from asset_map.storage.schema import assets as assets_table
from asset_map.storage.schema import place_needs as needs_table


class NotFound(AssetMapError, LookupError):
    """No asset, activity or talent has this id."""


def new_id(prefix: str) -> str:
    """Return a new id: ``prefix``, a dash and 12 hex characters."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _unknown_fields(values: Mapping[str, Any], allowed: tuple[str, ...]) -> list[Problem]:
    return [
        Problem(str(name), "edits.field.unknown", values[name], allowed=allowed)
        for name in values
        if name not in allowed and name not in DERIVED
    ]


def _row(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Return the table values of cleaned asset fields (a point from ``lon`` and ``lat``)."""
    row = {k: v for k, v in cleaned.items() if k not in ("lon", "lat")}
    if "lon" in cleaned and "lat" in cleaned:
        row["geometry"] = shapely.to_wkb(Point(cleaned["lon"], cleaned["lat"]))
    return row


#: The fields of an asset a form edits, as :func:`asset_values` gives them.
EDIT_FIELDS = tuple(f for f in ASSET_FORM_FIELDS if f != "id")
_COLUMNS = tuple(f for f in EDIT_FIELDS if f not in ("lon", "lat"))


def asset_values(row: Any) -> dict[str, Any]:
    """Return a stored asset row as a form's cleaned values (``lon``/``lat`` of its point)."""
    values = {name: row._mapping[name] for name in _COLUMNS}
    point = shapely.from_wkb(row.geometry) if row.geometry is not None else None
    valid = point is not None and not point.is_empty and point.geom_type == "Point"
    values["lon"] = float(point.x) if valid else None  # type: ignore[union-attr]
    values["lat"] = float(point.y) if valid else None  # type: ignore[union-attr]
    return values


def _current(conn: Connection, asset_id: str) -> Editable:
    row = conn.execute(
        select(*(assets_table.c[n] for n in _COLUMNS), assets_table.c.geometry)
        .add_columns(assets_table.c.version)
        .where(assets_table.c.id == asset_id)
    ).one()
    return Editable(int(row.version), asset_values(row))


def editable(db: Database, asset_id: str) -> Editable:
    """Return an asset's version and its values as a form shows them (see :func:`of_place`)."""
    return of_place(db, asset_id, _current)


def of_place(db: Database, asset_id: str, read: Callable[[Connection, str], Editable]) -> Editable:
    """Return what ``read`` reads of a stored place, as a form starts from it.

    Raises
    ------
    NotFound
        For an unknown asset id.
    """
    with db.reading() as conn:
        require_asset(conn, asset_id)
        return read(conn, asset_id)


def asset_exists(conn: Connection, asset_id: str) -> bool:
    """Return whether an asset with this id is stored."""
    found = conn.execute(select(assets_table.c.id).where(assets_table.c.id == asset_id)).first()
    return found is not None


def require_asset(conn: Connection, asset_id: Any) -> None:
    """Raise :class:`NotFound` unless the asset exists."""
    if not isinstance(asset_id, str) or not asset_exists(conn, asset_id):
        raise NotFound(Msg("err.storage.no_asset", id=repr(asset_id)))


def add(db: Database, asset: Mapping[str, Any], *, actor: str, now: datetime) -> str:
    """Add an asset; return its id (given, or ``asset-`` and 12 hex characters)."""
    cleaned = checked_new(asset)
    with db.writing() as conn:
        lock_workspace(conn)
        return add_in(conn, cleaned, actor=actor, now=now)


def checked_new(asset: Mapping[str, Any]) -> dict[str, Any]:
    """Return the cleaned fields of a new asset, or raise one SchemaError naming every problem."""
    cleaned, problems = asset_problems(asset)
    problems = [*_unknown_fields(asset, ASSET_FORM_FIELDS), *problems]
    if problems:
        raise SchemaError(problem_text(Msg("err.edits.add_asset"), problems))
    return cleaned


def add_in(
    conn: Connection,
    cleaned: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
    details: Mapping[str, Any] | None = None,
) -> str:
    """Add a checked asset (:func:`checked_new`) inside the caller's locked transaction.

    ``details`` are added to the audit entry (e.g. the suggestion it came from).
    """
    asset_id = cleaned["id"] or new_id("asset")
    row = _row({**cleaned, "id": asset_id})
    if asset_exists(conn, asset_id):
        taken = Problem("id", "edits.id.taken", asset_id)
        raise SchemaError(problem_text(Msg("err.edits.add_asset"), [taken]))
    last = conn.execute(select(func.max(assets_table.c.position))).scalar()
    insert_stamped(conn, assets_table, **row, position=(last or 0) + 1)
    audit.record(
        conn,
        at=now,
        actor=actor,
        action="added",
        entity="asset",
        entity_id=asset_id,
        details={
            "fields": sorted(k for k, v in cleaned.items() if v is not None),
            **(details or {}),
        },
    )
    return asset_id


def update_fields(
    db: Database,
    asset_id: str,
    changes: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
) -> None:
    """Change the given fields of an asset; a change to nothing new writes nothing.

    With ``base`` (what the form started from), only the fields that differ from it are
    written, and a row changed meanwhile raises :class:`StaleEdit`.
    """
    cleaned = checked_changes(asset_id, changes)
    with db.writing() as conn:
        lock_workspace(conn)
        update_in(conn, asset_id, cleaned, actor=actor, now=now, base=base)


def checked_changes(asset_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return the cleaned fields of a change, or raise one SchemaError naming every problem."""
    what = Msg("err.edits.change_asset", id=repr(asset_id))
    cleaned, problems = asset_problems(changes, partial=True)
    problems = [*_unknown_fields(changes, ASSET_FORM_FIELDS), *problems]
    if cleaned.get("id") not in (None, asset_id):  # None: the form's "no id given"
        problems.append(Problem("id", "edits.id.fixed", changes.get("id")))
    if problems:
        raise SchemaError(problem_text(what, problems))
    cleaned.pop("id", None)
    return cleaned


def update_in(
    conn: Connection,
    asset_id: str,
    cleaned: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
    base: Editable | None = None,
    details: Mapping[str, Any] | None = None,
) -> list[str]:
    """Change checked fields (:func:`checked_changes`) inside the caller's locked transaction.

    With ``base`` (what the form started from), only the fields that differ from it are
    written, and a row changed meanwhile raises :class:`StaleEdit`. ``details`` are added to
    the audit entry. Returns the names of the fields that changed (``lon`` and ``lat`` for a
    move); an empty list writes nothing.
    """
    if base is not None:  # only what the user changed in the form
        cleaned = changed_fields(base.values, dict(cleaned))
    require_asset(conn, asset_id)
    now_row = _current(conn, asset_id)
    check_base("edits.what.asset", asset_id, base, now_row, cleaned)
    new = _row(changed_fields(now_row.values, dict(cleaned)))
    if not new:
        return []
    changed = write_stamped(conn, assets_table, assets_table.c.id == asset_id, new)
    fields = sorted(
        {f for name in changed for f in (("lon", "lat") if name == "geometry" else (name,))}
    )
    audit.record(
        conn,
        at=now,
        actor=actor,
        action="edited",
        entity="asset",
        entity_id=asset_id,
        details={"fields": fields, **(details or {})},
    )
    return fields


def remove(
    db: Database, asset_id: str, *, actor: str, now: datetime, base: Editable | None = None
) -> None:
    """Delete an asset with its activities, its needs and its outline (connections stay).

    With ``base``, a place someone changed since it was read raises :class:`StaleEdit`: the
    user sees what changed before deleting it.
    """
    with db.writing() as conn:
        lock_workspace(conn)
        require_asset(conn, asset_id)
        check_base("edits.what.asset", asset_id, base, _current(conn, asset_id), {})
        remove_in(conn, asset_id, actor=actor, now=now)


def remove_in(
    conn: Connection,
    asset_id: str,
    *,
    actor: str,
    now: datetime,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Delete an asset (see :func:`remove`) inside the caller's locked transaction."""
    require_asset(conn, asset_id)
    counts = {
        "activities": conn.execute(
            delete(activities_table).where(activities_table.c.asset_id == asset_id)
        ).rowcount,
        "place_needs": conn.execute(
            delete(needs_table).where(needs_table.c.asset_id == asset_id)
        ).rowcount,
        "footprints": conn.execute(
            delete(footprints_table).where(footprints_table.c.asset_id == asset_id)
        ).rowcount,
    }
    conn.execute(delete(assets_table).where(assets_table.c.id == asset_id))
    bump_version(conn)
    audit.record(
        conn,
        at=now,
        actor=actor,
        action="deleted",
        entity="asset",
        entity_id=asset_id,
        details={**counts, **(details or {})},
    )
