"""Plek doorgeven: residents suggest a place, a group or a correction (no account)."""

import streamlit as st

from asset_map.ui import suggestions
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("page.suggest"))
demo_banner(ws)
st.write(tr("suggest.intro"))
suggestions.suggestion_form(ws)
st.divider()
suggestions.follow_form()
