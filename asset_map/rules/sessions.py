"""Staff sessions that survive a reload: the rules of the session cookie, without a database.

A member of staff who logs in gets a session in the database (:mod:`asset_map.storage.sessions`)
and, in the browser, an HTTP-only cookie that names it. A reload or a new tab sends the
cookie along, so the log-in holds until the session ends:

- after ``IDLE_TIMEOUT`` without activity in any tab (the 30 minutes of
  :data:`asset_map.rules.auth.SESSION_TIMEOUT`);
- at the latest ``MAX_AGE`` after the log-in, however busy;
- at once on log-out (in any tab: the session is ended in the database, so every tab and
  every copy of the cookie loses it), or when the account is removed, its role changes or
  its password is set anew.

The cookie holds a random token and its HMAC-SHA256 signature (:func:`sign`); the database
keeps only a digest of the token. A cookie whose signature is wrong is thrown away unread.
The token never passes through the page's JavaScript: the page gets a one-time *ticket*
(valid ``TICKET_TTL``), and the server's session endpoint exchanges it for the cookie
(:func:`asset_map.ui.session_routes.session_routes`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from asset_map.rules.auth import SESSION_TIMEOUT, USERNAME, normalise_username

#: The cookie's name; it holds ``<token>.<signature>``.
COOKIE_NAME = "asset_map_sessie"
#: A session ends after this long without activity (the timeout of every staff session).
IDLE_TIMEOUT = SESSION_TIMEOUT
#: A session ends at the latest this long after the log-in (and so does its cookie).
MAX_AGE = timedelta(hours=12)
#: The page hands its ticket to the server within this time, or the ticket is void.
TICKET_TTL = timedelta(seconds=60)
#: The last activity is written at most this often (a page rerun is not worth a write).
TOUCH_EVERY = timedelta(seconds=60)
#: Why a session no longer holds.
TIMED_OUT, LOGGED_OUT, ACCOUNT_CHANGED = "timed_out", "logged_out", "account_changed"
#: Random bytes of a token and of a ticket (256 bits).
TOKEN_BYTES = 32
#: The shortest signing key accepted (bytes).
MIN_KEY_BYTES = 32


def new_token() -> str:
    """Return a new random token or ticket: 43 URL-safe characters (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_session_id() -> str:
    """Return the public id of a new session (not a secret: it is no key to the session)."""
    return secrets.token_hex(16)


def new_key() -> str:
    """Return a new signing key as text (64 hex characters)."""
    return secrets.token_hex(MIN_KEY_BYTES)


def digest(token: str) -> str:
    """Return the SHA-256 (hex) under which a token or ticket is stored; tokens are random."""
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def _mac(token: str, key: bytes) -> str:
    raw = hmac.new(key, token.encode("ascii", errors="replace"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign(token: str, key: bytes) -> str:
    """Return the cookie value of ``token``: ``<token>.<HMAC-SHA256 of the token>``.

    Raises
    ------
    ValueError
        When ``key`` is shorter than ``MIN_KEY_BYTES`` or the token holds a dot.
    """
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"a signing key needs at least {MIN_KEY_BYTES} bytes")
    if "." in token:
        raise ValueError("a token holds no dot")
    return f"{token}.{_mac(token, key)}"


def unsign(value: str | None, key: bytes) -> str | None:
    """Return the token of a cookie value when its signature is right, else None.

    Compared in constant time; anything malformed (no dot, an empty token, a wrong or
    truncated signature, a value of another key) gives None.
    """
    if not value or value.count(".") != 1 or len(value) > 200:
        return None
    token, mac = value.split(".")
    if not token or not hmac.compare_digest(mac, _mac(token, key)):
        return None
    return token


@dataclass(frozen=True)
class SessionTimes:
    """When a session started, was last active, must end at the latest, and did end.

    Attributes
    ----------
    created_at, last_active, expires_at : datetime
        Aware UTC moments; ``expires_at`` is ``created_at + MAX_AGE``.
    ended_at : datetime or None
        When it was ended (log-out, account changed); None while it runs.
    """

    created_at: datetime
    last_active: datetime
    expires_at: datetime
    ended_at: datetime | None = None

    def alive_at(self, now: datetime) -> bool:
        """Return whether the session still holds at ``now``."""
        return (
            self.ended_at is None
            and now - self.last_active <= IDLE_TIMEOUT
            and now < self.expires_at
        )

    def needs_touch(self, now: datetime) -> bool:
        """Return whether the last activity should be written again (once a minute)."""
        return now - self.last_active >= TOUCH_EVERY


def times_of_new_session(now: datetime) -> SessionTimes:
    """Return the times of a session that starts at ``now``."""
    return SessionTimes(created_at=now, last_active=now, expires_at=now + MAX_AGE)


def cookie_max_age(times: SessionTimes, now: datetime) -> int:
    """Return the cookie's ``Max-Age`` in whole seconds: until the session must end."""
    return max(0, int((times.expires_at - now).total_seconds()))


def username_from_claims(claims: Mapping[str, object]) -> str | None:
    """Return the local user name an identity provider's claims stand for, or None.

    With a log-in through the gemeente's identity provider (Streamlit's ``st.login``), the
    provider says who someone is and the local account of the same name says what they may
    do: the ``email`` claim (else ``preferred_username``), trimmed and in lower case, as an
    administrator adds it (``asset-map user add --username anna@gemeente.nl``). Only a
    verified e-mail counts when the provider says whether it is verified.
    """
    email = claims.get("email")
    if email and claims.get("email_verified", True) in (True, "true", "True", 1):
        candidate = normalise_username(str(email))
    else:
        candidate = normalise_username(str(claims.get("preferred_username") or ""))
    return candidate if USERNAME.match(candidate) else None
