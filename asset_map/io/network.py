"""Read a walking street network the user supplies: OSM XML, OSM PBF or GraphML.

:func:`read_walk_network` reads an OpenStreetMap file (``.osm`` XML or ``.osm.pbf``) or a
GraphML file (as ``osmnx.save_graphml`` writes it), offline, and returns an undirected
``networkx.MultiGraph`` in RD New (EPSG:28992): nodes carry ``x``, ``y`` (RD metres) and
``lon``, ``lat``; edges carry ``length`` (metres). Only ways people may walk on are kept
(:func:`is_walkable`). Edge lengths are measured in RD, the same way for every format: the
straight segments between a way's nodes, or a GraphML edge's projected geometry. (RD New is
conformal, within 0.01% of true distance in the Netherlands; the great-circle lengths osmnx
writes, on a sphere, are up to about 0.5% off there, and would not match the straight snapping
gaps.) What was left out is listed in ``graph.graph["notes"]``.

The distances over such a graph are in :mod:`asset_map.analysis.network`.
"""

from __future__ import annotations

import ast
import contextlib
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import shapely
from pyproj import CRS, Transformer

from asset_map._errors import CRSError, ImportFormatError
from asset_map.crs import (
    NL_BOUNDS_RD,
    RD_NEW,
    WGS84,
    guess_coordinate_mixup,
    outside_netherlands,
    parse_crs,
)
from asset_map.i18n import Msg
from asset_map.io.formats import require_file
from asset_map.io.limits import check_size

#: OSM ``highway`` values people may walk along (unless ``foot`` or ``access`` forbids it).
#: Motorways and trunk roads (and their links) are left out whatever their other tags say.
WALKABLE_HIGHWAYS = frozenset(
    {
        "footway", "path", "pedestrian", "steps", "residential", "living_street", "service",
        "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
        "primary_link", "track", "cycleway", "road",
    }
)  # fmt: skip
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "destination"})
DENIED = frozenset({"no", "private"})
SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".graphml")

_Way = tuple[int, list[int], dict[str, str]]


def is_walkable(tags: Mapping[str, object]) -> bool:
    """Return whether a way (or edge) with these OSM tags is one people may walk along.

    A value may be a list (osmnx merges the tags of simplified edges) or ``a;b``: the way
    is walkable when one of its ``highway`` values is in :data:`WALKABLE_HIGHWAYS`, unless
    ``foot`` or ``access`` is ``no`` or ``private`` and ``foot`` does not allow walking.
    """
    if not _values(tags.get("highway")) & WALKABLE_HIGHWAYS:
        return False
    foot = _values(tags.get("foot"))
    if foot & FOOT_ALLOWED:
        return True
    return not (foot & DENIED or _values(tags.get("access")) & DENIED)


def _values(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str) and value.startswith("["):
        with contextlib.suppress(SyntaxError, ValueError):
            value = ast.literal_eval(value)
    items = value if isinstance(value, list | tuple | set) else str(value).split(";")
    return {str(item).strip().lower() for item in items}


# --- reading ---------------------------------------------------------------------------------


def read_walk_network(path: str | Path) -> nx.MultiGraph:
    """Read a walking network and return it undirected, in RD New, with lengths in metres.

    Parameters
    ----------
    path : str or Path
        An OpenStreetMap file (``.osm`` XML, ``.osm.pbf``) or a GraphML file saved by
        ``osmnx.save_graphml`` (or by networkx, with ``x``, ``y`` node attributes and a
        ``crs`` graph attribute).

    Returns
    -------
    networkx.MultiGraph
        Nodes with ``x``, ``y`` (RD metres), ``lon``, ``lat``; edges with ``length`` (metres)
        and, where known, ``highway``, ``name``, ``osmid``, ``wheelchair`` (ways with steps,
        ``highway=steps`` or ``wheelchair=no``, are left out for the wheelchair profile).
        Graph attributes: ``crs``
        (``"EPSG:28992"``), ``source`` (the file name) and ``notes`` (what was left out).

    Raises
    ------
    ImportFormatError
        When the file is missing, of an unknown kind, empty, broken, or holds no walkable way.
    CRSError
        When street nodes lie outside the Netherlands, or a GraphML file's CRS is unknown.
    """
    path = Path(path)
    name = path.name.lower()
    kind = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.endswith(s)), None)
    if kind is None:
        raise ImportFormatError(Msg("err.network.unknown_kind", name=path.name, suffix=path.suffix))
    require_file(path)
    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip() and path.stat().st_size <= len(head):
        raise ImportFormatError(Msg("err.network.empty", name=path.name))
    if kind == ".graphml":
        return _read_graphml(path)
    nodes, ways, notes = _read_osm_pbf(path) if kind.endswith(".pbf") else _read_osm_xml(path)
    return _graph_from_osm(path, nodes, ways, notes)


def _read_osm_xml(path: Path) -> tuple[dict[int, tuple[float, float]], list[_Way], list[str]]:
    """Return node locations, the ways tagged ``highway`` and notes from an OSM XML file."""
    nodes: dict[int, tuple[float, float]] = {}
    ways: list[_Way] = []
    skipped: list[str] = []
    root = None
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            if root is None:
                root = elem
                if elem.tag != "osm":
                    raise ImportFormatError(
                        Msg("err.network.not_osm", name=path.name, tag=elem.tag)
                    )
                continue
            if event != "end" or elem.tag not in ("node", "way", "relation"):
                continue
            deleted = elem.get("visible") == "false" or elem.get("action") == "delete"
            if elem.tag == "node" and not deleted:
                try:
                    nodes[int(elem.get("id", ""))] = (
                        float(elem.get("lon", "")),
                        float(elem.get("lat", "")),
                    )
                except ValueError:
                    skipped.append(f"node id={elem.get('id')!r}")
            elif elem.tag == "way" and not deleted:
                tags = {t.get("k", ""): t.get("v", "") for t in elem.iter("tag")}
                try:
                    refs = [int(nd.get("ref", "")) for nd in elem.iter("nd")]
                    if "highway" in tags:
                        ways.append((int(elem.get("id", "")), refs, tags))
                except ValueError:
                    skipped.append(f"way id={elem.get('id')!r}")
            root.clear()  # keep memory flat: this element is done
    except ET.ParseError as exc:
        raise ImportFormatError(
            Msg("err.network.broken_osm", name=path.name, detail=str(exc))
        ) from None
    notes: list[str] = []
    if skipped:
        more = " ..." if len(skipped) > 5 else ""
        shown = ", ".join(skipped[:5]) + more
        notes.append(Msg("note.network.skipped", n=len(skipped), examples=shown))
    return nodes, ways, notes


def _read_osm_pbf(path: Path) -> tuple[dict[int, tuple[float, float]], list[_Way], list[str]]:
    """Return the locations of way nodes and the ways tagged ``highway``, read with pyosmium."""
    try:
        import osmium
    except ImportError:
        raise ImportFormatError(Msg("err.network.no_pyosmium", name=path.name)) from None
    nodes: dict[int, tuple[float, float]] = {}
    ways: list[_Way] = []
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    try:
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue  # the entity filter lets only ways through; this narrows the type
            tags = {tag.k: tag.v for tag in way.tags}
            ways.append((way.id, [nd.ref for nd in way.nodes], tags))
            if is_walkable(tags):  # keep only the locations the graph needs
                for nd in way.nodes:
                    if nd.location.valid():
                        nodes[nd.ref] = (nd.location.lon, nd.location.lat)
    except RuntimeError as exc:
        raise ImportFormatError(
            Msg("err.network.bad_pbf", name=path.name, detail=str(exc))
        ) from None
    return nodes, ways, []


def _graph_from_osm(
    path: Path, nodes: dict[int, tuple[float, float]], ways: list[_Way], notes: list[str]
) -> nx.MultiGraph:
    """Build the walking graph from OSM node locations and ways tagged ``highway``."""
    walk = [way for way in ways if is_walkable(way[2])]
    if not walk:
        if ways:
            kinds = Counter(way[2].get("highway", "") for way in ways).most_common(3)
            found = ", ".join(f"highway={k} ({n})" for k, n in kinds)
            detail = Msg("err.network.only_other_ways", n=len(ways), found=found)
        else:
            detail = Msg("err.network.no_highways")
        raise ImportFormatError(Msg("err.network.no_walkable", name=path.name, detail=detail))
    if len(walk) < len(ways):
        notes.append(Msg("note.network.ways_not_walkable", n=len(ways) - len(walk)))
    edges: list[tuple[int, int, dict[str, object]]] = []
    missing = 0
    for way_id, refs, tags in walk:
        attrs = {"osmid": way_id, "highway": tags.get("highway", "")}
        for key in ("name", "wheelchair"):  # wheelchair=no: not for the wheelchair profile
            if key in tags:
                attrs[key] = tags[key]
        previous = None
        for ref in refs:
            if ref not in nodes:
                missing += 1
                previous = None  # the way is cut where its node is missing
            elif previous is not None and previous != ref:
                edges.append((previous, ref, attrs))
                previous = ref
            else:
                previous = ref
    if missing:
        notes.append(Msg("note.network.nodes_cut", n=missing))
    if not edges:
        raise ImportFormatError(Msg("err.network.nodes_missing", name=path.name))
    ids = np.unique([e[0] for e in edges] + [e[1] for e in edges])
    lonlat = np.array([nodes[i] for i in ids.tolist()], dtype=float)
    _refuse_outside_nl(path, lonlat[:, 0], lonlat[:, 1], ids.tolist())
    x, y = Transformer.from_crs(WGS84, RD_NEW, always_xy=True).transform(lonlat[:, 0], lonlat[:, 1])
    xy = dict(zip(ids.tolist(), zip(x.tolist(), y.tolist(), strict=True), strict=True))
    graph = nx.MultiGraph(crs="EPSG:28992", source=path.name, notes=notes)
    for i, (lon, lat) in zip(ids.tolist(), lonlat.tolist(), strict=True):
        graph.add_node(i, x=xy[i][0], y=xy[i][1], lon=lon, lat=lat)
    for u, v, attrs in edges:
        (xu, yu), (xv, yv) = xy[u], xy[v]
        graph.add_edge(u, v, **attrs, length=float(np.hypot(xv - xu, yv - yu)))
    return graph


def _refuse_outside_nl(path: Path, lon: np.ndarray, lat: np.ndarray, ids: list) -> None:
    with np.errstate(invalid="ignore"):
        outside = outside_netherlands(lon, lat) | ~np.isfinite(lon) | ~np.isfinite(lat)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise CRSError(
            Msg(
                "err.network.outside_nl",
                name=path.name,
                n=int(outside.sum()),
                total=len(ids),
                node=ids[i],
                lon=f"{lon[i]:.5f}",
                lat=f"{lat[i]:.5f}",
                hint=_mixup_hint(float(lon[i]), float(lat[i])),
            )
        )


def _mixup_hint(x: float, y: float) -> Msg | str:
    """Return a hint (with a leading space) when the point looks mixed up, else ``""``."""
    hint = guess_coordinate_mixup(x, y)
    if not hint:
        return ""
    rx0, ry0, rx1, ry1 = NL_BOUNDS_RD
    if rx0 <= x <= rx1 and ry0 <= y <= ry1:
        return Msg("err.network.hint_rd")
    return Msg("err.network.hint_swapped")


def _read_graphml(path: Path) -> nx.MultiGraph:
    """Read GraphML (osmnx's all-string attributes or networkx's typed ones) into RD New."""
    try:
        raw = nx.read_graphml(path, force_multigraph=True)
    except ET.ParseError as exc:
        raise ImportFormatError(
            Msg("err.network.broken_graphml", name=path.name, detail=str(exc))
        ) from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise ImportFormatError(
            Msg("err.network.bad_graphml", name=path.name, detail=str(exc))
        ) from None
    if raw.number_of_edges() == 0:
        raise ImportFormatError(Msg("err.network.graphml_no_edges", name=path.name, n=len(raw)))
    ids = list(raw.nodes)
    xy = np.empty((len(ids), 2))
    for k, (node, data) in enumerate(raw.nodes(data=True)):
        try:
            xy[k] = float(data["x"]), float(data["y"])
        except (KeyError, TypeError, ValueError):
            raise ImportFormatError(
                Msg("err.network.graphml_node_xy", name=path.name, node=node)
            ) from None
    crs, notes = _graphml_crs(path, raw.graph.get("crs"), xy)
    lon, lat = xy[:, 0], xy[:, 1]
    if crs != WGS84:
        lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(lon, lat)
    _refuse_outside_nl(path, np.asarray(lon), np.asarray(lat), ids)
    to_rd = Transformer.from_crs(crs, RD_NEW, always_xy=True)
    x, y = to_rd.transform(xy[:, 0], xy[:, 1])
    if all(isinstance(i, str) and i.lstrip("-").isdigit() for i in ids):
        numeric = [int(i) for i in ids]
        if len(set(numeric)) == len(ids):
            ids = numeric  # osmnx node ids are OSM ids
    rename = dict(zip(raw.nodes, ids, strict=True))
    graph = nx.MultiGraph(crs="EPSG:28992", source=path.name, notes=notes)
    for k, i in enumerate(ids):
        graph.add_node(i, x=float(x[k]), y=float(y[k]), lon=float(lon[k]), lat=float(lat[k]))
    dropped, seen = 0, set()
    for u, v, data in raw.edges(data=True):
        if data.get("highway") is not None and not is_walkable(data):
            dropped += 1
            continue
        u, v = rename[u], rename[v]
        key = (frozenset((u, v)), str(data.get("osmid")), str(data.get("length")))
        if raw.is_directed() and key in seen:
            continue  # the reverse of a two-way street: one undirected edge is enough
        seen.add(key)
        graph.add_edge(u, v, **_graphml_edge(data, graph, u, v, to_rd))
    if dropped:
        notes.append(Msg("note.network.edges_not_walkable", n=dropped))
    graph.remove_nodes_from([n for n, degree in graph.degree if degree == 0])
    if graph.number_of_edges() == 0:
        raise ImportFormatError(
            Msg("err.network.graphml_not_walkable", name=path.name, n=raw.number_of_edges())
        )
    return graph


def _graphml_crs(path: Path, value: object, xy: np.ndarray) -> tuple[CRS, list[str]]:
    if value is None:
        x0, y0, x1, y1 = NL_BOUNDS_RD
        in_rd = ((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)).all()
        if in_rd and np.abs(xy).max() > 180:
            return RD_NEW, ["The GraphML has no 'crs'; its coordinates were read as RD New."]
        return WGS84, ["The GraphML has no 'crs'; its coordinates were read as lon/lat."]
    try:
        return parse_crs(str(value)), []
    except CRSError as exc:
        detail = exc.args[0] if exc.args else str(exc)
        raise CRSError(Msg("err.network.graphml_crs", name=path.name, detail=detail)) from None


def _graphml_edge(
    data: dict, graph: nx.MultiGraph, u: object, v: object, to_rd: Transformer
) -> dict[str, object]:
    """Return an edge's attributes in RD, its ``length`` measured there (see the module notes)."""
    keys = ("osmid", "highway", "name", "wheelchair")
    attrs = {k: data[k] for k in keys if data.get(k) is not None}
    geometry = data.get("geometry")
    if isinstance(geometry, str):
        try:
            geometry = shapely.from_wkt(geometry)
        except shapely.errors.GEOSException:
            geometry = None
    if isinstance(geometry, shapely.LineString) and not geometry.is_empty:
        geometry = shapely.transform(
            geometry, lambda c: np.column_stack(to_rd.transform(c[:, 0], c[:, 1]))
        )
        attrs["geometry"] = geometry
        attrs["length"] = float(geometry.length)
    else:
        nu, nv = graph.nodes[u], graph.nodes[v]
        attrs["length"] = float(np.hypot(nu["x"] - nv["x"], nu["y"] - nv["y"]))
    return attrs


# --- the network as arrays -------------------------------------------------------------------
