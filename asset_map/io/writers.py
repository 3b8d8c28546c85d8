"""Write canonical layers to GeoJSON, GeoPackage, zipped Shapefile or CSV.

Whatever :func:`write_layer` writes, :func:`~asset_map.io.read_assets` and
:func:`~asset_map.io.read_areas` read back into an equal frame (Shapefile column names are
cut to 10 characters; the readers know those short names as aliases).

CSV files are opened in spreadsheets, which run a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (CSV injection). So every CSV this package
writes puts a ``'`` before such a text cell (:func:`asset_map.io.cells.csv_safe_text`,
OWASP's advice), and its CSV reader takes that one ``'`` off again
(:func:`asset_map.io.cells.csv_plain_text`): a round trip gives the
text back exactly. GeoJSON, GeoPackage and Shapefile keep texts as they are.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from asset_map._errors import CRSError, ImportFormatError, SchemaError
from asset_map.crs import RD_NEW, WGS84, parse_crs, require_crs
from asset_map.i18n import Msg
from asset_map.io.cells import csv_safe_text
from asset_map.io.formats import same_crs
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS, COLUMN_ALIASES

WRITE_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".csv")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: A Shapefile's text fields hold at most 254 bytes; longer texts are cut (ending in "…").
DBF_TEXT_BYTES = 254
#: Our column names longer than a Shapefile allows -> the 10-character alias read back.
SHAPEFILE_NAMES = {
    column: next(a for a in COLUMN_ALIASES[column] if a == column[:10])
    for column in dict.fromkeys(ASSET_COLUMNS + AREA_COLUMNS)
    if len(column) > 10
}


#: Line ends of the CSV files written (RFC 4180). With "\r\n" a cell holding a lone carriage
#: return is quoted too; with pandas' default "\n" it is not, and breaks the row in two.
CSV_EOL = "\r\n"


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with :func:`csv_safe_text` applied to every text column."""
    out = pd.DataFrame(frame).copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_safe_text)
    return out


def write_layer(frame: gpd.GeoDataFrame, path: str | Path, *, crs: str | None = None) -> Path:
    """Write a layer; the format follows from the extension of ``path``.

    Parameters
    ----------
    frame : GeoDataFrame
        A canonical layer (assets or areas) with a CRS.
    path : str or Path
        ``.geojson``/``.json``, ``.gpkg``, ``.zip`` (a zipped Shapefile with .shp, .shx,
        .dbf, .prj and a UTF-8 .cpg; texts longer than 254 bytes are cut) or ``.csv``
        (points only: ``lat``/``lon`` columns, or ``x``/``y`` in RD New; text that a
        spreadsheet would run as a formula gets a ``'`` first). An existing file is replaced.
    crs : str, optional
        ``"EPSG:4326"`` (the default) or ``"EPSG:28992"`` (RD New).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    CRSError
        When the frame has no CRS or another CRS than those two is asked for.
    SchemaError
        When a CSV is asked for a layer that is not all points.
    """
    path = Path(path)
    require_crs(frame, "layer")
    target = parse_crs(crs) if crs is not None else WGS84
    if not (same_crs(target, WGS84) or same_crs(target, RD_NEW)):
        raise CRSError(Msg("err.io.write_crs", crs=target.to_string()))
    target = WGS84 if same_crs(target, WGS84) else RD_NEW
    out = frame.to_crs(target)
    suffix = path.suffix.lower()
    if suffix not in WRITE_SUFFIXES:
        suffixes = ", ".join(WRITE_SUFFIXES)
        raise ImportFormatError(
            Msg("err.io.write_suffix", name=path.name, suffix=path.suffix, suffixes=suffixes)
        )
    path.unlink(missing_ok=True)
    if suffix in (".geojson", ".json"):
        # 17 significant figures: a float64 coordinate comes back exactly.
        pyogrio.write_dataframe(
            out, path, driver="GeoJSON", layer_options={"SIGNIFICANT_FIGURES": 17}
        )
    elif suffix == ".gpkg":
        pyogrio.write_dataframe(out, path, layer=path.stem, driver="GPKG")
    elif suffix == ".zip":
        _write_zipped_shapefile(out, path)
    else:
        _write_csv(out, path, rd=target == RD_NEW)
    return path


def _write_zipped_shapefile(frame: gpd.GeoDataFrame, path: Path) -> None:
    renamed = frame.rename(columns=SHAPEFILE_NAMES)
    for column in renamed.columns:
        if column != renamed.geometry.name and pd.api.types.is_string_dtype(renamed[column]):
            renamed[column] = renamed[column].map(_dbf_text, na_action="ignore")
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / f"{path.stem}.shp"
        pyogrio.write_dataframe(renamed, shp, driver="ESRI Shapefile", encoding="UTF-8")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for suffix in SHAPEFILE_PARTS:
                part = shp.with_suffix(suffix)
                if part.exists():
                    archive.write(part, arcname=part.name)


def _dbf_text(text: str) -> str:
    """Cut a text to the 254 bytes a Shapefile (DBF) field holds, ending in an ellipsis."""
    if len(text.encode("utf-8")) <= DBF_TEXT_BYTES:
        return text
    cut = text.encode("utf-8")[: DBF_TEXT_BYTES - 3].decode("utf-8", errors="ignore")
    return cut + "…"


def _write_csv(frame: gpd.GeoDataFrame, path: Path, *, rd: bool) -> None:
    geometry = frame.geometry.to_numpy()
    kinds = shapely.get_type_id(geometry)
    if (kinds != shapely.GeometryType.POINT).any():
        kinds_found = ", ".join(sorted(set(frame.geometry.geom_type.dropna())))
        raise SchemaError(Msg("err.io.write_csv_points", name=path.name, kinds=kinds_found))
    x, y = shapely.get_x(geometry), shapely.get_y(geometry)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if rd:
        table["x"], table["y"] = x, y
    else:
        table["lat"], table["lon"] = y, x
    csv_safe_frame(table).to_csv(path, index=False, encoding="utf-8-sig", lineterminator=CSV_EOL)
