"""Hand-made layouts of the gap-analysis tests, in RD New, with answers worked out by hand.

Two families:

- the 5 x 5 street lattice of ``tests/data/network/walk.osm`` (100 m blocks from its corner
  (LATTICE_X0, LATTICE_Y0), plus a footway out to x = LATTICE_X0 + 600; see
  tests/test_network.py), with box-shaped buurten (``buurt``) and buurthuizen on it;
- two square buurten of 1 km2 from (SQUARES_X0, SQUARES_Y0) (``two_buurten``; also a fixture
  of tests/conftest.py) and four CBS population grid squares over them, as CBS writes them.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Point, box

from asset_map.i18n import Msg

WALK_OSM = Path(__file__).parent / "data" / "network" / "walk.osm"
LATTICE_X0, LATTICE_Y0 = 200_000.0, 470_000.0  # the lattice's corner (0, 0)
#: 2 km east from the lattice's corner, 400 m high; a point near the corner and one far east.
STRIP = (LATTICE_X0, LATTICE_Y0, LATTICE_X0 + 2000, LATTICE_Y0 + 400)
NEAR, FAR = (LATTICE_X0 + 10, LATTICE_Y0 + 10), (LATTICE_X0 + 1900, LATTICE_Y0 + 200)
FIGURES = {
    "inhabitants": 1000.0,
    "pct_65_plus": 20.0,
    "households": 500.0,
    "pct_single_households": 40.0,
}


def buurt(x0: float, y0: float, x1: float, y1: float) -> gpd.GeoDataFrame:
    """One buurt, the box (x0, y0)-(x1, y1) in RD New, with 1000 residents."""
    return gpd.GeoDataFrame(
        {"code": ["BU99990101"], "name": ["Strook"], "level": ["buurt"], **{
            k: [v] for k, v in FIGURES.items()
        }},
        geometry=[box(x0, y0, x1, y1)],
        crs="EPSG:28992",
    )  # fmt: skip


def buurthuizen(*xy: tuple[float, float]) -> gpd.GeoDataFrame:
    """Existing buurthuizen at the points ``xy`` (RD New)."""
    return gpd.GeoDataFrame(
        {
            "id": [f"b{i}" for i in range(len(xy))],
            "name": [f"Buurthuis {i}" for i in range(len(xy))],
            "type": "buurthuis",
            "status": "existing",
        },
        geometry=[Point(x, y) for x, y in xy],
        crs="EPSG:28992",
    )


def notes_of(result, prefix: str) -> list[Msg]:
    """The notes of a gap analysis whose text key starts with ``prefix``."""
    return [w for w in result.warnings if isinstance(w, Msg) and w.key.startswith(prefix)]


SQUARES_X0, SQUARES_Y0 = 150_000.0, 450_000.0


def two_buurten() -> gpd.GeoDataFrame:
    """Buurt A (1000 residents, 20 % 65+) and buurt B (1000, 65+ unknown), 1 km2 each."""
    x, y = SQUARES_X0, SQUARES_Y0
    return gpd.GeoDataFrame(
        {
            "code": ["BU99990101", "BU99990102"],
            "name": ["A", "B"],
            "level": ["buurt", "buurt"],
            "parent_code": ["WK999901"] * 2,
            "inhabitants": [1000.0, 1000.0],
            "pct_65_plus": [20.0, np.nan],
            "households": [500.0, 500.0],
            "pct_single_households": [40.0, 40.0],
        },
        geometry=[
            box(x, y, x + 1000, y + 1000),
            box(x + 1000, y, x + 2000, y + 1000),
        ],
        crs="EPSG:28992",
    )


def far_shop() -> gpd.GeoDataFrame:
    """One shop, 5 km east and north of the buurten: no meeting place anywhere near."""
    return gpd.GeoDataFrame(
        {"id": ["w1"], "name": ["Winkel"], "type": ["winkel"], "status": ["existing"]},
        geometry=[Point(SQUARES_X0 + 5000, SQUARES_Y0 + 5000)],
        crs="EPSG:28992",
    )


#: Four squares as CBS writes them in a CSV (';' separated, secret marks -99997/-99998):
#: two in buurt A, one in buurt B (65+ secret), one in A with everything secret.
CBS_GRID_CSV = (
    (
        "crs28992res100m;aantal_inwoners;aantal_inwoners_65_jaar_en_ouder;"
        "aantal_eenpersoonshuishoudens\n"
    )
    + """E1500N4500;40;5;10
E1505N4505;60;-99997;20
E1512N4503;30;-99997;10
E1509N4509;-99997;-99997;-99998
"""
)
