"""What the data screen's uploads share: the upload folder, questions, preview and result.

The private folder of an uploaded file, the year, CRS and layer asked of a file, the
preview, errors, and the result shown after the page runs again.

Used by :mod:`asset_map.ui.data` (places and key figures, a gemeente's download) and
:mod:`asset_map.ui.data_areas` (wijken and buurten).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError, DownloadError
from asset_map.i18n import Msg, localise, metres, t
from asset_map.io import read_areas
from asset_map.io.file_facts import file_facts
from asset_map.io.formats import list_layers, read_raw
from asset_map.model import catalogue
from asset_map.services.decisions import decision_lines, decisions_csv
from asset_map.services.sources import Loaded
from asset_map.ui.safe import explain_here
from asset_map.ui.state import choice_key, current_lang, option_index, pick, tr
from asset_map.ui.uploads import in_use, new_upload_folder

NONE = ""
#: Session keys: the private folder of the uploaded file, and how often an upload was done
#: (part of the uploader's key, so a finished import empties it).
UPLOAD_KEY = "data_upload"
ROUND_KEY = "data_upload_round"
#: Session key of the result of the last load or import, shown after the rerun.
RESULT_KEY = "data_result"
#: Pairs of likely duplicates shown in the table at most; all are in the download.
TABLE_ROWS = 1000
#: Session key (per language, ``state.choice_key``) of the chosen layer of an areas file.
LAYER_KEY = "data_layer"
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
    decisions, groups = result["decisions"], result["groups"]
    if len(decisions):  # a line per group (a few), the pairs and the full list folded away
        st.markdown(f"**{tr('data.decisions')}**")
        for line in decision_lines(groups, decisions, hint=Msg("decisions.hint_screen")):
            st.text(localise(line, lang))  # names are data: plain text, never markdown
        with st.expander(tr("data.decisions_all", n=len(result["grouped"]))):
            shown = decisions.head(TABLE_ROWS)
            st.dataframe(_decisions_table(shown), hide_index=True, width="stretch")
            if len(decisions) > TABLE_ROWS:
                st.caption(tr("data.decisions_cut", n=TABLE_ROWS, total=len(decisions)))
            st.download_button(
                tr("data.decisions_download"),
                decisions_csv(result["grouped"], lang),
                file_name="dubbele_plekken.csv" if lang == "nl" else "likely_duplicates.csv",
                mime="text/csv",
            )


def _decisions_table(pairs: pd.DataFrame) -> pd.DataFrame:
    lang = current_lang()
    shown = pd.DataFrame(
        {
            tr("data.dup.name_a"): pairs["name_a"],
            tr("data.dup.name_b"): pairs["name_b"],
            tr("data.dup.sources"): pairs["source_a"].astype(str) + " / " + pairs["source_b"],
            tr("data.dup.distance_m"): [metres(m, lang) for m in pairs["distance_m"].astype(float)],
            tr("data.dup.decision"): pairs["decision"].map(
                lambda d: tr("data.dup.merge") if d == "merge" else tr("data.dup.keep")
            ),
            tr("data.dup.reason"): pairs["reason"].map(lambda r: localise(r, lang)),
        }
    )
    return shown


def result_message(combined: Loaded, *, rows: int) -> str:
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


def remember(message: str, loaded: Loaded) -> None:
    """Keep the result for :func:`show_result` and run the page again."""
    st.session_state[RESULT_KEY] = {
        "message": message,
        "notes": list(loaded.notes),
        "decisions": loaded.decisions,
        "groups": loaded.groups,
        "grouped": loaded.grouped,
    }
    st.rerun()


def show_error(exc: AssetMapError, *, prefix: bool = True) -> None:
    """Show an error in the reader's language; a download's technical detail folded away."""
    text = explain_here(exc, current_lang())
    if isinstance(exc, DownloadError):  # OverpassError too
        plain, _, detail = text.partition("\n")
        st.error(f"{plain} {tr('data.nothing_changed')}")
        if detail:
            with st.expander(tr("data.details")):
                st.text(detail)
        return
    st.error(f"{tr('data.failed')} {text}" if prefix else text)


def saved(name: str, content: bytes) -> Path:
    """Keep an uploaded file in a private folder (mode 0700) of this session, once per content.

    Every rerun of the page reuses it; another file, an empty uploader or a finished import
    deletes it (:func:`forget_upload`), and the end of the session at the latest
    (:mod:`asset_map.ui.uploads`).
    """
    digest = hashlib.sha256(content).hexdigest()
    kept = st.session_state.get(UPLOAD_KEY)
    if kept and kept["digest"] == digest and Path(kept["path"]).exists():
        in_use(Path(kept["path"]))
        return Path(kept["path"])
    forget_upload()
    folder = new_upload_folder()  # only we may read it; it goes with the session at the latest
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


def year_input(path: Path) -> int | None:
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


def read_areas_file(path: Path) -> Any:
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
    crs = crs_choice(path, layer=layer or None)
    return read_areas(path, layer=layer or None, gemeente=gemeente or None, crs=crs)


def crs_choice(path: Path, *, layer: str | None = None) -> str | None:
    """Offer a CRS when the file does not say its own (CSV without lon/lat, bare Shapefile)."""
    try:
        known = read_raw(path, layer=layer).frame.crs is not None
    except AssetMapError:
        known = False  # e.g. a Shapefile without .prj: the reader asks for a CRS
    if known:
        return None
    lang = current_lang()
    return str(
        pick(
            st.selectbox,
            tr("data.crs"),
            CRS_CHOICES,
            key="data_crs",
            default=CRS_CHOICES[0],
            format_func=lambda c: t(f"data.crs.{c.split(':')[1]}", lang),
        )
    )


def preview(frame: pd.DataFrame, notes: list[str]) -> None:
    """Show the first rows of what was read (types by their label) and the first notes."""
    lang = current_lang()
    cat = catalogue()
    st.markdown(f"**{tr('data.preview', n=len(frame))}**")
    shown = pd.DataFrame(frame.drop(columns="geometry")).head(20)
    if "type" in shown.columns:
        shown["type"] = shown["type"].map(lambda k: cat.types[k].label(lang))
    st.dataframe(shown, hide_index=True, width="stretch")
    for note in notes[:20]:
        st.caption(localise(note, lang))
