"""Read wijken and buurten (areas with key figures) into the canonical area layer."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, SchemaError
from asset_map.crs import STORAGE_CRS, to_storage_crs
from asset_map.io.figures import figure_values
from asset_map.io.formats import ImportResult, RawLayer, raise_problems, read_raw, text_cell
from asset_map.io.hygiene import clean_polygons, feature_labels, outside_nl_problem
from asset_map.io.mapping import Mapping, detect_areas_preset, load_mapping, resolve_columns
from asset_map.model import AREA_COLUMNS, AREA_LEVELS, KEY_FIGURES, area_level_of, parent_code_of

OURS = [c for c in AREA_COLUMNS if c != "geometry"]


def read_areas(
    path: str | Path,
    *,
    mapping: Mapping | str | Path | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> ImportResult:
    """Read wijken, buurten (or gemeenten) from GeoJSON, GeoPackage or zipped Shapefile.

    Parameters
    ----------
    path : str or Path
        The file; its format follows from the extension.
    mapping : Mapping or str or Path, optional
        A mapping file or preset name. Without one, the CBS layouts that ship as presets
        (``cbs_2014``, ``pdok_wijkenbuurten``, ``cbs_shape_old``) are recognised by their
        columns, and otherwise our column names and their aliases are used.
    crs : str, optional
        The CRS of a file that does not say its own.
    layer : str, optional
        The layer of a GeoPackage (or Shapefile in a zip).

    Returns
    -------
    ImportResult
        ``frame`` has ``model.AREA_COLUMNS`` with valid (multi)polygons in EPSG:4326; key
        figures CBS keeps secret are missing (NaN). ``notes`` say what was repaired, dropped
        or assumed.

    Raises
    ------
    AssetMapError
        A subclass naming the file, feature and column when the file is refused.
    """
    given = load_mapping(mapping) if mapping is not None else None
    raw = read_raw(path, crs=crs, layer=layer)
    notes = list(raw.notes)
    loaded = given if given and given.section("areas", raw.path.name, notes) else None
    if loaded is None:
        loaded = detect_areas_preset(raw.frame.columns)
        if loaded is not None:
            notes.append(f"Recognised the columns of {loaded.title}: used mapping '{loaded.name}'.")
    spec = loaded.areas if loaded else None
    found, column_notes = resolve_columns(
        spec, raw.frame.columns, OURS, mapping_name=loaded.name if loaded else ""
    )
    notes += column_notes
    missing = [c for c in ("code", "name") if c not in found]
    if missing:
        raise SchemaError(
            f"{raw.path.name}: no {' and no '.join(missing)} column. Found the columns: "
            f"{', '.join(map(str, raw.frame.drop(columns='geometry').columns)) or 'none'}. "
            "Areas need a CBS code (e.g. BU01500401) and a name: call the columns 'code' and "
            "'name', or map them in a mapping file: [areas.columns] code = \"<your column>\"."
        )
    problems: list[AssetMapError] = []
    codes = _codes(raw, found["code"], problems)
    names = [text_cell(v) for v in raw.frame[found["name"]]]
    labels = feature_labels(raw, names)
    for i in [i for i, name in enumerate(names) if name is None]:
        names[i] = codes[i]
        notes.append(f"{labels[i]} has no name; named it by its code '{codes[i]}'.")
    columns: dict[str, object] = {
        "code": codes,
        "name": names,
        "level": _levels(raw, codes, found.get("level"), problems),
        "parent_code": _parents(raw, codes, found.get("parent_code")),
    }
    for figure in KEY_FIGURES:
        their = found.get(figure)
        if their is None:
            columns[figure] = np.full(len(raw.frame), np.nan)
            continue

        def locate(i: int, column: str = their) -> str:
            return raw.where(i, column)

        columns[figure], figure_notes = figure_values(
            raw.frame[their].tolist(), locate, their, raw.path.name, problems
        )
        notes += figure_notes
    storage = to_storage_crs(raw.frame, raw.path.name)
    outside = outside_nl_problem(raw, storage, labels)
    if outside is not None:
        problems.append(outside)
    raise_problems(problems)
    frame = gpd.GeoDataFrame(
        {c: pd.Series(columns[c], dtype="float64" if c in KEY_FIGURES else "str") for c in OURS},
        geometry=storage.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )
    frame, geometry_notes = clean_polygons(frame, labels, raw.path.name)
    return ImportResult(frame.reset_index(drop=True)[AREA_COLUMNS], notes + geometry_notes)


def _codes(raw: RawLayer, their: str, problems: list[AssetMapError]) -> list[str | None]:
    codes = [(text_cell(v) or "").upper() or None for v in raw.frame[their]]
    first: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code is None:
            problems.append(
                SchemaError(
                    f"{raw.where(i, their)}: no code. Every area needs its CBS code "
                    "(e.g. WK015004 or BU01500401)."
                )
            )
        elif code in first:
            problems.append(
                SchemaError(
                    f"{raw.where(i, their)}: code '{code}' is also the code of {raw.row_label} "
                    f"{raw.rows[first[code]]}. Each area needs its own code; merge the two parts "
                    "into one (multi)polygon."
                )
            )
        else:
            first[code] = i
    return codes


def _levels(
    raw: RawLayer, codes: list[str | None], their: str | None, problems: list[AssetMapError]
) -> list[str | None]:
    given = [text_cell(v) for v in raw.frame[their]] if their else [None] * len(codes)
    levels = []
    for i, (code, value) in enumerate(zip(codes, given, strict=True)):
        level = value.lower() if value else (area_level_of(code) if code else None)
        if value and level not in AREA_LEVELS:
            problems.append(
                SchemaError(
                    f"{raw.where(i, their)}: unknown level '{value}'. Use one of: "
                    f"{', '.join(AREA_LEVELS)}."
                )
            )
        elif code and level is None:
            problems.append(
                SchemaError(
                    f"{raw.where(i)}: cannot tell whether '{code}' is a gemeente, wijk or buurt "
                    "(CBS codes start with GM, WK or BU). Use CBS codes or add a level column."
                )
            )
        levels.append(level)
    return levels


def _parents(raw: RawLayer, codes: list[str | None], their: str | None) -> list[str | None]:
    given = [text_cell(v) for v in raw.frame[their]] if their else [None] * len(codes)
    return [
        value.upper() if value else (parent_code_of(code) if code else None)
        for code, value in zip(codes, given, strict=True)
    ]
