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
    CHECK_METHODS,
    PLACE_NEED_FIELDS,
    SUGGESTION_FIELDS,
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

#: Staff sessions (``asset_map.rules.sessions``): one row per log-in. The browser's cookie
#: holds a token whose SHA-256 is ``token_hash``; the page's one-time ticket is kept as
#: ``ticket_hash`` until the server exchanges it for the cookie. ``marker`` is the account's
#: ``session_marker`` at log-in: when it changes, the session ends (migration 0012).
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("marker", String(100), nullable=False),
    Column("token_hash", String(64)),
    Column("ticket_hash", String(64)),
    Column("ticket_until", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_active", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
    Index(None, "token_hash", unique=True),
    Index(None, "ticket_hash", unique=True),
    Index(None, "username"),
)

#: Keys the app makes for itself once and keeps: ``session`` signs the staff cookies
#: (unless ``ASSET_MAP_SESSION_SECRET`` is set).
app_keys = Table(
    "app_keys",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
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


# --- residents' suggestions ---------------------------------------------------------------

#: What a resident may suggest: a new place, an association or informal group, or a
#: correction of a stored place (``correction`` then says which).
SUGGESTION_KINDS = ("place", "group", "correction")
CORRECTIONS = ("closed", "moved", "hours", "name")
SUGGESTION_STATUSES = ("pending", "accepted", "rejected")

#: Residents' suggestions, waiting on Beoordelen until a wijkmanager accepts or rejects them.
#: ``lon``/``lat`` are where the place is shown: for a private home the middle of its buurt
#: (or wijk), never the home itself, which is not stored. ``contact`` is for the wijkmanager
#: only; ``code_hash`` is the SHA-256 of the code the resident follows the status with.
suggestions = Table(
    "suggestions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("correction", String(12)),
    Column("asset_id", Text),
    Column("type", Text),
    Column("name", Text),
    Column("description", Text),
    Column("schedule", String(SUGGESTION_FIELDS["schedule"].max_len)),
    Column("address", Text),
    Column("lon", Double),
    Column("lat", Double),
    Column("private_home", Boolean, nullable=False, server_default=false()),
    Column("buurt_code", String(10)),
    Column("contact", String(SUGGESTION_FIELDS["contact"].max_len)),
    Column("status", String(10), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime()),
    Column("result_asset_id", Text),
    Column("erased_at", UTCDateTime()),
    CheckConstraint(_in("kind", SUGGESTION_KINDS), name="kind"),
    CheckConstraint(_in("status", SUGGESTION_STATUSES), name="status"),
    Index(None, "code_hash", unique=True),
    Index(None, "status"),
    Index(None, "created_at"),
)

# --- freshness ---------------------------------------------------------------------------

#: When each place was last checked, by whom and how (``model.CHECK_METHODS``). One row per
#: asset id: a new check replaces the old one (the audit log keeps every check). No foreign
#: key: a workspace save replaces the assets, and removes the checks of assets that are gone.
place_checks = Table(
    "place_checks",
    metadata,
    Column("asset_id", Text, primary_key=True),
    Column("checked_at", UTCDateTime(), nullable=False),
    Column("checked_by", String(64), nullable=False),
    Column("method", String(12), nullable=False),
    CheckConstraint(_in("method", CHECK_METHODS), name="method"),
)

#: The wijken a staff member looks after: their "to check" list starts with these.
staff_areas = Table(
    "staff_areas",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("area_code", String(10), primary_key=True),
)

# --- organisers' personal links -----------------------------------------------------------

#: A personal link for the organiser of one place: the token itself is shown once and never
#: stored, only its SHA-256. A link works until ``expires_at``, unless revoked before.
organiser_links = Table(
    "organiser_links",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("asset_id", Text, nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("label", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_by", String(64)),
    Column("revoked_at", UTCDateTime()),
    Column("last_used_at", UTCDateTime()),
    Column("uses", Integer, nullable=False, server_default="0"),
    Index(None, "token_hash", unique=True),
    Index(None, "asset_id"),
)

# --- refresh from the sources, and snapshots over time -----------------------------------

#: What a source said of each of its places when its list was last taken in (the values of
#: ``model.ASSET_COLUMNS`` as JSON, the point as ``lon``/``lat``). A refresh compares the new
#: answer with these, not with the stored places, so local edits are never taken for changes
#: of the source. ``asset_id`` is the place it became (another id after a merge).
source_records = Table(
    "source_records",
    metadata,
    Column("source", Text, primary_key=True),
    Column("source_id", Text, primary_key=True),
    Column("asset_id", Text, nullable=False),
    Column("fields", Text, nullable=False),
    Column("seen_at", UTCDateTime(), nullable=False),
)

REFRESH_KINDS = ("new", "gone", "changed")
REFRESH_STATUSES = ("pending", "accepted", "rejected")

#: Changes a refresh found, waiting for a decision: a place the source lists anew, one it
#: no longer lists, one whose fields changed (``fields``: their names; ``old`` and ``new``:
#: JSON values; ``local``: the fields edited here, which a refresh keeps).
refresh_changes = Table(
    "refresh_changes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("source", Text, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("source_id", Text, nullable=False),
    Column("asset_id", Text),
    Column("name", Text),
    Column("fields", Text, nullable=False),
    Column("old", Text, nullable=False),
    Column("new", Text, nullable=False),
    Column("local", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("found_at", UTCDateTime(), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime()),
    CheckConstraint(_in("kind", REFRESH_KINDS), name="kind"),
    CheckConstraint(_in("status", REFRESH_STATUSES), name="status"),
    Index(None, "status"),
)

#: Dated snapshots of the workspace: places per type and wijk, the share of residents
#: within walking distance per wijk (``data``: JSON, see :mod:`asset_map.analysis.snapshots`).
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("taken_at", UTCDateTime(), nullable=False),
    Column("taken_by", String(64), nullable=False),
    Column("label", String(120)),
    Column("data", Text, nullable=False),
    Index(None, "taken_at"),
)
