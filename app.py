"""Entry point: page config, language, and the navigation over ``app_pages/``.

Run with ``streamlit run app.py``.
"""

from pathlib import Path

import streamlit as st

from asset_map.rules.auth import can
from asset_map.ui.auth import current_user
from asset_map.ui.loaders import install_map_files
from asset_map.ui.state import language_picker, tr
from asset_map.ui.uploads import sweep_once

st.set_page_config(page_title="Kaart van de buurt", page_icon="🗺️", layout="wide")
install_map_files(str(Path(__file__).parent / "static"))
sweep_once()  # uploads left over from a server that stopped hard
language_picker()

user = current_user()
pages = [
    st.Page(
        "app_pages/explore.py", title=tr("page.explore"), icon="🗺️", default=True, url_path="kaart"
    ),
    st.Page("app_pages/near_me.py", title=tr("page.near_me"), icon="📍", url_path="in-de-buurt"),
    st.Page(
        "app_pages/activities.py", title=tr("page.activities"), icon="📅", url_path="activiteiten"
    ),
    st.Page("app_pages/kansen.py", title=tr("page.gaps"), icon="🧭", url_path="kansen"),
    st.Page("app_pages/workbench.py", title=tr("page.workbench"), icon="📊", url_path="werkbank"),
    st.Page("app_pages/meedoen.py", title=tr("page.join"), icon="⭐", url_path="meedoen"),
    st.Page("app_pages/about.py", title=tr("page.about"), icon="ℹ️", url_path="over"),
]
# Staff pages are always registered, so their direct URL reaches the page's own role check
# (which refuses and explains); the menu shows them only to users who may use them.
moderator = user is not None and can(user.role, "moderate")
editor = user is not None and can(user.role, "edit_assets")
connector = user is not None and can(user.role, "connect")
staff = [
    st.Page(
        "app_pages/connect.py",
        title=tr("page.connect"),
        icon="🤝",
        url_path="verbinden",
        visibility="visible" if connector else "hidden",
    ),
    st.Page(
        "app_pages/data.py",
        title=tr("page.data"),
        icon="📥",
        url_path="gegevens",
        visibility="visible" if editor else "hidden",
    ),
    st.Page(
        "app_pages/moderation.py",
        title=tr("page.moderate"),
        icon="✅",
        url_path="beoordelen",
        visibility="visible" if moderator else "hidden",
    ),
]
login_title = tr("page.logout") if user is not None else tr("page.login")
staff.append(st.Page("app_pages/login.py", title=login_title, icon="🔑", url_path="inloggen"))
st.navigation({"": pages, tr("login.title"): staff}).run()
