"""Coverage: which demand points lie within reach of which sites (pure numpy and scipy).

Every function here takes coordinates as ``(n, 2)`` arrays of metres in a projected CRS
(RD New, EPSG:28992, in the Netherlands) and measures straight-line distances with a
k-d tree. The gap analysis turns a walking distance into a straight-line radius by dividing
it by a detour factor; a street network (:mod:`asset_map.analysis.network`) can stand in for
these functions with the same shapes of input and output.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree


def as_xy(xy: np.ndarray, what: str = "points") -> np.ndarray:
    """Return ``xy`` as a float ``(n, 2)`` array, or raise a ValueError saying what is wrong.

    Parameters
    ----------
    xy : ndarray
        Coordinates, one row per point; an empty input may have any shape with 0 rows.
    what : str
        What the points are, for the message.
    """
    arr = np.asarray(xy, dtype="float64")
    if arr.size == 0:
        return arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"The {what} must be an (n, 2) array of x, y; got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"The {what} hold coordinates that are NaN or infinite.")
    return arr


def cover_matrix(demand_xy: np.ndarray, site_xy: np.ndarray, radius_m: float) -> sp.csr_matrix:
    """Return which sites lie within ``radius_m`` of each demand point.

    Parameters
    ----------
    demand_xy : ndarray
        ``(n_demand, 2)`` coordinates in metres.
    site_xy : ndarray
        ``(n_sites, 2)`` coordinates in metres, in the same CRS.
    radius_m : float
        The straight-line radius; a site at exactly this distance covers the point.

    Returns
    -------
    scipy.sparse.csr_matrix
        Boolean, ``(n_demand, n_sites)``; True where the site covers the point. Column
        indices are sorted within each row.
    """
    demand = as_xy(demand_xy, "demand points")
    sites = as_xy(site_xy, "sites")
    if not radius_m >= 0:
        raise ValueError(f"radius_m must be 0 or more, got {radius_m}.")
    n, m = len(demand), len(sites)
    if n == 0 or m == 0:
        return sp.csr_matrix((n, m), dtype=bool)
    lists = cKDTree(sites).query_ball_point(demand, r=radius_m, return_sorted=True)
    lengths = np.fromiter((len(row) for row in lists), dtype=np.int64, count=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = (
        np.concatenate([np.asarray(row, dtype=np.int64) for row in lists if row])
        if indptr[-1]
        else np.zeros(0, dtype=np.int64)
    )
    data = np.ones(len(indices), dtype=bool)
    return sp.csr_matrix((data, indices, indptr), shape=(n, m))


def nearest_m(demand_xy: np.ndarray, site_xy: np.ndarray) -> np.ndarray:
    """Return the straight-line distance from each demand point to its nearest site.

    Parameters
    ----------
    demand_xy : ndarray
        ``(n_demand, 2)`` coordinates in metres.
    site_xy : ndarray
        ``(n_sites, 2)`` coordinates in metres, in the same CRS.

    Returns
    -------
    ndarray
        ``(n_demand,)`` metres; ``inf`` everywhere when there are no sites.
    """
    demand = as_xy(demand_xy, "demand points")
    sites = as_xy(site_xy, "sites")
    if len(sites) == 0:
        return np.full(len(demand), np.inf)
    if len(demand) == 0:
        return np.zeros(0)
    dist, _ = cKDTree(sites).query(demand, k=1)
    return np.asarray(dist, dtype="float64")


def is_covered(cover: sp.csr_matrix) -> np.ndarray:
    """Return, per row of a cover matrix, whether any site covers it."""
    return np.diff(sp.csr_matrix(cover).indptr) > 0


def sites_in_reach(cover: sp.csr_matrix) -> np.ndarray:
    """Return, per demand point, how many sites cover it."""
    return np.diff(sp.csr_matrix(cover).indptr).astype(np.int64)


def covered_after(cover: sp.csr_matrix, chosen: list[int] | np.ndarray) -> np.ndarray:
    """Return, per demand point, whether one of the ``chosen`` columns covers it."""
    cols = np.asarray(chosen, dtype=np.int64)
    if len(cols) == 0:
        return np.zeros(cover.shape[0], dtype=bool)
    return is_covered(sp.csr_matrix(cover)[:, cols])


def group_sums(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Return the sum of ``values`` per group (groups are integers ``0 .. n_groups - 1``).

    NaN values are left out of the sums.
    """
    vals = np.where(np.isnan(values), 0.0, values).astype("float64")
    return np.bincount(np.asarray(groups, dtype=np.int64), weights=vals, minlength=n_groups)


def covered_shares(
    groups: np.ndarray, weights: np.ndarray, covered: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per group, the total weight, the covered weight and the covered share.

    Parameters
    ----------
    groups : ndarray
        Integer group (buurt) of each demand point.
    weights : ndarray
        Weight of each demand point.
    covered : ndarray
        Boolean: whether each demand point is within reach.
    n_groups : int
        The number of groups.

    Returns
    -------
    tuple of ndarray
        ``(total, covered_weight, share)``; the share is NaN where the total is 0.
    """
    total = group_sums(groups, weights, n_groups)
    hit = group_sums(groups, np.where(covered, weights, 0.0), n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, hit / np.where(total > 0, total, 1.0), np.nan)
    return total, hit, share
