"""Gap analysis: who lives beyond walking distance of a meeting place, and where to add one.

``analyse_gaps`` answers "Where should the next huiskamer go?" in four steps:

1. **demand** (:mod:`gap_demand`): residents on a grid of cells, weighted by need; figures
   a buurt lacks but its wijk has are estimated and marked (:mod:`wijk_figures`);
2. **coverage** (:mod:`coverage`, :mod:`reach`): which cells lie within walking distance of
   a meeting place (straight line x detour factor, or a street network), each need group at
   its own walking profile (a wheelchair: step-free places and ways only), counting the
   places open in the time window asked for (:mod:`open_times`); the coverage of every
   window comes along;
3. **accessibility** (:mod:`accessibility`): a 2SFCA score when meeting places have a capacity;
4. **siting** (:mod:`sites`, :mod:`siting`): the ``k`` candidate sites that newly cover the
   most need.

It validates its inputs before computing, never changes them, and returns everything in
EPSG:4326.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import (
    AssetMapError,
    CRSError,
    SchemaError,
    missing_columns,
    raise_problems,
)
from asset_map.analysis import accessibility, demand, gap_tables, reach, sites, siting
from asset_map.analysis.gap_demand import gap_demand
from asset_map.analysis.gap_params import GapParams
from asset_map.crs import STORAGE_CRS, WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import catalogue
from asset_map.settings import PROFILES, WINDOWS

#: A MIP gap above this after the exact solver means it stopped at its time limit.
REPORTED_GAP = 1e-4


@dataclass
class GapResult:
    """What :func:`analyse_gaps` returns (all frames in EPSG:4326).

    Attributes
    ----------
    params : GapParams
        The options used.
    cells : GeoDataFrame
        The demand cells (polygons) with ``buurt_code``, ``residents``, ``residents_65``,
        ``single_households``, ``weight``, ``walk_m`` (to the nearest meeting place, inf if
        none), ``covered``, ``covered_after`` and ``access`` (2SFCA; NaN without capacities).
    buurten : DataFrame
        One row per buurt: ``code``, ``name``, ``wijk_code``, ``residents``,
        ``residents_65``, ``weight``, ``covered_weight``, ``share_covered``,
        ``share_covered_after``, ``mean_walk_m``, ``access`` (2SFCA, the weighted mean of
        its cells' scores), ``figures_missing``, ``estimated`` (its residents or a figure
        the weights need were estimated from its wijk's figures).
    sites : GeoDataFrame
        The suggested sites (points) in rank order: ``rank``, ``name``, ``kind``,
        ``asset_id``, ``lon``, ``lat``, ``newly_covered`` (weighted), ``newly_residents``,
        ``newly_65`` (NaN when a newly covered cell has no 65+ figure), ``buurten`` (names
        of the buurten that gain), ``nearest_meeting_m`` (inf when there is none).
    summary : dict
        Totals (weighted residents unless the key says residents), the solver and timing;
        ``residents_estimated`` and ``buurten_estimated`` say how much rests on figures
        estimated from the wijk (:func:`.wijk_figures.estimate_from_wijken`).
    warnings : list of str
        What was left out or assumed, in plain English.
    windows : DataFrame
        Coverage per time window (:data:`asset_map.settings.WINDOWS`): ``window``,
        ``places`` (meeting places open then), ``covered_weight``, ``share``; so a gap in
        the evenings shows even where the daytime map is green.
    buurt_windows : DataFrame
        Per buurt (``code``, ``name``) the share in reach in each window (one column per
        window key).
    """

    params: GapParams
    cells: gpd.GeoDataFrame
    buurten: pd.DataFrame
    sites: gpd.GeoDataFrame
    summary: dict[str, Any]
    warnings: list[str]
    windows: pd.DataFrame = field(default_factory=pd.DataFrame)
    buurt_windows: pd.DataFrame = field(default_factory=pd.DataFrame)


def meeting_places(assets_rd: gpd.GeoDataFrame, params: GapParams) -> tuple[np.ndarray, ...]:
    """Return each asset's RD point, and whether it is a meeting place that counts at all.

    A meeting place counts when it is of a meeting type, exists (or is planned, in what-if
    mode) and has a location; the profile and the window choose among these
    (:class:`~asset_map.analysis.reach.Supply`).
    """
    meeting_types = params.meeting_types or tuple(catalogue().meeting_place_types())
    points = assets_rd.geometry.representative_point()
    asset_xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    status = assets_rd["status"].astype(str).to_numpy()
    is_meeting = assets_rd["type"].isin(meeting_types).to_numpy()
    counts = (status == "existing") | (params.include_planned & (status == "planned"))
    return asset_xy, is_meeting & counts & points.notna().to_numpy()


def analyse_gaps(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    params: GapParams = GapParams(),  # frozen: a shared default is safe
    *,
    population_grid: gpd.GeoDataFrame | None = None,
    network: object | None = None,
    activities: pd.DataFrame | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> GapResult:
    """Find the residents beyond walking distance of a meeting place, and where to add one.

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas (any CRS) with ``code``, ``name``, ``level`` and the key figures.
        The demand comes from the buurten (level ``buurt``); a figure a buurt lacks is
        estimated from its wijk (``parent_code``) when the wijk has it, and marked.
    assets : GeoDataFrame
        Canonical assets (any CRS) with ``type`` and ``status``; ``capacity``, ``id``,
        ``name``, ``wheelchair`` and ``opening_hours`` are used when present.
    params : GapParams
        The options: also the walking profile of each need group and the time window.
    population_grid : GeoDataFrame, optional
        CBS population grid squares (:func:`.population_grid.read_population_grid`); when
        given, the demand comes from the grid instead of the buurten's key figures.
    network : networkx graph, optional
        A walking network for :mod:`asset_map.analysis.network`; when given, network
        distances are used and the profiles' detours are not.
    activities : DataFrame, optional
        Weekly activities (``asset_id``, ``weekday``, ``start``, ``end``): a place is open
        while one runs, besides its opening hours.
    progress : callable, optional
        Called as ``progress(stage, share_done)`` when a stage starts: ``"demand"`` (0.0),
        ``"distances"`` (0.25), ``"coverage"`` (0.5) and ``"solver"`` (0.75), and with
        ``"done"`` (1.0) at the end; e.g. to move a progress bar.

    Returns
    -------
    GapResult
        Cells, buurten, suggested sites, coverage per time window, summary and warnings,
        in EPSG:4326.

    Raises
    ------
    AssetMapError
        A CRSError or SchemaError (or a list of them) naming what is wrong and the fix.
    """
    started = time.perf_counter()
    _validate(areas, assets, population_grid)
    report = progress or _no_progress
    report("demand", 0.0)
    found = gap_demand(areas, params, population_grid=population_grid)
    cells, buurten_rd, missing, estimated_cells = (
        found.cells,
        found.buurten_rd,
        found.missing,
        found.estimated,
    )
    warnings: list[str] = list(found.notes)
    residents = cells["residents"].to_numpy(dtype="float64")
    figures = (
        residents,
        cells["residents_65"].to_numpy(dtype="float64"),
        cells["single_households"].to_numpy(dtype="float64"),
    )
    layers = reach.demand_layers(params, *figures)
    weight = np.sum([layer.weight for layer in layers], axis=0)
    demand_xy = cells[["x", "y"]].to_numpy(dtype="float64")

    meeting_types = params.meeting_types or tuple(catalogue().meeting_place_types())
    assets_rd = assets.to_crs(WORK_CRS).reset_index(drop=True)
    asset_xy, base = meeting_places(assets_rd, params)
    supply = reach.Supply(
        assets_rd, base, activities=activities, unknown_counts=params.unknown_counts
    )
    window = WINDOWS[params.window]
    if not base.any():
        key = (
            "note.gaps.no_meeting_places"
            if params.include_planned
            else "note.gaps.no_meeting_places_now"
        )
        warnings.append(Msg(key, types=", ".join(meeting_types)))
    step_free = any(layer.profile.step_free for layer in layers)
    warnings += supply.notes(window=window, step_free=step_free)
    if network is not None:
        from asset_map.analysis import network as street_network

        warnings += street_network.off_network_notes(
            network, demand_xy, weight, asset_xy[base], detour=params.detour
        )
    report("distances", 0.25)
    covers = reach.layer_covers(
        layers, supply, demand_xy, asset_xy, walk_min=params.walk_min, network=network
    )
    main = covers[reach.layer_of(layers, 0)]
    is_open = supply.open_in(window)
    supply_idx = main.places[is_open[main.places]]
    walk_m = main.reach.nearest_m(demand_xy, asset_xy[supply_idx])
    report("coverage", 0.5)
    per_layer = [c.covered(supply, window) for c in covers]
    capacity = (
        pd.to_numeric(assets_rd["capacity"], errors="coerce").to_numpy(dtype="float64")
        if "capacity" in assets_rd.columns
        else np.full(len(assets_rd), np.nan)
    )
    access, note = accessibility.access_scores(
        main.cover[:, is_open[main.places]], weight, capacity[supply_idx]
    )
    warnings += [note] if note else []

    k = int(params.new_sites)
    cell_rows, step_m = None, params.cell_m
    if "cells" in params.candidates:
        reach_m = main.reach.max_walk_m if network is not None else main.reach.radius_m
        cell_rows, step_m = sites.thin_cells(
            demand_xy, weight, cell_m=params.cell_m, reach_m=reach_m
        )
        if k and len(cell_rows) < len(cells):
            warnings.append(
                Msg(
                    "note.gaps.coarser_cells",
                    step=f"{step_m:g}",
                    cell=f"{params.cell_m:g}",
                    n=len(cell_rows),
                    total=len(cells),
                )
            )
    candidates = sites.candidate_sites(
        assets_rd,
        asset_xy,
        cells,
        buurten_rd,
        kinds=params.candidates,
        meeting_types=meeting_types,
        include_planned=params.include_planned,
        cell_rows=cell_rows,
    )
    report("solver", 0.75)
    chosen: list[int] = []
    objective, mip_gap = 0.0, None
    newly: list[sites.NewlyCovered] = []
    after_layers = [c.copy() for c in per_layer]
    if k:
        if candidates.empty:
            warnings.append(_no_candidates_note(params))
        else:
            if len(candidates) < k:
                warnings.append(Msg("note.gaps.few_candidates", n=len(candidates), k=k))
            stacked = reach.candidate_cover(covers, candidates, assets_rd, demand_xy)
            stacked_w = np.concatenate([layer.weight for layer in layers])
            stacked_done = np.concatenate(per_layer)
            if params.solver == "exact":
                chosen, objective, mip_gap = siting.exact_mclp(
                    stacked, stacked_w, k, covered=stacked_done, time_limit_s=params.time_limit_s
                )
                if mip_gap > REPORTED_GAP:
                    warnings.append(
                        Msg(
                            "note.gaps.time_limit",
                            seconds=f"{params.time_limit_s:g}",
                            gap=f"{100 * mip_gap:.2f}",
                        )
                    )
            else:
                chosen, objective = siting.greedy_mclp(stacked, stacked_w, k, covered=stacked_done)
            if len(chosen) < min(k, len(candidates)):
                warnings.append(Msg("note.gaps.useless_sites", n=len(chosen), k=k))
            masks = siting.newly_covered(stacked, chosen, covered=stacked_done)
            newly, after_layers = reach.newly_by_layer(layers, masks, per_layer)

    covered_w = reach.covered_weight(layers, per_layer)
    after_w = reach.covered_weight(layers, after_layers)
    cells_out = gpd.GeoDataFrame(
        {
            "buurt_code": cells["buurt_code"].to_numpy(),
            "residents": residents,
            "residents_65": figures[1],
            "single_households": figures[2],
            "weight": weight,
            "walk_m": walk_m,
            "covered": reach.all_covered(layers, per_layer, reach.layer_of(layers, 0)),
            "covered_after": reach.all_covered(layers, after_layers, reach.layer_of(layers, 0)),
            "covered_weight": covered_w,
            "covered_weight_after": after_w,
            "access": access,
        },
        geometry=cells.geometry.to_numpy(),
        crs=WORK_CRS,
    ).to_crs(STORAGE_CRS)
    buurt_table = gap_tables.buurt_table(buurten_rd, cells_out, missing, estimated_cells)
    windows = reach.window_shares(covers, supply, list(WINDOWS.values()))
    buurt_windows = gap_tables.buurt_windows(buurten_rd, cells_out, covers, supply)
    chosen_sites = candidates.iloc[chosen]
    nearest = main.reach.nearest_m(
        chosen_sites[["x", "y"]].to_numpy(dtype="float64"), asset_xy[supply_idx]
    )
    site_rows = sites.site_table(chosen_sites, newly, cells_out, buurten_rd, nearest_m=nearest)
    warnings += [
        Msg("note.gaps.unknown_65", rank=int(site["rank"]), name=site["name"])
        for _, site in site_rows.iterrows()
        if np.isnan(site["newly_65"])
    ]
    res_covered = per_layer[reach.layer_of(layers, 0)]
    res_after = after_layers[reach.layer_of(layers, 0)]
    total = float(weight.sum())
    before_w, after_sum = float(covered_w.sum()), float(after_w.sum())
    summary: dict[str, Any] = {
        "residents_total": float(np.nansum(residents)),
        "weighted_total": total,
        "covered_before": before_w,
        "covered_after": after_sum,
        "share_before": before_w / total if total > 0 else math.nan,
        "share_after": after_sum / total if total > 0 else math.nan,
        "residents_covered_before": float(np.nansum(residents[res_covered])),
        "residents_covered_after": float(np.nansum(residents[res_after])),
        "residents_estimated": float(np.nansum(residents[estimated_cells])),
        "buurten_estimated": int(buurt_table["estimated"].sum()),
        "solver": params.solver,
        "objective": float(objective),
        "mip_gap": mip_gap,
        "seconds": 0.0,
        "n_cells": len(cells_out),
        "n_meeting_places": len(supply_idx),
        "n_candidates": len(candidates),
        "max_walk_m": params.max_walk_m,
        "distance": "network" if network is not None else "straight line x detour",
        "profiles": [layer.profile.key for layer in layers],
        "window": params.window,
    }
    summary["seconds"] = time.perf_counter() - started
    report("done", 1.0)
    notes = list(dict.fromkeys(warnings))
    return GapResult(
        params, cells_out, buurt_table, site_rows, summary, notes, windows, buurt_windows
    )


def reach_by_profile(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    params: GapParams = GapParams(),
    *,
    profiles: Sequence[str] = tuple(PROFILES),
    windows: Sequence[str] = tuple(WINDOWS),
    activities: pd.DataFrame | None = None,
    population_grid: gpd.GeoDataFrame | None = None,
    network: object | None = None,
) -> pd.DataFrame:
    """Return the share of the weighted residents in reach per walking profile and window.

    The demand (cells, need weights) is built once, as :func:`analyse_gaps` builds it; each
    profile's distances are computed once, and each window chooses among its places
    (:func:`asset_map.analysis.reach.reach_table`). ``params`` gives the walking time, the
    need weights, the meeting types and whether unknown places count; its own profile and
    window are not used.

    Returns
    -------
    DataFrame
        ``profile``, ``window``, ``places``, ``covered_weight``, ``share``.
    """
    _validate(areas, assets, population_grid)
    found = gap_demand(areas, params, population_grid=population_grid)
    assets_rd = assets.to_crs(WORK_CRS).reset_index(drop=True)
    asset_xy, base = meeting_places(assets_rd, params)
    return reach.reach_table(
        found.cells,
        assets_rd,
        asset_xy,
        base,
        weights=params.weights,
        walk_min=params.walk_min,
        profiles=profiles,
        windows=windows,
        activities=activities,
        unknown_counts=params.unknown_counts,
        network=network,
    )


def _no_progress(stage: str, share: float) -> None:
    """Report nothing (the default of ``analyse_gaps``'s ``progress``)."""


def _no_candidates_note(params: GapParams) -> Msg:
    """Say why there is no candidate site, with the kinds in the reader's words."""
    kinds = [c for c in params.candidates if not (c == "planned" and params.include_planned)]
    if not kinds:  # what-if: the planned places count as open, so they are no candidates
        return Msg("note.gaps.planned_already_open")
    labels = {
        "planned": Msg("gaps.candidates.planned"),
        "hosts": Msg("gaps.candidates.hosts"),
        "cells": Msg("gaps.candidates.cells"),
    }
    return Msg("note.gaps.no_candidates", kinds=demand.listed([labels[c] for c in kinds]))


def _validate(
    areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame, grid: gpd.GeoDataFrame | None
) -> None:
    """Check CRSs and columns of all inputs; raise every problem at once."""
    problems: list[AssetMapError] = []
    frames = [(areas, "areas", ("code", "name", "level")), (assets, "assets", ("type", "status"))]
    if grid is not None:
        frames.append((grid, "population grid", ()))
    names = {
        "areas": Msg("err.what.areas"),
        "assets": Msg("err.what.assets"),
        "population grid": Msg("err.what.grid"),
    }
    for frame, what, columns in frames:
        if not isinstance(frame, gpd.GeoDataFrame):
            kind = type(frame).__name__
            problems.append(SchemaError(Msg("err.gaps.not_a_frame", what=names[what], kind=kind)))
            continue
        try:
            require_crs(frame, what)
        except CRSError as exc:
            problems.append(exc)
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            fix = Msg("err.columns.fix.read_io")
            problems.append(SchemaError(missing_columns(absent, names[what], fix)))
        elif what == "areas" and not (frame["level"] == "buurt").any():
            problems.append(SchemaError(Msg("err.gaps.no_buurten")))
    raise_problems(problems)
