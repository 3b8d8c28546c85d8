"""What a file says about itself: the year of its data and the gemeente it is about.

Used to fill in a source's year and the workspace's name when a file is imported, instead of
guessing (this year, the file name). When a file does not say, the answer is None: the
screen shows "onbekend" rather than a wrong year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.io.cells import find_column
from asset_map.io.formats import read_raw

#: Columns that hold the year itself (``2014``) or a code that starts with it (``2014BU…``).
YEAR_COLUMNS = ("jaar", "year")
YEAR_CODE_COLUMNS = ("jrstatcode", "jaarstatcode")
#: Columns with the gemeente's name and code (CBS, PDOK: ``gemeentenaam``, ``GM_NAAM``).
NAME_COLUMNS = ("gemeentenaam", "gm_naam")
CODE_COLUMNS = ("gemeentecode", "gm_code")
#: A year in a file or column name: ``cbs_wijken_2014.geojson``, ``bev_dichth_2021``.
_YEAR = re.compile(r"(?<![A-Za-z0-9])((?:19|20)\d\d)(?![0-9])")


def _plausible(year: int) -> bool:
    return 1950 <= year <= date.today().year + 1


def _one(years: Iterable[int]) -> int | None:
    """Return the one plausible year among ``years``, or None when there are none or several."""
    found = {y for y in years if _plausible(y)}
    return found.pop() if len(found) == 1 else None


def year_in_name(name: str) -> int | None:
    """Return the year in a file name (``cbs_buurten_2021_ermelo.gpkg`` -> 2021), or None.

    Only a year that stands apart (not inside a code like ``GM2001``) counts, and only when the
    name holds one.
    """
    return _one(int(m) for m in _YEAR.findall(Path(name).stem.replace("_", " ")))


def year_of(frame: pd.DataFrame, name: str = "") -> int | None:
    """Return the year of the data in ``frame`` (read from file ``name``), or None.

    Tried in order: a ``jaar``/``year`` column with one year; a ``jrstatcode`` column
    (``2014BU03440101``) with one year; a year in the file name; a year at the end of column
    names (``bev_dichth_2014``), when they share one.
    """
    by_lower = {str(c).lower(): c for c in frame.columns}
    for column in (*YEAR_COLUMNS, *YEAR_CODE_COLUMNS):
        if column in by_lower:
            digits = frame[by_lower[column]].dropna().astype(str).str.extract(r"^(\d{4})")[0]
            found = _one(int(y) for y in digits.dropna())
            if found:
                return found
    found = year_in_name(name) if name else None
    if found:
        return found
    suffixes = [re.search(r"_((?:19|20)\d\d)$", str(c)) for c in frame.columns]
    return _one(int(m.group(1)) for m in suffixes if m)


def gemeente_name_of(frame: pd.DataFrame, code: str | None = None) -> str | None:
    """Return the gemeente's name from a ``gemeentenaam``/``GM_NAAM`` column, or None.

    With ``code`` (``"GM0233"``) only the rows of that gemeente count (when the file has a
    ``gemeentecode``/``GM_CODE`` column); the name is given only when those rows share one.
    """
    column = find_column(frame.columns, NAME_COLUMNS)
    if column is None:
        return None
    rows = frame
    code_column = find_column(frame.columns, CODE_COLUMNS)
    if code and code_column is not None:
        rows = frame[frame[code_column].astype(str).str.strip().str.upper() == code.upper()]
    names = {str(n).strip() for n in rows[column].dropna()} - {""}
    return names.pop() if len(names) == 1 else None


def file_facts(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    gemeente: str | None = None,
) -> tuple[int | None, str | None]:
    """Return the year and the gemeente name a map file holds (each None when it does not say).

    Parameters
    ----------
    path : str or Path
        The file, as given to the readers.
    layer : str, optional
        Its layer (GeoPackage).
    crs : str, optional
        Its CRS when it has none (so the reader accepts it).
    gemeente : str, optional
        The CBS code of the gemeente the import is about, see :func:`gemeente_name_of`.

    Returns
    -------
    (int or None, str or None)
        The year (:func:`year_of`) and the gemeente's name (:func:`gemeente_name_of`). A file
        that cannot be read gives the year in its name, and no gemeente.
    """
    name = Path(path).name
    try:
        frame = read_raw(Path(path), crs=crs, layer=layer).frame
    except AssetMapError:
        return year_in_name(name), None
    return year_of(frame, name), gemeente_name_of(frame, gemeente)
