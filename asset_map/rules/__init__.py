"""Domain rules: the checks of the edit forms, the residents' talent form, and accounts.

Also how a place's opening hours are read (:mod:`open_times`): by the importers, the edit
form and the analysis alike.

Shared by the screens, the CLI and the database layer (:mod:`asset_map.storage`), so a rule
is written once; they import only the core (model, crs, errors, texts).
"""
