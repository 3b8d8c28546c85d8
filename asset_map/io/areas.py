"""Read wijken and buurten (areas with key figures) into the canonical area layer."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, SchemaError, raise_problems
from asset_map.crs import STORAGE_CRS, to_storage_crs
from asset_map.i18n import Msg
from asset_map.io.cells import find_column, list_some, text_cell
from asset_map.io.figure_names import figure_columns
from asset_map.io.figures import key_figures
from asset_map.io.file_facts import CODE_COLUMNS as GEMEENTE_CODE_COLUMNS
from asset_map.io.file_facts import NAME_COLUMNS as GEMEENTE_NAME_COLUMNS
from asset_map.io.formats import ImportResult, RawLayer, list_layers, read_raw
from asset_map.io.hygiene import clean_polygons, feature_labels, outside_nl_problem
from asset_map.io.land_parts import land_parts, left_out_note
from asset_map.io.limits import cut_texts
from asset_map.io.mapping import Mapping, detect_areas_preset, load_mapping, resolve_columns
from asset_map.model import AREA_COLUMNS, AREA_LEVELS, KEY_FIGURES, area_level_of, parent_code_of

OURS = [c for c in AREA_COLUMNS if c != "geometry"]


def read_areas(
    path: str | Path,
    *,
    mapping: Mapping | str | Path | None = None,
    crs: str | None = None,
    layer: str | None = None,
    gemeente: str | None = None,
) -> ImportResult:
    """Read wijken and buurten (and gemeenten) from GeoJSON, GeoPackage or zipped Shapefile.

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
        The layer of a GeoPackage (or Shapefile in a zip). Without one, a file with several
        layers is read by its wijken and buurten layers (both, when it has both: e.g. PDOK's
        ``gemeenten``, ``wijken``, ``buurten``), else by its first layer.
    gemeente : str, optional
        Keep only the wijken and buurten of this gemeente: a CBS code (``GM0150``, ``0150``)
        or a name (``Deventer``, matched on a ``gemeentenaam`` column). For a national file.

    Returns
    -------
    ImportResult
        ``frame`` has ``model.AREA_COLUMNS`` with valid (multi)polygons in EPSG:4326; key
        figures are recognised in every style CBS and PDOK name them
        (:mod:`asset_map.io.figure_names`), and those CBS keeps secret are missing (NaN).
        Large water and foreign land (CBS's ``water`` column, see
        :mod:`asset_map.io.land_parts`) are left out, named in one note. ``notes`` say what
        was repaired, dropped or assumed.

    Raises
    ------
    AssetMapError
        A subclass naming the file, feature and column when the file is refused; also when
        the result holds no wijk and no buurt, or no area of ``gemeente``.
    """
    path = Path(path)
    layers = [layer] if layer is not None else area_layers(path)
    names: list[str | None] = [*layers] or [None]
    read = [
        _read_layer(path, mapping=mapping, crs=crs, layer=name, gemeente=gemeente) for name in names
    ]
    parts = [part for part, _left_out in read]
    notes = [note for part in parts for note in part.notes]
    left_out = [label for _part, labels in read for label in labels]
    if left_out:  # one note for every layer: water and foreign parts are no neighbourhoods
        notes.append(left_out_note(left_out, path.name))
    if len(parts) > 1:
        notes.insert(0, Msg("note.areas.layers_read", file=path.name, layers=", ".join(layers)))
        frame = gpd.GeoDataFrame(
            pd.concat([part.frame for part in parts], ignore_index=True),
            geometry="geometry",
            crs=STORAGE_CRS,
        )
    else:
        frame = parts[0].frame
    if not frame["level"].isin(["wijk", "buurt"]).any():
        counts = frame["level"].value_counts()
        found = ", ".join(f"{n} {PLURALS.get(str(lvl), lvl)}" for lvl, n in counts.items()) or "-"
        raise SchemaError(
            Msg(
                "err.areas.no_wijken_buurten",
                file=path.name,
                found=found,
                layers=", ".join(list_layers(path)) or "-",
            )
        )
    return ImportResult(frame, notes)


def area_layers(path: Path) -> list[str]:
    """Return the wijken and buurten layers of a file with several layers, else []."""
    if path.suffix.lower() not in (".gpkg", ".zip") or not path.is_file():
        return []
    try:
        layers = list_layers(path)
    except AssetMapError:
        return []  # the reader gives the precise error
    if len(layers) < 2:
        return []
    low = [name.lower() for name in layers]
    wijken = [n for n, lo in zip(layers, low, strict=True) if "wijk" in lo and "buurt" not in lo]
    buurten = [n for n, lo in zip(layers, low, strict=True) if "buurt" in lo and "wijk" not in lo]
    return wijken[:1] + buurten[:1]


def _read_layer(
    path: Path,
    *,
    mapping: Mapping | str | Path | None,
    crs: str | None,
    layer: str | None,
    gemeente: str | None,
) -> tuple[ImportResult, list[Msg]]:
    """Read one layer; return it and the labels of the parts left out (water, abroad)."""
    given = load_mapping(mapping) if mapping is not None else None
    raw = read_raw(path, crs=crs, layer=layer)
    notes = list(raw.notes)
    loaded = given if given and given.section("areas", raw.path.name, notes) else None
    if loaded is None:
        loaded = detect_areas_preset(raw.frame.columns)
        if loaded is not None:
            notes.append(Msg("note.areas.preset", title=loaded.title, name=loaded.name))
    spec = loaded.areas if loaded else None
    found, column_notes = resolve_columns(
        spec, raw.frame.columns, OURS, mapping_name=loaded.name if loaded else ""
    )
    notes += column_notes
    missing = [c for c in ("code", "name") if c not in found]
    if missing:
        columns_found = ", ".join(map(str, raw.frame.drop(columns="geometry").columns))
        fields = {"path": raw.path.name, "columns": columns_found or Msg("note.io.none")}
        if len(missing) == 2:
            raise SchemaError(Msg("err.io.areas_no_code_name", **fields))
        raise SchemaError(Msg("err.io.areas_no_column", column=missing[0], **fields))
    if gemeente is not None:
        raw, kept_note = _only_gemeente(raw, gemeente, found["code"])
        notes.append(kept_note)
    keep, left_out = land_parts(raw, found["code"], found["name"])
    if left_out:
        raw = RawLayer(
            raw.frame[keep].reset_index(drop=True),
            raw.path,
            raw.rows[keep],
            raw.row_label,
            raw.notes,
        )
    problems: list[AssetMapError] = []
    codes = _codes(raw, found["code"], problems)
    names = [text_cell(v) for v in raw.frame[found["name"]]]
    labels = feature_labels(raw, names)
    for i in [i for i, name in enumerate(names) if name is None]:
        names[i] = codes[i]
        notes.append(Msg("note.io.area_unnamed", label=labels[i], code=codes[i]))
    columns: dict[str, object] = {
        "code": codes,
        "name": names,
        "level": _levels(raw, codes, found.get("level"), problems),
        "parent_code": _parents(raw, codes, found.get("parent_code")),
    }
    targets, twice_notes = figure_columns(raw.frame.columns)
    explicit = spec.columns if spec is not None else {}
    targets.update({k: found[k] for k in KEY_FIGURES if k in explicit and k in found})
    figures, figure_notes = key_figures(raw.frame, targets, raw.where, raw.path.name, problems)
    notes += twice_notes + figure_notes
    for figure in KEY_FIGURES:
        columns[figure] = figures.get(figure, np.full(len(raw.frame), np.nan))
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
    frame, cut_notes = cut_texts(frame, raw.path.name, labels=labels, texts=())
    frame, geometry_notes = clean_polygons(frame, labels, raw.path.name)
    result = ImportResult(
        frame.reset_index(drop=True)[AREA_COLUMNS], notes + cut_notes + geometry_notes
    )
    return result, left_out


PLURALS = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def _only_gemeente(raw: RawLayer, gemeente: str, code_column: str) -> tuple[RawLayer, Msg]:
    """Keep the rows of one gemeente (code or name); refuse when none match."""
    code_col = find_column(raw.frame.columns, GEMEENTE_CODE_COLUMNS)
    name_col = find_column(raw.frame.columns, GEMEENTE_NAME_COLUMNS)
    text = gemeente.strip()
    number = re.fullmatch(r"(?:GM)?(\d{1,4})", text, flags=re.IGNORECASE)
    if number:
        wanted = f"GM{int(number.group(1)):04d}"
        if code_col is not None:
            theirs = [(text_cell(v) or "").upper() for v in raw.frame[code_col]]
        else:  # the gemeente's digits are in every CBS area code
            codes = [(text_cell(v) or "").upper() for v in raw.frame[code_column]]
            theirs = [f"GM{c[2:6]}" if c[:2] in ("WK", "BU", "GM") else "" for c in codes]
        mask = np.array([c == wanted for c in theirs], dtype=bool)
        label = wanted
        examples = sorted({c for c in theirs if c})
    else:
        if name_col is None:
            raise SchemaError(Msg("err.areas.no_gemeente_column", file=raw.path.name))
        names = [(text_cell(v) or "") for v in raw.frame[name_col]]
        mask = np.array([n.casefold() == text.casefold() for n in names], dtype=bool)
        label = names[int(np.argmax(mask))] if mask.any() else text
        examples = sorted({n for n in names if n})
    if not mask.any():
        raise SchemaError(
            Msg(
                "err.areas.no_gemeente_match",
                file=raw.path.name,
                gemeente=text,
                examples=list_some(examples) or "-",
            )
        )
    kept = RawLayer(
        raw.frame[mask].reset_index(drop=True), raw.path, raw.rows[mask], raw.row_label, raw.notes
    )
    note = Msg(
        "note.areas.gemeente_kept",
        file=raw.path.name,
        n=int(mask.sum()),
        gemeente=label,
        other=int((~mask).sum()),
    )
    return kept, note


def _codes(raw: RawLayer, their: str, problems: list[AssetMapError]) -> list[str | None]:
    codes = [(text_cell(v) or "").upper() or None for v in raw.frame[their]]
    first: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code is None:
            problems.append(raw.problem("err.io.area_no_code", i, their))
        elif code in first:
            label = Msg(f"err.where.label.{raw.row_label}")
            row = int(raw.rows[first[code]])
            problems.append(
                raw.problem("err.io.area_code_twice", i, their, code=code, label=label, row=row)
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
            levels_allowed = ", ".join(AREA_LEVELS)
            problems.append(
                raw.problem("err.io.area_level", i, their, value=value, levels=levels_allowed)
            )
        elif code and level is None:
            problems.append(raw.problem("err.io.area_level_unknown", i, code=code))
        levels.append(level)
    return levels


def _parents(raw: RawLayer, codes: list[str | None], their: str | None) -> list[str | None]:
    given = [text_cell(v) for v in raw.frame[their]] if their else [None] * len(codes)
    return [
        value.upper() if value else (parent_code_of(code) if code else None)
        for code, value in zip(codes, given, strict=True)
    ]
