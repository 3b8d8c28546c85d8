"""Verbinden: the wijkmanager matches talents to meeting places and records connections."""

import streamlit as st

from asset_map.ui.auth import require
from asset_map.ui.state import tr

user = require("connect")  # also refuses the page's direct URL without the right role
st.title(tr("page.connect"))
