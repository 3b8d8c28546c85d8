"""CRS rules: parse, require, transform; RD New <-> WGS84 round trips."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from asset_map._errors import CRSError
from asset_map.crs import (
    RD_NEW,
    WGS84,
    guess_coordinate_mixup,
    parse_crs,
    require_crs,
    require_same_crs,
    to_storage_crs,
    to_work_crs,
)


@pytest.mark.parametrize("text", ["EPSG:28992", "28992", "rd", "RD New", 28992])
def test_parse_rd(text):
    assert parse_crs(text) == RD_NEW


@pytest.mark.parametrize("text", ["EPSG:4326", "wgs84", "4326"])
def test_parse_wgs84(text):
    assert parse_crs(text) == WGS84


def test_unknown_crs_names_the_fix():
    with pytest.raises(CRSError, match=r"Unknown CRS 'EPSG:999999'.*EPSG:28992"):
        parse_crs("EPSG:999999")


def test_naive_frame_is_refused():
    frame = gpd.GeoDataFrame(geometry=[Point(0, 0)])
    with pytest.raises(CRSError, match=r"has no coordinate reference system.*set_crs"):
        require_crs(frame, "assets")


def test_mismatch_names_both_crs():
    a = gpd.GeoDataFrame(geometry=[Point(5, 52)], crs=4326)
    b = gpd.GeoDataFrame(geometry=[Point(155000, 463000)], crs=28992)
    with pytest.raises(CRSError, match=r"EPSG:4326.*EPSG:28992"):
        require_same_crs(a, b, ("assets", "areas"))


def test_amersfoort_tower_is_the_rd_origin_area():
    # The RD grid's reference point (Onze Lieve Vrouwetoren, Amersfoort): 155000, 463000.
    frame = gpd.GeoDataFrame(geometry=[Point(155000, 463000)], crs=RD_NEW)
    lonlat = to_storage_crs(frame).geometry.iloc[0]
    assert lonlat.x == pytest.approx(5.38721, abs=1e-4)
    assert lonlat.y == pytest.approx(52.15517, abs=1e-4)


@settings(max_examples=50, deadline=None)
@given(st.floats(3.4, 7.2), st.floats(50.8, 53.5))
def test_round_trip_wgs84_rd_wgs84(lon, lat):
    frame = gpd.GeoDataFrame(geometry=[Point(lon, lat)], crs=WGS84)
    back = to_storage_crs(to_work_crs(frame)).geometry.iloc[0]
    assert back.x == pytest.approx(lon, abs=1e-7)
    assert back.y == pytest.approx(lat, abs=1e-7)


def test_hints_for_common_mixups():
    assert "RD New" in guess_coordinate_mixup(155000, 463000)
    assert "swapped" in guess_coordinate_mixup(52.1, 5.3)
    assert guess_coordinate_mixup(-70.0, 40.0) == ""
