"""Widgets of the 'Kansen' screen: parameters, the cached analysis, map, tables, downloads.

The settings' limits and defaults come from the one table of :mod:`asset_map.settings`
(:func:`asset_map.services.options.widget_range`), the parameters are checked by
:func:`asset_map.services.options.gap_params` (a value out of range gives the CLI's
message), and the analysis runs, cached, in :func:`asset_map.services.gaps.run_gaps`.
"""

from __future__ import annotations

import hashlib
import time
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import GapResult
from asset_map.analysis.wijk_figures import supported_need
from asset_map.i18n import Msg, localise, number, t
from asset_map.io.export import cells_to_geojson, sites_to_geojson
from asset_map.model import Lang, catalogue
from asset_map.render import vendor
from asset_map.render.gaps import build_gap_map, uncovered_cells
from asset_map.render.map_parts import MapParts, map_parts, middle
from asset_map.render.styles import format_number
from asset_map.services import gaps as gap_service
from asset_map.services.options import (
    CANDIDATE_CHOICES,
    DEFAULT_CANDIDATES,
    NEED_CHOICES,
    SOLVER_CHOICES,
    gap_params,
    widget_range,
)
from asset_map.services.spreadsheets import buurten_table, sites_table
from asset_map.services.workspace import Workspace
from asset_map.ui import live_map
from asset_map.ui.loaders import data_folder
from asset_map.ui.safe import explain_here
from asset_map.ui.state import among, choice_key, current_lang, option_index, pick, select_all, tr
from asset_map.ui.tables import readable, spreadsheet_buttons

NEEDS = NEED_CHOICES
CANDIDATES = CANDIDATE_CHOICES
SOLVERS = SOLVER_CHOICES
STAGES = ("demand", "distances", "coverage", "solver")
#: The screen's own weights start at those of the default need preset.
MIX = NeedWeights.preset(NEEDS[0])


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
        walk_min = left.slider(
            tr("gaps.walk_min"), **widget_range(settings.WALK_MIN), key="gap_walk_min"
        )
        need_default = supported_need(ws.areas)  # "all" when only inhabitants are known
        need = pick(
            left.selectbox,
            tr("gaps.need"),
            NEEDS,
            key="gap_need",
            default=need_default,
            format_func=lambda k: t(f"gaps.need.{k}", lang),
        )
        if need_default != NEEDS[0] and need == need_default:
            left.caption(tr("gaps.need_from_figures"))
        profiles = tuple(settings.PROFILES)
        profile_key, profile_now = choice_key("gap_profile", settings.DEFAULT_PROFILE)
        profile = left.selectbox(
            tr("gaps.profile"),
            profiles,
            index=option_index(profiles, profile_now),
            format_func=lambda k: t(settings.PROFILES[k].label, lang),
            key=profile_key,
        )
        older_slower = left.checkbox(tr("gaps.older_slower"), value=False, key="gap_older")
        windows = tuple(settings.WINDOWS)
        window_key, window_now = choice_key("gap_window", settings.ANY_TIME)
        window = left.selectbox(
            tr("gaps.window"),
            windows,
            index=option_index(windows, window_now),
            format_func=lambda k: t(settings.WINDOWS[k].label, lang),
            key=window_key,
        )
        include_planned = left.toggle(tr("gaps.what_if"), value=False, key="gap_what_if")
        new_sites = right.slider(
            tr("gaps.new_sites"), **widget_range(settings.SUGGESTED_SITES), key="gap_new_sites"
        )
        candidates_key, candidates_now = choice_key("gap_candidates", list(DEFAULT_CANDIDATES))
        candidates = right.multiselect(
            tr("gaps.candidates"),
            CANDIDATES,
            default=among(candidates_now, CANDIDATES),
            format_func=lambda k: t(f"gaps.candidates.{k}", lang),
            placeholder=tr("filter.placeholder"),
            key=candidates_key,
            select_all=select_all(),
        )
        solver = pick(
            right.radio,
            tr("gaps.solver"),
            SOLVERS,
            key="gap_solver",
            default=SOLVERS[0],
            format_func=lambda k: t(f"gaps.solver.{k}", lang),
            horizontal=True,
            help=tr(
                "gaps.solver_help",
                seconds=format_number(settings.TIME_LIMIT_S.default, lang=lang),
            ),
        )
        time_limit = right.number_input(
            tr("gaps.time_limit"),
            **widget_range(settings.TIME_LIMIT_S),
            help=tr("gaps.time_limit_help"),
            key="gap_time_limit",
        )
        with st.expander(tr("gaps.more_settings")):
            own_pace = st.toggle(tr("gaps.own_pace"), value=False, key="gap_own_pace")
            speed = st.slider(tr("gaps.speed"), **widget_range(settings.SPEED_KMH), key="gap_speed")
            detour = st.slider(tr("gaps.detour"), **widget_range(settings.DETOUR), key="gap_detour")
            skip_unknown = st.toggle(tr("gaps.skip_unknown"), value=False, key="gap_skip_unknown")
            cell_m = st.select_slider(
                tr("gaps.cell_m"),
                [int(v) for v in settings.CELL_M.presets],
                value=int(settings.CELL_M.default),
                key="gap_cell_m",
            )
            in_workspace = set(ws.assets["type"].unique())
            present = [k for k in cat.types if k in in_workspace]
            present_default = [k for k in cat.meeting_place_types() if k in present]
            meeting_key, meeting_now = choice_key("gap_meeting_types", present_default)
            meeting = st.multiselect(
                tr("gaps.meeting_types"),
                present,
                default=among(meeting_now, present),
                format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
                placeholder=tr("filter.placeholder"),
                key=meeting_key,
                select_all=select_all(),
            )
            st.caption(tr("gaps.custom_weights"))
            w_cols = st.columns(3)
            custom = (
                w_cols[0].number_input(
                    tr("gaps.w_all"), 0.0, 10.0, MIX.all_residents, 0.1, key="gap_w_all"
                ),
                w_cols[1].number_input(
                    tr("gaps.w_65"), 0.0, 10.0, MIX.aged_65_plus, 0.1, key="gap_w_65"
                ),
                w_cols[2].number_input(
                    tr("gaps.w_single"), 0.0, 10.0, MIX.single_households, 0.1, key="gap_w_1"
                ),
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
        params = gap_params(
            walk_min=float(walk_min),
            speed_kmh=float(speed) if own_pace else None,
            detour=float(detour) if own_pace else None,
            cell_m=float(cell_m),
            need=need,
            weights=custom if need == "custom" else None,
            meeting_types=tuple(meeting),
            include_planned=include_planned,
            new_sites=k,
            solver=solver,
            candidates=tuple(candidates),
            profile=profile,
            profile_65="ouderen" if older_slower and profile != "rolstoel" else None,
            window=window,
            unknown="skip" if skip_unknown else "count",
            time_limit_s=float(time_limit),
        )
    except AssetMapError as exc:  # the same message as the CLI's for the same option
        st.error(explain_here(exc, lang))
        st.stop()
    uploads = {
        kind: (f.getvalue(), f.name) for kind, f in (("network", network), ("grid", grid)) if f
    }
    return params, uploads


@st.cache_resource(show_spinner=False, max_entries=4)
def _read_upload(kind: str, digest: str, data: bytes, name: str) -> Any:
    """Read an uploaded street network or population grid (cached per file content)."""
    return gap_service.read_upload(kind, data, name)


def run(
    ws: Workspace, folder: str, params: GapParams, uploads: dict[str, tuple[bytes, str]]
) -> tuple[GapResult, GapResult | None] | None:
    """Run (or fetch from the cache) the analysis, with progress shown while it runs.

    Returns the result and, in what-if mode, the same analysis without the planned places
    (to show the change); None when the input was refused (the message is shown). Results
    are cached per (data folder, uploaded files) and parameters.
    """
    read: dict[str, Any] = {"network": None, "grid": None}
    digests = []
    try:
        with st.status(tr("gaps.running"), expanded=False) as status:
            bar = st.progress(0.0)

            def progress(stage: str, share: float) -> None:
                if stage in STAGES:
                    text = tr(f"gaps.stage.{stage}")
                    if stage == "solver" and params.solver == "exact" and params.new_sites:
                        limit = format_number(params.time_limit_s, lang=current_lang())
                        text = tr("gaps.stage.solver_exact", seconds=limit)
                    bar.progress(share, text=text)
                    status.update(label=text)

            start = time.perf_counter()
            for kind, (data, name) in uploads.items():
                digest = hashlib.sha256(data).hexdigest()
                digests.append(f"{kind}:{digest}")
                read[kind] = _read_upload(kind, digest, data, name)
            done = gap_service.run_gaps(
                ws.areas,
                ws.assets,
                params,
                network=read["network"],
                grid=read["grid"],
                activities=ws.activities,
                progress=progress,
                key=(folder, tuple(digests)),
            )
            bar.progress(1.0)
            status.update(label=done_text(time.perf_counter() - start), state="complete")
    except AssetMapError as exc:
        st.error(explain_here(exc, current_lang()))
        return None
    return done.result, done.baseline


def done_text(seconds: float) -> str:
    """Say how long the analysis took: "Klaar in 1 seconde", "Klaar in 2,5 seconden".

    Whole seconds from 10 on, one decimal below; under half a second it says so.
    """
    if seconds < 0.5:
        return tr("gaps.done_fast")
    lang = current_lang()
    shown = number(seconds, lang, decimals=0 if seconds >= 10 else 1)
    return tr("gaps.done", seconds=shown.removesuffix(",0").removesuffix(".0"))


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


def windows_table(result: GapResult) -> None:
    """Show the coverage per time window: a gap in the evenings shows even on a green map."""
    lang = current_lang()
    st.subheader(tr("gaps.windows_header"))
    st.caption(tr("gaps.windows_intro", profile=t(result.params.walk_profile.label, lang)))
    table = result.windows
    shown = pd.DataFrame(
        {
            tr("gaps.col_window"): [t(settings.WINDOWS[k].label, lang) for k in table["window"]],
            tr("gaps.col_window_share"): [
                _points(v, lang) if pd.notna(v) else "–" for v in table["share"]
            ],
            tr("gaps.col_window_places"): table["places"].astype(int).to_numpy(),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def buurt_windows_table(result: GapResult) -> None:
    """Show per buurt the share within walking distance in each time window (folded away)."""
    lang = current_lang()
    per_buurt = result.buurt_windows
    if per_buurt.empty:
        return
    with st.expander(tr("gaps.windows_per_buurt")):
        wide = per_buurt.drop(columns="code").rename(columns={"name": tr("col.buurt")})
        for key in settings.WINDOWS:
            wide[key] = (100 * wide[key]).round(0)
        names = {k: t(settings.WINDOWS[k].label, lang) for k in settings.WINDOWS}
        st.dataframe(wide.rename(columns=names), hide_index=True, width="stretch")


def gap_map(ws: Workspace, result: GapResult, *, basemap: str) -> None:
    """Draw the map: coverage per buurt, residents beyond walking distance, new sites.

    Built once per result and view (cached for every visitor); another result or view
    replaces what the map shows, not the map (:mod:`asset_map.ui.live_map`).
    """
    lang = current_lang()
    after = st.toggle(tr("gaps.show_after"), value=True, key="gap_show_after")
    if uncovered_cells(result.cells, after=after).empty:
        st.info(tr("gaps.legend.everyone_covered"))
    key = ("kansen", data_folder(), _digest(result), after, lang, basemap)

    def build() -> MapParts:
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
        return map_parts(fmap, center=middle(ws.areas), vendor_base=vendor.APP_STATIC_BASE)

    live_map.show(live_map.cached_parts(key, build), key="gap_map", height=620)


def _digest(result: GapResult) -> str:
    """Return a digest of what the gap map of ``result`` shows: part of its cache key."""
    cells = result.cells
    parts = [
        repr(result.params).encode("utf-8"),
        np.asarray([len(cells), *cells.total_bounds], dtype="float64").tobytes(),
        cells["covered"].to_numpy(dtype=bool).tobytes(),
        cells["covered_after"].to_numpy(dtype=bool).tobytes(),
        cells["weight"].to_numpy(dtype="float64").tobytes(),
        result.buurten.to_csv(index=False).encode("utf-8"),
        result.sites.drop(columns="geometry", errors="ignore").to_csv(index=False).encode("utf-8"),
    ]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def tables(result: GapResult) -> None:
    """Show the ranked suggestions and the figures per buurt, each with downloads."""
    st.subheader(tr("gaps.sites_header"))
    if len(result.sites) == 0:
        st.info(tr("gaps.no_sites_found" if result.params.new_sites else "gaps.no_sites"))
    else:
        lang = current_lang()
        named = gap_service.named_sites(result.sites, lang)
        sites = pd.DataFrame(named.drop(columns="geometry"))
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
        counts = dict.fromkeys(["newly_residents", "newly_65", "newly_covered"], 0)
        table, config = readable(
            sites[shown], {**counts, "nearest_meeting_m": 0}, lang, unknown=tr("gaps.unknown")
        )
        st.dataframe(
            table.rename(columns=columns),
            hide_index=True,
            width="stretch",
            column_config={columns[c]: v for c, v in config.items()},
        )
        *sheets, right = st.columns(3)
        spreadsheet_buttons(
            sheets,
            partial(sites_table, named, lang=lang),
            stem="voorstellen",
            sheet=tr("sheet.name.sites"),
            key="dl_sites",
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
    shown = ["name", "residents", "share_covered", "share_covered_after", "mean_walk_m"]
    if buurten["access"].notna().any():  # capacities known: the 2SFCA score per buurt
        buurten["access"] = 1000 * buurten["access"]
        shown.append("access")
    if buurten["estimated"].any():  # figures per wijk only: say which buurten are estimates
        buurten["estimated"] = [tr("gaps.estimated_yes") if e else "" for e in buurten["estimated"]]
        shown.insert(2, "estimated")
    names = {"name": tr("col.buurt"), **{c: tr(f"col.{c}") for c in shown[1:]}}
    if result.params.include_planned:  # 'now' would be wrong: the planned places count
        names["share_covered"] = tr("col.share_with_planned")
    table, config = readable(
        buurten[shown],
        {
            "residents": 0,
            "share_covered": "share",
            "share_covered_after": "share",
            "mean_walk_m": 0,
            "access": 1,
        },
        current_lang(),
    )
    st.dataframe(
        table.rename(columns=names),
        hide_index=True,
        width="stretch",
        column_config={names[c]: v for c, v in config.items()},
    )
    *sheets, right = st.columns(3)
    spreadsheet_buttons(
        sheets,
        partial(buurten_table, result.buurten, lang=current_lang()),
        stem="buurten_loopafstand",
        sheet=tr("sheet.name.buurten"),
        key="dl_buurten",
    )
    right.download_button(
        f"{tr('gaps.download_cells')} GeoJSON",
        cells_to_geojson(result.cells),
        "vakjes_loopafstand.geojson",
        "application/geo+json",
        key="dl_cells_geojson",
    )
    buurt_windows_table(result)
