"""Read residents' talents from a CSV into the canonical talent table.

Talents never hold contact data or a home location: columns that look like either (e-mail,
phone, address, postcode, coordinates) are dropped on import and the notes say so. A
talent's finest location is its ``buurt_code``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from asset_map._errors import AssetMapError, SchemaError, raise_problems
from asset_map._errors import where as _where
from asset_map.i18n import Msg
from asset_map.io.cells import text_cell, unique_ids
from asset_map.io.formats import ImportResult, read_table
from asset_map.model import BUURT_CODE, TALENT_COLUMNS, TALENT_STATUSES, WISHES, catalogue

#: Other spellings of the talent columns (lower case).
TALENT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("fid", "nummer"),
    "nickname": ("bijnaam", "roepnaam", "naam", "name"),
    "categories": ("categorieen", "categorieën", "talenten", "talents", "categorie", "category"),
    "description": ("beschrijving", "omschrijving", "toelichting"),
    "wishes": ("wensen", "wish"),
    "availability": ("beschikbaarheid", "beschikbaar"),
    "buurt_code": ("buurtcode", "buurt"),
    "status": (),
}
#: Columns that would hold contact data or a home location (lower case).
PRIVATE_COLUMNS = frozenset(
    {
        "email",
        "e-mail",
        "e_mail",
        "mail",
        "emailadres",
        "telefoon",
        "telefoonnummer",
        "phone",
        "tel",
        "mobiel",
        "adres",
        "address",
        "straat",
        "huisnummer",
        "postcode",
        "lat",
        "lon",
        "lng",
        "latitude",
        "longitude",
        "x",
        "y",
        "geometry",
        "geboortedatum",
    }
)
SEPARATORS = re.compile(r"[;,|]")
Locate = Callable[[int, str], str]


def read_talents(path: str | Path) -> ImportResult:
    """Read talents from a CSV with the columns of ``model.TALENT_COLUMNS``.

    ``categories`` and ``wishes`` hold several values separated by ``;`` (or ``,`` or
    ``|``); categories may be keys or labels of ``catalogue().talent_categories``. A
    missing ``status`` is ``pending``, so nothing reaches a public layer unapproved.

    Returns
    -------
    ImportResult
        ``frame`` is a pandas DataFrame with ``model.TALENT_COLUMNS`` (categories and wishes
        as ``;``-joined keys).

    Raises
    ------
    SchemaError
        When the categories column is missing, or a category, wish, status or buurt code is
        not known (naming row and column).
    """
    table = read_table(path)
    frame, notes = table.frame, list(table.notes)
    private = [c for c in frame.columns if str(c).strip().lower() in PRIVATE_COLUMNS]
    if private:
        frame = frame.drop(columns=private)
        notes.append(
            Msg("note.io.talents_private", columns=", ".join(private), name=table.path.name)
        )
    by_lower = {str(c).lower(): str(c) for c in frame.columns}
    found = {}
    for column in TALENT_COLUMNS:
        for name in (column, *TALENT_ALIASES[column]):
            if name in by_lower:
                found[column] = by_lower[name]
                break
    if "categories" not in found:
        raise SchemaError(
            Msg(
                "err.io.talents_no_categories",
                name=table.path.name,
                found=", ".join(map(str, frame.columns)),
                examples=", ".join(list(catalogue().talent_categories)[:3]),
            )
        )
    problems: list[AssetMapError] = []

    def cells(column: str) -> list[str | None]:
        their = found.get(column)
        return [text_cell(v) for v in frame[their]] if their else [None] * len(frame)

    def locate(i: int, column: str) -> str:
        return _where(table.path, row=int(table.rows[i]), column=found[column])

    row = Msg("err.where.label.row")
    labels = [Msg("note.hygiene.label", label=row, n=n) for n in table.rows]
    ids, id_notes = unique_ids(cells("id"), table.rows, labels, "row")
    notes += id_notes
    category_words = _category_words()
    wish_words = {_word(w): w for w in WISHES}
    out = {
        "id": ids,
        "nickname": cells("nickname"),
        "categories": _keys(
            cells("categories"),
            category_words,
            Msg("err.io.what.talent_category"),
            lambda i: locate(i, "categories"),
            problems,
        ),
        "description": cells("description"),
        "wishes": _keys(
            cells("wishes"),
            wish_words,
            Msg("err.io.what.wish"),
            lambda i: locate(i, "wishes"),
            problems,
        ),
        "availability": cells("availability"),
        "buurt_code": _buurt_codes(cells("buurt_code"), locate, problems),
        "status": _statuses(cells("status"), locate, problems),
    }
    raise_problems(problems)
    result = pd.DataFrame({c: pd.Series(out[c], dtype="str") for c in TALENT_COLUMNS})
    return ImportResult(result, notes)


def _category_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for key, (label_nl, label_en) in catalogue().talent_categories.items():
        for word in (key, label_nl, label_en):
            words.setdefault(_word(word), key)
    return words


def _word(text: str) -> str:
    """Return a category or wish as compared: lower case, underscores as spaces."""
    return " ".join(text.lower().replace("_", " ").split())


def _keys(
    values: list[str | None],
    words: dict[str, str],
    what: Msg,
    locate: Callable[[int], str],
    problems: list[AssetMapError],
) -> list[str | None]:
    """Split ``;``-separated values and map each to its key; unknown ones are problems."""
    allowed = ", ".join(dict.fromkeys(words.values()))
    out = []
    for i, value in enumerate(values):
        keys = []
        for part in SEPARATORS.split(value or ""):
            word = _word(part)
            if not word:
                continue
            if word not in words:
                unknown = Msg(
                    "err.io.talents_unknown_key",
                    where=locate(i),
                    what=what,
                    value=part.strip(),
                    allowed=allowed,
                )
                problems.append(SchemaError(unknown))
            elif words[word] not in keys:
                keys.append(words[word])
        out.append(";".join(keys) or None)
    return out


def _buurt_codes(
    values: list[str | None], locate: Locate, problems: list[AssetMapError]
) -> list[str | None]:
    out = []
    for i, value in enumerate(values):
        code = value.upper() if value else None
        if code and not BUURT_CODE.match(code):
            here = locate(i, "buurt_code")
            problems.append(SchemaError(Msg("err.io.talents_buurt_code", where=here, value=value)))
        out.append(code)
    return out


def _statuses(values: list[str | None], locate: Locate, problems: list[AssetMapError]) -> list[str]:
    out = []
    for i, value in enumerate(values):
        status = (value or "pending").lower()
        if status not in TALENT_STATUSES:
            allowed = ", ".join(TALENT_STATUSES)
            here = locate(i, "status")
            unknown = Msg("err.io.talents_status", where=here, value=value, allowed=allowed)
            problems.append(SchemaError(unknown))
        out.append(status)
    return out
