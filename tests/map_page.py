"""Read the places of a map page the way the browser does (``asset_points.js``).

Tests use this to check what a page sends without a browser: the data are the arguments of
the page's ``L.assetPoints(map, data, options)`` call.
"""

from __future__ import annotations

import json
import re

from asset_map.render.asset_rows import RECORD_FIELDS

_CALL = re.compile(r"= L\.assetPoints\(\w+,\s*")


def asset_call(page: str) -> tuple[dict, dict] | None:
    """Return the data and options of the page's asset layer, or None when it has none."""
    found = _CALL.search(page)
    if found is None:
        return None
    decoder = json.JSONDecoder()
    data, end = decoder.raw_decode(page, found.end())
    rest = page[end:].lstrip()
    assert rest.startswith(","), rest[:40]
    options, _ = decoder.raw_decode(rest[1:].lstrip())
    return data, options


def places(page: str) -> list[dict[str, object]]:
    """Return every place the page draws: position, type, name and popup fields, as sent."""
    call = asset_call(page)
    if call is None:
        return []
    data, _options = call
    lat0, lon0, scale = data["o"]
    types = [t["key"] for t in data["types"] for _ in range(t["n"])]
    planned = set(data["planned"])
    tables = data["T"]
    out = []
    lat = 0
    for i, (step, lon) in enumerate(zip(data["lat"], data["lon"], strict=True)):
        lat += step
        record = data["rec"][i]
        place: dict[str, object] = {
            "lat": (lat0 + lat) / scale,
            "lon": (lon0 + lon) / scale,
            "type": types[i],
            "name": data["name"][i],
            "planned": i in planned,
        }
        for j, field in enumerate(RECORD_FIELDS):
            value = record[j] if j < len(record) else None
            if str(j) in tables:
                value = tables[str(j)][value or 0]
            place[field] = "" if value is None else value
        out.append(place)
    return out
