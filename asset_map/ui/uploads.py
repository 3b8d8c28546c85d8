"""Uploaded files of this session: kept in its own private folder, removed when it ends.

Streamlit has no "session ended" hook of its own, but it releases a session's resources
when the session disconnects or closes: a session-scoped ``st.cache_resource`` with an
``on_release`` function (Streamlit 1.50+) removes the session's folder then. What a server
that stopped hard could not remove goes at the next start (:func:`sweep_once`). See
:mod:`asset_map.services.uploads`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from asset_map.services import uploads


class SessionUploads:
    """The upload folder of one session, made at its first upload."""

    def __init__(self) -> None:
        self.path: Path | None = None

    def folder(self) -> Path:
        """Return the session's folder, made anew when there is none (or it was swept)."""
        if self.path is None or not self.path.is_dir():
            self.path = uploads.session_folder()
        return self.path

    def remove(self) -> None:
        """Remove the session's folder and every upload in it."""
        uploads.remove_folder(self.path)
        self.path = None


def _release(held: SessionUploads) -> None:
    held.remove()


@st.cache_resource(scope="session", on_release=_release, show_spinner=False)
def _session_uploads() -> SessionUploads:
    return SessionUploads()


def new_upload_folder() -> Path:
    """Return a new private folder for one upload; it goes with the session at the latest."""
    return uploads.upload_folder(_session_uploads().folder())


def in_use(path: Path) -> None:
    """Mark the folder of an upload (and the session's) as in use now."""
    uploads.touch(path.parent, path.parent.parent)


@st.cache_resource(show_spinner=False)
def sweep_once() -> int:
    """Remove upload folders left over from a server that stopped, once per server start."""
    return len(uploads.sweep_old_uploads())
