"""Geometry hygiene at the door: drop what is missing, repair what is invalid, check bounds.

One bad feature is reported in the notes (named by its row or feature number and its name)
and the rest of the file imported; a file whose features lie outside the Netherlands is
refused, with a hint when the cause looks like a wrong CRS or swapped columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from asset_map._errors import CRSError, ImportFormatError
from asset_map.crs import (
    NL_BOUNDS_WGS84,
    WORK_CRS,
    guess_coordinate_mixup,
    outside_netherlands,
)
from asset_map.i18n import Msg
from asset_map.io.cells import list_some
from asset_map.io.formats import RawLayer

POLYGONAL = ("Polygon", "MultiPolygon")


class FeatureLabels(Sequence[str]):
    """``"feature 3 ('Albert Heijn')"`` for every row, made only for the rows a note names.

    A file of a million rows needs a label for the few rows that are dropped or repaired,
    not for every row: each label is made when it is asked for. Each is an ``i18n.Msg``.
    """

    def __init__(self, rows: Sequence[int] | np.ndarray, names: Sequence[object], row_label: str):
        self._rows = np.asarray(rows)
        self._names = list(names)
        self._row_label = row_label

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        name = self._names[i]
        text = "" if name is None or name != name else str(name).strip()
        label = Msg(f"err.where.label.{self._row_label}")
        n = int(self._rows[i])
        if text:
            return Msg("note.hygiene.label_named", label=label, n=n, name=text[:60])
        return Msg("note.hygiene.label", label=label, n=n)

    def subset(self, keep: np.ndarray) -> FeatureLabels:
        """Return the labels of the rows where ``keep`` is true."""
        names = [name for name, k in zip(self._names, keep, strict=True) if k]
        return FeatureLabels(self._rows[keep], names, self._row_label)


def feature_labels(raw: RawLayer, names: Sequence[object]) -> FeatureLabels:
    """Return ``"feature 3 ('Albert Heijn')"`` for every row, as notes and errors name them.

    Each label is an ``i18n.Msg``: English as a plain ``str``, Dutch through ``localise``.
    """
    return FeatureLabels(raw.rows, names, raw.row_label)


def outside_nl_problem(
    raw: RawLayer, storage: gpd.GeoDataFrame, labels: Sequence[str]
) -> CRSError | None:
    """Return the error for features outside the Netherlands, or None when all lie inside.

    Parameters
    ----------
    raw : RawLayer
        The file as read, in its own CRS (for the hint about the coordinates' meaning).
    storage : GeoDataFrame
        The same rows in EPSG:4326.
    labels : sequence of str
        The feature labels from :func:`feature_labels`.
    """
    present = ~(storage.geometry.isna() | storage.geometry.is_empty).to_numpy()
    lon, lat = _midpoints(storage.geometry.values)
    with np.errstate(invalid="ignore"):
        outside = outside_netherlands(lon, lat) | ~np.isfinite(lon) | ~np.isfinite(lat)
    outside &= present
    if not outside.any():
        return None
    x, y = _midpoints(raw.frame.geometry.values)
    first = int(np.flatnonzero(outside)[0])
    hint = guess_coordinate_mixup(float(x[first]), float(y[first]))  # a Msg, or ""
    file_crs = CRS.from_user_input(raw.frame.crs)
    if not hint and file_crs.is_projected and _in_box(x[first], y[first], NL_BOUNDS_WGS84):
        degrees = Msg("err.hygiene.degrees_not_metres", crs=file_crs.to_string())
        hint = Msg("err.io.hint", hint=degrees)
    named = [
        Msg("note.io.label_at", label=labels[i], x=f"{x[i]:.6g}", y=f"{y[i]:.6g}")
        for i in np.flatnonzero(outside).tolist()
    ]
    return CRSError(
        Msg(
            "err.hygiene.outside_nl",
            path=raw.path.name,
            n=len(named),
            total=int(present.sum()),
            crs=file_crs.to_string(),
            named=list_some(named),
            hint=hint,
        )
    )


def _midpoints(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bounds = shapely.bounds(geometries)
    return (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2


def _in_box(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def in_file(note: str, path_name: str | None) -> str:
    """Return ``note`` starting with the file name, so notes of several files can be told apart.

    Without a file name (``None``) the note is returned as it is.
    """
    return note if path_name is None else Msg("note.hygiene.in_file", path=path_name, note=note)


def drop_missing(
    frame: gpd.GeoDataFrame, labels: Sequence[str], *, path_name: str | None = None
) -> tuple[gpd.GeoDataFrame, Sequence[str], list[str]]:
    """Drop rows whose geometry is null or empty; return the frame, the labels and notes.

    Each note starts with ``path_name`` when it is given.
    """
    null = frame.geometry.isna().to_numpy()
    missing = null | frame.geometry.is_empty.to_numpy()
    notes: list[str] = [
        in_file(
            Msg(
                "note.hygiene.dropped_null" if null[i] else "note.hygiene.dropped_empty",
                label=labels[i],
            ),
            path_name,
        )
        for i in np.flatnonzero(missing).tolist()
    ]
    keep = ~missing
    if isinstance(labels, FeatureLabels):
        return frame[keep], labels.subset(keep), notes
    return frame[keep], [lb for lb, k in zip(labels, keep, strict=True) if k], notes


def clean_points(
    frame: gpd.GeoDataFrame, labels: Sequence[str], *, path_name: str | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the frame with one valid point per row (assets are points) and the notes.

    Null and empty geometries are dropped; lines and polygons are placed at a point inside
    them; a multipoint at one of its points. Each note starts with ``path_name`` when it is
    given (``"plekken.csv: Dropped row 3 ..."``).
    """
    frame, labels, notes = drop_missing(frame, labels, path_name=path_name)
    geoms = frame.geometry.values.copy()
    kinds = shapely.get_type_id(geoms)
    for i in np.flatnonzero(kinds != shapely.GeometryType.POINT).tolist():
        geom = geoms[i]
        kind = geom.geom_type
        if not shapely.is_valid(geom):
            geom = shapely.make_valid(geom)
        geoms[i] = shapely.point_on_surface(geom)
        notes.append(in_file(Msg("note.hygiene.placed", label=labels[i], kind=kind), path_name))
    frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame, notes


#: A polygon that collapses to lines on repair is kept as an outline this wide (metres).
THIN_AREA_M = 10.0


def clean_polygons(
    frame: gpd.GeoDataFrame, labels: Sequence[str], path_name: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the frame with valid (multi)polygons, and the notes.

    An area is never dropped for its shape alone: its code, name and key figures still count.
    Each note starts with ``path_name``: with two areas files the reader can tell which.

    - Invalid polygons are repaired with ``shapely.make_valid``; only the polygonal part is
      kept.
    - A polygon that collapses to lines or points on repair (coarse, quantised boundary
      files do this to small buurten) is kept as a ``THIN_AREA_M`` wide outline around
      what is left, so it stays on the map where it was.
    - An area with a null or empty geometry is kept with an empty polygon: it counts in
      the figures and is not drawn.
    - Features that are points or lines among polygons are dropped (they are not areas).

    Rings are oriented as RFC 7946 wants (exteriors counter-clockwise), so every source
    gives the same polygons.

    Raises
    ------
    ImportFormatError
        When no feature is a polygon at all (e.g. points given as areas).
    """
    notes: list[str] = []
    null = frame.geometry.isna().to_numpy()
    empty = null | frame.geometry.is_empty.to_numpy()
    types = frame.geometry.geom_type.to_numpy()
    polygonal = np.isin(types, POLYGONAL) | (types == "GeometryCollection")
    if not (polygonal & ~empty).any():
        found = sorted({str(t) for t in types[~empty]}) or ["empty"]
        raise ImportFormatError(
            Msg("err.hygiene.no_polygons", path=path_name, found=", ".join(found))
        )
    geoms = frame.geometry.values.copy()
    keep = np.ones(len(frame), dtype=bool)
    for i in range(len(frame)):
        geom = geoms[i]
        if empty[i]:
            geoms[i] = shapely.Polygon()
            key = "note.hygiene.kept_null" if null[i] else "note.hygiene.kept_empty"
            notes.append(Msg(key, label=labels[i]))
            continue
        if not polygonal[i]:
            keep[i] = False
            notes.append(Msg("note.hygiene.not_polygon", label=labels[i], kind=types[i]))
            continue
        if shapely.is_valid(geom) and types[i] in POLYGONAL:
            continue
        reason = shapely.is_valid_reason(geom)
        valid = shapely.make_valid(geom)
        repaired = _polygonal_part(valid)
        if repaired is None:
            geoms[i] = _thin_area(valid, frame.crs)
            notes.append(
                Msg(
                    "note.hygiene.repaired_thin",
                    label=labels[i],
                    reason=reason,
                    width_m=f"{THIN_AREA_M:.0f}",
                )
            )
        else:
            geoms[i] = repaired
            notes.append(Msg("note.hygiene.repaired", label=labels[i], reason=reason))
    # Exterior rings counter-clockwise, holes clockwise (RFC 7946), whatever the source did:
    # Shapefiles store them the other way round.
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame[keep], [in_file(note, path_name) for note in notes]


def _thin_area(geom: shapely.Geometry, crs: object) -> shapely.Geometry:
    """Buffer what is left of a collapsed polygon by ``THIN_AREA_M / 2``, measured in RD New."""
    to_rd = Transformer.from_crs(crs, WORK_CRS, always_xy=True)
    back = Transformer.from_crs(WORK_CRS, crs, always_xy=True)
    in_rd = shapely.transform(geom, lambda xy: np.column_stack(to_rd.transform(xy[:, 0], xy[:, 1])))
    buffered = shapely.buffer(in_rd, THIN_AREA_M / 2)
    return shapely.transform(
        buffered, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1]))
    )


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    """Return the polygons in ``geom`` as one valid (Multi)Polygon, or None if there are none."""
    parts = shapely.get_parts(geom)
    while True:
        nested = shapely.get_type_id(parts) == shapely.GeometryType.GEOMETRYCOLLECTION
        if not nested.any():
            break
        parts = np.concatenate([shapely.get_parts(parts[nested]), parts[~nested]])
    kinds = shapely.get_type_id(parts)
    polygons = parts[
        (kinds == shapely.GeometryType.POLYGON) | (kinds == shapely.GeometryType.MULTIPOLYGON)
    ]
    polygons = polygons[~shapely.is_empty(polygons)]
    if len(polygons) == 0:
        return None
    merged = polygons[0] if len(polygons) == 1 else shapely.union_all(polygons)
    if not shapely.is_valid(merged):
        merged = _polygonal_part(shapely.make_valid(merged))
    return merged
