"""The workspace layers: the areas and assets a map shows, with their meta and sources.

There is one stored workspace. A save replaces it whole in one transaction, so a reader
sees the old workspace or the new one, never a mix, and a save that fails leaves the old
one as it was. Geometry is stored as WKB in EPSG:4326: plain bytes that SQLite and
PostgreSQL (without PostGIS) hold alike, and that give back the very same coordinates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Table, delete, insert, select, text, update

from asset_map._errors import AssetMapError, SchemaError
from asset_map.crs import STORAGE_CRS, require_crs, to_storage_crs
from asset_map.i18n import Joined, Msg
from asset_map.model import AREA_FIELDS, ASSET_FIELDS, FOOTPRINT, OPTIONAL_ASSET_COLUMNS, Field
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.schema import activities as activities_table
from asset_map.storage.schema import areas as areas_table
from asset_map.storage.schema import asset_footprints as footprints_table
from asset_map.storage.schema import assets as assets_table
from asset_map.storage.schema import place_checks as checks_table
from asset_map.storage.schema import place_needs as needs_table
from asset_map.storage.schema import workspace as workspace_table

#: Any fixed number: PostgreSQL sessions that save a workspace take this advisory lock in turn.
_PG_WORKSPACE_LOCK = 0x77_6F_72_6B  # "work"
#: Rows per INSERT statement: bounds the memory of one statement's parameters.
CHUNK_ROWS = 1000


class NoWorkspace(AssetMapError):
    """A change to the workspace's layers when no workspace was ever saved."""


class WorkspaceChanged(AssetMapError):
    """A workspace save based on a workspace that was changed (edited, saved) since it was read."""


class _Layer:
    """How one layer maps to its table: the key, the text and the number columns."""

    def __init__(
        self, what: str, table: Table, fields: dict[str, Field], optional: Sequence[str] = ()
    ):
        self.what = what
        self.optional = tuple(optional)
        self.table = table
        self.columns = list(fields)
        self.key = self.columns[0]
        self.numbers = [n for n, f in fields.items() if f.kind == "number"]
        self.texts = [n for n, f in fields.items() if f.kind not in ("number", "geometry")]


AREAS = _Layer("areas", areas_table, AREA_FIELDS)
ASSETS = _Layer("assets", assets_table, ASSET_FIELDS, OPTIONAL_ASSET_COLUMNS)


# --- checks ----------------------------------------------------------------------------------


def _some(values: Sequence[object], limit: int = 5) -> Msg | str:
    """Return the first ``limit`` values, and how many more there are."""
    shown = ", ".join(repr(v) for v in values[:limit])
    if len(values) <= limit:
        return shown
    return Msg("err.storage.and_more", shown=shown, n=len(values) - limit)


def _layer_problems(frame: Any, layer: _Layer) -> list[Msg]:
    """Return what keeps ``frame`` from being stored as ``layer`` (empty when it is fine)."""
    what = layer.what
    if not isinstance(frame, gpd.GeoDataFrame):
        return [Msg("err.storage.layer_not_frame", what=what, kind=type(frame).__name__)]
    missing = [
        c
        for c in layer.columns
        if c not in ("geometry", *layer.optional) and c not in frame.columns
    ]
    if missing:
        return [
            Msg(
                "err.storage.layer_columns",
                what=what,
                missing=", ".join(missing),
                columns=", ".join(layer.columns),
            )
        ]
    problems = []
    absent = frame[layer.key].isna().to_numpy()
    if absent.any():
        rows = (np.flatnonzero(absent) + 1).tolist()
        missing_key = Msg("err.storage.layer_no_key", what=what, rows=_some(rows), column=layer.key)
        problems.append(missing_key)
    keys = frame[layer.key][~absent].astype(str)
    twice = keys[keys.duplicated(keep=False)].unique().tolist()
    if twice:
        problems.append(
            Msg("err.storage.layer_key_twice", what=what, column=layer.key, values=_some(twice))
        )
    for name in layer.numbers:
        try:
            frame[name].astype("float64")
        except (TypeError, ValueError):
            problems.append(Msg("err.storage.layer_not_numbers", what=what, column=name))
    for name in layer.texts:
        if name not in frame.columns:  # an optional column: stored empty
            continue
        values = frame[name].dropna().astype(str)
        if values.str.contains("\x00", regex=False).any():
            problems.append(Msg("err.storage.layer_nul", what=what, column=name))
        try:
            "".join(values.tolist()).encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Msg("err.storage.layer_surrogate", what=what, column=name))
    return problems


def _meta_text(meta: Any) -> str:
    if not isinstance(meta, dict):
        raise SchemaError(Msg("err.storage.meta_not_dict", kind=type(meta).__name__))
    try:
        return json.dumps(meta, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise SchemaError(Msg("err.storage.meta_not_json", error=str(error))) from None


def _refuse_save(problems: list[Msg]) -> None:
    """Raise one SchemaError naming every problem of a save (nothing when there is none)."""
    if problems:
        raise SchemaError(Msg("err.storage.workspace_refused", problems=Joined(problems)))


def _check(areas: Any, assets: Any) -> None:
    """Raise one SchemaError naming every problem of both frames."""
    _refuse_save([*_layer_problems(areas, AREAS), *_layer_problems(assets, ASSETS)])


# --- frames <-> rows -------------------------------------------------------------------------


def _nullable(series: pd.Series, convert: type) -> list[Any]:
    values = series.astype(object).where(series.notna(), None).tolist()  # missing as None
    return [v if v is None or type(v) is convert else convert(v) for v in values]


#: Rows converted and inserted at a time when a layer is saved: bounds the memory a save
#: needs beside the frame (a million places in dicts would take more than a gigabyte).
LAYER_CHUNK_ROWS = 20_000


def _row_chunks(frame: gpd.GeoDataFrame, layer: _Layer) -> Iterator[list[tuple[Any, ...]]]:
    """Yield the table rows of a checked frame in EPSG:4326, in its order, a chunk at a time.

    Each row is a tuple in the order of :func:`_layer_columns`.
    """
    for start in range(0, len(frame), LAYER_CHUNK_ROWS):
        part = frame.iloc[start : start + LAYER_CHUNK_ROWS]
        columns = [
            _nullable(part[name], str) if name in part.columns else [None] * len(part)
            for name in layer.texts  # an optional column the frame lacks: unknown
        ]
        columns += [_nullable(part[name].astype("float64"), float) for name in layer.numbers]
        columns.append(shapely.to_wkb(np.asarray(part.geometry.values)).tolist())
        columns.append(list(range(start, start + len(part))))
        yield list(zip(*columns, strict=True))


def _layer_columns(layer: _Layer) -> list[str]:
    return [*layer.texts, *layer.numbers, "geometry", "position"]


def _insert_layer(
    conn: Connection,
    frame: gpd.GeoDataFrame,
    layer: _Layer,
    *,
    version: int | None = None,
    seen: Callable[[list[tuple[Any, ...]]], None] | None = None,
) -> None:
    """Insert a layer's rows with the driver's own ``executemany``, a chunk at a time.

    Plain tuples of plain values (text, float, bytes, int) go straight to the driver: no
    per-row work in SQLAlchemy, which took most of the time of saving many places.
    ``version``, when given, is the save's stamp on every row (a staff form compares it).
    ``seen``, when given, gets each chunk of rows (in :func:`_layer_columns` order) before
    it is inserted: the rows are made once.
    """
    preparer = conn.dialect.identifier_preparer
    names = _layer_columns(layer) + (["version"] if version is not None else [])
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {preparer.format_table(layer.table)} "
        f"({', '.join(preparer.quote(n) for n in names)}) VALUES ({', '.join([mark] * len(names))})"
    )
    for rows in _row_chunks(frame, layer):
        if seen is not None:
            seen(rows)
        if version is not None:
            rows = [(*row, version) for row in rows]
        conn.exec_driver_sql(sql, rows)


def _frame(rows: Sequence[Any], layer: _Layer) -> gpd.GeoDataFrame:
    """Return the canonical frame of rows selected in ``layer.columns`` order."""
    data: dict[str, Any] = {}
    cells = list(zip(*rows, strict=True)) if rows else [()] * len(layer.columns)
    for name, values in zip(layer.columns, cells, strict=True):
        if name == "geometry":
            data[name] = shapely.from_wkb(np.array(values, dtype=object))
        elif name in layer.numbers:
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype="str")
    return gpd.GeoDataFrame(data, geometry="geometry", crs=STORAGE_CRS)


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in chunks of :data:`CHUNK_ROWS`."""
    for start in range(0, len(rows), CHUNK_ROWS):
        conn.execute(insert(table), rows[start : start + CHUNK_ROWS])


# --- repository ------------------------------------------------------------------------------


def save(
    db: Database,
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    *,
    meta: dict[str, Any],
    actor: str,
    now: datetime,
    activity_rows: list[dict[str, Any]] | None = None,
    need_rows: list[dict[str, Any]] | None = None,
    expected_version: str | None = None,
) -> None:
    """Replace the stored workspace with these frames and ``meta``, all or nothing.

    ``activity_rows`` and ``need_rows`` (checked rows of the ``activities`` and
    ``place_needs`` tables), when given, replace the stored ones; otherwise the stored ones
    stay, except those whose asset is not in ``assets``: they are deleted.

    ``expected_version`` (:func:`version` when the layers were read, ``""`` for none) makes
    the save refuse with :class:`WorkspaceChanged` when an edit or another save came in
    between: the layers would write that change back.
    """
    _check(areas, assets)
    require_crs(areas, "areas frame")
    require_crs(assets, "assets frame")
    meta_text = _meta_text(meta)
    area_frame = to_storage_crs(areas, "areas frame")
    asset_frame = to_storage_crs(assets, "assets frame")
    sources = meta.get("sources")
    source_names = (
        [str(s.get("name", "")) for s in sources if isinstance(s, dict)]
        if isinstance(sources, list)
        else []
    )
    asset_ids = set(asset_frame["id"].dropna().astype(str))
    _check_linked(asset_ids, activity_rows, need_rows)
    with db.writing() as conn:
        _advisory_lock(conn)
        if expected_version is not None and _version_text(conn) != expected_version:
            raise WorkspaceChanged(Msg("err.storage.workspace_changed"))
        previous = conn.execute(
            select(workspace_table.c.version).where(workspace_table.c.id == 1)
        ).scalar()
        version = (previous or 0) + 1
        before = _stored_places(conn)
        imported: list[str] = []
        conn.execute(delete(footprints_table))
        conn.execute(delete(assets_table))
        conn.execute(delete(areas_table))
        _insert_layer(conn, area_frame, AREAS)
        _insert_layer(
            conn,
            asset_frame,
            ASSETS,
            version=version,
            seen=lambda rows: imported.extend(_new_or_changed(rows, before)),
        )
        _insert(conn, footprints_table, _footprint_rows(assets))
        linked = {
            "activities": _replace_linked(
                conn, activities_table, _stamped(activity_rows, version), asset_ids
            ),
            "place_needs": _replace_linked(
                conn, needs_table, _stamped(need_rows, version), asset_ids
            ),
        }
        checked = _import_checks(conn, imported, asset_ids, actor=actor, now=now)
        values = {"meta": meta_text, "saved_at": now, "saved_by": actor[:64], "version": version}
        if previous is None:
            conn.execute(insert(workspace_table).values(id=1, **values))
        else:
            conn.execute(update(workspace_table).where(workspace_table.c.id == 1).values(**values))
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="saved",
            entity="workspace",
            details={
                "areas": len(area_frame),
                "assets": len(asset_frame),
                "sources": source_names,
                "version": version,
                "checked_by_import": checked,
                **{
                    f"{name}_{how}": n
                    for name, counts in linked.items()
                    for how, n in counts.items()
                },
            },
        )
        for entity, counts in zip(("activity", "place_needs"), linked.values(), strict=True):
            if counts["removed"]:
                audit.record(
                    conn,
                    at=now,
                    actor=actor,
                    action="removed_with_asset",
                    entity=entity,
                    details={
                        "count": counts["removed"],
                        "reason": "asset not in the new workspace",
                    },
                )


#: The columns that make a place what it is, in :func:`_layer_columns` order (no position).
_PLACE_COLUMNS = [n for n in _layer_columns(ASSETS) if n != "position"]
_ID = _PLACE_COLUMNS.index("id")


def _fingerprint(values: Sequence[Any]) -> int:
    """Return a hash of a place's stored values (a driver's memoryview counts as its bytes)."""
    return hash(tuple(bytes(v) if isinstance(v, memoryview) else v for v in values))


def _stored_places(conn: Connection) -> dict[str, int]:
    """Return a fingerprint of every stored place by id: small beside the rows themselves."""
    query = select(*(assets_table.c[n] for n in _PLACE_COLUMNS))
    return {str(row[_ID]): _fingerprint(row) for row in conn.execute(query)}


def _new_or_changed(rows: list[tuple[Any, ...]], before: Mapping[str, int]) -> list[str]:
    """Return the ids of ``rows`` (of :func:`_insert_layer`) not stored before, or otherwise."""
    width = len(_PLACE_COLUMNS)
    return [str(row[_ID]) for row in rows if before.get(str(row[_ID])) != _fingerprint(row[:width])]


def _import_checks(
    conn: Connection, imported: list[str], asset_ids: set[str], *, actor: str, now: datetime
) -> int:
    """Count a save as a check (how: ``import``) of the places it brought new or changed.

    A place the source gives unchanged keeps its last check: a source that says nothing new
    tells nothing new. The checks of places that are gone are removed.
    """
    present = set(conn.execute(select(checks_table.c.asset_id)).scalars().all())
    gone = sorted(present - asset_ids)
    for start in range(0, len(gone), 500):
        conn.execute(
            delete(checks_table).where(checks_table.c.asset_id.in_(gone[start : start + 500]))
        )
    values = {"checked_at": now, "checked_by": actor[:64], "method": "import"}
    fresh = [asset_id for asset_id in imported if asset_id not in present]
    again = [asset_id for asset_id in imported if asset_id in present]
    for start in range(0, len(again), 500):
        chunk = again[start : start + 500]
        conn.execute(
            update(checks_table).where(checks_table.c.asset_id.in_(chunk)).values(**values)
        )
    _insert(conn, checks_table, [{"asset_id": asset_id, **values} for asset_id in fresh])
    return len(imported)


def _stamped(rows: list[dict[str, Any]] | None, version: int) -> list[dict[str, Any]] | None:
    """Return the rows with ``version``: a save's stamp on every row it writes."""
    return None if rows is None else [{**row, "version": version} for row in rows]


def _version_text(conn: Connection) -> str:
    row = conn.execute(
        select(workspace_table.c.version, workspace_table.c.saved_at).where(
            workspace_table.c.id == 1
        )
    ).first()
    return "" if row is None else f"{row.version}@{row.saved_at.isoformat()}"


def _advisory_lock(conn: Connection) -> None:
    """On PostgreSQL, wait for other saves and edits of the workspace (SQLite: BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        # Two saves at once would each delete the rows they see and insert their own.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WORKSPACE_LOCK})


def _check_linked(
    asset_ids: set[str],
    activity_rows: list[dict[str, Any]] | None,
    need_rows: list[dict[str, Any]] | None,
) -> None:
    problems = []
    for what, rows in (("activities", activity_rows), ("place_needs", need_rows)):
        unknown = sorted({str(r["asset_id"]) for r in rows or () if r["asset_id"] not in asset_ids})
        if unknown:
            problems.append(Msg(f"err.storage.{what}_unknown_asset", ids=_some(unknown)))
    _refuse_save(problems)


def _replace_linked(
    conn: Connection, table: Table, rows: list[dict[str, Any]] | None, asset_ids: set[str]
) -> dict[str, int]:
    """Replace ``table``'s rows by ``rows``, or (None) delete those of assets that are gone."""
    if rows is not None:
        removed = conn.execute(delete(table)).rowcount
        _insert(conn, table, rows)
        return {"replaced": removed, "saved": len(rows), "removed": 0}
    present = conn.execute(select(table.c.asset_id).distinct()).scalars().all()
    gone = [asset_id for asset_id in present if asset_id not in asset_ids]
    removed = 0
    for start in range(0, len(gone), 500):
        chunk = gone[start : start + 500]
        removed += conn.execute(delete(table).where(table.c.asset_id.in_(chunk))).rowcount
    return {"removed": removed}


def lock_workspace(conn: Connection) -> None:
    """Start an edit of the workspace's layers: wait for other writers, require a workspace.

    Raises
    ------
    NoWorkspace
        When no workspace was ever saved.
    """
    _advisory_lock(conn)
    found = conn.execute(select(workspace_table.c.id).where(workspace_table.c.id == 1)).scalar()
    if found is None:
        raise NoWorkspace(Msg("err.storage.no_workspace"))


def bump_version(conn: Connection) -> int:
    """Count a change of the workspace: :func:`version` changes, so caches reload.

    Returns the new version: the stamp of the rows this change writes (``version``).
    """
    conn.execute(
        update(workspace_table)
        .where(workspace_table.c.id == 1)
        .values(version=workspace_table.c.version + 1)
    )
    return int(
        conn.execute(
            select(workspace_table.c.version).where(workspace_table.c.id == 1)
        ).scalar_one()
    )


def insert_stamped(conn: Connection, table: Table, **values: Any) -> None:
    """Insert a row of ``values``, stamped with the next workspace version."""
    conn.execute(insert(table).values(**values, version=bump_version(conn)))


def write_stamped(conn: Connection, table: Table, where: Any, new: Mapping[str, Any]) -> list[str]:
    """Write ``new`` to the row ``where`` picks, stamped with the next workspace version.

    Returns the names of the fields written, sorted; with nothing new nothing is written and
    the workspace version stays.
    """
    if new:
        conn.execute(update(table).where(where).values(**new, version=bump_version(conn)))
    return sorted(new)


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """Yield a connection whose reads all see one moment, even while a save commits.

    SQLite reads in one transaction see one snapshot of the write-ahead log; PostgreSQL needs
    ``REPEATABLE READ`` for that (its default gives every statement a snapshot of its own).
    """
    with db.reading() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn


def load(db: Database) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, Any]] | None:
    """Return ``(areas, assets, meta)`` as saved, or None when none was ever saved."""
    with _snapshot(db) as conn:
        meta_text = conn.execute(
            select(workspace_table.c.meta).where(workspace_table.c.id == 1)
        ).scalar()
        if meta_text is None:
            return None
        layers = [
            _frame(
                conn.execute(
                    select(*(layer.table.c[name] for name in layer.columns)).order_by(
                        layer.table.c.position
                    )
                ).all(),
                layer,
            )
            for layer in (AREAS, ASSETS)
        ]
        outlines = conn.execute(
            select(footprints_table.c.asset_id, footprints_table.c.geometry)
        ).all()
    assets = layers[1]
    if outlines:  # WKT beside the point, as the OpenStreetMap readers give it
        by_id = {row.asset_id: shapely.to_wkt(shapely.from_wkb(row.geometry)) for row in outlines}
        assets[FOOTPRINT] = assets["id"].map(by_id)
    return layers[0], assets, json.loads(meta_text)


def _footprint_rows(assets: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Rows of the outlines in ``assets[FOOTPRINT]`` (WKT in EPSG:4326), if the column exists."""
    if FOOTPRINT not in assets.columns:
        return []
    rows = []
    for asset_id, wkt in zip(assets["id"], assets[FOOTPRINT], strict=True):
        if isinstance(wkt, str) and wkt:
            rows.append(
                {"asset_id": str(asset_id), "geometry": shapely.to_wkb(shapely.from_wkt(wkt))}
            )
    return rows


def version(db: Database) -> str:
    """Return a text that changes on every save and edit (``""`` when none was saved)."""
    with db.reading() as conn:
        return _version_text(conn)
