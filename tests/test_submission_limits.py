"""Limits on residents' submissions, counted in the database (on SQLite and PostgreSQL).

Per client address and in all, per hour and per day, and a full moderation queue: a refused
submission stores nothing and says why; a new browser session starts no new count (the
count is the database's); parallel submissions cannot slip past a limit.
"""

from __future__ import annotations

import threading

import pytest
from storage_helpers import Clock, submission

from asset_map.i18n import explain
from asset_map.rules.submissions import Counts, SubmissionRefused, refusal
from asset_map.settings import SubmissionLimits
from asset_map.storage import Store

pytest_plugins = ["storage_fixtures"]

HOME, NEIGHBOUR = "203.0.113.7", "198.51.100.4"


def _send(store: Store, address: str | None, limits: SubmissionLimits) -> str:
    try:
        store.submit_talent(submission(), address=address, limits=limits)
    except SubmissionRefused as refused:
        return refused.reason
    return "taken"


def test_an_address_gets_its_hourly_number_then_waits_an_hour(store: Store, clock: Clock) -> None:
    limits = SubmissionLimits(per_address_hour=3)
    assert [_send(store, HOME, limits) for _ in range(5)] == ["taken"] * 3 + ["address_hour"] * 2
    assert _send(store, NEIGHBOUR, limits) == "taken"  # another address is not affected
    assert len(store.talents()) == 4  # refused ones store nothing
    clock.advance(minutes=59)
    assert _send(store, HOME, limits) == "address_hour"
    clock.advance(minutes=2)
    assert _send(store, HOME, limits) == "taken"


def test_an_address_gets_its_daily_number(store: Store, clock: Clock) -> None:
    limits = SubmissionLimits(per_address_hour=2, per_address_day=5)
    outcomes = []
    for _ in range(8):
        outcomes += [_send(store, HOME, limits), _send(store, HOME, limits)]
        clock.advance(hours=1, seconds=1)
    assert outcomes.count("taken") == 5
    assert outcomes[-1] == "address_day"
    clock.advance(hours=24)
    assert _send(store, HOME, limits) == "taken"


def test_everyone_together_gets_the_hourly_and_daily_number(store: Store, clock: Clock) -> None:
    limits = SubmissionLimits(per_hour=4, per_day=6)
    sent = [_send(store, f"192.0.2.{n}", limits) for n in range(6)]  # six addresses
    assert sent == ["taken"] * 4 + ["hour"] * 2
    clock.advance(hours=1, seconds=1)
    sent = [_send(store, f"192.0.2.{n}", limits) for n in range(4)]
    assert sent == ["taken", "taken", "day", "day"]


def test_a_full_queue_takes_no_more_until_a_moderator_decides(store: Store) -> None:
    limits = SubmissionLimits(queue_max=2)
    first = store.submit_talent(submission(), address=HOME, limits=limits)
    store.submit_talent(submission(), address=NEIGHBOUR, limits=limits)
    with pytest.raises(SubmissionRefused) as refused:
        store.submit_talent(submission(), address="192.0.2.1", limits=limits)
    assert refused.value.reason == "queue"
    assert "wachten al veel aanmeldingen op de wijkmanager" in explain(refused.value, "nl")
    assert store.pending_count() == 2
    store.decide(first.id, status="approved", actor="wim")
    assert _send(store, "192.0.2.1", limits) == "taken"


def test_without_an_address_clients_count_together(store: Store) -> None:
    limits = SubmissionLimits(per_address_hour=2)
    assert [_send(store, None, limits) for _ in range(3)] == ["taken", "taken", "address_hour"]
    assert _send(store, HOME, limits) == "taken"


def test_an_ipv6_network_counts_as_one_address(store: Store) -> None:
    limits = SubmissionLimits(per_address_hour=2)
    sent = [_send(store, f"2001:db8:5:6::{n + 1:x}", limits) for n in range(3)]
    assert sent == ["taken", "taken", "address_hour"]


def test_staff_and_bulk_paths_without_limits_are_not_counted(store: Store) -> None:
    for _ in range(5):
        store.submit_talent(submission())
    assert _send(store, HOME, SubmissionLimits(per_address_hour=1)) == "taken"


def test_parallel_submissions_cannot_slip_past_a_limit(store: Store) -> None:
    limits = SubmissionLimits(per_address_hour=5)
    start = threading.Barrier(12)
    outcomes: list[str] = []

    def send() -> None:
        start.wait()
        outcomes.append(_send(store, HOME, limits))

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["address_hour"] * 7 + ["taken"] * 5
    assert len(store.talents()) == 5


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        (Counts(0, 0, 0, 0, 0), None),
        (Counts(9, 29, 199, 999, 999), None),
        (Counts(10, 10, 10, 10, 0), "address_hour"),
        (Counts(0, 30, 0, 0, 0), "address_day"),
        (Counts(0, 0, 200, 200, 0), "hour"),
        (Counts(0, 0, 0, 1000, 0), "day"),
        (Counts(10, 30, 200, 1000, 1000), "queue"),  # a full queue is said first
    ],
)
def test_the_first_limit_reached_is_the_reason(counts: Counts, reason: str | None) -> None:
    assert refusal(counts, SubmissionLimits()) == reason
