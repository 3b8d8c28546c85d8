"""Over deze kaart: what the map is, privacy, and the sources of the data."""

import streamlit as st

from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner, sources_table
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("page.about"))
demo_banner(ws)
st.markdown(tr("about.body"))
st.subheader(tr("about.sources"))
sources_table(ws)
