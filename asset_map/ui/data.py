"""Widgets of the data screen: load a gemeente, upload own files, see what is loaded."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from asset_map import sources
from asset_map._errors import AssetMapError
from asset_map.io import read_areas, read_assets
from asset_map.io.formats import read_raw
from asset_map.io.mapping import parse_mapping
from asset_map.model import catalogue
from asset_map.ui.loaders import store
from asset_map.ui.state import current_lang, tr
from asset_map.workspace import Workspace

NONE = ""
UPLOADS = Path(tempfile.gettempdir()) / "asset_map_uploads"
OUR_ASSET_COLUMNS = ("name", "type", "description", "address", "id", "tags")


def load_gemeente(actor: str) -> None:
    """Download a gemeente (CBS/PDOK and OpenStreetMap) into the workspace, with progress."""
    st.subheader(tr("data.gemeente_title"))
    st.write(tr("data.gemeente_intro"))
    with st.form("data_gemeente"):
        gemeente = st.text_input(tr("data.gemeente"), placeholder="Deventer", key="data_gm")
        year = st.selectbox(tr("data.year"), [2024, 2023, 2022], key="data_year")
        osm = st.checkbox(tr("data.osm"), value=True, key="data_osm")
        submitted = st.form_submit_button(tr("data.load"), type="primary")
    if not submitted or not gemeente.strip():
        return
    bar = st.progress(0.0, text=tr("data.busy"))
    steps = iter((0.1, 0.6))

    def progress(what: str) -> None:
        bar.progress(next(steps, 0.9), text=f"{tr('data.busy')} {what}")

    try:
        loaded = sources.fetch_gemeente(
            gemeente.strip(), year=int(year), osm=osm, progress=progress
        )
        sources.save(store(), loaded, actor=actor)
    except AssetMapError as exc:
        bar.empty()
        st.error(f"{tr('data.failed')} {exc}")
        return
    bar.progress(1.0, text=tr("data.done"))
    st.success(tr("data.loaded", name=loaded.meta["name"], n=len(loaded.assets)))


def upload(ws: Workspace, actor: str) -> None:
    """Upload a file, map its columns and types onto ours, preview, then import."""
    lang = current_lang()
    cat = catalogue()
    st.subheader(tr("data.upload_title"))
    kind = st.radio(
        tr("data.kind"),
        ["assets", "areas"],
        horizontal=True,
        format_func=lambda k: tr(f"data.kind.{k}"),
        key="data_kind",
    )
    # One uploader per kind: switching kind never carries a file of the other kind along.
    file = st.file_uploader(
        tr(f"data.file.{kind}"),
        type=["geojson", "json", "gpkg", "zip", "csv"],
        key=f"data_file_{kind}",
    )
    if file is None:
        return
    # One folder per file content: every rerun of the page reuses it instead of writing anew.
    content = file.getvalue()
    folder = UPLOADS / hashlib.sha256(content).hexdigest()[:16]
    path = folder / Path(file.name).name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    try:
        raw = read_raw(path)
    except AssetMapError as exc:
        st.error(str(exc))
        return
    columns = [str(c) for c in raw.frame.columns if c != raw.frame.geometry.name]
    source = st.text_input(tr("data.source"), value=Path(file.name).stem, key="data_source")
    licence = st.text_input(tr("data.licence"), key="data_licence")
    year = st.number_input(tr("data.year"), 1900, 2100, 2026, key="data_source_year")
    try:
        if kind == "areas":
            result = read_areas(path)
        elif sources.osm_kind(path):
            st.info(tr("data.osm_file"))
            result = sources.read_any_assets(path)
            source = sources.osm_source()["name"]
            licence = sources.osm_source()["licence"]
        else:
            mapping = parse_mapping(_mapping_toml(raw.frame, columns, source), "upload")
            result = read_assets(path, mapping=mapping, source=source)
    except AssetMapError as exc:
        st.error(str(exc))
        return
    st.markdown(f"**{tr('data.preview', n=len(result.frame))}**")
    shown = pd.DataFrame(result.frame.drop(columns="geometry")).head(20)
    if "type" in shown.columns:
        shown["type"] = shown["type"].map(lambda k: cat.types[k].label(lang))
    st.dataframe(shown, hide_index=True, width="stretch")
    for note in result.notes[:20]:
        st.caption(note)
    if kind == "assets" and "data_mapping_toml" in st.session_state and not sources.osm_kind(path):
        st.download_button(
            tr("data.mapping_download"),
            st.session_state["data_mapping_toml"],
            "mapping.toml",
            "text/plain",
            key="data_mapping_dl",
        )
    if st.button(tr("data.import"), type="primary", key="data_import"):
        _import(kind, result.frame, source, licence, int(year), actor)


def _mapping_toml(frame: pd.DataFrame, columns: list[str], source: str) -> str:
    """Let the user pick their column for each of ours, and our type for each value; as TOML."""
    cat = catalogue()
    lang = current_lang()
    st.markdown(f"**{tr('data.columns')}**")
    chosen: dict[str, str] = {}
    cols = st.columns(3)
    for i, ours in enumerate(OUR_ASSET_COLUMNS):
        guess = _guess(ours, columns)
        options = [NONE, *columns]
        chosen[ours] = cols[i % 3].selectbox(
            tr(f"data.col.{ours}"),
            options,
            index=options.index(guess),
            format_func=lambda c: tr("data.none") if c == NONE else c,
            key=f"data_col_{ours}",
        )
    lines = [f"[assets]\nsource = {json.dumps(source)}", "[assets.columns]"]
    lines += [
        f"{ours} = {json.dumps(theirs)}"
        for ours, theirs in chosen.items()
        if theirs and ours != "type"
    ]
    type_keys = list(cat.types)
    if chosen["type"]:
        st.markdown(f"**{tr('data.types')}**")
        values = [v for v in pd.unique(frame[chosen["type"]].astype(str)) if v][:60]
        table = {}
        cols = st.columns(3)
        for i, value in enumerate(values):
            found = cat.type_for(value)
            table[value] = cols[i % 3].selectbox(
                value,
                type_keys,
                index=type_keys.index(found.key if found else "overig"),
                format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
                key=f"data_type_{i}",
            )
        lines.append(f"[assets.type]\nfrom = [{json.dumps(chosen['type'])}]")
        lines.append(f"[assets.type.{json.dumps(chosen['type'])}]")
        lines += [f"{json.dumps(v)} = {json.dumps(k)}" for v, k in table.items()]
    else:
        one = st.selectbox(
            tr("data.one_type"),
            type_keys,
            index=type_keys.index("overig"),
            format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
            key="data_one_type",
        )
        lines.append(f'[assets.type]\nfrom = []\ndefault = "{one}"')
    text = "\n".join(lines) + "\n"
    st.session_state["data_mapping_toml"] = text
    return text


def _guess(ours: str, columns: list[str]) -> str:
    from asset_map.model import COLUMN_ALIASES

    names = {ours, *COLUMN_ALIASES.get(ours, ())}
    return next((c for c in columns if c.lower() in names), NONE)


def _import(
    kind: str, frame: pd.DataFrame, source: str, licence: str, year: int, actor: str
) -> None:
    import geopandas as gpd

    from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS

    now = sources.current(store())
    empty_or_demo = now is None or bool(now.meta.get("is_demo"))
    meta = {"is_demo": False, "sources": [{"name": source, "licence": licence, "year": year}]}
    if kind == "areas":
        no_assets = gpd.GeoDataFrame(columns=ASSET_COLUMNS, geometry="geometry", crs="EPSG:4326")
        new = sources.Loaded(frame, no_assets, meta)
    else:
        if empty_or_demo:
            st.error(tr("data.needs_areas"))
            return
        no_areas = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:4326")
        new = sources.Loaded(no_areas, frame, meta)
    if empty_or_demo:
        meta["name"] = source
    loaded = sources.combine(None if empty_or_demo else now, new)
    try:
        sources.save(store(), loaded, actor=actor)
    except AssetMapError as exc:
        st.error(str(exc))
        return
    merged = int((loaded.decisions["decision"] == "merge").sum()) if len(loaded.decisions) else 0
    st.success(tr("data.imported", n=len(frame), merged=merged))
    if len(loaded.decisions):  # every pair found, with what was done and why
        st.markdown(f"**{tr('data.decisions')}**")
        shown = ["name_a", "name_b", "source_a", "source_b", "distance_m", "decision", "reason"]
        st.dataframe(loaded.decisions[shown].round(1), hide_index=True, width="stretch")


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
        st.dataframe(table, width="stretch")
