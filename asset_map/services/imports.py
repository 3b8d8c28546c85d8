"""Import own files into the workspace: areas, places and key figures; for the CLI and the app.

``asset-map import`` and the Gegevens screen take the same steps:

1. read the files into a :class:`~asset_map.services.sources.Loaded`, each file its own
   source entry (:func:`read_files`, or :func:`areas_loaded` / :func:`assets_loaded` for
   what a screen has read and mapped already);
2. name a new workspace after the gemeente a file names (:func:`name_workspace`);
3. ask what a yes must allow (:func:`replacement`): replacing another gemeente's
   workspace, or removing stored areas that do not fit;
4. combine with the stored workspace and save, all or nothing (:func:`import_into`).

Key figures alone are joined onto the stored areas by :func:`import_figures`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from asset_map.analysis.area_levels import LevelMerge
from asset_map.io.area_files import AreaFiles, read_area_files
from asset_map.io.asset_files import osm_kind, read_any_assets
from asset_map.io.file_facts import file_facts
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS
from asset_map.services.figures import add_figures
from asset_map.services.inputs import guessed_types, mapping_arg
from asset_map.services.sources import (
    Loaded,
    area_levels,
    combine,
    current,
    gemeente_of,
    osm_source,
    replaces_other_gemeente,
    save,
)
from asset_map.storage import Store, WorkspaceChanged


def empty_layer(columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Return a layer without rows (EPSG:4326) with these columns."""
    return gpd.GeoDataFrame(columns=list(columns), geometry="geometry", crs="EPSG:4326")


def file_entry(
    path: Path,
    layer: str,
    *,
    name: str | None = None,
    licence: str | None = None,
    year: int | None = None,
    areas_layer: str | None = None,
    crs: str | None = None,
    facts: tuple[int | None, str | None] | None = None,
) -> dict[str, Any]:
    """Return the source entry of a file: its name, licence, year and layer.

    The year is ``year``, else the year the file holds (a CBS file's ``jaar`` or name),
    else None (shown as unknown, never a guess). ``facts`` are what the reader found
    already (:attr:`~asset_map.io.formats.ImportResult.facts`): then the file is not read
    again.
    """
    if year is None and facts is not None:
        year = facts[0]
    elif year is None:
        year = file_facts(path, layer=areas_layer if layer == "areas" else None, crs=crs)[0]
    return {"name": name or path.name, "licence": licence or "", "year": year, "layer": layer}


def areas_loaded(read: AreaFiles, entries: Mapping[Path, Mapping[str, Any]]) -> Loaded:
    """Return the areas read as new layers: one source entry per file, with its levels.

    ``entries`` gives each file's entry (:func:`file_entry`); its ``levels`` and ``file``
    are added here.
    """
    sources = [
        {**entries[path], "levels": levels, "file": path.name}
        for path, levels in read.levels.items()
    ]
    meta = {"is_demo": False, "sources": sources}
    return Loaded(read.frame, empty_layer(ASSET_COLUMNS), meta, list(read.notes))


def assets_loaded(
    assets: gpd.GeoDataFrame, entry: Mapping[str, Any], notes: Iterable[str] = ()
) -> Loaded:
    """Return places (read and mapped) as new layers with their source entry."""
    meta = {"is_demo": False, "sources": [dict(entry)]}
    return Loaded(empty_layer(AREA_COLUMNS), assets, meta, list(notes))


def read_files(
    *,
    areas: Iterable[Path] = (),
    assets: Path | None = None,
    layer: str | None = None,
    gemeente: str | None = None,
    mapping: str | Path | None = None,
    areas_crs: str | None = None,
    crs: str | None = None,
    type_key: str | None = None,
    guess_types: bool = False,
    source: str | None = None,
    licence: str | None = None,
    year: int | None = None,
) -> Loaded:
    """Read areas files and an assets file as ``asset-map import`` does; nothing is stored.

    Every areas file gets its own source entry (name ``source`` or the file's name, the
    ``year`` or the one the file holds, and the levels it brought); the assets file gets
    one too (OpenStreetMap's when it is an OpenStreetMap export).

    Raises
    ------
    AssetMapError
        When a file cannot be read; the message names the file, the row and the column.
    """
    area_paths = list(areas)
    mapping = mapping_arg(mapping)
    new = Loaded(empty_layer(AREA_COLUMNS), empty_layer(ASSET_COLUMNS), {"is_demo": False})
    entries: list[dict[str, Any]] = []
    if area_paths:
        read = read_area_files(
            area_paths, mapping=mapping, crs=areas_crs, layer=layer, gemeente=gemeente
        )
        own = {
            path: file_entry(
                path,
                "areas",
                name=source,
                licence=licence,
                year=year,
                areas_layer=layer,
                crs=areas_crs,
            )
            for path in read.levels
        }
        loaded = areas_loaded(read, own)
        new, entries = loaded, list(loaded.meta["sources"])
    if assets is not None:
        read_a = read_any_assets(assets, mapping=mapping, crs=crs, source=source, type_key=type_key)
        notes = [*new.notes, *read_a.notes]
        new.assets = guessed_types(read_a.frame, notes, guess=guess_types)
        new.notes = notes
        osm = osm_kind(assets)
        entry = osm_source() if osm else None
        entries.append(
            entry
            or file_entry(
                assets,
                "assets",
                name=source,
                licence=licence,
                year=year,
                crs=crs,
                facts=read_a.facts,
            )
        )
    new.meta = {"is_demo": False, "sources": entries}
    return new


def name_workspace(
    new: Loaded,
    now: Loaded | None,
    paths: Iterable[Path],
    *,
    layer: str | None = None,
    crs: str | None = None,
    fallback: str,
) -> None:
    """Name ``new`` when it starts a workspace: after the gemeente a file names, else ``fallback``.

    Only when there is no workspace yet, it is the demo, or ``new`` is of another gemeente;
    otherwise the stored name stays.
    """
    if now is not None and not now.meta.get("is_demo") and gemeente_of(new) == gemeente_of(now):
        return
    gm = gemeente_of(new)
    names = (file_facts(p, layer=layer, crs=crs, gemeente=gm)[1] for p in paths)
    new.meta["name"] = next((name for name in names if name), None) or fallback


@dataclass(frozen=True)
class Replacement:
    """What an import would remove, and so needs the user's yes (``--replace``, a checkbox).

    Attributes
    ----------
    other_gemeente : str or None
        The name of another gemeente whose workspace would be replaced whole.
    levels : LevelMerge or None
        How the new areas fit the stored ones; ``levels.removed`` lists the stored areas
        that do not fit and would go.
    """

    other_gemeente: str | None
    levels: LevelMerge | None

    @property
    def needed(self) -> bool:
        """Tell whether the import removes something the user has to agree to."""
        return bool(self.other_gemeente) or bool(self.levels is not None and self.levels.removed)


def replacement(now: Loaded | None, new: Loaded) -> Replacement:
    """Return what combining ``new`` with the stored ``now`` would remove."""
    return Replacement(replaces_other_gemeente(now, new), area_levels(now, new))


#: How often an import combines again with the stored workspace when an edit came in
#: between reading and saving it, before it gives up and says so.
COMBINE_ATTEMPTS = 3


def _saved_on_fresh_data(
    store: Store, make: Callable[[Loaded | None], Loaded], actor: str
) -> Loaded:
    """Make the workspace to save from the stored one, and save it unless that changed.

    The rule for a save of the whole workspace while staff edit single places: the save
    never writes back rows it read before an edit was made. When the workspace changed
    between reading and saving (its version), the new layers are made again from the
    workspace as it is now, up to :data:`COMBINE_ATTEMPTS` times; then
    ``WorkspaceChanged`` is raised and nothing is saved. An edit whose form was read before
    the import saved is refused in turn (its row has a newer version): see
    :mod:`asset_map.rules.concurrent_edits`.
    """
    for attempt in range(1, COMBINE_ATTEMPTS + 1):
        version = store.workspace_version()  # read first: an edit after it is caught
        made = make(current(store))
        try:
            save(store, made, actor=actor, expected_version=version)
        except WorkspaceChanged:
            if attempt == COMBINE_ATTEMPTS:
                raise
            continue
        return made
    raise AssertionError("unreachable")  # pragma: no cover


def import_into(
    store: Store,
    new: Loaded,
    *,
    actor: str,
    replace_assets: bool = False,
    replace_levels: bool = False,
    figures: Path | None = None,
) -> Loaded:
    """Combine ``new`` with the stored workspace and save it in one transaction.

    With ``figures``, a Kerncijfers CSV is joined onto the combined areas before saving.
    Returns the workspace saved, with ``notes`` (what was replaced, merged, removed) and the
    duplicate ``decisions``. See :func:`asset_map.services.sources.combine`. An edit saved
    while the import ran is kept: the import combines again with the workspace as it is
    then (:func:`_saved_on_fresh_data`).

    Raises
    ------
    WorkspaceChanged
        When the workspace kept changing while the import combined it (nothing saved).
    """

    def make(now: Loaded | None) -> Loaded:
        # combine may change what it is given: each attempt starts from the files as read
        fresh = Loaded(
            new.areas.copy(), new.assets.copy(), copy.deepcopy(new.meta), list(new.notes)
        )
        combined = combine(now, fresh, replace_assets=replace_assets, replace_levels=replace_levels)
        return with_figures(combined, figures) if figures is not None else combined

    return _saved_on_fresh_data(store, make, actor)


def import_figures(store: Store, path: Path, *, actor: str, year: int | None = None) -> Loaded:
    """Join a Kerncijfers CSV onto the stored areas, record it as a source, and save.

    Like :func:`import_into`, an edit saved meanwhile is kept (the figures are joined again).
    """
    return _saved_on_fresh_data(store, lambda now: add_figures(now, path, year=year), actor)


def with_figures(loaded: Loaded, path: Path) -> Loaded:
    """Return ``loaded`` with a Kerncijfers CSV joined onto its areas (before saving)."""
    joined = add_figures(loaded, path)
    joined.notes[:0] = loaded.notes
    joined.decisions, joined.groups, joined.grouped = (
        loaded.decisions,
        loaded.groups,
        loaded.grouped,
    )
    return joined


def level_summary(loaded: Loaded) -> dict[str, int]:
    """Return how many wijken and buurten ``loaded`` holds."""
    areas = loaded.areas
    level = areas["level"] if len(areas) else pd.Series(dtype="str")
    return {lvl: int((level == lvl).sum()) for lvl in ("wijk", "buurt")}
