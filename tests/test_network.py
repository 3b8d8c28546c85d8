"""Walking distances over a street network: readers, known answers on a hand-made lattice, errors.

The fixture is a 5 x 5 lattice of residential streets with 100 m blocks around RD (200000,
470000), plus ways that must be left out (a motorway, a cycleway with foot=no, a private
service road, a building) and a footway that is the only walking way to the motorway's node P:

    (4,4)-- footway --F         lattice node (i, j) at RD (200000 + 100 i, 470000 + 100 j)
      |               |         F = (200600, 470400)
     ...           footway      P = (200600, 470000)
      |               |         Q = (200600, 469500), only on the motorway
    (4,0)== motorway ==P
                       ‖ motorway
                       Q

The committed files in ``tests/data/network/`` are written by :func:`make_fixture`; regenerate
them with ``python tests/test_network.py`` (``test_committed_fixtures_are_current`` checks).
"""

from __future__ import annotations

import itertools
import math
import xml.sax.saxutils
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pyproj import Transformer

from asset_map._errors import CRSError, ImportFormatError, SchemaError
from asset_map.analysis.network import network_cover, network_nearest_m
from asset_map.io.network import is_walkable, read_walk_network

FIXTURES = Path(__file__).parent / "data" / "network"
X0, Y0, BLOCK = 200000.0, 470000.0, 100.0
P, Q, F = 101, 102, 103
EXTRA_RD = {P: (X0 + 600, Y0), Q: (X0 + 600, Y0 - 500), F: (X0 + 600, Y0 + 400)}


def lattice(i: int, j: int) -> int:
    return 1 + i + 5 * j


def rd(i: float, j: float) -> tuple[float, float]:
    return X0 + BLOCK * i, Y0 + BLOCK * j


def fixture_data(
    origin: tuple[float, float] | None = None,
) -> tuple[dict[int, tuple[float, float]], list[tuple[int, list[int], dict[str, str]]]]:
    """Return node lon/lat (rounded to OSM's 7 decimals) and ways of the fixture network.

    ``origin`` moves the lattice to another lon/lat (for the refusal of non-Dutch data).
    """
    points = {lattice(i, j): rd(i, j) for i in range(5) for j in range(5)} | EXTRA_RD
    ids = sorted(points)
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    x, y = np.array([points[i] for i in ids]).T
    lon, lat = to_wgs84.transform(x, y)
    if origin is not None:
        lon, lat = lon - lon[0] + origin[0], lat - lat[0] + origin[1]
    nodes = {
        i: (round(float(a), 7), round(float(b), 7)) for i, a, b in zip(ids, lon, lat, strict=True)
    }

    def street(name: str) -> dict[str, str]:
        return {"highway": "residential", "name": name}

    ways = [
        (1000 + j, [lattice(i, j) for i in range(5)], street(f"Dwarsweg {j}")) for j in range(5)
    ]
    ways += [(2000 + i, [lattice(i, j) for j in range(5)], street(f"Laan {i}")) for i in range(5)]
    ways[0] = (1000, ways[0][1], street("Café ’t Hoekje & <Zn>"))  # XML escapes in a name
    ways += [
        (3000, [lattice(4, 0), P, Q], {"highway": "motorway", "ref": "A1"}),
        (3001, [lattice(4, 4), F, P], {"highway": "footway"}),
        (3002, [lattice(0, 0), lattice(1, 1)], {"highway": "cycleway", "foot": "no"}),
        (3003, [lattice(0, 2), lattice(2, 4)], {"highway": "service", "access": "private"}),
        (3004, [lattice(1, 1), lattice(2, 1), lattice(2, 2), lattice(1, 1)], {"building": "yes"}),
    ]
    return nodes, ways


def write_osm_xml(path: Path, nodes: dict, ways: list) -> None:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<osm version="0.6" generator="asset_map tests (hand-made)">',
    ]
    lines += [
        f'  <node id="{i}" lat="{lat:.7f}" lon="{lon:.7f}"/>' for i, (lon, lat) in nodes.items()
    ]
    for way_id, refs, tags in ways:
        lines.append(f'  <way id="{way_id}">')
        lines += [f'    <nd ref="{r}"/>' for r in refs]
        lines += [
            f"    <tag k={xml.sax.saxutils.quoteattr(k)} v={xml.sax.saxutils.quoteattr(v)}/>"
            for k, v in tags.items()
        ]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_osm_pbf(path: Path, nodes: dict, ways: list) -> None:
    osmium = pytest.importorskip("osmium", reason="pyosmium is needed to write .osm.pbf")
    with osmium.SimpleWriter(str(path)) as writer:
        for i, location in nodes.items():
            writer.add_node(osmium.osm.mutable.Node(id=i, location=location, tags={}))
        for way_id, refs, tags in ways:
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))


def write_osmnx_graphml(path: Path, nodes: dict, ways: list) -> None:
    """Write the network as osmnx does: a MultiDiGraph in lon/lat, both ways, great-circle m."""
    ox = pytest.importorskip("osmnx", reason="osmnx writes the GraphML fixture")
    graph = nx.MultiDiGraph(crs="epsg:4326", created_with="asset_map tests (hand-made)")
    for i, (lon, lat) in nodes.items():
        graph.add_node(i, x=lon, y=lat)
    for way_id, refs, tags in ways:
        if "highway" not in tags:
            continue
        for u, v in itertools.pairwise(refs):
            kept = {k: tags[k] for k in ("highway", "foot", "access") if k in tags}
            graph.add_edge(u, v, osmid=way_id, **kept)
            graph.add_edge(v, u, osmid=way_id, **kept)
    graph.remove_nodes_from([n for n, d in graph.degree if d == 0])
    ox.distance.add_edge_lengths(graph)
    ox.save_graphml(graph, path)


def make_fixture(folder: Path = FIXTURES) -> list[Path]:
    """Write ``walk.osm`` and ``walk.graphml`` (the committed fixture files) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, ways = fixture_data()
    write_osm_xml(folder / "walk.osm", nodes, ways)
    write_osmnx_graphml(folder / "walk.graphml", nodes, ways)
    return [folder / "walk.osm", folder / "walk.graphml"]


@pytest.fixture(scope="module", params=["osm", "graphml", "pbf"])
def walk(request, tmp_path_factory) -> nx.MultiGraph:
    """The fixture network, read from each format."""
    if request.param == "pbf":
        path = tmp_path_factory.mktemp("pbf") / "walk.osm.pbf"
        write_osm_pbf(path, *fixture_data())
        return read_walk_network(path)
    return read_walk_network(FIXTURES / f"walk.{request.param}")


def near(x: float, tol: float = 0.1):
    return pytest.approx(x, abs=tol)


# --- the fixture files -----------------------------------------------------------------------


def test_committed_fixtures_are_current(tmp_path):
    for fresh in make_fixture(tmp_path):
        committed = FIXTURES / fresh.name
        assert committed.read_bytes() == fresh.read_bytes(), f"regenerate {committed}"
        assert committed.stat().st_size < 20_000


def test_pbf_round_trip_keeps_every_way(tmp_path):
    osmium = pytest.importorskip("osmium")
    path = tmp_path / "walk.osm.pbf"
    write_osm_pbf(path, *fixture_data())
    ways = [o.id for o in osmium.FileProcessor(str(path)) if o.is_way()]
    assert ways == [way[0] for way in fixture_data()[1]]


# --- which ways are for walking ----------------------------------------------------------------

WALKABLE = [
    {"highway": "residential"},
    {"highway": "footway"},
    {"highway": "steps"},
    {"highway": "cycleway"},
    {"highway": "service", "access": "private", "foot": "yes"},
    {"highway": "track", "access": "no", "foot": "designated"},
    {"highway": ["residential", "motorway_link"]},  # an osmnx-simplified edge
    {"highway": "['tertiary', 'footway']"},  # the same, as GraphML stores it
    {"highway": "Living_Street"},
]
NOT_WALKABLE = [
    {"highway": "motorway"},
    {"highway": "trunk"},
    {"highway": "motorway_link", "foot": "yes"},
    {"highway": "trunk_link"},
    {"highway": "cycleway", "foot": "no"},
    {"highway": "service", "access": "private"},
    {"highway": "residential", "access": "no"},
    {"highway": "construction"},
    {"building": "yes"},
    {},
]


@pytest.mark.parametrize("tags", WALKABLE)
def test_walkable(tags):
    assert is_walkable(tags)


@pytest.mark.parametrize("tags", NOT_WALKABLE)
def test_not_walkable(tags):
    assert not is_walkable(tags)


# --- reading ---------------------------------------------------------------------------------


def test_read_gives_an_undirected_rd_graph(walk):
    assert isinstance(walk, nx.MultiGraph) and not walk.is_directed()
    assert walk.graph["crs"] == "EPSG:28992"
    # 25 lattice nodes + F + P; Q lies only on the motorway.
    assert sorted(walk.nodes) == [*range(1, 26), P, F]
    assert walk.number_of_edges() == 40 + 2
    corner = walk.nodes[lattice(4, 4)]
    assert (corner["x"], corner["y"]) == (near(X0 + 400, 0.02), near(Y0 + 400, 0.02))
    assert 6.0 < corner["lon"] < 6.1 and 52.2 < corner["lat"] < 52.3
    lengths = [d["length"] for _, _, d in walk.edges(data=True)]
    assert sorted(lengths)[:40] == [near(100.0, 0.02)] * 40
    assert any("not for walking" in note for note in walk.graph["notes"])
    if walk.graph["source"] != "walk.graphml":  # the GraphML fixture keeps no names
        assert walk.edges[lattice(0, 0), lattice(1, 0), 0]["name"] == "Café ’t Hoekje & <Zn>"


def test_read_cuts_ways_at_missing_nodes(tmp_path):
    nodes, ways = fixture_data()
    del nodes[lattice(2, 0)]
    path = tmp_path / "cut.osm"
    write_osm_xml(path, nodes, ways)
    graph = read_walk_network(path)
    assert lattice(2, 0) not in graph
    assert graph.has_edge(lattice(0, 0), lattice(1, 0))
    assert not graph.has_edge(lattice(1, 0), lattice(3, 0))
    assert any("cut there" in note for note in graph.graph["notes"])


def test_read_networkx_graphml_in_rd_without_lengths(tmp_path):
    graph = nx.Graph(crs="EPSG:28992")
    for i in range(3):
        graph.add_node(f"n{i}", x=X0 + 100 * i, y=Y0)
    graph.add_edge("n0", "n1")
    graph.add_edge("n1", "n2", highway="residential")
    path = tmp_path / "typed.graphml"
    nx.write_graphml(graph, path)
    back = read_walk_network(path)
    assert sorted(d["length"] for _, _, d in back.edges(data=True)) == [near(100), near(100)]
    assert network_nearest_m(back, [[X0, Y0]], [[X0 + 200, Y0]]) == near(200)


# --- known answers ---------------------------------------------------------------------------


def test_lattice_walk_is_manhattan_not_straight(walk):
    site = np.array([rd(0, 0)])
    home = np.array([rd(3, 4)])  # 300 m east, 400 m north: 500 m straight, 700 m walking
    assert math.dist(home[0], site[0]) == near(500)
    assert network_nearest_m(walk, home, site)[0] == near(700)
    assert not network_cover(walk, home, site, max_walk_m=600)[0, 0]
    assert network_cover(walk, home, site, max_walk_m=700.5)[0, 0]


def test_left_out_ways_are_no_shortcuts(walk):
    # A cycleway with foot=no runs (0,0)-(1,1); a private service road (0,2)-(2,4).
    assert network_nearest_m(walk, [rd(1, 1)], [rd(0, 0)])[0] == near(200)
    assert network_nearest_m(walk, [rd(2, 4)], [rd(0, 2)])[0] == near(400)


def test_across_the_motorway_only_around(walk):
    site = np.array([rd(4, 0)])
    p, q = EXTRA_RD[P], EXTRA_RD[Q]
    # P is 200 m east along the motorway; walking goes up, along the footway and down.
    assert network_nearest_m(walk, [p], site)[0] == near(400 + 200 + 400)
    # Q is on the motorway only: 500 m from the nearest walking node (P), beyond snap_max_m.
    assert network_nearest_m(walk, [q], site)[0] == np.inf
    assert network_nearest_m(walk, [q], site, snap_max_m=600)[0] == near(500 + 1000)
    assert network_cover(walk, [p, q], site, max_walk_m=5000).toarray().ravel().tolist() == [
        True,
        False,
    ]


def test_snapping_adds_the_straight_gap_at_both_ends(walk):
    site = np.array([[X0, Y0 - 40]])  # 40 m south of (0,0)
    home = np.array([[X0 + 150, Y0 + 30]])  # 30 m north of the street, halfway (1,0)-(2,0)
    assert network_nearest_m(walk, home, site)[0] == near(40 + 150 + 30)
    # With the graph's own nodes only, a home at (120, 30) snaps to the junction (1,0); with
    # a node every 25 m, to the node 25 m up the cross street x = 100 (20.6 m away).
    off_junction = np.array([[X0 + 120, Y0 + 30]])
    assert network_nearest_m(walk, off_junction, site, node_spacing_m=math.inf)[0] == near(
        40 + 100 + math.hypot(20, 30)
    )
    assert network_nearest_m(walk, off_junction, site)[0] == near(40 + 125 + math.hypot(20, 5))


def test_far_points_are_unreachable(walk):
    far = np.array([[X0 + 2000, Y0 + 2000]])
    assert network_nearest_m(walk, far, [rd(0, 0)])[0] == np.inf
    assert network_nearest_m(walk, [rd(0, 0)], far)[0] == np.inf
    assert network_cover(walk, far, [rd(0, 0)], max_walk_m=1e6).nnz == 0


def test_nearest_takes_the_closest_of_several_sites(walk):
    sites = np.array([rd(0, 0), rd(4, 4)])
    homes = np.array([rd(1, 0), rd(3, 4), rd(2, 2)])
    assert network_nearest_m(walk, homes, sites).tolist() == [near(100), near(100), near(400)]
    cover = network_cover(walk, homes, sites, max_walk_m=350).toarray()
    assert cover.tolist() == [[True, False], [False, True], [False, False]]


def test_empty_inputs(walk):
    none = np.empty((0, 2))
    assert network_nearest_m(walk, none, [rd(0, 0)]).shape == (0,)
    assert network_nearest_m(walk, [rd(0, 0)], none).tolist() == [np.inf]
    assert network_cover(walk, none, [rd(0, 0)], max_walk_m=500).shape == (0, 1)
    assert network_cover(walk, [rd(0, 0)], none, max_walk_m=500).shape == (1, 0)


# --- properties ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scatter() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    homes = rng.uniform([X0 - 100, Y0 - 100], [X0 + 700, Y0 + 500], size=(300, 2))
    sites = rng.uniform([X0 - 100, Y0 - 100], [X0 + 700, Y0 + 500], size=(12, 2))
    return homes, sites


def test_cover_agrees_with_nearest(walk, scatter):
    homes, sites = scatter
    for s in range(len(sites)):
        nearest = network_nearest_m(walk, homes, sites[s : s + 1])
        for max_walk_m in (0.0, 150.0, 420.0, 900.0):
            cover = network_cover(walk, homes, sites[s : s + 1], max_walk_m=max_walk_m)
            assert (cover.toarray()[:, 0] == (nearest <= max_walk_m)).all()
    all_sites = network_cover(walk, homes, sites, max_walk_m=420.0).toarray()
    assert (all_sites.any(axis=1) == (network_nearest_m(walk, homes, sites) <= 420.0)).all()


def test_cover_from_either_side_agrees(walk, scatter):
    homes, sites = scatter
    # Few sites: Dijkstra runs from the sites; few homes: from the homes. Same answer.
    forward = network_cover(walk, homes, sites, max_walk_m=500).toarray()
    backward = network_cover(walk, sites, homes, max_walk_m=500).toarray().T
    assert (forward == backward).all()


def test_walking_is_never_shorter_than_straight(walk, scatter):
    homes, sites = scatter
    walking = network_nearest_m(walk, homes, sites)
    straight = np.hypot(*(homes[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    reached = np.isfinite(walking)
    assert reached.sum() > 200
    assert (walking[reached] >= straight[reached] - 1e-6).all()


def test_matches_networkx_dijkstra(walk, scatter):
    homes, sites = scatter
    ids = list(walk.nodes)
    xy = np.array([(walk.nodes[n]["x"], walk.nodes[n]["y"]) for n in ids])

    def snap(p):
        gaps = np.hypot(*(xy - p).T)
        return ids[int(gaps.argmin())], float(gaps.min())

    expected = []
    for home in homes[:40]:
        node, gap = snap(home)
        best = math.inf
        for site in sites:
            site_node, site_gap = snap(site)
            if gap <= 250 and site_gap <= 250 and nx.has_path(walk, node, site_node):
                walk_m = nx.shortest_path_length(walk, node, site_node, weight="length")
                best = min(best, gap + walk_m + site_gap)
        expected.append(best)
    got = network_nearest_m(walk, homes[:40], sites, node_spacing_m=math.inf)
    assert got.tolist() == pytest.approx(expected, abs=1e-6)


def test_a_changed_graph_is_measured_again(tmp_path):
    graph = read_walk_network(FIXTURES / "walk.osm")
    before = network_nearest_m(graph, [rd(3, 4)], [rd(0, 0)])[0]
    graph.add_edge(lattice(0, 0), lattice(3, 4), length=500.0)  # a new diagonal path
    after = network_nearest_m(graph, [rd(3, 4)], [rd(0, 0)])[0]
    assert (before, after) == (near(700), near(500))


def test_a_directed_graph_is_walked_both_ways():
    graph = nx.MultiDiGraph(crs="EPSG:28992")
    graph.add_node("a", x=X0, y=Y0)
    graph.add_node("b", x=X0 + 100, y=Y0)
    graph.add_edge("a", "b", length=100.0)  # a one-way street for cars
    assert network_nearest_m(graph, [[X0, Y0]], [[X0 + 100, Y0]])[0] == near(100)


def test_a_graph_without_edges_reaches_only_its_own_nodes():
    graph = nx.Graph(crs="EPSG:28992")
    graph.add_node("a", x=X0, y=Y0)
    graph.add_node("b", x=X0 + 100, y=Y0)
    got = network_nearest_m(graph, [[X0, Y0 + 10], [X0 + 100, Y0]], [[X0 - 10, Y0]])
    assert got.tolist() == [near(20), np.inf]


def test_plain_pbf_suffix(tmp_path):
    path = tmp_path / "walk.pbf"
    write_osm_pbf(path, *fixture_data())
    assert read_walk_network(path).number_of_edges() == 42


def test_a_larger_network_is_fast_enough():
    side = 60  # 3,600 junctions, 7,080 streets of 100 m
    graph = nx.Graph(crs="EPSG:28992")
    for i in range(side):
        for j in range(side):
            graph.add_node((i, j), x=X0 + 100 * i, y=Y0 + 100 * j)
            if i:
                graph.add_edge((i - 1, j), (i, j), length=100.0)
            if j:
                graph.add_edge((i, j - 1), (i, j), length=100.0)
    rng = np.random.default_rng(1)
    homes = rng.uniform([X0, Y0], [X0 + 5900, Y0 + 5900], size=(3000, 2))
    sites = rng.uniform([X0, Y0], [X0 + 5900, Y0 + 5900], size=(300, 2))
    cover = network_cover(graph, homes, sites, max_walk_m=800)
    nearest = network_nearest_m(graph, homes, sites)
    assert (cover.toarray().any(axis=1) == (nearest <= 800)).all()


# --- refusals --------------------------------------------------------------------------------


def test_unknown_extension(tmp_path):
    path = tmp_path / "straten.shp"
    path.write_bytes(b"x")
    with pytest.raises(ImportFormatError, match=r"straten\.shp: unknown .*\.osm\.pbf.*graphml"):
        read_walk_network(path)


def test_missing_file(tmp_path):
    with pytest.raises(ImportFormatError, match=r"weg\.osm: file not found"):
        read_walk_network(tmp_path / "weg.osm")


@pytest.mark.parametrize("name", ["leeg.osm", "leeg.osm.pbf", "leeg.graphml"])
@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=rf"{name}: the file is empty"):
        read_walk_network(path)


def test_broken_xml(tmp_path):
    path = tmp_path / "kapot.osm"
    text = (FIXTURES / "walk.osm").read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ImportFormatError, match=r"kapot\.osm: broken XML \(.*line \d+"):
        read_walk_network(path)


def test_not_osm_xml(tmp_path):
    path = tmp_path / "route.osm"
    path.write_text('<?xml version="1.0"?><gpx><trk/></gpx>')
    with pytest.raises(ImportFormatError, match=r"route\.osm: not an OpenStreetMap XML.*<gpx>"):
        read_walk_network(path)


def test_broken_pbf(tmp_path):
    path = tmp_path / "kapot.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x0dnot a pbf file at all" * 10)
    with pytest.raises(ImportFormatError, match=r"kapot\.osm\.pbf: not a readable OSM PBF"):
        read_walk_network(path)


def test_broken_graphml(tmp_path):
    path = tmp_path / "kapot.graphml"
    path.write_text((FIXTURES / "walk.graphml").read_text()[:3000])
    with pytest.raises(ImportFormatError, match=r"kapot\.graphml: broken XML"):
        read_walk_network(path)


def test_graphml_that_is_not_graphml(tmp_path):
    path = tmp_path / "anders.graphml"
    path.write_text('<?xml version="1.0"?><osm version="0.6"/>')
    with pytest.raises(ImportFormatError, match=r"anders\.graphml: not a readable GraphML"):
        read_walk_network(path)


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf"])
def test_no_walkable_ways(tmp_path, suffix):
    nodes, ways = fixture_data()
    only = [w for w in ways if w[2].get("highway") in ("motorway", None)]
    path = tmp_path / f"snelweg{suffix}"
    (write_osm_xml if suffix == ".osm" else write_osm_pbf)(path, nodes, only)
    with pytest.raises(
        ImportFormatError, match=r"no walkable ways: .*1 streets, none .*highway=motorway"
    ):
        read_walk_network(path)


def test_no_ways_at_all(tmp_path):
    nodes, _ = fixture_data()
    path = tmp_path / "punten.osm"
    write_osm_xml(path, nodes, [])
    with pytest.raises(ImportFormatError, match=r"no walkable ways: .*no way tagged highway"):
        read_walk_network(path)


def test_graphml_with_only_motorways(tmp_path):
    nodes, ways = fixture_data()
    path = tmp_path / "snelweg.graphml"
    write_osmnx_graphml(path, nodes, [w for w in ways if w[2].get("highway") == "motorway"])
    with pytest.raises(ImportFormatError, match=r"no walkable ways: all 4 edges are motorways"):
        read_walk_network(path)


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf", ".graphml"])
def test_network_in_america_is_refused(tmp_path, suffix):
    nodes, ways = fixture_data(origin=(-74.0, 40.7))  # New York
    path = tmp_path / f"manhattan{suffix}"
    writer = {".osm": write_osm_xml, ".osm.pbf": write_osm_pbf, ".graphml": write_osmnx_graphml}
    writer[suffix](path, nodes, ways)
    with pytest.raises(CRSError, match=r"(\d+) of \1 street nodes lie outside the Netherlands"):
        read_walk_network(path)


def test_swapped_lat_lon_gets_a_hint(tmp_path):
    nodes, ways = fixture_data()
    path = tmp_path / "omgedraaid.osm"
    write_osm_xml(path, {i: (lat, lon) for i, (lon, lat) in nodes.items()}, ways)
    with pytest.raises(CRSError, match=r"outside the Netherlands.*swapped"):
        read_walk_network(path)


def test_graph_in_lonlat_is_refused():
    graph = nx.MultiGraph(crs="EPSG:4326")
    graph.add_edge(1, 2, length=100.0)
    with pytest.raises(CRSError, match=r"in EPSG:4326, but .*RD New.*project_graph"):
        network_nearest_m(graph, [rd(0, 0)], [rd(1, 0)])


def test_graph_without_crs_in_degrees_is_refused():
    graph = nx.Graph()
    graph.add_node(1, x=6.05, y=52.2)
    graph.add_node(2, x=6.06, y=52.2)
    graph.add_edge(1, 2, length=100.0)
    with pytest.raises(CRSError, match=r"nodes of the walking network lie outside.*degrees"):
        network_cover(graph, [rd(0, 0)], [rd(1, 0)], max_walk_m=500)


def test_graph_with_a_text_length_is_refused():
    graph = nx.Graph(crs="EPSG:28992")
    graph.add_edge(1, 2, length="honderd")
    nx.set_node_attributes(graph, {1: X0, 2: X0 + 100}, "x")
    nx.set_node_attributes(graph, Y0, "y")
    with pytest.raises(SchemaError, match=r"'length' that is not a number"):
        network_nearest_m(graph, [rd(0, 0)], [rd(1, 0)])


def test_points_in_lonlat_are_refused(walk):
    with pytest.raises(CRSError, match=r"1 of the 1 demand points lie outside.*degrees"):
        network_nearest_m(walk, [[6.05, 52.2]], [rd(0, 0)])


@pytest.mark.parametrize(
    ("points", "match"),
    [
        (np.zeros((3,)), r"demand points must be an \(n, 2\) array"),
        (np.array([[X0, np.nan]]), r"1 of the demand points have a missing"),
    ],
)
def test_bad_points(walk, points, match):
    with pytest.raises(SchemaError, match=match):
        network_cover(walk, points, [rd(0, 0)], max_walk_m=500)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"max_walk_m": -1.0}, r"max_walk_m must be a distance in metres"),
        ({"max_walk_m": float("nan")}, r"max_walk_m must be"),
        ({"max_walk_m": math.inf}, r"max_walk_m must be finite"),
        ({"max_walk_m": 500.0, "snap_max_m": -5.0}, r"snap_max_m must be"),
        ({"max_walk_m": 500.0, "node_spacing_m": 0.0}, r"node_spacing_m must be more than 0"),
    ],
)
def test_bad_options(walk, options, match):
    with pytest.raises(ValueError, match=match):
        network_cover(walk, [rd(0, 0)], [rd(1, 0)], **options)


if __name__ == "__main__":
    for written in make_fixture():
        print(f"wrote {written} ({written.stat().st_size} bytes)")
