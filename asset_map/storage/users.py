"""Accounts: adding users, logging in with lockout, listing users.

The rules (password strength, hashing, when a lock starts) live in ``asset_map.rules.auth``; this
module keeps their state in the database. Failed log-ins are counted per user name for
known and unknown names alike, so neither the message nor a lock tells whether a name
exists; the names themselves are stored only as hashes there.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, delete, exc, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.rules import auth
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.schema import login_throttle, users

USER_COLUMNS = ["username", "role", "created_at", "locked_until"]


def add(
    db: Database, username: str, password: str, role: str, *, actor: str, now: datetime
) -> None:
    """Add an account; see ``Store.add_user``."""
    name = auth.check_new_account(username, password, role)
    password_hash = auth.hash_password(password)
    try:
        with db.writing() as conn:
            conn.execute(
                insert(users).values(
                    username=name, password_hash=password_hash, role=role, created_at=now
                )
            )
            audit.record(
                conn,
                at=now,
                actor=actor,
                action="user_added",
                entity="user",
                entity_id=name,
                details={"role": role},
            )
    except exc.IntegrityError as error:
        raise auth.UserExists(Msg("err.accounts.exists", name=name)) from error


def set_password(db: Database, username: str, password: str, *, actor: str, now: datetime) -> None:
    """Give an account a new password and lift any lock on it."""
    name = auth.normalise_username(username)
    auth.check_password(name, password)
    password_hash = auth.hash_password(password)
    with db.writing() as conn:
        done = conn.execute(
            update(users).where(users.c.username == name).values(password_hash=password_hash)
        ).rowcount
        if not done:
            raise auth.UnknownUser(Msg("err.accounts.unknown", name=name))
        conn.execute(delete(login_throttle).where(login_throttle.c.key == auth.username_key(name)))
        audit.record(
            conn, at=now, actor=actor, action="password_set", entity="user", entity_id=name
        )


def unlock(db: Database, username: str, *, actor: str, now: datetime) -> None:
    """Lift the log-in lock of an account and forget its failed attempts."""
    name = auth.normalise_username(username)
    with db.writing() as conn:
        if conn.execute(select(users.c.username).where(users.c.username == name)).first() is None:
            raise auth.UnknownUser(Msg("err.accounts.unknown", name=name))
        conn.execute(delete(login_throttle).where(login_throttle.c.key == auth.username_key(name)))
        audit.record(
            conn, at=now, actor=actor, action="user_unlocked", entity="user", entity_id=name
        )


def remove(db: Database, username: str, *, actor: str, now: datetime) -> None:
    """Remove an account; the last administrator cannot be removed."""
    name = auth.normalise_username(username)
    with db.writing() as conn:
        role = conn.execute(
            select(users.c.role).where(users.c.username == name).with_for_update()
        ).scalar()
        if role is None:
            raise auth.UnknownUser(Msg("err.accounts.unknown", name=name))
        if role == "admin":
            admins = conn.execute(
                select(func.count()).select_from(users).where(users.c.role == "admin")
            ).scalar_one()
            if admins <= 1:
                raise AssetMapError(Msg("err.accounts.last_admin", name=name))
        conn.execute(delete(users).where(users.c.username == name))
        audit.record(
            conn, at=now, actor=actor, action="user_removed", entity="user", entity_id=name
        )


def authenticate(db: Database, username: str, password: str, *, now: datetime) -> auth.User:
    """Check a log-in; see ``Store.authenticate``."""
    name = auth.normalise_username(username)
    key = auth.username_key(name)
    # Check the lock and count this attempt as a failure in ONE write transaction, before
    # the slow password check: parallel guesses cannot slip past the limit. A right password
    # then clears the count.
    with db.writing() as conn:
        _lock_row(conn, db.dialect, key)
        row = conn.execute(
            select(users.c.password_hash, users.c.role).where(users.c.username == name)
        ).first()
        known = row is not None
        throttle = _throttle(conn, key)
        until = throttle.locked_at(now)
        if until is None:
            after = throttle.after_failure(now)
            conn.execute(
                update(login_throttle)
                .where(login_throttle.c.key == key)
                .values(
                    failures=after.failures,
                    window_start=after.window_start,
                    locked_until=after.locked_until,
                )
            )
        else:
            _record_login(conn, now, name, known, "login_locked")
    if until is not None:
        raise auth.LockedOut(until)
    # Verify outside any transaction (it takes ~0.1 s); unknown names take as long.
    ok = auth.verify_password(row.password_hash if row else auth.dummy_hash(), password)
    with db.writing() as conn:
        if ok and row is not None:
            conn.execute(delete(login_throttle).where(login_throttle.c.key == key))
            if auth.needs_rehash(row.password_hash):
                conn.execute(
                    update(users)
                    .where(users.c.username == name)
                    .values(password_hash=auth.hash_password(password))
                )
            _record_login(conn, now, name, known, "login_ok")
            return auth.User(username=name, role=str(row.role))
        _record_login(conn, now, name, known, "login_failed")
        if after.locked_until is not None:
            _record_login(conn, now, name, known, "login_locked")
    if after.locked_until is not None:
        raise auth.LockedOut(after.locked_until)
    raise auth.LoginFailed()


def session_marker(db: Database, username: str) -> str | None:
    """Return a marker of the account's role and password, or None if it does not exist.

    A session keeps the marker of its log-in; a different marker later means the account was
    removed, its role changed or its password set anew: the session must end. The marker is a
    digest of the (salted) password hash, so it reveals nothing about the password.
    """
    with db.reading() as conn:
        row = conn.execute(
            select(users.c.role, users.c.password_hash).where(users.c.username == username)
        ).first()
    if row is None:
        return None
    digest = hashlib.sha256(str(row.password_hash).encode()).hexdigest()[:32]
    return f"{row.role}:{digest}"


def frame(db: Database) -> pd.DataFrame:
    """Return the accounts: user name, role, created, locked until (never hashes)."""
    with db.reading() as conn:
        rows = conn.execute(
            select(users.c.username, users.c.role, users.c.created_at).order_by(users.c.username)
        ).all()
        locks = dict(
            conn.execute(
                select(login_throttle.c.key, login_throttle.c.locked_until).where(
                    login_throttle.c.locked_until.is_not(None)
                )
            ).all()
        )
    table = pd.DataFrame(
        [
            (r.username, r.role, r.created_at, locks.get(auth.username_key(r.username)))
            for r in rows
        ],
        columns=USER_COLUMNS,
    )
    for name in ("username", "role"):
        table[name] = table[name].astype("str")
    for name in ("created_at", "locked_until"):
        table[name] = pd.to_datetime(table[name], utc=True).astype("datetime64[us, UTC]")
    return table


def _throttle(conn: Connection, key: str) -> auth.Throttle:
    row = conn.execute(select(login_throttle).where(login_throttle.c.key == key)).first()
    if row is None:
        return auth.Throttle()
    return auth.Throttle(row.failures, row.window_start, row.locked_until)


def _lock_row(conn: Connection, dialect: str, key: str) -> None:
    """Make sure the throttle row of ``key`` exists and is locked by this transaction."""
    values = {"key": key, "failures": 0}
    if dialect == "postgresql":
        conn.execute(postgresql.insert(login_throttle).values(values).on_conflict_do_nothing())
        conn.execute(
            select(login_throttle.c.key).where(login_throttle.c.key == key).with_for_update()
        )
    else:  # BEGIN IMMEDIATE holds the whole database already
        conn.execute(sqlite.insert(login_throttle).values(values).on_conflict_do_nothing())


def _record_login(conn: Connection, now: datetime, name: str, known: bool, action: str) -> None:
    # An unknown name may be a password typed in the wrong field: never log it.
    audit.record(
        conn,
        at=now,
        actor=name if known else "unknown",
        action=action,
        entity="user",
        entity_id=name if known else None,
    )
