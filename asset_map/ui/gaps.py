"""Widgets of the 'Kansen' screen: parameters, the cached analysis, map, tables, downloads."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map._errors import AssetMapError
from asset_map.analysis.gaps import GapParams, GapResult, NeedWeights, analyse_gaps
from asset_map.analysis.wijk_figures import supported_need
from asset_map.i18n import Msg, explain, localise, t
from asset_map.io.export import cells_to_geojson, sites_to_csv, sites_to_geojson, table_to_csv
from asset_map.model import Lang, catalogue
from asset_map.render import vendor
from asset_map.render.gaps import build_gap_map
from asset_map.render.styles import format_number
from asset_map.services.workspace import Workspace
from asset_map.ui.state import among, choice_key, current_lang, option_index, tr

NEEDS = ("mix", "65plus", "single", "all", "custom")
CANDIDATES = ("planned", "hosts", "cells")
SOLVERS = ("greedy", "exact")


def parameter_form(ws: Workspace) -> tuple[GapParams, dict[str, tuple[bytes, str]]]:
    """Show the settings in a form; return the parameters and the uploaded files.

    The files are keyed ``"network"`` (a street network) and ``"grid"`` (a CBS population
    grid), each as (content, file name).
    """
    lang = current_lang()
    cat = catalogue()
    with st.form("gap_settings"):
        st.subheader(tr("gaps.settings"))
        left, right = st.columns(2)
        walk_min = left.slider(tr("gaps.walk_min"), 3, 30, 10, key="gap_walk_min")
        need_default = supported_need(ws.areas)  # "all" when only inhabitants are known
        need_key, need_now = choice_key("gap_need", need_default)
        need = left.selectbox(
            tr("gaps.need"),
            NEEDS,
            index=option_index(NEEDS, need_now),
            format_func=lambda k: t(f"gaps.need.{k}", lang),
            key=need_key,
        )
        if need_default != NEEDS[0] and need == need_default:
            left.caption(tr("gaps.need_from_figures"))
        include_planned = left.toggle(tr("gaps.what_if"), value=False, key="gap_what_if")
        new_sites = right.slider(tr("gaps.new_sites"), 0, 10, 3, key="gap_new_sites")
        candidates_key, candidates_now = choice_key("gap_candidates", ["planned", "hosts"])
        candidates = right.multiselect(
            tr("gaps.candidates"),
            CANDIDATES,
            default=among(candidates_now, CANDIDATES),
            format_func=lambda k: t(f"gaps.candidates.{k}", lang),
            key=candidates_key,
        )
        solver_key, solver_now = choice_key("gap_solver", SOLVERS[0])
        solver = right.radio(
            tr("gaps.solver"),
            SOLVERS,
            index=option_index(SOLVERS, solver_now),
            format_func=lambda k: t(f"gaps.solver.{k}", lang),
            horizontal=True,
            key=solver_key,
        )
        with st.expander(tr("gaps.more_settings")):
            speed = st.slider(tr("gaps.speed"), 2.0, 6.0, 4.5, 0.5, key="gap_speed")
            detour = st.slider(tr("gaps.detour"), 1.0, 2.0, 1.3, 0.05, key="gap_detour")
            cell_m = st.select_slider(
                tr("gaps.cell_m"), [50, 100, 200, 250, 500], value=100, key="gap_cell_m"
            )
            present = [k for k in cat.types if k in set(ws.assets["type"])]
            present_default = [k for k in cat.meeting_place_types() if k in present]
            meeting_key, meeting_now = choice_key("gap_meeting_types", present_default)
            meeting = st.multiselect(
                tr("gaps.meeting_types"),
                present,
                default=among(meeting_now, present),
                format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
                key=meeting_key,
            )
            st.caption(tr("gaps.custom_weights"))
            w_cols = st.columns(3)
            custom = (
                w_cols[0].number_input(tr("gaps.w_all"), 0.0, 10.0, 0.2, 0.1, key="gap_w_all"),
                w_cols[1].number_input(tr("gaps.w_65"), 0.0, 10.0, 0.4, 0.1, key="gap_w_65"),
                w_cols[2].number_input(tr("gaps.w_single"), 0.0, 10.0, 0.4, 0.1, key="gap_w_1"),
            )
            network = st.file_uploader(
                tr("gaps.network"), type=["osm", "pbf", "graphml"], key="gap_network"
            )
            grid = st.file_uploader(
                tr("gaps.population_grid"),
                type=["gpkg", "geojson", "json", "csv"],
                key="gap_grid",
            )
        st.form_submit_button(tr("gaps.run"), type="primary")
    k = int(new_sites)
    if k and not candidates:  # say it, and show the coverage without new sites
        st.warning(tr("gaps.no_candidate_kind"))
        k = 0
    if not meeting and present_default:  # cleared by the user: ask, do not guess
        st.warning(tr("gaps.no_meeting_types"))
        st.stop()
    if k and include_planned and "planned" in candidates and len(candidates) > 1:
        st.info(tr("gaps.planned_not_candidates"))  # (only 'planned': the analysis says so)
    try:
        params = GapParams(
            walk_min=float(walk_min),
            speed_kmh=float(speed),
            detour=float(detour),
            cell_m=float(cell_m),
            weights=NeedWeights(*custom) if need == "custom" else NeedWeights.preset(need),
            meeting_types=tuple(meeting) or None,
            include_planned=include_planned,
            new_sites=k,
            solver=solver,
            candidates=tuple(candidates),
        )
    except ValueError as exc:
        st.error(explain(exc, lang))
        st.stop()
    uploads = {
        kind: (f.getvalue(), f.name) for kind, f in (("network", network), ("grid", grid)) if f
    }
    return params, uploads


@st.cache_resource(show_spinner=False, max_entries=4)
def _read_upload(kind: str, digest: str, data: bytes, name: str) -> Any:
    """Read an uploaded street network or population grid (cached per file content)."""
    from asset_map.analysis.population_grid import read_population_grid
    from asset_map.io.network import read_walk_network

    suffix = ".osm.pbf" if name.endswith(".pbf") else Path(name).suffix
    stem = Path(name).name.split(".")[0] or kind
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        path.write_bytes(data)
        return read_walk_network(path) if kind == "network" else read_population_grid(path)


#: Results of the analysis per (data folder, parameters, uploaded files), newest last. A
#: plain dict behind a lock rather than ``st.cache_data``: the analysis reports its progress
#: to the page while it runs, and a cached function may not touch elements made outside it.
#: Shared by all sessions, like ``st.cache_data``; callers must not change a result.
_RESULTS: dict[tuple[str, GapParams, tuple[str, ...]], GapResult] = {}
_RESULTS_LOCK = threading.Lock()
MAX_RESULTS = 32
STAGES = ("demand", "distances", "coverage", "solver")


def _analyse(
    folder: str,
    params: GapParams,
    digests: tuple[str, ...],
    ws: Workspace,
    network: Any,
    grid: Any,
    progress: Callable[[str, float], None] | None = None,
) -> GapResult:
    """Return the analysis per (data folder, parameters, uploaded files), cached.

    Also used by the Werkbank (``workbench_figures.coverage``) with the default settings.
    """
    key = (folder, params, digests)
    with _RESULTS_LOCK:
        if key in _RESULTS:
            _RESULTS[key] = _RESULTS.pop(key)  # most recently used last
            return _RESULTS[key]
    result = analyse_gaps(
        ws.areas, ws.assets, params, network=network, population_grid=grid, progress=progress
    )
    with _RESULTS_LOCK:
        while len(_RESULTS) >= MAX_RESULTS:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[key] = result
    return result


def run(
    ws: Workspace, folder: str, params: GapParams, uploads: dict[str, tuple[bytes, str]]
) -> tuple[GapResult, GapResult | None] | None:
    """Run (or fetch from the cache) the analysis, with progress shown while it runs.

    Returns the result and, in what-if mode, the same analysis without the planned places
    (to show the change); None when the input was refused (the message is shown).
    """
    read: dict[str, Any] = {"network": None, "grid": None}
    digests = []
    try:
        with st.status(tr("gaps.running"), expanded=False) as status:
            bar = st.progress(0.0)

            def progress(stage: str, share: float) -> None:
                if stage in STAGES:
                    text = tr(f"gaps.stage.{stage}")
                    bar.progress(share, text=text)
                    status.update(label=text)

            start = time.perf_counter()
            for kind, (data, name) in uploads.items():
                digest = hashlib.sha256(data).hexdigest()
                digests.append(f"{kind}:{digest}")
                read[kind] = _read_upload(kind, digest, data, name)
            files = tuple(digests)
            result = _analyse(folder, params, files, ws, read["network"], read["grid"], progress)
            baseline = None
            if params.include_planned:
                plain = dataclasses.replace(params, include_planned=False, new_sites=0)
                baseline = _analyse(
                    folder, plain, files, ws, read["network"], read["grid"], progress
                )
            bar.progress(1.0)
            seconds = format_number(round(time.perf_counter() - start, 1), lang=current_lang())
            status.update(label=tr("gaps.done", seconds=seconds), state="complete")
    except AssetMapError as exc:
        st.error(explain(exc, current_lang()))
        return None
    return result, baseline


def localised_sites(sites: gpd.GeoDataFrame, lang: Lang) -> gpd.GeoDataFrame:
    """Return a copy of the suggested sites with their names in ``lang`` (grid cells).

    An infinite distance (no meeting place at all) becomes missing, so downloads stay valid
    JSON and CSV.
    """
    out = sites.copy()
    out["name"] = [localise(name, lang) for name in out["name"]]
    out["nearest_meeting_m"] = out["nearest_meeting_m"].where(
        np.isfinite(out["nearest_meeting_m"].astype("float64"))
    )
    return out


#: Notes about the input that change the figures a lot: shown as a warning, not folded away.
URGENT_NOTES = frozenset(
    {
        "note.gaps.network_partial",
        "note.gaps.network_elsewhere",
        "note.gaps.network_sites",
        "note.gaps.no_meeting_places",
        "note.gaps.no_meeting_places_now",
    }
)


def note_text(note: str, lang: Lang) -> str:
    """Return a note of the analysis in ``lang``, with asset types by their labels.

    The core names meeting-place types by key (``buurthuis, wijkhuiskamer``): the CLI user
    types those keys, a screen shows the labels instead.
    """
    if isinstance(note, Msg) and note.key in (
        "note.gaps.no_meeting_places",
        "note.gaps.no_meeting_places_now",
    ):
        types = catalogue().types
        keys = str(note.fields.get("types", "")).split(", ")
        labels = ", ".join(types[k].label(lang) if k in types else k for k in keys)
        return t(note.key, lang, types=labels)
    return localise(note, lang)


def _points(share: float, lang: Lang) -> str:
    """Return a share (0-1) as a percentage, e.g. ``46,4%``."""
    return format_number(100 * share, "%", lang)


def what_if_text(result: GapResult, baseline: GapResult, lang: Lang) -> str:
    """Say how much the planned huiskamers add, in percentage points."""
    with_, without = result.summary["share_before"], baseline.summary["share_before"]
    if result.summary["n_meeting_places"] == baseline.summary["n_meeting_places"]:
        return t("gaps.what_if_none", lang, share=_points(with_, lang))
    gain = round(100 * (with_ - without), 1)
    if gain <= 0:
        return t("gaps.what_if_same", lang, share=_points(with_, lang))
    return t(
        "gaps.what_if_gain",
        lang,
        without=_points(without, lang),
        with_=_points(with_, lang),
        gain=format_number(gain, lang=lang),
    )


def summary(result: GapResult, baseline: GapResult | None = None) -> None:
    """Show coverage now and with the new places, as figures.

    With a ``baseline`` (what-if mode) also the coverage without the planned places.
    """
    lang = current_lang()
    s = result.summary
    what_if = result.params.include_planned
    urgent = [w for w in result.warnings if getattr(w, "key", "") in URGENT_NOTES]
    for warning in urgent:
        st.warning(note_text(warning, lang))
    if baseline is not None:
        st.info(what_if_text(result, baseline, lang))
    cols = st.columns(3)
    cols[0].metric(tr("gaps.residents_total"), format_number(round(s["weighted_total"]), lang=lang))
    before = "gaps.share_with_planned" if what_if else "gaps.share_before"
    cols[1].metric(tr(before), _points(s["share_before"], lang))
    delta = round(100 * (s["share_after"] - s["share_before"]), 1)
    cols[2].metric(
        tr("gaps.share_after_planned" if what_if else "gaps.share_after"),
        _points(s["share_after"], lang),
        delta=tr("gaps.pp_delta", n=format_number(delta, lang=lang)) if delta > 0 else None,
    )
    if s.get("solver") == "exact" and s.get("mip_gap") is not None:
        st.caption(tr("gaps.mip_gap", gap=format_number(100 * float(s["mip_gap"]), "%", lang)))
    if s.get("buurten_estimated"):
        st.info(estimate_text(result, lang))
    others = [w for w in result.warnings if w not in urgent]
    if others:
        with st.expander(f"{tr('gaps.warnings')} ({len(others)})"):
            for warning in others:
                st.text(note_text(warning, lang))


def estimate_text(result: GapResult, lang: Lang) -> str:
    """Say how much of the analysis rests on figures estimated from the wijken."""
    s = result.summary
    n = int(s["buurten_estimated"])
    return t(
        "gaps.estimated_info",
        lang,
        buurten=t("note.gaps.buurten.one" if n == 1 else "note.gaps.buurten.many", lang, n=n),
        residents=format_number(round(s["residents_estimated"]), lang=lang),
        total=format_number(round(s["residents_total"]), lang=lang),
    )


def gap_map(ws: Workspace, result: GapResult, *, basemap: str) -> None:
    """Draw the map: coverage per buurt, residents beyond walking distance, new sites."""
    lang = current_lang()
    after = st.toggle(tr("gaps.show_after"), value=True, key="gap_show_after")
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    fmap = build_gap_map(
        result,
        ws.areas,
        ws.assets,
        after=after,
        lang=lang,
        basemap=basemap,
        vendor_base=vendor.APP_STATIC_BASE,
        attribution=label,
    )
    st_folium(fmap, returned_objects=[], use_container_width=True, height=620, key="gap_map")


def tables(result: GapResult) -> None:
    """Show the ranked suggestions and the figures per buurt, each with downloads."""
    st.subheader(tr("gaps.sites_header"))
    if len(result.sites) == 0:
        st.info(tr("gaps.no_sites_found" if result.params.new_sites else "gaps.no_sites"))
    else:
        lang = current_lang()
        named = localised_sites(result.sites, lang)
        sites = pd.DataFrame(named.drop(columns="geometry"))
        sites["newly_65"] = sites["newly_65"].map(
            lambda v: tr("gaps.unknown") if pd.isna(v) else format_number(round(v), lang=lang)
        )
        sites["buurten"] = sites["buurten"].map(
            lambda b: ", ".join(map(str, b)) if isinstance(b, list | tuple) else ""
        )
        sites["kind"] = sites["kind"].map(lambda k: tr(f"gaps.kind.{k}"))
        shown = [
            "rank",
            "name",
            "kind",
            "newly_residents",
            "newly_65",
            "newly_covered",
            "nearest_meeting_m",
            "buurten",
        ]
        columns = {c: tr(f"col.{c}") for c in shown}
        if result.params.include_planned:  # 'now' would be wrong: the planned places count
            columns["nearest_meeting_m"] = tr("col.nearest_with_planned")
        st.dataframe(
            sites[shown].round(0).rename(columns=columns),
            hide_index=True,
            width="stretch",
        )
        left, right = st.columns(2)
        left.download_button(
            f"{tr('gaps.download')} CSV",
            sites_to_csv(named),
            "voorstellen.csv",
            "text/csv",
            key="dl_sites_csv",
        )
        right.download_button(
            f"{tr('gaps.download')} GeoJSON",
            sites_to_geojson(named),
            "voorstellen.geojson",
            "application/geo+json",
            key="dl_sites_geojson",
        )
    st.subheader(tr("gaps.buurten_header"))
    buurten = result.buurten.copy()
    buurten["share_covered"] = (100 * buurten["share_covered"]).round(0)
    buurten["share_covered_after"] = (100 * buurten["share_covered_after"]).round(0)
    shown = ["name", "residents", "share_covered", "share_covered_after", "mean_walk_m"]
    if buurten["access"].notna().any():  # capacities known: the 2SFCA score per buurt
        buurten["access"] = (1000 * buurten["access"]).round(1)
        shown.append("access")
    if buurten["estimated"].any():  # figures per wijk only: say which buurten are estimates
        buurten["estimated"] = [tr("gaps.estimated_yes") if e else "" for e in buurten["estimated"]]
        shown.insert(2, "estimated")
    names = {"name": tr("col.buurt"), **{c: tr(f"col.{c}") for c in shown[1:]}}
    if result.params.include_planned:  # 'now' would be wrong: the planned places count
        names["share_covered"] = tr("col.share_with_planned")
    st.dataframe(
        buurten[shown].round(1).rename(columns=names),
        hide_index=True,
        width="stretch",
    )
    left, right = st.columns(2)
    left.download_button(
        f"{tr('gaps.download')} CSV",
        table_to_csv(result.buurten),
        "buurten_loopafstand.csv",
        "text/csv",
        key="dl_buurten_csv",
    )
    right.download_button(
        f"{tr('gaps.download_cells')} GeoJSON",
        cells_to_geojson(result.cells),
        "vakjes_loopafstand.geojson",
        "application/geo+json",
        key="dl_cells_geojson",
    )
