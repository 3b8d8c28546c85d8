"""Read wijken and buurten from several files (e.g. CBS 2014's separate wijk and buurt files).

Each file is read by :func:`asset_map.io.areas.read_areas` (a GeoPackage with a wijken and a
buurten layer gives both); the files are then put together, refusing an area code that two
files hold, with both files named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map._errors import SchemaError
from asset_map.crs import STORAGE_CRS
from asset_map.i18n import Msg
from asset_map.io.areas import read_areas
from asset_map.io.formats import ImportResult
from asset_map.io.mapping import Mapping as AreaMapping
from asset_map.model import AREA_COLUMNS, AREA_LEVELS


@dataclass
class AreaFiles:
    """Areas read from one or more files.

    Attributes
    ----------
    frame : GeoDataFrame
        All areas, ``model.AREA_COLUMNS`` in EPSG:4326, file after file.
    notes : list of str
        What the readers repaired, dropped or assumed.
    levels : dict of Path to list of str
        The levels (``"wijk"``, ``"buurt"``, ``"gemeente"``) each file brought, in file order.
    """

    frame: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)
    levels: dict[Path, list[str]] = field(default_factory=dict)

    def file_of(self) -> dict[str, str]:
        """Return the name of the file each level came from (the first, for a level in two)."""
        found: dict[str, str] = {}
        for path, levels in self.levels.items():
            for level in levels:
                found.setdefault(level, path.name)
        return found


def read_area_files(
    paths: Path | Sequence[Path],
    *,
    mapping: AreaMapping | str | Path | None = None,
    crs: str | Mapping[Path, str | None] | None = None,
    layer: str | None = None,
    gemeente: str | None = None,
) -> AreaFiles:
    """Read one or more areas files and put them together.

    Parameters
    ----------
    paths : Path or sequence of Path
        The files, e.g. a wijken and a buurten file, or one GeoPackage with both layers.
    mapping, layer, gemeente
        As :func:`asset_map.io.read_areas` takes them, for every file.
    crs : str or mapping of Path to str, optional
        The CRS of files that do not say theirs: one for all, or one per file.

    Raises
    ------
    AssetMapError
        A subclass naming the file at fault; a :class:`SchemaError` naming both files when
        two files hold the same area code.
    """
    files = [paths] if isinstance(paths, Path) else list(paths)
    parts = []
    for path in files:
        file_crs = crs.get(path) if isinstance(crs, Mapping) else crs
        read = read_areas(path, mapping=mapping, crs=file_crs, layer=layer, gemeente=gemeente)
        parts.append((path, read))
    return join_area_files(parts)


def join_area_files(parts: Sequence[tuple[Path, ImportResult]]) -> AreaFiles:
    """Put areas read from several files together; refuse a code that two files hold.

    Raises
    ------
    SchemaError
        When two files hold the same area code: one of them is the wrong file, or the same
        file was given twice. The message names both files.
    """
    seen: dict[str, str] = {}
    notes: list[str] = []
    levels: dict[Path, list[str]] = {}
    for path, read in parts:
        codes = read.frame["code"].astype(str)
        twice = [code for code in codes if code in seen]
        if twice:
            raise SchemaError(
                Msg(
                    "err.areas.code_in_two_files",
                    path=path.name,
                    other=seen[twice[0]],
                    n=len(twice),
                    codes=", ".join(twice[:5]),
                )
            )
        seen.update((code, path.name) for code in codes)
        notes += read.notes
        found = set(read.frame["level"].dropna())
        levels[path] = [lvl for lvl in AREA_LEVELS if lvl in found]
    frames = [read.frame for _path, read in parts]
    if len(frames) == 1:
        frame = frames[0]
    elif frames:
        together = pd.concat(frames, ignore_index=True)
        frame = gpd.GeoDataFrame(together, geometry="geometry", crs=STORAGE_CRS)
    else:
        frame = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs=STORAGE_CRS)
    return AreaFiles(frame, notes, levels)
