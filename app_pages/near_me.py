"""Bij mij in de buurt: a resident finds meeting places and activities within walking distance."""

import streamlit as st

from asset_map.ui import near_me
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("page.near_me"))
demo_banner(ws)
st.write(tr("near.intro"))
origin = near_me.origin_picker(ws)
walk_min = near_me.walk_picker()
profile = near_me.profile_picker()
if origin is not None:
    near_me.results(ws, origin, near_me.find_nearby(ws, origin, walk_min, profile))
