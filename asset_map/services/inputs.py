"""Load what a command works on: files (``--areas``, ``--assets``, ...) or the stored workspace.

:class:`InputFiles` names the files; :func:`read_inputs` reads them into areas (with the key
figures joined) and assets, :func:`workspace_from_files` into a
:class:`~asset_map.services.workspace.Workspace`. :func:`stored_workspace` opens the
workspace in the database instead, as the app shows it, with the public talent counts; a
``--gemeente`` must then name its gemeente (:func:`require_gemeente`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.analysis.areas import assign_areas
from asset_map.i18n import Msg
from asset_map.io import join_figures, read_assets, read_talents
from asset_map.io.area_files import read_area_files
from asset_map.io.asset_files import osm_kind, read_any_assets
from asset_map.io.cbs import GemeenteError, gemeente_code
from asset_map.services.sources import Loaded, gemeente_of, osm_source
from asset_map.services.workspace import Workspace, open_workspace
from asset_map.storage import Store


@dataclass(frozen=True)
class InputFiles:
    """The files a command reads instead of the stored workspace.

    Attributes
    ----------
    areas : tuple of Path
        Wijken and buurten, one or more files (read one by one and put together).
    assets : Path, optional
        The places: our formats or an OpenStreetMap export.
    figures : Path, optional
        A CSV of key figures to join onto the areas.
    talents : Path, optional
        Residents' talents (counted per buurt).
    mapping : str or Path, optional
        A TOML mapping file, or the name of a preset.
    assets_crs, areas_crs : str, optional
        The CRS of a file that does not say its own.
    assets_layer : str, optional
        The layer of an assets GeoPackage with several layers.
    type_key : str, optional
        Give every place this type (a file without a type column).
    guess_types : bool
        Give places of type ``overig`` the type a word in their name suggests.
    gemeente : str, optional
        Keep only this gemeente's areas (name or GM code), and the places near them.
    """

    areas: tuple[Path, ...] = ()
    assets: Path | None = None
    figures: Path | None = None
    talents: Path | None = None
    mapping: str | Path | None = None
    assets_crs: str | None = None
    areas_crs: str | None = None
    assets_layer: str | None = None
    type_key: str | None = None
    guess_types: bool = False
    gemeente: str | None = None


@dataclass
class Inputs:
    """What :func:`read_inputs` read: areas, places, notes, talents and activities.

    Talents and activities are None when not given (files without them).
    """

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    notes: list[str]
    talents: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None


def mapping_arg(value: str | Path | None) -> str | Path | None:
    """Return a path to an existing file, or a preset name (e.g. ``deventer_wijkteams``)."""
    if value is None or isinstance(value, str):
        return value
    return value if value.exists() or value.suffix else str(value)


def guessed_types(assets: gpd.GeoDataFrame, notes: list[str], *, guess: bool) -> gpd.GeoDataFrame:
    """With ``guess``, give places of type overig the type their name suggests; note it."""
    if not guess:
        return assets
    from asset_map.io.type_guess import apply_type_guesses

    changed, guess_notes = apply_type_guesses(assets)
    notes += guess_notes
    return changed


def read_inputs(files: InputFiles, *, assets_within_m: float = 0.0) -> Inputs:
    """Read the areas (with figures joined) and the assets of ``files``.

    The areas files are read one by one and put together. With ``files.gemeente`` only
    that gemeente's areas are kept, and only the assets in them or at most
    ``assets_within_m`` metres from them (a note says how many others were left out).

    Raises
    ------
    AssetMapError
        When a file cannot be read; the message names the file, the row and the column.
    """
    if not files.areas or files.assets is None:
        raise AssetMapError(Msg("err.cli.export.both_or_neither"))
    mapping = mapping_arg(files.mapping)
    read = read_area_files(
        files.areas, mapping=mapping, crs=files.areas_crs, gemeente=files.gemeente
    )
    areas, notes = read.frame, list(read.notes)
    if files.figures:
        joined = join_figures(areas, files.figures)
        areas, notes = joined.frame, [*notes, *joined.notes]
    if files.type_key:
        assets = read_assets(
            files.assets,
            mapping=mapping,
            crs=files.assets_crs,
            type_key=files.type_key,
            layer=files.assets_layer,
        )
    else:  # our formats and OpenStreetMap exports
        assets = read_any_assets(
            files.assets, mapping=mapping, crs=files.assets_crs, layer=files.assets_layer
        )
    notes += assets.notes
    places = guessed_types(assets.frame, notes, guess=files.guess_types)
    if files.gemeente:
        places, note = assets_near(places, areas, assets_within_m, files.gemeente)
        notes += [note] if note else []
    talents = read_talents(files.talents).frame if files.talents else None
    return Inputs(areas, places, notes, talents)


def assets_near(
    assets: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, within_m: float, gemeente: str
) -> tuple[gpd.GeoDataFrame, Msg | None]:
    """Keep the assets in ``areas`` or at most ``within_m`` metres (straight line) from them.

    Returns the assets kept and a note on how many were left out (None when none were).
    Measured in RD New (EPSG:28992).
    """
    if assets.empty or areas.empty:
        return assets, None
    outline = areas.to_crs(28992).geometry.union_all()
    near = assets.to_crs(28992).geometry.dwithin(outline, within_m).to_numpy(dtype=bool)
    left_out = int((~near).sum())
    if not left_out:
        return assets, None
    key = "note.cli.assets_far_from_gemeente" if within_m else "note.cli.assets_outside_gemeente"
    note = Msg(key, n=left_out, total=len(assets), gemeente=gemeente, m=f"{within_m:.0f}")
    return assets[near].copy(), note


def workspace_from_files(
    files: InputFiles, *, assets_within_m: float = 0.0
) -> tuple[Workspace, pd.DataFrame | None]:
    """Return the workspace of ``files`` and its talents (None when no talents file is given).

    Without a talents file the talents are unknown (None), not zero. The workspace is named
    after the gemeente of the areas, else ``files.gemeente``, else the first areas file.
    """
    read = read_inputs(files, assets_within_m=assets_within_m)
    assert files.assets is not None  # read_inputs refuses files without assets
    source = osm_source() if osm_kind(files.assets) else None
    entry = source or {"name": files.assets.name, "licence": "", "year": None}
    gemeente = read.areas.loc[read.areas["level"] == "gemeente", "name"]
    meta = {
        "name": str(gemeente.iloc[0]) if len(gemeente) else files.gemeente or files.areas[0].stem,
        "is_demo": False,
        "sources": [entry],
    }
    talents = read.talents
    ws = Workspace(
        areas=read.areas,
        assets=assign_areas(read.assets, read.areas),
        talents=pd.DataFrame(columns=["status"]) if talents is None else talents,
        meta=meta,
        notes=read.notes,
    )
    return ws, talents


def stored_workspace(
    store: Store, *, gemeente: str | None = None
) -> tuple[Workspace, pd.DataFrame]:
    """Return the workspace in ``store`` and its public talents (the demo's and approved ones).

    The database is seeded with the demo on first use. The database holds one gemeente: a
    ``gemeente`` given must name it (:func:`require_gemeente`).
    """
    ws = open_workspace(store)
    frames = [f for f in (ws.talents, store.public_talents()) if not f.empty]
    if gemeente:
        require_gemeente(gemeente, ws)
    return ws, pd.concat(frames, ignore_index=True) if frames else ws.talents


def require_gemeente(given: str, ws: Workspace) -> None:
    """Refuse a ``--gemeente`` that is not the gemeente of the stored workspace.

    Raises
    ------
    AssetMapError
        Naming the gemeente given and the one stored.
    """
    code = gemeente_of(Loaded(ws.areas, ws.assets, dict(ws.meta))) or ""
    name = str(ws.meta.get("name") or code)
    try:
        found = gemeente_code(given, gemeenten={code: name})
    except GemeenteError:
        found = None
    if not code or found != code:
        raise AssetMapError(
            Msg("err.cli.gemeente_other_workspace", given=given, name=name, code=code or "-")
        )


def paths(values: Path | Sequence[Path] | None) -> tuple[Path, ...]:
    """Return one path or a list of them (``--areas`` given more than once) as a tuple."""
    if values is None:
        return ()
    return (values,) if isinstance(values, Path) else tuple(values)
