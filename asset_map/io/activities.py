"""Read recurring activities and places' needs from CSV files into their canonical tables.

The checks are the forms' (:mod:`asset_map.rules.edits`). A bad file is refused whole: every
problem names the file, the row and the column, and says how to fix it. Kinds, target groups
and talent categories may be written as keys or as their Dutch or English labels; weekdays
as 1 (Monday) to 7 or a day name; times as ``HH:MM`` (``9.30`` is fine too).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, SchemaError, raise_problems
from asset_map._errors import where as _where
from asset_map.i18n import Joined, Msg
from asset_map.io.cells import text_cell
from asset_map.io.formats import ImportResult, Table, read_table
from asset_map.io.text_files import decode_text
from asset_map.model import ACTIVITY_COLUMNS, PLACE_NEED_COLUMNS, catalogue
from asset_map.rules.edits import Problem, activity_problems, needs_problems

#: Other spellings of the columns (lower case).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("fid", "nummer"),
    "asset_id": ("plek", "plek_id", "place_id", "asset"),
    "title": ("titel", "naam", "name"),
    "kind": ("soort", "type"),
    "weekday": ("dag", "weekdag", "day"),
    "start": ("begin", "van", "from"),
    "end": ("eind", "einde", "tot", "to", "until"),
    "target_group": ("doelgroep", "voor", "for"),
    "organiser": ("organisator", "organisatie", "organizer"),
    "contact": ("contactgegevens",),
    "description": ("beschrijving", "omschrijving", "toelichting"),
    "categories": ("categorieen", "categorieën", "talenten", "talents", "category"),
    "note": ("opmerking", "toelichting", "notitie"),
}
_SEPARATORS = (";", ",", "|")


def _word(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _words(labels: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Return key, Dutch and English label (compared loosely) -> key."""
    out: dict[str, str] = {}
    for key, (nl, en) in labels.items():
        for word in (key, nl, en):
            out.setdefault(_word(word), key)
    return out


def _kind_words() -> dict[str, str]:
    kinds = catalogue().activity_kinds
    return _words({k: (v.label_nl, v.label_en) for k, v in kinds.items()})


def _table(
    path: str | Path, required: list[str], wanted: list[str]
) -> tuple[Table, dict[str, str]]:
    """Read the CSV and find our columns in it; refuse it when a required one is missing."""
    path = Path(path)
    text, _notes = decode_text(path) if path.is_file() else ("", [])
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1:  # a header and no rows: an empty table, not an error
        delimiter = max((";", ",", "\t"), key=lines[0].count)
        header = [cell.strip() for cell in next(csv.reader([lines[0]], delimiter=delimiter))]
        frame = pd.DataFrame(columns=header, dtype=object)
        table = Table(frame, path, np.array([], dtype="int64"), [])
    else:
        table = read_table(path)
    by_lower = {str(c).strip().lower(): str(c) for c in table.frame.columns}
    found: dict[str, str] = {}
    for column in wanted:
        for name in (column, *ALIASES.get(column, ())):
            if name in by_lower and by_lower[name] not in found.values():
                found[column] = by_lower[name]
                break
    missing = [c for c in required if c not in found]
    if missing:
        found_columns = ", ".join(map(str, table.frame.columns)) or Msg("note.io.none")
        raise SchemaError(
            Msg(
                "err.io.table_columns",
                name=path.name,
                missing=", ".join(repr(c) for c in missing),
                found=found_columns,
                columns=", ".join(wanted),
            )
        )
    return table, found


#: The form's messages that read better for a cell of a file: what is wrong, and the fix.
_FILE_FIXES = {
    "edits.asset.unknown": "err.io.activity.no_asset",
    "edits.weekday.bad": "err.io.activity.weekday",
    "edits.time.bad": "err.io.activity.time",
    "edits.time.order": "err.io.activity.time_order",
}


def _located(table: Table, found: dict[str, str], i: int, problem: Problem) -> SchemaError:
    """Return a problem of row ``i`` as an error naming the file, row and column."""
    here = _where(
        table.path, row=int(table.rows[i]), column=found.get(problem.field, problem.field)
    )
    value = "" if problem.value is None else f"'{problem.value}' "
    if problem.key in _FILE_FIXES:
        fix = Msg(_FILE_FIXES[problem.key])
    else:
        keys = ", ".join(problem.allowed)
        allowed = Msg("err.io.use_one_of", keys=keys) if problem.allowed else ""
        fix = Msg("err.io.form_fix", problem=Msg(problem.key, **problem.fields), allowed=allowed)
    return SchemaError(Msg("err.io.cell", where=here, value=value, fix=fix))


def read_activities(path: str | Path) -> ImportResult:
    """Read activities from a CSV with the columns of ``model.ACTIVITY_COLUMNS``.

    ``id``, ``target_group`` (default ``iedereen``), ``organiser``, ``contact`` and
    ``description`` may be missing or empty. A missing id becomes ``activity-row<N>``.

    Returns
    -------
    ImportResult
        ``frame`` is a DataFrame with ``ACTIVITY_COLUMNS``: ``weekday`` int64 (1 = Monday),
        ``start``/``end`` ``"HH:MM"``, kind and target group as keys, the rest text.

    Raises
    ------
    SchemaError or ProblemList
        Naming file, row, column and fix of every bad cell (an unknown kind lists the
        allowed keys), or a required column that is missing, or an id given twice.
    ImportFormatError
        When the file is missing, empty or not a CSV.
    """
    required = ["asset_id", "title", "kind", "weekday", "start", "end"]
    table, found = _table(path, required, ACTIVITY_COLUMNS)
    kinds, groups = _kind_words(), _words(catalogue().target_groups)
    problems: list[AssetMapError] = []
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for i, record in enumerate(table.frame.to_dict("records")):
        values: dict[str, Any] = {c: text_cell(record[found[c]]) for c in found}
        for name, words in (("kind", kinds), ("target_group", groups)):
            if values.get(name):
                values[name] = words.get(_word(values[name]), values[name])
        cleaned, found_problems = activity_problems(values, asset_ids=None)
        problems += [_located(table, found, i, p) for p in found_problems]
        if cleaned["id"] is None:
            cleaned["id"] = f"activity-row{int(table.rows[i])}"
        rows.append(cleaned)
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row["id"] in seen:
            here = _where(table.path, row=int(table.rows[i]), column=found.get("id", "id"))
            again = Msg("err.io.activity.id_twice", where=here, id=row["id"], row=seen[row["id"]])
            problems.append(SchemaError(again))
        seen.setdefault(row["id"], int(table.rows[i]))
    raise_problems(problems)
    frame = pd.DataFrame(
        {
            c: pd.Series([r[c] for r in rows], dtype="int64" if c == "weekday" else "str")
            for c in ACTIVITY_COLUMNS
        }
    )
    return ImportResult(frame, notes)


def read_place_needs(path: str | Path) -> ImportResult:
    """Read what places ask for from a CSV with ``asset_id``, ``categories``, ``note``.

    ``categories`` holds talent categories (keys or labels) separated by ``;`` (or ``,`` or
    ``|``). A row without categories and without a note says nothing: it is left out, and
    the notes say so.

    Returns
    -------
    ImportResult
        ``frame`` is a DataFrame with ``model.PLACE_NEED_COLUMNS`` (categories as
        ``;``-joined keys), one row per place.

    Raises
    ------
    SchemaError or ProblemList
        Naming file, row and column of an unknown category (with the allowed keys), a note
        that is too long, a missing asset id, or a place given in two rows.
    """
    table, found = _table(path, ["asset_id", "categories"], PLACE_NEED_COLUMNS)
    words = _words(catalogue().talent_categories)
    problems: list[AssetMapError] = []
    rows: list[dict[str, Any]] = []
    empty: list[int] = []
    seen: dict[str, int] = {}
    for i, record in enumerate(table.frame.to_dict("records")):
        row_number = int(table.rows[i])
        asset_id = text_cell(record[found["asset_id"]])
        text = text_cell(record[found["categories"]]) or ""
        for sep in _SEPARATORS[1:]:
            text = text.replace(sep, ";")
        parts = [p.strip() for p in text.split(";") if p.strip()]
        keys = [words.get(_word(p), p) for p in parts]
        note = text_cell(record[found["note"]]) if "note" in found else None
        clean, clean_note, found_problems = needs_problems(keys, note)
        if found_problems and found_problems[0].field == "categories":
            unknown = [p for p in parts if _word(p) not in words]
            found_problems[0] = Problem(
                "categories",
                "edits.categories.unknown",
                "; ".join(unknown),
                allowed=found_problems[0].allowed,
            )
        if asset_id is None:
            found_problems.append(Problem("asset_id", "edits.asset.unknown"))
        problems += [_located(table, found, i, p) for p in found_problems]
        if asset_id is not None and asset_id in seen:
            here = _where(table.path, row=row_number, column=found["asset_id"])
            again = Msg("err.io.needs.place_twice", where=here, id=asset_id, row=seen[asset_id])
            problems.append(SchemaError(again))
        if asset_id is not None:
            seen.setdefault(asset_id, row_number)
        if not clean and not clean_note:
            empty.append(row_number)
            continue
        rows.append({"asset_id": asset_id, "categories": ";".join(clean), "note": clean_note})
    raise_problems(problems)
    notes: list[str] = []
    if empty:
        row = Msg("err.where.label.row")
        rows_left_out = Joined((Msg("note.hygiene.label", label=row, n=n) for n in empty), ", ")
        notes.append(Msg("note.io.needs_empty_rows", name=table.path.name, rows=rows_left_out))
    frame = pd.DataFrame(
        {c: pd.Series([r[c] for r in rows], dtype="str") for c in PLACE_NEED_COLUMNS}
    )
    return ImportResult(frame, notes)
