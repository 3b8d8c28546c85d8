"""Exports of analysis results: CSV and GeoJSON that open in a spreadsheet or a GIS."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from asset_map.crs import to_storage_crs


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose list cells (e.g. the buurten a site serves) are '; '-joined text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return out


def sites_to_csv(sites: gpd.GeoDataFrame) -> bytes:
    """Return the suggested sites as UTF-8 CSV (with ``lon``/``lat`` in WGS84, no geometry)."""
    table = pd.DataFrame(_flat(sites.drop(columns=sites.geometry.name)))
    return table.to_csv(index=False).encode("utf-8")


def sites_to_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """Return the suggested sites as a GeoJSON FeatureCollection in EPSG:4326 (RFC 7946)."""
    return to_storage_crs(_flat(sites), "sites").to_json(drop_id=True).encode("utf-8")


def cells_to_geojson(cells: gpd.GeoDataFrame) -> bytes:
    """Return the demand cells (grid squares with coverage) as GeoJSON in EPSG:4326.

    Walking distances that are infinite (no meeting place reachable) become null.
    """
    out = to_storage_crs(cells, "cells")
    numeric = out.select_dtypes("number").columns
    out[numeric] = out[numeric].replace([float("inf"), float("-inf")], float("nan"))
    return out.to_json(drop_id=True, na="null").encode("utf-8")
