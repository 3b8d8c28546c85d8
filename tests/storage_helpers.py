"""Helpers of the storage tests (the fixtures are in storage_fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asset_map.storage import TalentSubmission


class Clock:
    """A settable clock for ``Store(clock=...)``; starts at a fixed moment in UTC."""

    def __init__(self, start: datetime = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def submission(**changes: object) -> TalentSubmission:
    """Return a valid submission, with ``changes`` applied."""
    values: dict[str, object] = {
        "nickname": "Anne",
        "categories": ("koken", "tuinieren"),
        "description": "Ik kook graag voor de buren.",
        "wishes": ("teach",),
        "availability": "dinsdagmiddag",
        "buurt_code": "BU01500401",
        "contact": "anne@example.nl",
    }
    values.update(changes)
    return TalentSubmission(**values)  # type: ignore[arg-type]
