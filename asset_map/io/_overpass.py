"""The HTTP call to the Overpass API.

Network code lives here, apart from the query (:mod:`asset_map.io.osm_download`) and the
parsers (:mod:`asset_map.io.osm`), so every parser runs offline on a small file.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from asset_map._errors import OverpassError
from asset_map.i18n import Msg
from asset_map.io._pdok import http_failed, no_connection
from asset_map.settings import DEFAULT_OVERPASS_URL

USER_AGENT = "asset-map (ABCD community asset maps; +https://github.com)"


def fetch_overpass(query: str, *, url: str = DEFAULT_OVERPASS_URL, timeout_s: float = 200) -> bytes:
    """Send a query to the Overpass API and return its raw answer.

    Parameters
    ----------
    query : str
        Overpass QL, e.g. from :func:`asset_map.io.osm_download.overpass_query`.
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
