"""The data screen's column and type choices for an uploaded file of places, as a mapping.

The choices become the TOML of :mod:`asset_map.io.mapping` (the user can download it and use
it with ``asset-map import --mapping``).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from asset_map.i18n import t
from asset_map.model import COLUMN_ALIASES, catalogue
from asset_map.ui.state import choice_key, current_lang, option_index, tr

NONE = ""
OUR_ASSET_COLUMNS = ("name", "type", "description", "address", "id", "tags")


def mapping_toml(frame: pd.DataFrame, columns: list[str], source: str) -> str:
    """Let the user pick their column for each of ours, and our type for each value; as TOML."""
    cat = catalogue()
    lang = current_lang()
    st.markdown(f"**{tr('data.columns')}**")
    chosen: dict[str, str] = {}
    cols = st.columns(3)
    for i, ours in enumerate(OUR_ASSET_COLUMNS):
        options = [NONE, *columns]
        key, now = choice_key(f"data_col_{ours}", _guess(ours, columns))
        chosen[ours] = cols[i % 3].selectbox(
            tr(f"data.col.{ours}"),
            options,
            index=option_index(options, now),
            format_func=lambda c: t("data.none", lang) if c == NONE else c,
            key=key,
        )
    lines = [f"[assets]\nsource = {json.dumps(source)}", "[assets.columns]"]
    lines += [
        f"{ours} = {json.dumps(theirs)}"
        for ours, theirs in chosen.items()
        if theirs and ours != "type"
    ]
    type_keys = list(cat.types)
    if chosen["type"]:
        st.markdown(f"**{tr('data.types')}**")
        values = [v for v in pd.unique(frame[chosen["type"]].astype(str)) if v]
        table = {}
        # Every value gets its choice; a long list folds away, still complete.
        box = st.expander(tr("data.types_all", n=len(values))) if len(values) > 30 else st
        cols = box.columns(3)
        for i, value in enumerate(values):
            found = cat.type_for(value)
            key, now = choice_key(f"data_type_{i}", found.key if found else "overig")
            table[value] = cols[i % 3].selectbox(
                value,
                type_keys,
                index=option_index(type_keys, now, type_keys.index("overig")),
                format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
                key=key,
            )
        rest = _type_choice("data.types_rest", "data_type_rest")
        lines.append(f"[assets.type]\nfrom = [{json.dumps(chosen['type'])}]")
        lines.append(f"default = {json.dumps(rest)}")
        lines.append(f"[assets.type.{json.dumps(chosen['type'])}]")
        lines += [f"{json.dumps(v)} = {json.dumps(k)}" for v, k in table.items()]
    else:
        one = _type_choice("data.one_type", "data_one_type")
        # No `from`: every row gets the default type.
        lines.append(f"[assets.type]\ndefault = {json.dumps(one)}")
    text = "\n".join(lines) + "\n"
    st.session_state["data_mapping_toml"] = text
    return text


def _type_choice(label: str, key: str) -> str:
    """Ask for one of our types ("overig" unless chosen otherwise)."""
    cat = catalogue()
    lang = current_lang()
    keys = list(cat.types)
    widget_key, now = choice_key(key, "overig")
    return str(
        st.selectbox(
            tr(label),
            keys,
            index=option_index(keys, now, keys.index("overig")),
            format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
            key=widget_key,
        )
    )


def _guess(ours: str, columns: list[str]) -> str:
    names = {ours, *COLUMN_ALIASES.get(ours, ())}
    return next((c for c in columns if c.lower() in names), NONE)
