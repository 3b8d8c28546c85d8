"""Kansen: change over time. Take a dated snapshot; compare two (or one with now) per wijk.

Staff (who may edit places) take snapshots; everyone sees the comparison: per wijk the
places opened and closed and the share of residents within walking distance then and now
(:mod:`asset_map.services.snapshots`).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.rules.auth import can
from asset_map.services import snapshots
from asset_map.services.workspace import Workspace
from asset_map.ui.auth import current_user
from asset_map.ui.loaders import store
from asset_map.ui.safe import explain_here
from asset_map.ui.state import current_lang, tr

#: The choice "the map of today" beside the stored snapshots.
NOW = "now"


def _share(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f}%"


def _change(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:+.1f}"


def comparison_table(comparison: snapshots.Comparison) -> pd.DataFrame:
    """Return the comparison per wijk as a table in the reader's language."""
    rows = []
    for r in comparison.rows.to_dict("records"):
        code = r["wijk_code"]
        if code == "*":
            wijk = tr("snapshot.all_wijken")
        else:
            wijk = r["wijk_name"] or code or tr("snapshot.no_wijk")
        rows.append(
            {
                tr("snapshot.col.wijk"): wijk,
                tr("snapshot.col.before"): r["places_before"],
                tr("snapshot.col.after"): r["places_after"],
                tr("snapshot.col.opened"): "; ".join(p["name"] for p in r["opened"]),
                tr("snapshot.col.closed"): "; ".join(p["name"] for p in r["closed"]),
                tr("snapshot.col.share_before"): _share(r["share_before"]),
                tr("snapshot.col.share_after"): _share(r["share_after"]),
                tr("snapshot.col.change"): _change(r["share_change"]),
            }
        )
    return pd.DataFrame(rows)


def _take(ws: Workspace) -> None:
    """Show "Momentopname maken" to staff."""
    user = current_user()
    if user is None or not can(user.role, "edit_assets"):
        return
    label = st.text_input(tr("snapshot.label"), key="snapshot_label", max_chars=120)
    if st.button(tr("snapshot.take"), key="snapshot_take"):
        try:
            snapshots.take(store(), ws, actor=user.username, label=label)
        except AssetMapError as exc:
            st.error(explain_here(exc, current_lang()))
            return
        st.session_state["snapshot_taken"] = True
        st.rerun()
    if st.session_state.pop("snapshot_taken", False):
        st.success(tr("snapshot.taken"))


def history(ws: Workspace) -> None:
    """Show the part "Verandering in de tijd": take a snapshot, compare two."""
    st.subheader(tr("snapshot.title"))
    st.write(tr("snapshot.intro"))
    _take(ws)
    frame = store().snapshots()
    if frame.empty:
        st.caption(tr("snapshot.none_yet"))
        return
    labels = {
        str(r["id"]): r["taken_at"].tz_convert("Europe/Amsterdam").strftime("%d-%m-%Y %H:%M")
        + (f" · {r['label']}" if r["label"] else "")
        for r in frame.to_dict("records")
    }
    ids = list(labels)
    labels[NOW] = tr("snapshot.now")
    left, right = st.columns(2)
    first = left.selectbox(
        tr("snapshot.first"), ids, index=0, format_func=labels.__getitem__, key="snapshot_first"
    )
    second = right.selectbox(
        tr("snapshot.second"),
        [*ids, NOW],
        index=len(ids),
        format_func=labels.__getitem__,
        key="snapshot_second",
    )
    try:
        if second == NOW:
            key = ("snapshot-now", store().workspace_version())
            comparison = snapshots.with_now(store(), str(first), ws, key=key)
        else:
            comparison = snapshots.compare_snapshots(store(), str(first), str(second))
    except AssetMapError as exc:
        st.error(explain_here(exc, current_lang()))
        return
    st.dataframe(comparison_table(comparison), hide_index=True, width="stretch")
    st.caption(tr("snapshot.caption"))
