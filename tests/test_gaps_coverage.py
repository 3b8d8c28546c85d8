"""coverage: cover matrices, nearest distances and shares on layouts with known answers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from asset_map.analysis.coverage import (
    as_xy,
    cover_matrix,
    covered_after,
    covered_shares,
    is_covered,
    nearest_m,
    sites_in_reach,
)

#: Three demand points 300 m apart along x, two sites.
DEMAND = np.array([[0.0, 0.0], [300.0, 0.0], [600.0, 0.0]])
SITES = np.array([[0.0, 400.0], [600.0, -100.0]])


def test_cover_matrix_known_answer():
    # Distances: point 0 -> site 0: 400, -> site 1: 608; point 1 -> 500, 316; point 2 -> 721, 100.
    cover = cover_matrix(DEMAND, SITES, 450.0)
    assert sp.issparse(cover) and cover.dtype == bool and cover.shape == (3, 2)
    assert cover.toarray().tolist() == [[True, False], [False, True], [False, True]]
    # A site exactly at the radius covers the point.
    assert cover_matrix(DEMAND, SITES, 400.0)[0, 0]
    assert not cover_matrix(DEMAND, SITES, 399.999)[0, 0]
    assert sites_in_reach(cover_matrix(DEMAND, SITES, 650.0)).tolist() == [2, 2, 1]


def test_cover_matrix_empty_sides():
    assert cover_matrix(DEMAND, np.zeros((0, 2)), 500).shape == (3, 0)
    assert cover_matrix(np.zeros((0, 2)), SITES, 500).shape == (0, 2)
    assert not is_covered(cover_matrix(DEMAND, [], 500)).any()


def test_nearest_m_known_answer():
    expected = [400.0, np.hypot(300, 100), 100.0]
    assert np.allclose(nearest_m(DEMAND, SITES), expected)
    assert np.isinf(nearest_m(DEMAND, np.zeros((0, 2)))).all()
    assert nearest_m(np.zeros((0, 2)), SITES).shape == (0,)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.zeros((3, 3)), r"\(n, 2\) array"),
        (np.array([[0.0, np.nan]]), "NaN or infinite"),
        (np.zeros(4), r"\(n, 2\) array"),
    ],
)
def test_bad_coordinates_are_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        as_xy(bad)
    with pytest.raises(ValueError, match=match):
        cover_matrix(DEMAND, bad, 100)


def test_negative_radius_is_refused():
    with pytest.raises(ValueError, match="radius_m must be 0 or more"):
        cover_matrix(DEMAND, SITES, -1)


def test_covered_after_and_shares():
    cover = cover_matrix(DEMAND, SITES, 450.0)
    assert covered_after(cover, [0]).tolist() == [True, False, False]
    assert covered_after(cover, []).tolist() == [False, False, False]
    groups = np.array([0, 0, 1])
    total, hit, share = covered_shares(
        groups, np.array([1.0, 3.0, 2.0]), covered_after(cover, [0]), 3
    )
    assert total.tolist() == [4.0, 2.0, 0.0]
    assert hit.tolist() == [1.0, 0.0, 0.0]
    assert share[:2].tolist() == [0.25, 0.0] and np.isnan(share[2])


def test_matches_brute_force_on_a_lattice():
    # A 21 x 21 lattice of 100 m; a site in the middle covers the lattice points in a disc.
    xs = np.arange(-1000, 1001, 100.0)
    gx, gy = np.meshgrid(xs, xs)
    demand = np.column_stack([gx.ravel(), gy.ravel()])
    cover = cover_matrix(demand, [[0.0, 0.0]], 500.0)
    expected = (demand**2).sum(axis=1) <= 500.0**2
    assert (is_covered(cover) == expected).all()
    assert expected.sum() == 81  # lattice points of Z^2 in a disc of radius 5


coords = arrays(np.float64, st.tuples(st.integers(1, 30), st.just(2)), elements=st.floats(0, 3000))


@settings(max_examples=60, deadline=None)
@given(demand=coords, sites=coords, extra=coords, radius=st.floats(10, 2000))
def test_adding_sites_never_lowers_coverage(demand, sites, extra, radius):
    before = cover_matrix(demand, sites, radius)
    after = cover_matrix(demand, np.vstack([sites, extra]), radius)
    assert (is_covered(after) >= is_covered(before)).all()
    assert (sites_in_reach(after) >= sites_in_reach(before)).all()
    assert (nearest_m(demand, np.vstack([sites, extra])) <= nearest_m(demand, sites)).all()
    # Coverage is exactly "nearest site within the radius".
    assert (is_covered(before) == (nearest_m(demand, sites) <= radius)).all()
