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

The candidates and the table of chosen sites are in :mod:`sites`.
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy.sparse as sp

from asset_map import settings

#: HiGHS stops when the relative gap between its best solution and its bound is below this.
DEFAULT_MIP_REL_GAP = 1e-6
DEFAULT_TIME_LIMIT_S = settings.TIME_LIMIT_S.default
#: Measured on random 6,000 x 1,500 and 6,000 x 6,000 instances (bench/bench_gaps.py): the
#: root LP is the bottleneck (its optimum was integral in every instance we tried); the
#: interior-point solver without HiGHS's presolve was 3-10x faster than the defaults.
HIGHS_OPTIONS: dict[str, str] = {"mip_lp_solver": "ipm", "presolve": "off"}


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
    h = _quiet_highs()
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


def _quiet_highs() -> Any:
    """Return a HiGHS instance that prints nothing on stdout.

    HiGHS prints its banner when the instance is made, before any option can switch its
    output off (highspy 1.16): that line goes to stderr, so that stdout carries only what
    the program itself prints (``asset-map gaps --json`` prints JSON only).
    """
    import highspy

    with _stdout_to_stderr():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    return h


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what native code writes to file descriptor 1 (stdout) to stderr meanwhile."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all (a service without one): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        _flush_c_stdout()
        os.dup2(saved, 1)
        os.close(saved)


def _flush_c_stdout() -> None:
    """Flush the C library's stdout buffer (text native code wrote but did not flush yet)."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)


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
