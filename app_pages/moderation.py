"""Beoordelen: the wijkmanager approves, edits or rejects residents' talents."""

import streamlit as st

from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.moderation import moderation
from asset_map.ui.state import tr

user = require("moderate")  # also refuses the page's direct URL without the right role
st.title(tr("moderate.title"))
moderation(workspace(), actor=user.username)
