"""The CBS population grid as demand: 100 m squares of residents, each in its buurt.

CBS's 'Kaart van 100 meter bij 100 meter met statistieken' counts residents, residents aged
65+ and single-person households per square.
:func:`asset_map.io.population_grid.read_population_grid` reads it (a GeoPackage, GeoJSON or
CSV with square ids, new and old column names); :func:`grid_demand` turns the squares into
demand cells like :func:`asset_map.analysis.demand.buurt_demand`
does for key figures per buurt. A secret figure is never taken as 0: the square gets its
buurt's share, and a warning says how many squares that concerns.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from asset_map._errors import SchemaError
from asset_map.crs import WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import GRID_65, GRID_COLUMNS, GRID_RESIDENTS, GRID_SINGLE, grid_columns

#: Which grid column each buurt key figure corresponds to.
GRID_FOR_FIGURE = {
    "inhabitants": GRID_RESIDENTS,
    "pct_65_plus": GRID_65,
    "households": GRID_SINGLE,
    "pct_single_households": GRID_SINGLE,
}


def grid_demand(
    grid: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    cell_m: float,
    needs: Sequence[str],
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Turn the squares of a CBS population grid into demand cells, each in its buurt.

    A square whose residents are known but whose 65+ or single-household figure is secret
    keeps its residents: the missing figure is estimated with its buurt's share (when the
    buurt has that key figure), and a warning says for how many squares and residents.

    Parameters
    ----------
    grid : GeoDataFrame
        One polygon (the square) or point (its centre) per square, in any CRS, with
        ``aantal_inwoners`` and, when ``needs`` asks for them,
        ``aantal_inwoners_65_jaar_en_ouder`` and ``aantal_eenpersoonshuishoudens`` (or the
        older names ``INWONER``, ``INW_65PL``, ``TOTHH_EENP``). Negative values (CBS's
        secret marks, e.g. -99997) count as missing.
    buurten_rd : GeoDataFrame
        Buurten in EPSG:28992 with ``code`` and, for the estimate, the key figures.
    cell_m : float
        The side of the square drawn around a point.
    needs : sequence of str
        The key figures the demand uses (:func:`needed_figures`).

    Returns
    -------
    tuple
        The demand cells (as :func:`buurt_demand`, plus ``from_buurt``: True where a figure
        of the square is its buurt's share) and warnings about the squares left out or
        estimated.
    """
    require_crs(grid, "population grid")
    columns = grid_columns(grid.columns)
    wanted = sorted({GRID_FOR_FIGURE[f] for f in needs}, key=GRID_COLUMNS.index)
    absent = [c for c in wanted if c not in columns]
    if absent:
        shown = " / ".join(repr(c) for c in absent)
        raise SchemaError(Msg("err.gaps.grid_columns", columns=shown))
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
    warnings: list[str] = []
    outside = code.isna().to_numpy()
    if outside.any():
        warnings.append(Msg("note.gaps.grid_outside", squares=_squares(int(outside.sum()))))
    shares = _buurt_shares(buurten_rd, code)
    from_buurt = np.zeros(len(rd), dtype=bool)
    for name, vals, figure in (
        (GRID_65, aged, "pct_65_plus"),
        (GRID_SINGLE, single, "pct_single_households"),
    ):
        if name not in wanted:
            continue
        estimate = np.isnan(vals) & ~np.isnan(residents) & ~outside & ~np.isnan(shares[name])
        if estimate.any():
            vals[estimate] = residents[estimate] * shares[name][estimate]
            from_buurt |= estimate
            warnings.append(
                Msg(
                    "note.gaps.grid_fallback",
                    squares=_squares(int(estimate.sum())),
                    residents=f"{float(residents[estimate].sum()):.0f}",
                    figure=Msg(f"note.gaps.figure.{figure}"),
                )
            )
    unknown = np.zeros(len(rd), dtype=bool)
    for name, vals in zip(GRID_COLUMNS, (residents, aged, single), strict=True):
        if name in wanted:
            unknown |= np.isnan(vals)
    unknown &= ~outside
    if unknown.any():
        warnings.append(Msg("note.gaps.grid_secret", squares=_squares(int(unknown.sum()))))
        lost = float(np.nansum(residents[unknown]))
        if lost > 0:
            warnings.append(Msg("note.gaps.grid_secret_residents", residents=f"{lost:.0f}"))
    keep = ~outside & ~unknown
    frame = gpd.GeoDataFrame(
        {
            "buurt_code": code.to_numpy()[keep].astype(object),
            "residents": residents[keep],
            "residents_65": aged[keep],
            "single_households": single[keep],
            "x": px[keep],
            "y": py[keep],
            "from_buurt": from_buurt[keep],
        },
        geometry=squares[keep],
        crs=WORK_CRS,
    )
    return frame.reset_index(drop=True), warnings


def grid_residents_by_buurt(grid: gpd.GeoDataFrame, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """Return the residents of the population grid per buurt code (squares by their centre).

    Secret counts count as 0 here: the result weighs buurten against each other (to share a
    wijk's count over its buurten), it is no count of residents.
    """
    require_crs(grid, "population grid")
    columns = grid_columns(grid.columns)
    if GRID_RESIDENTS not in columns or buurten_rd.empty:
        return pd.Series(dtype="float64")
    rd = grid.to_crs(WORK_CRS)
    rd = rd[rd.geometry.notna() & ~rd.geometry.is_empty]
    geoms = rd.geometry.to_numpy()
    points = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.point_on_surface(geoms))
    residents = pd.to_numeric(rd[columns[GRID_RESIDENTS]], errors="coerce").to_numpy("float64")
    residents = np.where(residents > 0, residents, 0.0)
    code = _buurt_of(points, buurten_rd)
    return pd.Series(residents, index=code.to_numpy()).groupby(level=0).sum()


def _squares(n: int) -> Msg:
    return Msg("note.gaps.squares.one" if n == 1 else "note.gaps.squares.many", n=n)


def _buurt_shares(buurten_rd: pd.DataFrame, code: pd.Series) -> dict[str, np.ndarray]:
    """Return per square its buurt's 65+ and single-household shares of residents (or NaN)."""

    def figure(name: str) -> pd.Series:
        if name not in buurten_rd.columns:
            return pd.Series(np.nan, index=buurten_rd["code"])
        return pd.Series(
            pd.to_numeric(buurten_rd[name], errors="coerce").to_numpy(), index=buurten_rd["code"]
        )

    inhabitants = figure("inhabitants")
    with np.errstate(invalid="ignore", divide="ignore"):
        aged = figure("pct_65_plus") / 100.0
        single = figure("households") * figure("pct_single_households") / 100.0 / inhabitants
    single = single.where(inhabitants > 0)
    return {
        GRID_65: aged.reindex(code.to_numpy()).to_numpy(dtype="float64"),
        GRID_SINGLE: single.reindex(code.to_numpy()).to_numpy(dtype="float64"),
    }


def _buurt_of(points: np.ndarray, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """Return, per point, the code of the first buurt that holds it (missing if none)."""
    frame = gpd.GeoDataFrame(geometry=points, crs=WORK_CRS)
    joined = gpd.sjoin(frame, buurten_rd[["code", "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")]
    return first["code"].reindex(frame.index)
