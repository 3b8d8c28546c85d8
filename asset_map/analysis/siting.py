"""Siting: where new meeting places cover the most people not yet within reach.

The maximal covering location problem (Church and ReVelle, 1974) on a sparse cover matrix:
choose ``k`` candidate sites so that the weight of the demand points they newly cover is as
large as possible; points that existing meeting places already cover count 0. Two solvers,
both pure numpy and scipy on the matrix:

- :func:`greedy_mclp` adds, ``k`` times, the site with the largest marginal gain. Coverage is
  submodular, so the greedy result is at least ``1 - 1/e`` (63 %) of the optimum, and
  usually within a percent of it. Lazy evaluation (CELF, Leskovec et al. 2007) recomputes a
  site's gain only when it reaches the top of the priority queue.
- :func:`exact_mclp` solves the problem as a mixed-integer programme with HiGHS, after
  dropping points no candidate reaches and merging points that the same candidates reach.

:func:`candidate_sites` gathers the candidates from the assets and the demand cells.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from asset_map.crs import STORAGE_CRS, WORK_CRS
from asset_map.i18n import Msg
from asset_map.model import catalogue

#: HiGHS stops when the relative gap between its best solution and its bound is below this.
DEFAULT_MIP_REL_GAP = 1e-6
DEFAULT_TIME_LIMIT_S = 60.0
#: Measured on random 6,000 x 1,500 and 6,000 x 6,000 instances (bench/bench_gaps.py): the
#: root LP is the bottleneck (its optimum was integral in every instance we tried); the
#: interior-point solver without HiGHS's presolve was 3-10x faster than the defaults.
HIGHS_OPTIONS: dict[str, str] = {"mip_lp_solver": "ipm", "presolve": "off"}
#: The columns of the suggested sites (:func:`site_table`).
SITE_COLUMNS = [
    "rank", "name", "kind", "asset_id", "lon", "lat", "newly_covered", "newly_residents",
    "newly_65", "buurten", "nearest_meeting_m",
]  # fmt: skip
#: Grid cells as candidates: at most this many (demand point, candidate) pairs in reach of
#: each other, estimated. Every cell of a gemeente as a candidate grows with the fourth power
#: of 1 / cell size: Utrecht in 25 m cells (168,000 cells, 281 million pairs) took 74 s and
#: 16 GB; 8 million pairs take a few seconds and well under 1 GB.
MAX_CELL_PAIRS = 8_000_000
#: And at most this many grid-cell candidates (the solvers' work grows with it).
MAX_CELL_CANDIDATES = 20_000


def _prepare(
    cover: sp.spmatrix, weights: np.ndarray, k: int, covered: np.ndarray | None
) -> tuple[sp.csc_matrix, np.ndarray]:
    """Check the inputs; return the matrix as CSC and the weights still free to cover."""
    matrix = sp.csr_matrix(cover, dtype=bool)
    n = matrix.shape[0]
    w = np.asarray(weights, dtype="float64").ravel()
    if len(w) != n:
        raise ValueError(f"weights has {len(w)} values but the cover matrix has {n} rows.")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and 0 or more.")
    if int(k) != k or k < 0:
        raise ValueError(f"k must be a whole number of 0 or more, got {k}.")
    free = w.copy()
    if covered is not None:
        done = np.asarray(covered, dtype=bool).ravel()
        if len(done) != n:
            raise ValueError(f"covered has {len(done)} values but the cover matrix has {n} rows.")
        free[done] = 0.0
    return matrix.tocsc(), free


def _column(csc: sp.csc_matrix, j: int) -> np.ndarray:
    return csc.indices[csc.indptr[j] : csc.indptr[j + 1]]


def greedy_mclp(
    cover: sp.spmatrix, weights: np.ndarray, k: int, *, covered: np.ndarray | None = None
) -> tuple[list[int], float]:
    """Choose up to ``k`` sites greedily, with lazy (CELF) evaluation of the gains.

    Parameters
    ----------
    cover : scipy.sparse matrix
        Boolean ``(n_demand, n_candidates)``: True where the candidate covers the point.
    weights : ndarray
        ``(n_demand,)`` weights, 0 or more.
    k : int
        How many sites to choose at most.
    covered : ndarray, optional
        ``(n_demand,)`` booleans: points already covered (they add nothing).

    Returns
    -------
    tuple
        ``(chosen, objective)``: the candidate columns in the order they were chosen (their
        rank), and the weight they newly cover. Fewer than ``k`` sites are chosen when no
        further candidate adds any weight. Ties go to the lowest column.
    """
    csc, free = _prepare(cover, weights, k, covered)
    m = csc.shape[1]
    gains = csc.T.astype("float64") @ free
    heap = [(-float(g), j) for j, g in enumerate(gains) if g > 0]
    heapq.heapify(heap)
    fresh_at = np.zeros(m, dtype=np.int64)  # the round in which a heap entry was computed
    chosen: list[int] = []
    objective = 0.0
    while heap and len(chosen) < k:
        neg_gain, j = heapq.heappop(heap)
        rows = _column(csc, j)
        if fresh_at[j] == len(chosen):
            chosen.append(j)
            objective += -neg_gain
            free[rows] = 0.0
            continue
        gain = float(free[rows].sum())
        fresh_at[j] = len(chosen)
        if gain > 0:
            heapq.heappush(heap, (-gain, j))
    return chosen, objective


def newly_covered(
    cover: sp.spmatrix,
    chosen: list[int],
    *,
    covered: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Return, per chosen site in order, the points it covers that nothing before it did.

    Parameters
    ----------
    cover : scipy.sparse matrix
        Boolean ``(n_demand, n_candidates)``.
    chosen : list of int
        Candidate columns in rank order.
    covered : ndarray, optional
        Points already covered by existing supply.

    Returns
    -------
    list of ndarray
        One boolean ``(n_demand,)`` mask per chosen site.
    """
    csc = sp.csc_matrix(cover, dtype=bool)
    done = (
        np.zeros(csc.shape[0], dtype=bool)
        if covered is None
        else np.asarray(covered, dtype=bool).copy()
    )
    masks = []
    for j in chosen:
        mask = np.zeros(csc.shape[0], dtype=bool)
        rows = _column(csc, j)
        mask[rows[~done[rows]]] = True
        done[rows] = True
        masks.append(mask)
    return masks


def rank_sites(
    cover: sp.spmatrix,
    weights: np.ndarray,
    chosen: list[int],
    *,
    covered: np.ndarray | None = None,
) -> list[int]:
    """Order a set of chosen sites by marginal gain (greedy order within the set).

    Sites that add nothing to the others are left out.
    """
    if not chosen:
        return []
    cols = np.asarray(chosen, dtype=np.int64)
    order, _ = greedy_mclp(sp.csr_matrix(cover)[:, cols], weights, len(cols), covered=covered)
    return [int(cols[i]) for i in order]


def exact_mclp(
    cover: sp.spmatrix,
    weights: np.ndarray,
    k: int,
    *,
    covered: np.ndarray | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_rel_gap: float = DEFAULT_MIP_REL_GAP,
) -> tuple[list[int], float, float]:
    """Choose up to ``k`` sites optimally: a mixed-integer programme solved by HiGHS.

    The model: binary ``x_j`` per candidate; continuous ``0 <= y_i <= 1`` only for points
    that are not yet covered, have weight and can be covered; ``y_i <= sum x_j`` over the
    candidates covering ``i``; ``sum x_j <= k``; maximise ``sum w_i y_i``. Points covered by
    the same candidates are merged first (their weights added), and the greedy solution is
    passed to HiGHS as a starting point.

    Parameters
    ----------
    cover : scipy.sparse matrix
        Boolean ``(n_demand, n_candidates)``: True where the candidate covers the point.
    weights : ndarray
        ``(n_demand,)`` weights, 0 or more.
    k : int
        How many sites to choose at most.
    covered : ndarray, optional
        ``(n_demand,)`` booleans: points already covered (they add nothing).
    time_limit_s : float
        HiGHS stops after this many seconds with its best solution so far.
    mip_rel_gap : float
        HiGHS stops when its solution is proven within this fraction of the optimum.

    Returns
    -------
    tuple
        ``(chosen, objective, mip_gap)``: the chosen columns ranked by marginal gain, the
        weight they newly cover, and the relative gap HiGHS proved (0 when optimal).
    """
    import highspy

    csc, free = _prepare(cover, weights, k, covered)
    csr = csc.tocsr()
    rows = np.flatnonzero((free > 0) & (np.diff(csr.indptr) > 0))
    sub = csr[rows]
    useful = np.flatnonzero(np.diff(sub.tocsc().indptr) > 0)
    if k == 0 or len(useful) == 0:
        return [], 0.0, 0.0
    if len(useful) <= k:
        chosen = rank_sites(csc, free, [int(j) for j in useful])
        return chosen, _objective(csc, free, chosen), 0.0
    sub = sub[:, useful].tocsr()
    unique, w = _merge_rows(sub, free[rows])
    n_x, n_y = unique.shape[1], unique.shape[0]
    a = sp.bmat(
        [
            [-unique.astype("float64"), sp.identity(n_y, format="csr")],
            [sp.csr_matrix(np.ones((1, n_x))), None],
        ],
        format="csc",
    )
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_x + n_y, n_y + 1
    lp.col_cost_ = np.concatenate([np.zeros(n_x), w])
    lp.col_lower_ = np.zeros(n_x + n_y)
    lp.col_upper_ = np.ones(n_x + n_y)
    lp.row_lower_ = np.full(n_y + 1, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.zeros(n_y), [float(k)]])
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_x + [
        highspy.HighsVarType.kContinuous
    ] * n_y
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_x + n_y, n_y + 1
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    for option, value in HIGHS_OPTIONS.items():
        h.setOptionValue(option, value)
    h.passModel(lp)
    start, _ = greedy_mclp(unique, w, k)
    x0 = np.zeros(n_x + n_y)
    x0[start] = 1.0
    x0[n_x:] = (unique[:, start].getnnz(axis=1) > 0).astype("float64")
    solution = highspy.HighsSolution()
    solution.col_value = list(x0)
    solution.value_valid = True
    h.setSolution(solution)
    h.run()
    values = np.asarray(h.getSolution().col_value[:n_x])
    picked = [int(useful[j]) for j in np.flatnonzero(values > 0.5)]
    if not picked:  # no solution at all within the time limit: the greedy start stands
        picked = [int(useful[j]) for j in start]
    chosen = rank_sites(csc, free, picked)
    gap = float(h.getInfo().mip_gap)
    return chosen, _objective(csc, free, chosen), max(gap, 0.0) if np.isfinite(gap) else gap


def _objective(csc: sp.csc_matrix, free: np.ndarray, chosen: list[int]) -> float:
    """Return the free weight that the chosen columns cover together."""
    if not chosen:
        return 0.0
    hit = np.zeros(csc.shape[0], dtype=bool)
    for j in chosen:
        hit[_column(csc, j)] = True
    return float(free[hit].sum())


def _merge_rows(matrix: sp.csr_matrix, weights: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Merge rows with the same pattern of columns, adding their weights."""
    matrix = sp.csr_matrix(matrix)
    matrix.sort_indices()
    index: dict[bytes, int] = {}
    first: list[int] = []
    total: list[float] = []
    for i in range(matrix.shape[0]):
        key = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tobytes()
        at = index.get(key)
        if at is None:
            index[key] = len(first)
            first.append(i)
            total.append(float(weights[i]))
        else:
            total[at] += float(weights[i])
    return matrix[first], np.asarray(total)


def candidate_sites(
    assets_rd: gpd.GeoDataFrame,
    asset_xy: np.ndarray,
    cells: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    kinds: Sequence[str],
    meeting_types: Sequence[str],
    include_planned: bool,
    cell_rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Return the candidate sites for new meeting places.

    Parameters
    ----------
    assets_rd : GeoDataFrame
        Assets with ``type`` and ``status`` (``name`` and ``id`` when present).
    asset_xy : ndarray
        ``(n_assets, 2)`` RD New point of each asset (NaN where it has no geometry).
    cells : GeoDataFrame
        Demand cells with ``buurt_code``, ``x`` and ``y``.
    buurten_rd : GeoDataFrame
        Buurten with ``code`` and ``name``.
    kinds : sequence of str
        Any of ``planned`` (planned meeting places, unless ``include_planned`` already
        counts them as supply), ``hosts`` (existing assets of types that can host, which are
        not meeting places) and ``cells`` (every demand cell's point).
    meeting_types : sequence of str
        The asset types that count as meeting places.
    include_planned : bool
        Whether planned meeting places already count as supply.
    cell_rows : ndarray, optional
        The positions of the cells that are candidates (:func:`thin_cells`); all by default.

    Returns
    -------
    DataFrame
        ``name``, ``kind`` (``planned``, ``host`` or ``cell``), ``asset_id`` (None for
        cells), ``x``, ``y`` (RD New metres).
    """
    parts = []
    types = assets_rd["type"]
    status = assets_rd["status"].astype(str)
    valid = np.isfinite(asset_xy).all(axis=1)
    hosts = [k for k, t in catalogue().types.items() if t.can_host and k not in meeting_types]
    masks = {
        "planned": ("planned", types.isin(meeting_types) & (status == "planned")),
        "hosts": ("host", types.isin(hosts) & (status == "existing")),
    }
    names = assets_rd["name"] if "name" in assets_rd.columns else types
    ids = assets_rd["id"] if "id" in assets_rd.columns else pd.Series(None, index=types.index)
    for key, (kind, mask) in masks.items():
        if key not in kinds or (key == "planned" and include_planned):
            continue
        rows = np.flatnonzero(mask.to_numpy() & valid)
        parts.append(
            pd.DataFrame(
                {
                    "name": names.iloc[rows].astype(object).to_numpy(),
                    "kind": kind,
                    "asset_id": ids.iloc[rows].astype(object).to_numpy(),
                    "x": asset_xy[rows, 0],
                    "y": asset_xy[rows, 1],
                }
            )
        )
    if "cells" in kinds:
        buurt_names = buurten_rd.set_index("code")["name"]
        if cell_rows is not None:
            cells = cells.iloc[np.asarray(cell_rows, dtype=np.int64)]
        parts.append(
            pd.DataFrame(
                {
                    "name": pd.Series(  # object, not str: keep each name's translations
                        [
                            Msg("note.gaps.cell_name", buurt=str(buurt_names.get(c, c)))
                            for c in cells["buurt_code"]
                        ],
                        dtype=object,
                    ),
                    "kind": "cell",
                    "asset_id": None,
                    "x": cells["x"].to_numpy(),
                    "y": cells["y"].to_numpy(),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["name", "kind", "asset_id", "x", "y"])
    return pd.concat(parts, ignore_index=True)


def thin_cells(
    xy: np.ndarray, weight: np.ndarray, *, cell_m: float, reach_m: float
) -> tuple[np.ndarray, float]:
    """Return which demand cells to offer as candidate sites, and the grid step used.

    With small cells (or a large area) every cell as a candidate makes the cover matrix
    grow with the fourth power of 1 / ``cell_m``. When the estimated number of (cell,
    candidate) pairs in reach is above :data:`MAX_CELL_PAIRS`, or the cells are more than
    :data:`MAX_CELL_CANDIDATES`, the cells are grouped into blocks of ``step`` metres (the
    smallest multiple of ``cell_m`` that is enough) and each block offers one candidate: its
    cell nearest to the block's weighted centre. The demand itself keeps every cell.

    Parameters
    ----------
    xy : ndarray
        ``(n, 2)`` RD New points of the demand cells.
    weight : ndarray
        ``(n,)`` weighted residents of the cells (NaN counts as 0).
    cell_m : float
        The side of a demand cell.
    reach_m : float
        The distance a candidate reaches (straight line or walking).

    Returns
    -------
    tuple
        ``(rows, step_m)``: the sorted positions of the cells kept, and the block size
        (``cell_m`` when every cell is kept).
    """
    points = np.asarray(xy, dtype="float64").reshape(-1, 2)
    n = len(points)
    per_candidate = max(1.0, np.pi * reach_m**2 / cell_m**2)  # cells in reach of one
    limit = max(1, min(MAX_CELL_CANDIDATES, int(MAX_CELL_PAIRS / per_candidate)))
    if n <= limit:
        return np.arange(n), float(cell_m)
    w = np.nan_to_num(np.asarray(weight, dtype="float64").ravel())
    factor = max(2, int(np.ceil(np.sqrt(n / limit))))
    while True:
        step = factor * cell_m
        block = np.floor(points / step).astype(np.int64)
        _, group = np.unique(block, axis=0, return_inverse=True)
        group = group.ravel()
        n_groups = int(group.max()) + 1
        if n_groups <= limit:
            break
        factor += 1
    total = np.bincount(group, weights=w, minlength=n_groups)
    count = np.bincount(group, minlength=n_groups).astype("float64")
    use_w = np.where(total[group] > 0, w, 1.0)  # a block without weight: its plain centre
    norm = np.bincount(group, weights=use_w, minlength=n_groups)
    centre = (
        np.column_stack(
            [np.bincount(group, weights=use_w * points[:, k], minlength=n_groups) for k in (0, 1)]
        )
        / np.where(norm > 0, norm, count)[:, None]
    )
    far = np.hypot(*(points - centre[group]).T)
    order = np.lexsort((np.arange(n), far, group))  # per block: nearest first, then lowest
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]]
    return np.sort(first), float(step)


def site_table(
    chosen: pd.DataFrame,
    masks: list[np.ndarray],
    cells: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    nearest_m: np.ndarray,
) -> gpd.GeoDataFrame:
    """Return the chosen sites in rank order with what each newly covers (EPSG:4326).

    Parameters
    ----------
    chosen : DataFrame
        The chosen candidates (:func:`candidate_sites` rows) in rank order.
    masks : list of ndarray
        Per chosen site, the cells it newly covers (:func:`newly_covered`).
    cells : GeoDataFrame
        The demand cells with ``buurt_code``, ``weight``, ``residents``, ``residents_65``.
    buurten_rd : GeoDataFrame
        Buurten with ``code`` and ``name``.
    nearest_m : ndarray
        Per chosen site, the distance to the nearest existing meeting place (inf if none).
    """
    xy = chosen[["x", "y"]].to_numpy(dtype="float64")
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=WORK_CRS)
    points = points.to_crs(STORAGE_CRS)
    names = buurten_rd.set_index("code")["name"]
    weight = cells["weight"].to_numpy()
    rows = []
    for mask in masks:
        gained = pd.Series(weight[mask]).groupby(cells["buurt_code"].to_numpy()[mask]).sum()
        gained = gained[gained > 0].sort_values(ascending=False, kind="stable")
        rows.append(
            {
                "newly_covered": float(weight[mask].sum()),
                "newly_residents": float(np.nansum(cells["residents"].to_numpy()[mask])),
                # Unknown when any newly covered cell has no 65+ figure: never taken as 0.
                "newly_65": float(cells["residents_65"].to_numpy()[mask].sum()),
                "buurten": [str(names.get(code, code)) for code in gained.index],
            }
        )
    gains = pd.DataFrame(rows, columns=["newly_covered", "newly_residents", "newly_65", "buurten"])
    frame = pd.DataFrame(
        {
            "rank": np.arange(1, len(chosen) + 1),
            "name": pd.Series(list(chosen["name"]), dtype=object),  # keeps Msg names
            "kind": chosen["kind"].to_numpy(),
            "asset_id": [None if pd.isna(v) else str(v) for v in chosen["asset_id"]],
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
        }
    )
    frame = pd.concat([frame, gains], axis=1)
    frame["nearest_meeting_m"] = np.asarray(nearest_m, dtype="float64")
    return gpd.GeoDataFrame(frame[SITE_COLUMNS], geometry=points.to_numpy(), crs=STORAGE_CRS)
