"""Shared bits of text on screen: the demo banner, load notes, the sources table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from asset_map.i18n import localise
from asset_map.services.workspace import Workspace
from asset_map.ui.state import current_lang, tr


def demo_banner(ws: Workspace) -> None:
    """Say clearly that the demo's places, figures and names are made up."""
    if ws.is_demo:
        st.warning(tr("demo.banner"), icon="🧪")


def load_notes(ws: Workspace) -> None:
    """List what the importers repaired or dropped, folded away."""
    if ws.notes:
        with st.expander(tr("notes.header", n=len(ws.notes))):
            for note in ws.notes:
                st.text(localise(note, current_lang()))


def sources_table(ws: Workspace) -> None:
    """Show a table of the data sources with licence and year."""
    sources = ws.meta.get("sources") or []
    if not isinstance(sources, list) or not sources:
        return
    frame = pd.DataFrame(sources).reindex(columns=["name", "licence", "year"])
    unknown = tr("data.year_unknown")  # a file that does not say its year
    frame["year"] = [
        unknown if pd.isna(y) or y == "" else f"{y:.0f}" if isinstance(y, float) else str(y)
        for y in frame["year"]
    ]
    frame = frame.rename(
        columns={
            "name": tr("about.source_name"),
            "licence": tr("about.licence"),
            "year": tr("about.year"),
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
