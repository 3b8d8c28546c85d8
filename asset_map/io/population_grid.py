"""The CBS population grid: read its 100 m squares from a GeoPackage, GeoJSON or CSV.

CBS's 'Kaart van 100 meter bij 100 meter met statistieken' counts residents, residents aged
65+ and single-person households per square. :func:`read_population_grid` reads it, with the
2020+ column names and the older ones, and places a CSV's squares by CBS's square id;
:func:`asset_map.analysis.population_grid.grid_demand` turns the squares into demand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from asset_map._errors import AssetMapError, SchemaError, raise_problems, where
from asset_map.crs import WORK_CRS
from asset_map.i18n import Msg
from asset_map.io.cells import list_some
from asset_map.io.figures import figure_values
from asset_map.io.formats import CSV_SUFFIXES, cell_problems, read_raw, read_table
from asset_map.model import GRID_65, GRID_RESIDENTS, GRID_SINGLE, grid_columns

#: Columns that hold CBS's square id, and the square's side in metres. The id, e.g.
#: ``E1234N4567``, gives the lower-left corner in whole hectometres in RD New: x = 123,400,
#: y = 456,700 (CBS, 'Statistische gegevens per vierkant', chapter 'Codering vierkant').
GRID_ID_COLUMNS = {
    "crs28992res100m": 100.0,
    "c28992r100": 100.0,
    "crs28992res500m": 500.0,
    "c28992r500": 500.0,
}
_GRID_ID = re.compile(r"^(?:CRS28992RES\d+M)?E(\d{1,4})N(\d{1,4})$", re.IGNORECASE)


def grid_squares(ids: Sequence[object], size_m: float) -> tuple[np.ndarray, list[int]]:
    """Return the squares (EPSG:28992 polygons) of CBS square ids like ``E1234N4567``.

    The id gives the lower-left corner in whole hectometres: ``E1234N4567`` is the square
    from (123,400, 456,700) to (123,400 + ``size_m``, 456,700 + ``size_m``).

    Returns
    -------
    tuple
        The polygons (None where the id is not valid) and the positions of invalid ids.
    """
    x = np.full(len(ids), np.nan)
    y = np.full(len(ids), np.nan)
    bad = []
    for i, value in enumerate(ids):
        match = _GRID_ID.match(str(value).strip()) if value is not None else None
        if match is None:
            bad.append(i)
            continue
        x[i], y[i] = int(match.group(1)) * 100.0, int(match.group(2)) * 100.0
    squares = shapely.box(x, y, x + size_m, y + size_m)
    squares[np.isnan(x)] = None
    return squares, bad


def read_population_grid(
    path: str | Path, *, crs: str | None = None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read the squares of a CBS population grid from a GeoPackage, GeoJSON or CSV.

    Both CBS layouts are read: the 2020+ names (``aantal_inwoners``,
    ``aantal_inwoners_65_jaar_en_ouder``, ``aantal_eenpersoonshuishoudens``) and the older
    ones (``INWONER``, ``INW_65PL``, ``TOTHH_EENP``). A CSV may place its squares by CBS's
    square id (column ``crs28992res100m``, e.g. ``E1234N4567``) instead of coordinates.

    Parameters
    ----------
    path : str or Path
        The file. A CSV needs the square id column, or coordinate columns of the square's
        centre (``x``/``y`` with ``crs``, or ``rd_x``/``rd_y``).
    crs : str, optional
        The CRS, for files that do not say theirs.
    layer : str, optional
        The layer of a GeoPackage.

    Returns
    -------
    GeoDataFrame
        In the file's CRS: ``aantal_inwoners`` and those of
        ``aantal_inwoners_65_jaar_en_ouder`` and ``aantal_eenpersoonshuishoudens`` the file
        has (under these names), as floats with CBS's negative secret marks (-99997, ...)
        as NaN, and the geometry. Rows without geometry are dropped.

    Raises
    ------
    AssetMapError
        When the file cannot be read, has no residents column, holds a figure that is not
        a number, or a square id that is not valid.
    """
    path = Path(path)
    problems: list[AssetMapError] = []
    frame, name, locate_row = _read_grid_file(path, crs=crs, layer=layer, problems=problems)
    found = grid_columns([c for c in frame.columns if c != "geometry"])
    if GRID_RESIDENTS not in found:
        names = [str(c) for c in frame.columns if c != "geometry"]
        raise SchemaError(
            Msg(
                "err.gaps.grid_no_residents",
                name=name,
                found=list_some(names) or Msg("err.gaps.none_found"),
                residents=GRID_RESIDENTS,
                aged=GRID_65,
                single=GRID_SINGLE,
            )
        )
    data = {}
    for canonical, their in found.items():

        def locate(i: int, column: str = their) -> str:
            return locate_row(i, column)

        vals, _ = figure_values(frame[their].tolist(), locate, their, name, problems)
        data[canonical] = np.where(vals < 0, np.nan, vals)
    raise_problems(problems)
    out = gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    out = out[out.geometry.notna() & ~out.geometry.is_empty]
    return out.reset_index(drop=True)


def _read_grid_file(
    path: Path, *, crs: str | None, layer: str | None, problems: list[AssetMapError]
) -> tuple[gpd.GeoDataFrame, str, Callable[[int, str], str]]:
    """Read the file; place a CSV's rows by their CBS square id when it has one."""
    if path.suffix.lower() in CSV_SUFFIXES and path.is_file():
        table = read_table(path)
        ids = {str(c).lower(): str(c) for c in table.frame.columns}
        id_column = next((ids[c] for c in GRID_ID_COLUMNS if c in ids), None)
        if id_column is not None:
            squares, bad = grid_squares(
                table.frame[id_column].tolist(), GRID_ID_COLUMNS[id_column.lower()]
            )
            problems.extend(cell_problems(table, id_column, bad, "err.gaps.grid_bad_id"))
            frame = gpd.GeoDataFrame(table.frame, geometry=squares, crs=WORK_CRS)

            def locate_table(i: int, column: str) -> str:
                return where(path, row=int(table.rows[i]), column=column)

            return frame, path.name, locate_table
    raw = read_raw(path, crs=crs, layer=layer)
    return raw.frame, raw.path.name, raw.where
