"""Network access to PDOK's OGC API Features for the CBS wijk- en buurtkaart.

Only URLs and HTTP live here; parsing the pages is :mod:`asset_map.io.cbs`, which runs offline
on recorded pages. PDOK serves each year as ``https://api.pdok.nl/cbs/wijken-en-buurten-<year>
/ogc/v1`` with the collections ``gemeenten``, ``wijken`` and ``buurten``; an ``items`` page is
a GeoJSON FeatureCollection in CRS84 with ``numberMatched``/``numberReturned`` and a link with
``rel="next"`` while more pages follow. Properties can be filtered by name
(``?gemeentecode=GM0150``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from asset_map._errors import DownloadError
from asset_map.i18n import Msg
from asset_map.settings import DEFAULT_PDOK_URL

COLLECTIONS = ("gemeenten", "wijken", "buurten")
#: More pages than this means the server keeps sending ``next``: stop rather than loop forever.
MAX_PAGES = 1000

Progress = Callable[[int, int | None], None]


def what_pdok() -> Msg:
    """Return the name of what is downloaded from PDOK, for messages."""
    return Msg("note.download.pdok")


def no_connection(what: str, url: str, error: BaseException) -> Msg:
    """Return the message for a server that cannot be reached (no internet?)."""
    reason = getattr(error, "reason", error)
    return Msg("err.download.no_connection", what=what, url=url, reason=str(reason))


def http_failed(what: str, url: str, code: int, reason: str) -> Msg:
    """Return the message for a server that answered with an HTTP error."""
    key = "err.download.busy" if code in (429, 503, 504) else "err.download.http"
    return Msg(key, what=what, url=url, code=code, reason=reason)


def collection_url(collection: str, *, year: int, base: str = DEFAULT_PDOK_URL) -> str:
    """Return the ``items`` URL of a collection, without query.

    Parameters
    ----------
    collection : str
        ``"gemeenten"``, ``"wijken"`` or ``"buurten"``.
    year : int
        The year of the wijk- en buurtkaart; filled in where ``base`` says ``{year}``.
    base : str
        The landing page of the API.
    """
    if collection not in COLLECTIONS:
        raise ValueError(f"unknown collection '{collection}'; use one of: {', '.join(COLLECTIONS)}")
    return f"{base.format(year=year).rstrip('/')}/collections/{collection}/items"


def items_url(
    collection: str, gemeente: str, *, year: int, base: str = DEFAULT_PDOK_URL, limit: int = 1000
) -> str:
    """Return the URL of the first page of one gemeente's wijken or buurten.

    Parameters
    ----------
    collection : str
        ``"gemeenten"``, ``"wijken"`` or ``"buurten"``.
    gemeente : str
        The CBS gemeente code, e.g. ``"GM0150"``; an empty string asks for every gemeente.
    year : int
        The year of the wijk- en buurtkaart.
    base : str
        The landing page of the API.
    limit : int
        Features per page.
    """
    query: dict[str, str | int] = {"f": "json", "limit": limit}
    if gemeente:
        query["gemeentecode"] = gemeente
    return f"{collection_url(collection, year=year, base=base)}?{urllib.parse.urlencode(query)}"


def fetch_pages(
    url: str,
    *,
    timeout_s: float = 60,
    progress: Progress | None = None,
    what: str | None = None,
) -> list[bytes]:
    """Fetch ``url`` and every page its ``rel="next"`` links lead to.

    Parameters
    ----------
    url : str
        The first page.
    timeout_s : float
        Seconds to wait for each page.
    progress : callable, optional
        Called after each page with the features received so far and ``numberMatched`` (or
        None when the server does not say).
    what : str, optional
        What is downloaded, named in error messages; PDOK's wijken and buurten by default.

    Returns
    -------
    list of bytes
        The raw pages, in order.

    Raises
    ------
    DownloadError
        Naming the URL: 'no internet?' when the server cannot be reached, the HTTP status
        when it answers with an error, or what is wrong with an answer that is not JSON.
    """
    what = what or what_pdok()
    pages: list[bytes] = []
    received = 0
    next_url: str | None = url
    seen: set[str] = set()
    while next_url is not None:
        if next_url in seen or len(pages) >= MAX_PAGES:
            raise DownloadError(Msg("err.download.endless", what=what, url=next_url))
        seen.add(next_url)
        body = _get(next_url, timeout_s=timeout_s, what=what)
        page = _page_json(next_url, body, what=what)
        pages.append(body)
        received += len(page.get("features") or [])
        matched = page.get("numberMatched")
        if progress is not None:
            progress(received, matched if isinstance(matched, int) else None)
        next_url = _next_link(next_url, page)
    return pages


def fetch_collection(
    collection: str,
    gemeente: str,
    *,
    year: int,
    base: str = DEFAULT_PDOK_URL,
    timeout_s: float = 60,
    progress: Progress | None = None,
) -> list[bytes]:
    """Fetch every page of one gemeente's ``collection`` (see :func:`fetch_pages`)."""
    url = items_url(collection, gemeente, year=year, base=base)
    return fetch_pages(url, timeout_s=timeout_s, progress=progress)


def _get(url: str, *, timeout_s: float, what: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        error.close()  # its body is not needed: free the connection now
        raise DownloadError(http_failed(what, url, error.code, str(error.reason))) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DownloadError(no_connection(what, url, error)) from error


def _page_json(url: str, body: bytes, *, what: str) -> dict:
    try:
        page = json.loads(body)
    except ValueError as error:
        detail = f"the answer is not JSON ({error})"
        raise DownloadError(
            Msg("err.download.bad_answer", what=what, url=url, detail=detail)
        ) from None
    if not isinstance(page, dict) or page.get("type") != "FeatureCollection":
        detail = "the answer is not a GeoJSON FeatureCollection"
        raise DownloadError(Msg("err.download.bad_answer", what=what, url=url, detail=detail))
    return page


def _next_link(url: str, page: dict) -> str | None:
    for link in page.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return urllib.parse.urljoin(url, str(link["href"]))
    return None
