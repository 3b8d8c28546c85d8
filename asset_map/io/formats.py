"""Raw readers, one per file format: the file's own columns, a geometry and a CRS.

Nothing here knows our schema. Each reader returns a :class:`RawLayer` (or a
:class:`Table` for plain CSV) that keeps, per row, the number a user sees in the file
(CSV rows count the header as row 1; features count from 1), so that every later message
can say where a problem is.

A file that cannot be read is refused whole with an :class:`~asset_map._errors.ImportFormatError`
or a :class:`~asset_map._errors.CRSError`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import shapely.errors
import shapely.geometry
from pyproj import CRS

from asset_map._errors import (
    AssetMapError,
    CRSError,
    ImportFormatError,
    SchemaError,
    raise_problems,
)
from asset_map._errors import where as _where
from asset_map.crs import RD_NEW, WGS84, parse_crs
from asset_map.i18n import Msg
from asset_map.io.cells import csv_plain_text, list_some, parse_numbers
from asset_map.io.gdal_read import gdal_reason, read_in_batches
from asset_map.io.limits import check_features, check_layers, check_size, limits_now
from asset_map.io.text_files import decode_text

GEOJSON_SUFFIXES = (".geojson", ".json")
CSV_SUFFIXES = (".csv", ".txt")
SUFFIXES = (*GEOJSON_SUFFIXES, ".gpkg", ".zip", ".shp", *CSV_SUFFIXES)
#: Files larger than this are read by GDAL in batches (GeoJSON too, instead of being parsed
#: whole in Python, which takes about ten times the file's size in memory).
STREAM_BYTES = 32_000_000

#: CSV coordinate columns (lower case). Latitude/longitude imply WGS84; the RD names imply
#: RD New; plain x/y need the CRS from the user.
LAT_NAMES = ("lat", "latitude", "breedtegraad", "y_wgs84")
LON_NAMES = ("lon", "lng", "long", "longitude", "lengtegraad", "x_wgs84")
RD_PAIRS = (("rd_x", "rd_y"), ("x_rd", "y_rd"))
PLAIN_PAIRS = (("x", "y"), ("xcoord", "ycoord"))


@dataclass
class ImportResult:
    """What an importer returns: the canonical frame and what it repaired, dropped or assumed.

    Attributes
    ----------
    frame : GeoDataFrame or DataFrame
        Canonical columns (``model.ASSET_COLUMNS``, ``model.AREA_COLUMNS`` or
        ``model.TALENT_COLUMNS``), geometry in EPSG:4326.
    notes : list of str
        One line per thing repaired, dropped or assumed, naming the feature: an ``i18n.Msg``
        (English as a plain ``str``, Dutch through ``i18n.localise``).
    facts : (int or None, str or None), optional
        The year and the gemeente name the file holds
        (:func:`asset_map.io.file_facts.file_facts`), when the reader found them on the way.
    """

    frame: gpd.GeoDataFrame | pd.DataFrame
    notes: list[str] = field(default_factory=list)
    facts: tuple[int | None, str | None] | None = None


@dataclass
class Table:
    """A CSV file as text cells, with the spreadsheet row number of every data row."""

    frame: pd.DataFrame
    path: Path
    rows: np.ndarray
    notes: list[str]


@dataclass
class RawLayer:
    """A geodata file with its own columns, a geometry column and a CRS (never None)."""

    frame: gpd.GeoDataFrame
    path: Path
    rows: np.ndarray
    row_label: str
    notes: list[str]

    def where(self, i: int, column: str | None = None) -> str:
        """Return ``"file, row 12, column 'x'"`` for positional row ``i``."""
        return _where(self.path, row=int(self.rows[i]), column=column, row_label=self.row_label)

    def problem(self, key: str, i: int, column: str | None = None, /, **fields: Any) -> SchemaError:
        """Return the error of a bad row ``i`` (or its cell in ``column``): message ``key``."""
        return SchemaError(Msg(key, where=self.where(i, column), **fields))


def require_file(path: str | Path) -> Path:
    """Return ``path`` as a Path; refuse a file that is not there, naming it and its folder.

    Raises
    ------
    ImportFormatError
        When there is no file at ``path``.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(Msg("err.io.not_found", path=path.name, full=str(path)))
    return path


def same_crs(a: CRS, b: CRS) -> bool:
    """Return whether two CRSs are the same, axis order aside (OGC:CRS84 equals EPSG:4326)."""
    return a == b or a.equals(b, ignore_axis_order=True)


def resolve_crs(path: Path, file_crs: CRS | None, given: str | None, *, missing: str) -> CRS:
    """Return the CRS of a file: its own, or the given one when it has none.

    ``missing`` says why the file's CRS is unknown (``"it has no CRS"``), best an
    ``i18n.Msg`` such as ``Msg("err.io.why_no_crs")``.

    Raises
    ------
    CRSError
        When there is none at all (``missing`` says why), or when the file's CRS and the
        given one differ.
    """
    given_crs = parse_crs(given) if given is not None else None
    if file_crs is None:
        if given_crs is None:
            raise CRSError(Msg("err.io.crs_unknown", path=path.name, why=missing))
        return given_crs
    if given_crs is not None and not same_crs(file_crs, given_crs):
        raise CRSError(
            Msg(
                "err.io.crs_conflict",
                path=path.name,
                file_crs=file_crs.to_string(),
                given=given_crs.to_string(),
            )
        )
    return WGS84 if same_crs(file_crs, WGS84) else file_crs


def list_layers(path: str | Path) -> list[str]:
    """Return the layers of a GeoPackage (or the Shapefiles in a zip), in the file's order.

    Formats that hold one layer (GeoJSON, CSV, a single .shp) give an empty list, so a
    screen offers a layer choice only when there is one to make.

    Raises
    ------
    ImportFormatError
        When the file is missing or cannot be read as geodata.
    """
    path = require_file(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if not n.startswith("__MACOSX")]
        except zipfile.BadZipFile:
            raise ImportFormatError(Msg("err.io.bad_zip", path=path.name)) from None
        shapefiles = [Path(n[:-4]).name for n in names if n.lower().endswith(".shp")]
        check_layers(path, len(shapefiles))
        return shapefiles
    if suffix != ".gpkg":
        return []
    return _layers(path, str(path))


def read_raw(path: str | Path, *, crs: str | None = None, layer: str | None = None) -> RawLayer:
    """Read a geodata file by its extension into a :class:`RawLayer`.

    Parameters
    ----------
    path : str or Path
        A .geojson/.json, .gpkg, .zip (zipped Shapefile), .shp or .csv/.txt file.
    crs : str, optional
        The CRS, for files that do not say theirs (CSV with plain x/y, a Shapefile
        without .prj, a GeoJSON in RD New without a ``crs`` member).
    layer : str, optional
        The layer of a GeoPackage, or the Shapefile inside a zip; default the first.

    Raises
    ------
    ImportFormatError
        When the file is missing, empty, of an unknown kind or broken.
    CRSError
        When the CRS is unknown or conflicts with ``crs``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFormatError(
            Msg(
                "err.io.unknown_type",
                path=path.name,
                suffix=path.suffix,
                suffixes=", ".join(SUFFIXES),
            )
        )
    require_file(path)
    size = path.stat().st_size
    if size == 0:
        raise ImportFormatError(Msg("err.formats.empty", path=path.name))
    check_size(path)
    if suffix in GEOJSON_SUFFIXES and size > STREAM_BYTES:
        raw = _read_ogr(path, crs, None, one_layer=True)  # streamed by GDAL, not parsed whole
    elif suffix in GEOJSON_SUFFIXES:
        raw = _read_geojson(path, crs)
    elif suffix in CSV_SUFFIXES:
        raw = _read_csv(path, crs)
    elif suffix == ".zip":
        raw = _read_zipped_shapefile(path, crs, layer)
    else:
        raw = _read_ogr(path, crs, layer)
    if raw.frame.empty:
        raise ImportFormatError(Msg("err.io.no_features", path=path.name))
    geometry = raw.frame.geometry
    if (geometry.isna() | geometry.is_empty).all():
        raise ImportFormatError(Msg("err.io.no_geometry", path=path.name, n=len(raw.frame)))
    return raw


# --- GeoJSON ---------------------------------------------------------------------------------


def _read_geojson(path: Path, crs: str | None) -> RawLayer:
    text, notes = decode_text(path)
    if not text.strip():
        raise ImportFormatError(Msg("err.formats.empty", path=path.name))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            Msg(
                "err.formats.broken_json",
                path=path.name,
                line=exc.lineno,
                column=exc.colno,
                reason=exc.msg,
            )
        ) from None
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection":
        raise ImportFormatError(
            Msg("err.io.not_feature_collection", path=path.name, kind=str(kind))
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ImportFormatError(Msg("err.formats.no_features", path=path.name))
    check_features(path, len(features))
    props: list[dict] = []
    geoms: list[object] = []
    problems: list[AssetMapError] = []
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(ImportFormatError(Msg("err.io.not_feature", where=_feature(path, n))))
            continue
        row = feature.get("properties") or {}
        if not isinstance(row, dict):
            problems.append(ImportFormatError(Msg("err.io.properties", where=_feature(path, n))))
            continue
        if "id" in feature and "id" not in row:
            row = {"id": feature["id"], **row}
        props.append(row)
        geoms.append(_shape(feature.get("geometry"), path, n, problems))
    raise_problems(problems)
    frame = gpd.GeoDataFrame(pd.DataFrame.from_records(props), geometry=_geometries(geoms))
    file_crs = _geojson_crs(path, data.get("crs"))
    if file_crs is None and crs is None:
        file_crs = WGS84  # RFC 7946: a GeoJSON without a crs member is WGS84.
    frame = frame.set_crs(resolve_crs(path, file_crs, crs, missing=Msg("err.io.why_no_crs")))
    rows = np.arange(1, len(frame) + 1)
    return RawLayer(frame, path, rows, "feature", notes)


def _feature(path: Path, n: int) -> Msg:
    return _where(path, row=n, row_label="feature")


def _shape(geometry: object, path: Path, n: int, problems: list[AssetMapError]) -> object:
    """Return a feature's geometry: a point as its ``(x, y)``, any other as a shapely object."""
    if geometry is None:
        return None
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        xy = geometry.get("coordinates")
        if (
            isinstance(xy, list)
            and len(xy) in (2, 3)
            and all(type(v) in (int, float) for v in xy)  # not bool, not text
        ):
            return (float(xy[0]), float(xy[1]))
    try:
        return shapely.force_2d(shapely.geometry.shape(geometry))
    except (TypeError, ValueError, AttributeError, KeyError, shapely.errors.ShapelyError) as exc:
        problems.append(
            ImportFormatError(
                Msg("err.io.broken_geometry", where=_feature(path, n), reason=str(exc))
            )
        )
        return None


def _geometries(shapes: list[object]) -> np.ndarray:
    """Return the geometries of :func:`_shape`, the points made at once (fast for many)."""
    out = np.empty(len(shapes), dtype=object)
    points = [i for i, g in enumerate(shapes) if isinstance(g, tuple)]
    if points:
        out[points] = shapely.points(np.array([shapes[i] for i in points], dtype="float64"))
    for i, g in enumerate(shapes):
        if not isinstance(g, tuple):
            out[i] = g
    return out


def _geojson_crs(path: Path, member: object) -> CRS | None:
    if member is None:
        return None
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if not name:
        raise CRSError(Msg("err.io.crs_member", path=path.name))
    try:
        return parse_crs(name)
    except CRSError as exc:
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], Msg) else str(exc)
        raise CRSError(Msg("err.io.in_file", path=path.name, error=reason)) from None


# --- GeoPackage and Shapefile (through GDAL) --------------------------------------------------


def _read_ogr(
    path: Path,
    crs: str | None,
    layer: str | None,
    source: str | None = None,
    *,
    one_layer: bool = False,
) -> RawLayer:
    """Read a layer through GDAL; ``one_layer`` for a format without layers (GeoJSON).

    The layers and the features are counted before the features are read (a GeoJSON file
    has no count in a header: its features are counted while they stream in, and reading
    stops at the limit).
    """
    source = source or str(path)
    notes: list[str] = []
    if not one_layer:
        layers = _layers(path, source)
        if not layers:
            raise ImportFormatError(Msg("err.io.no_layers", path=path.name))
        if layer is None:
            layer = layers[0]
            if len(layers) > 1:
                notes.append(
                    Msg(
                        "note.io.layers",
                        path=path.name,
                        n=len(layers),
                        layers=list_some(layers),
                        layer=layer,
                    )
                )
        elif layer not in layers:
            raise ImportFormatError(
                Msg("err.io.no_layer", path=path.name, layer=layer, layers=list_some(layers))
            )
    limit = limits_now().features
    try:
        if not one_layer:
            check_features(path, int(pyogrio.read_info(source, layer=layer)["features"]))
        if one_layer or path.stat().st_size > STREAM_BYTES:
            frame = read_in_batches(source, layer, max_features=limit)
            check_features(path, len(frame), counted_to=True)
        else:
            frame = pyogrio.read_dataframe(source, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        reason = gdal_reason(exc, path)
        if one_layer:
            raise ImportFormatError(
                Msg("err.io.unreadable", path=path.name, reason=reason)
            ) from None
        raise ImportFormatError(
            Msg("err.io.layer_unreadable", path=path.name, layer=layer, reason=reason)
        ) from None
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ImportFormatError(Msg("err.io.layer_no_geometry", path=path.name, layer=layer))
    file_crs = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    shapefile = path.suffix.lower() in (".zip", ".shp")
    missing = Msg("err.io.why_no_prj") if shapefile else Msg("err.io.why_no_crs")
    frame = frame.set_crs(resolve_crs(path, file_crs, crs, missing=missing), allow_override=True)
    rows = np.arange(1, len(frame) + 1)
    return RawLayer(frame, path, rows, "feature", notes)


def _layers(path: Path, source: str) -> list[str]:
    """Return the layers of a GDAL data source; refuse more than the limit allows."""
    try:
        names = pyogrio.list_layers(source)[:, 0]
    except pyogrio.errors.DataSourceError as exc:
        reason = gdal_reason(exc, path)
        raise ImportFormatError(Msg("err.io.unreadable", path=path.name, reason=reason)) from None
    check_layers(path, len(names))
    return [str(name) for name in names]


def _read_zipped_shapefile(path: Path, crs: str | None, layer: str | None) -> RawLayer:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.startswith("__MACOSX")]
    except zipfile.BadZipFile:
        raise ImportFormatError(Msg("err.io.bad_zip", path=path.name)) from None
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    check_layers(path, len(shapefiles))
    if not shapefiles:
        found = ", ".join(names) or Msg("note.io.nothing")
        raise ImportFormatError(Msg("err.io.zip_no_shp", path=path.name, found=found))
    stems = [n[:-4] for n in shapefiles]
    notes: list[str] = []
    if layer is None:
        chosen = shapefiles[0]
        if len(shapefiles) > 1:
            notes.append(
                Msg("note.io.shapefiles", path=path.name, n=len(shapefiles), chosen=chosen)
            )
    else:
        matches = [
            s
            for s, stem in zip(shapefiles, stems, strict=True)
            if Path(stem).name == layer or s == layer
        ]
        if not matches:
            raise ImportFormatError(
                Msg(
                    "err.io.no_shapefile",
                    path=path.name,
                    layer=layer,
                    shapefiles=", ".join(shapefiles),
                )
            )
        chosen = matches[0]
    raw = _read_ogr(path, crs, None, source=f"/vsizip/{path.resolve()}/{chosen}")
    raw.notes[:0] = notes
    return raw


# --- CSV -------------------------------------------------------------------------------------


def cell_problems(table: Table, column: str, rows: Iterable[int], key: str) -> list[SchemaError]:
    """Return an error per bad cell of ``column``: message ``key`` with where it is and its value.

    ``rows`` are positions in ``table.frame``; the message names the row as the file numbers it.
    """
    return [
        SchemaError(
            Msg(
                key,
                where=_where(table.path, row=int(table.rows[i]), column=column),
                value=table.frame[column].iloc[i],
            )
        )
        for i in rows
    ]


def read_table(path: str | Path) -> Table:
    """Read a CSV file (``,`` or ``;`` separated) into a frame of text cells.

    Raises
    ------
    ImportFormatError
        When the file is missing, empty, has no data rows, or a row has more cells than
        the header has columns.
    """
    path = require_file(path)
    check_size(path)
    text, notes = decode_text(path)
    if not text.strip():
        raise ImportFormatError(Msg("err.formats.empty", path=path.name))
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start, first = next((i, rec) for i, rec in enumerate(records) if any(c.strip() for c in rec))
    header = [c.strip() or f"column_{j + 1}" for j, c in enumerate(first)]
    most = limits_now().features
    cells: list[list[str]] = []
    rows: list[int] = []
    problems: list[AssetMapError] = []
    for n, record in enumerate(records, start=start + 2):
        if not any(c.strip() for c in record):
            continue
        if len(rows) >= most:
            check_features(path, most + 1, counted_to=True)  # counted as read: stop here
        if len(record) > len(header):
            problems.append(
                ImportFormatError(
                    Msg(
                        "err.io.too_many_cells",
                        where=_where(path, row=n),
                        cells=len(record),
                        columns=len(header),
                        separator=delimiter,
                    )
                )
            )
            continue
        # A ' that our CSV writers put before formula-like text comes off (CSV injection).
        cells.append(
            [csv_plain_text(c.strip()) for c in record] + [""] * (len(header) - len(record))
        )
        rows.append(n)
    raise_problems(problems)
    if not cells:
        raise ImportFormatError(Msg("err.formats.no_rows", path=path.name))
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    return Table(frame, path, np.array(rows), notes)


def _pick(columns: dict[str, str], names: Sequence[str]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def _coordinate_columns(table: Table) -> tuple[str, str, CRS | None]:
    """Return a CSV's x and y columns and the CRS their names imply (None: not known).

    Raises
    ------
    ImportFormatError
        When only one of latitude and longitude is there, or no pair of coordinate columns.
    """
    path = table.path
    columns = {str(c).lower(): str(c) for c in table.frame.columns}
    lat, lon = _pick(columns, LAT_NAMES), _pick(columns, LON_NAMES)
    if (lat is None) != (lon is None):
        have, need = (lat, LON_NAMES) if lat else (lon, LAT_NAMES)
        raise ImportFormatError(
            Msg("err.io.coordinate_partner", path=path.name, have=have, need=", ".join(need))
        )
    if lat is not None and lon is not None:
        return lon, lat, WGS84
    for pairs, implied in ((RD_PAIRS, RD_NEW), (PLAIN_PAIRS, None)):
        for xname, yname in pairs:
            if xname in columns and yname in columns:
                return columns[xname], columns[yname], implied
    raise ImportFormatError(
        Msg(
            "err.io.no_coordinates",
            path=path.name,
            columns=", ".join(map(str, table.frame.columns)),
            lat="/".join(LAT_NAMES),
            lon="/".join(LON_NAMES),
            rd_x="/".join(p[0] for p in RD_PAIRS),
            rd_y="/".join(p[1] for p in RD_PAIRS),
        )
    )


def _read_csv(path: Path, crs: str | None) -> RawLayer:
    table = read_table(path)
    xcol, ycol, file_crs = _coordinate_columns(table)
    missing = Msg("err.io.why_plain_xy", x=xcol, y=ycol)
    resolved = resolve_crs(path, file_crs, crs, missing=missing)
    problems: list[AssetMapError] = []
    coords = {}
    for column in (xcol, ycol):
        values, bad = parse_numbers(table.frame[column].tolist())
        coords[column] = values
        problems.extend(cell_problems(table, column, bad, "err.io.coordinate_number"))
    raise_problems(problems)
    x, y = coords[xcol], coords[ycol]
    points = shapely.points(x, y)
    points[np.isnan(x) | np.isnan(y)] = None
    attributes = table.frame.drop(columns=[xcol, ycol])
    frame = gpd.GeoDataFrame(attributes, geometry=points, crs=resolved)
    return RawLayer(frame, path, table.rows, "row", table.notes)
