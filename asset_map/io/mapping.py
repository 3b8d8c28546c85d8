"""Mapping files: a small TOML file that maps a foreign schema onto our columns and types.

A mapping has an ``[assets]`` and/or an ``[areas]`` section (see ``mappings/example.toml``
for a commented example, and the other files in ``mappings/`` for the presets that ship)::

    title = "Wijkteam map of Deventer"       # optional: what the mapping is for

    [assets]
    source = "Wijkteams Deventer"            # default of our `source` column

    [assets.columns]                         # our column = their column
    id = "id"
    name = ["naam", "name"]                  # a list: the first column the file has wins
    tags = "category"

    [assets.type]
    from = ["icon", "category"]              # their columns, tried in this order
    default = "overig"                       # optional: the type when nothing matches
    rules = [                                # optional: tried first, top to bottom
      { category = "locaties", icon = "images/icon-1.png", type = "school" },
      { category = "themas", type = "overig" },
    ]

    [assets.type.icon]                       # a table per `from` column: their value = our type
    "images/icon-4.png" = "winkel"

    [assets.type.category]
    "activiteiten" = "activiteit"

    [areas.columns]
    code = "statcode"
    name = "statnaam"
    inhabitants = "aantal_inwoners"

How the type of an asset is found: the first **rule** whose conditions all hold (a condition is
``their column = value`` or ``their column = [value, ...]``); else the first ``from`` column
whose value is in its table; else the first ``from`` value that is a type key, label or alias
of ``asset_types.toml``; else ``default``; else the import is refused, naming the row. Values
are compared case-insensitively with spaces trimmed. Every type in a mapping must be a type
key of ``asset_types.toml``.

Columns the mapping does not name are found by our own names and the aliases in
``model.COLUMN_ALIASES`` (case-insensitively), as without a mapping.

A mapping can also be made in code and written as such a file (the app's own choices, rules
from type suggestions): see :mod:`asset_map.io.mapping_edit`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from asset_map._errors import MappingError
from asset_map.i18n import Msg
from asset_map.model import AREA_COLUMNS, ASSET_COLUMNS, COLUMN_ALIASES, catalogue

LAYER_COLUMNS = {
    "assets": [c for c in ASSET_COLUMNS if c != "geometry"],
    "areas": [c for c in AREA_COLUMNS if c != "geometry"],
}
LAYER_KEYS = {"assets": {"source", "columns", "type"}, "areas": {"columns"}}
TYPE_KEYS = {"from", "default", "rules"}
#: Presets tried, in this order, on areas files read without a mapping.
AREA_PRESETS = ("cbs_2014", "pdok_wijkenbuurten", "cbs_shape_old")
#: Presets tried, in this order, on asset files read without a mapping and without a type column.
ASSET_PRESETS = ("deventer_wijkteams",)


def norm_value(value: object) -> str:
    """Return a cell value as mappings compare it: trimmed, single-spaced, case-folded."""
    if value is None or value != value:  # None or NaN
        return ""
    return " ".join(str(value).split()).casefold()


@dataclass(frozen=True)
class TypeRule:
    """One rule: when every condition holds, the asset gets ``type``."""

    conditions: tuple[tuple[str, frozenset[str]], ...]
    type: str

    def matches(self, row: AnyMapping[str, str]) -> bool:
        """Return whether every condition holds for ``row`` (lower-case column -> value)."""
        return all(row.get(column, "") in values for column, values in self.conditions)


@dataclass(frozen=True)
class TypeSpec:
    """How a mapping finds an asset's type from the file's columns."""

    columns: tuple[str, ...]
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: tuple[TypeRule, ...] = ()
    default: str | None = None

    def lookup(self, row: AnyMapping[str, str]) -> str | None:
        """Return the type key for a row of normalised values (lower-case column names).

        Returns None when nothing matches and there is no default.
        """
        for rule in self.rules:
            if rule.matches(row):
                return rule.type
        for column in self.columns:
            found = self.tables.get(column, {}).get(row.get(column, ""))
            if found:
                return found
        for column in self.columns:
            value = row.get(column, "")
            asset_type = catalogue().type_for(value) if value else None
            if asset_type is not None:
                return asset_type.key
        return self.default

    def used_columns(self) -> set[str]:
        """Return every column of theirs the spec reads (lower case)."""
        return set(self.columns) | {c for rule in self.rules for c, _ in rule.conditions}


@dataclass(frozen=True)
class LayerMapping:
    """The mapping of one layer: our column -> their candidate columns, source, type spec."""

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None
    type: TypeSpec | None = None


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file.

    Attributes
    ----------
    name : str
        The preset name or file name, as messages and notes show it.
    title : str
        What the mapping is for (may be empty).
    assets, areas : LayerMapping or None
        The sections; None when the file has no such section.
    """

    name: str
    title: str = ""
    assets: LayerMapping | None = None
    areas: LayerMapping | None = None

    def section(self, kind: str, file_name: str, notes: list[str]) -> LayerMapping | None:
        """Return the ``"assets"`` or ``"areas"`` section; note it when there is none.

        One mapping may be given for both layers (as the CLI does), so a missing section is
        not an error: the file is then read as without a mapping.
        """
        found: LayerMapping | None = getattr(self, kind)
        if found is None:
            notes.append(Msg("note.mapping.no_section", name=self.name, kind=kind, path=file_name))
        return found


def preset_names() -> list[str]:
    """Return the names of the mapping presets that ship in ``asset_map/io/mappings/``."""
    folder = resources.files("asset_map.io").joinpath("mappings")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def asset_preset_names() -> list[str]:
    """Return the presets for files of places: those with an ``[assets]`` section."""
    return [name for name in preset_names() if load_mapping(name).assets is not None]


def preset_text(name: str) -> str:
    """Return the text of the preset ``name`` as it ships (with its comments).

    Raises
    ------
    MappingError
        When there is no such preset.
    """
    if name not in preset_names():
        raise MappingError(
            Msg("err.mapping.unknown_preset", name=name, presets=", ".join(preset_names()))
        )
    return resources.files("asset_map.io").joinpath("mappings", f"{name}.toml").read_text("utf-8")


def load_mapping(path_or_preset_name: Mapping | str | Path) -> Mapping:
    """Load a mapping from a TOML file, or a preset by name (``"deventer_wijkteams"``).

    Raises
    ------
    MappingError
        When the file or preset does not exist, is not valid TOML, or names unknown columns
        or types.
    """
    if isinstance(path_or_preset_name, Mapping):
        return path_or_preset_name
    path = Path(path_or_preset_name)
    if path.suffix.lower() != ".toml" and not path.is_file():
        name = str(path_or_preset_name)
        return parse_mapping(preset_text(name), name)
    if not path.is_file():
        raise MappingError(Msg("err.mapping.not_found", name=path.name, path=path))
    return parse_mapping(path.read_text("utf-8-sig"), path.name)


def parse_mapping(text: str, name: str) -> Mapping:
    """Parse the text of a mapping file; ``name`` is shown in messages.

    Raises
    ------
    MappingError
        When the text is not valid TOML or does not follow the mapping format.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(Msg("err.mapping.toml", name=name, reason=exc)) from None
    unknown = set(raw) - {"title", "assets", "areas"}
    if unknown:
        raise MappingError(
            Msg("err.io.mapping_unknown_section", name=name, keys=", ".join(sorted(unknown)))
        )
    if "assets" not in raw and "areas" not in raw:
        raise MappingError(Msg("err.io.mapping_no_section", name=name))
    return Mapping(
        name=name,
        title=str(raw.get("title", "")),
        assets=_layer(raw["assets"], "assets", name) if "assets" in raw else None,
        areas=_layer(raw["areas"], "areas", name) if "areas" in raw else None,
    )


def _layer(raw: object, kind: str, name: str) -> LayerMapping:
    table = _table(raw, f"[{kind}]", name)
    unknown = set(table) - LAYER_KEYS[kind]
    if unknown:
        raise MappingError(
            Msg(
                "err.io.mapping_unknown_keys",
                name=name,
                kind=kind,
                keys=", ".join(sorted(unknown)),
                allowed=", ".join(sorted(LAYER_KEYS[kind])),
            )
        )
    columns = {}
    for ours, theirs in _table(table.get("columns", {}), f"[{kind}.columns]", name).items():
        if ours not in LAYER_COLUMNS[kind]:
            raise MappingError(
                Msg(
                    "err.mapping.column",
                    name=name,
                    kind=kind,
                    ours=ours,
                    columns=", ".join(LAYER_COLUMNS[kind]),
                )
            )
        columns[ours] = _names(theirs, f"[{kind}.columns] {ours}", name)
    source = table.get("source")
    if source is not None and not isinstance(source, str):
        raise MappingError(Msg("err.io.mapping_source", name=name, kind=kind))
    spec = _type_spec(table["type"], name) if "type" in table else None
    return LayerMapping(columns=columns, source=source, type=spec)


def _type_spec(raw: object, name: str) -> TypeSpec:
    table = _table(raw, "[assets.type]", name)
    value_tables = {k: v for k, v in table.items() if k not in TYPE_KEYS}
    if "from" in table:
        order = _names(table["from"], "[assets.type] from", name)
    else:
        order = tuple(column.lower() for column in value_tables)
    tables = {}
    for column, values in value_tables.items():
        where = f"[assets.type.{column}]"
        if column.lower() not in order:
            raise MappingError(
                Msg(
                    "err.io.mapping_table_not_in_from",
                    name=name,
                    where=where,
                    column=column,
                    order=", ".join(order),
                )
            )
        tables[column.lower()] = {
            norm_value(value): _type_key(type_key, f'{where} "{value}"', name)
            for value, type_key in _table(values, where, name).items()
        }
    default = table.get("default")
    if default is not None:
        default = _type_key(default, "[assets.type] default", name)
    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise MappingError(Msg("err.io.mapping_rules_list", name=name))
    return TypeSpec(
        columns=order,
        tables=tables,
        rules=tuple(_rule(rule, n, name) for n, rule in enumerate(rules, start=1)),
        default=default,
    )


def _rule(raw: object, n: int, name: str) -> TypeRule:
    where = Msg("err.io.mapping_rule_where", n=n)
    table = dict(_table(raw, where, name))
    if "type" not in table:
        raise MappingError(Msg("err.io.mapping_rule_no_type", name=name, where=where))
    type_key = _type_key(table.pop("type"), where, name)
    if not table:
        raise MappingError(Msg("err.io.mapping_rule_no_condition", name=name, where=where))
    conditions = []
    for column, values in table.items():
        listed = values if isinstance(values, list) else [values]
        if not all(isinstance(v, str | int | float) for v in listed):
            raise MappingError(
                Msg("err.io.mapping_rule_value", name=name, where=where, column=column)
            )
        conditions.append((column.lower(), frozenset(norm_value(v) for v in listed)))
    return TypeRule(tuple(conditions), type_key)


def _table(raw: object, where: str, name: str) -> dict:
    if not isinstance(raw, dict):
        raise MappingError(Msg("err.io.mapping_table", name=name, where=where))
    return raw


def _names(raw: object, where: str, name: str) -> tuple[str, ...]:
    listed = raw if isinstance(raw, list) else [raw]
    names = [v.strip().lower() for v in listed if isinstance(v, str) and v.strip()]
    if not names or len(names) != len(listed):
        raise MappingError(Msg("err.io.mapping_names", name=name, where=where))
    return tuple(names)


def _type_key(value: object, where: str, name: str) -> str:
    types = catalogue().types
    if not isinstance(value, str) or value not in types:
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        raise MappingError(
            Msg("err.mapping.type_key", name=name, where=where, shown=shown, keys=", ".join(types))
        )
    return value


# --- applying a mapping ----------------------------------------------------------------------


def resolve_columns(
    layer: LayerMapping | None,
    their_columns: Iterable[object],
    ours: Sequence[str],
    *,
    mapping_name: str = "",
) -> tuple[dict[str, str], list[str]]:
    """Find, for each of our columns, the column of the file that holds it.

    Parameters
    ----------
    layer : LayerMapping or None
        The mapping's section; its columns come first.
    their_columns : iterable
        The file's column names.
    ours : sequence of str
        Our column names to look for.
    mapping_name : str
        The mapping's name, for the notes.

    Returns
    -------
    dict, list of str
        Our column -> their column (as the file spells it), for the columns found; and notes
        for columns the mapping names but the file lacks.
    """
    by_lower = {str(c).lower(): str(c) for c in their_columns}
    found: dict[str, str] = {}
    notes: list[str] = []
    for column in ours:
        wanted = layer.columns.get(column, ()) if layer else ()
        hit = next((by_lower[w] for w in wanted if w in by_lower), None)
        if wanted and hit is None:
            notes.append(
                Msg(
                    "note.mapping.column_absent",
                    name=mapping_name,
                    column=column,
                    wanted=" or ".join(repr(w) for w in wanted),
                )
            )
        if hit is None:
            names = (column, *COLUMN_ALIASES.get(column, ()))
            hit = next((by_lower[n] for n in names if n in by_lower), None)
        if hit is not None:
            found[column] = hit
    return found, notes


def detect_areas_preset(their_columns: Iterable[object]) -> Mapping | None:
    """Return the areas preset whose own code and name columns the file has, or None."""
    lower = {str(c).lower() for c in their_columns}
    for preset in AREA_PRESETS:
        mapping = load_mapping(preset)
        columns = mapping.areas.columns if mapping.areas else {}
        if all(any(c in lower for c in columns.get(k, ())) for k in ("code", "name")):
            return mapping
    return None


def detect_assets_preset(their_columns: Iterable[object]) -> Mapping | None:
    """Return the assets preset whose columns the file has, or None.

    A preset fits when the file has every column its type rules read (for the Deventer
    wijkteam map: ``category``, ``icon`` and ``name``) and every column it maps.
    """
    lower = {str(c).lower() for c in their_columns}
    for preset in ASSET_PRESETS:
        mapping = load_mapping(preset)
        layer = mapping.assets
        if layer is None or layer.type is None:
            continue
        mapped = all(any(c in lower for c in names) for names in layer.columns.values())
        if mapped and layer.type.used_columns() <= lower:
            return mapping
    return None
