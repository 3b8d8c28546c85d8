"""Accounts without a web framework: roles, password hashing, lockout, session timeout.

Everything here is pure (no database, no streamlit), so the rules are tested on their own;
``asset_map.storage`` keeps the state (users, failed attempts) and calls these helpers.

Roles and what they may do:

============  ========  =================  ==========  ============
role          moderate  see_personal_data  edit_assets  manage_users
============  ========  =================  ==========  ============
wijkmanager   yes       yes                yes          no
planner       no        no                 yes          no
admin         yes       yes                yes          yes
============  ========  =================  ==========  ============

A planner works on places and gaps and never needs residents' contact details, so the
roles are not a ladder: ask :func:`can`, never compare roles.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg

ROLES = ("wijkmanager", "planner", "admin")
#: ``connect``: see the talents that match a meeting place (with contact data) and record
#: connections made: the wijkmanager's work with residents.
ACTIONS = ("moderate", "see_personal_data", "edit_assets", "manage_users", "connect")
PERMISSIONS: dict[str, frozenset[str]] = {
    "wijkmanager": frozenset({"moderate", "see_personal_data", "edit_assets", "connect"}),
    "planner": frozenset({"edit_assets"}),
    "admin": frozenset(ACTIONS),
}

#: Failed log-ins that lock an account, counted within ``FAILURE_WINDOW`` of the first one.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
SESSION_TIMEOUT = timedelta(minutes=30)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

#: Withdrawal codes: no 0/O and 1/I, so a resident can read the code back without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4

_HASHER = PasswordHasher()  # argon2id with the RFC 9106 low-memory profile


class LoginFailed(AssetMapError):
    """The user name or the password is wrong (one message for both, on purpose)."""

    def __init__(self) -> None:
        super().__init__("The user name or the password is wrong.")


class LockedOut(AssetMapError):
    """Too many failed log-ins: the account is locked until ``until`` (UTC)."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(
            f"Too many failed log-ins: try again after {until.isoformat(timespec='minutes')}."
        )


class WeakPassword(AssetMapError):
    """A new password does not meet the rules."""


class UserExists(AssetMapError):
    """An account with this user name exists already."""


class UnknownUser(AssetMapError):
    """No account has this user name (only raised to administrators, never at log-in)."""


@dataclass(frozen=True)
class User:
    """A logged-in user: name and role, never the password hash."""

    username: str
    role: str

    def can(self, action: str) -> bool:
        """Return whether this user's role allows ``action`` (see :func:`can`)."""
        return can(self.role, action)


def can(role: str, action: str) -> bool:
    """Return whether ``role`` may do ``action``.

    Parameters
    ----------
    role : str
        One of ``ROLES``.
    action : str
        One of ``ACTIONS``: ``"moderate"``, ``"see_personal_data"``, ``"edit_assets"``,
        ``"manage_users"``.

    Raises
    ------
    ValueError
        For an unknown role or action, so a typo never silently denies or allows.
    """
    if role not in PERMISSIONS:
        raise ValueError(f"Unknown role '{role}'. Use one of: {', '.join(ROLES)}.")
    if action not in ACTIONS:
        raise ValueError(f"Unknown action '{action}'. Use one of: {', '.join(ACTIONS)}.")
    return action in PERMISSIONS[role]


# --- user names and passwords ----------------------------------------------------------------


def normalise_username(username: str) -> str:
    """Return the user name as stored and compared: trimmed and in lower case."""
    return username.strip().lower()


def check_new_account(username: str, password: str, role: str) -> str:
    """Check a new account's name, password and role; return the normalised user name.

    Raises
    ------
    ValueError
        For a malformed user name or an unknown role.
    WeakPassword
        When the password is shorter than ``MIN_PASSWORD_LENGTH`` characters or equals the
        user name.
    """
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise AssetMapError(Msg("err.accounts.username", username=username))
    if role not in ROLES:
        raise AssetMapError(Msg("err.accounts.role", role=role, roles=", ".join(ROLES)))
    check_password(name, password)
    return name


def check_password(username: str, password: str) -> None:
    """Raise :class:`WeakPassword` when ``password`` breaks the rules, naming the rule."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(Msg("err.accounts.password_short", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(Msg("err.accounts.password_long", n=MAX_PASSWORD_LENGTH))
    if password.strip().lower() == normalise_username(username):
        raise WeakPassword(Msg("err.accounts.password_is_name"))


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password`` (salted; starts with ``$argon2id$``)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash``; False for a broken hash too."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return whether a hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """Return a hash to verify against for unknown users, so they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


# --- lockout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    """The failed log-ins of one user name.

    Attributes
    ----------
    failures : int
        Failed attempts in the current window.
    window_start : datetime or None
        When the first failure of the current window happened.
    locked_until : datetime or None
        When a lock ends (it may lie in the past).
    """

    failures: int = 0
    window_start: datetime | None = None
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> datetime | None:
        """Return the end of the lock when it holds at ``now``, else None."""
        if self.locked_until is not None and now < self.locked_until:
            return self.locked_until
        return None

    def after_failure(self, now: datetime) -> Throttle:
        """Return the state after a failed attempt at ``now``.

        The ``MAX_FAILURES``-th failure within ``FAILURE_WINDOW`` of the window's first
        failure locks the account for ``LOCKOUT`` and starts counting afresh.
        """
        if self.window_start is None or now - self.window_start >= FAILURE_WINDOW:
            failures, start = 1, now
        else:
            failures, start = self.failures + 1, self.window_start
        if failures >= MAX_FAILURES:
            return Throttle(0, None, now + LOCKOUT)
        return Throttle(failures, start, None)


def session_expired(last_active: datetime, now: datetime) -> bool:
    """Return whether a session idle since ``last_active`` has timed out at ``now``."""
    return now - last_active > SESSION_TIMEOUT


# --- withdrawal codes ------------------------------------------------------------------------


def new_withdrawal_code() -> str:
    """Return a new random withdrawal code like ``"K7QX-3MRA-9TZE"`` (60 random bits)."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def normalise_code(code: str) -> str:
    """Return a withdrawal code as hashed: upper case, without spaces and dashes.

    Raises
    ------
    ValueError
        When the result is not 12 characters of ``CODE_ALPHABET``.
    """
    text = "".join(ch for ch in str(code).upper() if ch not in " -\t\r\n")
    if len(text) != CODE_GROUPS * CODE_GROUP_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        raise AssetMapError(Msg("err.accounts.not_a_code"))
    return text


def hash_code(code: str) -> str:
    """Return the SHA-256 (hex) of the normalised code; the code is random, so no salt."""
    return hashlib.sha256(normalise_code(code).encode("ascii")).hexdigest()


# --- organisers' personal links ----------------------------------------------------------

#: Random bytes of an organiser's link token: 256 bits, far above the 128 a guess must beat.
LINK_TOKEN_BYTES = 32


def new_link_token() -> str:
    """Return a new random token for an organiser's link (URL-safe text, 256 random bits)."""
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


def hash_link_token(token: str) -> str:
    """Return the SHA-256 (hex) of a link token, as stored; the token is random, so no salt.

    Text that cannot be a token (empty, too long, not URL-safe) hashes like any other: it
    matches nothing.
    """
    return hashlib.sha256(str(token).strip().encode("utf-8", "replace")).hexdigest()


def username_key(username: str) -> str:
    """Return the key under which failed log-ins of ``username`` are counted.

    A hash, so names typed at the log-in (possibly a password typed in the wrong field)
    are never stored in plain text.
    """
    return hashlib.sha256(normalise_username(username).encode("utf-8")).hexdigest()
