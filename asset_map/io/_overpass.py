"""Ask the Overpass API for a gemeente's assets: the query and the HTTP call.

Network code lives here, apart from the parsers in :mod:`asset_map.io.osm`, so every parser
runs offline on a small file. Typical use::

    from asset_map.io import osm
    from asset_map.io._overpass import fetch_overpass

    payload = fetch_overpass(osm.overpass_query(gemeente_code="GM0150"))
    result = osm.parse_overpass_json(payload)
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.io._pdok import http_failed, no_connection

OVERPASS_URL = "https://overpass-api.de/api/interpreter"
USER_AGENT = "asset-map (ABCD community asset maps; +https://github.com)"


class OverpassError(AssetMapError):
    """The Overpass API cannot be reached, refused the query or answered with an error.

    Raised with a :class:`asset_map.i18n.Msg` like :class:`asset_map.io._pdok.DownloadError`:
    a plain first line, then the technical detail.
    """


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
        raise AssetMapError(
            "Give exactly one of area_name (e.g. 'Deventer'), gemeente_code (e.g. 'GM0150') "
            f"or bbox (min_lon, min_lat, max_lon, max_lat); got {len(given)}."
        )
    if tag_types is None:
        from asset_map.io.osm import TAG_TYPES

        tag_types = TAG_TYPES
    if bbox is not None:
        x0, y0, x1, y1 = (float(v) for v in bbox)
        if not (x0 < x1 and y0 < y1):
            raise AssetMapError(
                f"bbox {bbox} is empty: give (min_lon, min_lat, max_lon, max_lat), "
                "e.g. (6.14, 52.24, 6.19, 52.27)."
            )
        head = ""
        where = f"({y0},{x0},{y1},{x1})"  # Overpass wants south, west, north, east
    else:
        if gemeente_code is not None:
            code = gemeente_code.strip().upper().removeprefix("GM")
            if not (code.isdigit() and len(code) <= 4):
                raise AssetMapError(
                    f"gemeente_code {gemeente_code!r} is not a CBS gemeente code: give it "
                    "like 'GM0150' or '0150'."
                )
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


def fetch_overpass(query: str, *, url: str = OVERPASS_URL, timeout_s: float = 200) -> bytes:
    """Send a query to the Overpass API and return its raw answer.

    Parameters
    ----------
    query : str
        Overpass QL, e.g. from :func:`overpass_query`.
    url : str
        The interpreter endpoint.
    timeout_s : float
        How long to wait for the answer, in seconds.

    Returns
    -------
    bytes
        The answer, to give to :func:`asset_map.io.osm.parse_overpass_json`.

    Raises
    ------
    OverpassError
        When the server cannot be reached, answers with an HTTP error (429 and 504 say the
        server is busy), or reports a runtime error (a ``remark``) such as a timeout.
    """
    data = urllib.parse.urlencode({"data": query}).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"User-Agent": USER_AGENT}
    )
    what = Msg("note.download.osm")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            payload: bytes = response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is not needed: free the connection now
        raise OverpassError(http_failed(what, url, exc.code, str(exc.reason))) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OverpassError(no_connection(what, url, exc)) from None
    _check_remark(payload, url)
    return payload


def _check_remark(payload: bytes, url: str) -> None:
    """Raise when an answer carries an Overpass runtime error in its ``remark``."""
    try:
        answer = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        # An error page (HTML) or a cut-off answer: a failed download, not a broken file.
        what = Msg("note.download.osm")
        detail = f"not JSON ({exc})"
        raise OverpassError(
            Msg("err.download.bad_answer", what=what, url=url, detail=detail)
        ) from None
    remark = answer.get("remark") if isinstance(answer, dict) else None
    if isinstance(remark, str) and "error" in remark.lower():
        what = Msg("note.download.osm")
        raise OverpassError(Msg("err.download.incomplete", what=what, url=url, remark=remark))
