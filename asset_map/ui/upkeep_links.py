"""Bijhouden, links for organisers: make, list and withdraw the personal link of a place.

A link is shown once, when it is made (only the token's hash is stored); staff see per link
for whom it is, who made it and when, until when it works, whether it was withdrawn, and
how often it was used.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.services.workspace import Workspace
from asset_map.ui.auth import LOCAL_TIME
from asset_map.ui.loaders import store
from asset_map.ui.organiser import TOKEN_PARAM
from asset_map.ui.state import current_lang, tr

FLASH_KEY = "links_flash"
NEW_KEY = "links_new_url"
#: How long a new link works, in months (30 days each).
MONTHS = (1, 3, 6, 12)


def link_url(token: str, *, base: str | None = None) -> str:
    """Return the address of an organiser's link on this app (its own URL path)."""
    origin = base
    if origin is None:
        parts = urlsplit(str(st.context.url or ""))
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return f"{origin.rstrip('/')}/organisator?{TOKEN_PARAM}={token}"


def status(row: pd.Series, now: datetime) -> str:
    """Return ``active``, ``revoked`` or ``expired``."""
    if pd.notna(row["revoked_at"]):
        return "revoked"
    return "expired" if row["expires_at"] <= pd.Timestamp(now) else "active"


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else str(value)


def _date(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return "" if pd.isna(stamp) else stamp.tz_convert(LOCAL_TIME).strftime("%d-%m-%Y")


def links(ws: Workspace, username: str) -> None:
    """Choose a place; see its links, withdraw one, or make a new one."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    st.write(tr("links.intro"))
    places = ws.assets[ws.assets["status"].astype(str) != "closed"].sort_values("name")
    names = dict(zip(places["id"].astype(str), places["name"].astype(str), strict=True))
    place = st.selectbox(
        tr("links.place"),
        list(names),
        index=None,
        format_func=lambda i: names[i],
        placeholder=tr("suggest.asset_placeholder"),
        key="links_place",
    )
    if place is None:
        return
    new_url = st.session_state.pop(NEW_KEY, None)
    if new_url:
        st.info(tr("links.created"))
        st.code(new_url, language=None)
    _table(place, username)
    _make(place, username)


def _table(place: str, username: str) -> None:
    lang = current_lang()
    made = store().organiser_links(asset_id=place)
    if made.empty:
        st.caption(tr("links.none"))
        return
    now = datetime.now(UTC)
    states = [status(row, now) for _, row in made.iterrows()]
    st.dataframe(
        pd.DataFrame(
            {
                tr("links.col_label"): made["label"].fillna(""),
                tr("links.col_made"): [
                    f"{_date(r['created_at'])} ({r['created_by']})" for _, r in made.iterrows()
                ],
                tr("links.col_until"): made["expires_at"].map(_date),
                tr("links.col_status"): [t(f"links.status.{s}", lang) for s in states],
                tr("links.col_uses"): made["uses"],
                tr("links.col_last"): made["last_used_at"].map(_date),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    active = {
        str(r["id"]): f"{_text(r['label'])} · {_date(r['created_at'])}".strip(" ·")
        for (_, r), s in zip(made.iterrows(), states, strict=True)
        if s == "active"
    }
    if not active:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        tr("links.revoke_choose"), list(active), format_func=lambda i: active[i], key="links_revoke"
    )
    if right.button(tr("links.revoke"), key="links_revoke_go"):
        try:
            store().revoke_organiser_link(chosen, actor=username)
        except AssetMapError as exc:
            st.error(explain(exc, lang))
            return
        st.session_state[FLASH_KEY] = tr("links.revoked")
        st.rerun()


def _make(place: str, username: str) -> None:
    with st.form("links_make"):
        label = st.text_input(
            tr("links.label"), help=tr("links.label_help"), max_chars=120, key="links_label"
        )
        months = st.selectbox(
            tr("links.days"),
            MONTHS,
            index=2,
            format_func=lambda m: tr("links.days_option", months=m),
            key="links_months",
        )
        submitted = st.form_submit_button(tr("links.create"), type="primary")
    if not submitted:
        return
    try:
        _link_id, token = store().create_organiser_link(
            place, days=30 * int(months), actor=username, label=label or None
        )
    except AssetMapError as exc:
        st.error(explain(exc, current_lang()))
        return
    st.session_state[NEW_KEY] = link_url(token)
    st.rerun()
