"""siting: greedy (CELF) and exact (HiGHS) maximal covering, against hand answers,
brute force, the (1 - 1/e) guarantee and PySAL spopt's MCLP."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from asset_map.analysis.coverage import cover_matrix, is_covered
from asset_map.analysis.siting import exact_mclp, greedy_mclp, newly_covered, rank_sites


def matrix(rows: list[str]) -> sp.csr_matrix:
    """A cover matrix from strings like '10' (point covered by candidate 0, not 1)."""
    return sp.csr_matrix(np.array([[c == "1" for c in row] for row in rows], dtype=bool))


def brute_force(cover: sp.csr_matrix, w: np.ndarray, k: int, covered: np.ndarray) -> float:
    best = 0.0
    m = cover.shape[1]
    for size in range(min(k, m) + 1):
        for subset in itertools.combinations(range(m), size):
            hit = is_covered(cover[:, list(subset)]) if subset else np.zeros(len(w), bool)
            best = max(best, float(w[hit & ~covered].sum()))
    return best


def instance(seed: int, n: int = 40, m: int = 10, side: float = 3000.0, radius: float = 600.0):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, side, (n, 2))
    cand = rng.uniform(0, side, (m, 2))
    existing = rng.uniform(0, side, (2, 2))
    w = rng.integers(0, 20, n).astype(float)
    covered = is_covered(cover_matrix(demand, existing, radius))
    return demand, cand, existing, w, covered, cover_matrix(demand, cand, radius)


# --- known answers ---------------------------------------------------------------------------

# Candidate 0 covers points 0-2 (weight 2 + 2 + 2), candidate 1 points 2-3 (2 + 5),
# candidate 2 point 4 (4), candidate 3 points 0 and 4 (2 + 4).
COVER = matrix(["1001", "1000", "1100", "0100", "0011"])
W = np.array([2.0, 2.0, 2.0, 5.0, 4.0])


def test_greedy_known_answer():
    chosen, objective = greedy_mclp(COVER, W, 2)
    # Gains 6, 7, 4, 6 -> candidate 1 (7); then 0 gains 4 and 3 gains 6 -> candidate 3.
    assert chosen == [1, 3] and objective == 13.0
    assert greedy_mclp(COVER, W, 0) == ([], 0.0)


def test_greedy_is_not_optimal_here_but_exact_is():
    # Candidate 0 reaches A and B (3 + 3); candidate 1 A and C (3 + 2.5); candidate 2 B and D
    # (3 + 2.5). Greedy takes the biggest single gain; the exact solver the best pair.
    cover = matrix(["110", "101", "010", "001"])
    w = np.array([3.0, 3.0, 2.5, 2.5])
    g_chosen, g_obj = greedy_mclp(cover, w, 2)
    e_chosen, e_obj, gap = exact_mclp(cover, w, 2)
    assert g_chosen == [0, 1] and g_obj == 8.5  # 0 gains 6, then 1 and 2 gain 2.5 (tie: lowest)
    assert e_chosen == [1, 2] and e_obj == 11.0 and gap == 0.0  # both add 5.5, in rank order


def test_existing_coverage_counts_zero():
    covered = np.array([False, False, False, True, False])  # point 3 is already covered
    chosen, objective = greedy_mclp(COVER, W, 1, covered=covered)
    assert chosen == [0] and objective == 6.0  # candidate 1 now gains only 2
    e_chosen, e_obj, _ = exact_mclp(COVER, W, 1, covered=covered)
    assert e_obj == 6.0 and e_chosen in ([0], [3])


def test_stops_when_nothing_more_to_gain():
    chosen, objective = greedy_mclp(COVER, W, 10)
    assert sorted(chosen) == [0, 1, 2] or sorted(chosen) == [1, 3] or objective == W.sum()
    assert objective == W.sum() and len(chosen) < 4
    e_chosen, e_obj, gap = exact_mclp(COVER, W, 10)
    assert e_obj == W.sum() and gap == 0.0 and len(e_chosen) <= 3


def test_newly_covered_masks_follow_rank():
    masks = newly_covered(COVER, [1, 3])
    assert masks[0].tolist() == [False, False, True, True, False]
    assert masks[1].tolist() == [True, False, False, False, True]
    assert rank_sites(COVER, W, [3, 1]) == [1, 3]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"weights": np.ones(4)}, "weights has 4 values"),
        ({"weights": -W}, "0 or more"),
        ({"k": -1}, "k must be a whole number"),
        ({"k": 1.5}, "k must be a whole number"),
        ({"covered": np.zeros(3, bool)}, "covered has 3 values"),
    ],
)
def test_bad_inputs_are_refused(kwargs, match):
    args = {"weights": W, "k": 2, **kwargs}
    covered = args.pop("covered", None)
    for solve in (greedy_mclp, exact_mclp):
        with pytest.raises(ValueError, match=match):
            solve(COVER, args["weights"], args["k"], covered=covered)


def test_exact_matches_brute_force():
    for seed in range(8):
        _, _, _, w, covered, cover = instance(seed)
        for k in (1, 3):
            _, obj, gap = exact_mclp(cover, w, k, covered=covered)
            assert obj == pytest.approx(brute_force(cover, w, k, covered)) and gap <= 1e-6


# --- properties ------------------------------------------------------------------------------


def naive_greedy(cover: sp.csr_matrix, w: np.ndarray, k: int) -> tuple[list[int], float]:
    """Greedy without laziness: recompute every gain in every round."""
    free = w.copy()
    chosen: list[int] = []
    dense = cover.toarray()
    for _ in range(k):
        gains = dense.T.astype(float) @ free
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        chosen.append(j)
        free[dense[:, j]] = 0
    return chosen, float(w.sum() - free.sum())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 4), m=st.integers(2, 12))
def test_greedy_guarantee_and_exact_dominates(seed, k, m):
    _, _, _, w, covered, cover = instance(seed, n=30, m=m)
    g_chosen, g_obj = greedy_mclp(cover, w, k, covered=covered)
    e_chosen, e_obj, gap = exact_mclp(cover, w, k, covered=covered)
    assert gap <= 1e-6
    assert e_obj >= g_obj - 1e-9
    assert g_obj >= (1 - 1 / math.e) * e_obj - 1e-9
    assert len(e_chosen) <= k and len(g_chosen) <= k
    # Both objectives are what the chosen sites really add.
    for chosen, obj in ((g_chosen, g_obj), (e_chosen, e_obj)):
        hit = is_covered(cover[:, chosen]) if chosen else np.zeros(len(w), bool)
        assert obj == pytest.approx(w[hit & ~covered].sum())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6))
def test_lazy_greedy_equals_plain_greedy(seed, k):
    # Integer weights make float sums exact, so ties break the same way in both.
    _, _, _, w, _, cover = instance(seed, n=50, m=15)
    assert greedy_mclp(cover, w, k) == naive_greedy(cover, w, k)


# --- against PySAL spopt ---------------------------------------------------------------------


# spopt 0.7 builds its model with PuLP calls that PuLP 3.3 deprecates ahead of PuLP 4.
@pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning:pulp")
@pytest.mark.parametrize("seed", range(5))
def test_exact_matches_spopt_mclp(seed):
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError as exc:  # pragma: no cover - depends on the test environment
        pytest.skip(f"spopt or pulp not importable ({exc}); pip install spopt pulp")
    rng = np.random.default_rng(100 + seed)
    n, n_existing, n_cand, k, radius = 80, 4, 20, 3, 500.0
    demand = rng.uniform(0, 3000, (n, 2))
    sites = rng.uniform(0, 3000, (n_existing + n_cand, 2))
    w = rng.uniform(0, 50, n)
    cost = np.hypot(*(demand[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    predefined = np.r_[np.ones(n_existing, int), np.zeros(n_cand, int)]
    model = MCLP.from_cost_matrix(
        cost, w, radius, p_facilities=n_existing + k, predefined_facilities_arr=predefined
    )
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    spopt_total = float(pulp.value(model.problem.objective))

    covered = is_covered(cover_matrix(demand, sites[:n_existing], radius))
    cover = cover_matrix(demand, sites[n_existing:], radius)
    chosen, objective, gap = exact_mclp(cover, w, k, covered=covered)
    # spopt counts what the existing (predefined) facilities cover; we count only the gain.
    assert w[covered].sum() + objective == pytest.approx(spopt_total, rel=1e-6)
    assert gap <= 1e-6 and len(chosen) <= k
