"""What the ``asset-map`` commands share: input options, loading, the database, safe writes.

The checks and the safe writes of output files are in :mod:`asset_map.cli._outputs`.

Reading files and the stored workspace is :mod:`asset_map.services.inputs`; here the options
are turned into its :class:`~asset_map.services.inputs.InputFiles`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.cli._outputs import check_outputs
from asset_map.i18n import DEFAULT_LANG, Msg, localise, t
from asset_map.model import LANGS, Lang
from asset_map.render.styles import BASEMAP_KEYS
from asset_map.services.inputs import (
    InputFiles,
    Inputs,
    mapping_arg,
    paths,
    stored_workspace,
    workspace_from_files,
)
from asset_map.services.inputs import read_inputs as read_files
from asset_map.services.workspace import Workspace
from asset_map.services.workspace import open_store as open_database

if TYPE_CHECKING:
    from asset_map.storage import Store

EXIT_BAD_INPUT = 2


def add_input_args(p: argparse.ArgumentParser) -> None:
    """Add the options of the input files, the language, the base map and the database.

    Without ``--areas`` and ``--assets`` the command reads the workspace in the database.
    """
    p.add_argument(
        "--areas",
        type=Path,
        action="append",
        help="wijken/buurten: GeoJSON, GeoPackage, zipped Shapefile; give it once per file, "
        "e.g. twice for separate wijk and buurt files (CBS 2014); without --areas and "
        "--assets the workspace in the database is read",
    )
    p.add_argument(
        "--assets",
        type=Path,
        help="assets: GeoJSON, GeoPackage, zipped Shapefile, or CSV with lat/lon or x/y",
    )
    p.add_argument(
        "--assets-layer",
        metavar="NAME",
        help="the layer to read from an assets GeoPackage with several layers",
    )
    p.add_argument("--figures", type=Path, help="CSV of key figures to join onto the areas by code")
    p.add_argument(
        "--mapping",
        type=Path,
        help="TOML mapping file for foreign columns and types, or a preset name",
    )
    p.add_argument(
        "--type",
        dest="type_key",
        metavar="KEY",
        help="give every asset this type (a type key, e.g. buurthuis), e.g. for a file "
        "without a type column",
    )
    p.add_argument("--crs", help="CRS of the assets file when it has none, e.g. EPSG:28992")
    p.add_argument("--areas-crs", help="CRS of the areas file when it has none")
    add_gemeente_arg(p)
    add_guess_types_arg(p)
    add_lang_arg(p)
    p.add_argument(
        "--basemap",
        choices=list(BASEMAP_KEYS),
        default=None,
        help="background tiles of a written map; 'none' is fully offline, 'eigen' is the tile "
        "server of ASSET_MAP_TILES_URL (default: that one when it is set, else osm)",
    )
    add_db_args(p)


def add_gemeente_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--gemeente NAME|GMxxxx``: keep one gemeente of a national or multi-gemeente file."""
    p.add_argument(
        "--gemeente",
        metavar="NAME|GMxxxx",
        help="keep only this gemeente's wijken and buurten of the --areas files (name or GM "
        "code), and the places in or near them; with the database: its gemeente",
    )


def add_guess_types_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--guess-types``: places of type overig get the type a word in their name suggests."""
    p.add_argument(
        "--guess-types",
        action="store_true",
        help="give places of type 'overig' the type a word in their name or description "
        "suggests (buurthuis, huiskamer, speeltuin, school, kerk, ...); a note lists each change",
    )


def add_lang_arg(
    p: argparse.ArgumentParser, what: str = "language of the output and messages (default nl)"
) -> None:
    """Add ``--lang {nl,en}``: the language of everything the command prints (Dutch default)."""
    p.add_argument("--lang", choices=list(LANGS), default=DEFAULT_LANG, help=what)


def add_db_args(p: argparse.ArgumentParser) -> None:
    """Add ``--database`` and ``--instance-dir``; by default the database the app uses."""
    p.add_argument(
        "--database",
        help="database URL (default: $ASSET_MAP_DATABASE_URL, or SQLite asset_map.sqlite "
        "in the instance folder)",
    )
    p.add_argument(
        "--instance-dir",
        type=Path,
        default=None,
        help="folder of the default SQLite database (default: $ASSET_MAP_INSTANCE_DIR, else "
        "instance/ in the source checkout, else ~/.local/share/asset_map: the app's database, "
        "wherever the command is started)",
    )


def open_store(args: argparse.Namespace, *, must_exist: bool = False) -> Store:
    """Open the database of ``--database`` and ``--instance-dir`` (else the settings')."""
    return open_database(args.database, instance_dir=args.instance_dir, must_exist=must_exist)


def print_note(note: object, lang: Lang) -> None:
    """Print a note on stderr after "note:" in ``lang`` ("let op:" in Dutch).

    ``note`` is an :class:`~asset_map.i18n.Msg` (shown in ``lang``) or any other text.
    """
    print(f"{t('cli.note', lang)}: {localise(note, lang)}", file=sys.stderr)


def message_of(error: BaseException) -> str:
    """Return an error's message as it was raised: its ``Msg`` (still to translate) or text.

    Use it to put one error's message inside another one's (``Msg(..., problem=...)``).
    """
    if error.args and isinstance(error.args[0], Msg):
        return error.args[0]
    return str(error)


#: Options that belong to the input files, and why they have no effect without them.
FILE_OPTIONS: dict[str, tuple[str, str]] = {
    "mapping": ("--mapping", "err.cli.why.needs_assets"),
    "type_key": ("--type", "err.cli.why.needs_assets"),
    "crs": ("--crs", "err.cli.why.needs_assets"),
    "assets_crs": ("--assets-crs", "err.cli.why.needs_assets"),
    "assets_layer": ("--assets-layer", "err.cli.why.needs_assets"),
    "guess_types": ("--guess-types", "err.cli.why.needs_assets"),
    "talents": ("--talents", "err.cli.why.needs_assets"),
    "areas_crs": ("--areas-crs", "err.cli.why.needs_areas"),
}


def input_files(args: argparse.Namespace) -> InputFiles | None:
    """Return the input files the options name, or None when the database is to be read.

    Raises
    ------
    AssetMapError
        When only one of ``--areas`` and ``--assets`` is given, or (reading the database)
        an option that belongs to the files is given: it would have no effect.
    """
    areas, assets = getattr(args, "areas", None), getattr(args, "assets", None)
    # export and report name the assets' CRS --assets-crs: their --crs is the one written
    crs_attr = "assets_crs" if hasattr(args, "assets_crs") else "crs"
    if areas is None and assets is None:
        if getattr(args, "figures", None) is not None:
            raise AssetMapError(Msg("err.cli.figures_with_database"))
        for attr, (flag, why) in FILE_OPTIONS.items():
            if attr in ("crs", "assets_crs") and attr != crs_attr:
                continue
            if getattr(args, attr, None):
                raise AssetMapError(
                    Msg("err.cli.ignored_option", command=args.command, option=flag, why=Msg(why))
                )
        return None
    if areas is None or assets is None:
        raise AssetMapError(Msg("err.cli.export.both_or_neither"))
    return InputFiles(
        areas=paths(areas),
        assets=assets,
        figures=getattr(args, "figures", None),
        talents=getattr(args, "talents", None),
        mapping=mapping_arg(getattr(args, "mapping", None)),
        assets_crs=getattr(args, crs_attr, None),
        areas_crs=getattr(args, "areas_crs", None),
        assets_layer=getattr(args, "assets_layer", None),
        type_key=getattr(args, "type_key", None),
        guess_types=bool(getattr(args, "guess_types", False)),
        gemeente=getattr(args, "gemeente", None),
    )


def read_inputs(args: argparse.Namespace, *, assets_within_m: float = 0.0) -> Inputs:
    """Read the areas (with figures joined) and the assets the options name, with notes.

    Without ``--areas`` and ``--assets``: the workspace in the database (a ``--gemeente``
    must name its gemeente). Before reading, every ``--out*`` option is checked against the
    inputs (:func:`check_outputs`): nothing is read or written when one would overwrite an
    input. See :func:`asset_map.services.inputs.read_inputs`.
    """
    check_outputs(args)
    files = input_files(args)
    if files is not None:
        return read_files(files, assets_within_m=assets_within_m)
    ws, talents = load_stored(args)
    return Inputs(ws.areas, ws.assets, list(ws.notes), talents)


def load(
    args: argparse.Namespace, *, assets_within_m: float = 0.0
) -> tuple[Workspace, pd.DataFrame | None]:
    """Return the workspace and the public talents: from the files given, else the database.

    With files and no ``--talents`` the talents are unknown (None), not zero; the notes of
    reading the files are printed. With ``--gemeente`` and files, only that gemeente's areas
    are kept, and the assets in them or at most ``assets_within_m`` metres away; the
    database holds one gemeente, so there ``--gemeente`` must name it.
    """
    files = input_files(args)
    if files is None:
        return load_stored(args)
    ws, talents = workspace_from_files(files, assets_within_m=assets_within_m)
    for note in ws.notes:
        print_note(note, args.lang)
    return ws, talents


def load_stored(args: argparse.Namespace) -> tuple[Workspace, pd.DataFrame]:
    """Return the workspace in the database (the demo on first use) and its public talents."""
    store = open_store(args)
    try:
        return stored_workspace(store, gemeente=getattr(args, "gemeente", None))
    finally:
        store.close()
