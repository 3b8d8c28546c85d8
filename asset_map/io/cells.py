"""Cells, numbers, ids and lists as the readers and their messages need them.

Pure helpers without any file format, used by the readers, the writers and the mapping
editor; also the guard against spreadsheet formulas in the CSV files written
(:func:`csv_safe_text`) and its undo on reading (:func:`csv_plain_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from asset_map.i18n import Msg

#: Cell texts that mean "no value" in a number column ("." and "x" are CBS's marks for
#: secret or unknown figures).
MISSING_TEXT = frozenset({"", ".", "x"})
#: How many items a message or note names before it says "and N more".
SHOWN = 5


def find_column(columns: Iterable[object], names: Iterable[str]) -> str | None:
    """Return the first column whose name is one of ``names`` (in their order), case aside.

    ``names`` are lower case; None when no column has one of them.
    """
    by_lower = {str(c).lower(): str(c) for c in columns}
    return next((by_lower[n] for n in names if n in by_lower), None)


def text_cell(value: object) -> str | None:
    """Return a cell as trimmed text, or None when it is empty or missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def text_series(values: Sequence[object] | pd.Series, index: pd.Index | None = None) -> pd.Series:
    """Return cells as a text column (pandas ``str`` dtype, missing as NaN)."""
    if isinstance(values, pd.Series) and _is_str(values):
        stripped = values.str.strip()
        out = stripped.where(stripped.str.len() > 0)
        return pd.Series(out.to_numpy(), index=index, dtype="str")
    return pd.Series([text_cell(v) for v in values], index=index, dtype="str")


def text_values(values: Sequence[object] | np.ndarray | pd.Series) -> list[str | None]:
    """Return :func:`text_cell` of every cell; at once for a text column of a large file."""
    if isinstance(values, pd.Series) and _is_str(values):
        stripped = values.str.strip()
        return [v if isinstance(v, str) and v else None for v in stripped.tolist()]
    return [text_cell(v) for v in values]


def _is_str(series: pd.Series) -> bool:
    """Tell whether a column holds text only (pandas ``str`` dtype, not ``object``)."""
    return isinstance(series.dtype, pd.StringDtype)


def list_some(items: Sequence[str], *, semicolons: bool = False) -> str:
    """Return the first few items joined by commas, and how many more there are.

    Two or more items give an ``i18n.Msg`` (``"a, b and 3 more"`` in English, ``"a, b en
    nog 3"`` in Dutch) whose items may be ``Msg`` themselves, such as feature labels: a
    screen shows the whole list in its reader's language. One item is returned as it is,
    none as ``""``.

    Parameters
    ----------
    items : sequence of str
        The items, in the order to show them.
    semicolons : bool
        Join with ``"; "`` instead of ``", "`` (for items that hold commas themselves).
    """
    shown = items[0] if items else ""
    for item in items[1:SHOWN]:
        if semicolons:
            shown = Msg("note.io.list_semicolon", first=shown, next=item)
        else:
            shown = Msg("note.io.list", first=shown, next=item)
    more = len(items) - SHOWN
    if more <= 0:
        return shown
    if semicolons:
        return Msg("note.io.list_semicolon_more", shown=shown, n=more)
    return Msg("note.io.list_more", shown=shown, n=more)


#: The note for ids that are missing, by row label and by one or more.
_NO_ID_KEYS = {
    ("row", True): "note.io.no_id_row_one",
    ("row", False): "note.io.no_id_rows",
    ("feature", True): "note.io.no_id_feature_one",
    ("feature", False): "note.io.no_id_features",
}


def unique_ids(
    given: Sequence[str | None], rows: np.ndarray, labels: Sequence[str], row_label: str
) -> tuple[list[str], list[str]]:
    """Return unique ids: the given ones, the row number where missing, repeats renumbered.

    Returns
    -------
    list of str, list of str
        The ids and the notes (one per renumbered id, one for all missing ids).
    """
    notes: list[str] = []
    missing = [labels[i] for i, v in enumerate(given) if v is None]
    if missing:
        key = _NO_ID_KEYS[(row_label, len(missing) == 1)]
        notes.append(Msg(key, n=len(missing), which=list_some(missing)))
    ids = [v if v is not None else str(rows[i]) for i, v in enumerate(given)]
    taken, seen, out = set(ids), set(), []
    for i, value in enumerate(ids):
        new = value
        if value in seen:
            k = 2
            while f"{value}-{k}" in taken:
                k += 1
            new = f"{value}-{k}"
            taken.add(new)
            notes.append(Msg("note.io.renumbered", label=labels[i], old=value, new=new))
        seen.add(new)
        out.append(new)
    return out, notes


def parse_number(value: object) -> float:
    """Return a cell as a float; NaN for missing. Accepts a Dutch decimal comma ("52,25").

    Raises
    ------
    ValueError
        When the text is not a number.
    """
    if value is None:
        return float("nan")
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip()
    if text.lower() in MISSING_TEXT or text.lower() == "nan":
        return float("nan")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def parse_numbers(values: Sequence[object]) -> tuple[np.ndarray, list[int]]:
    """Parse a column of cells; return the floats and the positions that are not numbers."""
    out = np.full(len(values), np.nan)
    bad = []
    for i, value in enumerate(values):
        try:
            out[i] = parse_number(value)
        except ValueError:
            bad.append(i)
    return out, bad


#: A text cell starting like this (after any ``'``) is escaped in a CSV.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def csv_safe_text(value: object) -> object:
    """Return a cell as a CSV may hold it: text a spreadsheet would run gets a ``'`` first.

    Texts starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and texts
    that already start with ``'`` followed by those, get one more ``'`` in front, so
    :func:`csv_plain_text` can always undo it. Other values are returned as they are.
    """
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def csv_plain_text(text: str) -> str:
    """Return a CSV cell's text with the ``'`` of :func:`csv_safe_text` taken off again."""
    if text.startswith("'") and _FORMULA.match(text, 1):
        return text[1:]
    return text
