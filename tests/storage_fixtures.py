"""Fixtures of the storage tests: a real SQLite file and a real PostgreSQL server.

Test modules load this with ``pytest_plugins = ["storage_fixtures"]``.

PostgreSQL comes from ``ASSET_MAP_TEST_PG_URL`` (a server URL whose user may create
databases) or, when that is unset, from a throwaway cluster started with Debian's binaries
(``/usr/lib/postgresql/*/bin``) on a free port of 127.0.0.1 and stopped at the end of the
session. Each test gets a database of its own. Without either, PostgreSQL tests are skipped
with the reason, except when ``CI`` is set: CI must run them, so they fail there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from storage_helpers import Clock

from asset_map.rules import auth
from asset_map.storage import Store

PG_URL_ENV = "ASSET_MAP_TEST_PG_URL"
DIALECTS = ["sqlite", "postgresql"]


def unavailable(reason: str) -> None:
    """Skip, or fail under CI, because PostgreSQL cannot be reached."""
    message = f"PostgreSQL tests not run: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is an error: install postgresql)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _as_owner(args: list[str]) -> list[str]:
    """Run as ``postgres`` when we are root: PostgreSQL refuses to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Yield the URL of a PostgreSQL server where the user may create databases."""
    given = os.environ.get(PG_URL_ENV)
    if given:
        yield given
        return
    bindir = _pg_bin()
    if bindir is None:
        unavailable(
            f"{PG_URL_ENV} is not set and no PostgreSQL binaries were found under "
            "/usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    assert bindir is not None
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("running as root without runuser to start PostgreSQL as 'postgres'")
    root = Path(tempfile.mkdtemp(prefix="asset_map_pg_"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    started = False
    try:
        init = subprocess.run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if init.returncode:
            unavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        start = subprocess.run(
            _as_owner(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if start.returncode:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            unavailable(f"pg_ctl start failed: {start.stderr.strip()[-300:]} {tail}")
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    name = f"asset_map_test_{uuid.uuid4().hex[:12]}"
    server = make_url(pg_server).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(params=DIALECTS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'instance' / 'asset_map.sqlite'}"
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture
def clock() -> Clock:
    """A settable clock, starting on 1 March 2025 at 12:00 UTC."""
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock) -> Iterator[Store]:
    """An open store on each database (SQLite and PostgreSQL), with a settable clock."""
    opened = Store(store_url, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Cheap argon2id parameters, so log-in tests take milliseconds instead of 0.15 s each.

    Still argon2id through the same code; ``test_auth`` checks the real parameters.
    """
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_HASHER", cheap)
    return cheap
