"""Read assets (places on the map) from a file into the canonical asset layer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError, SchemaError, raise_problems
from asset_map.crs import STORAGE_CRS, to_storage_crs
from asset_map.i18n import Msg
from asset_map.io.cells import list_some, parse_numbers, text_series, text_values, unique_ids
from asset_map.io.file_facts import gemeente_name_of, year_of
from asset_map.io.formats import ImportResult, RawLayer, read_raw
from asset_map.io.hygiene import FeatureLabels, clean_points, feature_labels, outside_nl_problem
from asset_map.io.limits import cut_texts
from asset_map.io.mapping import (
    Mapping,
    TypeSpec,
    detect_assets_preset,
    load_mapping,
    norm_value,
    resolve_columns,
)
from asset_map.model import ASSET_COLUMNS, COLUMN_ALIASES, catalogue, wheelchair_value

OURS = [c for c in ASSET_COLUMNS if c != "geometry"]
#: Accepted spellings of the statuses.
STATUS_WORDS = {
    "existing": "existing",
    "bestaand": "existing",
    "bestaat": "existing",
    "planned": "planned",
    "gepland": "planned",
    "plan": "planned",
    "closed": "closed",
    "gesloten": "closed",
}
FALLBACK_TYPE = "overig"


def read_assets(
    path: str | Path,
    *,
    mapping: Mapping | str | Path | None = None,
    crs: str | None = None,
    source: str | None = None,
    layer: str | None = None,
    type_key: str | None = None,
) -> ImportResult:
    """Read assets from GeoJSON, GeoPackage, zipped Shapefile or CSV.

    Parameters
    ----------
    path : str or Path
        The file; its format follows from the extension.
    mapping : Mapping or str or Path, optional
        A mapping file, a preset name (e.g. ``"deventer_wijkteams"``) or a loaded
        :class:`~asset_map.io.mapping.Mapping`. Without one, our column names and the
        aliases in ``model.COLUMN_ALIASES`` are used and ``type`` values are matched
        against the asset type catalogue; a file without a type column is read with the
        preset whose columns it has (``mapping.ASSET_PRESETS``), or refused.
    crs : str, optional
        The CRS of a file that does not say its own (e.g. ``"EPSG:28992"``).
    source : str, optional
        The ``source`` of every asset, overriding the file and the mapping.
    layer : str, optional
        The layer of a GeoPackage (or Shapefile in a zip).
    type_key : str, optional
        Give every asset this type (a key of ``asset_types.toml``), whatever the file says.

    Returns
    -------
    ImportResult
        ``frame`` has ``model.ASSET_COLUMNS`` (one point per asset, EPSG:4326); ``notes``
        say what was dropped, repaired or assumed.

    Raises
    ------
    AssetMapError
        A subclass naming the file, row and column when the file is refused.
    """
    loaded = load_mapping(mapping) if mapping is not None else None
    raw = read_raw(path, crs=crs, layer=layer)
    notes = list(raw.notes)
    if type_key is not None and type_key not in catalogue().types:
        raise SchemaError(
            Msg("err.assets.type_key", given=type_key, keys=", ".join(catalogue().types))
        )
    if loaded is None and type_key is None:
        loaded = _detected_or_refused(raw)
        if loaded is not None:
            notes.append(Msg("note.assets.preset", path=raw.path.name, name=loaded.name))
    spec = loaded.section("assets", raw.path.name, notes) if loaded else None
    mapping_name = loaded.name if loaded else ""
    found, column_notes = resolve_columns(spec, raw.frame.columns, OURS, mapping_name=mapping_name)
    notes += column_notes
    if "name" not in found:
        raise SchemaError(
            Msg(
                "err.assets.no_name",
                path=raw.path.name,
                columns=", ".join(map(str, raw.frame.drop(columns="geometry").columns)) or "none",
                aliases=", ".join(COLUMN_ALIASES["name"]),
            )
        )
    names = text_values(raw.frame[found["name"]])
    labels = feature_labels(raw, names)
    problems: list[AssetMapError] = []
    if type_key is not None:
        types: list[str | None] = [type_key] * len(raw.frame)
    else:
        types = _types(
            raw, found, spec.type if spec else None, labels, mapping_name, problems, notes
        )
    columns: dict[str, list | np.ndarray | pd.Series] = {
        "id": _ids(raw, found, labels, notes),
        "name": names,
        "type": types,
        "status": _statuses(raw, found.get("status"), problems),
        "capacity": _capacities(raw, found.get("capacity"), problems),
        "wheelchair": _wheelchair(raw, found.get("wheelchair"), problems),
    }
    for column in ("description", "address", "tags", "source", "opening_hours"):
        their = found.get(column)
        columns[column] = raw.frame[their] if their else [None] * len(raw.frame)
    columns["source"] = _sources(columns["source"], source, spec.source if spec else None, raw)
    unnamed = [i for i, name in enumerate(names) if name is None]
    for i in unnamed:
        key = types[i]
        names[i] = catalogue().types[key].label_nl if key else None
    if unnamed:
        key = "note.io.unnamed_one" if len(unnamed) == 1 else "note.io.unnamed"
        notes.append(Msg(key, n=len(unnamed), which=list_some([labels[i] for i in unnamed])))
    notes += _opening_hours_notes(raw, columns["opening_hours"], labels)
    storage = to_storage_crs(raw.frame, raw.path.name)
    outside = outside_nl_problem(raw, storage, labels)
    if outside is not None:
        problems.append(outside)
    raise_problems(problems)
    frame = gpd.GeoDataFrame(
        {c: _canonical(c, columns[c]) for c in OURS},
        geometry=storage.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )
    frame, cut_notes = cut_texts(frame, raw.path.name, labels=labels)
    frame, geometry_notes = clean_points(frame, labels, path_name=raw.path.name)
    result = ImportResult(
        frame.reset_index(drop=True)[ASSET_COLUMNS], notes + cut_notes + geometry_notes
    )
    result.facts = (year_of(raw.frame, raw.path.name), gemeente_name_of(raw.frame))
    return result


def _detected_or_refused(raw: RawLayer) -> Mapping | None:
    """Return the preset a file without a mapping needs, None when it has a type column.

    Raises
    ------
    SchemaError
        When the file has no type column and no preset fits: every asset would be "overig".
    """
    found, _ = resolve_columns(None, raw.frame.columns, ["type"])
    if "type" in found:
        return None
    preset = detect_assets_preset(raw.frame.columns)
    if preset is not None:
        return preset
    columns = ", ".join(map(str, raw.frame.drop(columns="geometry").columns)) or "-"
    raise SchemaError(
        Msg(
            "err.assets.no_type",
            path=raw.path.name,
            columns=columns,
            aliases=", ".join(COLUMN_ALIASES.get("type", ())),
        )
    )


def _canonical(column: str, values: Sequence[object] | np.ndarray | pd.Series) -> pd.Series:
    if column == "capacity":
        return pd.Series(values, dtype="float64")
    if isinstance(values, pd.Series):
        return text_series(values.reset_index(drop=True))
    # lists are made clean here (ids, names, types, statuses, sources; None for no column)
    return pd.Series(list(values), dtype="str")


def _types(
    raw: RawLayer,
    found: dict[str, str],
    spec: TypeSpec | None,
    labels: Sequence[str],
    mapping_name: str,
    problems: list[AssetMapError],
    notes: list[str],
) -> list[str | None]:
    """Return the type key of every row; unknown types become problems."""
    keys = ", ".join(catalogue().types)
    if spec is not None:
        return _mapped_types(raw, spec, mapping_name, problems, notes)
    their = found.get("type")
    if their is None:
        notes.append(
            Msg("note.assets.untyped", path=raw.path.name, n=len(raw.frame), type=FALLBACK_TYPE)
        )
        return [FALLBACK_TYPE] * len(raw.frame)
    types: list[str | None] = []
    blank = []
    texts = text_values(raw.frame[their])
    known = {text: catalogue().type_for(text) for text in set(texts) if text}
    for i, text in enumerate(texts):
        asset_type = known[text] if text else None
        if text is None:
            blank.append(labels[i])
            types.append(FALLBACK_TYPE)
        elif asset_type is None:
            found = {"value": text, "column": their, "keys": keys}
            problems.append(raw.problem("err.assets.unknown_type", i, their, **found))
            types.append(None)
        else:
            types.append(asset_type.key)
    if blank:
        key = "note.io.blank_type_one" if len(blank) == 1 else "note.io.blank_type"
        notes.append(Msg(key, n=len(blank), type=FALLBACK_TYPE, which=list_some(blank)))
    return types


def _mapped_types(
    raw: RawLayer,
    spec: TypeSpec,
    mapping_name: str,
    problems: list[AssetMapError],
    notes: list[str],
) -> list[str | None]:
    by_lower = {str(c).lower(): str(c) for c in raw.frame.columns}
    absent = sorted(c for c in spec.used_columns() if c not in by_lower)
    if absent:
        notes.append(
            Msg(
                "note.assets.type_columns_absent",
                mapping=mapping_name,
                columns=", ".join(absent),
                path=raw.path.name,
            )
        )
    present = [c for c in spec.used_columns() if c in by_lower]
    cells = {c: [norm_value(v) for v in raw.frame[by_lower[c]]] for c in present}
    rows = [{c: cells[c][i] for c in present} for i in range(len(raw.frame))]
    types: list[str | None] = [spec.lookup(row) for row in rows]
    if absent and None in types:  # the missing column is the cause, not each row's value
        raise SchemaError(
            Msg(
                "err.assets.type_columns_missing",
                path=raw.path.name,
                mapping=mapping_name,
                columns=", ".join(absent),
                found=", ".join(str(c) for c in raw.frame.columns if c != "geometry"),
                example=_likely_type_column(raw) or "<column>",
            )
        )
    for i, (row, key) in enumerate(zip(rows, types, strict=True)):
        if key is None:
            seen = [f"{by_lower[c]} '{row[c]}'" for c in spec.columns if row.get(c)]
            table = spec.columns[0] if spec.columns else "<column>"
            problems.append(
                raw.problem(
                    "err.assets.mapping_no_type",
                    i,
                    mapping=mapping_name,
                    seen=", ".join(seen) or Msg("err.assets.empty_values"),
                    table=table,
                    type=FALLBACK_TYPE,
                    keys=", ".join(catalogue().types),
                )
            )
    return types


def _likely_type_column(raw: RawLayer) -> str | None:
    """Return the file's column that most likely holds the type (e.g. ``soort``), or None."""
    aliases = {a.lower() for a in COLUMN_ALIASES.get("type", ())} | {"type"}
    for column in raw.frame.columns:
        if str(column).lower() in aliases:
            return str(column).lower()
    return None


def _ids(
    raw: RawLayer, found: dict[str, str], labels: Sequence[str], notes: list[str]
) -> list[str]:
    """Return unique ids: the file's, the row number where missing, duplicates renumbered."""
    if "id" not in found:
        notes.append(
            Msg(
                "note.assets.no_id",
                path=raw.path.name,
                label=Msg(f"err.where.label.{raw.row_label}"),
            )
        )
        given: list[str | None] = [str(n) for n in raw.rows]
    else:
        given = text_values(raw.frame[found["id"]])
    ids, id_notes = unique_ids(given, raw.rows, labels, raw.row_label)
    notes += id_notes
    return ids


def _statuses(raw: RawLayer, their: str | None, problems: list[AssetMapError]) -> list[str]:
    if their is None:
        return ["existing"] * len(raw.frame)
    out = []
    for i, value in enumerate(text_values(raw.frame[their])):
        text = (value or "existing").lower()
        if text not in STATUS_WORDS:
            problems.append(raw.problem("err.assets.status", i, their, value=text))
        out.append(STATUS_WORDS.get(text, "existing"))
    return out


def _capacities(raw: RawLayer, their: str | None, problems: list[AssetMapError]) -> np.ndarray:
    if their is None:
        return np.full(len(raw.frame), np.nan)
    if pd.api.types.is_float_dtype(raw.frame[their]) or pd.api.types.is_integer_dtype(
        raw.frame[their]
    ):
        return raw.frame[their].to_numpy(dtype="float64", na_value=np.nan)
    values, bad = parse_numbers(raw.frame[their].tolist())
    problems.extend(
        raw.problem("err.assets.capacity", i, their, value=raw.frame[their].iloc[i]) for i in bad
    )
    return values


def _wheelchair(raw: RawLayer, their: str | None, problems: list[AssetMapError]) -> list:
    """Return ``yes``, ``limited``, ``no`` or None per row; other values are problems."""
    if their is None:
        return [None] * len(raw.frame)
    out: list[str | None] = []
    for i, value in enumerate(raw.frame[their]):
        try:
            out.append(wheelchair_value(value))
        except ValueError:
            problems.append(
                SchemaError(Msg("err.assets.wheelchair", where=raw.where(i, their), value=value))
            )
            out.append(None)
    return out


def _opening_hours_notes(
    raw: RawLayer, values: Sequence[object] | np.ndarray | pd.Series, labels: FeatureLabels
) -> list[Msg]:
    """Say which opening hours cannot be read (they count as unknown; the row is kept)."""
    from asset_map.rules.open_times import parse_opening_hours

    bad = [
        f"{labels[i]}: '{text}'"
        for i, text in enumerate(text_values(values))
        if text and parse_opening_hours(text).problem is not None
    ]
    if not bad:
        return []
    return [Msg("note.assets.opening_hours", path=raw.path.name, n=len(bad), which=list_some(bad))]


def _sources(
    values: Sequence[object] | np.ndarray | pd.Series,
    override: str | None,
    default: str | None,
    raw: RawLayer,
) -> list[str | None]:
    if override is not None:
        return [override] * len(values)
    fallback = default or raw.path.name
    return [v or fallback for v in text_values(values)]
