"""Organisers' personal links: one place, its description, opening times and activities.

Staff make a link for the organiser of a place (:func:`create`): a random token of 256 bits,
shown once and stored only as its SHA-256, valid until it expires or is revoked. Everything
an organiser does goes through :func:`use`, which finds the link by the token's hash and
refuses an unknown, revoked or expired one; what the organiser may change is checked here,
not on the page: the place of the link, and only its ``description`` and ``opening_hours``,
and activities at that place. Every use writes the audit log (actor ``organiser`` and the
link's id, never the token) and counts as a check of the place (how: ``organiser``).

Like staff forms, the organiser's forms say which version of the row they started from
(an :class:`~asset_map.rules.concurrent_edits.Editable`, read with :func:`editable_place`
or :func:`editable_link_activity`): a save on a row someone changed meanwhile raises
``StaleEdit`` and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from asset_map._errors import AssetMapError, SchemaError
from asset_map.i18n import Msg
from asset_map.rules import auth
from asset_map.rules.concurrent_edits import Editable
from asset_map.storage import audit, checks
from asset_map.storage.activities import (
    activity_place,
    checked_activity,
    delete_activity_in,
    editable_activity,
    save_activity_in,
)
from asset_map.storage.db import Database
from asset_map.storage.edits import checked_changes, editable, require_asset, update_in
from asset_map.storage.layers import lock_workspace
from asset_map.storage.schema import organiser_links

#: The fields of its place an organiser may change.
ORGANISER_FIELDS = ("description", "opening_hours")
#: The columns staff see of a link (never the hash).
LINK_COLUMNS = [
    "id",
    "asset_id",
    "label",
    "created_by",
    "created_at",
    "expires_at",
    "revoked_by",
    "revoked_at",
    "last_used_at",
    "uses",
]
_TIMES = ("created_at", "expires_at", "revoked_at", "last_used_at")


class LinkRefused(AssetMapError):
    """The link is unknown, revoked or expired, or asks for something of another place.

    ``reason`` is ``"unknown"``, ``"revoked"``, ``"expired"`` or ``"other_place"``.
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(Msg(f"err.link.{reason}"))


@dataclass(frozen=True)
class Link:
    """A link that works now: its id and its place."""

    id: str
    asset_id: str

    @property
    def actor(self) -> str:
        """The name in the audit log: the organiser of this link (not a person's name)."""
        return f"organiser:{self.id[:8]}"


def create(
    db: Database,
    asset_id: str,
    *,
    days: int,
    actor: str,
    now: datetime,
    label: str | None = None,
) -> tuple[str, str]:
    """Make a link for the organiser of a place; return its id and the token (shown once).

    Raises
    ------
    NotFound
        For an unknown place.
    SchemaError
        For a validity outside 1 to 730 days, or a label over 120 characters.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 730:
        raise SchemaError(Msg("err.link.days", days=repr(days)))
    if label is not None and (len(label) > 120 or "\x00" in label):
        raise SchemaError(Msg("err.link.label"))
    token = auth.new_link_token()
    link_id = str(uuid.uuid4())
    with db.writing() as conn:
        require_asset(conn, asset_id)
        conn.execute(
            insert(organiser_links).values(
                id=link_id,
                asset_id=asset_id,
                token_hash=auth.hash_link_token(token),
                label=(label or "").strip() or None,
                created_by=actor[:64],
                created_at=now,
                expires_at=now + timedelta(days=days),
                uses=0,
            )
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="link_created",
            entity="organiser_link",
            entity_id=link_id,
            details={"asset": asset_id, "days": days},
        )
    return link_id, token


def revoke(db: Database, link_id: str, *, actor: str, now: datetime) -> None:
    """Revoke a link at once; revoking it again changes nothing.

    Raises
    ------
    LinkRefused
        ``unknown`` for an id that is no link.
    """
    with db.writing() as conn:
        row = conn.execute(
            select(organiser_links.c.revoked_at).where(organiser_links.c.id == link_id)
        ).first()
        if row is None:
            raise LinkRefused(reason="unknown")
        if row.revoked_at is not None:
            return
        conn.execute(
            update(organiser_links)
            .where(organiser_links.c.id == link_id)
            .values(revoked_at=now, revoked_by=actor[:64])
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="link_revoked",
            entity="organiser_link",
            entity_id=link_id,
        )


def frame(db: Database, *, asset_id: str | None = None) -> pd.DataFrame:
    """Return the links (of one place), newest first: :data:`LINK_COLUMNS`."""
    query = select(*(organiser_links.c[n] for n in LINK_COLUMNS)).order_by(
        organiser_links.c.created_at.desc(), organiser_links.c.id
    )
    if asset_id is not None:
        query = query.where(organiser_links.c.asset_id == asset_id)
    with db.reading() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=LINK_COLUMNS)
    for name in _TIMES:
        out[name] = pd.to_datetime(out[name], utc=True).astype("datetime64[us, UTC]")
    out["uses"] = out["uses"].astype("int64")
    return out


def _resolve(conn: Connection, token: str, now: datetime) -> Link:
    """Return the link of ``token``, or raise (and audit) why it does not work."""
    wanted = auth.hash_link_token(token)
    row = conn.execute(
        select(
            organiser_links.c.id,
            organiser_links.c.asset_id,
            organiser_links.c.expires_at,
            organiser_links.c.revoked_at,
        ).where(organiser_links.c.token_hash == wanted)
    ).first()
    if row is None:
        raise LinkRefused(reason="unknown")
    reason = "revoked" if row.revoked_at is not None else None
    if reason is None and now >= row.expires_at:
        reason = "expired"
    if reason is not None:
        raise LinkRefused(reason)
    return Link(id=str(row.id), asset_id=str(row.asset_id))


def _refused(db: Database, token: str, reason: str, *, now: datetime) -> None:
    """Write a refusal to the audit log (the link's id when known; never the token)."""
    with db.writing() as conn:
        found = conn.execute(
            select(organiser_links.c.id).where(
                organiser_links.c.token_hash == auth.hash_link_token(token)
            )
        ).scalar()
        audit.record(
            conn,
            at=now,
            actor="organiser",
            action="link_refused",
            entity="organiser_link",
            entity_id=None if found is None else str(found),
            details={"reason": reason},
        )


@contextmanager
def use(
    db: Database, token: str, *, now: datetime, action: str
) -> Iterator[tuple[Connection, Link]]:
    """Yield a locked write transaction and the link of ``token``, for one organiser's action.

    On success the link's use is counted, the place counts as checked (how: ``organiser``)
    and the audit log has an entry ``action`` for the link; all in the same transaction.

    Raises
    ------
    LinkRefused
        For an unknown, revoked or expired link (written to the audit log as refused), or
        when the action is about another place (``other_place``, raised by the caller).
    """
    try:
        with db.writing() as conn:
            lock_workspace(conn)
            link = _resolve(conn, token, now)
            require_asset(conn, link.asset_id)
            yield conn, link
            conn.execute(
                update(organiser_links)
                .where(organiser_links.c.id == link.id)
                .values(last_used_at=now, uses=organiser_links.c.uses + 1)
            )
            audit.record(
                conn,
                at=now,
                actor=link.actor,
                action=action,
                entity="organiser_link",
                entity_id=link.id,
                details={"asset": link.asset_id},
            )
            checks.record_in(
                conn, link.asset_id, method="organiser", actor=link.actor, now=now,
                details={"link": link.id},
            )  # fmt: skip
    except LinkRefused as refused:
        _refused(db, token, refused.reason, now=now)
        raise


def place_of(db: Database, token: str, *, now: datetime) -> Link:
    """Return the link of a token that works now (nothing is written when it works).

    Raises
    ------
    LinkRefused
        For an unknown, revoked or expired link (the refusal is written to the audit log).
    """
    try:
        with db.reading() as conn:
            return _resolve(conn, token, now)
    except LinkRefused as refused:
        _refused(db, token, refused.reason, now=now)
        raise


def opened(db: Database, token: str, *, now: datetime) -> Link:
    """Return the link of a token that works now, and write its opening to the audit log.

    Raises
    ------
    LinkRefused
        For an unknown, revoked or expired link (the refusal is written to the audit log).
    """
    try:
        with db.writing() as conn:
            link = _resolve(conn, token, now)
            audit.record(
                conn,
                at=now,
                actor=link.actor,
                action="link_opened",
                entity="organiser_link",
                entity_id=link.id,
                details={"asset": link.asset_id},
            )
            return link
    except LinkRefused as refused:
        _refused(db, token, refused.reason, now=now)
        raise


def confirm(db: Database, token: str, *, now: datetime) -> str:
    """Record the organiser's word that the place is still right; return the place's id."""
    with use(db, token, now=now, action="link_confirmed") as (_conn, link):
        return link.asset_id


def editable_place(db: Database, token: str, *, now: datetime) -> Editable:
    """Return the version and values of the link's place, as the organiser's form starts.

    Raises
    ------
    LinkRefused
        For an unknown, revoked or expired link (the refusal is written to the audit log).
    """
    return editable(db, place_of(db, token, now=now).asset_id)


def editable_link_activity(
    db: Database, token: str, activity_id: str, *, now: datetime
) -> Editable:
    """Return the version and values of an activity at the link's place.

    Raises
    ------
    LinkRefused
        For a link that does not work, or ``other_place`` for an activity elsewhere (both
        written to the audit log).
    """
    link = place_of(db, token, now=now)
    found = editable_activity(db, activity_id)
    if found.values.get("asset_id") != link.asset_id:
        _refused(db, token, "other_place", now=now)
        raise LinkRefused(reason="other_place")
    return found


def update_place(
    db: Database,
    token: str,
    changes: Mapping[str, Any],
    *,
    now: datetime,
    base: Editable | None = None,
) -> list[str]:
    """Change the description and opening times of the link's place; return changed fields.

    With ``base`` (:func:`editable_place` when the form was drawn), only what the organiser
    changed is written, and a place changed meanwhile raises ``StaleEdit``.

    Raises
    ------
    SchemaError
        For any other field, or a value that breaks the rules of the edit form.
    StaleEdit
        When the place changed since ``base`` was read (nothing is written).
    """
    other = sorted(set(changes) - set(ORGANISER_FIELDS))
    if other:
        allowed = ", ".join(ORGANISER_FIELDS)
        raise SchemaError(Msg("err.link.fields", allowed=allowed, other=", ".join(other)))
    with use(db, token, now=now, action="link_edited") as (conn, link):
        cleaned = checked_changes(link.asset_id, changes)
        details = {"via": "organiser_link", "link": link.id}
        return update_in(
            conn, link.asset_id, cleaned, actor=link.actor, now=now, base=base, details=details
        )


def save_activity(
    db: Database,
    token: str,
    activity: Mapping[str, Any],
    *,
    now: datetime,
    base: Editable | None = None,
) -> str:
    """Add or change an activity at the link's place; return its id.

    ``base`` as for :func:`update_place` (:func:`editable_link_activity`).

    Raises
    ------
    LinkRefused
        ``other_place`` when the activity is (or would move) at another place.
    SchemaError
        For a value that breaks the rules of the activity form.
    StaleEdit
        When the activity changed since ``base`` was read (nothing is written).
    """
    activity_id, cleaned = checked_activity(activity)
    with use(db, token, now=now, action="link_activity") as (conn, link):
        stored_at = activity_place(conn, activity_id)
        if cleaned["asset_id"] != link.asset_id or stored_at not in (None, link.asset_id):
            raise LinkRefused(reason="other_place")
        details = {"via": "organiser_link", "link": link.id}
        save_activity_in(
            conn, activity_id, cleaned, actor=link.actor, now=now, base=base, details=details
        )
    return activity_id


def delete_activity(
    db: Database, token: str, activity_id: str, *, now: datetime, base: Editable | None = None
) -> None:
    """Delete an activity at the link's place; with ``base``, not one changed meanwhile.

    Raises
    ------
    LinkRefused
        ``other_place`` when the activity is at another place (or does not exist).
    StaleEdit
        When the activity changed since ``base`` was read (nothing is written).
    """
    with use(db, token, now=now, action="link_activity") as (conn, link):
        if activity_place(conn, activity_id) != link.asset_id:
            raise LinkRefused(reason="other_place")
        details = {"via": "organiser_link", "link": link.id}
        delete_activity_in(conn, activity_id, actor=link.actor, now=now, base=base, details=details)
