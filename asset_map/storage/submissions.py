"""The counts of residents' submissions behind the limits of ``asset_map.rules.submissions``.

One row per submission taken (its kind, a hash of the client address, when), written in the
same transaction as the submission itself, so parallel submissions cannot slip past a
limit. Rows older than a day are no longer needed and go as new ones come in.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, text

from asset_map.rules.submissions import Counts, SubmissionRefused, address_hash, refusal
from asset_map.settings import SubmissionLimits
from asset_map.storage.schema import submission_log

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
#: PostgreSQL sessions that take a submission of one kind take this advisory lock in turn.
_PG_LOCK = 0x73_75_62  # "sub"


def admit(
    conn: Connection,
    *,
    kind: str,
    address: str | None,
    now: datetime,
    limits: SubmissionLimits,
    queue: int,
) -> None:
    """Count a submission of ``kind`` from ``address``, or refuse it; in the caller's transaction.

    Parameters
    ----------
    conn : Connection
        In the write transaction that stores the submission (SQLite: ``BEGIN IMMEDIATE``
        holds the database; PostgreSQL: an advisory lock per kind is taken here).
    queue : int
        How many submissions of this kind wait for moderation now.

    Raises
    ------
    SubmissionRefused
        When a limit is reached; nothing is counted then.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:a, :b)"),
            {"a": _PG_LOCK, "b": zlib.crc32(kind.encode("utf-8")) & 0x7FFFFFFF},
        )
    key = address_hash(address)
    log = submission_log.c

    def count(since: timedelta, *, own: bool) -> int:
        query = select(func.count()).where(log.kind == kind, log.at > now - since)
        if own:
            query = query.where(log.address_key == key)
        return int(conn.execute(query).scalar_one())

    counts = Counts(
        address_hour=count(HOUR, own=True),
        address_day=count(DAY, own=True),
        hour=count(HOUR, own=False),
        day=count(DAY, own=False),
        queue=queue,
    )
    reason = refusal(counts, limits)
    if reason is not None:
        raise SubmissionRefused(reason)
    conn.execute(delete(submission_log).where(log.kind == kind, log.at <= now - DAY))
    conn.execute(insert(submission_log).values(kind=kind, address_key=key, at=now))
