"""The data screen's rules over several columns, and the type suggestions to confirm.

Both end up as rules of the mapping (:class:`asset_map.io.mapping.TypeRule`), so the
mapping the user downloads holds them too, and ``asset-map import --mapping`` reads the file
the same way.

Widget keys (``@nl``/``@en``: one widget per language, see :func:`state.choice_key`):

- rules: the button ``data_rule_add``; per rule ``n`` (a number that stays with the rule)
  the select boxes ``data_rule_{n}_col_{k}@nl`` (k = 1, 2, 3), the multiselects
  ``data_rule_{n}_values_{k}_{column}``, the select box ``data_rule_{n}_type@nl`` and the
  button ``data_rule_{n}_remove``;
- suggestions: a checkbox ``data_suggest_{type}`` per suggested type and, once ticked, a
  multiselect of its places ``data_suggest_rows_{type}_{digest}``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from asset_map.i18n import t
from asset_map.io.cells import text_cell
from asset_map.io.mapping import Mapping, TypeRule
from asset_map.io.mapping_edit import Suggestion, rule, type_suggestions
from asset_map.model import catalogue
from asset_map.ui.state import choice_key, current_lang, option_index, select_all, tr

NONE = ""
#: Session keys: the numbers of the rules shown, and the number the next rule gets.
RULE_IDS_KEY = "data_rule_ids"
RULE_NEXT_KEY = "data_rule_next"
#: Conditions per rule, and the most values a condition offers.
CONDITIONS = 3
MAX_VALUES = 2000


def type_select(where: Any, label: str, key: str, default: str = "overig") -> str:
    """Ask for one of our types in ``where`` (``st`` or a container); labels in the UI language."""
    cat = catalogue()
    lang = current_lang()
    keys = list(cat.types)
    widget_key, now = choice_key(key, default)
    return str(
        where.selectbox(
            label,
            keys,
            index=option_index(keys, now, keys.index("overig")),
            format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
            key=widget_key,
        )
    )


# --- rules over several columns ------------------------------------------------------------


def rules_editor(frame: pd.DataFrame, columns: list[str]) -> list[TypeRule]:
    """Let the user add rules: when column 1 is one of ..., and column 2 ..., then type X.

    Returns the finished rules (with at least one condition), top to bottom.
    """
    lang = current_lang()
    st.markdown(f"**{tr('data.rules')}**")
    st.caption(tr("data.rules_intro"))
    # A column called "type" cannot hold a condition in a mapping file (it names the result).
    options = [NONE, *(c for c in columns if c.strip().lower() != "type")]
    rules: list[TypeRule] = []
    for place, n in enumerate(list(st.session_state.get(RULE_IDS_KEY, [])), start=1):
        box = st.container(border=True)
        box.markdown(f"*{tr('data.rule', n=place)}*")
        conditions: dict[str, list[str]] = {}
        for k in range(1, CONDITIONS + 1):
            left, right = box.columns([1, 2])
            key, now = choice_key(f"data_rule_{n}_col_{k}", NONE)
            column = left.selectbox(
                tr("data.rule_column", k=k),
                options,
                index=option_index(options, now),
                format_func=lambda c: t("data.none", lang) if c == NONE else c,
                key=key,
            )
            if not column:
                continue
            chosen = right.multiselect(
                tr("data.rule_values"),
                _values(frame[column]),
                placeholder=tr("filter.placeholder"),
                key=f"data_rule_{n}_values_{k}_{column}",  # another column: a fresh choice
                select_all=select_all(),
            )
            if chosen:
                conditions[column] = [*conditions.get(column, []), *chosen]
        type_key = type_select(box, tr("data.rule_type"), f"data_rule_{n}_type")
        if conditions:
            rules.append(rule(conditions, type_key))
        else:
            box.caption(tr("data.rule_unfinished", n=place))
        box.button(
            tr("data.rule_remove", n=place),
            key=f"data_rule_{n}_remove",
            on_click=_remove_rule,
            args=(n,),
        )
    st.button(tr("data.rule_add"), key="data_rule_add", on_click=_add_rule)
    return rules


def _values(column: pd.Series) -> list[str]:
    """Return the distinct filled values of a column, as text, in the order of the file."""
    texts = (text_cell(v) for v in column)
    return list(dict.fromkeys(v for v in texts if v is not None))[:MAX_VALUES]


def _add_rule() -> None:
    n = int(st.session_state.get(RULE_NEXT_KEY, 0)) + 1
    st.session_state[RULE_NEXT_KEY] = n
    st.session_state[RULE_IDS_KEY] = [*st.session_state.get(RULE_IDS_KEY, []), n]


def _remove_rule(n: int) -> None:
    st.session_state[RULE_IDS_KEY] = [i for i in st.session_state.get(RULE_IDS_KEY, []) if i != n]


# --- type suggestions ----------------------------------------------------------------------


def _where(suggestion: Suggestion) -> str:
    """Return the values besides the texts that the suggestion's rows have ("category = x")."""
    texts = 2 if suggestion.where == "description" else 1  # the name (and the description)
    return ", ".join(f"{c} = {v}" for c, v in suggestion.conditions[texts:])


def suggestion_rules(frame: pd.DataFrame, mapping: Mapping) -> list[TypeRule]:
    """Show the types suggested by words in the names of places of type overig; ask which.

    Nothing is taken unless the user ticks it: per suggested type a checkbox, and then the
    places it is for (all at first; take out what is wrong).

    Returns
    -------
    list of TypeRule
        One rule per place (or group of alike places) the user took.
    """
    suggestions = type_suggestions(frame, mapping)
    if not suggestions:
        return []
    cat = catalogue()
    lang = current_lang()
    st.markdown(f"**{tr('data.suggest_title')}**")
    st.caption(tr("data.suggest_intro", n=sum(s.rows for s in suggestions)))
    table = pd.DataFrame(
        {
            tr("data.suggest.name"): [s.name for s in suggestions],
            tr("data.suggest.word"): [s.word for s in suggestions],
            tr("data.suggest.where"): [_where(s) for s in suggestions],
            tr("data.suggest.type"): [cat.types[s.type].label(lang) for s in suggestions],
            tr("data.suggest.rows"): [s.rows for s in suggestions],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    by_type: dict[str, list[Suggestion]] = {}
    for key in cat.types:
        group = [s for s in suggestions if s.type == key]
        if group:
            by_type[key] = group
    taken: list[Suggestion] = []
    for key, group in by_type.items():
        label = cat.types[key].label(lang)
        n = sum(s.rows for s in group)
        text = "data.suggest_group_one" if n == 1 else "data.suggest_group"
        if not st.checkbox(tr(text, type=label, n=n), key=f"data_suggest_{key}"):
            continue
        options = [s.key for s in group]
        names = {s.key: f"{s.name} ({s.rows}×)" if s.rows > 1 else s.name for s in group}
        # The places offered change with the mapping: a new list gets a new widget.
        digest = hashlib.sha256("\n".join(options).encode()).hexdigest()[:8]
        chosen = st.multiselect(
            tr("data.suggest_rows", type=label),
            options,
            default=options,
            format_func=names.__getitem__,
            placeholder=tr("filter.placeholder"),
            key=f"data_suggest_rows_{key}_{digest}",
            select_all=select_all(),
        )
        taken += [s for s in group if s.key in chosen]
    if taken:
        text = "data.suggest_taken_one" if len(taken) == 1 else "data.suggest_taken"
        st.caption(tr(text, n=len(taken)))
    return [s.rule() for s in taken]
