"""Wat is er te doen?: the activities of this week, by buurt and day."""

import streamlit as st

from asset_map.rules.auth import can
from asset_map.ui import activities as week
from asset_map.ui.auth import current_user
from asset_map.ui.loaders import workspace
from asset_map.ui.messages import demo_banner
from asset_map.ui.state import tr

ws = workspace()
st.title(tr("page.activities"))
demo_banner(ws)
st.write(tr("week.intro"))
activities = week.activities_of(ws)
buurten, weekdays = week.week_filters(ws)
week.week_map(ws, week.shown(ws, activities, buurten=buurten, weekdays=weekdays))
week.week_list(week.this_week(ws, activities, buurten=buurten, weekdays=weekdays))
user = current_user()
if user is not None and can(user.role, "edit_assets"):
    st.divider()
    week.saved_messages()
    week.editor(ws, activities, actor=user.username)
