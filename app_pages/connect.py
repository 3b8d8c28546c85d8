"""Verbinden: the wijkmanager matches talents to meeting places and records connections."""

import streamlit as st

from asset_map.ui import connect
from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

user = require("connect")  # also refuses the page's direct URL without the right role
ws = workspace()
st.title(tr("page.connect"))
demo_banner(ws)
st.write(tr("connect.intro"))
connect.recorded_message()
talents = connect.candidate_talents(ws)
place = connect.place_picker(ws)
if place is not None:
    asked = connect.needs_editor(ws, place, actor=user.username)
    connect.matches(ws, place, asked, talents, actor=user.username)
st.divider()
connections = connect.connections()
connect.recent_connections(ws, connections, talents)
connect.connections_chart(ws, connections)
