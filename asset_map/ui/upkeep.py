"""Bijhouden, to check: which places nobody checked for too long, per wijk, and record a check.

A wijkmanager chooses the wijken she looks after (kept per account); her list shows their
overdue places, the longest unchecked first (or sorted as she likes). A visit or a phone
call is recorded with her name; the place then counts as checked. The share of places
checked in time is shown per wijk. The period is ``ASSET_MAP_CHECK_MONTHS`` (default 12).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import catalogue
from asset_map.render.styles import format_number
from asset_map.services import freshness
from asset_map.services.workspace import Workspace
from asset_map.ui.auth import LOCAL_TIME
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import choice_key, current_lang, option_index, tr

FLASH_KEY = "upkeep_flash"
#: How a wijkmanager checks a place herself (the other ways are recorded by the app).
OWN_METHODS = ("visit", "phone")
ORDERS = ("oldest", "newest", "name")


def method_label(method: object) -> str:
    """Return how a place was checked, in the user's language (empty when never)."""
    if not isinstance(method, str) or not method or method == "nan":
        return ""
    return tr(f"check.method.{method}")


def checked_text(moment: Any) -> str:
    """Return the date of a check (``12-03-2025``), or "nooit" when never checked."""
    if moment is None or pd.isna(moment):
        return tr("check.never")
    return pd.Timestamp(moment).tz_convert(LOCAL_TIME).strftime("%d-%m-%Y")


def _months() -> int:
    try:
        return settings.check_months()
    except AssetMapError as exc:  # a wrong setting: explain it, and use the default
        st.warning(explain(exc, current_lang()))
        return int(settings.CHECK_MONTHS.default)


def per_wijk(ws: Workspace) -> None:
    """Show per wijk the share of places checked in time."""
    table = freshness.per_area(ws, level="wijk")
    if table is None:
        st.info(tr("check.no_checks"))
        return
    names = dict(zip(ws.areas["code"].astype(str), ws.areas["name"].astype(str), strict=True))
    lang = current_lang()
    months = _months()
    total_places, total_checked = int(table["places"].sum()), int(table["checked"].sum())
    if total_places:
        share = format_number(100.0 * total_checked / total_places, "%", lang)
        st.metric(tr("check.share_all", months=months), share)
    shown = pd.DataFrame(
        {
            tr("wb.col.wijk"): table["code"].map(lambda c: names.get(c, c)),
            tr("check.col_places"): table["places"],
            tr("check.col_checked"): table["checked"],
            tr("check.col_share", months=months): [
                format_number(v, "%", lang) for v in table["checked_pct"]
            ],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def _my_wijken(ws: Workspace, username: str) -> tuple[str, ...]:
    """Ask which wijken the user looks after; the choice is kept with her account."""
    wijken = ws.areas[ws.areas["level"] == "wijk"].sort_values("name")
    names = dict(zip(wijken["code"].astype(str), wijken["name"].astype(str), strict=True))
    stored = [c for c in store().staff_areas(username) if c in names]
    key = "upkeep_wijken"
    if key not in st.session_state:
        st.session_state[key] = stored

    def save() -> None:
        try:
            store().set_staff_areas(username, list(st.session_state[key]), actor=username)
        except AssetMapError as exc:
            st.session_state[FLASH_KEY] = explain(exc, current_lang())

    chosen = st.multiselect(
        tr("check.my_wijken"),
        list(names),
        format_func=lambda c: names[c],
        placeholder=tr("filter.all"),
        help=tr("check.my_wijken_help"),
        key=key,
        on_change=save,
    )
    return tuple(chosen)


def to_check(ws: Workspace, username: str) -> None:
    """Show the overdue places of the user's wijken, and record a check of one of them."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    lang = current_lang()
    months = _months()
    st.write(tr("check.intro", months=months))
    per_wijk(ws)
    wijken = _my_wijken(ws, username)
    due = freshness.due(ws, wijken=wijken)
    if due is None:
        return
    st.subheader(tr("check.due_title", n=len(due)))
    if due.empty:
        st.success(tr("check.none_due"))
        return
    order_key, order_now = choice_key("upkeep_order", ORDERS[0])
    order = st.radio(
        tr("check.order"),
        ORDERS,
        index=option_index(ORDERS, order_now),
        format_func=lambda k: t(f"check.order.{k}", lang),
        horizontal=True,
        key=order_key,
    )
    if order == "newest":
        due = due.iloc[::-1]
    elif order == "name":
        due = due.sort_values("name", key=lambda s: s.str.lower(), kind="stable")
    names = dict(zip(ws.areas["code"].astype(str), ws.areas["name"].astype(str), strict=True))
    cat = catalogue()
    table = pd.DataFrame(
        {
            tr("wb.col.name"): due["name"].astype(str),
            tr("wb.col.type"): due["type"].map(
                lambda k: cat.types[k].label(lang) if k in cat.types else str(k)
            ),
            tr("wb.col.wijk"): due["wijk_code"].map(lambda c: names.get(str(c), "")),
            tr("wb.col.buurt"): due["buurt_code"].map(lambda c: names.get(str(c), "")),
            tr("check.col_last"): due["last_checked"].map(checked_text),
            tr("check.col_how"): due["checked_how"].map(method_label),
            tr("check.col_months"): (due["age_days"] / 30.44).round().astype("Int64"),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    _record(due, username)


def _record(due: pd.DataFrame, username: str) -> None:
    """Record a visit or a phone call for one of the places in the list."""
    labels = dict(zip(due["id"].astype(str), due["name"].astype(str), strict=True))
    with st.form("upkeep_record"):
        st.markdown(f"**{tr('check.record_title')}**")
        place = st.selectbox(
            tr("check.record_place"),
            list(labels),
            index=None,
            format_func=lambda i: labels[i],
            placeholder=tr("suggest.asset_placeholder"),
            key="upkeep_place",
        )
        how = st.radio(
            tr("check.record_how"),
            OWN_METHODS,
            format_func=method_label,
            horizontal=True,
            key="upkeep_how",
        )
        submitted = st.form_submit_button(tr("check.record_submit"), type="primary")
    if not submitted:
        return
    if place is None:
        st.error(tr("check.record_choose"))
        return
    try:
        store().record_check(place, method=str(how), actor=username)
    except AssetMapError as exc:
        st.error(explain(exc, current_lang()))
        return
    st.session_state[FLASH_KEY] = tr("check.recorded", name=md(labels[place]))
    st.rerun()
