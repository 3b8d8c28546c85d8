"""Accounts: adding users, logging in with throttling, known devices, listing users.

The rules (password strength, hashing, the buckets and their delays) live in
``asset_map.rules.auth``; this module keeps their state in the database. Failed log-ins are
counted for known and unknown names alike, so neither the message nor a delay tells whether
a name exists; names and addresses are stored only as hashes there. Every failed log-in is
in the audit log with the client address it came from.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, exc, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.rules import auth
from asset_map.storage import audit
from asset_map.storage.db import Database
from asset_map.storage.schema import known_devices, login_throttle, users

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
        _lift_delays(conn, name)
        # A new password ends every known device: a stolen cookie is worth nothing after it.
        conn.execute(delete(known_devices).where(known_devices.c.username == name))
        audit.record(
            conn, at=now, actor=actor, action="password_set", entity="user", entity_id=name
        )


def _lift_delays(conn: Connection, name: str) -> None:
    """Forget the failed log-ins on ``name``: from every address, and of its known devices."""
    hashes = conn.execute(
        select(known_devices.c.token_hash).where(known_devices.c.username == name)
    ).scalars()
    keys = [auth.username_key(name), *(auth.device_key(h) for h in hashes)]
    conn.execute(
        delete(login_throttle).where(
            login_throttle.c.key.in_(keys)
            | login_throttle.c.key.startswith(auth.name_prefix(name), autoescape=True)
        )
    )


def unlock(db: Database, username: str, *, actor: str, now: datetime) -> None:
    """Lift the log-in delays of an account and forget its failed attempts."""
    name = auth.normalise_username(username)
    with db.writing() as conn:
        if conn.execute(select(users.c.username).where(users.c.username == name)).first() is None:
            raise auth.UnknownUser(Msg("err.accounts.unknown", name=name))
        _lift_delays(conn, name)
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
        conn.execute(delete(known_devices).where(known_devices.c.username == name))
        audit.record(
            conn, at=now, actor=actor, action="user_removed", entity="user", entity_id=name
        )


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    now: datetime,
    address: str | None = None,
    device: str | None = None,
) -> auth.User:
    """Check a log-in; see ``Store.authenticate``."""
    name = auth.normalise_username(username)
    shown = address or "unknown"
    # Check the delays and count this attempt as a failure of its own bucket (the address's
    # on this name, or the known device's) in ONE write transaction, before the slow
    # password check: parallel guesses cannot slip past. A right password then clears it.
    with db.writing() as conn:
        known_device = _known_device(conn, name, device, now)
        keys = (
            {auth.DEVICE: auth.device_key(known_device)}
            if known_device
            else auth.bucket_keys(name, address)
        )
        for key in keys.values():
            _lock_row(conn, db.dialect, key)
        row = conn.execute(
            select(users.c.password_hash, users.c.role).where(users.c.username == name)
        ).first()
        known = row is not None
        throttles = {bucket: _throttle(conn, key) for bucket, key in keys.items()}
        waits = [t.locked_at(now) for t in throttles.values()]
        until = max((w for w in waits if w is not None), default=None)
        own = auth.DEVICE if known_device else auth.PAIR
        if until is None:
            counted = throttles[own].after_failure(now, own)
            _store(conn, keys[own], counted)
    if until is not None:  # not checked, so not counted nor logged: the delay is known
        raise auth.LoginDelayed(until)
    # Verify outside any transaction (it takes ~0.1 s); unknown names take as long.
    ok = auth.verify_password(row.password_hash if row else auth.dummy_hash(), password)
    details: dict[str, Any] = {"address": shown, "known_device": bool(known_device)}
    with db.writing() as conn:
        if ok and row is not None:
            conn.execute(delete(login_throttle).where(login_throttle.c.key == keys[own]))
            if auth.needs_rehash(row.password_hash):
                conn.execute(
                    update(users)
                    .where(users.c.username == name)
                    .values(password_hash=auth.hash_password(password))
                )
            _record_login(conn, now, name, known, "login_ok", details)
            return auth.User(username=name, role=str(row.role))
        delays = {own.kind: counted.locked_until}
        if not known_device:
            # The address's failures on any name; the name's failures from new addresses.
            for bucket in (auth.ADDRESS, auth.NAME):
                if bucket is auth.NAME and counted.failures != 1:
                    continue  # this address failed on this name before: counted once
                _lock_row(conn, db.dialect, keys[bucket])
                after = _throttle(conn, keys[bucket]).after_failure(now, bucket)
                _store(conn, keys[bucket], after)
                delays[bucket.kind] = after.locked_until
        waiting = {kind: until for kind, until in delays.items() if until is not None}
        if waiting:
            details["delay_s"] = {
                kind: round((until - now).total_seconds()) for kind, until in waiting.items()
            }
        _record_login(conn, now, name, known, "login_failed", details)
    raise auth.LoginFailed()


def remember_device(
    db: Database, username: str, *, now: datetime, current: str | None = None
) -> str:
    """Return the known-device token of a browser of ``username`` (after a right password).

    ``current``, the token the browser sent, when it is a known device of the account;
    otherwise a new one. Only hashes are stored; the oldest devices beyond
    ``auth.MAX_DEVICES`` are forgotten.
    """
    name = auth.normalise_username(username)
    with db.writing() as conn:
        if current and _known_device(conn, name, current, now):
            return current
        token = auth.new_device_token()
        conn.execute(
            insert(known_devices).values(
                token_hash=auth.device_hash(token),
                username=name,
                created_at=now,
                last_used_at=now,
            )
        )
        old = (
            conn.execute(
                select(known_devices.c.token_hash)
                .where(known_devices.c.username == name)
                .order_by(known_devices.c.last_used_at.desc(), known_devices.c.created_at.desc())
                .offset(auth.MAX_DEVICES)
            )
            .scalars()
            .all()
        )
        if old:
            conn.execute(delete(known_devices).where(known_devices.c.token_hash.in_(old)))
    return token


def _known_device(conn: Connection, name: str, token: str | None, now: datetime) -> str | None:
    """Return the hash of ``token`` when it is a known device of ``name``, used lately."""
    if not token:
        return None
    token_hash = auth.device_hash(token)
    row = conn.execute(
        select(known_devices.c.username, known_devices.c.last_used_at).where(
            known_devices.c.token_hash == token_hash
        )
    ).first()
    if row is None or row.username != name or now - row.last_used_at > auth.DEVICE_LIFETIME:
        return None
    conn.execute(
        update(known_devices)
        .where(known_devices.c.token_hash == token_hash)
        .values(last_used_at=now)
    )
    return token_hash


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
    """Return the accounts: user name, role, created, delayed until (never hashes).

    ``locked_until`` is the end of the delay that many addresses together caused on the
    name (the ``name`` bucket); known devices and other addresses may log in meanwhile.
    """
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


def _store(conn: Connection, key: str, throttle: auth.Throttle) -> None:
    values = {
        "failures": throttle.failures,
        "window_start": throttle.window_start,
        "locked_until": throttle.locked_until,
    }
    done = conn.execute(
        update(login_throttle).where(login_throttle.c.key == key).values(**values)
    ).rowcount
    if not done:
        conn.execute(insert(login_throttle).values(key=key, **values))


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


def _record_login(
    conn: Connection,
    now: datetime,
    name: str,
    known: bool,
    action: str,
    details: dict[str, Any],
) -> None:
    # An unknown name may be a password typed in the wrong field: never log it.
    audit.record(
        conn,
        at=now,
        actor=name if known else "unknown",
        action=action,
        entity="user",
        entity_id=name if known else None,
        details=details,
    )
