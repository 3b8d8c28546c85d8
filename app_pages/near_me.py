"""Bij mij in de buurt: a resident finds meeting places and activities within walking distance."""

import streamlit as st

from asset_map.ui.state import tr

st.title(tr("page.near_me"))
