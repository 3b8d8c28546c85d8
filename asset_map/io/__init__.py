"""Import and export: real files in, canonical layers out, and back.

The readers refuse a bad file whole, with an error (from :mod:`asset_map._errors`) that names
the file, the row or feature and the column, and says how to fix it. What they repair, drop
or assume per feature goes into :attr:`ImportResult.notes`.
"""

from asset_map.io.activities import read_activities, read_place_needs
from asset_map.io.areas import read_areas
from asset_map.io.assets import read_assets
from asset_map.io.figures import join_figures
from asset_map.io.formats import ImportResult
from asset_map.io.mapping import Mapping, load_mapping, preset_names
from asset_map.io.talents import read_talents
from asset_map.io.writers import write_layer

__all__ = [
    "ImportResult",
    "Mapping",
    "join_figures",
    "load_mapping",
    "preset_names",
    "read_activities",
    "read_areas",
    "read_assets",
    "read_place_needs",
    "read_talents",
    "write_layer",
]
