"""Exports: analysis results and the planner's selection of assets, for a spreadsheet or a GIS.

The selection (:func:`selection_bytes`, :func:`write_selection`) is written as CSV, GeoJSON
or GeoPackage in EPSG:4326 or EPSG:28992, with the canonical asset columns plus the area
codes, and reads back with :func:`asset_map.io.read_assets`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map._errors import ImportFormatError, require_columns
from asset_map.crs import require_crs, to_storage_crs
from asset_map.i18n import Msg
from asset_map.io.spreadsheet import rounded
from asset_map.io.writers import CSV_EOL, csv_safe_frame, write_layer
from asset_map.model import ASSET_COLUMNS, CHECK_EXPORT_COLUMNS, with_asset_columns


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose list cells (e.g. the buurten a site serves) are '; '-joined text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return out


def table_to_csv(table: pd.DataFrame) -> bytes:
    """Return a table as UTF-8 CSV, safe for a spreadsheet (``io.writers.csv_safe_frame``)."""
    text = csv_safe_frame(_flat(table)).to_csv(index=False, lineterminator=CSV_EOL)
    return text.encode("utf-8")


#: Decimals of the suggested sites' numbers: people and metres whole, the weighted count
#: with one, coordinates to 6 decimals (10 cm).
SITE_DECIMALS = {
    "rank": 0,
    "lon": 6,
    "lat": 6,
    "newly_covered": 1,
    "newly_residents": 0,
    "newly_65": 0,
    "nearest_meeting_m": 0,
}


def sites_to_csv(sites: gpd.GeoDataFrame) -> bytes:
    """Return the suggested sites as UTF-8 CSV (with ``lon``/``lat`` in WGS84, no geometry).

    Numbers are rounded (``SITE_DECIMALS``). Text that a spreadsheet would run as a formula
    gets a ``'`` first (CSV injection).
    """
    table = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    return table_to_csv(rounded(table, SITE_DECIMALS))


def sites_to_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """Return the suggested sites as a GeoJSON FeatureCollection in EPSG:4326 (RFC 7946).

    Numbers that are unknown or infinite (no existing meeting place) become null.
    """
    return _finite_geojson(to_storage_crs(_flat(sites), "sites"))


def cells_to_geojson(cells: gpd.GeoDataFrame) -> bytes:
    """Return the demand cells (grid squares with coverage) as GeoJSON in EPSG:4326.

    Walking distances that are infinite (no meeting place reachable) become null.
    """
    return _finite_geojson(to_storage_crs(cells, "cells"))


def _finite_geojson(frame: gpd.GeoDataFrame) -> bytes:
    """Return GeoJSON with null for NaN and infinite numbers (JSON has no Infinity)."""
    out = frame.copy()
    numeric = out.select_dtypes("number").columns
    out[numeric] = out[numeric].replace([float("inf"), float("-inf")], float("nan"))
    return out.to_json(drop_id=True, na="null").encode("utf-8")


# --- the planner's selection of assets ------------------------------------------------------

#: Formats of :func:`selection_bytes` and :func:`write_selection`.
EXPORT_FORMATS = ("csv", "geojson", "gpkg")
#: File suffix -> export format.
EXPORT_SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
#: The column that carries the licence credit of rows from OpenStreetMap (ODbL).
ATTRIBUTION_COLUMN = "attribution"
#: The layer name inside an exported GeoPackage made by :func:`selection_bytes`.
GPKG_LAYER = "assets"


def export_format(path: str | Path, fmt: str | None = None) -> str:
    """Return the export format: ``fmt`` when given, else the one of the path's suffix.

    Raises
    ------
    ImportFormatError
        When the format is unknown or cannot be told from the suffix.
    """
    if fmt is None:
        fmt = EXPORT_SUFFIXES.get(Path(path).suffix.lower())
        if fmt is None:
            raise ImportFormatError(
                Msg(
                    "err.io.export_suffix",
                    name=Path(path).name,
                    suffix=Path(path).suffix,
                    suffixes=", ".join(EXPORT_SUFFIXES),
                )
            )
    if fmt not in EXPORT_FORMATS:
        formats = ", ".join(EXPORT_FORMATS)
        raise ImportFormatError(Msg("err.io.export_format", fmt=fmt, formats=formats))
    return fmt


def selection_frame(assets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the columns an export holds: the canonical ones, the area codes, the credit.

    ``buurt_code`` and ``wijk_code`` come along when the assets have them. When some rows
    come from OpenStreetMap, an ``attribution`` column credits them (ODbL:
    "© OpenStreetMap contributors (ODbL)"); it is empty for the other rows.
    """
    from asset_map.io.osm import OSM_ATTRIBUTION

    require_crs(assets, "assets")
    assets = with_asset_columns(assets)  # step-free access, opening hours: empty if unknown
    columns = [c for c in ASSET_COLUMNS if c != "geometry"]
    columns += [c for c in ("buurt_code", "wijk_code") if c in assets.columns]
    columns += [c for c in CHECK_EXPORT_COLUMNS if c in assets.columns]
    fix = Msg("err.columns.fix.read_io")
    require_columns(assets.columns, columns, Msg("err.what.assets"), fix)
    out = gpd.GeoDataFrame(
        pd.DataFrame(assets[columns]).reset_index(drop=True),
        geometry=assets.geometry.reset_index(drop=True),
        crs=assets.crs,
    )
    for column in ("buurt_code", "wijk_code"):
        if column in out.columns:
            out[column] = out[column].astype("str").where(out[column].notna(), None)
    from_osm = out["source"].astype("str").str.contains("OpenStreetMap", na=False)
    if from_osm.any():
        out[ATTRIBUTION_COLUMN] = pd.Series(
            [OSM_ATTRIBUTION if osm else None for osm in from_osm], dtype="str"
        )
    return out.rename_geometry("geometry") if out.geometry.name != "geometry" else out


def selection_bytes(assets: gpd.GeoDataFrame, *, fmt: str, crs: str = "EPSG:4326") -> bytes:
    """Return the assets as a file's bytes, for a download button.

    Parameters
    ----------
    assets : GeoDataFrame
        The selection (e.g. :func:`asset_map.analysis.query.filter_assets`), with a CRS.
    fmt : {"csv", "geojson", "gpkg"}
        CSV (UTF-8 with BOM, so spreadsheets read the accents; ``lat``/``lon`` columns in
        EPSG:4326 or ``x``/``y`` in EPSG:28992), GeoJSON (a ``crs`` member in EPSG:28992)
        or GeoPackage (layer ``assets``).
    crs : {"EPSG:4326", "EPSG:28992"}
        The CRS of the coordinates written.

    Returns
    -------
    bytes
        What :func:`asset_map.io.read_assets` reads back (a CSV in EPSG:28992 needs
        ``crs="EPSG:28992"`` there, as plain ``x``/``y`` columns do not say their CRS).
    """
    fmt = export_format(f"{GPKG_LAYER}.{fmt}", fmt)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_layer(selection_frame(assets), Path(tmp) / f"{GPKG_LAYER}.{fmt}", crs=crs)
        return path.read_bytes()


def write_selection(
    assets: gpd.GeoDataFrame,
    path: str | Path,
    *,
    fmt: str | None = None,
    crs: str = "EPSG:4326",
) -> Path:
    """Write the assets to ``path``, all or nothing: an error leaves no half-written file.

    Parameters
    ----------
    assets : GeoDataFrame
        The selection, with a CRS.
    path : str or Path
        The file; an existing one is replaced. Its folder must exist.
    fmt : {"csv", "geojson", "gpkg"}, optional
        The format; by default the one of the suffix (``.csv``, ``.geojson``/``.json``,
        ``.gpkg``).
    crs : {"EPSG:4326", "EPSG:28992"}
        The CRS of the coordinates written.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    fmt = export_format(path, fmt)
    if not path.parent.is_dir():
        raise ImportFormatError(
            Msg("err.io.export_folder", name=path.name, folder=str(path.parent))
        )
    frame = selection_frame(assets)
    # A scratch folder beside the target: the file keeps its name (a GeoPackage names its
    # layer after it) and the final rename stays on one file system.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as tmp:
        scratch = write_layer(frame, Path(tmp) / f"{path.stem}.{fmt}", crs=crs)
        os.replace(scratch, path)
    return path
