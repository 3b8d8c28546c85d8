"""Bijhouden: keep the map true: places to check, and links for organisers."""

import streamlit as st

from asset_map.ui import upkeep, upkeep_links
from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

user = require("edit_assets")  # also refuses the page's direct URL without the right role
ws = workspace()
st.title(tr("page.upkeep"))
demo_banner(ws)
check_tab, links_tab = st.tabs([tr("upkeep.tab_check"), tr("upkeep.tab_links")])
with check_tab:
    upkeep.to_check(ws, user.username)
with links_tab:
    upkeep_links.links(ws, user.username)
