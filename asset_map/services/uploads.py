"""Uploaded files: a private folder per session, removed when the session ends.

Files a user uploads on the Gegevens screen are kept in a folder only its owner may read
(mode 0700) while they are read: one folder per browser session
(``asset_map_upload_*`` in the system's temporary folder), with a folder per upload in it.
The folder goes

- when the upload is imported, replaced or cleared (the screen removes it);
- when the session ends (the screen registers :func:`remove_folder` with Streamlit);
- when the server stops (``atexit``), for what is left of the sessions of this process;
- at the next start, when it is more than an hour old (:func:`sweep_old_uploads`): what a
  server that was killed (``kill -9``, a power cut) could not remove itself.

A folder in use is touched at every use (:func:`touch`), so the sweep of another server
process never removes the files of a session that is still working.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

#: The name of every session's upload folder starts with this.
UPLOAD_PREFIX = "asset_map_upload_"
#: Folders untouched for longer than this are left over from a server that stopped.
MAX_AGE_S = 3600.0

_made: set[Path] = set()
_lock = threading.Lock()


def session_folder(root: Path | None = None) -> Path:
    """Make a private folder (0700) for one session's uploads; removed at exit at the latest."""
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=root))
    with _lock:
        _made.add(folder)
    return folder


def upload_folder(session: Path) -> Path:
    """Make a private folder (0700) for one upload inside a session's folder."""
    touch(session)
    return Path(tempfile.mkdtemp(prefix="upload_", dir=session))


def touch(*folders: Path) -> None:
    """Mark folders as in use now (their time of change), so no sweep takes them."""
    for folder in folders:
        with contextlib.suppress(OSError):  # gone already: the next save makes a new one
            os.utime(folder)


def remove_folder(folder: Path | None) -> None:
    """Remove a session's (or an upload's) folder and everything in it; gone is fine."""
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    with _lock:
        _made.discard(folder)


def _remove_all() -> None:
    with _lock:
        left = list(_made)
    for folder in left:
        remove_folder(folder)


atexit.register(_remove_all)


def sweep_old_uploads(
    root: Path | None = None, *, max_age_s: float = MAX_AGE_S, now: float | None = None
) -> list[Path]:
    """Remove upload folders of this user untouched for longer than ``max_age_s`` seconds.

    Parameters
    ----------
    root : Path, optional
        Where the folders are; the system's temporary folder by default.
    max_age_s : float
        Older than this (by the newest time of change of the folder and what is directly in
        it) is a leftover.
    now : float, optional
        The current time (``time.time()``); for tests.

    Returns
    -------
    list of Path
        The folders removed.
    """
    base = Path(tempfile.gettempdir()) if root is None else root
    moment = time.time() if now is None else now
    removed = []
    for folder in base.glob(f"{UPLOAD_PREFIX}*"):
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
                continue  # another user's folder, or not a folder of ours at all
            newest = max([info.st_mtime, *(p.lstat().st_mtime for p in folder.iterdir())])
        except OSError:
            continue  # removed meanwhile, or unreadable
        if moment - newest > max_age_s:
            remove_folder(folder)
            removed.append(folder)
    return removed
