"""Run the command line as ``python -m asset_map.cli``."""

import sys

from asset_map.cli import main

sys.exit(main())
