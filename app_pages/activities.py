"""Wat is er te doen?: the activities of this week, by buurt and day."""

import streamlit as st

from asset_map.ui.state import tr

st.title(tr("page.activities"))
