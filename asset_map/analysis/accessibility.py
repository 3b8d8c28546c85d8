"""Accessibility: the two-step floating catchment area method (2SFCA, Luo and Wang 2003).

Coverage says whether a meeting place is within reach; 2SFCA also weighs how many people
share it. Both steps use the same catchment, the cover matrix of :mod:`coverage`:

1. for every site ``j``: ``R_j = capacity_j / (sum of the weights of the points within its
   catchment)``, the places per weighted resident it offers;
2. for every demand point ``i``: ``A_i = sum of R_j over the sites within its catchment``.

A site with no weight in its catchment serves nobody and adds nothing (``R_j = 0``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from asset_map.i18n import Msg


def two_step_fca(cover: sp.spmatrix, weights: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Return the 2SFCA accessibility score of every demand point.

    Parameters
    ----------
    cover : scipy.sparse matrix
        Boolean ``(n_demand, n_sites)``: True where the point lies in the site's catchment.
    weights : ndarray
        ``(n_demand,)`` demand weights (e.g. weighted residents), 0 or more.
    capacity : ndarray
        ``(n_sites,)`` capacities (e.g. seats), 0 or more, no NaN.

    Returns
    -------
    ndarray
        ``(n_demand,)`` scores in capacity per unit of weight; 0 where no site is in reach.
    """
    matrix = sp.csr_matrix(cover, dtype=bool).astype("float64")
    w = np.asarray(weights, dtype="float64").ravel()
    cap = np.asarray(capacity, dtype="float64").ravel()
    n, m = matrix.shape
    if len(w) != n or len(cap) != m:
        raise ValueError(
            f"The cover matrix is {n} x {m} but there are {len(w)} weights and "
            f"{len(cap)} capacities."
        )
    if not np.isfinite(cap).all() or (cap < 0).any():
        raise ValueError("Capacities must be finite and 0 or more; fill in missing ones first.")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("Weights must be finite and 0 or more.")
    demand = matrix.T @ w
    ratio = np.divide(cap, demand, out=np.zeros(m), where=demand > 0)
    return np.asarray(matrix @ ratio, dtype="float64")


def fill_capacities(capacity: np.ndarray) -> tuple[np.ndarray | None, int]:
    """Fill missing capacities with the median of the known ones.

    Parameters
    ----------
    capacity : ndarray
        Capacities with NaN (or a negative number) where unknown.

    Returns
    -------
    tuple
        ``(filled, n_filled)``; ``filled`` is None when no capacity is known at all.
    """
    cap = np.asarray(capacity, dtype="float64").ravel()
    known = np.isfinite(cap) & (cap >= 0)
    if not known.any():
        return None, 0
    filled = np.where(known, cap, float(np.median(cap[known])))
    return filled, int((~known).sum())


def access_scores(
    cover: sp.spmatrix, weights: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, str | None]:
    """Return the 2SFCA scores, filling missing capacities with the median of the others.

    Parameters
    ----------
    cover : scipy.sparse matrix
        Boolean ``(n_demand, n_sites)`` catchments.
    weights : ndarray
        ``(n_demand,)`` demand weights.
    capacity : ndarray
        ``(n_sites,)`` capacities, NaN where unknown.

    Returns
    -------
    tuple
        ``(scores, note)``: NaN scores everywhere when no site has a capacity; the note says
        how many capacities were filled in, or is None.
    """
    cap = np.asarray(capacity, dtype="float64").ravel()
    filled, n_filled = fill_capacities(cap)
    if filled is None:
        return np.full(cover.shape[0], np.nan), None
    note = None
    if n_filled:
        median = float(np.median(cap[np.isfinite(cap) & (cap >= 0)]))
        note = Msg("note.gaps.capacity_median", n=n_filled, total=len(cap), median=f"{median:g}")
    return two_step_fca(cover, weights, filled), note
