"""Gegevens: load a gemeente or own files into the workspace; see what is loaded."""

import streamlit as st

from asset_map.ui import data, data_refresh, data_upload
from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import sources_table
from asset_map.ui.state import tr

user = require("edit_assets")  # also refuses the page's direct URL without the right role
ws = workspace()  # a load or import saves, then runs the page again: this is always current
st.title(tr("data.title"))
data_upload.show_result()
data_refresh.show_decided()
data.load_gemeente(actor=user.username)
st.divider()
data_refresh.refresh_sources(ws, actor=user.username)
data_refresh.review(actor=user.username)
st.divider()
data.upload(ws, actor=user.username)
st.divider()
data.what_is_loaded(ws)
st.subheader(tr("about.sources"))
sources_table(ws)
