"""Accounts without a web framework: roles, password hashing, log-in throttling, sessions.

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

Log-in throttling cannot be turned against staff. There is no lock an outsider can set off:
wrong passwords earn growing delays (1 s, 2 s, 4 s, ... at most 15 minutes), counted in
:class:`Bucket` s:

- per user name *and* client address (``pair``): a script that guesses from one address is
  slowed down; the owner of the name, from another address, is not;
- per client address (``address``): one address guessing many names;
- per user name (``name``): counting the *addresses* that failed on it, so only many
  addresses together (a botnet) slow the name down for everyone;
- per known device (``device``): a browser that logged in to the account before keeps a
  random token (a cookie); with it only its own failures count, so the owner can log in
  from there whatever others do.

An IPv6 address counts by its /64 network (one connection usually holds a whole /64).
"""

from __future__ import annotations

import hashlib
import ipaddress
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

#: The first delay after the free failures of a bucket; each next failure doubles it.
FIRST_DELAY = timedelta(seconds=1)
#: The longest delay: never a lock, at most a wait of this long.
MAX_DELAY = timedelta(minutes=15)
#: A bucket's count starts afresh this long after its first failure.
FORGET_AFTER = timedelta(hours=24)
#: How long a browser stays a known device without a log-in from it.
DEVICE_LIFETIME = timedelta(days=90)
#: The most known devices per account (the oldest go first).
MAX_DEVICES = 20
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


class LoginDelayed(AssetMapError):
    """Too many failed log-ins from here: the next try is taken from ``until`` (UTC) on."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(
            f"Too many failed log-ins from here: try again after "
            f"{until.isoformat(timespec='seconds')}."
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


# --- log-in throttling -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """What failed log-ins are counted by: its kind, and the failures without a delay.

    Attributes
    ----------
    kind : str
        ``pair`` (user name and client address), ``address``, ``name`` (addresses that
        failed on the name) or ``device`` (a known device of the account).
    free : int
        Failures before the delays start.
    """

    kind: str
    free: int

    def delay(self, failures: int) -> timedelta | None:
        """Return the wait after ``failures`` failures: None while free, then doubling."""
        over = failures - self.free
        if over <= 0:
            return None
        seconds = FIRST_DELAY.total_seconds() * 2 ** min(over - 1, 30)
        return min(timedelta(seconds=seconds), MAX_DELAY)


PAIR = Bucket("pair", 3)
ADDRESS = Bucket("address", 10)
NAME = Bucket("name", 10)
DEVICE = Bucket("device", 5)


@dataclass(frozen=True)
class Throttle:
    """The failed log-ins of one bucket key.

    Attributes
    ----------
    failures : int
        Failures counted since ``window_start``.
    window_start : datetime or None
        The first failure of the count; it starts afresh :data:`FORGET_AFTER` later.
    locked_until : datetime or None
        The end of the current delay (it may lie in the past).
    """

    failures: int = 0
    window_start: datetime | None = None
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> datetime | None:
        """Return the end of the delay when it holds at ``now``, else None."""
        if self.locked_until is not None and now < self.locked_until:
            return self.locked_until
        return None

    def after_failure(self, now: datetime, bucket: Bucket) -> Throttle:
        """Return the state after a failed attempt at ``now``: one more, maybe a delay."""
        if self.window_start is None or now - self.window_start >= FORGET_AFTER:
            failures, start = 1, now
        else:
            failures, start = self.failures + 1, self.window_start
        wait = bucket.delay(failures)
        return Throttle(failures, start, None if wait is None else now + wait)


def address_key(address: str | None) -> str:
    """Return what a client address counts as: the address, its /64 for IPv6, or ``unknown``.

    ``None`` (Streamlit gives no address for ``localhost``, nor behind a proxy that does not
    pass it on) counts as one address, ``unknown``: such clients share their counts.
    """
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def name_prefix(username: str) -> str:
    """Return the start of every ``pair`` key of ``username`` (to lift its delays)."""
    return f"pair:{_digest(normalise_username(username), 24)}:"


def bucket_keys(username: str, address: str | None) -> dict[Bucket, str]:
    """Return the keys of the ``pair``, ``address`` and ``name`` buckets of an attempt.

    Hashes only: names typed at the log-in (possibly a password typed in the wrong field)
    and client addresses are never stored in plain text.
    """
    name = normalise_username(username)
    where = address_key(address)
    return {
        PAIR: f"{name_prefix(name)}{_digest(where, 24)}",
        ADDRESS: f"address:{_digest(where, 32)}",
        NAME: f"name:{_digest(name, 32)}",
    }


def device_key(token_hash: str) -> str:
    """Return the key of the ``device`` bucket of a known device (by its token's hash)."""
    return f"device:{token_hash[:32]}"


def new_device_token() -> str:
    """Return a new random token for a known device (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def device_hash(token: str) -> str:
    """Return the SHA-256 (hex) of a device token: only the hash is stored."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


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


def username_key(username: str) -> str:
    """Return the key of the ``name`` bucket of ``username`` (see :func:`bucket_keys`)."""
    return bucket_keys(username, None)[NAME]
