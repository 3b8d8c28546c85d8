"""Reach for everyone: walking profiles per need group, step-free places, time windows.

The gap analysis (:mod:`gaps`) asks who can walk to a meeting place. The answer depends on
*who* walks (:class:`~asset_map.settings.WalkProfile`: older people walk slower, a
wheelchair needs places and ways without steps) and *when* (a
:class:`~asset_map.settings.TimeWindow`: a huiskamer open two mornings a week does not help
on a weekday evening). Here:

- :func:`demand_layers` splits the weighted demand by profile: each need group (all
  residents, 65+, single-person households) walks at its own profile, groups with the same
  profile share a layer, and the layers add up to the usual weights;
- :class:`Supply` says, per asset, which meeting places count: per profile (step-free
  places only for a wheelchair) and per window (open then, from the opening hours and the
  activities, :mod:`open_times`);
- :class:`Reach` measures per profile (straight line x the profile's detour, or a street
  network without steps for a wheelchair) and keeps each layer's cover matrix against all
  its places, so each window is a choice of columns and costs no new distances;
- :func:`reach_table` gives the coverage per profile and per window of a demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from asset_map.analysis import coverage
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.open_times import PlaceWeeks, open_in_window, place_weeks
from asset_map.analysis.sites import NewlyCovered
from asset_map.i18n import Msg
from asset_map.model import is_step_free
from asset_map.settings import PROFILES, WINDOWS, TimeWindow, WalkProfile, walk_metres

#: The need groups, in the order of :class:`~asset_map.analysis.gap_params.NeedWeights`.
GROUPS = ("all", "65plus", "single")


@dataclass(frozen=True)
class Layer:
    """The part of the demand that walks one way.

    Attributes
    ----------
    profile : WalkProfile
        How they get about.
    weight : ndarray
        Per cell, the weighted residents of the groups that walk this way (0 where none).
    groups : tuple of int
        The need groups (0 all residents, 1 aged 65+, 2 single households) in this layer.
    """

    profile: WalkProfile
    weight: np.ndarray
    groups: tuple[int, ...]


def demand_layers(
    params: GapParams, residents: np.ndarray, residents_65: np.ndarray, single: np.ndarray
) -> list[Layer]:
    """Return the demand per walking profile; the first layer holds all residents (group 0).

    Every group's profile gets a layer, also a group whose weight is 0: the residents and
    the 65+ are counted (unweighted) at their own group's pace. The layers' weights add up
    to :meth:`NeedWeights.weigh` of the same figures.
    """
    w = params.weights
    figures = (residents, residents_65, single)
    factors = (w.all_residents, w.aged_65_plus, w.single_households)
    profiles = params.group_profiles()
    layers: dict[WalkProfile, tuple[np.ndarray, list[int]]] = {}
    for group, profile in enumerate(profiles):
        weight, groups = layers.get(profile, (np.zeros(len(residents)), []))
        if factors[group]:
            weight = weight + factors[group] * np.asarray(figures[group], dtype="float64")
        layers[profile] = (weight, [*groups, group])
    return [Layer(p, weight, tuple(groups)) for p, (weight, groups) in layers.items()]


def layer_of(layers: Sequence[Layer], group: int) -> int:
    """Return the position of the layer that holds need group ``group``."""
    return next(i for i, layer in enumerate(layers) if group in layer.groups)


class Supply:
    """Which assets count as a meeting place, for each walking profile and time window.

    Parameters
    ----------
    assets : DataFrame
        Assets with ``id``; ``wheelchair`` and ``opening_hours`` when known.
    base : ndarray
        Per asset: a meeting place that counts at all (its type, status and location).
    activities : DataFrame, optional
        Weekly activities (``asset_id``, ``weekday``, ``start``, ``end``): a place is open
        while one runs.
    unknown_counts : bool
        Places whose step-free access or opening hours are unknown count (True) or not.
    """

    def __init__(
        self,
        assets: pd.DataFrame,
        base: np.ndarray,
        *,
        activities: pd.DataFrame | None = None,
        unknown_counts: bool = True,
    ):
        n = len(assets)
        self.base = np.asarray(base, dtype=bool)
        self.unknown_counts = unknown_counts
        chair = assets["wheelchair"] if "wheelchair" in assets.columns else [None] * n
        self.step_free = np.array([is_step_free(v) for v in chair], dtype=object)
        hours = assets["opening_hours"] if "opening_hours" in assets.columns else [None] * n
        ids = assets["id"].astype(str).tolist() if "id" in assets.columns else None
        self.weeks: PlaceWeeks = place_weeks(list(hours), ids, activities)
        self._open: dict[str, np.ndarray] = {}

    def for_profile(self, profile: WalkProfile) -> np.ndarray:
        """Return, per asset, whether it counts for ``profile`` (step-free when it needs that)."""
        if not profile.step_free:
            return self.base.copy()
        known = np.array([v is not None for v in self.step_free], dtype=bool)
        free = np.array([v is True for v in self.step_free], dtype=bool)
        return self.base & (free | (~known & self.unknown_counts))

    def open_in(self, window: TimeWindow) -> np.ndarray:
        """Return, per asset, whether it counts as open in ``window``."""
        if window.key not in self._open:
            self._open[window.key] = open_in_window(
                self.weeks, window, unknown_counts=self.unknown_counts
            )
        return self._open[window.key]

    def notes(self, *, window: TimeWindow, step_free: bool) -> list[Msg]:
        """Say how many meeting places have unknown hours or access, and what was done."""
        notes: list[Msg] = []
        total = int(self.base.sum())
        how = "counted" if self.unknown_counts else "left_out"
        if not window.any_time and total:
            unknown = int((self.base & ~self.weeks.known).sum())
            if unknown:
                notes.append(Msg(f"note.gaps.hours_unknown.{how}", n=unknown, total=total))
        if step_free and total:
            unknown = int(sum(1 for i in np.flatnonzero(self.base) if self.step_free[i] is None))
            if unknown:
                notes.append(Msg(f"note.gaps.access_unknown.{how}", n=unknown, total=total))
        bad = [(i, text) for i, text, _ in self.weeks.problems if self.base[i]]
        if bad:
            shown = ", ".join(f"'{text}'" for _, text in bad[:3]) + (" ..." if len(bad) > 3 else "")
            notes.append(Msg("note.gaps.hours_unreadable", n=len(bad), examples=shown))
        return notes


class Reach:
    """Walking distances of one profile: straight line x its detour, or a street network.

    On a network, a step-free profile walks only ways without steps.
    """

    def __init__(self, profile: WalkProfile, walk_min: float, graph: object | None):
        self.profile, self.graph = profile, graph
        self.max_walk_m = walk_metres(walk_min, profile.speed_kmh)
        self.radius_m = self.max_walk_m / profile.detour

    def cover(self, from_xy: np.ndarray, to_xy: np.ndarray) -> sp.csr_matrix:
        """Return which of ``to_xy`` each of ``from_xy`` reaches (boolean CSR)."""
        if self.graph is None:
            return coverage.cover_matrix(from_xy, to_xy, self.radius_m)
        if len(from_xy) == 0 or len(to_xy) == 0:
            return sp.csr_matrix((len(from_xy), len(to_xy)), dtype=bool)
        from asset_map.analysis import network as street_network

        out = street_network.network_cover(
            self.graph,
            from_xy,
            to_xy,
            max_walk_m=self.max_walk_m,
            step_free=self.profile.step_free,
        )
        matrix = sp.csr_matrix(out, dtype=bool)
        if matrix.shape != (len(from_xy), len(to_xy)):
            raise ValueError(f"network_cover returned shape {matrix.shape}.")
        return matrix

    def nearest_m(self, from_xy: np.ndarray, to_xy: np.ndarray) -> np.ndarray:
        """Return the walking distance from each of ``from_xy`` to the nearest of ``to_xy``."""
        if self.graph is None or len(from_xy) == 0 or len(to_xy) == 0:
            return coverage.nearest_m(from_xy, to_xy) * self.profile.detour
        from asset_map.analysis import network as street_network

        return np.asarray(
            street_network.network_nearest_m(
                self.graph, from_xy, to_xy, step_free=self.profile.step_free
            ),
            dtype="float64",
        )


@dataclass
class LayerCover:
    """One layer's reach: its places (asset positions) and which cells reach which of them."""

    layer: Layer
    reach: Reach
    places: np.ndarray
    cover: sp.csr_matrix

    def covered(self, supply: Supply, window: TimeWindow) -> np.ndarray:
        """Return, per cell, whether a place of this layer open in ``window`` is in reach."""
        if window.any_time:
            return coverage.is_covered(self.cover)
        return coverage.is_covered(self.cover[:, supply.open_in(window)[self.places]])


def layer_covers(
    layers: Sequence[Layer],
    supply: Supply,
    demand_xy: np.ndarray,
    asset_xy: np.ndarray,
    *,
    walk_min: float,
    network: object | None = None,
) -> list[LayerCover]:
    """Return each layer's cover matrix against all the places that count for its profile.

    Layers that share a profile's way of measuring (speed, detour, step-free) share one
    matrix, so three groups at two paces cost two distance computations.
    """
    out: list[LayerCover] = []
    done: dict[WalkProfile, LayerCover] = {}
    for layer in layers:
        key = replace(layer.profile, key="")  # the same measure under another name
        if key not in done:
            reach = Reach(layer.profile, walk_min, network)
            places = np.flatnonzero(supply.for_profile(layer.profile))
            done[key] = LayerCover(layer, reach, places, reach.cover(demand_xy, asset_xy[places]))
        out.append(replace(done[key], layer=layer))
    return out


def window_shares(
    covers: Sequence[LayerCover], supply: Supply, windows: Sequence[TimeWindow]
) -> pd.DataFrame:
    """Return the covered weight and share per time window, and the places open in it.

    ``places`` counts the places of the first layer (all residents) open in the window.
    """
    total = float(sum(np.nansum(c.layer.weight) for c in covers))
    rows = []
    for window in windows:
        hit = sum(
            float(np.nansum(np.where(c.covered(supply, window), c.layer.weight, 0.0)))
            for c in covers
        )
        first = covers[0]
        places = int(supply.open_in(window)[first.places].sum()) if len(covers) else 0
        rows.append(
            {
                "window": window.key,
                "places": places,
                "covered_weight": hit,
                "share": hit / total if total > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["window", "places", "covered_weight", "share"])


def reach_table(
    cells: pd.DataFrame,
    assets: pd.DataFrame,
    asset_xy: np.ndarray,
    base: np.ndarray,
    *,
    weights: NeedWeights,
    walk_min: float,
    profiles: Sequence[str] = tuple(PROFILES),
    windows: Sequence[str] = tuple(WINDOWS),
    activities: pd.DataFrame | None = None,
    unknown_counts: bool = True,
    network: object | None = None,
) -> pd.DataFrame:
    """Return the share of the weighted residents in reach, per walking profile and window.

    Parameters
    ----------
    cells : DataFrame
        Demand cells with ``x``, ``y`` (RD New), ``residents``, ``residents_65``,
        ``single_households``.
    assets : DataFrame
        Assets with ``id``, ``wheelchair`` and ``opening_hours`` (when known).
    asset_xy : ndarray
        ``(n_assets, 2)`` RD New point of each asset.
    base : ndarray
        Per asset: a meeting place that counts at all.
    weights : NeedWeights
        How much each resident counts (everyone walks at the profile of the row).
    walk_min : float
        The walking time.
    profiles, windows : sequence of str
        Keys of :data:`asset_map.settings.PROFILES` and :data:`asset_map.settings.WINDOWS`.
    activities : DataFrame, optional
        Weekly activities (a place is open while one runs).
    unknown_counts : bool
        Places with unknown hours or access count.
    network : networkx graph, optional
        A walking network (RD New).

    Returns
    -------
    DataFrame
        One row per profile and window: ``profile``, ``window``, ``places``,
        ``covered_weight``, ``share`` (NaN without weight).
    """
    supply = Supply(assets, base, activities=activities, unknown_counts=unknown_counts)
    demand_xy = cells[["x", "y"]].to_numpy(dtype="float64")
    figures = [
        cells[c].to_numpy(dtype="float64")
        for c in ("residents", "residents_65", "single_households")
    ]
    chosen = [WINDOWS[w] for w in windows]
    parts = []
    for key in profiles:
        params = GapParams(walk_min=walk_min, weights=weights, profile=key)
        layers = demand_layers(params, *figures)
        covers = layer_covers(
            layers, supply, demand_xy, asset_xy, walk_min=walk_min, network=network
        )
        parts.append(window_shares(covers, supply, chosen).assign(profile=key))
    columns = ["profile", "window", "places", "covered_weight", "share"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


# --- siting over the layers ------------------------------------------------------------------


def candidate_cover(
    covers: list[LayerCover],
    candidates: pd.DataFrame,
    assets_rd: pd.DataFrame,
    demand_xy: np.ndarray,
) -> sp.csr_matrix:
    """Return the candidates' cover of every layer, stacked: one block of rows per layer.

    A step-free layer is not served by a candidate in a building marked ``wheelchair=no``; a
    new place in a grid cell would be made step-free. Layers that measure alike share one
    matrix.
    """
    cand_xy = candidates[["x", "y"]].to_numpy(dtype="float64")
    chair = (
        dict(zip(assets_rd["id"].astype(str), assets_rd["wheelchair"], strict=False))
        if {"id", "wheelchair"} <= set(assets_rd.columns)
        else {}
    )
    stepped = np.array(
        [
            is_step_free(chair.get(str(a))) is False if a is not None else False
            for a in candidates["asset_id"]
        ],
        dtype=bool,
    )
    blocks: list[sp.csr_matrix] = []
    done: dict[tuple[float, bool], sp.csr_matrix] = {}
    for c in covers:
        measure = c.reach
        key = (
            measure.radius_m if measure.graph is None else measure.max_walk_m,
            measure.profile.step_free,
        )
        if key not in done:
            matrix = measure.cover(demand_xy, cand_xy)
            if measure.profile.step_free and stepped.any():
                matrix = sp.csr_matrix(matrix @ sp.diags((~stepped).astype(float))).astype(bool)
            done[key] = matrix
        blocks.append(done[key])
    return sp.csr_matrix(sp.vstack(blocks, format="csr"), dtype=bool)


def newly_by_layer(
    layers: list[Layer], masks: list[np.ndarray], before: list[np.ndarray]
) -> tuple[list[NewlyCovered], list[np.ndarray]]:
    """Split each chosen site's stacked mask by layer; return what each adds and the cover after."""
    n = len(layers[0].weight)
    res, old = layer_of(layers, 0), layer_of(layers, 1)
    after = [b.copy() for b in before]
    newly = []
    for mask in masks:
        parts = [mask[i * n : (i + 1) * n] for i in range(len(layers))]
        gained = covered_weight(layers, parts)
        newly.append(NewlyCovered(gained, parts[res], parts[old]))
        for i, part in enumerate(parts):
            after[i] |= part
    return newly, after


def covered_weight(layers: list[Layer], covered: list[np.ndarray]) -> np.ndarray:
    """Return, per cell, the weight of the layers that reach a meeting place."""
    return np.sum(
        [np.where(c, layer.weight, 0.0) for c, layer in zip(covered, layers, strict=True)], axis=0
    )


def all_covered(layers: list[Layer], covered: list[np.ndarray], main: int) -> np.ndarray:
    """Return, per cell, whether every group with weight reaches a meeting place.

    A cell without weight follows the layer of all residents.
    """
    weighted = [np.nan_to_num(layer.weight) > 0 for layer in layers]
    every = np.logical_and.reduce([c | ~w for c, w in zip(covered, weighted, strict=True)])
    return np.where(np.logical_or.reduce(weighted), every, covered[main])
