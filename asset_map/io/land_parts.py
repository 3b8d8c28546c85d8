"""Parts of the CBS wijk- en buurtkaart that are no neighbourhood: large water and foreign land.

CBS gives large water its own wijk and buurt, without a name and without residents (Ermelo's
Veluwemeer is wijk ``WK023399`` with buurt ``BU02339997``), and marks each area in the column
``water`` (``WATER`` in the Shapefiles): ``"JA"`` is water, ``"NEE"`` land, and ``"B"`` Belgian
territory around Baarle-Nassau; gemeente ``GM0998`` is "Buitenland" (CBS, Toelichting Wijk- en
Buurtkaart 2021, chapter 5). PDOK serves the same column in its GeoPackages and in its WFS and
OGC API answers. Such parts are left out of the area layer, with one note naming them.

Without a ``water`` column, an area without a name whose code is a CBS water code (a wijk code
ending in ``99``, a buurt code ending in ``9997``) is taken for water. A named area is never
left out on its code alone: buurt codes ending in ``99`` are common land buurten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from asset_map.i18n import Msg
from asset_map.io.cells import list_some, text_cell
from asset_map.io.formats import RawLayer

#: Values of the ``water`` column -> what the area is, for those that are no neighbourhood.
WATER_VALUES = {"JA": "water", "B": "abroad"}
#: The gemeente code CBS uses for foreign land ("Buitenland").
ABROAD_GEMEENTE = "0998"
_WATER_CODE = re.compile(r"^(?:WK\d{4}99|BU\d{4}9997)$")


def land_parts(raw: RawLayer, code_column: str, name_column: str) -> tuple[np.ndarray, list[Msg]]:
    """Return which rows are neighbourhoods, and the parts that are not.

    Parameters
    ----------
    raw : RawLayer
        The file as read.
    code_column, name_column : str
        The file's columns with the CBS code and the name.

    Returns
    -------
    ndarray of bool, list of Msg
        True for rows to keep; and for each row left out a label such as
        ``"WK023399 (water)"``, in file order.
    """
    codes = [(text_cell(v) or "").upper() for v in raw.frame[code_column]]
    names = [text_cell(v) for v in raw.frame[name_column]]
    water_column = next((str(c) for c in raw.frame.columns if str(c).lower() == "water"), None)
    marks: Sequence[str | None] = (
        [(text_cell(v) or "").upper() for v in raw.frame[water_column]]
        if water_column is not None
        else [None] * len(codes)
    )
    keep = np.ones(len(codes), dtype=bool)
    parts: list[Msg] = []
    for i, (code, name, mark) in enumerate(zip(codes, names, marks, strict=True)):
        kind = _kind(code, name, mark)
        if kind is None:
            continue
        keep[i] = False
        shown = f"{name} ({code})" if name else code
        parts.append(Msg(f"note.areas.part_{kind}", area=shown))
    return keep, parts


def _kind(code: str, name: str | None, mark: str | None) -> str | None:
    """Return ``"water"`` or ``"abroad"`` for a part that is no neighbourhood, else None."""
    if mark is not None and mark in WATER_VALUES:
        return WATER_VALUES[mark]
    if code[:2] in ("GM", "WK", "BU") and code[2:6] == ABROAD_GEMEENTE:
        return "abroad"
    if not mark and not name and _WATER_CODE.match(code):
        return "water"
    return None


def left_out_note(parts: Sequence[Msg], file_name: str) -> Msg:
    """Return the one note that names the parts left out (water, foreign land)."""
    key = "note.areas.left_out_one" if len(parts) == 1 else "note.areas.left_out"
    return Msg(key, file=file_name, n=len(parts), parts=list_some(list(parts)))
