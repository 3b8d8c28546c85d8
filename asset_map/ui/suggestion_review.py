"""Beoordelen, residents' places: the wijkmanager edits, accepts or rejects suggestions.

Nothing a resident sent is on the map before it is accepted here; accepting adds the place
(source ``bewoners``) or changes the stored one, in the store, with an audit entry. Edits
are checked with the rules and messages of the public form
(:func:`asset_map.rules.suggestion_form.check_edit`). Everything a resident typed is shown
as plain text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import catalogue
from asset_map.rules.suggestion_form import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_SCHEDULE,
    check_edit,
    types_for,
)
from asset_map.services import suggestions as service
from asset_map.services.workspace import Workspace
from asset_map.ui.auth import LOCAL_TIME
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import current_lang, option_index, tr

FLASH_KEY = "review_flash"


def review(ws: Workspace, actor: str) -> None:
    """Show the waiting suggestions (edit, accept, reject), then the ones decided before."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    everything = store().suggestions()
    pending = everything[everything["status"] == "pending"]
    if pending.empty:
        st.info(tr("review.none"))
    else:
        st.subheader(tr("review.pending", n=len(pending)))
        st.caption(tr("review.intro"))
    for _, row in pending.iterrows():
        with st.container(border=True):
            _details(ws, row)
            _editor(row, actor)
            _buttons(str(row["id"]), actor)
    decided = everything[everything["status"] != "pending"]
    if not decided.empty:
        _decided(decided)


def _plain(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _kind(row: pd.Series) -> str:
    if row["kind"] == "correction":
        return tr(f"suggest.correction.{row['correction']}")
    return tr(f"suggest.kind.{row['kind']}")


def _details(ws: Workspace, row: pd.Series) -> None:
    """Show what the resident sent, as plain text."""
    lang = current_lang()
    title = _plain(row["name"])
    st.markdown(f"**{md(_kind(row))}**" + (f" · {md(title)}" if title else ""))
    if row["kind"] == "correction":
        match = ws.assets[ws.assets["id"].astype(str) == str(row["asset_id"])]
        place = str(match["name"].iloc[0]) if len(match) else tr("review.place_gone")
        st.text(tr("review.about", place=place))
    else:
        kind = catalogue().types.get(_plain(row["type"]))
        if kind is not None:
            st.text(kind.label(lang))
    area = service.area_name(ws, _plain(row["buurt_code"]))
    if pd.notna(row["lon"]):
        if row["private_home"]:
            where = service.where(ws, float(row["lon"]), float(row["lat"]), private_home=True)
            shown = where[0] if where else area
            st.text(tr("review.where_private", area=shown))
        else:
            st.text(tr("review.where", area=area))
    lines = [
        ("suggest.description", row["description"]),
        ("suggest.schedule", row["schedule"]),
        ("suggest.address", row["address"]),
        ("review.contact", row["contact"]),
    ]
    for key, value in lines:
        if _plain(value):
            st.text(f"{tr(key)}: {_plain(value)}")
    sent = row["created_at"].tz_convert(LOCAL_TIME).strftime("%d-%m-%Y %H:%M")
    st.caption(tr("review.sent", date=sent))


def _editor(row: pd.Series, actor: str) -> None:
    """Edit what goes on the map before accepting; checked like the form."""
    suggestion_id = str(row["id"])
    lang = current_lang()
    kind = str(row["kind"])
    with st.expander(tr("review.edit")):
        values: dict[str, Any] = {}
        slots: dict[str, Any] = {}
        if kind in ("place", "group"):
            options = types_for(kind)
            values["type"] = st.selectbox(
                tr("suggest.type"),
                options,
                index=option_index(options, _plain(row["type"]), None),
                format_func=lambda k: catalogue().types[k].label(lang),
                key=f"review_type_{suggestion_id}",
            )
            slots["type"] = st.empty()
        if kind != "correction" or row["correction"] == "name":
            values["name"] = st.text_input(
                tr("suggest.name"), value=_plain(row["name"]), max_chars=MAX_NAME,
                key=f"review_name_{suggestion_id}",
            )  # fmt: skip
            slots["name"] = st.empty()
        if kind != "correction" or row["correction"] == "hours":
            values["schedule"] = st.text_input(
                tr("suggest.schedule"), value=_plain(row["schedule"]), max_chars=MAX_SCHEDULE,
                key=f"review_schedule_{suggestion_id}",
            )  # fmt: skip
            slots["schedule"] = st.empty()
        if not row["private_home"] and (kind != "correction" or row["correction"] == "moved"):
            values["address"] = st.text_input(
                tr("suggest.address"), value=_plain(row["address"]), max_chars=MAX_ADDRESS,
                key=f"review_address_{suggestion_id}",
            )  # fmt: skip
            slots["address"] = st.empty()
        values["description"] = st.text_area(
            tr("suggest.description"), value=_plain(row["description"]),
            max_chars=MAX_DESCRIPTION, key=f"review_description_{suggestion_id}",
        )  # fmt: skip
        slots["description"] = st.empty()
        if not st.button(tr("review.save"), key=f"review_save_{suggestion_id}"):
            return
        stored = {str(k): v for k, v in row.items()}
        checked, errors = check_edit(stored, values, lang=lang)
        if checked is None:
            st.error(tr("suggest.fix"))
            for field, text in errors.items():
                slots.get(field, st).error(text, icon="⚠️")
            return
        try:
            store().edit_suggestion(suggestion_id, checked, actor=actor)
        except AssetMapError as exc:
            st.error(f"{tr('review.not_saved')} {explain(exc, lang)}")
            return
        st.session_state[FLASH_KEY] = tr("review.saved")
        st.rerun()


def _buttons(suggestion_id: str, actor: str) -> None:
    accept, reject = st.columns(2)
    if accept.button(tr("review.accept"), key=f"review_accept_{suggestion_id}", type="primary"):
        _act(suggestion_id, "accept", actor)
    if reject.button(tr("review.reject"), key=f"review_reject_{suggestion_id}"):
        _act(suggestion_id, "reject", actor)


def _act(suggestion_id: str, action: str, actor: str) -> None:
    try:
        if action == "accept":
            store().accept_suggestion(suggestion_id, actor=actor)
        else:
            store().reject_suggestion(suggestion_id, actor=actor)
    except AssetMapError as exc:  # decided by a colleague a moment ago, a place deleted, ...
        st.error(f"{tr('review.not_saved')} {explain(exc, current_lang())}")
        return
    st.session_state[FLASH_KEY] = tr("review.accepted" if action == "accept" else "review.rejected")
    st.rerun()


def _decided(decided: pd.DataFrame) -> None:
    """Show the suggestions decided before, newest first."""
    st.subheader(tr("review.decided"))
    latest = decided.sort_values("decided_at", ascending=False).head(50)
    table = pd.DataFrame(
        {
            tr("review.col_kind"): [_kind(r) for _, r in latest.iterrows()],
            tr("review.col_name"): latest["name"].map(_plain),
            tr("review.col_status"): latest["status"].map(
                lambda s: t(f"suggest.status.{s}", current_lang())
            ),
            tr("review.col_by"): latest["decided_by"],
            tr("review.col_when"): latest["decided_at"]
            .dt.tz_convert(LOCAL_TIME)
            .dt.strftime("%d-%m-%Y"),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
