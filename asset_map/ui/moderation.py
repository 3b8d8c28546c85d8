"""Beoordelen: the wijkmanager reads, edits, approves, rejects or erases residents' talents.

Every change goes through the store, which writes the audit log with the moderator's name.
Edits are checked with the rules and messages of the public form
(:func:`asset_map.rules.talent_form.check_edit`); a refusal of the store (a talent the resident
withdrew a moment ago, say) is explained, never shown as a traceback.

Each talent is shown as read once with its version (:mod:`asset_map.ui.edit_base`): an edit
writes only the fields the moderator changed, and an edit or a decision on a talent that
another moderator changed meanwhile is refused with what changed: nobody approves a text they
have not seen, nor undoes another's change unseen.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import PERSONAL_TALENT_FIELDS, TALENT_FIELDS, WISHES, Lang, catalogue
from asset_map.rules.concurrent_edits import Editable, StaleEdit
from asset_map.rules.talent_form import (
    check_edit,
)
from asset_map.services.workspace import Workspace
from asset_map.settings import submission_limits
from asset_map.ui import edit_base
from asset_map.ui.fields import FormSpots
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import (
    among,
    choice_key,
    current_lang,
    option_index,
    select_all,
    tr,
)
from asset_map.ui.talents import field_list

FLASH_KEY = "moderate_flash"


def moderation(ws: Workspace, actor: str) -> None:
    """Show pending talents (approve, edit, reject), then decided ones (undo), then all."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    names = {str(c): str(n) for c, n in zip(ws.areas["code"], ws.areas["name"], strict=True)}
    buurten = ws.areas[ws.areas["level"] == "buurt"].sort_values("name")
    buurt_names = {str(c): str(n) for c, n in zip(buurten["code"], buurten["name"], strict=True)}
    pending = store().talents(status="pending")
    if pending.empty:
        st.info(tr("moderate.none"))
    else:
        st.subheader(tr("moderate.pending", n=len(pending)))
        _queue_notice(len(pending))
    for _, stored in pending.iterrows():
        with st.container(border=True):
            row, base = _as_read(stored)
            _details(row, names)
            _editor(row, buurt_names, actor, base)
            _buttons(str(row["id"]), ("approved", "rejected", "erase"), actor, base)
    decided = store().talents()
    decided = decided[decided["status"] != "pending"]
    if not decided.empty:
        _decided(decided, names, buurt_names, actor)


def _queue_notice(waiting: int) -> None:
    """Say when the queue is full: the public form takes no new talents until it shrinks."""
    try:
        most = submission_limits().queue_max
    except AssetMapError as exc:  # a wrong setting: say which
        st.error(explain(exc, current_lang()))
        return
    if waiting >= most:
        st.warning(tr("moderate.queue_full", n=waiting, most=most))


def _decided(
    decided: pd.DataFrame, names: dict[str, str], buurt_names: dict[str, str], actor: str
) -> None:
    """Show decided and erased talents as one table, and one editor for the chosen talent.

    Hundreds of approved talents would make hundreds of editors: too slow to open.
    """
    st.subheader(tr("moderate.all"))
    st.caption(tr("moderate.approved_help"))
    lang = current_lang()
    statuses = ["approved", "rejected", "withdrawn"]
    left, right = st.columns(2)
    wanted_key, wanted_now = choice_key("moderate_filter_status", statuses)
    wanted = left.multiselect(
        tr("moderate.filter_status"),
        statuses,
        default=among(wanted_now, statuses),
        format_func=lambda s: _status_label(s, lang),
        placeholder=tr("filter.placeholder"),
        key=wanted_key,
        select_all=select_all(),
    )
    in_use = sorted({str(c) for c in decided["buurt_code"]}, key=lambda c: names.get(c, c))
    buurt = right.selectbox(
        tr("moderate.filter_buurt"),
        in_use,
        index=None,
        format_func=lambda c: names.get(c, c),
        placeholder=tr("filter.all"),
        key="moderate_filter_buurt",
    )
    shown = decided[decided["status"].isin(wanted)]
    if buurt is not None:
        shown = shown[shown["buurt_code"] == buurt]
    table = shown.assign(
        status=shown["status"].map(lambda s: _status_label(s, lang)),
        buurt=shown["buurt_code"].map(lambda c: names.get(c, c)),
    )[["nickname", "buurt", "categories", "status", "created_at"]]
    st.dataframe(table, hide_index=True, width="stretch")
    rows = {str(r["id"]): r for _, r in shown.iterrows()}
    chosen_key, choice_now = choice_key("moderate_choice", None)
    chosen = st.selectbox(
        tr("moderate.choose"),
        list(rows),
        index=option_index(list(rows), choice_now, None),
        format_func=lambda i: _choice_label(rows[i], names, lang),
        placeholder=tr("filter.choose_one"),
        key=chosen_key,
    )
    if chosen is None:
        return
    with st.container(border=True):
        if rows[chosen]["status"] == "withdrawn":
            st.info(tr("moderate.is_erased"))
            return
        row, base = _as_read(rows[chosen])
        _details(row, names)
        if row["status"] == "approved":
            _editor(row, buurt_names, actor, base)
            _buttons(chosen, ("pending", "rejected", "erase"), actor, base)
        else:
            _buttons(chosen, ("pending", "erase"), actor, base)


#: The editor's widget of each field a moderator edits: its key prefix, and whether it is a
#: choice whose key follows the language (``state.choice_key``).
_WIDGETS = {
    "nickname": ("edit_nick", False),
    "categories": ("edit_cat", True),
    "description": ("edit_desc", False),
    "wishes": ("edit_wish", True),
    "availability": ("edit_avail", False),
    "buurt_code": ("edit_buurt", False),
    "contact": ("edit_contact", False),
}


def _as_read(stored: pd.Series) -> tuple[pd.Series, Editable | None]:
    """Return the talent as this screen read it (with its version) and that starting point.

    Read once while the talent stays on the screen (its erase tick is the sign), so a
    decision is about the text the moderator saw.
    """
    talent_id = str(stored["id"])
    base = edit_base.held(
        f"talent:{talent_id}",
        lambda: store().editable_talent(talent_id),
        alive=f"erase_sure_{talent_id}",
    )
    edit_base.show_refusal(f"talent:{talent_id}")
    if base is None:
        return stored, None
    row = stored.copy()
    for name, value in base.values.items():
        row[name] = value
    return row, base


def _refused(talent_id: str, exc: StaleEdit, form: dict[str, Any]) -> None:
    """Keep the moderator's input; let the fields they did not change show the stored value."""
    edit_base.show_stored(edit_base.refused(f"talent:{talent_id}", exc, form), _WIDGETS, talent_id)
    st.rerun()


def _status_label(status: str, lang: Lang) -> str:
    if status == "withdrawn":
        return t("moderate.status_erased", lang)
    return t(f"status.{status}", lang)


def _choice_label(row: pd.Series, names: dict[str, str], lang: Lang) -> str:
    nickname = _plain(row["nickname"]) or t("moderate.status_erased", lang)
    buurt = names.get(str(row["buurt_code"]), str(row["buurt_code"]))
    return f"{nickname} · {buurt} · {_status_label(str(row['status']), lang)}"


def _labels(value: object, labels: dict[str, str]) -> str:
    return ", ".join(labels[k] for k in _keys(value) if k in labels)


def _keys(value: object) -> list[str]:
    return [k for k in _plain(value).split(";") if k]


def _details(row: pd.Series, names: dict[str, str]) -> None:
    """Show everything the resident sent, as plain text (never parsed as Markdown or HTML)."""
    lang = current_lang()
    cat = catalogue()
    buurt = names.get(str(row["buurt_code"]), str(row["buurt_code"]))
    st.markdown(f"**{md(row['nickname'])}** · {md(buurt)}")
    talents = {k: cat.talent_label(k, lang) for k in cat.talent_categories}
    st.text(_labels(row["categories"], talents))
    wishes = {k: tr(f"wish.{k}") for k in WISHES}
    lines = [
        ("moderate.wishes", _labels(row["wishes"], wishes)),
        ("moderate.availability", _plain(row["availability"])),
        ("moderate.description", _plain(row["description"])),
        ("moderate.contact", _plain(row["contact"])),
    ]
    for key, text in lines:
        if text:
            st.text(f"{tr(key)}: {text}")


def _editor(row: pd.Series, buurt_names: dict[str, str], actor: str, base: Editable | None) -> None:
    """Edit every field a resident filled in; checked like the form, field by field."""
    talent_id = str(row["id"])
    lang = current_lang()
    cat = catalogue()
    with st.expander(tr("moderate.edit")):
        spots = FormSpots()
        values: dict[str, Any] = {}

        def text(name: str, label: str, key: str, **options: Any) -> None:
            value = _plain(row[name])
            values[name] = spots.text(
                TALENT_FIELDS[name], tr(label), value=value, key=key, **options
            )

        text("nickname", "join.nickname", f"edit_nick_{talent_id}")
        categories = list(cat.talent_categories)
        categories_key, categories_now = choice_key(
            f"edit_cat_{talent_id}", _keys(row["categories"])
        )
        values["categories"] = st.multiselect(
            tr("join.categories"),
            categories,
            default=among(categories_now, categories),
            format_func=lambda k: cat.talent_label(k, lang),
            placeholder=tr("filter.placeholder"),
            key=categories_key,
            select_all=select_all(),
        )
        spots.mark("categories")
        text("description", "join.description", f"edit_desc_{talent_id}", area=True)
        wishes_key, wishes_now = choice_key(f"edit_wish_{talent_id}", _keys(row["wishes"]))
        values["wishes"] = st.multiselect(
            tr("join.wishes"),
            list(WISHES),
            default=among(wishes_now, list(WISHES)),
            format_func=lambda k: t(f"wish.{k}", lang),
            placeholder=tr("filter.placeholder"),
            key=wishes_key,
            select_all=select_all(),
        )
        spots.mark("wishes")
        text("availability", "join.availability", f"edit_avail_{talent_id}")
        options = list(buurt_names)
        current = str(row["buurt_code"])
        values["buurt_code"] = st.selectbox(
            tr("join.where_list"),
            options,
            index=options.index(current) if current in options else None,
            format_func=lambda c: buurt_names[c],
            placeholder=tr("join.where_list"),
            key=f"edit_buurt_{talent_id}",
        )
        spots.mark("buurt")
        text("contact", "join.contact", f"edit_contact_{talent_id}")
        if not st.button(tr("moderate.save"), key=f"save_{talent_id}"):
            return
        checked, errors = check_edit(values, buurt_codes=buurt_names, lang=lang)
        if checked is None:
            st.error(tr("moderate.fix"))
            spots.show(errors)
            return
        try:
            store().edit_talent(talent_id, checked, actor=actor, base=base)
        except StaleEdit as exc:
            _refused(talent_id, exc, _as_stored(checked))
        except AssetMapError as exc:
            st.error(f"{tr('moderate.not_saved')} {explain(exc, lang)}")
            return
        edit_base.forget(f"talent:{talent_id}")
        st.session_state[FLASH_KEY] = tr("moderate.done")
        st.rerun()


def _as_stored(checked: dict[str, Any]) -> dict[str, Any]:
    """Return checked edit values as the store keeps them: key lists ``;``-joined."""
    return {
        name: (";".join(value) or None) if isinstance(value, tuple | list) else value
        for name, value in checked.items()
    }


_BUTTON_LABELS = {
    "approved": "moderate.approve",
    "rejected": "moderate.reject",
    "pending": "moderate.undo",
    "erase": "moderate.erase",
}


def _buttons(talent_id: str, actions: tuple[str, ...], actor: str, base: Editable | None) -> None:
    """Show one button per action; each change is written with the moderator's name."""
    sure = False
    if "erase" in actions:
        st.caption(tr("moderate.erase_help", erased=field_list(PERSONAL_TALENT_FIELDS)))
        sure = st.checkbox(tr("moderate.erase_sure"), key=f"erase_sure_{talent_id}")
    columns = st.columns(len(actions))
    for column, action in zip(columns, actions, strict=True):
        label = tr(_BUTTON_LABELS[action])
        kind: Literal["primary", "secondary"] = "primary" if action == "approved" else "secondary"
        disabled = action == "erase" and not sure
        if column.button(label, key=f"{action}_{talent_id}", type=kind, disabled=disabled):
            _act(talent_id, action, actor, base)


def _act(talent_id: str, action: str, actor: str, base: Editable | None) -> None:
    try:
        if action == "erase":  # erasure is a right: it needs no look at the latest text
            store().erase_talent(talent_id, actor=actor)
        else:
            store().decide(talent_id, status=action, actor=actor, base=base)
    except StaleEdit as exc:
        _refused(talent_id, exc, {})
    except AssetMapError as exc:  # e.g. withdrawn by the resident a moment ago
        st.error(f"{tr('moderate.not_saved')} {explain(exc, current_lang())}")
        return
    edit_base.forget(f"talent:{talent_id}")
    st.session_state[FLASH_KEY] = tr("moderate.erased" if action == "erase" else "moderate.done")
    st.rerun()


def _plain(value: object) -> str:
    """Return a cell as text: empty for a missing value (pandas gives NaN or "None")."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)
