"""Tables with numbers as the reader writes them: ``1.410``, ``579``, ``70,4`` in Dutch.

``st.dataframe`` shows numbers the programmer's way (``579.3``, ``0.23``), whatever the
language. :func:`readable` turns the number columns into text in the reader's language,
rounded as the column needs (metres whole, percentages one decimal), and right-aligned so
they still line up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from asset_map.i18n import number, percent
from asset_map.model import Lang
from asset_map.services.spreadsheets import FORMATS, MIME, spreadsheet_bytes
from asset_map.ui.state import current_lang, tr

#: How a column is shown: a number of decimals, or ``"share"`` (0-1 as a percentage with one
#: decimal, without the sign: the header says "%").
Shown = int | str


def _text(value: object, how: Shown, lang: Lang, unknown: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return unknown
    if not isinstance(value, int | float):
        return str(value)
    if how == "share":
        return percent(float(value), lang, share=True).removesuffix("%")
    return number(float(value), lang, decimals=int(how))


def readable(
    frame: pd.DataFrame, columns: Mapping[str, Shown], lang: Lang, *, unknown: str = "–"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return ``frame`` with ``columns`` as text in ``lang``, and the column settings.

    Parameters
    ----------
    frame : DataFrame
        The table; other columns are left as they are.
    columns : mapping
        Column -> decimals (``0`` for counts and metres, ``1`` for figures) or ``"share"``.
    lang : {"nl", "en"}
        The reader's language.
    unknown : str
        Shown for a missing number (never 0).

    Returns
    -------
    (DataFrame, dict)
        The table to show and the ``column_config`` for ``st.dataframe`` (right-aligned).
    """
    out = frame.copy()
    config: dict[str, Any] = {}
    for column, how in columns.items():
        if column not in out.columns:
            continue
        out[column] = [_text(v, how, lang, unknown) for v in out[column].tolist()]
        config[column] = st.column_config.TextColumn(alignment="right")
    return out, config


def spreadsheet_buttons(
    columns: Sequence[Any], table: Callable[[], pd.DataFrame], *, stem: str, sheet: str, key: str
) -> None:
    """Offer a table for people as Excel (``.xlsx``) and as CSV for Excel, one per column.

    ``table`` makes the table (headers in the reader's language) when a button is clicked,
    not on every run. The CSV is in Dutch Excel's style when the language is Dutch.
    """
    lang = current_lang()
    for column, fmt in zip(columns, FORMATS, strict=False):
        column.download_button(
            tr(f"sheet.download.{fmt}"),
            data=lambda fmt=fmt: spreadsheet_bytes(table(), fmt=fmt, lang=lang, sheet=sheet),
            file_name=f"{stem}.{fmt}",
            mime=MIME[fmt],
            on_click="ignore",
            icon="📊" if fmt == "xlsx" else "📄",
            key=f"{key}_{fmt}",
        )
