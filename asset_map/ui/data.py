"""Widgets of the data screen: load a gemeente, upload own files, see what is loaded.

Every load and import ends the same way (:func:`_finish`): the new layers are combined with
the stored workspace (:func:`asset_map.services.sources.combine`), saved in one go, and the
page runs again so everything on it shows the new workspace; the result message waits in the
session until :func:`show_result` shows it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg, explain, localise, t
from asset_map.io import read_areas
from asset_map.io._overpass import OVERPASS_URL, OverpassError
from asset_map.io._pdok import PDOK_BASE, YEARS, DownloadError
from asset_map.io.file_facts import file_facts
from asset_map.io.formats import list_layers, read_raw
from asset_map.model import AREA_COLUMNS, catalogue
from asset_map.services import sources
from asset_map.services.workspace import Workspace
from asset_map.ui.data_mapping import read_mapped_assets, type_counts
from asset_map.ui.loaders import store
from asset_map.ui.state import choice_key, current_lang, option_index, tr

NONE = ""
#: Session keys: the private folder of the uploaded file, and how often an upload was done
#: (part of the uploader's key, so a finished import empties it).
UPLOAD_KEY = "data_upload"
ROUND_KEY = "data_upload_round"
#: Another PDOK or Overpass address (a mirror; the tests' local servers), like the CLI's
#: ``--pdok-url`` and ``--overpass-url``.
PDOK_URL_ENV = "ASSET_MAP_PDOK_URL"
OVERPASS_URL_ENV = "ASSET_MAP_OVERPASS_URL"
#: Session key of the result of the last load or import, shown after the rerun.
RESULT_KEY = "data_result"
#: Session key (per language, ``state.choice_key``) of the chosen layer of an areas file.
LAYER_KEY = "data_layer"
#: Session key of a downloaded gemeente that waits for the user's yes (it replaces another).
PENDING_KEY = "data_pending"
#: CRSs offered for files that do not say theirs.
CRS_CHOICES = ("EPSG:28992", "EPSG:4326")
FILE_TYPES = {
    "assets": ["geojson", "json", "gpkg", "zip", "csv", "pbf", "osm"],
    "areas": ["geojson", "json", "gpkg", "zip"],
    "figures": ["csv"],
}


def show_result() -> None:
    """Show what the last load or import did: message, notes and duplicate decisions."""
    result = st.session_state.pop(RESULT_KEY, None)
    if not result:
        return
    lang = current_lang()
    st.success(result["message"])
    notes = [localise(n, lang) for n in result["notes"]]
    if notes:
        with st.expander(tr("notes.header", n=len(notes))):
            for note in notes:
                st.text(note)
    decisions = result["decisions"]
    if len(decisions):  # every pair found, with what was done and why
        st.markdown(f"**{tr('data.decisions')}**")
        st.dataframe(_decisions_table(decisions), hide_index=True, width="stretch")


def _decisions_table(pairs: pd.DataFrame) -> pd.DataFrame:
    lang = current_lang()
    shown = pd.DataFrame(
        {
            tr("data.dup.name_a"): pairs["name_a"],
            tr("data.dup.name_b"): pairs["name_b"],
            tr("data.dup.sources"): pairs["source_a"].astype(str) + " / " + pairs["source_b"],
            tr("data.dup.distance_m"): pairs["distance_m"].astype(float).round(1),
            tr("data.dup.decision"): pairs["decision"].map(
                lambda d: tr("data.dup.merge") if d == "merge" else tr("data.dup.keep")
            ),
            tr("data.dup.reason"): pairs["reason"].map(lambda r: localise(r, lang)),
        }
    )
    return shown


def _finish(
    new: sources.Loaded, actor: str, *, message: str | None = None, uploaded: bool = False
) -> None:
    """Combine ``new`` with the stored workspace, save it, and run the page again.

    Without ``message`` the result says how many rows were added or replaced, and how many
    duplicates merged. ``uploaded``: the uploaded file is deleted once saved.
    """
    combined = sources.combine(sources.current(store()), new)
    sources.save(store(), combined, actor=actor)
    if uploaded:
        forget_upload(clear=True)
    if message is None:
        message = result_message(combined, rows=len(new.areas) + len(new.assets))
    _remember(message, combined)


def result_message(combined: sources.Loaded, *, rows: int) -> str:
    """Say how many rows were added (or replaced those of the same source) and merged."""
    replaced = sum(
        int(str(note.fields.get("n", 0)))
        for note in combined.notes
        if isinstance(note, Msg) and note.key == "note.sources.replaced"
    )
    if replaced:
        parts = [tr("data.result.replaced", n=rows, old=replaced)]
    else:
        parts = [tr("data.result.added_one" if rows == 1 else "data.result.added", n=rows)]
    pairs = combined.decisions
    merged = int((pairs["decision"] == "merge").sum()) if len(pairs) else 0
    if merged:
        parts.append(
            tr("data.result.merged_one" if merged == 1 else "data.result.merged", n=merged)
        )
    return " ".join(parts)


def _remember(message: str, loaded: sources.Loaded) -> None:
    """Keep the result for :func:`show_result` and run the page again."""
    st.session_state[RESULT_KEY] = {
        "message": message,
        "notes": list(loaded.notes),
        "decisions": loaded.decisions,
    }
    st.rerun()


def _show_error(exc: AssetMapError, *, prefix: bool = True) -> None:
    """Show an error in the reader's language; a download's technical detail folded away."""
    text = explain(exc, current_lang())
    if isinstance(exc, DownloadError | OverpassError):
        plain, _, detail = text.partition("\n")
        st.error(f"{plain} {tr('data.nothing_changed')}")
        if detail:
            with st.expander(tr("data.details")):
                st.text(detail)
        return
    st.error(f"{tr('data.failed')} {text}" if prefix else text)


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
        loaded = sources.fetch_gemeente(
            gemeente.strip(),
            year=int(year),
            osm=osm,
            pdok_base=os.environ.get(PDOK_URL_ENV) or PDOK_BASE,
            overpass_url=os.environ.get(OVERPASS_URL_ENV) or OVERPASS_URL,
            progress=progress,
            pages=pages,
        )
        if sources.replaces_other_gemeente(sources.current(store()), loaded):
            bar.empty()
            st.session_state[PENDING_KEY] = loaded  # saved only after the user says yes
            _confirm_replace(actor)
            return
        bar.progress(0.95, text=tr("data.saving"))
        message = tr("data.loaded", name=loaded.meta["name"], n=len(loaded.assets))
        _finish(loaded, actor, message=message)
    except AssetMapError as exc:
        bar.empty()
        _show_error(exc)


def _confirm_replace(actor: str) -> None:
    """Ask before a downloaded gemeente replaces the workspace of another one."""
    loaded = st.session_state.get(PENDING_KEY)
    if loaded is None:
        return
    old = sources.replaces_other_gemeente(sources.current(store()), loaded)
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
    if kind == "areas":  # one or more files, level by level (it uses this module's helpers)
        from asset_map.ui.data_areas import upload_areas

        upload_areas(ws, actor, key=key)
        return
    file = st.file_uploader(tr(f"data.file.{kind}"), type=FILE_TYPES[kind], key=key)
    if file is None:
        forget_upload()
        return
    path = _saved(file.name, file.getvalue())
    if kind == "figures":
        _figures(path, actor)
        return
    osm_kind = sources.osm_kind(path) if kind == "assets" else None
    source = Path(file.name).name.split(".")[0]
    licence = ""
    if osm_kind is None:
        source = st.text_input(tr("data.source"), value=source, key="data_source")
        licence = st.text_input(tr("data.licence"), key="data_licence")
    year = _year_input(path)
    try:
        if osm_kind is not None:
            st.info(tr("data.osm_file"))
            result = sources.read_any_assets(path)
            source, licence = sources.osm_source()["name"], sources.osm_source()["licence"]
        else:
            crs = _crs_choice(path)
            raw = read_raw(path, crs=crs)
            columns = [str(c) for c in raw.frame.columns if c != raw.frame.geometry.name]
            mapped = read_mapped_assets(path, raw.frame, columns, source, crs=crs)
            if mapped is None:  # a mapping file is still to be chosen
                return
            result = mapped
    except AssetMapError as exc:
        _show_error(exc, prefix=False)
        return
    if kind == "assets":
        type_counts(result.frame)
    _preview(result.frame, result.notes)
    if kind == "assets" and osm_kind is None and "data_mapping_toml" in st.session_state:
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


def _saved(name: str, content: bytes) -> Path:
    """Keep an uploaded file in a private folder (mode 0700) of this session, once per content.

    Every rerun of the page reuses it; another file, an empty uploader or a finished import
    deletes it (:func:`forget_upload`).
    """
    digest = hashlib.sha256(content).hexdigest()
    kept = st.session_state.get(UPLOAD_KEY)
    if kept and kept["digest"] == digest and Path(kept["path"]).exists():
        return Path(kept["path"])
    forget_upload()
    folder = Path(tempfile.mkdtemp(prefix="asset_map_upload_"))  # only we may read it
    path = folder / (Path(name).name or "upload")
    path.write_bytes(content)
    path.chmod(0o600)
    st.session_state[UPLOAD_KEY] = {"digest": digest, "path": str(path)}
    return path


def forget_upload(*, clear: bool = False) -> None:
    """Delete the uploaded file of this session; ``clear`` also empties the uploader."""
    kept = st.session_state.pop(UPLOAD_KEY, None)
    if kept:
        shutil.rmtree(Path(kept["path"]).parent, ignore_errors=True)
    if clear:
        st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1


def _year_input(path: Path) -> int | None:
    """Ask the source's year: the year the file holds, else empty ("onbekend")."""
    if st.session_state.get("data_year_of") != str(path):  # a new file: its own year
        st.session_state["data_year_of"] = str(path)
        st.session_state["data_source_year"] = file_facts(path)[0]
    this_year = date.today().year
    year = st.number_input(
        tr("data.year"),
        1900,
        this_year + 1,
        value=None,
        step=1,
        placeholder=tr("data.year_unknown"),
        key="data_source_year",
    )
    return int(year) if year is not None else None


def _read_areas(path: Path) -> Any:
    """Ask for the layer, the gemeente and (when the file has none) the CRS; read the areas."""
    layers = list_layers(path)
    lang = current_lang()
    layer = None
    if len(layers) > 1:
        options = [NONE, *layers]
        layer_key, layer_now = choice_key(LAYER_KEY, NONE)
        layer = st.selectbox(
            tr("data.layer"),
            options,
            index=option_index(options, layer_now),
            format_func=lambda n: t("data.layer_auto", lang) if n == NONE else n,
            key=layer_key,
        )
    gemeente = st.text_input(tr("data.area_gemeente"), key="data_area_gm").strip()
    crs = _crs_choice(path, layer=layer or None)
    return read_areas(path, layer=layer or None, gemeente=gemeente or None, crs=crs)


def _crs_choice(path: Path, *, layer: str | None = None) -> str | None:
    """Offer a CRS when the file does not say its own (CSV without lon/lat, bare Shapefile)."""
    try:
        known = read_raw(path, layer=layer).frame.crs is not None
    except AssetMapError:
        known = False  # e.g. a Shapefile without .prj: the reader asks for a CRS
    if known:
        return None
    lang = current_lang()
    crs_key, crs_now = choice_key("data_crs", CRS_CHOICES[0])
    return str(
        st.selectbox(
            tr("data.crs"),
            CRS_CHOICES,
            index=option_index(CRS_CHOICES, crs_now),
            format_func=lambda c: t(f"data.crs.{c.split(':')[1]}", lang),
            key=crs_key,
        )
    )


def _preview(frame: pd.DataFrame, notes: list[str]) -> None:
    lang = current_lang()
    cat = catalogue()
    st.markdown(f"**{tr('data.preview', n=len(frame))}**")
    shown = pd.DataFrame(frame.drop(columns="geometry")).head(20)
    if "type" in shown.columns:
        shown["type"] = shown["type"].map(lambda k: cat.types[k].label(lang))
    st.dataframe(shown, hide_index=True, width="stretch")
    for note in notes[:20]:
        st.caption(localise(note, lang))


def _figures(path: Path, actor: str) -> None:
    """Join a Kerncijfers CSV onto the stored wijken and buurten."""
    st.caption(tr("data.figures_intro"))
    given = st.number_input(
        tr("data.figures_year"), 0, date.today().year + 1, 0, key="data_figures_year"
    )
    if not st.button(tr("data.figures_add"), type="primary", key="data_figures_add"):
        return
    try:
        loaded = sources.add_figures(sources.current(store()), path, year=int(given) or None)
        sources.save(store(), loaded, actor=actor)
    except AssetMapError as exc:
        _show_error(exc, prefix=False)
        return
    forget_upload(clear=True)
    _remember(tr("data.figures_added", file=path.name), loaded)


def _import(ws: Workspace, frame: pd.DataFrame, entry: dict[str, Any], actor: str) -> None:
    """Add places to the workspace (the areas upload: :mod:`asset_map.ui.data_areas`)."""
    if ws.is_demo or not len(ws.areas):
        st.error(tr("data.needs_areas"))
        return
    meta: dict[str, Any] = {"is_demo": False, "sources": [entry]}
    new = sources.Loaded(_empty(AREA_COLUMNS), frame, meta)
    try:
        _finish(new, actor, uploaded=True)
    except AssetMapError as exc:
        _show_error(exc, prefix=False)


def _other_gemeente(ws: Workspace, new: sources.Loaded) -> bool:
    """Tell whether ``new`` would replace the own (not the demo) workspace of a gemeente."""
    current = sources.Loaded(ws.areas, ws.assets, dict(ws.meta))
    return sources.replaces_other_gemeente(current, new) is not None


def _empty(columns: list[str] | tuple[str, ...]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs="EPSG:4326")


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
