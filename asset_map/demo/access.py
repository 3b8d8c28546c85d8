"""The demo's step-free access and opening hours: drawn for the meeting places.

A stream of random numbers of its own, so the places, talents and activities of the demo
stay what they were. Some meeting places are open two mornings a week, some in the evening,
some every weekday; a few have no known hours or access, as in real data.
"""

from __future__ import annotations

import numpy as np

from asset_map.model import catalogue

SEED_ACCESS = 20260116
#: Opening hours as OpenStreetMap writes them, with how often each is drawn.
HOURS = {
    "Mo-Fr 09:00-17:00; PH off": 3,
    "Tu,Th 10:00-12:00; PH off": 3,
    "Mo,We 09:30-12:00; Th 19:00-21:30; PH off": 2,
    "Mo-Fr 13:00-16:30; PH off": 2,
    "Sa 10:00-16:00": 1,
    "Mo-Sa 08:30-22:00; Su 12:00-18:00": 1,
    "": 3,  # not known
}
ACCESS = {"yes": 5, "limited": 2, "no": 2, "": 2}


def _draw(rng: np.random.Generator, table: dict[str, int]) -> str | None:
    keys = list(table)
    weights = np.array([table[k] for k in keys], dtype=float)
    chosen = str(rng.choice(keys, p=weights / weights.sum()))
    return chosen or None


def add_access_and_hours(assets: list[dict]) -> None:
    """Give every asset ``wheelchair`` and ``opening_hours`` (drawn for meeting places)."""
    rng = np.random.default_rng(SEED_ACCESS)
    meeting = set(catalogue().meeting_place_types())
    for asset in assets:
        if asset["type"] in meeting:
            asset["wheelchair"] = _draw(rng, ACCESS)
            asset["opening_hours"] = _draw(rng, HOURS)
        else:
            asset["wheelchair"] = asset["opening_hours"] = None
