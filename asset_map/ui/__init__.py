"""The only package code that imports streamlit: cached loaders, session state, widgets."""
