"""One hierarchy of errors, all subclasses of ``ValueError``.

Every error that is caused by a user's input carries *where* the problem is (the file, the
row or feature, the column) and a message that says how to fix it. The CLI prints the
message on stderr; the app shows it in a red box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from asset_map.i18n import Msg


class AssetMapError(ValueError):
    """Base class of every error this package raises on bad input."""


class CRSError(AssetMapError):
    """A coordinate reference system is missing, unknown or does not match."""


class SchemaError(AssetMapError):
    """A column is missing or holds values that do not fit our schema."""


class ImportFormatError(AssetMapError):
    """A file cannot be read: wrong format, broken content, empty, or no geometry."""


class MappingError(AssetMapError):
    """A mapping file is malformed or refers to columns or types that do not exist."""


class DownloadError(AssetMapError):
    """A download failed: no connection, an HTTP error, or an answer that is not the API's.

    Raised with a :class:`asset_map.i18n.Msg` whose first line says in plain words what
    failed and what to do; the lines after it hold the technical detail (URL, reason).
    """


class OverpassError(DownloadError):
    """The Overpass API cannot be reached, refused the query or answered with an error.

    Raised with a :class:`asset_map.i18n.Msg` like :class:`DownloadError`: a plain first
    line, then the technical detail.
    """


class ProblemList(AssetMapError):
    """Several problems found in one file, raised once so the user can fix them all at once.

    Parameters
    ----------
    problems : list of AssetMapError
        The problems, in the order they were found.
    """

    def __init__(self, problems: list[AssetMapError]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:20])
        more = f"\n- ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problems:\n{shown}{more}")


def raise_problems(problems: Sequence[AssetMapError]) -> None:
    """Raise the one problem, or a :class:`ProblemList` of several; do nothing if none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ProblemList(list(problems))


def missing_columns(absent: Sequence[str], what: Msg, fix: object = "") -> Msg:
    """Return ``The assets have no column 'x', 'y'.`` and the fix, in any language.

    Parameters
    ----------
    absent : sequence of str
        The columns that are not there.
    what : Msg
        The table, as a noun (``Msg("err.what.assets")``).
    fix : Msg or str
        What to do, a sentence after a space (``Msg("err.columns.fix.assign_areas")``).
    """
    shown = ", ".join(repr(c) for c in absent)
    return Msg("err.columns.missing", what=what, columns=shown, fix=fix)


def require_columns(
    columns: Iterable[object], needed: Iterable[str], what: Msg, fix: object = ""
) -> None:
    """Raise a :class:`SchemaError` naming every column of ``needed`` not in ``columns``.

    See :func:`missing_columns` for ``what`` and ``fix``.
    """
    have = set(columns)
    absent = [c for c in needed if c not in have]
    if absent:
        raise SchemaError(missing_columns(absent, what, fix))


def where(
    path: str | Path | None,
    *,
    row: int | None = None,
    column: str | None = None,
    row_label: str = "row",
) -> Msg:
    """Return a location like ``"assets.csv, row 12, column 'type'"``, in any language.

    Parameters
    ----------
    path : str or Path or None
        The file. Only its name is shown.
    row : int, optional
        The 1-based row (CSV, counting the header as row 1) or feature number.
    column : str, optional
        The column in the file, with its name as the file spells it.
    row_label : str
        ``"row"`` for tables, ``"feature"`` for GeoJSON, GeoPackage and Shapefile.

    Returns
    -------
    Msg
        English as a plain ``str``; ``i18n.localise`` gives it in Dutch.
    """
    parts = [
        name
        for name, value in (("file", path), ("row", row), ("column", column))
        if value is not None
    ]
    fields: dict[str, object] = {}
    if path is not None:
        fields["path"] = Path(path).name
    if row is not None:
        fields["row"] = row
        fields["row_label"] = Msg(f"err.where.label.{row_label}")
    if column is not None:
        fields["column"] = column
    if not parts:
        return Msg("err.where.file", path="")
    return Msg("err.where." + "_".join(parts), **fields)
