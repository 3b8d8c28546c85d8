"""Make and change mappings in code, and write any mapping as TOML.

The app builds its own mapping from the user's choices (:func:`manual_mapping`), turns the
type suggestions the user accepts into rules (:func:`type_suggestions`,
:func:`with_rules`), and offers the result as a TOML file (:func:`mapping_to_toml`) that
:func:`asset_map.io.mapping.parse_mapping` reads back as the same mapping. Every reading
goes through :func:`asset_map.io.read_assets` with a :class:`~asset_map.io.mapping.Mapping`,
as in the CLI, so the app and ``asset-map import --mapping`` give the same places.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, replace

import pandas as pd

from asset_map.io.cells import text_cell
from asset_map.io.mapping import (
    LayerMapping,
    Mapping,
    TypeRule,
    TypeSpec,
    norm_value,
    resolve_columns,
)
from asset_map.io.type_guess import UNTYPED, suggest_type
from asset_map.model import catalogue

#: The name of a mapping the user made in the app (shown in messages about it).
MANUAL_NAME = "upload"


def manual_mapping(
    *,
    columns: AnyMapping[str, str],
    source: str | None = None,
    type_column: str | None = None,
    values: AnyMapping[str, str] | None = None,
    default: str | None = UNTYPED,
    rules: Sequence[TypeRule] = (),
    name: str = MANUAL_NAME,
    title: str = "",
) -> Mapping:
    """Return the mapping of the app's column and type choices.

    Parameters
    ----------
    columns : mapping of str to str
        Our asset column -> their column (empty: not chosen). Our ``type`` is left out:
        ``type_column`` says where the type is.
    source : str, optional
        The default of our ``source`` column.
    type_column : str, optional
        Their column that holds the type; without one every place gets ``default`` (unless
        a rule says otherwise).
    values : mapping of str to str, optional
        Their value in ``type_column`` -> our type key.
    default : str or None
        The type of a place that no rule or value gives one (None: such a place is refused).
    rules : sequence of TypeRule
        Rules over several columns, tried first.
    name, title : str
        The mapping's name (in messages) and title.

    Returns
    -------
    Mapping
        Normalised as :func:`~asset_map.io.mapping.parse_mapping` normalises a file, so
        ``parse_mapping(mapping_to_toml(m), m.name) == m``.
    """
    chosen: dict[str, tuple[str, ...]] = {
        ours: (theirs.strip().lower(),) for ours, theirs in columns.items() if theirs
    }
    chosen.pop("type", None)
    if type_column:
        column = type_column.strip().lower()
        table = {norm_value(v): key for v, key in (values or {}).items()}
        spec = TypeSpec((column,), {column: table}, tuple(rules), default)
    else:
        spec = TypeSpec((), {}, tuple(rules), default)
    layer = LayerMapping(columns=chosen, source=source, type=spec)
    return Mapping(name=name, title=title, assets=layer)


def rule(conditions: AnyMapping[str, str | Iterable[str]], type_key: str) -> TypeRule:
    """Return a rule: when every ``their column = value`` (or one of the values) holds.

    Column names and values are normalised as a mapping file's are.
    """
    normal = []
    for column, values in conditions.items():
        listed = [values] if isinstance(values, str) else list(values)
        normal.append((column.strip().lower(), frozenset(norm_value(v) for v in listed)))
    return TypeRule(tuple(normal), type_key)


def with_rules(
    mapping: Mapping, rules: Sequence[TypeRule], *, columns: Iterable[object] = ()
) -> Mapping:
    """Return ``mapping`` with ``rules`` tried before its own rules.

    A mapping without an ``[assets]`` section or without ``[assets.type]`` gets one: the
    type from the file's type column as it is found without a mapping (among ``columns``,
    the file's columns), else ``overig``, as when the file is read without a mapping. (A
    type value we do not know is then ``overig`` instead of refused: give only a mapping
    that read the file without such values.)
    """
    if not rules:
        return mapping
    layer = mapping.assets or LayerMapping()
    spec = layer.type
    if spec is None:
        found, _ = resolve_columns(layer, columns, ["type"])
        their = (found["type"].lower(),) if "type" in found else ()
        spec = TypeSpec(their, {}, (), UNTYPED)
    spec = replace(spec, rules=(*rules, *spec.rules))
    return replace(mapping, assets=replace(layer, type=spec))


# --- the types each row gets, and the suggestions for the untyped ones -----------------------


def row_types(frame: pd.DataFrame, mapping: Mapping | None) -> list[str | None]:
    """Return the type each row of ``frame`` gets when read with ``mapping``.

    This is the type :func:`asset_map.io.read_assets` gives (before it drops rows without a
    location); None for a value it would refuse.
    """
    layer = mapping.assets if mapping else None
    spec = layer.type if layer else None
    by_lower = {str(c).lower(): c for c in frame.columns}
    if spec is not None:
        present = [c for c in spec.used_columns() if c in by_lower]
        cells = {c: [norm_value(v) for v in frame[by_lower[c]]] for c in present}
        return [spec.lookup({c: cells[c][i] for c in present}) for i in range(len(frame))]
    found, _ = resolve_columns(layer, frame.columns, ["type"])
    if "type" not in found:
        return [UNTYPED] * len(frame)
    types: list[str | None] = []
    for value in frame[found["type"]]:
        text = text_cell(value)
        known = catalogue().type_for(text) if text else None
        types.append(UNTYPED if text is None else known.key if known else None)
    return types


@dataclass(frozen=True)
class Suggestion:
    """A type suggested for one or more rows that are alike (same name, same type columns).

    Attributes
    ----------
    conditions : tuple of (str, str)
        Their column (lower case) -> normalised value: the rows this suggestion is for.
    name : str
        The rows' name, as the file spells it.
    type : str
        The suggested type key.
    word : str
        The word of the name (or description) it comes from.
    where : {"name", "description"}
        Where the word is.
    rows : int
        How many rows of the file it is for.
    """

    conditions: tuple[tuple[str, str], ...]
    name: str
    type: str
    word: str
    where: str
    rows: int

    @property
    def key(self) -> str:
        """A text that names the suggestion: its conditions (stable over runs)."""
        return json.dumps(self.conditions, ensure_ascii=False)

    def rule(self) -> TypeRule:
        """Return the rule that gives its rows the suggested type."""
        return TypeRule(tuple((c, frozenset([v])) for c, v in self.conditions), self.type)


def type_suggestions(frame: pd.DataFrame, mapping: Mapping | None) -> list[Suggestion]:
    """Suggest a type for every row that ``mapping`` reads as ``overig``.

    Rows are grouped by their name (and description, when the word is in it) and the
    values of every column the mapping's type rules read: rows alike in all of these get the
    same type from the mapping, and the rule of their suggestion (:meth:`Suggestion.rule`)
    covers exactly them.

    Parameters
    ----------
    frame : DataFrame
        The file's rows, as read.
    mapping : Mapping or None
        How the file is read.

    Returns
    -------
    list of Suggestion
        In the order of the file; empty when the file has no name column.
    """
    layer = mapping.assets if mapping else None
    found, _ = resolve_columns(layer, frame.columns, ["name", "description"])
    if "name" not in found:
        return []
    types = row_types(frame, mapping)
    by_lower = {str(c).lower(): c for c in frame.columns}
    spec = layer.type if layer else None
    if spec is not None:
        used = sorted(c for c in spec.used_columns() if c in by_lower)
    else:
        their_type, _ = resolve_columns(layer, frame.columns, ["type"])
        used = [their_type["type"].lower()] if "type" in their_type else []
    name_col = found["name"].lower()
    desc_col = found["description"].lower() if "description" in found else None
    groups: dict[tuple[tuple[str, str], ...], Suggestion] = {}
    for i, key in enumerate(types):
        if key != UNTYPED:
            continue
        name = frame[found["name"]].iloc[i]
        description = frame[found["description"]].iloc[i] if desc_col else None
        guess = suggest_type(name, description)
        if guess is None:
            continue
        columns = [name_col, *([desc_col] if guess.where == "description" and desc_col else [])]
        columns += [c for c in used if c not in columns]
        conditions = tuple((c, norm_value(frame[by_lower[c]].iloc[i])) for c in columns)
        seen = groups.get(conditions)
        if seen is None:
            shown = text_cell(name) or ""
            groups[conditions] = Suggestion(
                conditions, shown, guess.type, guess.word, guess.where, 1
            )
        else:
            groups[conditions] = replace(seen, rows=seen.rows + 1)
    return list(groups.values())


# --- writing TOML --------------------------------------------------------------------------


def mapping_to_toml(mapping: Mapping) -> str:
    """Return the text of a mapping file that :func:`parse_mapping` reads as ``mapping``.

    Raises
    ------
    ValueError
        When a column name cannot be written (a rule on a column ``type``, or a value table
        for a column ``from``, ``default`` or ``rules``, which the format reserves).
    """
    lines: list[str] = []
    if mapping.title:
        lines.append(f"title = {_text(mapping.title)}")
    for kind in ("assets", "areas"):
        layer: LayerMapping | None = getattr(mapping, kind)
        if layer is None:
            continue
        if lines:
            lines.append("")
        lines.append(f"[{kind}]")
        if layer.source is not None:
            lines.append(f"source = {_text(layer.source)}")
        if layer.columns:
            lines += ["", f"[{kind}.columns]"]
            lines += [f"{ours} = {_names(theirs)}" for ours, theirs in layer.columns.items()]
        if layer.type is not None:
            lines += _type_lines(layer.type)
    return "\n".join(lines) + "\n"


def _type_lines(spec: TypeSpec) -> list[str]:
    lines = ["", "[assets.type]"]
    if spec.columns:
        lines.append("from = [" + ", ".join(_text(c) for c in spec.columns) + "]")
    if spec.default is not None:
        lines.append(f"default = {_text(spec.default)}")
    if spec.rules:
        lines.append("rules = [")
        lines += [f"  {_rule(r)}," for r in spec.rules]
        lines.append("]")
    for column in spec.columns:
        table = spec.tables.get(column)
        if not table:
            continue
        if column in {"from", "default", "rules"}:
            raise ValueError(f"a value table for a column named '{column}' cannot be written")
        lines += ["", f"[assets.type.{_text(column)}]"]
        lines += [f"{_text(value)} = {_text(key)}" for value, key in table.items()]
    return lines


def _rule(rule_: TypeRule) -> str:
    parts = []
    for column, values in rule_.conditions:
        if column == "type":
            raise ValueError("a rule on a column named 'type' cannot be written")
        listed = sorted(values)
        shown = _text(listed[0]) if len(listed) == 1 else _names(listed)
        parts.append(f"{_text(column)} = {shown}")
    parts.append(f"type = {_text(rule_.type)}")
    return "{ " + ", ".join(parts) + " }"


def _names(values: Sequence[str]) -> str:
    if len(values) == 1:
        return _text(values[0])
    return "[" + ", ".join(_text(v) for v in values) + "]"


def _text(value: str) -> str:
    """Return a TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")
