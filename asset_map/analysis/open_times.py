"""When a place is open: its opening hours and its weekly activities, as a week.

A place's week is a list of intervals in minutes from Monday 00:00 (0 to 10,080), from two
sources taken together: its OpenStreetMap ``opening_hours`` (read by
:func:`asset_map.rules.open_times.parse_opening_hours`) and its weekly activities (while an
activity runs, the place is open). A place with neither has *unknown* hours; so has one
whose text cannot be read (:attr:`PlaceWeeks.problems` lists those).

:func:`open_in_window` says which places are open in a :class:`~asset_map.settings.TimeWindow`
(weekday evenings, ...); :func:`open_state` says whether a place is open now and when it
opens next, with the Dutch public holidays (``PH off``) for the coming days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from asset_map.rules.open_times import (
    Interval,
    activity_intervals,
    parse_errors,
    parse_opening_hours,
)
from asset_map.settings import MIN_OPEN_MINUTES, TimeWindow

#: The country whose public holidays :func:`open_state` applies (``PH off``).
COUNTRY = "NL"


@dataclass(frozen=True)
class PlaceWeeks:
    """The open intervals of many places at once (flat arrays, one row per interval).

    Attributes
    ----------
    n_places : int
        How many places.
    place, start, end : ndarray
        Per interval: the place's position, and its start and end (minutes from Monday).
    known : ndarray
        Per place: whether its hours are known (opening hours read, or activities).
    problems : list of (int, str, str)
        Per unreadable ``opening_hours`` text: the place's position, the text and why.
    """

    n_places: int
    place: np.ndarray
    start: np.ndarray
    end: np.ndarray
    known: np.ndarray
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    def open_minutes(self, window: TimeWindow) -> np.ndarray:
        """Return, per place, the minutes it is open within ``window`` in a week."""
        total = np.zeros(self.n_places, dtype="float64")
        for w_start, w_end in window.minutes():
            overlap = np.minimum(self.end, w_end) - np.maximum(self.start, w_start)
            total += np.bincount(
                self.place, weights=np.clip(overlap, 0, None), minlength=self.n_places
            )
        return total


def place_weeks(
    opening_hours: Sequence[object],
    ids: Sequence[object] | None = None,
    activities: pd.DataFrame | None = None,
) -> PlaceWeeks:
    """Return the open intervals of a week of each place.

    Parameters
    ----------
    opening_hours : sequence
        Per place, its ``opening_hours`` text (None or NaN: none).
    ids : sequence, optional
        Per place, its id (what ``activities["asset_id"]`` names); needed with activities.
    activities : DataFrame, optional
        Weekly activities with ``asset_id``, ``weekday``, ``start`` and ``end``.

    Returns
    -------
    PlaceWeeks
        Overlapping intervals of one place may overlap each other; :meth:`open_minutes`
        counts a minute once per interval, so the sources are merged first.
    """
    n = len(opening_hours)
    per_place: list[list[Interval]] = [[] for _ in range(n)]
    known = np.zeros(n, dtype=bool)
    problems: list[tuple[int, str, str]] = []
    for i, text in enumerate(opening_hours):
        if not _has_text(text):
            continue
        parsed = parse_opening_hours(str(text))
        if parsed.problem is not None:
            problems.append((i, str(text), parsed.problem))
        if parsed.known:
            known[i] = True
            per_place[i].extend(parsed.intervals)
    if activities is not None and len(activities) and ids is not None:
        position = {str(v): i for i, v in enumerate(ids)}
        for asset_id, day, start, end in activities[
            ["asset_id", "weekday", "start", "end"]
        ].itertuples(index=False):
            at = position.get(str(asset_id))
            spans = activity_intervals(day, start, end) if at is not None else []
            if at is not None and spans:
                known[at] = True
                per_place[at].extend(spans)
    rows = [(i, s, e) for i, spans in enumerate(per_place) for s, e in _merged(spans)]
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    return PlaceWeeks(n, arr[:, 0], arr[:, 1], arr[:, 2], known, problems)


def _has_text(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return False
    return bool(str(value).strip())


def _merged(spans: list[Interval]) -> list[Interval]:
    """Return the intervals sorted, overlapping and touching ones joined."""
    out: list[Interval] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def open_in_window(weeks: PlaceWeeks, window: TimeWindow, *, unknown_counts: bool) -> np.ndarray:
    """Return, per place, whether it counts as open in ``window``.

    Open at least :data:`asset_map.settings.MIN_OPEN_MINUTES` in the window in a week. A
    place whose hours are unknown counts when ``unknown_counts`` (the analysis says how
    many such places there are). Every place counts for the window of any time.
    """
    if window.any_time:
        return np.ones(weeks.n_places, dtype=bool)
    is_open = weeks.open_minutes(window) >= MIN_OPEN_MINUTES
    return is_open | (~weeks.known & unknown_counts)


# --- open now, next open ---------------------------------------------------------------------


@dataclass(frozen=True)
class OpenState:
    """Whether a place is open at a moment, and when it opens next.

    ``known`` is False when neither opening hours nor activities say when it is open.
    ``next_open`` is None when it is open now, or not open in the coming seven days.
    """

    known: bool
    open_now: bool = False
    next_open: datetime | None = None


def open_state(
    opening_hours: object,
    activities: pd.DataFrame | None,
    now: datetime,
    *,
    days: int = 7,
) -> OpenState:
    """Return whether a place is open at ``now`` (local time) and when it opens next.

    Parameters
    ----------
    opening_hours : str or None
        The place's OpenStreetMap ``opening_hours``; Dutch public holidays apply.
    activities : DataFrame, optional
        The place's weekly activities (``weekday``, ``start``, ``end``).
    now : datetime
        The moment, naive local time (Europe/Amsterdam).
    days : int
        How far ahead to look for the next opening.
    """
    now = now.replace(second=0, microsecond=0, tzinfo=None)
    until = now + timedelta(days=days)
    spans: list[tuple[datetime, datetime]] = []
    known = False
    if _has_text(opening_hours):
        parsed = parse_opening_hours(str(opening_hours))
        if parsed.known:
            known = True
            spans += _hours_between(str(opening_hours), now, until)
    if activities is not None and len(activities):
        monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0)
        for day, start, end in activities[["weekday", "start", "end"]].itertuples(index=False):
            for s, e in activity_intervals(day, start, end):
                known = True
                for week in (-1, 0, 1):
                    first = monday + timedelta(weeks=week, minutes=s)
                    spans.append((first, first + timedelta(minutes=e - s)))
    if not known:
        return OpenState(known=False)
    if any(s <= now < e for s, e in spans):
        return OpenState(known=True, open_now=True)
    later = sorted(s for s, _ in spans if now < s < until)
    return OpenState(known=True, next_open=later[0] if later else None)


def _hours_between(text: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Return the open spans of an opening_hours text from ``start`` to ``end``, holidays on."""
    import opening_hours

    try:
        hours = opening_hours.OpeningHours(text, country=COUNTRY)
        return [
            (s.replace(tzinfo=None), (e or end).replace(tzinfo=None))
            for s, e, state, comment in hours.intervals(start, end)
            if state == opening_hours.State.OPEN and not comment
        ]
    except parse_errors(opening_hours):
        return []
