"""Join a CSV of key figures (CBS Kerncijfers wijken en buurten) onto areas by their code.

The CSV may use our column names (``inhabitants``, ``pct_65_plus``, ...) or any of the names
CBS and PDOK publish: StatLine/OData measures with a suffix that differs between years
(``AantalInwoners_5``, ``k_65JaarOfOuder_12``, ``HuishoudensTotaal_28`` in 2019 but ``_29`` in
2024), PDOK's snake_case and camelCase, and the old abbreviations (see
:mod:`asset_map.io.figure_names`). Figures CBS marks as secret, nil or unknown (``.``, ``x``,
``-``, empty, negative sentinels such as -99995, -99997 and -99999999) become missing, never
0, with a note.

The model keeps the shares of residents aged 65+ and of single-person households as
percentages. A source that gives them as counts (StatLine, the spreadsheets) has them turned
into percentages of the inhabitants and of the households (:func:`derive_percentages`); a
source that gives percentages (PDOK) is kept as it is, and a count only fills a percentage
the source left out. Counts are not kept: where an analysis needs one, it is the percentage
times the inhabitants or households.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, SchemaError, raise_problems
from asset_map._errors import where as _where
from asset_map.crs import require_crs
from asset_map.i18n import Msg
from asset_map.io.cells import find_column, list_some, parse_numbers, text_cell
from asset_map.io.figure_names import COUNT_65, COUNT_SINGLE, figure_columns
from asset_map.io.formats import ImportResult, read_table
from asset_map.model import AREA_LEVELS, KEY_FIGURES, area_level_of

__all__ = [
    "DERIVED",
    "derive_percentages",
    "figure_values",
    "join_figures",
    "key_figures",
]

#: CBS's mark for "nil" (``-``, also typeset as an en dash). The figure is not given, so it
#: is read as missing, like ``.`` (secret), with a note.
NIL_MARKS = frozenset({"-", "\u2013"})
#: CBS's marks for "secret" or "not available" (``.``; ``x`` in older StatLine downloads).
SECRET_MARKS = frozenset({".", "x", "X"})
#: Columns that hold the area code, in the order they are tried (lower case). ``gwb_code_10``
#: is the code column of the Kerncijfers spreadsheets (kwb-20xx).
CODE_COLUMNS = ("code", "regiocode", "wijkenenbuurten", "codering_3", "gwb_code_10")
#: Percentages derived from counts: column -> (numerator, denominator).
DERIVED = {
    "pct_65_plus": (COUNT_65, "inhabitants"),
    "pct_single_households": (COUNT_SINGLE, "households"),
}


def figure_values(
    cells: Sequence[object],
    locate: Callable[[int], str],
    column: str,
    file_name: str,
    problems: list[AssetMapError],
) -> tuple[np.ndarray, list[str]]:
    """Parse one key-figure column; secret marks and negative sentinels become NaN.

    Parameters
    ----------
    cells : sequence
        The column's cells.
    locate : callable
        Position -> ``"file, row 3, column 'x'"`` for messages.
    column : str
        The column's name in the file, for the note.
    file_name : str
        The file's name, for the note.
    problems : list
        Cells that are not numbers are appended here as :class:`SchemaError`.

    Returns
    -------
    ndarray, list of str
        The values, and a note for each kind of mark read as missing (``.``, ``-``, negative
        sentinels).
    """
    dashes = [i for i, v in enumerate(cells) if isinstance(v, str) and v.strip() in NIL_MARKS]
    if dashes:
        cells = [None if i in set(dashes) else v for i, v in enumerate(cells)]
    secret = sum(1 for v in cells if isinstance(v, str) and v.strip() in SECRET_MARKS)
    values, bad = parse_numbers(cells)
    problems.extend(
        SchemaError(Msg("err.io.figure_number", where=locate(i), value=cells[i])) for i in bad
    )
    negative = np.flatnonzero(values < 0)
    notes: list[str] = []
    if secret:
        key = "note.figures.secret_mark_one" if secret == 1 else "note.figures.secret_mark"
        notes.append(Msg(key, n=secret, column=column, file=file_name))
    if dashes:
        key = "note.figures.nil_dash_one" if len(dashes) == 1 else "note.figures.nil_dash"
        notes.append(Msg(key, n=len(dashes), column=column, file=file_name))
    if len(negative):
        values[negative] = np.nan
        key = "note.io.negative_one" if len(negative) == 1 else "note.io.negative"
        notes.append(Msg(key, n=len(negative), column=column, file=file_name))
    return values, notes


def key_figures(
    cells: pd.DataFrame,
    targets: Mapping[str, str],
    locate: Callable[[int, str], str],
    file_name: str,
    problems: list[AssetMapError],
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Parse the figure columns of a file into the model's key figures.

    Parameters
    ----------
    cells : DataFrame
        The file's columns and cells.
    targets : mapping
        What a column holds -> the column, as
        :func:`asset_map.io.figure_names.figure_columns` finds them.
    locate : callable
        ``(position, column)`` -> ``"file, row 3, column 'x'"`` for messages.
    file_name : str
        The file's name, for the notes.
    problems : list
        Cells that are not numbers are appended here as :class:`SchemaError`.

    Returns
    -------
    dict, list of str
        A key of ``model.KEY_FIGURES`` -> its values, for the figures the file gives (counts
        turned into percentages, see :func:`derive_percentages`); and the notes on what was
        read as missing.
    """
    values: dict[str, np.ndarray] = {}
    notes: list[str] = []
    for target, column in targets.items():

        def where_is(i: int, column: str = column) -> str:
            return locate(i, column)

        values[target], figure_notes = figure_values(
            list(cells[column]), where_is, column, file_name, problems
        )
        notes += figure_notes
    derived = derive_percentages(values)
    return {k: derived[k] for k in KEY_FIGURES if k in derived}, notes


def derive_percentages(values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return the figures with the percentages :data:`DERIVED` from counts where needed.

    A percentage the source gives is kept; where it is missing (or the source gives none),
    the count divided by its total fills it. A total of 0 gives no percentage (missing),
    never a division by zero.

    >>> out = derive_percentages({"count_65_plus": np.array([30.0, 5.0]),
    ...                           "inhabitants": np.array([120.0, 0.0])})
    >>> out["pct_65_plus"].tolist()
    [25.0, nan]
    """
    out = dict(values)
    for pct, (count, total) in DERIVED.items():
        if count not in values or total not in values:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(values[total] > 0, 100.0 * values[count] / values[total], np.nan)
        given = values.get(pct)
        out[pct] = ratio if given is None else np.where(np.isnan(given), ratio, given)
    return out


def join_figures(
    areas: gpd.GeoDataFrame, figures_path: str | Path, *, code_column: str | None = None
) -> ImportResult:
    """Return a copy of ``areas`` with the key figures of a CSV joined on by area code.

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas (``model.AREA_COLUMNS``), e.g. from :func:`read_areas`.
    figures_path : str or Path
        A CSV with a code column (``code``, ``regiocode``, ``WijkenEnBuurten``,
        ``Codering_3`` or ``gwb_code_10``) and key-figure columns, named in any style of
        :mod:`asset_map.io.figure_names`.
    code_column : str, optional
        The CSV's code column, when it has another name.

    Returns
    -------
    ImportResult
        ``frame`` is the areas with the figures of every area the CSV has a row for; the
        notes name areas without a row and rows without an area.

    Raises
    ------
    SchemaError
        When the CSV has no code or key-figure column, holds a code twice, a figure is not a
        number, or no code matches an area.
    """
    require_crs(areas, "areas")
    if "code" not in areas.columns:
        raise SchemaError(Msg("err.io.areas_no_code"))
    table = read_table(figures_path)
    name = table.path.name
    found_columns = ", ".join(map(str, table.frame.columns))
    if code_column is not None and code_column not in table.frame.columns:
        raise SchemaError(
            Msg("err.io.figures_no_column", name=name, column=code_column, found=found_columns)
        )
    code_col = code_column or find_column(table.frame.columns, CODE_COLUMNS)
    if code_col is None:
        raise SchemaError(Msg("err.io.figures_no_code", name=name, found=found_columns))
    targets, notes = figure_columns(table.frame.columns)
    if not targets:
        raise SchemaError(
            Msg(
                "err.io.figures_no_figures",
                name=name,
                found=found_columns,
                ours=", ".join(KEY_FIGURES),
            )
        )
    notes = table.notes + notes
    problems: list[AssetMapError] = []
    codes = [(text_cell(v) or "").upper() for v in table.frame[code_col]]
    first: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code and code in first:
            problems.append(
                SchemaError(
                    Msg(
                        "err.io.figures_code_twice",
                        where=_where(table.path, row=int(table.rows[i]), column=code_col),
                        code=code,
                        row=int(table.rows[first[code]]),
                    )
                )
            )
        first.setdefault(code, i)

    def locate(i: int, column: str) -> str:
        return _where(table.path, row=int(table.rows[i]), column=column)

    values, figure_notes = key_figures(table.frame, targets, locate, name, problems)
    notes += figure_notes
    raise_problems(problems)
    provided = [k for k in KEY_FIGURES if k in values]
    figures = pd.DataFrame({k: values[k] for k in provided}, index=codes)
    figures = figures[figures.index != ""]
    out = areas.copy()
    matched = out["code"].isin(figures.index)
    if not matched.any():
        _refuse_other_level(out, figures.index, name)
        raise SchemaError(
            Msg(
                "err.figures.no_match",
                name=name,
                n=len(figures),
                areas=len(out),
                theirs=figures.index[0] if len(figures) else "",
                ours=out["code"].iloc[0] if len(out) else "",
            )
        )
    for key in provided:
        out[key] = out[key].astype("float64") if key in out.columns else np.nan
        out.loc[matched, key] = out.loc[matched, "code"].map(figures[key]).astype("float64")
    notes += _join_notes(out, figures.index, matched, name)
    return ImportResult(out, notes)


def _refuse_other_level(areas: pd.DataFrame, codes: pd.Index, name: str) -> None:
    """Refuse figures about wijken when there are only buurten (or the other way round).

    The real cause is then the areas, not the figures file: say which level to add.
    """
    plural = {"wijk": "wijken", "buurt": "buurten"}
    ours: set[str] = set(areas.get("level", areas["code"].map(area_level_of)).dropna())
    ours &= set(plural)
    theirs = {str(area_level_of(code)) for code in codes} & set(plural)
    if ours and theirs and not ours & theirs:
        raise SchemaError(
            Msg(
                "err.figures.other_level",
                name=name,
                theirs=" / ".join(plural[lvl] for lvl in sorted(theirs, reverse=True)),
                ours=" / ".join(plural[lvl] for lvl in sorted(ours, reverse=True)),
            )
        )


def _join_notes(out: gpd.GeoDataFrame, codes: pd.Index, matched: pd.Series, name: str) -> list[str]:
    notes: list[str] = []
    without = out.loc[~matched, "code"].astype(str).tolist()
    if without:
        key = "note.figures.no_row_one" if len(without) == 1 else "note.figures.no_row"
        notes.append(Msg(key, name=name, n=len(without), some=list_some(without)))
    levels = set(out.get("level", out["code"].map(area_level_of)).dropna())
    area_codes = set(out["code"])
    gemeenten = {_gemeente_digits(c) for c in area_codes} - {None}
    other: dict[str, int] = {}
    elsewhere = 0
    unmatched = []
    for code in codes:
        if code in area_codes:
            continue
        level = area_level_of(code)
        if gemeenten and _gemeente_digits(code) not in gemeenten | {None}:
            elsewhere += 1  # a row of another gemeente (a file for all of the Netherlands)
        elif level in levels or level is None:
            unmatched.append(code)
        else:
            other[level] = other.get(level, 0) + 1
    if other:
        counts = ", ".join(f"{level}: {other[level]}" for level in AREA_LEVELS if level in other)
        notes.append(Msg("note.figures.other_levels", name=name, counts=counts))
    if elsewhere:
        key = "note.figures.other_gemeente" if elsewhere == 1 else "note.figures.other_gemeenten"
        notes.append(Msg(key, name=name, n=elsewhere))
    if unmatched:
        key = "note.figures.no_area_one" if len(unmatched) == 1 else "note.figures.no_area"
        notes.append(Msg(key, name=name, n=len(unmatched), some=list_some(unmatched)))
    return notes


def _gemeente_digits(code: object) -> str | None:
    """Return the gemeente number in a CBS code (``BU01500401`` -> ``"0150"``), or None."""
    found = re.match(r"^(?:GM|WK|BU)(\d{4})", str(code).strip().upper())
    return found.group(1) if found else None
