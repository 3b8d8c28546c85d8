"""Exports of gap-analysis results: CSV and GeoJSON read back with the CRS checked."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.io.export import cells_to_geojson, sites_to_csv, sites_to_geojson
from asset_map.services.workspace import load_workspace


@pytest.fixture(scope="module")
def result():
    ws = load_workspace()
    return analyse_gaps(ws.areas, ws.assets, GapParams(new_sites=3))


def test_sites_round_trip_geojson(result):
    back = gpd.read_file(io.BytesIO(sites_to_geojson(result.sites)))
    assert back.crs.to_epsg() == 4326
    assert back["rank"].tolist() == [1, 2, 3]
    assert np.allclose(back.geometry.x, result.sites["lon"]) and np.allclose(
        back.geometry.y, result.sites["lat"]
    )
    assert back["buurten"].tolist() == ["; ".join(b) for b in result.sites["buurten"]]


def test_sites_round_trip_csv(result):
    data = sites_to_csv(result.sites)
    back = pd.read_csv(io.BytesIO(data))
    assert len(back) == 3 and "geometry" not in back.columns
    assert back["newly_covered"].tolist() == pytest.approx(
        result.sites["newly_covered"].tolist(), abs=0.05
    )
    assert back["lon"].between(3.2, 7.3).all()


def test_sites_csv_holds_rounded_numbers(result):
    text = sites_to_csv(result.sites).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    # People and metres whole, the weighted count with one decimal, places to 10 cm.
    for column in ("newly_residents", "newly_65", "nearest_meeting_m", "rank"):
        assert back[column].str.fullmatch(r"\d+").all(), back[column].tolist()
    assert back["newly_covered"].str.fullmatch(r"\d+(\.\d)?").all()
    assert back["lon"].str.fullmatch(r"\d+\.\d{1,6}").all()
    expected = result.sites["nearest_meeting_m"].round().astype(int).astype(str).tolist()
    assert back["nearest_meeting_m"].tolist() == expected


def test_cells_geojson_has_null_for_unreachable(result):
    cells = result.cells.copy()
    cells.loc[cells.index[0], "walk_m"] = np.inf
    data = json.loads(cells_to_geojson(cells))
    assert data["features"][0]["properties"]["walk_m"] is None
    back = gpd.read_file(io.BytesIO(cells_to_geojson(result.cells)))
    assert back.crs.to_epsg() == 4326 and len(back) == len(result.cells)
    assert back["covered"].sum() == result.cells["covered"].sum()
