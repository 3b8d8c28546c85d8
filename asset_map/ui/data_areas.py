"""The areas upload of the data screen: wijken and buurten, together or one after the other.

The uploader takes one or more files (a wijken and a buurten file, or one GeoPackage with
both layers). New areas replace the stored areas of their own level; the other level stays
when it fits (:func:`asset_map.services.imports.replacement`). When it does not fit, the
screen says which stored areas would go, and asks for a yes before the import. A small table
shows what is stored per level. The import itself is the CLI's
(:func:`asset_map.services.imports.import_into`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from asset_map._errors import AssetMapError
from asset_map.analysis.area_levels import level_count, level_counts, merge_levels
from asset_map.i18n import Msg, localise
from asset_map.io.area_files import AreaFiles, join_area_files, read_area_files
from asset_map.io.file_facts import file_facts
from asset_map.io.formats import read_raw
from asset_map.model import AREA_LEVELS
from asset_map.services.imports import areas_loaded, import_into, name_workspace, replacement
from asset_map.services.sources import Loaded, gemeente_of
from asset_map.services.workspace import Workspace
from asset_map.ui.data_upload import (
    FILE_TYPES,
    LAYER_KEY,
    NONE,
    UPLOAD_KEY,
    crs_choice,
    forget_upload,
    preview,
    read_areas_file,
    remember,
    result_message,
    show_error,
    year_input,
)
from asset_map.ui.loaders import store
from asset_map.ui.state import chosen, current_lang, tr
from asset_map.ui.uploads import in_use, new_upload_folder

#: Session key of the confirmation that stored areas that do not fit may go.
LEVELS_OK_KEY = "data_levels_replace_ok"


def upload_areas(ws: Workspace, actor: str, *, key: str) -> None:
    """Upload one or more files of wijken and buurten, preview them, then import.

    ``key`` is the uploader's key (``data_file_areas``, with the round of imports after it).
    """
    stored_levels(ws)
    files = st.file_uploader(
        tr("data.file.areas"),
        type=FILE_TYPES["areas"],
        accept_multiple_files=True,
        key=key,
        help=tr("data.file.areas_help"),
    )
    if not files:
        forget_upload()
        return
    paths = _saved_files(files)
    single = len(paths) == 1
    source = paths[0].name.split(".")[0]
    if single:
        source = st.text_input(tr("data.source"), value=source, key="data_source")
    licence = st.text_input(tr("data.licence"), key="data_licence")
    dated = next((p for p in paths if file_facts(p)[0] is not None), paths[0])
    year = year_input(dated)
    try:
        read = _read_files(paths)
    except AssetMapError as exc:
        show_error(exc, prefix=False)
        return
    preview(read.frame, read.notes)
    counts = level_counts(read.frame)
    st.caption(", ".join(level_count(lvl, n) for lvl, n in counts.items()))
    entries = {
        path: {
            "name": source if single else path.name.split(".")[0],
            "licence": licence,
            "year": year,
            "layer": "areas",
        }
        for path in read.levels
    }
    new = areas_loaded(read, entries)
    new.notes = []  # shown in the preview already
    sure, replace_levels = _confirm(ws, new)
    if st.button(tr("data.import"), type="primary", disabled=not sure, key="data_import"):
        _import(ws, new, paths, actor, replace_levels=replace_levels)


def _confirm(ws: Workspace, new: Loaded) -> tuple[bool, bool]:
    """Ask before the import replaces another gemeente, or removes stored areas.

    Returns whether the import may go ahead, and whether stored areas that do not fit may
    be removed.
    """
    replace = replacement(_stored(ws), new)
    if replace.other_gemeente:
        old = str(ws.meta.get("name") or "")
        st.warning(tr("data.replace_upload", old=old))
        sure = st.checkbox(tr("data.replace_confirm", old=old), key="data_replace_upload_ok")
        return sure, False
    levels = replace.levels
    if levels is None or not levels.removed:
        return True, False
    lang = current_lang()
    why, gone = localise(levels.misfit, lang), localise(levels.gone(), lang)
    st.warning(tr("data.levels_warning", why=why, gone=gone))
    sure = st.checkbox(tr("data.levels_confirm", gone=gone), key=LEVELS_OK_KEY)
    return sure, sure


def _read_files(paths: list[Path]) -> AreaFiles:
    """Ask for the gemeente (and the layer, and the CRS where a file has none); read."""
    if len(paths) == 1:  # one file: its layer may be chosen
        return join_area_files([(paths[0], read_areas_file(paths[0]))])
    gemeente = st.text_input(tr("data.area_gemeente"), key="data_area_gm").strip()
    unknown = [p for p in paths if not _crs_known(p)]
    crs = crs_choice(unknown[0]) if unknown else None
    return read_area_files(paths, crs={p: crs for p in unknown}, gemeente=gemeente or None)


def _crs_known(path: Path) -> bool:
    try:
        return read_raw(path).frame.crs is not None
    except AssetMapError:
        return False  # the reader asks for a CRS, or gives the precise error


def _saved_files(files: list[UploadedFile]) -> list[Path]:
    """Keep the uploaded files in one private folder (mode 0700) of this session.

    Every rerun reuses them while the same files are chosen; other files, an empty uploader
    or a finished import delete the folder (:func:`asset_map.ui.data.forget_upload`).
    """
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0" + file.getvalue())
    key = "areas:" + digest.hexdigest()
    kept = st.session_state.get(UPLOAD_KEY)
    if kept and kept["digest"] == key and all(Path(p).exists() for p in kept.get("paths", [])):
        in_use(Path(kept["path"]))
        return [Path(p) for p in kept["paths"]]
    forget_upload()
    folder = new_upload_folder()  # only we may read it; it goes with the session at the latest
    paths: list[Path] = []
    for i, file in enumerate(files):
        name = Path(file.name).name or "upload"
        target = folder / name if name not in {p.name for p in paths} else folder / str(i) / name
        target.parent.mkdir(mode=0o700, exist_ok=True)
        target.write_bytes(file.getvalue())
        target.chmod(0o600)
        paths.append(target)
    # forget_upload deletes the folder of "path": the folder that holds them all.
    st.session_state[UPLOAD_KEY] = {
        "digest": key,
        "path": str(folder / "upload"),
        "paths": [str(p) for p in paths],
    }
    return paths


def _stored(ws: Workspace) -> Loaded:
    return Loaded(ws.areas, ws.assets, dict(ws.meta))


def _import(
    ws: Workspace,
    new: Loaded,
    paths: list[Path],
    actor: str,
    *,
    replace_levels: bool,
) -> None:
    """Combine the areas with the stored workspace, save, and say per level what happened."""
    layer = (chosen(LAYER_KEY, NONE) or None) if len(paths) == 1 else None
    # A new workspace: named after the gemeente a file names, else after the source.
    fallback = str(new.meta["sources"][0]["name"])
    name_workspace(new, _stored(ws), paths, layer=layer, fallback=fallback)
    try:
        combined = import_into(store(), new, actor=actor, replace_levels=replace_levels)
    except AssetMapError as exc:
        show_error(exc, prefix=False)
        return
    forget_upload(clear=True)
    st.session_state.pop(LEVELS_OK_KEY, None)
    said = [n for n in combined.notes if isinstance(n, Msg) and n.key == "note.areas.levels"]
    levels = said[0] if said else merge_levels(new.areas.iloc[0:0], new.areas).note()
    message = result_message(combined, rows=len(new.areas))
    remember(f"{message} {localise(levels, current_lang())}", combined)


def stored_levels(ws: Workspace) -> None:
    """Show what is stored per level: how many, of which gemeente, from which source."""
    st.markdown(f"**{tr('data.stored_levels')}**")
    counts = level_counts(ws.areas)
    if not counts:
        st.caption(tr("data.stored_levels.none"))
        return
    code = gemeente_of(_stored(ws)) or ""
    name = str(ws.meta.get("name") or "")
    gemeente = f"{name} ({code})" if name and code and name != code else name or code
    listed = ws.meta.get("sources")
    entries = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    rows = []
    for lvl in AREA_LEVELS:
        if lvl not in counts:
            continue
        of_level = [e for e in entries if e.get("layer") == "areas" and _about(e, lvl, counts)]
        rows.append(
            {
                tr("data.stored_levels.level"): tr(f"data.level.{lvl}"),
                tr("data.stored_levels.count"): counts[lvl],
                tr("data.stored_levels.gemeente"): gemeente,
                tr("data.stored_levels.source"): "; ".join(_named(e) for e in of_level) or "-",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _about(entry: dict[str, Any], level: str, counts: dict[str, int]) -> bool:
    """Tell whether a source entry is about ``level`` (an entry without levels: all)."""
    return level in (entry.get("levels") or list(counts))


def _named(entry: dict[str, Any]) -> str:
    """Return ``"name (2014)"``, or ``"name (onbekend)"`` when the year is not known."""
    year = entry.get("year")
    shown = tr("data.year_unknown") if year in (None, "") else f"{year}"
    return f"{entry.get('name') or '-'} ({shown})"
