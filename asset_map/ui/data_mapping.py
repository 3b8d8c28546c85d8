"""The data screen's mapping step for an uploaded file of places: how the file is read.

"Hoe lezen we dit bestand?": a ready-made mapping (a preset of ``asset_map/io/mappings/``,
chosen already when the file's columns fit one), an uploaded TOML mapping, or the user's own
choice of columns, type values and rules. Each way gives a
:class:`~asset_map.io.mapping.Mapping`, and the file is read with
:func:`asset_map.io.read_assets` and that mapping, as ``asset-map import --mapping`` reads
it: the app and the CLI give the same places. Type suggestions the user takes become rules
of the mapping; the mapping can be downloaded as TOML.

Widget keys (``@nl``/``@en``: one widget per language, see :func:`state.choice_key`):
the radio ``data_how@nl`` (options ``preset:<name>``, ``upload``, ``manual``); the uploader
``data_mapping_file``; the column choices ``data_col_<ours>@nl``; the type of each value
``data_type_<i>@nl``, of places without a value ``data_type_rest@nl``, of all places when
no column holds a type ``data_one_type@nl``; the rules and suggestions of
:mod:`asset_map.ui.data_rules`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from asset_map._errors import MappingError
from asset_map.analysis.summary import count_by_type
from asset_map.i18n import STRINGS, Msg, t
from asset_map.io import ImportResult, read_assets
from asset_map.io.mapping import (
    Mapping,
    asset_preset_names,
    detect_assets_preset,
    load_mapping,
    parse_mapping,
    preset_text,
)
from asset_map.io.mapping_edit import manual_mapping, mapping_to_toml, with_rules
from asset_map.io.type_guess import guess_type_column
from asset_map.model import COLUMN_ALIASES, Lang, catalogue
from asset_map.ui.data_rules import rules_editor, suggestion_rules, type_select
from asset_map.ui.safe import md
from asset_map.ui.state import choice_key, current_lang, option_index, tr

NONE = ""
OUR_ASSET_COLUMNS = ("name", "type", "description", "address", "id", "tags")
HOW_KEY = "data_how"
MANUAL = "manual"
UPLOAD = "upload"
PRESET = "preset:"
#: Session keys: the TOML of the mapping in use (for the download), and the file the
#: choices were made for (another file starts afresh).
TOML_KEY = "data_mapping_toml"
CHOICES_OF_KEY = "data_mapping_of"
#: The session keys of the choices made for one file.
CHOICE_PREFIXES = ("data_how@", "data_col_", "data_type_", "data_one_type@", "data_rule_")
CHOICE_PREFIXES_MORE = ("data_suggest_",)


def read_mapped_assets(
    path: Path, frame: pd.DataFrame, columns: list[str], source: str, *, crs: str | None
) -> ImportResult | None:
    """Ask how to read the file, read it so, and offer the type suggestions.

    Parameters
    ----------
    path : Path
        The uploaded file.
    frame : DataFrame
        Its rows as read (``formats.read_raw``), for the column and value choices.
    columns : list of str
        Its columns, but the geometry.
    source : str
        The source the user named (every place's ``source``).
    crs : str, optional
        The CRS the user chose for a file without one.

    Returns
    -------
    ImportResult or None
        The places as they will be added; None while a mapping file is still to be chosen.

    Raises
    ------
    AssetMapError
        When the mapping or the file is refused (the caller shows the message).
    """
    _start_afresh_for(path)
    mapping, text = _chosen_mapping(frame, columns, source)
    if mapping is None:
        st.session_state.pop(TOML_KEY, None)
        return None
    result = read_assets(path, mapping=mapping, source=source, crs=crs)
    taken = suggestion_rules(frame, mapping)
    if taken:
        mapping = with_rules(mapping, taken, columns=columns)
        text = None
        result = read_assets(path, mapping=mapping, source=source, crs=crs)
    if text is None:
        try:
            text = mapping_to_toml(mapping)
        except ValueError:  # a column name the format reserves: no download then
            text = None
    if text is None:
        st.session_state.pop(TOML_KEY, None)
    else:
        st.session_state[TOML_KEY] = text
    return result


def _start_afresh_for(path: Path) -> None:
    """Forget the choices made for another file."""
    if st.session_state.get(CHOICES_OF_KEY) == str(path):
        return
    st.session_state[CHOICES_OF_KEY] = str(path)
    for key in list(st.session_state):
        if str(key).startswith(CHOICE_PREFIXES + CHOICE_PREFIXES_MORE):
            del st.session_state[key]


def _chosen_mapping(
    frame: pd.DataFrame, columns: list[str], source: str
) -> tuple[Mapping | None, str | None]:
    """Ask how the file is read; return the mapping and its text as the user gave it."""
    lang = current_lang()
    presets = asset_preset_names()
    detected = detect_assets_preset(columns)
    options = [*(PRESET + name for name in presets), UPLOAD, MANUAL]
    start = PRESET + detected.name if detected is not None else MANUAL
    key, now = choice_key(HOW_KEY, start)
    how = st.radio(
        tr("data.how"),
        options,
        index=option_index(options, now),
        format_func=lambda o: _how_label(o, lang),
        help=tr("data.how.help"),
        key=key,
    )
    if detected is not None and how == start:
        st.caption(tr("data.how.detected", title=preset_title(detected.name, lang)))
    if how.startswith(PRESET):
        name = how.removeprefix(PRESET)
        st.caption(tr("data.mapping_read", title=preset_title(name, lang)))
        return load_mapping(name), preset_text(name)
    if how == UPLOAD:
        return _uploaded_mapping()
    return _manual(frame, columns, source), None


def _how_label(option: str, lang: Lang) -> str:
    if option.startswith(PRESET):
        return t("data.how.preset", lang, title=preset_title(option.removeprefix(PRESET), lang))
    return t(f"data.how.{option}", lang)


def preset_title(name: str, lang: Lang) -> str:
    """Return what a preset is for, in ``lang`` when the UI texts have it, else its title."""
    key = f"data.preset.{name}"
    if key in STRINGS:
        return t(key, lang)
    return load_mapping(name).title or name


def _uploaded_mapping() -> tuple[Mapping | None, str | None]:
    """Read the TOML mapping the user uploads (None while there is none)."""
    file = st.file_uploader(tr("data.mapping_file"), type=["toml"], key="data_mapping_file")
    if file is None:
        st.info(tr("data.mapping_file_wait"))
        return None, None
    try:
        text = file.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        reason = Msg("err.mapping_file.not_utf8")
        raise MappingError(Msg("err.mapping.toml", name=file.name, reason=reason)) from None
    mapping = parse_mapping(text, file.name)
    st.caption(tr("data.mapping_read", title=md(mapping.title or file.name)))
    return mapping, text


# --- the user's own choices ----------------------------------------------------------------


def _manual(frame: pd.DataFrame, columns: list[str], source: str) -> Mapping:
    """Let the user pick their column for each of ours, a type per value, and rules."""
    cat = catalogue()
    lang = current_lang()
    st.markdown(f"**{tr('data.columns')}**")
    chosen: dict[str, str] = {}
    guessed = _guess("type", columns) or guess_type_column(frame, columns) or NONE
    cols = st.columns(3)
    for i, ours in enumerate(OUR_ASSET_COLUMNS):
        options = [NONE, *columns]
        start = guessed if ours == "type" else _guess(ours, columns)
        key, now = choice_key(f"data_col_{ours}", start)
        chosen[ours] = cols[i % 3].selectbox(
            tr(f"data.col.{ours}"),
            options,
            index=option_index(options, now),
            format_func=lambda c: t("data.none", lang) if c == NONE else c,
            key=key,
        )
    if guessed and chosen["type"] == guessed:
        st.caption(tr("data.type_guessed", column=md(guessed)))
    type_keys = list(cat.types)
    table: dict[str, str] = {}
    if chosen["type"]:
        st.markdown(f"**{tr('data.types')}**")
        values = [v for v in pd.unique(frame[chosen["type"]].astype(str)) if v]
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
        default = type_select(st, tr("data.types_rest"), "data_type_rest")
    else:
        default = type_select(st, tr("data.one_type"), "data_one_type")
    rules = rules_editor(frame, columns)
    return manual_mapping(
        columns={ours: theirs for ours, theirs in chosen.items() if ours != "type"},
        source=source,
        type_column=chosen["type"] or None,
        values=table,
        default=default,
        rules=rules,
    )


def _guess(ours: str, columns: list[str]) -> str:
    names = {ours, *COLUMN_ALIASES.get(ours, ())}
    return next((c for c in columns if c.lower() in names), NONE)


# --- the counts per type -------------------------------------------------------------------


def type_counts(frame: pd.DataFrame) -> None:
    """Show the number of places per type, and warn when none of them is a meeting place."""
    cat = catalogue()
    lang = current_lang()
    counts = count_by_type(frame) if len(frame) else {}
    meeting = cat.meeting_place_types()
    yes = tr("data.counts.yes")
    st.markdown(f"**{tr('data.counts_title')}**")
    table = pd.DataFrame(
        {
            tr("data.counts.type"): [cat.types[k].label(lang) for k in counts],
            tr("data.counts.n"): list(counts.values()),
            tr("data.counts.meeting"): [yes if k in meeting else "" for k in counts],
        }
    )
    st.dataframe(table, hide_index=True)
    n_meeting = sum(counts.get(k, 0) for k in meeting)
    if n_meeting:
        st.markdown(tr("data.meeting_places", n=n_meeting))
    else:
        names = ", ".join(cat.types[k].label(lang) for k in meeting)
        st.warning(tr("data.no_meeting_place", types=names))
