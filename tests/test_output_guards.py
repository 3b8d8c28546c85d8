"""No output replaces what the app reads or keeps: its database, its folders, an input, a folder.

The database is found by what it is on disk (the resolved path, or device and inode), not by
the name an option gives: a symbolic link to it, its write-ahead log or a hard link are
refused like the file itself. Each refusal exits with 2, names the fix, and leaves the
database whole (``PRAGMA integrity_check`` ok, the users still there).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import run_cli

from asset_map._errors import AssetMapError
from asset_map.cli._outputs import write_bytes_atomic
from asset_map.storage import Store

USER = ("wim", "een lang wachtwoord 123")


@pytest.fixture
def app_database(tmp_path, monkeypatch) -> Path:
    """The app's default database (``asset_map.sqlite`` in the instance folder), with a user.

    ``ASSET_MAP_DATABASE_URL`` is unset, so every command uses this file by default.
    """
    instance = tmp_path / "instance"
    monkeypatch.delenv("ASSET_MAP_DATABASE_URL", raising=False)
    monkeypatch.delenv("ASSET_MAP_DATA_DIR", raising=False)
    monkeypatch.setenv("ASSET_MAP_INSTANCE_DIR", str(instance))
    with Store() as store:
        store.add_user(*USER, "wijkmanager", actor="test")
        store.talents()  # the database is in use, as the app leaves it
    return instance / "asset_map.sqlite"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_whole(database: Path, before: str) -> None:
    assert _digest(database) == before
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        users = [row[0] for row in conn.execute("SELECT username FROM users")]
    assert users == [USER[0]]


def _export(capsys, *args: str) -> tuple[int, str]:
    code, _out, err = run_cli(capsys, ["export", *args, "--lang", "en"])
    return code, err


def test_export_over_the_default_database_is_refused(app_database, capsys):
    before = _digest(app_database)
    code, err = _export(capsys, "--out", str(app_database), "--format", "csv")
    assert code == 2
    assert f"--out {app_database} is the app's database file" in err
    assert "Nothing was written" in err
    _assert_whole(app_database, before)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg", "html"])
def test_export_over_the_database_named_by_url_is_refused(tmp_path, capsys, fmt):
    database = tmp_path / "v.sqlite"
    with Store(f"sqlite:///{database}") as store:
        store.add_user(*USER, "wijkmanager", actor="test")
    before = _digest(database)
    url = f"sqlite:///{database}"
    code, err = _export(capsys, "--database", url, "--out", str(database), "--format", fmt)
    assert code == 2 and "is the app's database file" in err
    _assert_whole(database, before)


@pytest.mark.parametrize("companion", ["-wal", "-shm", "-journal"])
def test_the_files_sqlite_keeps_beside_the_database_are_refused(app_database, capsys, companion):
    before = _digest(app_database)
    target = app_database.with_name(app_database.name + companion)
    code, err = _export(capsys, "--out", str(target))
    assert code == 2
    assert "is the app's database file" in err or "lies in the folder where the app" in err
    _assert_whole(app_database, before)


def test_a_symbolic_link_to_the_database_is_refused(app_database, tmp_path, capsys):
    before = _digest(app_database)
    link = tmp_path / "selectie.csv"
    link.symlink_to(app_database)
    code, err = _export(capsys, "--out", str(link))
    assert code == 2
    assert f"is the app's database file ({app_database})" in err
    assert link.is_symlink()
    _assert_whole(app_database, before)


def test_a_hard_link_to_the_database_is_refused(app_database, tmp_path, capsys):
    before = _digest(app_database)
    other = tmp_path / "kopie.csv"
    os.link(app_database, other)
    code, err = _export(capsys, "--out", str(other))
    assert code == 2 and "is the app's database file" in err
    _assert_whole(app_database, before)


def test_a_file_in_the_instance_folder_is_refused(app_database, capsys):
    before = _digest(app_database)
    target = app_database.parent / "selectie.csv"
    code, err = _export(capsys, "--out", str(target))
    assert code == 2
    assert "lies in the folder where the app keeps its own files" in err
    assert not target.exists()
    code, _out, err = run_cli(
        capsys, ["flyer", "--buurt", "BU99990101", "--out", str(target.with_suffix(".pdf"))]
    )
    assert code == 2 and "bewaart" in err  # Dutch by default
    _assert_whole(app_database, before)


def test_an_input_is_refused(app_database, tiny_files, capsys):
    before_db, before_in = _digest(app_database), _digest(tiny_files["areas"])
    args = ["--areas", str(tiny_files["areas"]), "--assets", str(tiny_files["assets"])]
    out = tiny_files["areas"].with_name("link.geojson")
    out.symlink_to(tiny_files["areas"])
    code, err = _export(capsys, *args, "--out", str(out))
    assert code == 2 and "is also one of the input files" in err
    assert _digest(tiny_files["areas"]) == before_in
    _assert_whole(app_database, before_db)


def test_a_folder_is_refused(app_database, tmp_path, capsys):
    before = _digest(app_database)
    folder = tmp_path / "uit"
    folder.mkdir()
    code, err = _export(capsys, "--out", str(folder))
    assert code == 2 and "is a folder, not a file" in err
    assert list(folder.iterdir()) == []
    _assert_whole(app_database, before)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("selectie.sqlite", "csv"), ("selectie", "csv"), ("selectie.csv", "gpkg")],
)
def test_format_and_suffix_must_agree(app_database, tmp_path, capsys, name, fmt):
    out = tmp_path / name
    code, err = _export(capsys, "--out", str(out), "--format", fmt)
    assert code == 2
    assert f"--format {fmt} writes a {fmt} file, but --out {name} does not end in" in err
    assert not out.exists()


def test_format_that_agrees_with_the_suffix_is_written(app_database, tmp_path, capsys):
    out = tmp_path / "selectie.json"
    code, err = _export(capsys, "--out", str(out), "--format", "geojson")
    assert code == 0, err
    assert out.read_text("utf-8").startswith('{\n"type": "FeatureCollection"')


def test_the_safe_writer_itself_refuses_the_database(app_database):
    before = _digest(app_database)
    with pytest.raises(AssetMapError, match="database"):
        write_bytes_atomic(app_database, b"not a database")
    _assert_whole(app_database, before)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "kaart.html"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(target, b"<!DOCTYPE html>new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kaart.html"]
