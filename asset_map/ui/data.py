"""Widgets of the data screen: load a gemeente, upload own files, see what is loaded.

Every load and import ends the same way (:func:`_finish`): the new layers are combined with
the stored workspace and saved in one go (:func:`asset_map.services.refresh.refresh_into`,
as ``asset-map import`` does: a source held already is compared and its changes wait for
review), and the page runs again so everything on it shows the new workspace; the result
message waits in the session until
:func:`~asset_map.ui.data_upload.show_result` shows it. The areas upload is
:mod:`asset_map.ui.data_areas`; what both uploads share is :mod:`asset_map.ui.data_upload`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import t
from asset_map.io.asset_files import osm_kind, read_any_assets
from asset_map.io.cbs import YEARS
from asset_map.io.formats import read_raw
from asset_map.model import catalogue
from asset_map.services.fetch import fetch_gemeente
from asset_map.services.imports import assets_loaded, import_figures, replacement
from asset_map.services.refresh import refresh_into
from asset_map.services.sources import Loaded, current, osm_source
from asset_map.services.workspace import Workspace
from asset_map.ui.data_areas import upload_areas
from asset_map.ui.data_mapping import read_mapped_assets, type_counts
from asset_map.ui.data_upload import (
    FILE_TYPES,
    ROUND_KEY,
    crs_choice,
    forget_upload,
    preview,
    remember,
    result_message,
    saved,
    show_error,
    year_input,
)
from asset_map.ui.loaders import store
from asset_map.ui.state import choice_key, current_lang, option_index, tr

#: Session key of a downloaded gemeente that waits for the user's yes (it replaces another).
PENDING_KEY = "data_pending"


def _finish(new: Loaded, actor: str, *, message: str | None = None, uploaded: bool = False) -> None:
    """Combine ``new`` with the stored workspace, save it, and run the page again.

    Without ``message`` the result says how many rows were added or replaced, and how many
    duplicates merged; a source on the map already is not replaced, and the result says how
    many of its changes wait for review. ``uploaded``: the uploaded file is deleted once saved.
    """
    done = refresh_into(store(), new, actor=actor)  # a source held already: for review
    combined = done.loaded
    if uploaded:
        forget_upload(clear=True)
    rows = len(new.areas) + len(new.assets)
    if done.listed:  # nothing of it replaced: say what waits for review
        counts = {k: sum(c[k] for c in done.listed.values()) for k in ("new", "gone", "changed")}
        first = message or tr("data.result.read", n=rows)
        message = f"{first} {tr('refresh.compared', **counts)}"
    elif message is None:
        message = result_message(combined, rows=rows)
    remember(message, combined)


def load_gemeente(actor: str) -> None:
    """Download a gemeente (CBS/PDOK and OpenStreetMap) into the workspace, with progress."""
    st.subheader(tr("data.gemeente_title"))
    st.write(tr("data.gemeente_intro"))
    with st.form("data_gemeente"):
        gemeente = st.text_input(tr("data.gemeente"), placeholder="Deventer", key="data_gm")
        year = st.selectbox(tr("data.year"), list(YEARS), index=0, key="data_year")
        osm = st.checkbox(tr("data.osm"), value=True, key="data_osm")
        submitted = st.form_submit_button(tr("data.load"), type="primary")
    if not submitted or not gemeente.strip():
        _confirm_replace(actor)
        return
    st.session_state.pop(PENDING_KEY, None)
    bar = st.progress(0.0, text=tr("data.busy"))
    # fetch_gemeente names two steps (PDOK, then OpenStreetMap); PDOK tells each page.
    steps = [t("note.download.pdok", current_lang()), t("note.download.osm", current_lang())]
    done = {"steps": 0, "pages": 0}

    def progress(_what: str) -> None:
        done["steps"] += 1
        value = 0.05 if done["steps"] == 1 else 0.7
        bar.progress(value, text=f"{tr('data.busy')} {steps[min(done['steps'], 2) - 1]}")

    def pages(received: int, matched: int | None) -> None:
        done["pages"] += 1
        value = min(0.65, 0.05 + 0.6 * (received / matched if matched else 0.5))
        text = tr("data.pages", n=done["pages"], received=received, matched=matched or "?")
        bar.progress(value, text=f"{tr('data.busy')} {steps[0]}: {text}")

    try:
        loaded = fetch_gemeente(  # PDOK and Overpass of the settings (a mirror, say)
            gemeente.strip(), year=int(year), osm=osm, progress=progress, pages=pages
        )
        if replacement(current(store()), loaded).other_gemeente:
            bar.empty()
            st.session_state[PENDING_KEY] = loaded  # saved only after the user says yes
            _confirm_replace(actor)
            return
        bar.progress(0.95, text=tr("data.saving"))
        message = tr("data.loaded", name=loaded.meta["name"], n=len(loaded.assets))
        _finish(loaded, actor, message=message)
    except AssetMapError as exc:
        bar.empty()
        show_error(exc)


def _confirm_replace(actor: str) -> None:
    """Ask before a downloaded gemeente replaces the workspace of another one."""
    loaded = st.session_state.get(PENDING_KEY)
    if loaded is None:
        return
    old = replacement(current(store()), loaded).other_gemeente
    if old is None:  # the workspace changed meanwhile: nothing to replace any more
        st.session_state.pop(PENDING_KEY, None)
        return
    new = str(loaded.meta.get("name") or "")
    st.warning(tr("data.replace_warning", old=old, new=new))
    sure = st.checkbox(tr("data.replace_confirm", old=old), key="data_replace_ok")
    if st.button(tr("data.replace_go", new=new), disabled=not sure, key="data_replace_go"):
        st.session_state.pop(PENDING_KEY, None)
        st.session_state.pop("data_replace_ok", None)
        message = tr("data.loaded", name=new, n=len(loaded.assets))
        _finish(loaded, actor, message=message)


def upload(ws: Workspace, actor: str) -> None:
    """Upload a file, map its columns and types onto ours, preview, then import."""
    st.subheader(tr("data.upload_title"))
    lang = current_lang()
    kinds = ["assets", "areas", "figures"]
    kind_key, kind_now = choice_key("data_kind", kinds[0])
    kind = st.radio(
        tr("data.kind"),
        kinds,
        index=option_index(kinds, kind_now),
        horizontal=True,
        format_func=lambda k: t(f"data.kind.{k}", lang),
        key=kind_key,
    )
    # One uploader per kind: switching kind never carries a file of the other kind along.
    # A finished import starts a new round: a new, empty uploader.
    round_ = st.session_state.get(ROUND_KEY, 0)
    key = f"data_file_{kind}" + (f"_{round_}" if round_ else "")
    if kind == "areas":  # one or more files, level by level
        upload_areas(ws, actor, key=key)
        return
    file = st.file_uploader(tr(f"data.file.{kind}"), type=FILE_TYPES[kind], key=key)
    if file is None:
        forget_upload()
        return
    path = saved(file.name, file.getvalue())
    if kind == "figures":
        _figures(path, actor)
        return
    osm = osm_kind(path) if kind == "assets" else None
    source = Path(file.name).name.split(".")[0]
    licence = ""
    if osm is None:
        source = st.text_input(tr("data.source"), value=source, key="data_source")
        licence = st.text_input(tr("data.licence"), key="data_licence")
    year = year_input(path)
    try:
        if osm is not None:
            st.info(tr("data.osm_file"))
            result = read_any_assets(path)
            source, licence = osm_source()["name"], osm_source()["licence"]
        else:
            crs = crs_choice(path)
            raw = read_raw(path, crs=crs)
            columns = [str(c) for c in raw.frame.columns if c != raw.frame.geometry.name]
            mapped = read_mapped_assets(path, raw.frame, columns, source, crs=crs)
            if mapped is None:  # a mapping file is still to be chosen
                return
            result = mapped
    except AssetMapError as exc:
        show_error(exc, prefix=False)
        return
    if kind == "assets":
        type_counts(result.frame)
    preview(result.frame, result.notes)
    if kind == "assets" and osm is None and "data_mapping_toml" in st.session_state:
        st.download_button(
            tr("data.mapping_download"),
            st.session_state["data_mapping_toml"],
            "mapping.toml",
            "text/plain",
            key="data_mapping_dl",
        )
    if st.button(tr("data.import"), type="primary", key="data_import"):
        entry = {"name": source, "licence": licence, "year": year, "layer": kind}
        _import(ws, result.frame, entry, actor)


def _figures(path: Path, actor: str) -> None:
    """Join a Kerncijfers CSV onto the stored wijken and buurten."""
    st.caption(tr("data.figures_intro"))
    given = st.number_input(
        tr("data.figures_year"), 0, date.today().year + 1, 0, key="data_figures_year"
    )
    if not st.button(tr("data.figures_add"), type="primary", key="data_figures_add"):
        return
    try:
        loaded = import_figures(store(), path, actor=actor, year=int(given) or None)
    except AssetMapError as exc:
        show_error(exc, prefix=False)
        return
    forget_upload(clear=True)
    remember(tr("data.figures_added", file=path.name), loaded)


def _import(ws: Workspace, frame: pd.DataFrame, entry: dict[str, Any], actor: str) -> None:
    """Add places to the workspace (the areas upload: :mod:`asset_map.ui.data_areas`)."""
    if ws.is_demo or not len(ws.areas):
        st.error(tr("data.needs_areas"))
        return
    new = assets_loaded(frame, entry)
    try:
        _finish(new, actor, uploaded=True)
    except AssetMapError as exc:
        show_error(exc, prefix=False)


def what_is_loaded(ws: Workspace) -> None:
    """Show the number of places per source and type."""
    lang = current_lang()
    cat = catalogue()
    st.subheader(tr("about.counts"))
    if len(ws.assets):
        table = pd.crosstab(
            ws.assets["source"].fillna(""),
            ws.assets["type"].map(lambda k: cat.types[k].label(lang)),
        )
        table.index.name = tr("about.source_name")
        table.columns.name = None
        st.dataframe(table, width="stretch")
