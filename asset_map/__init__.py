"""asset_map: Asset Based Community Development maps for Dutch neighbourhoods.

The library is usable without Streamlit. The root holds the core (``model``, ``crs``,
``_errors``, ``i18n``, ``settings``); ``asset_map.io`` reads and writes files,
``asset_map.analysis`` holds pure functions, ``asset_map.storage`` is the database,
``asset_map.render`` draws maps and PDFs, and ``asset_map.services`` holds the use cases
that the app (``asset_map.ui``, the only package code that imports streamlit) and the
``asset-map`` command (``asset_map.cli``) share. ``lint-imports`` checks that the imports
go one way (see README, "Layout").
"""

__version__ = "0.1.0"
