"""Import limits: refuse a file too large before reading it, and cut texts that are too long.

The limits (:func:`asset_map.settings.import_limits`) are set far above what a gemeente has
(500 MB, 2 million features, 50 layers), so only a wrong file or a deliberate attack meets
them. They are checked as early as the file allows: its size before anything is read, its
layers and its number of features from what GDAL knows of the file (its header, or one
streaming pass) before the features are read. A text longer than its limit (a name over 200
characters, a description over 10,000) is cut, and a note names the rows concerned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from asset_map import settings
from asset_map._errors import ImportFormatError
from asset_map.i18n import Msg
from asset_map.io.cells import list_some
from asset_map.model import ASSET_FIELDS
from asset_map.settings import ImportLimits

#: Text columns of a place (``model.ASSET_FIELDS``): the name, cut at the limit of names, and
#: the others, cut at the limit of texts.
NAME_COLUMNS = ("name",)
TEXT_COLUMNS = tuple(
    n for n, f in ASSET_FIELDS.items() if f.kind == "text" and n not in NAME_COLUMNS
)


def limits_now() -> ImportLimits:
    """Return the import limits of the settings (read each time: a test may change them)."""
    return settings.import_limits()


def check_size(path: Path, limits: ImportLimits | None = None) -> None:
    """Refuse a file larger than the limit, before anything of it is read.

    Raises
    ------
    ImportFormatError
        Naming the file's size, the limit and the setting that raises it.
    """
    limit = (limits or limits_now()).file_bytes
    size = path.stat().st_size
    _refuse_over(path, "err.limits.file_size", size, limit, settings.MAX_FILE_MB_ENV, shown=_mb)


def check_layers(path: Path, count: int, limits: ImportLimits | None = None) -> None:
    """Refuse a GeoPackage or zip with more layers than the limit, before reading any.

    Raises
    ------
    ImportFormatError
        Naming the number of layers, the limit and the setting.
    """
    limit = (limits or limits_now()).layers
    _refuse_over(path, "err.limits.layers", count, limit, settings.MAX_LAYERS_ENV)


def check_features(
    path: Path, count: int, limits: ImportLimits | None = None, *, counted_to: bool = False
) -> None:
    """Refuse a file (or layer) with more features or rows than the limit.

    ``counted_to``: ``count`` is where counting stopped (a file read as it streams in is
    read only up to the limit), so the message says "more than the limit".

    Raises
    ------
    ImportFormatError
        Naming the number of features, the limit and the setting.
    """
    key = "err.limits.features_more" if counted_to else "err.limits.features"
    limit = (limits or limits_now()).features
    _refuse_over(path, key, count, limit, settings.MAX_FEATURES_ENV)


def _refuse_over(
    path: Path, key: str, count: int, limit: int, env: str, *, shown: Callable[[int], object] = int
) -> None:
    """Raise message ``key`` when ``count`` is over ``limit`` (the setting ``env`` raises it).

    The message shows both numbers as ``shown`` gives them (megabytes for a file's size).
    """
    if count > limit:
        raise ImportFormatError(
            Msg(key, path=path.name, n=shown(count), limit=shown(limit), env=env)
        )


def cut_texts(
    frame: pd.DataFrame,
    path_name: str,
    *,
    labels: Sequence[str] | None = None,
    limits: ImportLimits | None = None,
    names: Sequence[str] = NAME_COLUMNS,
    texts: Sequence[str] = TEXT_COLUMNS,
) -> tuple[pd.DataFrame, list[str]]:
    """Return ``frame`` with its too long texts cut, and a note per column that was cut.

    The ``names`` columns (a place's ``name``) are cut at ``limits.name_chars``, the
    ``texts`` columns (``description``, ``address``, ``tags``, ``source``,
    ``opening_hours``) at ``limits.text_chars``; a cut text ends in ``…``. ``labels`` name
    the rows in the notes (feature or row numbers); by default their ids.
    """
    limits = limits or limits_now()
    notes: list[str] = []
    out = frame
    for column in (*names, *texts):
        if column not in frame.columns:
            continue
        limit = limits.name_chars if column in names else limits.text_chars
        lengths = frame[column].str.len() if _is_text(frame[column]) else None
        if lengths is None:
            continue
        long = (lengths > limit).to_numpy(dtype=bool, na_value=False)
        if not long.any():
            continue
        if out is frame:
            out = frame.copy()
        cut = out.loc[long, column].str.slice(0, limit - 1) + "…"
        out.loc[long, column] = cut
        which = list(labels) if labels is not None else frame.get("id", frame.index).tolist()
        shown = [str(which[i]) for i in long.nonzero()[0]]
        notes.append(
            Msg(
                "note.limits.cut",
                path=path_name,
                column=column,
                n=int(long.sum()),
                limit=limit,
                which=list_some(shown),
            )
        )
    return out, notes


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or series.dtype == object


def _mb(size: int) -> str:
    return str(round(size / 1_000_000)) if size >= 1_000_000 else "<1"
