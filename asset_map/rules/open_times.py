"""Reading when a place is open: an OpenStreetMap ``opening_hours`` text, a weekly activity.

Both become intervals in minutes from Monday 00:00 (0 to 10,080) of an ordinary week.
``opening_hours`` (``Mo-Fr 09:00-17:00; PH off``) is parsed by the maintained
`opening-hours-py <https://pypi.org/project/opening-hours-py/>`_ library and evaluated over
one week without public holidays (the rules of every week). A text the library refuses is
reported, never raised: importers note it, the edit form refuses it with the reason, and the
analysis (:mod:`asset_map.analysis.open_times`) counts the place's hours as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

WEEK_MIN = 7 * 1440
#: An ordinary week (no Dutch public holiday) to evaluate the rules of every week on; a
#: Monday. The library is told no country here, so ``PH`` rules never apply in it.
REFERENCE_MONDAY = datetime(2025, 3, 3)
#: Opening hours longer than this are not parsed (an OSM value has at most 255 characters).
MAX_TEXT = 255

Interval = tuple[int, int]


@dataclass(frozen=True)
class Parsed:
    """An ``opening_hours`` text read: its open intervals in an ordinary week, or a problem.

    Attributes
    ----------
    intervals : tuple of (int, int)
        Open from ``start`` to ``end`` minutes after Monday 00:00; empty when closed all
        week (``off``) or unknown.
    known : bool
        False when the text says nothing certain: ``unknown``, or only comments such as
        ``"op afspraak"`` (the library reads a remark as open, with the remark; we do not
        count a time with a remark as open), or a text that could not be read.
    problem : str or None
        Why the text could not be read (the library's message, first line), else None.
    """

    intervals: tuple[Interval, ...]
    known: bool
    problem: str | None = None


@lru_cache(maxsize=8192)
def parse_opening_hours(text: str) -> Parsed:
    """Read an OpenStreetMap ``opening_hours`` text into the open intervals of a week.

    Parameters
    ----------
    text : str
        As OpenStreetMap holds it, e.g. ``Mo-Fr 09:00-17:00; PH off``, ``Tu 10:00-12:00``
        or ``24/7``.

    Returns
    -------
    Parsed
        Never raises: a text the library refuses gives ``known=False`` and the reason.

    Examples
    --------
    >>> parse_opening_hours("Tu 10:00-12:00").intervals
    ((2040, 2160),)
    >>> parse_opening_hours("Ma-Vr 9-17").known
    False
    """
    import opening_hours

    value = str(text).strip()
    if not value:
        return Parsed((), False, "empty")
    if len(value) > MAX_TEXT:
        return Parsed((), False, f"longer than {MAX_TEXT} characters")
    try:
        hours = opening_hours.OpeningHours(value)
        spans = hours.intervals(REFERENCE_MONDAY, REFERENCE_MONDAY + timedelta(days=7))
        found: list[Interval] = []
        unknown = False
        for start, end, state, comment in spans:
            if state == opening_hours.State.OPEN and not comment:
                found.append((_minute(start), _minute(end)))
            elif state != opening_hours.State.CLOSED:  # unknown, or "op afspraak"
                unknown = True
    except parse_errors(opening_hours) as exc:
        return Parsed((), False, _first_line(exc))
    return Parsed(tuple(found), bool(found) or not unknown)


def parse_errors(module: object) -> tuple[type[Exception], ...]:
    """Return the errors the library raises on a bad text (its type stubs lack ParserError)."""
    error = getattr(module, "ParserError", None)
    own = (error,) if isinstance(error, type) and issubclass(error, Exception) else ()
    return (*own, SyntaxError, ValueError, OverflowError)


def _minute(moment: datetime | None) -> int:
    """Return the minutes from the reference Monday 00:00 (the week's end when None)."""
    if moment is None:
        return WEEK_MIN
    minutes = (moment.replace(tzinfo=None) - REFERENCE_MONDAY).total_seconds() / 60
    return int(min(max(round(minutes), 0), WEEK_MIN))


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    detail = [line for line in lines if line.startswith("=")]
    return (detail[0].lstrip("= ") if detail else lines[0] if lines else type(exc).__name__)[:200]


def activity_intervals(weekday: int, start: str, end: str) -> list[Interval]:
    """Return the minutes of the week of a weekly activity; one past midnight is split.

    >>> activity_intervals(2, "10:00", "12:00")
    [(2040, 2160)]
    >>> activity_intervals(7, "22:00", "01:00")
    [(9960, 10080), (0, 60)]
    """
    try:
        day = int(weekday)
        s, e = _clock(start), _clock(end)
    except (TypeError, ValueError):
        return []
    if not 1 <= day <= 7 or s is None or e is None:
        return []
    first = (day - 1) * 1440 + s
    last = (day - 1) * 1440 + e + (1440 if e <= s else 0)
    if last <= WEEK_MIN:
        return [(first, last)]
    return [(first, WEEK_MIN), (0, last - WEEK_MIN)]


def _clock(text: object) -> int | None:
    parts = str(text).strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if hours == 24 and minutes == 0:
        return 1440
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None
