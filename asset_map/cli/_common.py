"""What the ``asset-map`` commands share: input options, reading, the database, safe writes."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd

from asset_map._errors import AssetMapError
from asset_map.i18n import DEFAULT_LANG, Msg, localise, t
from asset_map.io import join_figures, read_assets
from asset_map.io.area_files import read_area_files as io_read_area_files
from asset_map.model import LANGS, Lang
from asset_map.render.styles import BASEMAPS, DEFAULT_BASEMAP

if TYPE_CHECKING:
    from asset_map.storage import Store

EXIT_BAD_INPUT = 2


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--areas",
        required=True,
        type=Path,
        action="append",
        help="wijken/buurten: GeoJSON, GeoPackage, zipped Shapefile; give it once per file, "
        "e.g. twice for separate wijk and buurt files (CBS 2014)",
    )
    p.add_argument(
        "--assets",
        required=True,
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
        choices=list(BASEMAPS),
        default=DEFAULT_BASEMAP,
        help="background tiles of a written map; 'none' is fully offline",
    )


def add_gemeente_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--gemeente NAME|GMxxxx``: keep one gemeente of a national or multi-gemeente file."""
    p.add_argument(
        "--gemeente",
        metavar="NAME|GMxxxx",
        help="keep only this gemeente's wijken and buurten of the --areas files (name or GM "
        "code), and the places in or near them",
    )


def add_guess_types_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--guess-types``: places of type overig get the type a word in their name suggests."""
    p.add_argument(
        "--guess-types",
        action="store_true",
        help="give places of type 'overig' the type a word in their name or description "
        "suggests (buurthuis, huiskamer, speeltuin, school, kerk, ...); a note lists each change",
    )


def guessed_types(
    assets: gpd.GeoDataFrame, notes: list[str], args: argparse.Namespace
) -> gpd.GeoDataFrame:
    """Apply ``--guess-types`` when given: return the assets, and add its note to ``notes``."""
    if not getattr(args, "guess_types", False):
        return assets
    from asset_map.io.type_guess import apply_type_guesses

    changed, guess_notes = apply_type_guesses(assets)
    notes += guess_notes
    return changed


def add_lang_arg(
    p: argparse.ArgumentParser, what: str = "language of the output and messages (default nl)"
) -> None:
    """Add ``--lang {nl,en}``: the language of everything the command prints (Dutch default)."""
    p.add_argument("--lang", choices=list(LANGS), default=DEFAULT_LANG, help=what)


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


def unknown_codes(level: str, codes: Sequence[str], known: Sequence[str]) -> Msg:
    """Return the error for ``--wijk`` or ``--buurt`` codes that are not in the workspace.

    Parameters
    ----------
    level : {"wijk", "buurt"}
        The option, and the kind of area.
    codes : sequence of str
        The codes given that do not exist.
    known : sequence of str
        The codes there are, in the order to show them; the message lists the first 30, so
        the user can pick one.
    """
    shown = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
    key = "err.cli.unknown_wijk" if level == "wijk" else "err.cli.unknown_buurt"
    return Msg(key, codes=", ".join(codes), known=shown or Msg("note.io.none"))


def read_inputs(
    args: argparse.Namespace, *, assets_within_m: float = 0.0
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, list[str]]:
    """Read areas (with figures joined) and assets as the options say; return them and notes.

    ``args.areas`` is one path or a list of them (``--areas`` given more than once); the
    files are read one by one and put together. With ``args.gemeente`` only that gemeente's
    areas are kept, and only the assets in them or at most ``assets_within_m`` metres from
    them (a note says how many others were left out). Before reading, every ``--out*``
    option is checked against the inputs (:func:`check_outputs`): nothing is read or written
    when one would overwrite an input.
    """
    check_outputs(args)
    mapping = mapping_arg(args.mapping)
    gemeente = getattr(args, "gemeente", None)
    area_frame, notes = read_area_files(
        args.areas, mapping=mapping, crs=args.areas_crs, gemeente=gemeente
    )
    if args.figures:
        joined = join_figures(area_frame, args.figures)
        area_frame, notes = joined.frame, [*notes, *joined.notes]
    type_key = getattr(args, "type_key", None)
    layer = getattr(args, "assets_layer", None)
    if type_key:
        assets = read_assets(
            args.assets, mapping=mapping, crs=args.crs, type_key=type_key, layer=layer
        )
    else:
        from asset_map.services.sources import (
            read_any_assets,  # our formats and OpenStreetMap exports
        )

        assets = read_any_assets(args.assets, mapping=mapping, crs=args.crs, layer=layer)
    notes = [*notes, *assets.notes]
    asset_frame = guessed_types(assets.frame, notes, args)
    if gemeente:
        asset_frame, note = assets_near(asset_frame, area_frame, assets_within_m, gemeente)
        notes += [note] if note else []
    return area_frame, asset_frame, notes


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


def read_area_files(
    paths: Path | Sequence[Path],
    *,
    mapping: str | Path | None = None,
    crs: str | None = None,
    gemeente: str | None = None,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read one or more areas files and put them together; return the areas and the notes.

    See :func:`asset_map.io.area_files.read_area_files`.

    Raises
    ------
    SchemaError
        When two files hold the same area code: one of them is the wrong file, or the same
        file was given twice. The message names both files.
    """
    read = io_read_area_files(paths, mapping=mapping, crs=crs, gemeente=gemeente)
    return read.frame, read.notes


def mapping_arg(value: Path | None) -> str | Path | None:
    """Return a path to an existing file, or a preset name (e.g. ``deventer_wijkteams``)."""
    if value is None:
        return None
    return value if value.exists() or value.suffix else str(value)


#: The files an ``--out*`` option may overwrite, by option; others: any file that is no input.
OUT_SUFFIXES: dict[str, tuple[str, ...]] = {"out_map": (".html", ".htm")}


def input_paths(args: argparse.Namespace) -> list[Path]:
    """Return every file a command's options name as input (all paths but ``--out*``)."""
    found: list[Path] = []
    for name, value in vars(args).items():
        if name.startswith("out"):
            continue
        values = value if isinstance(value, list) else [value]
        found += [v for v in values if isinstance(v, Path)]
    return found


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse every ``--out*`` option that names a folder or one of the command's inputs.

    Raises
    ------
    AssetMapError
        As :func:`check_out` does.
    """
    inputs = input_paths(args)
    for name, value in vars(args).items():
        if name.startswith("out") and isinstance(value, Path):
            option = "--" + name.replace("_", "-")
            check_out(value, inputs=inputs, suffixes=OUT_SUFFIXES.get(name, ()), option=option)


def check_out(
    out: Path,
    *,
    inputs: Sequence[Path] = (),
    suffixes: Sequence[str] = (),
    option: str = "--out",
) -> None:
    """Refuse an output file that would destroy something; call it before reading anything.

    Parameters
    ----------
    out : Path
        The file the command will write.
    inputs : sequence of Path
        The files the command reads; writing over one of them is refused.
    suffixes : sequence of str
        The suffixes (lower case, with the dot) of files it may overwrite; an existing file
        with another suffix is refused. Empty: any existing file that is no input.
    option : str
        The option that named ``out``, as the message shows it.

    Raises
    ------
    AssetMapError
        When ``out`` is a folder, resolves to one of ``inputs``, or is an existing file
        whose suffix is not one of ``suffixes``.
    """
    example = "kaart" + (suffixes[0] if suffixes else (out.suffix or ".html"))
    if out.is_dir():
        raise AssetMapError(Msg("err.output.is_dir", option=option, out=str(out), example=example))
    target = out.resolve()
    for path in inputs:
        if path.resolve() == target or (path.exists() and out.exists() and out.samefile(path)):
            raise AssetMapError(
                Msg("err.output.is_input", option=option, out=str(out), example=example)
            )
    if suffixes and out.exists() and out.suffix.lower() not in suffixes:
        raise AssetMapError(
            Msg(
                "err.output.other_kind",
                option=option,
                out=str(out),
                suffixes=", ".join(suffixes),
                example=example,
            )
        )


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half file.

    Raises
    ------
    AssetMapError
        When ``path`` is a folder (the temporary file's name would be in the message).
    """
    check_out(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def add_db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database",
        help="database URL (default: $ASSET_MAP_DATABASE_URL, or "
        "SQLite in ./instance/asset_map.sqlite)",
    )
    p.add_argument(
        "--instance-dir",
        type=Path,
        default=Path("instance"),
        help="folder of the default SQLite database (default ./instance)",
    )


def open_store(args: argparse.Namespace) -> Store:
    from asset_map.storage import Store

    return Store(args.database, instance_dir=args.instance_dir)
