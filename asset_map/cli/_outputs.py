"""Where the commands write: never over what the app keeps, an input, a folder, another kind.

Every output option (``--out``, ``--out-map``, ``--decisions-out``, ...) is checked before
anything is read (:func:`check_outputs`, run by :func:`asset_map.cli.main` for every
command). An output must not be

- the app's database (the SQLite file, or its ``-wal``, ``-shm`` or ``-journal`` file), or
  lie in the instance folder or the data folder (``ASSET_MAP_DATA_DIR``): what the app
  reads and keeps;
- one of the command's input files;
- a folder;
- an existing file of another kind than the command writes.

Paths are compared as the file system sees them: symbolic links resolved, and the same file
under another name found by its device and inode (:func:`same_file`), never by spelling.
Every file is written to a temporary file beside it and moved into place only when it is
complete (:func:`write_bytes_atomic`), so a failure leaves the old file or none.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.services.workspace import database_files

#: The suffixes of the files the commands write (a name suggested in a message ends in one).
OUTPUT_SUFFIXES = (".html", ".htm", ".csv", ".geojson", ".json", ".gpkg", ".pdf")
#: The files an output option may overwrite, by option; others: any file that is no input.
OUT_SUFFIXES: dict[str, tuple[str, ...]] = {"out_map": (".html", ".htm")}


@dataclass(frozen=True)
class Kept:
    """A file or folder of the app that no output may replace.

    Attributes
    ----------
    path : Path
        The file, or the folder (every file in it is kept too).
    key : str
        The text key of the refusal (``err.output.is_database``).
    folder : bool
        Whether ``path`` is a folder.
    """

    path: Path
    key: str
    folder: bool = False


def kept_by_app(database: str | None = None, *, instance_dir: Path | None = None) -> list[Kept]:
    """Return what the app reads and keeps: its database files, instance and data folders.

    Both the database a command names (``database``, ``instance_dir``) and the one of the
    settings (the app's) are kept.
    """
    files = database_files(database, instance_dir=instance_dir)
    files += [f for f in database_files(None) if f not in files]
    kept = [Kept(path, "err.output.is_database") for path in files]
    folders = [instance_dir, settings.instance_dir(), settings.data_dir()]
    seen: set[Path] = set()
    for folder in folders:
        if folder is not None and folder.resolve() not in seen:
            seen.add(folder.resolve())
            kept.append(Kept(folder, "err.output.in_app_folder", folder=True))
    return kept


def same_file(a: Path, b: Path) -> bool:
    """Tell whether two paths name one file: one resolved path, or one device and inode.

    Symbolic links are followed (also to a file that does not exist yet); a hard link to a
    file is the file itself.
    """
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: then they are not one file
        return False


def inside(path: Path, folder: Path) -> bool:
    """Tell whether ``path`` is ``folder`` or lies in it, symbolic links resolved."""
    return path.resolve().is_relative_to(folder.resolve())


def output_options(args: argparse.Namespace) -> dict[str, Path]:
    """Return the output options of a command that are given: ``{"--out": path, ...}``."""
    return {
        "--" + name.replace("_", "-"): value
        for name, value in vars(args).items()
        if _is_output(name) and isinstance(value, Path)
    }


def _is_output(name: str) -> bool:
    return name.startswith("out") or name.endswith("_out")


def input_paths(args: argparse.Namespace) -> list[Path]:
    """Return every path a command's options name as input (all paths but the outputs)."""
    found: list[Path] = []
    for name, value in vars(args).items():
        if _is_output(name):
            continue
        values = value if isinstance(value, list) else [value]
        found += [v for v in values if isinstance(v, Path)]
    return found


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse every output option that would replace something (see the module's list).

    Raises
    ------
    AssetMapError
        As :func:`check_out` does, for the first output option that is refused.
    """
    outputs = output_options(args)
    if not outputs:
        return
    inputs = input_paths(args)
    kept = kept_by_app(
        getattr(args, "database", None), instance_dir=getattr(args, "instance_dir", None)
    )
    for option, out in outputs.items():
        name = option[2:].replace("-", "_")
        check_out(out, inputs=inputs, suffixes=OUT_SUFFIXES.get(name, ()), option=option, kept=kept)


def check_out(
    out: Path,
    *,
    inputs: Sequence[Path] = (),
    suffixes: Sequence[str] = (),
    option: str = "--out",
    kept: Sequence[Kept] | None = None,
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
    kept : sequence of Kept, optional
        What the app keeps (:func:`kept_by_app`); by default that of the settings.

    Raises
    ------
    AssetMapError
        When ``out`` is a folder, is the app's database or lies in its folders, is one of
        ``inputs``, or is an existing file whose suffix is not one of ``suffixes``.
    """
    own = out.suffix.lower() if out.suffix.lower() in OUTPUT_SUFFIXES else ".html"
    example = "kaart" + (suffixes[0] if suffixes else own)
    if out.is_dir():
        raise AssetMapError(Msg("err.output.is_dir", option=option, out=str(out), example=example))
    for item in kept_by_app() if kept is None else kept:
        if inside(out, item.path) if item.folder else same_file(out, item.path):
            raise AssetMapError(
                Msg(item.key, option=option, out=str(out), kept=str(item.path), example=example)
            )
    if any(same_file(out, path) for path in inputs):
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
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file beside it; a failure leaves no file.

    The path is checked again (:func:`check_out` against the app's files), so no caller
    can write over the database, whatever it checked before.

    Raises
    ------
    AssetMapError
        When ``path`` is a folder or one of the app's files.
    """
    check_out(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
