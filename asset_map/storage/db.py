"""The engine: database URLs, SQLite settings, write transactions and migrations.

SQLite is the default (one file, nothing to install); PostgreSQL is used when the URL says
so. Two rules make SQLite safe with many writers (Streamlit sessions, several processes):
WAL mode with a busy timeout, and ``BEGIN IMMEDIATE`` for every transaction that writes,
so a writer waits for the lock at its start instead of failing half-way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.settings import DATABASE_URL_ENV

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Seconds a SQLite writer waits for the lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 30
#: Any fixed number: PostgreSQL sessions that migrate take this advisory lock in turn.
_PG_MIGRATION_LOCK = 0x61_73_73_65_74  # "asset"
_BEGIN_OPTION = "asset_map_sqlite_begin"
_log = logging.getLogger(__name__)


class DatabaseUnreachable(AssetMapError):
    """The database server cannot be reached, or the database file does not exist."""


def _unreachable(url: str) -> DatabaseUnreachable:
    return DatabaseUnreachable(Msg("err.storage.unreachable", url=url, env=DATABASE_URL_ENV))


def default_url(instance_dir: Path) -> str:
    """Return the URL of the default SQLite file in ``instance_dir``."""
    return f"sqlite:///{Path(instance_dir).resolve() / settings.DATABASE_FILE}"


def resolve_url(url: str | None, instance_dir: Path | None = None) -> URL:
    """Return the URL to use: ``url``, else ``ASSET_MAP_DATABASE_URL``, else the default file.

    The default file is ``asset_map.sqlite`` in ``instance_dir``, or in the instance folder
    of :func:`asset_map.settings.instance_dir` (the same for the app and every command).

    ``postgresql://`` and ``postgres://`` URLs get the psycopg (3) driver.

    Raises
    ------
    AssetMapError
        For a database other than SQLite or PostgreSQL, or an in-memory SQLite database
        (each connection would see a database of its own).
    """
    text_url = url or settings.database_url() or ""
    if not text_url:
        text_url = default_url(instance_dir or settings.instance_dir())
    if text_url.startswith("postgres://"):
        text_url = "postgresql://" + text_url[len("postgres://") :]
    parsed = make_url(text_url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise AssetMapError(
            Msg("err.storage.url_backend", backend=backend, url=parsed.render_as_string())
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise AssetMapError(Msg("err.storage.url_memory"))
    return parsed


def create_private_file(path: Path) -> None:
    """Create an empty SQLite file only its owner may read (0600) when it does not exist.

    It holds contact data and password hashes. Folders created on the way are 0700 (the
    instance folder among them); folders that exist already are left as they are. SQLite
    gives its ``-wal`` and ``-shm`` files the permissions of the database file, so they are
    private too. An existing file keeps its permissions.
    """
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(mode=0o700, exist_ok=True)
        new.chmod(0o700)  # mkdir's mode is cut by the umask; 0700 is what we want
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Database:
    """An engine with read and write transactions that behave alike on SQLite and PostgreSQL.

    Parameters
    ----------
    url : URL
        As returned by :func:`resolve_url`.
    """

    def __init__(self, url: URL, *, must_exist: bool = False):
        self.dialect = url.get_backend_name()
        self.url = url.render_as_string(hide_password=True)
        self.engine: Engine
        self._write_engine: Engine
        if self.dialect == "sqlite":
            assert url.database is not None
            if must_exist and not Path(url.database).expanduser().is_file():
                raise DatabaseUnreachable(
                    Msg("err.storage.no_file", path=url.database, env=DATABASE_URL_ENV)
                )
            create_private_file(Path(url.database).expanduser())
            self.engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
            self._write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
            self._write_engine = self.engine

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection for reads; its transaction is rolled back at the end."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """Yield a connection in a write transaction, committed at the end unless it raised.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE``: it holds the write lock
        from its first statement, so read-then-write sequences never deadlock.
        """
        with self._write_engine.begin() as conn:
            yield conn

    def erase_traces(self) -> None:
        """Make erased values unreadable from the files, as far as the database allows.

        SQLite runs with ``secure_delete`` (freed space is overwritten with zeros); this
        copies the write-ahead log into the database file and empties the log, whose older
        frames would still hold the old values. PostgreSQL keeps old row versions until
        (auto)vacuum reuses their space; nothing is done here.
        """
        if self.dialect == "sqlite":
            with self.engine.connect() as conn:
                busy, *_ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            if busy:
                _log.warning(
                    "%s: the write-ahead log could not be emptied (a reader was busy); erased "
                    "values stay in it until the next checkpoint",
                    self.url,
                )

    def migrate(self) -> None:
        """Bring the schema to the newest migration; safe to run often and concurrently.

        The migrations run inside one write transaction: on SQLite ``BEGIN IMMEDIATE``
        serialises processes that open a new file at once, on PostgreSQL an advisory lock
        does; the second one then finds the schema at head and does nothing.
        """
        try:
            self._migrate()
        except exc.OperationalError as error:
            if self.dialect == "sqlite" and "locked" in str(error):
                raise
            raise _unreachable(self.url) from error

    def _migrate(self) -> None:
        with self.writing() as conn:
            if self.dialect == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic configuration for the migrations shipped with the package.

    No ``alembic.ini`` is needed. To write a new migration against a scratch database::

        from alembic import command
        from asset_map.storage.db import alembic_config
        command.revision(alembic_config("sqlite:///scratch.sqlite"), "add x", autogenerate=True)

    Parameters
    ----------
    url : str, optional
        Only for commands run without a connection (as above); :class:`Database` passes its
        own connection.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        plain = resolve_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", plain.replace("%", "%%"))
    return config


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (below); the driver's own transaction handling is off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
