"""Entry point: page config, language, and the navigation over ``app_pages/``.

Run with ``streamlit run app.py``.
"""

from pathlib import Path

import streamlit as st

from asset_map.ui.loaders import install_map_files
from asset_map.ui.state import language_picker, tr

st.set_page_config(page_title="Kaart van de buurt", page_icon="🗺️", layout="wide")
install_map_files(str(Path(__file__).parent / "static"))
language_picker()

pages = [
    st.Page(
        "app_pages/explore.py", title=tr("page.explore"), icon="🗺️", default=True, url_path="kaart"
    ),
    st.Page("app_pages/kansen.py", title=tr("page.gaps"), icon="🧭", url_path="kansen"),
    st.Page("app_pages/about.py", title=tr("page.about"), icon="ℹ️", url_path="over"),
]
st.navigation(pages).run()
