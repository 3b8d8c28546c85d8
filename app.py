"""Entry point: page config, language, and the navigation over ``app_pages/``.

Run with ``streamlit run app.py``.
"""

from pathlib import Path

import streamlit as st

from asset_map.rules.auth import can
from asset_map.ui.auth import current_user
from asset_map.ui.loaders import install_map_files
from asset_map.ui.map_view import embed_mode, embed_page_style, language_from_url
from asset_map.ui.organiser import TOKEN_PARAM as ORGANISER_TOKEN
from asset_map.ui.staff_session import hand_over
from asset_map.ui.state import language_picker, tr
from asset_map.ui.uploads import sweep_once

# Embedded on another website (?embed=1): the Kaart's map only, no menu, no staff pages.
embedded = embed_mode()
st.set_page_config(
    page_title="Kaart van de buurt",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if embedded else "auto",
)
install_map_files(str(Path(__file__).parent / "static"))
sweep_once()  # uploads left over from a server that stopped hard
language_from_url()
if embedded:
    embed_page_style()
    kaart = st.Page("app_pages/explore.py", title=tr("page.explore"), url_path="kaart")
    st.navigation([kaart], position="hidden").run()
    st.stop()
language_picker()

ORGANISER = {"title": tr("page.organiser"), "icon": "🏠", "url_path": "organisator"}
if ORGANISER_TOKEN in st.query_params:
    # An organiser's personal link: their own place and nothing else, not even the menu.
    # Streamlit serves the first page of a list at the root and finds no other path there,
    # so the page is listed twice: at the root and at its own path /organisator.
    at_root = st.Page("app_pages/organiser.py", title=ORGANISER["title"], icon="🏠")
    organiser_only = [at_root, st.Page("app_pages/organiser.py", **ORGANISER)]
    st.navigation(organiser_only, position="hidden").run()
    st.stop()

user = current_user()
hand_over()  # after a log-in or log-out: the server sets or clears the session cookie
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
    st.Page("app_pages/suggest.py", title=tr("page.suggest"), icon="📌", url_path="plek-doorgeven"),
    st.Page("app_pages/about.py", title=tr("page.about"), icon="ℹ️", url_path="over"),
    # Without its link the organisers' page only says that it needs one.
    st.Page("app_pages/organiser.py", **ORGANISER, visibility="hidden"),
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
        "app_pages/upkeep.py",
        title=tr("page.upkeep"),
        icon="🔄",
        url_path="bijhouden",
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
# Expanded: with the staff pages there are more than Streamlit shows before "View more".
st.navigation({"": pages, tr("login.title"): staff}, expanded=True).run()
