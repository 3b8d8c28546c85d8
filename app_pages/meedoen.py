"""Doe mee: residents put their talent on the map (no account), or erase their details."""

import streamlit as st

from asset_map.ui import talents
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("join.title"))
demo_banner(ws)
st.write(tr("join.intro"))
talents.talent_form(ws)
st.divider()
talents.withdraw_form()
