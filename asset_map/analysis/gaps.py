"""Gap analysis: who lives beyond walking distance of a meeting place, and where to add one.

``analyse_gaps`` answers "Where should the next huiskamer go?" in four steps:

1. **demand** (:mod:`demand`): residents on a grid of cells, weighted by need; figures a
   buurt lacks but its wijk has are estimated and marked (:mod:`wijk_figures`);
2. **coverage** (:mod:`coverage`): which cells lie within walking distance of a meeting
   place (straight line x detour factor, or a street network);
3. **accessibility** (:mod:`accessibility`): a 2SFCA score when meeting places have a capacity;
4. **siting** (:mod:`sites`, :mod:`siting`): the ``k`` candidate sites that newly cover the
   most need.

It validates its inputs before computing, never changes them, and returns everything in
EPSG:4326.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from asset_map._errors import (
    AssetMapError,
    CRSError,
    SchemaError,
    missing_columns,
    raise_problems,
)
from asset_map.analysis import accessibility, coverage, demand, sites, siting
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.population_grid import grid_demand, grid_residents_by_buurt
from asset_map.analysis.wijk_figures import (
    ESTIMATED_FIGURES,
    WijkEstimate,
    estimate_from_wijken,
)
from asset_map.crs import STORAGE_CRS, WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import catalogue

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
    """

    params: GapParams
    cells: gpd.GeoDataFrame
    buurten: pd.DataFrame
    sites: gpd.GeoDataFrame
    summary: dict[str, Any]
    warnings: list[str]


class _Reach:
    """Distances in reach: straight line x detour, or a street network when one is given."""

    def __init__(self, params: GapParams, graph: object | None):
        self.params, self.graph = params, graph

    def cover(self, from_xy: np.ndarray, to_xy: np.ndarray) -> sp.csr_matrix:
        if self.graph is None or len(from_xy) == 0 or len(to_xy) == 0:
            if self.graph is None:
                return coverage.cover_matrix(from_xy, to_xy, self.params.radius_m)
            return sp.csr_matrix((len(from_xy), len(to_xy)), dtype=bool)
        from asset_map.analysis import network as street_network

        out = street_network.network_cover(
            self.graph, from_xy, to_xy, max_walk_m=self.params.max_walk_m
        )
        return self._checked(sp.csr_matrix(out, dtype=bool), from_xy, to_xy)

    def nearest_m(self, from_xy: np.ndarray, to_xy: np.ndarray) -> np.ndarray:
        if self.graph is None or len(from_xy) == 0 or len(to_xy) == 0:
            return coverage.nearest_m(from_xy, to_xy) * self.params.detour
        from asset_map.analysis import network as street_network

        return np.asarray(
            street_network.network_nearest_m(self.graph, from_xy, to_xy), dtype="float64"
        )

    @staticmethod
    def _checked(m: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> sp.csr_matrix:
        if m.shape != (len(a), len(b)):
            raise ValueError(f"network_cover returned shape {m.shape}, not {(len(a), len(b))}.")
        return m


def analyse_gaps(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    params: GapParams = GapParams(),  # frozen: a shared default is safe
    *,
    population_grid: gpd.GeoDataFrame | None = None,
    network: object | None = None,
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
        Canonical assets (any CRS) with ``type`` and ``status``; ``capacity``, ``id`` and
        ``name`` are used when present.
    params : GapParams
        The options.
    population_grid : GeoDataFrame, optional
        CBS population grid squares (:func:`.population_grid.read_population_grid`); when
        given, the demand comes from the grid instead of the buurten's key figures.
    network : networkx graph, optional
        A walking network for :mod:`asset_map.analysis.network`; when given, network
        distances are used and ``params.detour`` is not.
    progress : callable, optional
        Called as ``progress(stage, share_done)`` when a stage starts: ``"demand"`` (0.0),
        ``"distances"`` (0.25), ``"coverage"`` (0.5) and ``"solver"`` (0.75), and with
        ``"done"`` (1.0) at the end; e.g. to move a progress bar.

    Returns
    -------
    GapResult
        Cells, buurten, suggested sites, summary and warnings, in EPSG:4326.

    Raises
    ------
    AssetMapError
        A CRSError or SchemaError (or a list of them) naming what is wrong and the fix.
    """
    started = time.perf_counter()
    _validate(areas, assets, population_grid)
    report = progress or _no_progress
    report("demand", 0.0)
    warnings: list[str] = []
    w = params.weights
    needs = demand.needed_figures(
        aged_65_plus=w.aged_65_plus > 0, single_households=w.single_households > 0
    )
    is_buurt = (areas["level"] == "buurt").to_numpy()
    grid_weights = None
    if population_grid is not None:
        own_buurten = areas[is_buurt].to_crs(WORK_CRS).reset_index(drop=True)
        grid_weights = grid_residents_by_buurt(population_grid, own_buurten)
    # Figures known per wijk only: estimated for its buurten, and marked (never taken as 0).
    estimate = estimate_from_wijken(areas, weights=grid_weights)
    buurten_rd = estimate.areas[is_buurt].to_crs(WORK_CRS).reset_index(drop=True)
    guessed = estimate.any_estimated(needs)[is_buurt].to_numpy()
    if population_grid is None:
        missing, notes = demand.missing_figure_warnings(buurten_rd, needs)
        if missing.all():
            raise SchemaError(
                Msg("err.gaps.no_figures", n=len(buurten_rd), figures=demand.figure_list(needs))
            )
        cells = demand.buurt_demand(buurten_rd[~missing], cell_m=params.cell_m, needs=needs)
        in_guess = cells["buurt_code"].isin(set(buurten_rd["code"][guessed & ~missing]))
        warnings += _estimate_notes(buurten_rd, estimate, is_buurt, needs, ~missing)
        warnings += notes
    else:
        cells, notes = grid_demand(population_grid, buurten_rd, cell_m=params.cell_m, needs=needs)
        warnings += notes
        if cells.empty:
            raise SchemaError(Msg("err.gaps.grid_elsewhere"))
        missing = ~buurten_rd["code"].isin(set(cells["buurt_code"])).to_numpy()
        if missing.any():
            warnings.append(
                Msg("note.gaps.grid_no_buurt", n=int(missing.sum()), total=len(buurten_rd))
            )
        # The squares' own counts are no estimate; a secret share taken from a buurt whose
        # figures came from its wijk is.
        in_guess = cells["from_buurt"].to_numpy() & cells["buurt_code"].isin(
            set(buurten_rd["code"][guessed])
        )
        n_guessed = int(cells.loc[in_guess, "buurt_code"].nunique())
        if n_guessed:
            warnings.insert(0, Msg("note.gaps.estimated_grid_shares", buurten=_buurten(n_guessed)))
    estimated_cells = np.asarray(in_guess, dtype=bool)
    weight = w.weigh(
        cells["residents"].to_numpy(),
        cells["residents_65"].to_numpy(),
        cells["single_households"].to_numpy(),
    )
    demand_xy = cells[["x", "y"]].to_numpy(dtype="float64")
    reach = _Reach(params, network)

    meeting_types = params.meeting_types or tuple(catalogue().meeting_place_types())
    assets_rd = assets.to_crs(WORK_CRS).reset_index(drop=True)
    points = assets_rd.geometry.representative_point()
    asset_xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    status = assets_rd["status"].astype(str).to_numpy()
    is_meeting = assets_rd["type"].isin(meeting_types).to_numpy()
    counts = (status == "existing") | (params.include_planned & (status == "planned"))
    supply = np.flatnonzero(is_meeting & counts & points.notna().to_numpy())
    supply_xy = asset_xy[supply]
    if len(supply) == 0:
        key = (
            "note.gaps.no_meeting_places"
            if params.include_planned
            else "note.gaps.no_meeting_places_now"
        )
        warnings.append(Msg(key, types=", ".join(meeting_types)))
    if network is not None:
        from asset_map.analysis import network as street_network

        warnings += street_network.off_network_notes(
            network, demand_xy, weight, supply_xy, detour=params.detour
        )
    report("distances", 0.25)
    walk_m = reach.nearest_m(demand_xy, supply_xy)
    report("coverage", 0.5)
    cover = reach.cover(demand_xy, supply_xy)
    covered = coverage.is_covered(cover)
    capacity = (
        pd.to_numeric(assets_rd["capacity"], errors="coerce").to_numpy(dtype="float64")[supply]
        if "capacity" in assets_rd.columns
        else np.full(len(supply), np.nan)
    )
    access, note = accessibility.access_scores(cover, weight, capacity)
    warnings += [note] if note else []

    k = int(params.new_sites)
    cell_rows, step_m = None, params.cell_m
    if "cells" in params.candidates:
        reach_m = params.max_walk_m if network is not None else params.radius_m
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
    masks: list[np.ndarray] = []
    cand_xy = candidates[["x", "y"]].to_numpy(dtype="float64")
    if k:
        if candidates.empty:
            warnings.append(_no_candidates_note(params))
        else:
            if len(candidates) < k:
                warnings.append(Msg("note.gaps.few_candidates", n=len(candidates), k=k))
            cand_cover = reach.cover(demand_xy, cand_xy)
            if params.solver == "exact":
                chosen, objective, mip_gap = siting.exact_mclp(
                    cand_cover, weight, k, covered=covered, time_limit_s=params.time_limit_s
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
                chosen, objective = siting.greedy_mclp(cand_cover, weight, k, covered=covered)
            if len(chosen) < min(k, len(candidates)):
                warnings.append(Msg("note.gaps.useless_sites", n=len(chosen), k=k))
            masks = siting.newly_covered(cand_cover, chosen, covered=covered)
    after = covered.copy()
    for mask in masks:
        after |= mask

    residents = cells["residents"].to_numpy(dtype="float64")
    cells_out = gpd.GeoDataFrame(
        {
            "buurt_code": cells["buurt_code"].to_numpy(),
            "residents": residents,
            "residents_65": cells["residents_65"].to_numpy(dtype="float64"),
            "single_households": cells["single_households"].to_numpy(dtype="float64"),
            "weight": weight,
            "walk_m": walk_m,
            "covered": covered,
            "covered_after": after,
            "access": access,
        },
        geometry=cells.geometry.to_numpy(),
        crs=WORK_CRS,
    ).to_crs(STORAGE_CRS)
    buurt_table = _buurt_table(buurten_rd, cells_out, missing, estimated_cells)
    chosen_sites = candidates.iloc[chosen]
    nearest = reach.nearest_m(chosen_sites[["x", "y"]].to_numpy(dtype="float64"), supply_xy)
    site_rows = sites.site_table(chosen_sites, masks, cells_out, buurten_rd, nearest_m=nearest)
    warnings += [
        Msg("note.gaps.unknown_65", rank=int(site["rank"]), name=site["name"])
        for _, site in site_rows.iterrows()
        if np.isnan(site["newly_65"])
    ]
    total = float(weight.sum())
    before_w, after_w = float(weight[covered].sum()), float(weight[after].sum())
    summary: dict[str, Any] = {
        "residents_total": float(np.nansum(residents)),
        "weighted_total": total,
        "covered_before": before_w,
        "covered_after": after_w,
        "share_before": before_w / total if total > 0 else math.nan,
        "share_after": after_w / total if total > 0 else math.nan,
        "residents_covered_before": float(np.nansum(residents[covered])),
        "residents_covered_after": float(np.nansum(residents[after])),
        "residents_estimated": float(np.nansum(residents[estimated_cells])),
        "buurten_estimated": int(buurt_table["estimated"].sum()),
        "solver": params.solver,
        "objective": float(objective),
        "mip_gap": mip_gap,
        "seconds": 0.0,
        "n_cells": len(cells_out),
        "n_meeting_places": len(supply),
        "n_candidates": len(candidates),
        "max_walk_m": params.max_walk_m,
        "distance": "network" if network is not None else "straight line x detour",
    }
    summary["seconds"] = time.perf_counter() - started
    report("done", 1.0)
    notes = list(dict.fromkeys(warnings))
    return GapResult(params, cells_out, buurt_table, site_rows, summary, notes)


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


def _buurt_table(
    buurten_rd: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    missing: np.ndarray,
    estimated: np.ndarray,
) -> pd.DataFrame:
    """Return one row per buurt with its residents, weight, coverage and walking distance.

    ``estimated`` marks the cells whose figures rest on an estimate from the wijk; a buurt
    with such a cell is marked ``estimated``.
    """
    position = pd.Index(buurten_rd["code"]).get_indexer(cells["buurt_code"])
    n = len(buurten_rd)
    weight = cells["weight"].to_numpy()
    counts = np.bincount(position, minlength=n)

    def total(values: np.ndarray) -> np.ndarray:  # NaN in a cell makes the buurt's sum NaN
        return np.bincount(position, weights=values, minlength=n)

    wsum = total(weight)
    w_eff = np.where(wsum[position] > 0, weight, 1.0)  # buurten without weight: plain mean
    walk = cells["walk_m"].to_numpy()
    walk_sum = total(np.where(w_eff > 0, w_eff * walk, 0.0))
    no_cells = missing | (counts == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_walk = np.where(no_cells, np.nan, walk_sum / total(w_eff))
        covered_w = total(np.where(cells["covered"], weight, 0.0))
        after_w = total(np.where(cells["covered_after"], weight, 0.0))
        share = np.where(no_cells | (wsum <= 0), np.nan, covered_w / wsum)
        share_after = np.where(no_cells | (wsum <= 0), np.nan, after_w / wsum)
        # 2SFCA per buurt: the weight-weighted mean of its cells' scores (NaN without scores).
        access = cells["access"].to_numpy(dtype="float64")
        access_sum = total(np.where(w_eff > 0, w_eff * access, 0.0))
        mean_access = np.where(no_cells, np.nan, access_sum / total(w_eff))
    parent = buurten_rd["parent_code"] if "parent_code" in buurten_rd.columns else None
    return pd.DataFrame(
        {
            "code": buurten_rd["code"].to_numpy(),
            "name": buurten_rd["name"].to_numpy(),
            "wijk_code": parent.to_numpy() if parent is not None else None,
            "residents": np.where(no_cells, np.nan, total(cells["residents"].to_numpy())),
            "residents_65": np.where(no_cells, np.nan, total(cells["residents_65"].to_numpy())),
            "weight": np.where(no_cells, np.nan, wsum),
            "covered_weight": np.where(no_cells, np.nan, covered_w),
            "share_covered": share,
            "share_covered_after": share_after,
            "mean_walk_m": mean_walk,
            "access": mean_access,
            "figures_missing": missing,
            "estimated": np.bincount(position, weights=estimated, minlength=n) > 0,
        }
    )


def _buurten(n: int) -> Msg:
    return Msg("note.gaps.buurten.one" if n == 1 else "note.gaps.buurten.many", n=n)


def _estimate_notes(
    buurten_rd: gpd.GeoDataFrame,
    estimate: WijkEstimate,
    is_buurt: np.ndarray,
    needs: tuple[str, ...],
    used: np.ndarray,
) -> list[Msg]:
    """Say which figures of the buurten in the demand (``used``) were estimated from the wijk."""
    marks = estimate.estimated[is_buurt].reset_index(drop=True)
    residents = used & marks["inhabitants"].to_numpy()
    others = [f for f in ESTIMATED_FIGURES if f in needs and f != "inhabitants"]
    rest = used & ~residents & marks[others].any(axis=1).to_numpy()
    notes: list[Msg] = []
    if residents.any():
        people = pd.to_numeric(buurten_rd.loc[residents, "inhabitants"], errors="coerce").sum()
        notes.append(
            Msg(
                "note.gaps.estimated_residents",
                buurten=_buurten(int(residents.sum())),
                residents=f"{float(people):.0f}",
            )
        )
    if rest.any():
        figures = [f for f in others if marks.loc[rest, f].any()]
        notes.append(
            Msg(
                "note.gaps.estimated_figures",
                buurten=_buurten(int(rest.sum())),
                figures=demand.figure_list(figures),
            )
        )
    return notes
