"""A gemeente's places from the Overpass API: the query, the download and the boundary check.

The HTTP call is in the private :mod:`asset_map.io._overpass`, the parsing in
:mod:`asset_map.io.osm` (it runs offline on recorded answers). Typical use::

    from asset_map.io.osm_download import fetch_gemeente_places

    found, notes = fetch_gemeente_places("GM0150", "Deventer")
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from asset_map._errors import AssetMapError, ImportFormatError
from asset_map.i18n import Msg
from asset_map.io._overpass import fetch_overpass
from asset_map.io.formats import ImportResult
from asset_map.io.osm import TAG_TYPES, boundary_areas, parse_overpass_json
from asset_map.settings import DEFAULT_OVERPASS_URL


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _filter(tags: dict[str, str | None]) -> str:
    return "".join(
        f"[{_quote(k)}]" if v is None else f"[{_quote(k)}={_quote(v)}]" for k, v in tags.items()
    )


def overpass_query(
    area_name: str | None = None,
    *,
    gemeente_code: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    timeout_s: int = 180,
    tag_types: Sequence[tuple[dict[str, str | None], str]] | None = None,
) -> str:
    """Return the Overpass QL query for every asset tag of :data:`asset_map.io.osm.TAG_TYPES`.

    Give exactly one of ``area_name``, ``gemeente_code`` or ``bbox``.

    Parameters
    ----------
    area_name : str, optional
        The gemeente's name as OSM spells it (``"Deventer"``); matched on boundaries with
        ``admin_level=8``.
    gemeente_code : str, optional
        The CBS code, ``"GM0150"``, ``"0150"`` or ``"150"``; matched on
        ``ref:gemeentecode`` with or without leading zeros (``~"^0*150$"``): OpenStreetMap
        holds both ``"0362"`` and ``"397"``.
    bbox : tuple of float, optional
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees.
    timeout_s : int
        The server-side time limit in seconds.
    tag_types : sequence, optional
        Another tag table; by default :data:`asset_map.io.osm.TAG_TYPES`.

    Returns
    -------
    str
        The query, asking ``[out:json]`` and ``out geom;``: ways come with their nodes'
        coordinates (``geometry``) and relations with their members' (``members[].geometry``),
        so :func:`asset_map.io.osm.parse_overpass_json` keeps their outline. A query for a
        gemeente first outputs the gemeente's boundary area (``out tags``), so an answer
        without one shows that OpenStreetMap has no such boundary
        (:func:`asset_map.io.osm.boundary_areas`), rather than that it has no places.
    """
    given = [x for x in (area_name, gemeente_code, bbox) if x is not None]
    if len(given) != 1:
        raise AssetMapError(Msg("err.io.overpass_one_area", n=len(given)))
    if tag_types is None:
        tag_types = TAG_TYPES
    if bbox is not None:
        x0, y0, x1, y1 = (float(v) for v in bbox)
        if not (x0 < x1 and y0 < y1):
            raise AssetMapError(Msg("err.io.overpass_bbox_empty", bbox=bbox))
        head = ""
        where = f"({y0},{x0},{y1},{x1})"  # Overpass wants south, west, north, east
    else:
        if gemeente_code is not None:
            code = gemeente_code.strip().upper().removeprefix("GM")
            if not (code.isdigit() and len(code) <= 4):
                raise AssetMapError(Msg("err.io.overpass_gemeente_code", code=repr(gemeente_code)))
            number = code.lstrip("0") or "0"
            selector = f'["ref:gemeentecode"~{_quote(f"^0*{number}$")}]'
        else:
            selector = f'["name"={_quote(str(area_name))}]'
        head = (
            f'area["boundary"="administrative"]["admin_level"="8"]{selector}->.gemeente;\n'
            ".gemeente out tags;\n"
        )
        where = "(area.gemeente)"
    filters = dict.fromkeys(_filter(tags) for tags, _ in tag_types)  # unique, in order
    body = "".join(f"  nwr{f}{where};\n" for f in filters)
    return f"[out:json][timeout:{int(timeout_s)}];\n{head}(\n{body});\nout geom;\n"


def fetch_gemeente_places(
    gemeente_code: str, name: str | None = None, *, url: str = DEFAULT_OVERPASS_URL
) -> tuple[ImportResult | None, list[str]]:
    """Download a gemeente's places from OpenStreetMap.

    The gemeente's boundary is looked up by ``ref:gemeentecode`` (padded or not), else by
    ``name`` (the CBS name). Returns the places read (None when OpenStreetMap has no
    boundary of the gemeente, or no place of an asset type in it) and the notes that say so.

    Raises
    ------
    OverpassError
        When the download fails.
    """
    payload = fetch_overpass(overpass_query(gemeente_code=gemeente_code), url=url)
    if not boundary_areas(payload) and name:  # no boundary with the code: try the name
        payload = fetch_overpass(overpass_query(name), url=url)
    if not boundary_areas(payload):
        number = gemeente_code.upper().removeprefix("GM").lstrip("0") or "0"
        note = Msg(
            "note.sources.osm_no_boundary",
            code=gemeente_code,
            number=number,
            name=name or gemeente_code,
        )
        return None, [note]
    found = _parse_overpass(payload)
    if found is None:
        return None, [Msg("note.sources.osm_empty")]
    return found, []


def _parse_overpass(payload: bytes) -> ImportResult | None:
    """Parse an Overpass answer; None when it holds no element of an asset type."""
    try:
        return parse_overpass_json(payload)
    except ImportFormatError as exc:
        try:
            data = json.loads(payload)
        except ValueError:
            raise exc from None  # not an answer at all: the parser's message says so
        if isinstance(data, dict) and isinstance(data.get("elements"), list):
            return None
        raise
