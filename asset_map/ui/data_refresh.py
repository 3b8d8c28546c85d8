"""Gegevens: "Vernieuwen" (fetch the sources again) and the review of what changed in them.

The button downloads the workspace's gemeente again (CBS/PDOK and OpenStreetMap) and saves
it through :func:`asset_map.services.refresh.refresh_into`: a source the map holds already
is compared, not replaced, and its new, gone and changed places wait in the review table
below, where staff accept or reject one change, some, or all. Fields edited here stay.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.io.cbs import YEARS
from asset_map.services import refresh
from asset_map.services.fetch import fetch_gemeente
from asset_map.services.workspace import Workspace
from asset_map.ui.data_upload import remember, show_error
from asset_map.ui.loaders import store
from asset_map.ui.state import tr

#: The first characters of a change's id shown in the table and the choice.
SHORT = 8


def refresh_sources(ws: Workspace, actor: str) -> None:
    """Show "Vernieuwen": download the stored gemeente again and list what changed."""
    code = ws.meta.get("gemeentecode")
    st.subheader(tr("refresh.title"))
    if ws.is_demo or not code:
        st.caption(tr("refresh.no_gemeente"))
        return
    st.write(tr("refresh.intro", name=str(ws.meta.get("name") or code)))
    if not st.button(tr("refresh.button"), key="refresh_sources"):
        return
    try:
        with st.spinner(tr("data.busy")):
            loaded = fetch_gemeente(str(code), year=_areas_year(ws))
            done = refresh.refresh_into(store(), loaded, actor=actor)
    except AssetMapError as exc:
        show_error(exc)
        return
    counts = {"new": 0, "gone": 0, "changed": 0}
    for listed in done.listed.values():
        for kind, n in listed.items():
            counts[kind] += n
    remember(tr("refresh.done", **counts), done.loaded)


def _areas_year(ws: Workspace) -> int:
    """Return the year of the stored wijk- en buurtkaart (CBS/PDOK), else the newest."""
    sources = ws.meta.get("sources")
    for entry in sources if isinstance(sources, list) else []:
        cbs = isinstance(entry, dict) and str(entry.get("name", "")).startswith("CBS")
        if cbs and entry.get("layer") == "areas" and entry.get("year"):
            return int(entry["year"])
    return max(YEARS)


def _table(changes: pd.DataFrame) -> pd.DataFrame:
    """Return the review table: one row per change, in the reader's language."""
    rows = []
    for c in changes.to_dict("records"):
        rows.append(
            {
                tr("refresh.col.id"): str(c["id"])[:SHORT],
                tr("refresh.col.source"): c["source"],
                tr("refresh.col.kind"): tr(f"refresh.kind.{c['kind']}"),
                tr("refresh.col.name"): c["name"] or c["source_id"],
                tr("refresh.col.what"): "; ".join(
                    f"{f}: {c['old'].get(f) or '–'} → {c['new'].get(f) or '–'}"
                    for f in c["fields"]
                    if f not in ("lat",)
                ),
                tr("refresh.col.local"): ", ".join(c["local"]),
            }
        )
    return pd.DataFrame(rows)


def review(actor: str) -> None:
    """Show the open changes of the sources, with accept or reject per change or for all."""
    changes = refresh.open_changes(store())
    st.subheader(tr("refresh.review_title"))
    if changes.empty:
        st.caption(tr("refresh.none"))
        return
    st.write(tr("refresh.review_intro", n=len(changes)))
    st.dataframe(_table(changes), hide_index=True, width="stretch")
    labels = {
        str(c["id"]): " · ".join(
            (str(c["id"])[:SHORT], tr(f"refresh.kind.{c['kind']}"), c["name"] or c["source_id"])
        )
        for c in changes.to_dict("records")
    }
    chosen = st.multiselect(
        tr("refresh.choose"), list(labels), format_func=labels.__getitem__, key="refresh_chosen"
    )
    accept, reject, everything = st.columns(3)
    decision: tuple[list[str], bool] | None = None
    if accept.button(tr("refresh.accept"), key="refresh_accept", disabled=not chosen):
        decision = (chosen, True)
    if reject.button(tr("refresh.reject"), key="refresh_reject", disabled=not chosen):
        decision = (chosen, False)
    if everything.button(tr("refresh.accept_all"), key="refresh_accept_all"):
        decision = (list(labels), True)
    if decision is None:
        return
    ids, yes = decision
    try:
        refresh.decide(store(), ids, accept=yes, actor=actor)
    except AssetMapError as exc:
        show_error(exc)
        return
    st.session_state.pop("refresh_chosen", None)
    key = "refresh.accepted" if yes else "refresh.rejected"
    st.session_state["refresh_result"] = tr(key, n=len(ids))
    st.rerun()


def show_decided() -> None:
    """Show what the last decision did (once)."""
    said = st.session_state.pop("refresh_result", None)
    if said:
        st.success(said)
