"""Demand: where the residents live, as weighted points on a grid.

Two sources:

- **key figures per buurt** (:func:`buurt_demand`): a lattice of ``cell_m`` squares in RD New
  (anchored at multiples of ``cell_m``) is laid over every buurt and clipped to it; the
  buurt's residents are spread over its cells in proportion to the clipped area;
- **a CBS population grid** (:mod:`population_grid`): the 100 m
  squares of CBS's 'Kaart van 100 meter bij 100 meter met statistieken', each assigned to
  the buurt that holds its centre.

Each demand cell keeps its polygon (to draw) and a representative point inside it (to
measure from). A missing figure is never taken as 0: a buurt or square without the figures
the weights need is left out, and a warning says which.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from asset_map.crs import WORK_CRS
from asset_map.i18n import Msg

#: Columns of a demand frame (besides the geometry, the clipped cell in EPSG:28992).
DEMAND_COLUMNS = ["buurt_code", "residents", "residents_65", "single_households", "x", "y"]
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


def listed(items: Sequence[object]) -> Msg:
    """Return one to four items as a list in the reader's language ("a, b, c")."""
    if not 1 <= len(items) <= 4:
        raise ValueError(f"listed() takes 1 to 4 items, got {len(items)}.")
    return Msg(f"note.gaps.list{len(items)}", **dict(zip("abcd", items, strict=False)))


def figure_list(figures: Sequence[str]) -> Msg:
    """Return key-figure names (``needed_figures``) as a list in the reader's words."""
    return listed([Msg(f"note.gaps.figure.{f}") for f in figures])


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
    n = len(buurten)

    def values(name: str) -> np.ndarray:
        if name not in buurten.columns:
            return np.full(n, np.nan)
        return pd.to_numeric(buurten[name], errors="coerce").to_numpy(dtype="float64")

    gone = {f: np.isnan(values(f)) for f in needs}  # per figure: which buurten lack it
    # Nobody lives there: 0 % of 0 residents is 0, not unknown (and so for 0 households).
    nobody = values("inhabitants") == 0
    no_households = values("households") == 0
    for f in needs:
        if f != "inhabitants":
            gone[f] &= ~nobody
    if "pct_single_households" in gone and "households" in gone:
        gone["pct_single_households"] &= ~(no_households & ~gone["households"])
    lacks = np.column_stack([gone[f] for f in needs]) if needs else np.zeros((n, 0), bool)
    missing = np.asarray(lacks.any(axis=1), dtype=bool)
    warnings: list[str] = []
    named = int(missing.sum())
    codes, names = buurten["code"].to_numpy(), buurten["name"].to_numpy()
    for i in np.flatnonzero(missing)[:NAMED]:
        figures = [f for f, lacking in zip(needs, lacks[i], strict=True) if lacking]
        if len(figures) == len(needs):
            warnings.append(Msg("note.gaps.buurt_no_figures", name=names[i], code=codes[i]))
        else:
            warnings.append(
                Msg(
                    "note.gaps.buurt_lacks",
                    name=names[i],
                    code=codes[i],
                    figures=figure_list(figures),
                )
            )
    if named > NAMED:
        warnings.append(Msg("note.gaps.more_buurten", n=named - NAMED))
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
