"""Beoordelen: the wijkmanager approves residents' talents and their suggested places."""

import streamlit as st

from asset_map.ui.auth import require
from asset_map.ui.loaders import workspace
from asset_map.ui.moderation import moderation
from asset_map.ui.state import tr
from asset_map.ui.suggestion_review import review

user = require("moderate")  # also refuses the page's direct URL without the right role
st.title(tr("moderate.title"))
ws = workspace()
talents_tab, places_tab = st.tabs([tr("review.tab_talents"), tr("review.tab_suggestions")])
with talents_tab:
    moderation(ws, actor=user.username)
with places_tab:
    review(ws, actor=user.username)
