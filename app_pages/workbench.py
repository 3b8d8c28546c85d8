"""Cijfers en lijst: the planner's workbench: filters, map and table, figures, exports."""

import streamlit as st

from asset_map.ui.state import tr

st.title(tr("page.workbench"))
