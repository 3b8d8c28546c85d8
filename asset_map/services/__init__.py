"""The use cases the app and the ``asset-map`` command share, one function each.

The screens (:mod:`asset_map.ui`) and the commands (:mod:`asset_map.cli`) both call these;
options are checked here once, with the defaults and ranges of :mod:`asset_map.settings`.

- :mod:`~asset_map.services.workspace`: the workspace (database, folder), the database;
- :mod:`~asset_map.services.inputs`: a command's files (``--areas``, ``--assets``) or the
  stored workspace;
- :mod:`~asset_map.services.imports`: import own files (areas, places, key figures);
- :mod:`~asset_map.services.fetch`: fetch a gemeente (PDOK, OpenStreetMap);
- :mod:`~asset_map.services.figures`: add a Kerncijfers CSV to the stored areas;
- :mod:`~asset_map.services.sources`: combine new layers with the stored ones, and save;
- :mod:`~asset_map.services.options`: plain options into checked gap-analysis parameters,
  and the limits of argparse and the widgets;
- :mod:`~asset_map.services.gaps`: run the gap analysis (cached per key and parameters);
- :mod:`~asset_map.services.report`: compute a wijk report, then draw it;
- :mod:`~asset_map.services.export`: choose places and write them;
- :mod:`~asset_map.services.near_me`: a postcode or buurt to what is within walking distance;
- :mod:`~asset_map.services.connect`: match talents to places, record connections, count them.
"""
