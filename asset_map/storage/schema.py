"""The tables, as SQLAlchemy Core objects; the migrations in ``migrations/`` create them.

A change here needs a new migration (``migrations/versions/``); a test compares the two.
Text is stored verbatim: HTML and SQL in a description are data and are escaped where
they are shown, never here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Double,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.types import TypeEngine

from asset_map.model import (
    ACTIVITY_FIELDS,
    AREA_FIELDS,
    ASSET_FIELDS,
    PLACE_NEED_FIELDS,
    TALENT_FIELDS,
    TALENT_STATUSES,
    Field,
)
from asset_map.rules.auth import ROLES

#: Characters of a talent's ``;``-joined category or wish keys.
KEY_LIST_CHARS = 200


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC: aware datetimes in, aware UTC datetimes out, on every database.

    SQLite has no time zones, so it stores naive UTC text (which sorts correctly);
    PostgreSQL stores ``timestamp with time zone``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        """Convert to UTC; refuse naive datetimes, whose zone nobody knows."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a time zone (e.g. UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _version() -> Column[int]:
    """Return a row's ``version`` column (1 for rows from before it): which change it is."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _talent_column(field: Field) -> Column[Any]:
    """Return the column of a talent field: text of the field's most characters.

    Personal fields may be NULL even when the form requires them: an erasure blanks them.
    """
    return Column(
        field.name,
        String(field.max_len or KEY_LIST_CHARS),
        nullable=field.personal or not field.required,
    )


talents = Table(
    "talents",
    metadata,
    Column("id", String(36), primary_key=True),
    *(_talent_column(field) for field in TALENT_FIELDS.values()),
    Column("status", String(10), nullable=False),
    Column("withdrawal_hash", String(64)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime()),
    # Set when the personal data were erased; ``counted`` keeps an approved talent in the
    # anonymous public counts after that (migration 0005).
    Column("erased_at", UTCDateTime()),
    Column("counted", Boolean, nullable=False, server_default=false()),
    # Counts the changes of the talent: a moderator's save on an older version is refused.
    _version(),
    CheckConstraint(_in("status", TALENT_STATUSES), name="status"),
    Index(None, "withdrawal_hash", unique=True),
    Index(None, "status"),
    Index(None, "created_at"),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    CheckConstraint(_in("role", ROLES), name="role"),
)

#: Failed log-ins, counted per user name and client address, per client address, per user
#: name and per known device (``rules.auth.Bucket``), for known and unknown names alike (so
#: a delay does not tell whether a name exists). ``key`` is the bucket's kind and hashes,
#: never a name or an address. ``locked_until`` is the end of the delay.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime()),
    Column("locked_until", UTCDateTime()),
)

#: Browsers that logged in before: the hash of the random token each holds (a cookie). Such
#: a browser is not slowed down by failures of others; removed with a new password.
known_devices = Table(
    "known_devices",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime(), nullable=False),
    Index(None, "username"),
)

#: Residents' submissions taken, for the limits per client address and in all
#: (``rules.submissions``): the kind (``talent``, ...), a hash of the address, when.
submission_log = Table(
    "submission_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("address_key", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index(None, "kind", "at"),
    Index(None, "kind", "address_key", "at"),
)

#: Who did what, when. ``details`` is JSON text and never holds personal values (names,
#: contact data, descriptions): only which fields changed, statuses and counts.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(16), nullable=False),
    Column("entity_id", String(64)),
    Column("details", Text, nullable=False),
    Index(None, "entity", "entity_id"),
    Index(None, "at"),
)

# --- the workspace layers ------------------------------------------------------------------
# A row staff edit (asset, activity, place needs) has a ``version``: the workspace version of
# its latest change. A stamp never repeats (a save of the whole workspace stamps every row
# anew), so a form that read version 7 knows for sure whether the row changed since.
# Geometry is WKB in EPSG:4326 (a plain binary column: no PostGIS needed, the same on SQLite
# and PostgreSQL). Text columns have no length limit: imported names and descriptions are
# stored whole on both databases alike. ``position`` keeps the order the rows were saved in.

#: The one stored workspace: its ``meta`` (JSON text, sources included) and which save it is.
#: ``version`` counts the saves, so a cache key changes even when the clock does not.
workspace = Table(
    "workspace",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("meta", Text, nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
    Column("saved_by", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

_LAYER_TYPES: dict[str, type[TypeEngine[Any]]] = {"number": Double, "geometry": LargeBinary}


def _layer(name: str, fields: dict[str, Field], *extra: Column[Any]) -> Table:
    """Return a workspace layer's table: its key, then ``position``, every other field, ``extra``.

    Every column of a field but the key may be NULL (files leave out what they do not know);
    text has no length limit.
    """
    key, *others = fields.values()
    return Table(
        name,
        metadata,
        Column(key.name, Text, primary_key=True),
        Column("position", Integer, nullable=False),
        *(Column(f.name, _LAYER_TYPES.get(f.kind, Text)) for f in others),
        *extra,
    )


#: The area layer: ``model.AREA_FIELDS``; key figures NULL where CBS keeps them secret.
areas = _layer("areas", AREA_FIELDS)
#: The asset layer: ``model.ASSET_FIELDS``, and the row's version.
assets = _layer("assets", ASSET_FIELDS, _version())

#: Outlines of assets that are an area (an OpenStreetMap way or relation): the asset itself is
#: the point inside it; the outline is kept here, by asset id.
asset_footprints = Table(
    "asset_footprints",
    metadata,
    Column("asset_id", Text, primary_key=True),
    Column("geometry", LargeBinary, nullable=False),
)

# --- activities, place needs and connections -----------------------------------------------
# No foreign keys to ``assets``: a workspace save replaces the assets whole, and the store
# removes the activities and needs of assets that are gone in the same transaction.

_ACTIVITY_TYPES: dict[str, TypeEngine[Any]] = {"number": Integer(), "time": String(5)}

#: Recurring activities at a place: ``model.ACTIVITY_FIELDS``; ``weekday`` ISO (1 = Monday),
#: ``start``/``end`` "HH:MM" (text sorts as time).
activities = Table(
    "activities",
    metadata,
    *(
        Column(
            f.name,
            _ACTIVITY_TYPES.get(f.kind, Text()),
            primary_key=f.name == "id",
            nullable=not f.required,
        )
        for f in ACTIVITY_FIELDS.values()
    ),
    _version(),
    CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),
    Index(None, "asset_id"),
)

#: What a meeting place asks for: ``model.PLACE_NEED_FIELDS``, one row per asset.
place_needs = Table(
    "place_needs",
    metadata,
    *(
        Column(f.name, Text, primary_key=f.name == "asset_id", nullable=not f.required)
        for f in PLACE_NEED_FIELDS.values()
    ),
    _version(),
)

#: Connections a wijkmanager made between a resident's talent and a place:
#: ``model.CONNECTION_COLUMNS``. History: they stay when the place or the talent goes.
connections = Table(
    "connections",
    metadata,
    Column("id", Text, primary_key=True),
    Column("asset_id", Text, nullable=False),
    Column("talent_id", String(36), nullable=False),
    Column("category", Text, nullable=False),
    Column("buurt_code", String(10), nullable=False),
    Column("made_by", String(64), nullable=False),
    Column("made_at", UTCDateTime(), nullable=False),
    Column("note", Text),
    Index(None, "asset_id"),
    Index(None, "talent_id"),
)
