"""Inloggen: staff log in here; residents need no account."""

import streamlit as st

from asset_map.ui.auth import login_form
from asset_map.ui.state import tr

st.title(tr("login.title"))
st.write(tr("login.intro"))
login_form()
