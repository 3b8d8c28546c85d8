"""Upload folders: private, removed with their session, and swept when left over."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from asset_map.services import uploads

HOUR = 3600.0


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_session_folder_and_its_uploads_are_private(tmp_path):
    session = uploads.session_folder(tmp_path)
    one = uploads.upload_folder(session)
    assert session.name.startswith(uploads.UPLOAD_PREFIX) and one.parent == session
    assert session.stat().st_mode & 0o777 == 0o700
    assert one.stat().st_mode & 0o777 == 0o700
    uploads.remove_folder(session)
    assert not session.exists()
    uploads.remove_folder(session)  # gone already: fine


def test_the_sweep_takes_only_old_upload_folders(tmp_path):
    old = uploads.session_folder(tmp_path)
    (uploads.upload_folder(old) / "x.csv").write_text("a")
    for path in (*old.rglob("*"), old):
        _age(path, 2 * HOUR)
    fresh = uploads.session_folder(tmp_path)
    other = tmp_path / "not_ours"
    other.mkdir()
    _age(other, 2 * HOUR)
    assert uploads.sweep_old_uploads(tmp_path) == [old]
    assert not old.exists() and fresh.is_dir() and other.is_dir()


def test_a_folder_in_use_is_not_swept(tmp_path):
    session = uploads.session_folder(tmp_path)
    upload = uploads.upload_folder(session)
    for path in (upload, session):
        _age(path, 2 * HOUR)
    uploads.touch(upload, session)  # the session used its upload again
    assert uploads.sweep_old_uploads(tmp_path) == []
    # An old session folder with a recent upload in it is in use too.
    _age(session, 2 * HOUR)
    assert uploads.sweep_old_uploads(tmp_path) == []
    assert uploads.sweep_old_uploads(tmp_path, now=time.time() + 2 * HOUR) == [session]


def test_a_link_named_like_an_upload_folder_is_not_followed(tmp_path):
    target = tmp_path / "keep"
    target.mkdir()
    (target / "data.txt").write_text("x")
    link = tmp_path / f"{uploads.UPLOAD_PREFIX}link"
    link.symlink_to(target)
    os.utime(link, (time.time() - 2 * HOUR,) * 2, follow_symlinks=False)
    assert uploads.sweep_old_uploads(tmp_path) == []
    assert (target / "data.txt").exists()
