"""``python -m asset_map.demo``: write the made-up demo gemeente to ``data/demo/``."""

import sys

from asset_map.demo import main

sys.exit(main())
