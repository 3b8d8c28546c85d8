"""A wheelchair's way: steps (highway=steps) and ways marked wheelchair=no are walked round.

A hand-made network (RD New, from (X0, Y0)):

    C ------------ D        C = (X0, Y0 + 300), D = (X0 + 100, Y0 + 300): footways
    |              |
    A ==steps===== B        A = (X0, Y0), B = (X0 + 100, Y0); A-B is 100 m of steps

Walking from A to B takes the steps: 100 m. A wheelchair goes round by C and D:
300 + 100 + 300 = 700 m, more than the 583 m of 10 minutes at 3.5 km/h.
"""

from __future__ import annotations

import xml.sax.saxutils
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, box

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.network import has_steps, network_cover, network_nearest_m
from asset_map.io.network import read_walk_network

X0, Y0 = 150_000.0, 450_000.0
NODES = {1: (X0, Y0), 2: (X0 + 100, Y0), 3: (X0, Y0 + 300), 4: (X0 + 100, Y0 + 300)}
A, B = np.array([NODES[1]]), np.array([NODES[2]])


def write_osm(path: Path, shortcut: dict[str, str]) -> Path:
    """Write the network as OSM XML; the way A-B carries the tags ``shortcut``."""
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">']
    for node, (x, y) in NODES.items():
        lon, lat = to_wgs84.transform(x, y)
        lines.append(f'  <node id="{node}" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    ways = [(10, [1, 2], shortcut), (11, [1, 3, 4, 2], {"highway": "footway"})]
    for way, refs, tags in ways:
        lines.append(f'  <way id="{way}">')
        lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        lines += [
            f"    <tag k={xml.sax.saxutils.quoteattr(k)} v={xml.sax.saxutils.quoteattr(v)}/>"
            for k, v in tags.items()
        ]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(params=[{"highway": "steps"}, {"highway": "footway", "wheelchair": "no"}])
def network(request, tmp_path) -> nx.MultiGraph:
    """The network, its shortcut either steps or a footway marked wheelchair=no."""
    return read_walk_network(write_osm(tmp_path / "trap.osm", request.param))


def test_the_reader_keeps_what_makes_a_way_unfit_for_a_wheelchair(network):
    shortcut = [d for _, _, d in network.edges(data=True) if d["osmid"] == 10]
    assert shortcut and all(has_steps(d) for d in shortcut)
    rest = [d for _, _, d in network.edges(data=True) if d["osmid"] == 11]
    assert rest and not any(has_steps(d) for d in rest)


def test_a_wheelchair_goes_round_the_steps(network):
    assert network_nearest_m(network, A, B)[0] == pytest.approx(100.0, abs=0.5)
    assert network_nearest_m(network, A, B, step_free=True)[0] == pytest.approx(700.0, abs=0.5)
    assert network_cover(network, A, B, max_walk_m=583.3).toarray().tolist() == [[True]]
    chair = network_cover(network, A, B, max_walk_m=583.3, step_free=True)
    assert chair.toarray().tolist() == [[False]]


@pytest.mark.parametrize("value", ["steps", ["footway", "steps"], "['steps']", "steps;footway"])
def test_steps_are_found_in_every_way_a_graph_writes_tags(value):
    assert has_steps({"highway": value})
    assert not has_steps({"highway": "footway", "wheelchair": "yes"})


def test_the_gap_analysis_leaves_the_steps_out_for_the_wheelchair_profile(network):
    # One cell of 100 m north-east of A, 1000 residents; a step-free buurthuis at B. The
    # cell's centre (X0 + 50, Y0 + 50) is 50 m from the steps and from the footway A-C:
    # walking 50 + 50 = 100 m over the steps, or 50 + 250 + 100 + 300 = 700 m round.
    areas = gpd.GeoDataFrame(
        {
            "code": ["BU99990101"],
            "name": ["Trap"],
            "level": ["buurt"],
            "inhabitants": [1000.0],
        },
        geometry=[box(X0, Y0, X0 + 100, Y0 + 100)],
        crs="EPSG:28992",
    )
    place = gpd.GeoDataFrame(
        {"id": ["b"], "name": ["Buurthuis"], "type": ["buurthuis"], "status": ["existing"]},
        geometry=[Point(*NODES[2])],
        crs="EPSG:28992",
    ).assign(wheelchair="yes")
    everyone = NeedWeights.preset("all")
    walkers = analyse_gaps(areas, place, GapParams(weights=everyone), network=network)
    chairs = analyse_gaps(
        areas, place, GapParams(weights=everyone, profile="rolstoel"), network=network
    )
    assert walkers.summary["share_before"] == pytest.approx(1.0)
    assert walkers.cells["walk_m"].iloc[0] == pytest.approx(100.0, abs=1.0)
    assert chairs.summary["share_before"] == 0.0
    assert chairs.cells["walk_m"].iloc[0] == pytest.approx(700.0, abs=1.0)
