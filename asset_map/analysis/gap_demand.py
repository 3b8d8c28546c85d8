"""The demand of the gap analysis: residents on cells, with what was estimated or missing.

Each buurt's residents are spread over a grid of cells (:mod:`demand`), or taken from a CBS
population grid (:mod:`population_grid`); figures a buurt lacks but its wijk has are
estimated and marked (:mod:`wijk_figures`), never taken as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import SchemaError
from asset_map.analysis import demand
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.population_grid import grid_demand, grid_residents_by_buurt
from asset_map.analysis.wijk_figures import (
    ESTIMATED_FIGURES,
    WijkEstimate,
    estimate_from_wijken,
)
from asset_map.crs import WORK_CRS
from asset_map.i18n import Msg


@dataclass
class Demand:
    """The demand of a gap analysis: cells with residents, and what was estimated or missing.

    Attributes
    ----------
    cells : GeoDataFrame
        Cells (RD New) with ``buurt_code``, ``x``, ``y``, ``residents``, ``residents_65``,
        ``single_households``.
    buurten_rd : GeoDataFrame
        The buurten (RD New), with their figures (estimated from the wijk where needed).
    missing : ndarray
        Per buurt: left out (no figures, nor a wijk figure to estimate from).
    estimated : ndarray
        Per cell: its figures rest on an estimate from the wijk.
    notes : list of str
        What was estimated, assumed or left out (``Msg`` texts).
    """

    cells: gpd.GeoDataFrame
    buurten_rd: gpd.GeoDataFrame
    missing: np.ndarray
    estimated: np.ndarray
    notes: list[str]


def gap_demand(
    areas: gpd.GeoDataFrame,
    params: GapParams,
    *,
    population_grid: gpd.GeoDataFrame | None = None,
) -> Demand:
    """Return the demand cells of the buurten in ``areas`` (or of a population grid).

    Raises
    ------
    SchemaError
        When no buurt has the figures the weights need, or the grid lies elsewhere.
    """
    w = params.weights
    needs = demand.needed_figures(
        aged_65_plus=w.aged_65_plus > 0, single_households=w.single_households > 0
    )
    warnings: list[str] = []
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
    return Demand(cells, buurten_rd, missing, np.asarray(in_guess, dtype=bool), warnings)


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
