"""Opening hours as OpenStreetMap writes them: read into a week, or reported, never a crash.

Real values come from two public test suites (data only, no code taken):

- ``remi-dupre/opening-hours-rs``, ``src/tests/data/sample.txt``: opening hours taken from
  OpenStreetMap (the parser library we use is built on this crate);
- ``KDE/kopeninghours``, ``autotests/parsertest.cpp``: the examples of the OpenStreetMap
  wiki (Key:opening_hours), and its "common mistakes", which every parser must refuse.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asset_map.analysis.open_times import open_in_window, open_state, place_weeks
from asset_map.rules.open_times import activity_intervals, parse_opening_hours
from asset_map.settings import WINDOWS

DAY = 1440
#: Real OpenStreetMap values (opening-hours-rs sample.txt), the wiki's examples
#: (kopeninghours parsertest.cpp) and the forms of the issue.
REAL = [
    "Mo-Fr 09:00-17:00; PH off",
    "Tu 10:00-12:00",
    "24/7",
    "Mo 09:30-21:00 ; Tu-Sa 08:30-21:00 ; Su 09:30-20:00 ; PH off",
    "Mo-Fr 12:00-14:30, 19:00-22:30 ; Sa 19:00-22:30 ; PH off",
    "Mo-We,Fr 09:00-12:30, 14:30-19:00 ; Th,Sa 09:00-12:30 ; PH off",
    "Fr 19:00-22:00 ; PH off ; 2021 Apr 10-16 off",
    "Mo-Su 00:00-01:00, 07:30-24:00 ; PH off",
    "Tu-Fr 09:00-18:45 ; Sa 08:30-18:45 ; Su 09:00-13:00 ; PH off ; 2021 Jul 14 09:00-13:00",
    'Mo-Sa 08:00-13:00,14:00-17:00 || "by appointment"',
    "week 1-53/2 Fr 09:00-12:00; week 2-52/2 We 09:00-12:00",
    "Su-Tu 11:00-01:00, We-Th 11:00-03:00, Fr 11:00-06:00, Sa 11:00-07:00",
    "sunrise-sunset",
    "mo-fr 10:00-20:00",
]
#: The wiki's common mistakes (kopeninghours parsertest.cpp), and Dutch ones seen in files.
MALFORMED = [
    "0600-1800",
    "07;00-2;00pm",
    "08.00-16.00, public room till 03.00 a.m",
    "09:00-21:00 TEL/072(360)3200",
    "Dining in: 6am to 11pm; Drive thru: 24/7",
    "MWThF: 1200-1800; SaSu: 1200-1700",
    "23/7",
    "Ma-Vr 9-17",
    "Mo-Fr 09.00-17.00",
    "Mo-Fr: 09:00-17:00",
    "dinsdag en donderdag 10 tot 12",
]


@pytest.mark.parametrize("text", REAL)
def test_real_opening_hours_are_read(text):
    parsed = parse_opening_hours(text)
    assert parsed.problem is None
    assert parsed.known
    assert parsed.intervals  # every one of them is open some time of an ordinary week


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_opening_hours_are_reported_not_raised(text):
    parsed = parse_opening_hours(text)
    assert parsed.problem
    assert not parsed.known and parsed.intervals == ()


@given(st.text(max_size=300))
def test_any_text_is_read_or_reported(text):
    parsed = parse_opening_hours(text)
    assert parsed.known or parsed.intervals == ()
    assert all(0 <= s < e <= 7 * DAY for s, e in parsed.intervals)


def test_the_hours_of_an_ordinary_week_are_known_answers():
    assert parse_opening_hours("Tu 10:00-12:00").intervals == ((DAY + 600, DAY + 720),)
    weekdays = parse_opening_hours("Mo-Fr 09:00-17:00; PH off").intervals
    assert weekdays == tuple((d * DAY + 540, d * DAY + 1020) for d in range(5))
    assert parse_opening_hours("24/7").intervals == ((0, 7 * DAY),)
    # An evening past midnight: Monday 18:00 to Tuesday 02:00.
    assert parse_opening_hours("Mo 18:00-02:00").intervals == ((1080, DAY + 120),)


def test_a_remark_alone_says_nothing_certain():
    assert not parse_opening_hours('"op afspraak"').known
    assert not parse_opening_hours("Mo unknown").known
    assert parse_opening_hours("off").known  # closed all week is known


def test_an_activity_past_midnight_wraps_to_monday():
    assert activity_intervals(7, "22:00", "01:00") == [(6 * DAY + 1320, 7 * DAY), (0, 60)]
    assert activity_intervals(2, "10:00", "12:00") == [(DAY + 600, DAY + 720)]
    assert activity_intervals(8, "10:00", "12:00") == []
    assert activity_intervals(2, "1000", "12:00") == []


def test_places_open_in_a_window_from_hours_and_activities():
    activities = pd.DataFrame(
        {"asset_id": ["c"], "weekday": [3], "start": ["19:00"], "end": ["21:00"]}
    )
    weeks = place_weeks(["Tu 10:00-12:00", "Ma-Vr 9-17", None, None], list("abcd"), activities)
    assert weeks.known.tolist() == [True, False, True, False]
    assert [(i, text) for i, text, _ in weeks.problems] == [(1, "Ma-Vr 9-17")]
    morning = open_in_window(weeks, WINDOWS["weekday-morning"], unknown_counts=False)
    evening = open_in_window(weeks, WINDOWS["weekday-evening"], unknown_counts=True)
    assert morning.tolist() == [True, False, False, False]
    assert evening.tolist() == [False, True, True, True]  # b and d: unknown, counted


# --- open now, next open --------------------------------------------------------------------


def test_public_holidays_close_a_place_with_ph_off():
    # Monday 27 April 2026 is Koningsdag: closed, open again on Tuesday at 9.
    state = open_state("Mo-Fr 09:00-17:00; PH off", None, datetime(2026, 4, 27, 10, 0))
    assert state.known and not state.open_now
    assert state.next_open == datetime(2026, 4, 28, 9, 0)
    assert open_state("Mo-Fr 09:00-17:00; PH off", None, datetime(2026, 4, 28, 10, 0)).open_now


def test_an_activity_opens_its_place():
    dinner = pd.DataFrame({"weekday": [3], "start": ["19:00"], "end": ["21:00"]})
    tuesday = datetime(2026, 4, 28, 10, 0)
    assert open_state(None, dinner, tuesday).next_open == datetime(2026, 4, 29, 19, 0)
    assert open_state(None, dinner, datetime(2026, 4, 29, 20, 0)).open_now


def test_unknown_hours_are_said_to_be_unknown():
    assert not open_state(None, None, datetime(2026, 4, 28, 10, 0)).known
    assert not open_state("Ma-Vr 9-17", None, datetime(2026, 4, 28, 10, 0)).known
