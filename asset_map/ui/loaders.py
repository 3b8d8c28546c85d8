"""Cached loading: the workspace is read once per folder or database version, not every rerun.

Where the data lives is the settings' (:mod:`asset_map.settings`): ``ASSET_MAP_DATA_DIR``,
``ASSET_MAP_DATABASE_URL``, and else the default database in the instance folder, the same
one the ``asset-map`` commands use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.io.postcode import PostcodeError, read_postcodes
from asset_map.render import vendor
from asset_map.services.workspace import (
    DEMO_DIR,
    Workspace,
    load_workspace,
    open_store,
    open_workspace,
    postcode_table_path,
)
from asset_map.storage import Store
from asset_map.storage.db import DatabaseUnreachable
from asset_map.ui.safe import explain_here
from asset_map.ui.state import current_lang, tr


@st.cache_data(show_spinner=False)
def _load(folder: str) -> Workspace:
    return load_workspace(folder)


@st.cache_data(show_spinner=False, max_entries=4)
def _load_stored(url: str, version: str, seed_dir: str) -> Workspace:
    # Cached per database and workspace version: a new import gives a new version.
    return open_workspace(store(), seed_dir=seed_dir)


def data_folder() -> str:
    """Return a key naming what the app shows: the folder, or the database and its version."""
    folder = settings.data_dir()
    if folder is not None:
        return str(folder)
    db = store()
    return f"{db.url}#{db.workspace_version()}"


def workspace() -> Workspace:
    """Return the workspace the app shows, cached.

    From the folder ``ASSET_MAP_DATA_DIR`` when set; otherwise from the database, which is
    seeded with the bundled demo on the first start. When the data cannot be read (a missing
    folder, a file with a wrong CRS, ...), the page says what is wrong and how to fix it, and
    stops: no traceback.
    """
    folder = None
    try:
        folder = settings.data_dir()
        if folder is not None:
            return _load(str(folder))
        db = store()
        if not db.has_workspace():
            open_workspace(db, seed_dir=DEMO_DIR)
        return _load_stored(db.url, db.workspace_version(), str(DEMO_DIR))
    except AssetMapError as exc:
        lead = tr("err.load.data_folder", folder=folder) if folder else tr("err.load.database")
        st.error(f"{lead}\n\n{explain_here(exc, current_lang())}")
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(url: str | None, instance_dir: str) -> Store:
    return open_store(url, instance_dir=Path(instance_dir))


def store() -> Store:
    """Return the database of the settings, opened once.

    ``ASSET_MAP_DATABASE_URL``, or SQLite in the instance folder
    (:func:`asset_map.settings.instance_dir`). A database that cannot be reached, or a
    setting that is wrong, is explained on the page, which then stops.
    """
    try:
        return _store(settings.database_url(), str(settings.instance_dir()))
    except (DatabaseUnreachable, AssetMapError) as exc:
        st.error(explain_here(exc, current_lang()))
        st.stop()


@st.cache_resource(show_spinner=False)
def install_map_files(static_dir: str) -> Path:
    """Copy Leaflet's files from their Python packages into ``static/vendor`` (once)."""
    return vendor.install_static(Path(static_dir))


@st.cache_data(show_spinner=False, max_entries=4)
def _postcodes(path: str, changed: float) -> pd.DataFrame:
    return read_postcodes(path)


def local_postcodes(ws: Workspace) -> pd.DataFrame | None:
    """Return the local postcode table of the data shown (for the map's search box), if any.

    A table that cannot be read gives None here: "Bij mij in de buurt" reports it.
    """
    path = postcode_table_path(ws)
    if path is None:
        return None
    try:
        return _postcodes(str(path), path.stat().st_mtime)
    except (PostcodeError, OSError):
        return None
