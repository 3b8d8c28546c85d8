"""Forms that change a stored row: the version they started from, and a refusal explained.

A form reads its row once (:func:`held`) and keeps that starting point in the session until it
is saved (:func:`forget`). The store writes only what the user changed from it and refuses a
save when someone changed the row meanwhile (:class:`StaleEdit`, see
:mod:`asset_map.rules.concurrent_edits`). Then :func:`refused` keeps the user's input, names
the fields that should show the stored value now, and remembers the refusal, which
:func:`show_refusal` shows above the form after the page reloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.rules.concurrent_edits import Editable, StaleEdit, rebase
from asset_map.ui.state import current_lang, forget_choice

BASES_KEY = "edit_bases"
REFUSALS_KEY = "edit_refusals"


def held(slot: str, load: Callable[[], Editable], *, alive: str | None = None) -> Editable | None:
    """Return what the form ``slot`` started from: read once, kept until :func:`forget`.

    Parameters
    ----------
    slot : str
        The form (its kind and row id).
    load : callable
        Reads the row and its version.
    alive : str, optional
        The key of one of the form's widgets. When it is not in the session, the form was
        not drawn in the last run (its widgets start afresh from the stored values), so the
        row is read again too.

    Returns
    -------
    Editable or None
        None when the row cannot be read (deleted a moment ago, or the app shows a folder of
        files instead of the database): the save then says what is wrong.
    """
    bases: dict[str, Editable] = st.session_state.setdefault(BASES_KEY, {})
    if slot not in bases or (alive is not None and alive not in st.session_state):
        try:
            bases[slot] = load()
        except AssetMapError:
            bases.pop(slot, None)
            return None
    return bases[slot]


def forget(slot: str) -> None:
    """Drop the starting point of ``slot``: the next draw reads the row again."""
    st.session_state.get(BASES_KEY, {}).pop(slot, None)


def refused(slot: str, error: StaleEdit, form: Mapping[str, Any]) -> set[str]:
    """Handle a refused save of ``slot``: the new starting point, and the message to show.

    Parameters
    ----------
    slot : str
        The form.
    error : StaleEdit
        The store's refusal, naming what changed meanwhile.
    form : mapping
        The values the user sent (cleaned, as the store takes them).

    Returns
    -------
    set of str
        The fields the user did not change whose stored value is new: the form should show
        the stored value (``error.current.values``); the user's other input stays.
    """
    base = st.session_state.get(BASES_KEY, {}).get(slot, error.current)
    refresh, current = rebase(base, form, error.current)
    st.session_state.setdefault(BASES_KEY, {})[slot] = current
    st.session_state.setdefault(REFUSALS_KEY, {})[slot] = error
    return refresh


def show_refusal(slot: str) -> None:
    """Show, once, why the last save of ``slot`` was refused and what changed meanwhile."""
    error = st.session_state.get(REFUSALS_KEY, {}).pop(slot, None)
    if error is not None:
        st.warning(explain(error, current_lang()), icon="🔄")


def show_stored(
    fields: Iterable[str], widgets: Mapping[str, tuple[str, bool]], suffix: str
) -> None:
    """Let the widgets of ``fields`` start afresh, so they show the stored value again.

    ``widgets`` gives each field's widget: its key prefix (the key is ``prefix_suffix``), and
    whether it is a choice whose key follows the language (``state.choice_key``).
    """
    for name in set(fields) & widgets.keys():
        prefix, choice = widgets[name]
        if choice:
            forget_choice(f"{prefix}_{suffix}")
        else:
            st.session_state.pop(f"{prefix}_{suffix}", None)
