"""Add key figures: a CBS Kerncijfers CSV joined onto the stored areas, recorded as a source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.analysis.area_levels import levels_of
from asset_map.i18n import Msg
from asset_map.io import join_figures
from asset_map.io.cells import find_column, text_cell
from asset_map.io.figures import CODE_COLUMNS
from asset_map.io.formats import read_table
from asset_map.services.sources import Loaded, merge_sources

#: The source entry of a Kerncijfers CSV (its year is added per file).
FIGURES_SOURCE = "CBS Kerncijfers wijken en buurten"
YEAR_COLUMNS = ("jaar", "perioden", "year")


def add_figures(current: Loaded | None, path: str | Path, *, year: int | None = None) -> Loaded:
    """Join a Kerncijfers CSV onto the stored areas and record it as a source.

    Parameters
    ----------
    current : Loaded or None
        The workspace (:func:`current`); it needs areas.
    path : str or Path
        The CSV (see :func:`asset_map.io.join_figures`): figures it has replace the areas'
        ones, other columns stay.
    year : int, optional
        The year of the figures; by default read from the file's ``jaar`` or ``Perioden``
        column (``2019JJ00``).

    Returns
    -------
    Loaded
        The workspace with the figures joined and the source ``CBS Kerncijfers wijken en
        buurten`` (CC BY 4.0) in ``meta["sources"]``.

    Raises
    ------
    AssetMapError
        When the workspace has no areas, or the CSV cannot be joined (see ``join_figures``).
    """
    if current is None or not len(current.areas):
        raise AssetMapError(Msg("err.sources.figures_without_areas", file=Path(path).name))
    joined = join_figures(current.areas, path)
    year = year if year is not None else figures_year(path)
    entry = {
        "name": FIGURES_SOURCE,
        "licence": "CC BY 4.0",
        "year": year,
        "layer": "figures",
        "file": Path(path).name,  # one entry per figures file: a second file adds its own
        "levels": figures_levels(current.areas, path),  # gone when those areas are replaced
    }
    meta = {**current.meta, "sources": merge_sources(current.meta.get("sources", []), [entry])}
    return Loaded(joined.frame, current.assets, meta, list(joined.notes))


def figures_year(path: str | Path) -> int | None:
    """Return the year of a Kerncijfers CSV from its ``jaar``/``Perioden`` column, else None."""
    table = read_table(path).frame
    by_lower = {str(c).lower(): c for c in table.columns}
    for name in YEAR_COLUMNS:
        if name in by_lower:
            years = table[by_lower[name]].astype(str).str.extract(r"((?:19|20)\d\d)")[0].dropna()
            if len(years):
                return int(years.mode().iloc[0])
    return None


def figures_levels(areas: pd.DataFrame, path: str | Path) -> list[str]:
    """Return the levels of the ``areas`` that a Kerncijfers CSV has a row for."""
    table = read_table(path).frame
    column = find_column(table.columns, CODE_COLUMNS)
    if column is None:
        return levels_of(areas)
    codes = {(text_cell(v) or "").upper() for v in table[column]}
    return levels_of(areas[areas["code"].astype(str).isin(codes)])
