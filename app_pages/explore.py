"""Kaart: explore the assets of the neighbourhood on a map; its view lives in the address."""

import streamlit as st

from asset_map.ui import explore, map_view
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner, load_notes
from asset_map.ui.state import tr
from asset_map.ui.talents import public_talents

ws = workspace()
if map_view.embed_mode():  # on another website: the map and its legend only
    map_view.embedded(ws, public_talents(ws))
    st.stop()
st.title(tr("app.title"))
demo_banner(ws)
st.write(tr("explore.intro"))
map_view.restore(ws)  # a shared link: its filters, before they are drawn
filters = explore.sidebar_filters(ws)
map_view.keep_in_url(filters)
talents = public_talents(ws)  # the demo's and the approved ones: read once per run
explore.asset_map(
    ws,
    filters,
    talents,
    view=map_view.shared_view(filters),
    layers_off=map_view.shared_layers_off(filters),
)
map_view.share_box()
explore.counts(ws, filters, talents)
load_notes(ws)
