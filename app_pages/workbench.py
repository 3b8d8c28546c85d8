"""Cijfers en lijst: the planner's workbench: filters, map and table, figures, exports."""

import streamlit as st

from asset_map.ui import asset_editor, workbench, workbench_figures
from asset_map.ui.loaders import data_folder, workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr
from asset_map.ui.talents import public_talents

ws = workspace()
st.title(tr("page.workbench"))
demo_banner(ws)
st.write(tr("wb.intro"))
query = workbench.filters(ws)  # in the sidebar and in the URL
assets = workbench.selection(ws, query)
areas = workbench.chosen_areas(ws, query)
talents = public_talents(ws)
workbench.counts(ws, query, assets, talents)

list_tab, figures_tab, export_tab = workbench.tabs()  # only the open tab is drawn
if list_tab.open:
    with list_tab:
        selected = workbench.map_and_table(ws, query, assets)
        asset_editor.editor(ws, selected)
if figures_tab.open:
    with figures_tab:
        workbench_figures.figures(ws, areas, talents, data_folder())
if export_tab.open:
    with export_tab:
        workbench_figures.exports(
            ws, areas, assets, talents, folder=data_folder(), basemap=workbench.basemap()
        )
