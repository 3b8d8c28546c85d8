"""Who is on the other end of a session: the client's address and a known-device token.

Streamlit gives the address of the connection as ``st.context.ip_address``; for a visitor
on the same machine (``localhost``) it gives None. Behind a reverse proxy the connection
comes from the proxy: the server Streamlit runs (uvicorn) takes the client's address from
``X-Forwarded-For`` when the proxy runs on the same machine (uvicorn trusts 127.0.0.1 by
default; ``FORWARDED_ALLOW_IPS`` names other proxies). A proxy on this machine that sends
``X-Real-IP`` instead is read here. When no address is known, None is returned: the limits
then count such clients together, as one address (``unknown``).
"""

from __future__ import annotations

import streamlit as st

#: The cookie of a browser that logged in before (see ``asset_map.rules.auth``).
DEVICE_COOKIE = "asset_map_device"


def client_address() -> str | None:
    """Return the client's address (IPv4 or IPv6), or None when it is not known."""
    try:
        address = st.context.ip_address
        headers = st.context.headers
    except Exception:
        return None
    if isinstance(address, str) and address:
        return address[:100]
    # None: the connection came from this machine. That may be a proxy passing it on.
    real = _text(headers.get("X-Real-Ip"))
    if real:
        return real[:100]
    forwarded = [part.strip() for part in _text(headers.get("X-Forwarded-For")).split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-1][:100] if forwarded else None


def _text(value: object) -> str:
    """Return a header's value, or "" when there is none (or no real session gives one)."""
    return value.strip() if isinstance(value, str) else ""


def device_token() -> str | None:
    """Return the known-device token the browser sent with this session, if any."""
    try:
        value = st.context.cookies.get(DEVICE_COOKIE)
    except Exception:
        return None
    return value[:200] if isinstance(value, str) and value else None


def keep_device_token(token: str, *, days: int) -> None:
    """Store the known-device token in the browser (a cookie, sent with the next sessions).

    Streamlit cannot set cookies from Python: a small script sets it. The token only spares
    the account's owner the delays others cause; it does not log anyone in.
    """
    script = (
        "<script>(function(){"
        f"var v={token!r};"
        "var secure=window.location.protocol==='https:'?';secure':'';"
        f"document.cookie='{DEVICE_COOKIE}='+v+';path=/;max-age={days * 86400};samesite=strict'"
        "+secure;})();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)
