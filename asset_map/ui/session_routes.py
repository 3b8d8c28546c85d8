"""The server's session endpoints: they set and clear the HTTP-only staff session cookie.

Streamlit's script cannot set a cookie (it talks to the browser over a WebSocket), and a
cookie set by the page's JavaScript cannot be HTTP-only. So ``serve.py`` starts the app as
an ``st.App`` with these two small Starlette routes beside Streamlit's own:

``POST <base>/api/session/start``
    The body is the one-time ticket the page got after a log-in. The answer sets the
    cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure`` over HTTPS, ``Max-Age`` until the
    session must end); a void ticket gets 403 and no cookie.
``POST <base>/api/session/end``
    Ends the session the cookie names and clears the cookie.

Both refuse a request from another site (its ``Origin`` is not this server). The app reads
the cookie back with ``st.context.cookies`` on every new connection: a reload or a new tab
(:mod:`asset_map.ui.staff_session`).
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from asset_map import settings
from asset_map.rules.sessions import COOKIE_NAME
from asset_map.services.workspace import open_store
from asset_map.storage import Store

START_PATH = "api/session/start"
END_PATH = "api/session/end"
_installed: list[bool] = []


def routes_installed() -> bool:
    """Return whether this process serves the session endpoints (started by ``serve.py``)."""
    return bool(_installed)


@cache
def _store() -> Store:
    return open_store(settings.database_url(), instance_dir=settings.instance_dir())


def _same_origin(request: Request) -> bool:
    """Return whether the request comes from a page of this server (or says no origin)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not sent by a browser page of another site (browsers always send it)
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def _secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


def session_routes(base_url_path: str = "") -> list[Route]:
    """Return the two session endpoints under ``base_url_path`` (Streamlit's baseUrlPath).

    Calling this marks the process as one whose sessions survive a reload
    (:func:`routes_installed`).
    """
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    cookie_path = base or "/"

    async def start(request: Request) -> Response:
        if not _same_origin(request):
            return Response(status_code=403)
        ticket = (await request.body())[:200].decode("ascii", errors="replace").strip()
        claimed = await run_in_threadpool(_store().sessions.claim, ticket)
        if claimed is None:
            return Response(status_code=403)
        value, max_age = claimed
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=max_age,
            path=cookie_path,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
        return response

    async def end(request: Request) -> Response:
        if not _same_origin(request):
            return Response(status_code=403)
        await run_in_threadpool(_store().sessions.end_by_cookie, request.cookies.get(COOKIE_NAME))
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        response.delete_cookie(
            COOKIE_NAME, path=cookie_path, httponly=True, samesite="lax", secure=_secure(request)
        )
        return response

    _installed.append(True)
    routes: list[Any] = [
        Route(f"{base}/{START_PATH}", start, methods=["POST"]),
        Route(f"{base}/{END_PATH}", end, methods=["POST"]),
    ]
    return routes
