"""asset_map: Asset Based Community Development maps for Dutch neighbourhoods.

The library is usable without Streamlit: ``asset_map.io`` reads files, ``asset_map.render``
builds folium maps, ``asset_map.analysis`` holds pure functions. Only ``asset_map.ui`` (and
the app) imports streamlit.
"""

__version__ = "0.1.0"
