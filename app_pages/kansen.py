"""Kansen: where residents live beyond walking distance, and where a new place helps most."""

import streamlit as st

from asset_map.ui import gaps
from asset_map.ui.basemap import chosen_basemap
from asset_map.ui.loaders import data_folder, workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("gaps.title"))
demo_banner(ws)
st.write(tr("gaps.intro", minutes=int(st.session_state.get("gap_walk_min", 10))))
params, uploads = gaps.parameter_form(ws)
outcome = gaps.run(ws, data_folder(), params, uploads)
if outcome is not None:
    result, baseline = outcome
    gaps.summary(result, baseline)
    gaps.gap_map(ws, result, basemap=chosen_basemap())
    gaps.tables(result)
