"""Where a place at someone's home is shown: the middle of its buurt, never the home.

Two square buurten of 1 km2 in one wijk (``tiny_areas``), and a small buurt of 300 m x 300 m
inside a second wijk, for the rule "a buurt smaller than 500 m x 500 m shows its wijk".
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from asset_map.analysis.private_places import MIN_AREA_M2, locate

X, Y = 207000, 472000  # the south-west corner of tiny_areas, in RD New


@pytest.fixture
def areas(tiny_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``tiny_areas`` and a wijk of 1 km2 east of it holding one buurt of 300 m x 300 m."""
    small = gpd.GeoDataFrame(
        {
            "code": pd.Series(["WK015005", "BU01500501"], dtype="str"),
            "name": pd.Series(["Wijk 05", "Hofje"], dtype="str"),
            "level": pd.Series(["wijk", "buurt"], dtype="str"),
            "parent_code": pd.Series(["GM0150", "WK015005"], dtype="str"),
        },
        geometry=[box(X + 2000, Y, X + 3000, Y + 1000), box(X + 2000, Y, X + 2300, Y + 300)],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    return pd.concat([tiny_areas, small], ignore_index=True)


def _wgs84(x: float, y: float) -> tuple[float, float]:
    point = gpd.GeoSeries([Point(x, y)], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    return float(point.x), float(point.y)


def _metres(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    points = gpd.GeoSeries([Point(lon_a, lat_a), Point(lon_b, lat_b)], crs="EPSG:4326")
    rd = points.to_crs("EPSG:28992")
    return float(rd.iloc[0].distance(rd.iloc[1]))


def test_a_public_place_is_shown_where_it_is(areas):
    lon, lat = _wgs84(X + 120, Y + 80)
    found = locate(areas, lon, lat, private_home=False)
    assert found is not None
    assert (found.buurt_code, found.wijk_code, found.shown_at) == (
        "BU01500401",
        "WK015004",
        "point",
    )
    assert (found.lon, found.lat) == (lon, lat)


def test_a_home_is_shown_at_the_middle_of_its_buurt(areas):
    homes = [_wgs84(X + 20, Y + 20), _wgs84(X + 900, Y + 950), _wgs84(X + 500, Y + 500)]
    shown = {(f.lon, f.lat) for f in (locate(areas, *h, private_home=True) for h in homes) if f}
    assert len(shown) == 1  # three homes far apart in one buurt: one point, the buurt's middle
    lon, lat = shown.pop()
    middle = _wgs84(X + 500, Y + 500)  # a square's representative point is its centre
    assert _metres(lon, lat, *middle) < 1.0
    found = locate(areas, *homes[0], private_home=True)
    assert found is not None and found.shown_at == "buurt" and found.buurt_code == "BU01500401"


def test_a_home_in_a_buurt_smaller_than_500_m_square_is_shown_at_its_wijk(areas):
    assert MIN_AREA_M2 > 300 * 300
    home = _wgs84(X + 2150, Y + 150)  # in the small buurt Hofje
    found = locate(areas, *home, private_home=True)
    assert found is not None
    assert (found.buurt_code, found.wijk_code, found.shown_at) == ("BU01500501", "WK015005", "wijk")
    assert _metres(found.lon, found.lat, *_wgs84(X + 2500, Y + 500)) < 1.0


def test_a_point_outside_every_buurt_is_refused(areas):
    assert locate(areas, *_wgs84(X - 500, Y - 500), private_home=True) is None
    assert locate(areas, *_wgs84(X + 2500, Y + 800), private_home=False) is None  # wijk, no buurt


def test_with_wijken_only_a_home_is_shown_at_its_wijk(tiny_areas):
    wijken = tiny_areas[tiny_areas["level"] == "wijk"]
    found = locate(wijken, *_wgs84(X + 100, Y + 100), private_home=True)
    assert found is not None and found.buurt_code is None and found.shown_at == "wijk"
    assert _metres(found.lon, found.lat, *_wgs84(X + 1000, Y + 500)) < 1.0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dx=st.floats(min_value=1, max_value=1999, allow_nan=False),
    dy=st.floats(min_value=1, max_value=999, allow_nan=False),
)
def test_every_home_is_shown_at_one_of_two_points_never_at_the_home(tiny_areas, dx, dy):
    home = _wgs84(X + dx, Y + dy)
    found = locate(tiny_areas, *home, private_home=True)
    assert found is not None
    middles = [_wgs84(X + 500, Y + 500), _wgs84(X + 1500, Y + 500)]
    # What the point tells is the buurt (1 km2), nothing finer.
    assert min(_metres(found.lon, found.lat, *m) for m in middles) < 1.0
