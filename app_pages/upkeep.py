"""Bijhouden: keep the map true: places to check."""

import streamlit as st

from asset_map.ui import upkeep
from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

user = require("edit_assets")  # also refuses the page's direct URL without the right role
ws = workspace()
st.title(tr("page.upkeep"))
demo_banner(ws)
(check_tab,) = st.tabs([tr("upkeep.tab_check")])
with check_tab:
    upkeep.to_check(ws, user.username)
