"""Demand: where the residents live, as weighted points on a grid.

Two sources:

- **key figures per buurt** (:func:`buurt_demand`): a lattice of ``cell_m`` squares in RD New
  (anchored at multiples of ``cell_m``) is laid over every buurt and clipped to it; the
  buurt's residents are spread over its cells in proportion to the clipped area;
- **a CBS population grid** (:func:`grid_demand`, :func:`read_population_grid`): the 100 m
  squares of CBS's 'Kaart van 100 meter bij 100 meter met statistieken', each assigned to
  the buurt that holds its centre.

Each demand cell keeps its polygon (to draw) and a representative point inside it (to
measure from). A missing figure is never taken as 0: a buurt or square without the figures
the weights need is left out, and a warning says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from asset_map._errors import AssetMapError, SchemaError
from asset_map.crs import WORK_CRS, require_crs
from asset_map.io.figures import figure_values
from asset_map.io.formats import list_some, plural, raise_problems, read_raw
from asset_map.model import KEY_FIGURES

#: Columns of a demand frame (besides the geometry, the clipped cell in EPSG:28992).
DEMAND_COLUMNS = ["buurt_code", "residents", "residents_65", "single_households", "x", "y"]
#: CBS population grid columns: total residents, residents aged 65+, single-person households.
GRID_RESIDENTS = "aantal_inwoners"
GRID_65 = "aantal_inwoners_65_jaar_en_ouder"
GRID_SINGLE = "aantal_eenpersoonshuishoudens"
GRID_COLUMNS = (GRID_RESIDENTS, GRID_65, GRID_SINGLE)
#: Which grid column each buurt key figure corresponds to.
GRID_FOR_FIGURE = {
    "inhabitants": GRID_RESIDENTS,
    "pct_65_plus": GRID_65,
    "households": GRID_SINGLE,
    "pct_single_households": GRID_SINGLE,
}
#: Clipped cells smaller than this share of a full cell are dropped (slivers along borders);
#: their buurt's residents go to its other cells.
MIN_CELL_SHARE = 1e-3
#: How many buurten a warning names one by one before it sums up the rest.
NAMED = 10


def needed_figures(*, aged_65_plus: bool, single_households: bool) -> tuple[str, ...]:
    """Return the key figures a buurt needs for the demand (inhabitants always)."""
    needs = ["inhabitants"]
    if aged_65_plus:
        needs.append("pct_65_plus")
    if single_households:
        needs += ["households", "pct_single_households"]
    return tuple(needs)


def clip_grid(polygons: Sequence[object], cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Lay a lattice of ``cell_m`` squares over each polygon and clip the squares to it.

    Parameters
    ----------
    polygons : sequence of shapely geometry
        (Multi)polygons in a projected CRS in metres.
    cell_m : float
        The side of a square; the lattice is anchored at multiples of ``cell_m``.

    Returns
    -------
    tuple of ndarray
        ``(owner, cells)``: for each clipped cell the position of its polygon, and the
        clipped cell (a polygon or multipolygon).
    """
    owners: list[np.ndarray] = []
    cells: list[np.ndarray] = []
    min_area = MIN_CELL_SHARE * cell_m * cell_m
    for i, geom in enumerate(polygons):
        if geom is None or shapely.is_empty(geom) or shapely.area(geom) <= 0:
            continue
        x0, y0, x1, y1 = shapely.bounds(geom)
        xs = np.arange(np.floor(x0 / cell_m), np.ceil(x1 / cell_m)) * cell_m
        ys = np.arange(np.floor(y0 / cell_m), np.ceil(y1 / cell_m)) * cell_m
        gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
        boxes = shapely.box(gx, gy, gx + cell_m, gy + cell_m)
        shapely.prepare(geom)
        whole = shapely.covers(geom, boxes)
        partial = ~whole & shapely.intersects(geom, boxes)
        clipped = np.concatenate(
            [boxes[whole], _polygonal(shapely.intersection(boxes[partial], geom))]
        )
        area = shapely.area(clipped)
        keep = area >= min_area
        if not keep.any():
            keep = area == area.max()
        owners.append(np.full(int(keep.sum()), i, dtype=np.int64))
        cells.append(clipped[keep])
    if not cells:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    return np.concatenate(owners), np.concatenate(cells)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of intersections that came out as collections."""
    out = geoms.copy()
    for i in np.flatnonzero(shapely.get_type_id(geoms) == 7):  # GeometryCollection
        parts = shapely.get_parts(geoms[i])
        polys = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[i] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return out


def missing_figure_warnings(
    buurten: pd.DataFrame, needs: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    """Return which buurten lack a needed figure, and a warning naming them.

    Parameters
    ----------
    buurten : DataFrame
        Buurten with ``code``, ``name`` and the key-figure columns (absent counts as missing).
    needs : sequence of str
        The key figures the demand needs (:func:`needed_figures`).

    Returns
    -------
    tuple
        ``(missing, warnings)``: a boolean mask per buurt, and plain-English warnings.
    """
    lacking: list[list[str]] = []
    for _, row in buurten.iterrows():
        gone = [f for f in needs if f not in buurten.columns or pd.isna(row[f])]
        # Nobody lives there: 0 % of 0 residents is 0, not unknown.
        if gone and "inhabitants" not in gone and row["inhabitants"] == 0:
            gone = []
        if "pct_single_households" in gone and "households" not in gone and row["households"] == 0:
            gone.remove("pct_single_households")
        lacking.append(gone)
    missing = np.array([bool(g) for g in lacking], dtype=bool)
    warnings = []
    named = 0
    for (_, row), gone in zip(buurten.iterrows(), lacking, strict=True):
        if not gone:
            continue
        named += 1
        if named > NAMED:
            continue
        what = (
            "has no key figures"
            if len(gone) == len(needs)
            else "has no figure for " + ", ".join(KEY_FIGURES[f][1].lower() for f in gone)
        )
        warnings.append(
            f"Buurt {row['name']} ({row['code']}) {what}: left out of the demand, not counted as 0."
        )
    if named > NAMED:
        warnings.append(
            f"{named - NAMED} more buurten lack the key figures the weights need: left out of "
            "the demand, not counted as 0."
        )
    return missing, warnings


def buurt_demand(
    buurten_rd: gpd.GeoDataFrame, *, cell_m: float, needs: Sequence[str]
) -> gpd.GeoDataFrame:
    """Spread each buurt's residents over the grid cells that cover it.

    Parameters
    ----------
    buurten_rd : GeoDataFrame
        Buurten in EPSG:28992 with ``code`` and the key figures in ``needs`` (missing ones
        have been left out by the caller, see :func:`missing_figure_warnings`).
    cell_m : float
        The side of a grid square in metres.
    needs : sequence of str
        The key figures the demand uses; the others give NaN columns.

    Returns
    -------
    GeoDataFrame
        One row per clipped cell, ``DEMAND_COLUMNS``, geometry the clipped cell (EPSG:28992).
    """
    owner, cells = clip_grid(buurten_rd.geometry.to_numpy(), cell_m)
    area = shapely.area(cells)
    total_area = np.bincount(owner, weights=area, minlength=len(buurten_rd))
    share = area / total_area[owner] if len(owner) else np.zeros(0)

    def figure(name: str) -> np.ndarray:
        if name not in buurten_rd.columns:
            return np.full(len(buurten_rd), np.nan)
        return buurten_rd[name].to_numpy(dtype="float64")

    inhabitants = figure("inhabitants")
    households = figure("households")
    nobody = inhabitants == 0
    aged = np.where(nobody, 0.0, inhabitants * figure("pct_65_plus") / 100.0)
    single = np.where(
        nobody | (households == 0), 0.0, households * figure("pct_single_households") / 100.0
    )
    points = shapely.point_on_surface(cells)
    return gpd.GeoDataFrame(
        {
            "buurt_code": buurten_rd["code"].to_numpy()[owner].astype(object),
            "residents": inhabitants[owner] * share,
            "residents_65": aged[owner] * share,
            "single_households": single[owner] * share,
            "x": shapely.get_x(points),
            "y": shapely.get_y(points),
        },
        geometry=cells,
        crs=WORK_CRS,
    )


def grid_demand(
    grid: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    cell_m: float,
    needs: Sequence[str],
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Turn the squares of a CBS population grid into demand cells, each in its buurt.

    Parameters
    ----------
    grid : GeoDataFrame
        One polygon (the square) or point (its centre) per square, in any CRS, with
        ``aantal_inwoners`` and, when ``needs`` asks for them,
        ``aantal_inwoners_65_jaar_en_ouder`` and ``aantal_eenpersoonshuishoudens``.
        Negative values (CBS's secret marks, e.g. -99997) count as missing.
    buurten_rd : GeoDataFrame
        Buurten in EPSG:28992 with ``code``.
    cell_m : float
        The side of the square drawn around a point.
    needs : sequence of str
        The key figures the demand uses (:func:`needed_figures`).

    Returns
    -------
    tuple
        The demand cells (as :func:`buurt_demand`) and warnings about the squares left out.
    """
    require_crs(grid, "population grid")
    columns = {c: c for c in grid.columns}
    columns.update({str(c).lower(): c for c in grid.columns})
    wanted = sorted({GRID_FOR_FIGURE[f] for f in needs}, key=GRID_COLUMNS.index)
    absent = [c for c in wanted if c not in columns]
    if absent:
        raise SchemaError(
            f"The population grid has no column {' and no '.join(repr(c) for c in absent)}, "
            "which the weights need. Use CBS's column names, or choose weights that do not "
            "need them (e.g. NeedWeights.preset('all'))."
        )
    rd = grid.to_crs(WORK_CRS)
    rd = rd[rd.geometry.notna() & ~rd.geometry.is_empty]
    geoms = rd.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    points = np.where(is_point, geoms, shapely.point_on_surface(geoms))
    half = cell_m / 2.0
    px, py = shapely.get_x(points), shapely.get_y(points)
    squares = np.where(is_point, shapely.box(px - half, py - half, px + half, py + half), geoms)

    def values(name: str) -> np.ndarray:
        if name not in columns:
            return np.full(len(rd), np.nan)
        vals = pd.to_numeric(rd[columns[name]], errors="coerce").to_numpy(dtype="float64")
        return np.where(vals < 0, np.nan, vals)

    residents, aged, single = (values(c) for c in GRID_COLUMNS)
    code = _buurt_of(points, buurten_rd)
    warnings = []
    outside = code.isna().to_numpy()
    if outside.any():
        warnings.append(
            f"{plural(int(outside.sum()), 'population grid square')} lie outside every buurt: "
            "left out."
        )
    unknown = np.zeros(len(rd), dtype=bool)
    for name, vals in zip(GRID_COLUMNS, (residents, aged, single), strict=True):
        if name in wanted:
            unknown |= np.isnan(vals)
    unknown &= ~outside
    if unknown.any():
        warnings.append(
            f"{plural(int(unknown.sum()), 'population grid square')} have secret or missing "
            "figures (CBS keeps small numbers secret): left out of the demand, not counted as 0."
        )
    keep = ~outside & ~unknown
    frame = gpd.GeoDataFrame(
        {
            "buurt_code": code.to_numpy()[keep].astype(object),
            "residents": residents[keep],
            "residents_65": aged[keep],
            "single_households": single[keep],
            "x": px[keep],
            "y": py[keep],
        },
        geometry=squares[keep],
        crs=WORK_CRS,
    )
    return frame.reset_index(drop=True), warnings


def _buurt_of(points: np.ndarray, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """Return, per point, the code of the first buurt that holds it (missing if none)."""
    frame = gpd.GeoDataFrame(geometry=points, crs=WORK_CRS)
    joined = gpd.sjoin(frame, buurten_rd[["code", "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")]
    return first["code"].reindex(frame.index)


def read_population_grid(
    path: str | Path, *, crs: str | None = None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read the squares of a CBS population grid from a GeoPackage, GeoJSON or CSV.

    Parameters
    ----------
    path : str or Path
        The file. A CSV needs coordinate columns of the square's centre (``x``/``y`` with
        ``crs``, or ``rd_x``/``rd_y``).
    crs : str, optional
        The CRS, for files that do not say theirs.
    layer : str, optional
        The layer of a GeoPackage.

    Returns
    -------
    GeoDataFrame
        In the file's CRS: ``aantal_inwoners`` and those of
        ``aantal_inwoners_65_jaar_en_ouder`` and ``aantal_eenpersoonshuishoudens`` the file
        has, as floats with CBS's negative secret marks as NaN, and the geometry. Rows
        without geometry are dropped.

    Raises
    ------
    AssetMapError
        When the file cannot be read, has no ``aantal_inwoners`` column, or holds a figure
        that is not a number.
    """
    raw = read_raw(path, crs=crs, layer=layer)
    by_lower = {str(c).lower(): str(c) for c in raw.frame.columns if c != "geometry"}
    if GRID_RESIDENTS not in by_lower:
        raise SchemaError(
            f"{raw.path.name}: no column '{GRID_RESIDENTS}'. Found the columns: "
            f"{list_some(list(by_lower.values())) or 'none'}. A CBS population grid has "
            f"'{GRID_RESIDENTS}' and optionally '{GRID_65}' and '{GRID_SINGLE}'."
        )
    problems: list[AssetMapError] = []
    data = {}
    for name in GRID_COLUMNS:
        if name not in by_lower:
            continue
        their = by_lower[name]

        def locate(i: int, column: str = their) -> str:
            return raw.where(i, column)

        data[name], _ = figure_values(
            raw.frame[their].tolist(), locate, their, raw.path.name, problems
        )
    raise_problems(problems)
    frame = gpd.GeoDataFrame(data, geometry=raw.frame.geometry.to_numpy(), crs=raw.frame.crs)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return frame.reset_index(drop=True)
