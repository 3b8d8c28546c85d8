"""Start the app with its session endpoints: ``streamlit run serve.py`` (or ``python serve.py``).

The screens are ``app.py``; this file serves them as an ``st.App`` (Streamlit's ASGI server)
with two more routes that set and clear the HTTP-only staff session cookie, so staff stay
logged in through a reload and in a new tab (:mod:`asset_map.ui.session_routes`).
``streamlit run app.py`` works too, but then a log-in holds in its own tab only.
"""

import streamlit as st
from streamlit import config

from asset_map.ui.session_routes import session_routes

app = st.App("app.py", routes=session_routes(config.get_option("server.baseUrlPath") or ""))

if __name__ == "__main__":
    app.run()
