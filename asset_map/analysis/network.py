"""True walking distances over a street network (read by :mod:`asset_map.io.network`).

The walking distance from a point P to a site S is::

    |P - n(P)|  +  network(n(P), n(S))  +  |n(S) - S|

where ``n(.)`` is the nearest network node and ``|.|`` the straight line in RD metres: the
snapping gap is added at *both* ends, so the result is never shorter than the straight line.
Points further than ``snap_max_m`` from every node are unreachable. Before snapping, long
edges get extra nodes every ``node_spacing_m`` (25 m by default) along the street, so a point
beside a long street snaps to the street beside it and not to a junction far away; the error
is then at most about half the spacing per end.

Network distances come from :func:`scipy.sparse.csgraph.dijkstra` on a symmetric CSR
adjacency matrix (edges are walked both ways, also in a directed graph). The matrix, the
added nodes and a KD-tree of all node coordinates are built once per graph object and kept
(weakly, outside the graph: the input is never changed) for later calls; treat the graph as
read-only after the first call. :func:`network_nearest_m` runs one Dijkstra from a virtual
source joined to every site's node by its snapping gap; :func:`network_cover` runs one
Dijkstra per distinct site node (or per demand node, whichever are fewer), cut off at
``max_walk_m``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from asset_map._errors import CRSError, SchemaError
from asset_map.crs import (
    NL_BOUNDS_RD,
    NL_BOUNDS_WGS84,
    RD_NEW,
    guess_coordinate_mixup,
    parse_crs,
)
from asset_map.i18n import Msg

_TOLERANCE_M = 1e-6  # float noise allowed when comparing a distance with max_walk_m
#: Points further than this from every node of the network cannot be reached over it.
SNAP_MAX_M = 250.0
_CHUNK_CELLS = 4_000_000  # distances per Dijkstra batch (32 MB)


@dataclass(frozen=True)
class _Network:
    xy: np.ndarray  # (n, 2) RD metres: the graph's nodes, then the nodes added along edges
    adjacency: sp.csr_matrix  # symmetric, metres; explicit zeros are zero-length edges
    tree: cKDTree
    signature: tuple[int, int]


_CACHE: weakref.WeakKeyDictionary[nx.Graph, dict[tuple[float, bool], _Network]] = (
    weakref.WeakKeyDictionary()
)


def _network(graph: nx.Graph, node_spacing_m: float, step_free: bool = False) -> _Network:
    """Return the arrays of ``graph``, built once per graph object, spacing and profile.

    With ``step_free``, edges with steps (``highway=steps``) or marked ``wheelchair=no``
    are left out, and so are the nodes that only they reach.
    """
    signature = (graph.number_of_nodes(), graph.number_of_edges())
    key = (node_spacing_m, step_free)
    cached = _CACHE.get(graph, {}).get(key)
    if cached is not None and cached.signature == signature:
        return cached
    walked = step_free_view(graph) if step_free else graph
    network = _build_network(walked, node_spacing_m, signature)
    _CACHE.setdefault(graph, {})[key] = network
    return network


def has_steps(data: dict) -> bool:
    """Return whether an edge has steps for a wheelchair: ``highway=steps`` or ``wheelchair=no``.

    A value may be a list (osmnx merges the tags of simplified edges), ``a;b``, or the text
    of a list (GraphML).
    """
    return "steps" in _tag_values(data.get("highway")) or "no" in _tag_values(
        data.get("wheelchair")
    )


def _tag_values(value: object) -> set[str]:
    if value is None:
        return set()
    items = value if isinstance(value, list | tuple | set) else str(value).strip("[]").split(",")
    parts = (part for item in items for part in str(item).split(";"))
    return {part.strip().strip("'\"").lower() for part in parts}


def step_free_view(graph: nx.Graph) -> nx.Graph:
    """Return the part of ``graph`` a wheelchair can use: every edge without steps."""
    keep: list[tuple[object, ...]]
    if graph.is_multigraph():
        keep = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if not has_steps(d)]
    else:
        keep = [(u, v) for u, v, d in graph.edges(data=True) if not has_steps(d)]
    return graph.edge_subgraph(keep)  # a view: it shares the graph's attributes (its crs)


def _build_network(graph: nx.Graph, spacing: float, signature: tuple[int, int]) -> _Network:
    _check_graph_crs(graph)
    if graph.number_of_nodes() == 0:
        raise SchemaError(Msg("err.network.no_nodes"))
    index = {node: k for k, node in enumerate(graph.nodes)}
    xy = np.empty((len(index), 2))
    for k, (node, data) in enumerate(graph.nodes(data=True)):
        try:
            xy[k] = float(data["x"]), float(data["y"])
        except (KeyError, TypeError, ValueError):
            raise SchemaError(Msg("err.network.node_xy", node=node)) from None
    _refuse_points_outside_nl(xy, Msg("err.what.network_nodes"))
    u, v, length, geometry = [], [], [], []
    for a, b, data in graph.edges(data=True):
        u.append(index[a])
        v.append(index[b])
        length.append(data.get("length", np.nan))
        geometry.append(data.get("geometry"))
    ui, vi = np.array(u, dtype=np.int64), np.array(v, dtype=np.int64)
    try:
        lengths = np.array(length, dtype=float)
    except (TypeError, ValueError):
        raise SchemaError(Msg("err.network.length_not_number")) from None
    geoms = np.empty(len(geometry), dtype=object)
    geoms[:] = geometry
    has_geom = np.array(
        [isinstance(g, shapely.LineString) and not g.is_empty for g in geometry], dtype=bool
    )
    unknown = np.isnan(lengths)
    lengths[unknown] = np.hypot(*(xy[ui[unknown]] - xy[vi[unknown]]).T)
    bad = ~np.isfinite(lengths) | (lengths < 0)
    if bad.any():
        e = int(np.flatnonzero(bad)[0])
        a, b = list(index)[ui[e]], list(index)[vi[e]]
        raise SchemaError(Msg("err.network.length_negative", a=a, b=b, length=lengths[e]))
    pieces = np.ones(len(lengths), dtype=np.int64)
    if np.isfinite(spacing):
        pieces = np.maximum(1, np.ceil(lengths / spacing * (1 - 1e-3))).astype(np.int64)
    extra = _points_along(xy, ui, vi, pieces, geoms, has_geom)
    starts, ends = _chain(len(xy), ui, vi, pieces)
    weights = np.repeat(lengths / pieces, pieces)
    keep = starts != ends
    all_xy = np.vstack([xy, extra])
    adjacency = _symmetric_csr(starts[keep], ends[keep], weights[keep], len(all_xy))
    return _Network(all_xy, adjacency, cKDTree(all_xy), signature)


def _points_along(
    xy: np.ndarray,
    ui: np.ndarray,
    vi: np.ndarray,
    pieces: np.ndarray,
    geoms: np.ndarray,
    has_geom: np.ndarray,
) -> np.ndarray:
    """Return the nodes added inside edges: ``pieces - 1`` per edge, evenly along it."""
    inner = pieces - 1
    edge = np.repeat(np.arange(len(pieces)), inner)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(inner) - inner, inner) + 1
    fraction = step / pieces[edge]
    points = xy[ui[edge]] + (xy[vi[edge]] - xy[ui[edge]]) * fraction[:, None]
    curved = has_geom[edge]
    if curved.any():
        lines = geoms[edge[curved]]
        start = shapely.get_coordinates(shapely.get_point(lines, 0))
        near_v = np.hypot(*(start - xy[vi[edge[curved]]]).T) < np.hypot(
            *(start - xy[ui[edge[curved]]]).T
        )
        along = np.where(near_v, 1 - fraction[curved], fraction[curved])
        points[curved] = shapely.get_coordinates(
            shapely.line_interpolate_point(lines, along, normalized=True)
        )
    return points


def _chain(n: int, ui: np.ndarray, vi: np.ndarray, pieces: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return start and end nodes of each piece: u -> added nodes of the edge -> v."""
    inner = pieces - 1
    first_added = n + np.cumsum(inner) - inner
    edge = np.repeat(np.arange(len(pieces)), pieces)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    starts = np.where(step == 0, ui[edge], first_added[edge] + step - 1)
    ends = np.where(step == pieces[edge] - 1, vi[edge], first_added[edge] + step)
    return starts, ends


def _symmetric_csr(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int) -> sp.csr_matrix:
    """Return the n x n CSR of both directions, keeping the shortest of parallel edges."""
    rows, cols, weights = np.r_[a, b], np.r_[b, a], np.r_[w, w]
    if len(rows) == 0:
        return sp.csr_matrix((n, n))
    order = np.lexsort((weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
    return sp.csr_matrix((weights[first], (rows[first], cols[first])), shape=(n, n))


def _check_graph_crs(graph: nx.Graph) -> None:
    value = graph.graph.get("crs")
    if value is None:
        return  # the coordinates are checked against the Netherlands in RD instead
    crs = parse_crs(str(value))
    if crs != RD_NEW:
        raise CRSError(Msg("err.network.crs", crs=crs.to_string()))


def _refuse_points_outside_nl(xy: np.ndarray, what: Msg) -> None:
    x0, y0, x1, y1 = NL_BOUNDS_RD
    outside = ~((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        x, y = float(xy[i, 0]), float(xy[i, 1])
        hint: object = guess_coordinate_mixup(x, y)
        lx0, ly0, lx1, ly1 = NL_BOUNDS_WGS84
        if not hint and lx0 <= x <= lx1 and ly0 <= y <= ly1:
            hint = Msg("err.network.hint_degrees")
        raise CRSError(
            Msg(
                "err.network.points_outside",
                n=int(outside.sum()),
                total=len(xy),
                what=what,
                i=i,
                x=f"{x:.6g}",
                y=f"{y:.6g}",
                hint=hint,
            )
        )


def _points(xy: np.ndarray, what: Msg) -> np.ndarray:
    points = np.asarray(xy, dtype=float)
    if points.size == 0:
        return points.reshape(0, 2)
    if points.ndim != 2 or points.shape[1] != 2:
        raise SchemaError(Msg("err.network.points_shape", what=what, shape=points.shape))
    bad = ~np.isfinite(points).all(axis=1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise SchemaError(Msg("err.network.points_missing", n=int(bad.sum()), what=what, i=first))
    _refuse_points_outside_nl(points, what)
    return points


def _check_metres(node_spacing_m: float, **options: float) -> None:
    for name, value in options.items():
        if not value >= 0:  # also refuses NaN
            raise ValueError(f"{name} must be a distance in metres, 0 or more; got {value}.")
    if not node_spacing_m > 0:
        raise ValueError(
            f"node_spacing_m must be more than 0 metres (math.inf: no added nodes); got "
            f"{node_spacing_m}."
        )


def _snap(network: _Network, xy: np.ndarray, snap_max_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Return each point's nearest node (-1 when none within ``snap_max_m``) and its gap."""
    if len(xy) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    gap, node = network.tree.query(xy, k=1, distance_upper_bound=np.nextafter(snap_max_m, np.inf))
    found = np.isfinite(gap) & (gap <= snap_max_m)
    return np.where(found, node, -1).astype(np.int64), np.where(found, gap, np.inf)


def snap_gaps_m(
    graph: nx.Graph, xy_rd: np.ndarray, *, node_spacing_m: float = 25.0, step_free: bool = False
) -> np.ndarray:
    """Return each point's straight-line distance (m) to the nearest node of the network.

    The nodes include those added along long edges (every ``node_spacing_m``), as for
    :func:`network_nearest_m`: a point further than ``SNAP_MAX_M`` cannot be reached.
    """
    points = _points(xy_rd, Msg("err.what.points"))
    _check_metres(node_spacing_m=node_spacing_m)
    if len(points) == 0:
        return np.zeros(0)
    gap, _ = _network(graph, node_spacing_m, step_free).tree.query(points, k=1)
    return np.asarray(gap, dtype="float64")


def off_network_notes(
    graph: nx.Graph,
    demand_xy_rd: np.ndarray,
    demand_weight: np.ndarray,
    site_xy_rd: np.ndarray,
    *,
    detour: float,
) -> list[Msg]:
    """Return warnings when the network does not reach all demand points or sites.

    A street network of one corner of the area, or of another town, would otherwise make
    everybody far from its streets silently 'beyond walking distance'. Demand points (with
    weight above 0) and sites further than :data:`SNAP_MAX_M` from every node are counted;
    the notes say how many and how to fix it.

    Parameters
    ----------
    graph : networkx.Graph
        The walking network (RD New).
    demand_xy_rd, site_xy_rd : numpy.ndarray
        (n, 2) and (m, 2) RD New x, y in metres: demand cells and meeting places.
    demand_weight : numpy.ndarray
        The weighted residents of each demand point.
    detour : float
        The detour factor the analysis uses without a network (named in the fix).
    """
    weight = np.nan_to_num(np.asarray(demand_weight, dtype="float64"))
    counts = weight > 0
    far = (snap_gaps_m(graph, demand_xy_rd) > SNAP_MAX_M) & counts
    sites_far = snap_gaps_m(graph, site_xy_rd) > SNAP_MAX_M
    fix = Msg("note.gaps.network_fix", detour=f"{detour:g}")
    snap = f"{SNAP_MAX_M:.0f}"
    notes: list[Msg] = []
    elsewhere = bool(counts.any() and far[counts].all())
    if elsewhere:
        notes.append(
            Msg("note.gaps.network_elsewhere", total=int(counts.sum()), snap_m=snap, fix=fix)
        )
    elif far.any():
        share = 100.0 * weight[far].sum() / weight.sum()
        notes.append(
            Msg(
                "note.gaps.network_partial",
                cells=int(far.sum()),
                total=int(counts.sum()),
                share=f"{share:.0f}" if share >= 0.5 else "<1",
                snap_m=snap,
                fix=fix,
            )
        )
    if sites_far.any() and not elsewhere:
        notes.append(
            Msg(
                "note.gaps.network_sites",
                n=int(sites_far.sum()),
                total=len(sites_far),
                snap_m=snap,
                fix=fix,
            )
        )
    return notes


# --- distances -------------------------------------------------------------------------------


def network_nearest_m(
    graph: nx.Graph,
    demand_xy_rd: np.ndarray,
    site_xy_rd: np.ndarray,
    *,
    snap_max_m: float = SNAP_MAX_M,
    node_spacing_m: float = 25.0,
    step_free: bool = False,
) -> np.ndarray:
    """Return the walking distance (m) from each demand point to its nearest site.

    Parameters
    ----------
    graph : networkx.Graph
        A walking network in RD New, as :func:`read_walk_network` returns it.
    demand_xy_rd : numpy.ndarray
        (n, 2) RD New x, y of the demand points, in metres.
    site_xy_rd : numpy.ndarray
        (m, 2) RD New x, y of the sites (meeting places), in metres.
    snap_max_m : float
        Points further than this from every network node are unreachable.
    node_spacing_m : float
        Long edges get a node at least this often before snapping; ``math.inf`` snaps to
        the graph's own nodes only.
    step_free : bool
        Leave out ways with steps (``highway=steps``, ``wheelchair=no``): a wheelchair's way.

    Returns
    -------
    numpy.ndarray
        n distances in metres (snapping gaps at both ends included); ``inf`` when no site can
        be reached.
    """
    demand = _points(demand_xy_rd, Msg("err.what.demand_points"))
    sites = _points(site_xy_rd, Msg("err.what.sites"))
    _check_metres(snap_max_m=snap_max_m, node_spacing_m=node_spacing_m)
    network = _network(graph, node_spacing_m, step_free)
    nearest = np.full(len(demand), np.inf)
    demand_node, demand_gap = _snap(network, demand, snap_max_m)
    site_node, site_gap = _snap(network, sites, snap_max_m)
    reached = site_node >= 0
    if not reached.any() or not (demand_node >= 0).any():
        return nearest
    starts, which = np.unique(site_node[reached], return_inverse=True)
    start_gap = np.full(len(starts), np.inf)
    np.minimum.at(start_gap, which, site_gap[reached])
    # A virtual source (row n) with an edge to each site node, as long as that site's gap.
    adjacency, n = network.adjacency, len(network.xy)
    augmented = sp.csr_matrix(
        (
            np.r_[adjacency.data, start_gap],
            np.r_[adjacency.indices, starts],
            np.r_[adjacency.indptr, adjacency.indptr[-1] + len(starts)],
        ),
        shape=(n + 1, n + 1),
    )
    distance = dijkstra(augmented, directed=True, indices=n)
    found = demand_node >= 0
    nearest[found] = distance[demand_node[found]] + demand_gap[found]
    return nearest


def network_cover(
    graph: nx.Graph,
    demand_xy_rd: np.ndarray,
    site_xy_rd: np.ndarray,
    *,
    max_walk_m: float,
    snap_max_m: float = SNAP_MAX_M,
    node_spacing_m: float = 25.0,
    step_free: bool = False,
) -> sp.csr_matrix:
    """Return which sites each demand point can walk to within ``max_walk_m``.

    Parameters
    ----------
    graph : networkx.Graph
        A walking network in RD New, as :func:`read_walk_network` returns it.
    demand_xy_rd : numpy.ndarray
        (n, 2) RD New x, y of the demand points, in metres.
    site_xy_rd : numpy.ndarray
        (m, 2) RD New x, y of the sites (meeting places), in metres.
    max_walk_m : float
        The longest walk, snapping gaps at both ends included.
    snap_max_m : float
        Points further than this from every network node are never covered.
    node_spacing_m : float
        Long edges get a node at least this often before snapping.
    step_free : bool
        Leave out ways with steps (``highway=steps``, ``wheelchair=no``): a wheelchair's way.

    Returns
    -------
    scipy.sparse.csr_matrix
        Boolean, n x m: True where the walking distance is at most ``max_walk_m``.
    """
    demand = _points(demand_xy_rd, Msg("err.what.demand_points"))
    sites = _points(site_xy_rd, Msg("err.what.sites"))
    _check_metres(max_walk_m=max_walk_m, snap_max_m=snap_max_m, node_spacing_m=node_spacing_m)
    if max_walk_m == np.inf:
        raise ValueError("max_walk_m must be finite; use network_nearest_m for distances.")
    network = _network(graph, node_spacing_m, step_free)
    limit = max_walk_m + _TOLERANCE_M
    demand_node, demand_gap = _snap(network, demand, snap_max_m)
    site_node, site_gap = _snap(network, sites, snap_max_m)
    d_ok, s_ok = np.flatnonzero(demand_gap <= limit), np.flatnonzero(site_gap <= limit)
    rows, cols = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if len(d_ok) and len(s_ok):
        from_sites = len(np.unique(site_node[s_ok])) <= len(np.unique(demand_node[d_ok]))
        src, tgt = (s_ok, d_ok) if from_sites else (d_ok, s_ok)
        node = site_node if from_sites else demand_node
        gap = site_gap if from_sites else demand_gap
        other_node = demand_node if from_sites else site_node
        other_gap = demand_gap if from_sites else site_gap
        i, j = _pairs_within(
            network.adjacency, node[src], gap[src], other_node[tgt], other_gap[tgt], limit
        )
        a, b = src[i], tgt[j]
        rows, cols = (b, a) if from_sites else (a, b)
    return sp.csr_matrix(
        (np.ones(len(rows), dtype=bool), (rows, cols)), shape=(len(demand), len(sites))
    )


def _pairs_within(
    adjacency: sp.csr_matrix,
    src_node: np.ndarray,
    src_gap: np.ndarray,
    tgt_node: np.ndarray,
    tgt_gap: np.ndarray,
    limit: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (source, target) positions whose gap + network + gap is at most ``limit``."""
    starts, which = np.unique(src_node, return_inverse=True)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(starts) + 1))
    batch = max(1, _CHUNK_CELLS // max(adjacency.shape[0], len(tgt_node)))
    found_i, found_j = [], []
    for c0 in range(0, len(starts), batch):
        c1 = min(c0 + batch, len(starts))
        members = order[bounds[c0] : bounds[c1]]
        reach = limit - src_gap[members].min() - tgt_gap.min()
        if reach < 0:
            continue
        distance = dijkstra(adjacency, directed=True, indices=starts[c0:c1], limit=reach)
        walk = distance[:, tgt_node][which[members] - c0]
        walk += src_gap[members, None] + tgt_gap[None, :]
        i, j = np.nonzero(walk <= limit)
        found_i.append(members[i])
        found_j.append(j)
    if not found_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(found_i), np.concatenate(found_j)
