"""Kaart: explore the assets of the neighbourhood on a map."""

import streamlit as st

from asset_map.ui import explore
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner, load_notes
from asset_map.ui.state import tr
from asset_map.ui.talents import public_talents

ws = workspace()
st.title(tr("app.title"))
demo_banner(ws)
st.write(tr("explore.intro"))
filters = explore.sidebar_filters(ws)
talents = public_talents(ws)  # the demo's and the approved ones: read once per run
explore.asset_map(ws, filters, talents)
explore.counts(ws, filters, talents)
load_notes(ws)
