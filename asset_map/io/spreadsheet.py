"""Tables for people: CSV that Dutch Excel opens in columns, and Excel files (``.xlsx``).

Dutch Excel reads a CSV with ``;`` between the cells and ``,`` before the decimals; a
comma-separated file opens as one column there. So a table for people is written
(:func:`csv_for_people`) with ``;`` and decimal commas in Dutch, with ``,`` and decimal
points in English, UTF-8 with a byte-order mark (so Excel reads the accents) and Windows
line ends. :func:`xlsx_bytes` writes the same table as an Excel workbook, numbers as
numbers (Excel shows them in the reader's own style).

Both keep the guard against formulas: text that a spreadsheet would run as a formula
(``= + - @``, tab, CR) gets a ``'`` first in CSV (:func:`asset_map.io.writers.csv_safe_frame`)
and is stored as plain text in a workbook, never as a formula.

Numbers are rounded before they are written (:func:`rounded`): metres and counts whole,
shares and weights as their columns need, coordinates to 6 decimals (10 cm).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from asset_map.io.writers import CSV_EOL, csv_safe_frame
from asset_map.model import Lang

#: Cells of a sheet name Excel refuses.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
#: The widest column set in a workbook (characters).
MAX_COLUMN_WIDTH = 60


def rounded(frame: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """Return ``frame`` with the number columns of ``decimals`` rounded; whole ones as integers.

    A missing number stays missing (an empty cell), never 0.
    """
    out = frame.copy()
    for column, places in decimals.items():
        if column not in out.columns:
            continue
        values = pd.to_numeric(out[column], errors="coerce").astype("float64")
        values = values.where(values.abs() != float("inf"))
        out[column] = values.round(places).astype("Int64") if places == 0 else values.round(places)
    return out


def csv_for_people(table: pd.DataFrame, *, lang: Lang) -> bytes:
    """Return ``table`` as CSV for a spreadsheet in ``lang``'s style (see the module).

    Dutch: ``;`` between cells and ``,`` before decimals; English: ``,`` and ``.``.
    """
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    text = csv_safe_frame(table).to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator=CSV_EOL
    )
    return text.encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, *, sheet: str) -> bytes:
    """Return ``table`` as an Excel workbook of one sheet named ``sheet``.

    The header row is bold and frozen; texts are stored as text (a text that starts with
    ``=`` is never run as a formula); numbers as numbers; missing values as empty cells.
    """
    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = (sheet.translate(_SHEET_FORBIDDEN).strip() or "Blad1")[:31]
    columns = [str(c) for c in table.columns]
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False, name=None):
        ws.append([_cell(value) for value in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it looks like a formula
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        cells = [len(column), *(len(str(v)) for v in table.iloc[:, index - 1].head(200))]
        ws.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, max(cells) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Return a value as a workbook cell takes it: numbers, text, or None for missing."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        return value.item()
    return value
