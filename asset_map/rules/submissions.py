"""Limits on residents' submissions: one rule for every public form (talents, suggestions).

On top of the honeypot, a submission is taken only while

- its client address sent fewer than ``per_address_hour`` in the last hour and
  ``per_address_day`` in the last 24 hours (an IPv6 address counts by its /64, as at the
  log-in; clients without a known address count together);
- everyone together sent fewer than ``per_hour`` and ``per_day``;
- fewer than ``queue_max`` submissions wait for moderation: a full queue takes no more, and
  says so.

The limits are settings (:class:`asset_map.settings.SubmissionLimits`); the counts live in
the database (``storage.submissions``), so a new browser session starts no new count. Pure
Python: no database, no streamlit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.rules.auth import address_key
from asset_map.settings import SubmissionLimits

#: The kinds of submission the limits count apart.
KINDS = ("talent", "suggestion")


@dataclass(frozen=True)
class Counts:
    """Submissions of one kind counted now.

    Attributes
    ----------
    address_hour, address_day : int
        From this client address in the last hour and the last 24 hours.
    hour, day : int
        From everyone together, likewise.
    queue : int
        Waiting for moderation.
    """

    address_hour: int
    address_day: int
    hour: int
    day: int
    queue: int


class SubmissionRefused(AssetMapError):
    """A submission not taken because a limit is reached; ``reason`` says which.

    ``reason`` is ``address_hour``, ``address_day``, ``hour``, ``day`` or ``queue``.
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(Msg(f"err.submissions.{reason}"))


def refusal(counts: Counts, limits: SubmissionLimits) -> str | None:
    """Return the reason a submission is not taken now, or None when it is.

    A full queue first (it holds whatever the address), then the address's own limits,
    then everyone's.
    """
    checks = (
        ("queue", counts.queue, limits.queue_max),
        ("address_day", counts.address_day, limits.per_address_day),
        ("address_hour", counts.address_hour, limits.per_address_hour),
        ("day", counts.day, limits.per_day),
        ("hour", counts.hour, limits.per_hour),
    )
    return next((reason for reason, n, most in checks if n >= most), None)


def address_hash(address: str | None) -> str:
    """Return what the counts keep of a client address: a hash of :func:`address_key`."""
    return hashlib.sha256(address_key(address).encode("utf-8")).hexdigest()[:32]
