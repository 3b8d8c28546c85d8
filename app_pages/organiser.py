"""Uw plek bijhouden: an organiser keeps their own place current through a personal link."""

from asset_map.ui import organiser
from asset_map.ui.loaders import workspace

organiser.page(workspace(), organiser.token())
