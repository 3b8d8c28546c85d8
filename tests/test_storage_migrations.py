"""Opening a store: URLs, the default file, migrations to head, and schema agreement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from storage_helpers import submission

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.settings import DATABASE_URL_ENV, INSTANCE_DIR_ENV
from asset_map.storage import Store, default_url
from asset_map.storage.db import MIGRATIONS, Database, alembic_config, resolve_url
from asset_map.storage.schema import metadata

pytest_plugins = ["storage_fixtures"]

TABLES = {
    "talents",
    "users",
    "login_throttle",
    "audit_log",
    "alembic_version",
    "workspace",
    "areas",
    "assets",
    "asset_footprints",
    "activities",
    "place_needs",
    "connections",
    "known_devices",
    "submission_log",
    "suggestions",
    "place_checks",
    "staff_areas",
    "organiser_links",
    "source_records",
    "refresh_changes",
    "snapshots",
    "staff_sessions",
    "app_keys",
}


def engine_for(url: str):
    return create_engine(resolve_url(url))


def test_history_has_one_base_and_one_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_bases() == ["0001"]
    assert len(scripts.get_heads()) == 1


def test_migration_files_ship_with_the_package() -> None:
    names = {p.name for p in MIGRATIONS.iterdir()}
    assert {"env.py", "script.py.mako", "versions"} <= names
    assert list((MIGRATIONS / "versions").glob("0001_*.py"))


def test_fresh_database_reaches_head(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.dialect in ("sqlite", "postgresql")
    engine = engine_for(store_url)
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
        assert set(inspect(conn).get_table_names()) == TABLES
    engine.dispose()
    assert heads == tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_opening_again_is_idempotent(store_url: str) -> None:
    with Store(store_url) as store:
        receipt = store.submit_talent(submission())
    with Store(store_url) as store, Store(store_url) as other:
        assert store.talent(receipt.id) is not None
        assert len(other.talents()) == 1
    engine = engine_for(store_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    engine.dispose()


def test_schema_module_matches_the_migrations(store_url: str) -> None:
    Store(store_url).close()
    engine = engine_for(store_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_downgrade_and_upgrade_by_hand(store_url: str) -> None:
    Store(store_url).close()
    config = alembic_config(store_url)
    command.downgrade(config, "base")
    engine = engine_for(store_url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    with Store(store_url) as store:
        assert store.talents().empty


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://map:s3cret@db.example:5433/map",
            "postgresql+psycopg://map:***@db.example:5433/map",
        ),
        ("postgres://map@db/map", "postgresql+psycopg://map@db/map"),
        ("postgresql+psycopg://map:pw@db/map", "postgresql+psycopg://map:***@db/map"),
        ("sqlite:////srv/map/asset_map.sqlite", "sqlite:////srv/map/asset_map.sqlite"),
    ],
)
def test_urls_are_normalised_and_masked(given: str, expected: str, tmp_path: Path) -> None:
    if given.startswith("sqlite"):
        given = expected = f"sqlite:///{tmp_path / 'srv' / 'asset_map.sqlite'}"
    db = Database(resolve_url(given))  # connects lazily: nothing is opened here
    try:
        assert db.url == expected
        assert "s3cret" not in db.url
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "Unsupported database 'mysql'"),
        ("sqlite://", "in-memory SQLite"),
        ("sqlite:///:memory:", "in-memory SQLite"),
    ],
)
def test_unsupported_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(AssetMapError, match=message) as refused:
        Store(url)
    assert explain(refused.value, "nl").startswith(("De database 'mysql'", "Een SQLite-database"))


def test_default_file_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(INSTANCE_DIR_ENV, str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path / "..")  # the working directory plays no part
    with Store() as store:
        assert store.url == default_url(tmp_path / "instance")
        assert store.dialect == "sqlite"
    assert (tmp_path / "instance" / "asset_map.sqlite").is_file()
    with Store(instance_dir=tmp_path / "a" / "b") as store:
        assert store.url.endswith("/a/b/asset_map.sqlite")
    assert (tmp_path / "a" / "b" / "asset_map.sqlite").is_file()


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_database_and_its_instance_folder_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Contact data and password hashes: no other local user may read them, whatever the umask.
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(INSTANCE_DIR_ENV, str(tmp_path / "instance"))
    previous = os.umask(0o022)
    try:
        with Store() as store:
            store.add_user("wim", "geheim-wachtwoord-1", "admin", actor="test")
            folder = tmp_path / "instance"
            files = [folder / "asset_map.sqlite", folder / "asset_map.sqlite-wal"]
            files.append(folder / "asset_map.sqlite-shm")
            assert all(f.is_file() for f in files)
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
            assert _mode(folder) == 0o700
    finally:
        os.umask(previous)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_folders_and_files_that_exist_keep_their_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    with Store(f"sqlite:///{shared / 'new.sqlite'}"):
        pass
    assert _mode(shared) == 0o755  # an existing folder (/srv, /tmp) is not changed
    assert _mode(shared / "new.sqlite") == 0o600
    old = shared / "old.sqlite"
    with Store(f"sqlite:///{old}"):
        pass
    old.chmod(0o640)  # a group the administrator chose (a backup user, say)
    with Store(f"sqlite:///{old}"):
        pass
    assert _mode(old) == 0o640


def test_environment_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'from_env.sqlite'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    with Store(instance_dir=tmp_path / "unused") as store:
        assert store.url == url
    assert not (tmp_path / "unused").exists()
    explicit = f"sqlite:///{tmp_path / 'explicit.sqlite'}"
    with Store(explicit) as store:
        assert store.url == explicit
