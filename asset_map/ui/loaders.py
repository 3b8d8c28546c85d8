"""Cached loading: the workspace is read once per folder, not on every rerun."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.render import vendor
from asset_map.services.workspace import DATA_DIR_ENV, Workspace, load_workspace, open_workspace
from asset_map.storage import DATABASE_URL_ENV, Store
from asset_map.storage.db import DatabaseUnreachable
from asset_map.ui.state import current_lang, tr

#: The app's folder: ``app.py``, ``static/`` and ``data/`` live here.
APP_DIR = Path(__file__).resolve().parents[2]


@st.cache_data(show_spinner=False)
def _load(folder: str) -> Workspace:
    return load_workspace(folder)


@st.cache_data(show_spinner=False, max_entries=4)
def _load_stored(url: str, version: str, seed_dir: str) -> Workspace:
    # Cached per database and workspace version: a new import gives a new version.
    return open_workspace(store(), seed_dir=seed_dir)


def data_folder(app_dir: Path = APP_DIR) -> str:
    """Return a key naming what the app shows: the folder, or the database and its version."""
    folder = os.environ.get(DATA_DIR_ENV)
    if folder:
        return folder
    db = store(app_dir)
    return f"{db.url}#{db.workspace_version()}"


def workspace(app_dir: Path = APP_DIR) -> Workspace:
    """Return the workspace the app shows, cached.

    From the folder ``ASSET_MAP_DATA_DIR`` when set; otherwise from the database, which is
    seeded with the bundled demo on the first start. When the data cannot be read (a missing
    folder, a file with a wrong CRS, ...), the page says what is wrong and how to fix it, and
    stops: no traceback.
    """
    folder = os.environ.get(DATA_DIR_ENV)
    try:
        if folder:
            return _load(folder)
        db = store(app_dir)
        seed = str(app_dir / "data" / "demo")
        if not db.has_workspace():
            open_workspace(db, seed_dir=seed)
        return _load_stored(db.url, db.workspace_version(), seed)
    except AssetMapError as exc:
        lead = tr("err.load.data_folder", folder=folder) if folder else tr("err.load.database")
        st.error(f"{lead}\n\n{explain(exc, current_lang())}")
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(url: str | None, instance_dir: str) -> Store:
    return Store(url, instance_dir=Path(instance_dir))


def store(app_dir: Path = APP_DIR) -> Store:
    """Return the database (``ASSET_MAP_DATABASE_URL``, or SQLite in ``instance/``), opened once.

    A database that cannot be reached is explained on the page, which then stops.
    """
    try:
        return _store(os.environ.get(DATABASE_URL_ENV) or None, str(app_dir / "instance"))
    except DatabaseUnreachable as exc:
        st.error(explain(exc, current_lang()))
        st.stop()


@st.cache_resource(show_spinner=False)
def install_map_files(static_dir: str) -> Path:
    """Copy Leaflet's files from their Python packages into ``static/vendor`` (once)."""
    return vendor.install_static(Path(static_dir))
