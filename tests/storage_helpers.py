"""Helpers of the storage tests (the fixtures are in storage_fixtures), and a read-back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import geopandas as gpd

from asset_map.storage import Store, SuggestionSubmission, TalentSubmission


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


def stored_workspace(url: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict]:
    """The areas, assets and meta data of the workspace stored at ``url``; fails when none."""
    store = Store(url)
    try:
        loaded = store.load_workspace()
    finally:
        store.close()
    assert loaded is not None, f"no workspace stored at {url}"
    return loaded


#: Henk's talent in the demo buurt Oude Kern (BU99990101): one category, one wish.
HENK = submission(
    nickname="Henk",
    categories=("koken",),
    description="Soep",
    wishes=("teach",),
    availability="maandag",
    buurt_code="BU99990101",
    contact="henk@example.nl",
)


def suggestion(**changes: object) -> SuggestionSubmission:
    """Return a checked suggestion of a new group in Deventer, with ``changes`` applied."""
    values: dict[str, object] = {
        "kind": "group",
        "correction": None,
        "asset_id": None,
        "type": "vereniging",
        "name": "Breiclub De Steek",
        "description": "Samen breien en koffie",
        "schedule": "woensdag 14-16 uur",
        "lon": 6.16,
        "lat": 52.255,
        "private_home": False,
        "buurt_code": "BU01500401",
        "address": "Hovenweg 12",
        "contact": "steek@example.nl",
    }
    values.update(changes)
    return SuggestionSubmission(**values)  # type: ignore[arg-type]
