"""Staff sessions in the database: start at log-in, hand over the cookie, resume, end.

The rules (how long a session holds, how a cookie is signed) live in
:mod:`asset_map.rules.sessions`; this module keeps the sessions and the signing key.
Only digests of tokens and tickets are stored, never the values the browser holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from asset_map.rules import sessions as rules
from asset_map.rules.auth import User
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.schema import app_keys, staff_sessions, users
from asset_map.storage.users import session_marker

#: Ended or expired sessions are deleted this long after their end.
KEEP_ENDED = timedelta(days=1)
_KEY_NAME = "session"


def signing_key(db: Database, secret: str | None = None) -> bytes:
    """Return the key that signs session cookies: ``secret`` when given, else the stored one.

    The stored key is made once, at random, by the first process that asks (every app
    server of one database then signs alike).
    """
    if secret:
        return secret.encode("utf-8")
    with db.reading() as conn:
        value = conn.execute(select(app_keys.c.value).where(app_keys.c.name == _KEY_NAME)).scalar()
    if value is None:
        row = {"name": _KEY_NAME, "value": rules.new_key()}
        with db.writing() as conn:
            if db.dialect == "postgresql":
                conn.execute(postgresql.insert(app_keys).values(row).on_conflict_do_nothing())
            else:
                conn.execute(sqlite.insert(app_keys).values(row).on_conflict_do_nothing())
            value = conn.execute(
                select(app_keys.c.value).where(app_keys.c.name == _KEY_NAME)
            ).scalar_one()
    return str(value).encode("utf-8")


def start(db: Database, user: User, *, now: datetime) -> tuple[str, str]:
    """Start a session for a user who just logged in; return its id and a one-time ticket.

    The ticket is valid ``rules.TICKET_TTL``; the browser exchanges it for the cookie
    (:func:`claim`). Old ended sessions are cleared on the way.
    """
    marker = session_marker(db, user.username)
    if marker is None:
        raise ValueError(f"no account '{user.username}'")
    session_id, ticket = rules.new_session_id(), rules.new_token()
    times = rules.times_of_new_session(now)
    with db.writing() as conn:
        conn.execute(
            delete(staff_sessions).where(
                or_(
                    staff_sessions.c.ended_at < now - KEEP_ENDED,
                    staff_sessions.c.expires_at < now - KEEP_ENDED,
                )
            )
        )
        conn.execute(
            insert(staff_sessions).values(
                id=session_id,
                username=user.username,
                marker=marker,
                ticket_hash=rules.digest(ticket),
                ticket_until=now + rules.TICKET_TTL,
                created_at=times.created_at,
                last_active=times.last_active,
                expires_at=times.expires_at,
            )
        )
    return session_id, ticket


def claim(db: Database, ticket: str, *, key: bytes, now: datetime) -> tuple[str, int] | None:
    """Exchange a ticket for the session cookie: return its value and ``Max-Age`` (seconds).

    A ticket works once, within ``rules.TICKET_TTL``, and only for a session that still
    holds; otherwise None. The new token is made here, so it never passes through the page.
    """
    if not ticket or len(ticket) > 100:
        return None
    token = rules.new_token()
    with db.writing() as conn:
        row = conn.execute(
            select(staff_sessions)
            .where(staff_sessions.c.ticket_hash == rules.digest(ticket))
            .with_for_update()
        ).first()
        if row is None:
            return None
        times = _times(row)
        valid = row.ticket_until is not None and now <= row.ticket_until and times.alive_at(now)
        # The ticket is void from now on, whether it worked or not.
        conn.execute(
            update(staff_sessions)
            .where(staff_sessions.c.id == row.id)
            .values(
                ticket_hash=None,
                ticket_until=None,
                token_hash=rules.digest(token) if valid else row.token_hash,
            )
        )
    if not valid:
        return None
    return rules.sign(token, key), rules.cookie_max_age(times, now)


def resume(
    db: Database, cookie: str | None, *, key: bytes, now: datetime
) -> tuple[str, User] | None:
    """Return the session id and user of a session cookie when the session still holds.

    A reload or a new tab sends the cookie: this is how the log-in survives them. The
    session's last activity is brought up to date.
    """
    token = rules.unsign(cookie, key)
    if token is None:
        return None
    with db.reading() as conn:
        session_id = conn.execute(
            select(staff_sessions.c.id).where(staff_sessions.c.token_hash == rules.digest(token))
        ).scalar()
    if session_id is None:
        return None
    user = alive(db, str(session_id), now=now)
    return (str(session_id), user) if isinstance(user, User) else None


def alive(db: Database, session_id: str, *, now: datetime) -> User | str:
    """Return the user of a session that still holds (and note the activity), else why not.

    A session ends here when it timed out, or when its account was removed, its role
    changed or its password was set anew since the log-in.

    Returns
    -------
    User or str
        The user; or ``rules.TIMED_OUT``, ``rules.LOGGED_OUT`` (ended, e.g. in another tab)
        or ``rules.ACCOUNT_CHANGED``.
    """
    with db.reading() as conn:
        row = conn.execute(select(staff_sessions).where(staff_sessions.c.id == session_id)).first()
        role = (
            None
            if row is None
            else conn.execute(select(users.c.role).where(users.c.username == row.username)).scalar()
        )
    if row is None:
        return rules.LOGGED_OUT
    times = _times(row)
    if row.ended_at is not None:
        return rules.LOGGED_OUT
    if not times.alive_at(now):
        return rules.TIMED_OUT
    if role is None or session_marker(db, row.username) != row.marker:
        with db.writing() as conn:
            _end(conn, session_id, now)
        return rules.ACCOUNT_CHANGED
    if times.needs_touch(now):
        with db.writing() as conn:
            conn.execute(
                update(staff_sessions)
                .where(staff_sessions.c.id == session_id, staff_sessions.c.ended_at.is_(None))
                .values(last_active=now)
            )
    return User(username=str(row.username), role=str(role))


def end(db: Database, session_id: str, *, now: datetime, actor: str | None = None) -> None:
    """End a session: every tab and every copy of its cookie loses the log-in.

    With ``actor`` (the user who logged out) the log-out is written to the audit log.
    """
    with db.writing() as conn:
        ended = _end(conn, session_id, now)
        if ended and actor is not None:
            audit.record(conn, at=now, actor=actor, action="logout", entity="user", entity_id=actor)


def end_by_cookie(db: Database, cookie: str | None, *, key: bytes, now: datetime) -> None:
    """End the session a cookie names (the log-out endpoint), if the cookie is genuine."""
    token = rules.unsign(cookie, key)
    if token is None:
        return
    with db.writing() as conn:
        conn.execute(
            update(staff_sessions)
            .where(
                staff_sessions.c.token_hash == rules.digest(token),
                staff_sessions.c.ended_at.is_(None),
            )
            .values(ended_at=now)
        )


def _end(conn: Connection, session_id: str, now: datetime) -> bool:
    done = conn.execute(
        update(staff_sessions)
        .where(staff_sessions.c.id == session_id, staff_sessions.c.ended_at.is_(None))
        .values(ended_at=now, ticket_hash=None, ticket_until=None)
    ).rowcount
    return bool(done)


def _times(row: object) -> rules.SessionTimes:
    return rules.SessionTimes(
        created_at=row.created_at,  # type: ignore[attr-defined]
        last_active=row.last_active,  # type: ignore[attr-defined]
        expires_at=row.expires_at,  # type: ignore[attr-defined]
        ended_at=row.ended_at,  # type: ignore[attr-defined]
    )


class StaffSessions:
    """The staff sessions of one database, with its clock and signing key (``Store.sessions``).

    Parameters
    ----------
    db : Database
        The database.
    clock : callable
        Returns the current time (aware).
    secret : str, optional
        ``ASSET_MAP_SESSION_SECRET``; None uses the key stored in the database.
    """

    def __init__(self, db: Database, clock: Callable[[], datetime], secret: str | None = None):
        self._db = db
        self._now = clock
        self._secret = secret
        self._key: bytes | None = None

    def _signing_key(self) -> bytes:
        if self._key is None:
            self._key = signing_key(self._db, self._secret)
        return self._key

    def start(self, user: User) -> tuple[str, str]:
        """Start a session after a log-in: its id and a one-time ticket (see :func:`start`)."""
        return start(self._db, user, now=self._now())

    def claim(self, ticket: str) -> tuple[str, int] | None:
        """Exchange a ticket for the cookie value and its ``Max-Age`` (see :func:`claim`)."""
        return claim(self._db, ticket, key=self._signing_key(), now=self._now())

    def resume(self, cookie: str | None) -> tuple[str, User] | None:
        """Return the session id and user of a cookie, when it still holds (see :func:`resume`)."""
        return resume(self._db, cookie, key=self._signing_key(), now=self._now())

    def alive(self, session_id: str) -> User | str:
        """Return the user while the session holds, else why not (see :func:`alive`)."""
        return alive(self._db, session_id, now=self._now())

    def end(self, session_id: str, *, actor: str | None = None) -> None:
        """End a session everywhere (log-out); see :func:`end`."""
        end(self._db, session_id, now=self._now(), actor=actor)

    def end_by_cookie(self, cookie: str | None) -> None:
        """End the session a genuine cookie names (see :func:`end_by_cookie`)."""
        end_by_cookie(self._db, cookie, key=self._signing_key(), now=self._now())

    def account(self, username: str) -> User | None:
        """Return the account of ``username`` (name and role), or None when there is none.

        For a log-in through the gemeente's identity provider: the provider says who it is,
        the local account says what they may do.
        """
        with self._db.reading() as conn:
            role = conn.execute(select(users.c.role).where(users.c.username == username)).scalar()
        return None if role is None else User(username=username, role=str(role))
