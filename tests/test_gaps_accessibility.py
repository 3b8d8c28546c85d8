"""accessibility: the two-step floating catchment method on a layout checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from asset_map.analysis.accessibility import access_scores, fill_capacities, two_step_fca
from asset_map.analysis.coverage import cover_matrix


def test_two_step_fca_by_hand():
    # Points P0 (weight 10) and P1 (weight 30); site S0 (capacity 20) reaches both, S1
    # (capacity 40) only P1, S2 (capacity 5) nobody.
    cover = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]], dtype=bool))
    scores = two_step_fca(cover, np.array([10.0, 30.0]), np.array([20.0, 40.0, 5.0]))
    # R0 = 20 / (10 + 30) = 0.5; R1 = 40 / 30; R2 serves nobody.
    assert scores == pytest.approx([0.5, 0.5 + 40 / 30])


def test_two_step_fca_from_coordinates():
    # Points on a line 0, 400, 1200 m; sites at 0 and 1200 with 600 m catchments.
    demand = np.array([[0.0, 0.0], [400.0, 0.0], [1200.0, 0.0]])
    sites = np.array([[0.0, 0.0], [1200.0, 0.0]])
    cover = cover_matrix(demand, sites, 600.0)
    scores = two_step_fca(cover, np.array([1.0, 3.0, 2.0]), np.array([8.0, 4.0]))
    assert scores == pytest.approx([2.0, 2.0, 2.0])  # 8 / (1 + 3) and 4 / 2
    # Total capacity is shared out: sum of weight x score = sum of capacities in use.
    assert (np.array([1.0, 3.0, 2.0]) * scores).sum() == pytest.approx(12.0)


def test_unreached_points_score_zero():
    cover = sp.csr_matrix((2, 1), dtype=bool)
    assert two_step_fca(cover, np.ones(2), np.array([10.0])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    "weights, capacity, match",
    [
        (np.ones(3), np.ones(1), "are 3 weights and 1 capacities"),
        (np.ones(2), np.array([np.nan]), "fill in missing ones first"),
        (np.ones(2), np.array([-1.0]), "0 or more"),
        (np.array([1.0, -1.0]), np.ones(1), "Weights must be"),
    ],
)
def test_bad_inputs_are_refused(weights, capacity, match):
    with pytest.raises(ValueError, match=match):
        two_step_fca(sp.csr_matrix(np.ones((2, 1), dtype=bool)), weights, capacity)


def test_fill_capacities_with_the_median():
    filled, n = fill_capacities(np.array([10.0, np.nan, 30.0, 20.0, -99997.0]))
    assert filled is not None
    assert filled.tolist() == [10.0, 20.0, 30.0, 20.0, 20.0] and n == 2
    assert fill_capacities(np.array([np.nan, np.nan])) == (None, 0)


def test_access_scores_fill_and_say_so():
    cover = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]], dtype=bool))
    scores, note = access_scores(cover, np.array([10.0, 30.0]), np.array([20.0, np.nan, 60.0]))
    # S1 gets the median of 20 and 60: 40, as in test_two_step_fca_by_hand.
    assert scores == pytest.approx([0.5, 0.5 + 40 / 30])
    assert note == (
        "1 of the 3 meeting places have no capacity: gave them the median of the others (40) "
        "for the accessibility score."
    )
    scores, note = access_scores(cover, np.array([10.0, 30.0]), np.full(3, np.nan))
    assert np.isnan(scores).all() and note is None
