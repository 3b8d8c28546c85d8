"""Tiny hand-built frames for the Verbinden tests, with known distances (RD New, Deventer)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import Point, box

from asset_map.model import ACTIVITY_COLUMNS, TALENT_COLUMNS

#: The origin of every test, in RD New, and as (lon, lat).
X0, Y0 = 208_000.0, 473_000.0
ORIGIN = Transformer.from_crs(28992, 4326, always_xy=True).transform(X0, Y0)

#: id -> (type, dx, dy, status, buurt). Straight-line metres from the origin.
PLACES = {
    "p1": ("buurthuis", 300, 0, "existing", "BU1"),  # walk 390 m -> 6 min
    "p2": ("wijkhuiskamer", 1500, 0, "existing", "BU2"),  # walk 1950 m: out of reach
    "p3": ("bibliotheek", 0, 600, "existing", "BU2"),  # walk 780 m -> 11 min, has an activity
    "p4": ("school", 100, 0, "existing", "BU1"),  # no meeting place, no activity: never shown
    "p5": ("wijkhuiskamer", 0, 50, "planned", "BU1"),  # planned: never shown
    "p6": ("buurthuis", 0, -200, "existing", "BU1"),  # walk 260 m -> 4 min
}


def assets() -> gpd.GeoDataFrame:
    """The places above, canonical columns plus buurt_code, in EPSG:4326."""
    ids = list(PLACES)
    frame = gpd.GeoDataFrame(
        {
            "id": ids,
            "name": [f"Plek {i}" for i in ids],
            "type": [PLACES[i][0] for i in ids],
            "description": "",
            "address": [f"Straat {n}" for n in range(1, len(ids) + 1)],
            "tags": "",
            "source": "test",
            "status": [PLACES[i][3] for i in ids],
            "capacity": None,
            "buurt_code": [PLACES[i][4] for i in ids],
        },
        geometry=[Point(X0 + PLACES[i][1], Y0 + PLACES[i][2]) for i in ids],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


def activity(id_: str, asset_id: str, weekday: int, start: str, **more: object) -> dict:
    """Return one activity row with defaults for the columns a test does not care about."""
    row = {
        "id": id_,
        "asset_id": asset_id,
        "title": f"Activiteit {id_}",
        "kind": "koffieochtend",
        "weekday": weekday,
        "start": start,
        "end": f"{int(start[:2]) + 2:02d}{start[2:]}",
        "target_group": "iedereen",
        "organiser": "Stichting Test",
        "contact": "info@test.example",
        "description": "",
    }
    row.update(more)
    return row


def activities() -> pd.DataFrame:
    """Weekly activities at the places above."""
    rows = [
        activity("a1", "p1", 3, "10:00"),
        activity("a2", "p1", 1, "14:00"),
        activity("a3", "p6", 5, "09:00"),
        activity("a4", "p3", 2, "10:00"),
        activity("a5", "p2", 1, "10:00"),
        activity("a6", "p1", 4, "19:00"),
    ]
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)


def buurten() -> gpd.GeoDataFrame:
    """Three square buurten of 1 km2 east of the origin: near (holds it), mid, far."""
    frame = gpd.GeoDataFrame(
        {
            "code": ["BU_NEAR", "BU_MID", "BU_FAR"],
            "name": ["Dichtbij", "Middenin", "Ver weg"],
            "level": "buurt",
            "parent_code": "WK1",
        },
        geometry=[
            box(X0 - 500, Y0 - 500, X0 + 500, Y0 + 500),  # the origin lies inside: 0 m
            box(X0 + 800, Y0 - 500, X0 + 1800, Y0 + 500),  # nearest edge 800 m -> walk 1040 m
            box(X0 + 2500, Y0 - 500, X0 + 3500, Y0 + 500),  # 2500 m -> walk 3250 m
        ],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


def talents(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Talents from (id, categories, buurt_code, status) tuples."""
    return pd.DataFrame(
        [
            {
                "id": id_,
                "nickname": f"Bewoner {id_}",
                "categories": cats,
                "description": "",
                "wishes": "",
                "availability": "",
                "buurt_code": buurt,
                "status": status,
            }
            for id_, cats, buurt, status in rows
        ],
        columns=TALENT_COLUMNS,
    )
