"""Log-in throttling that cannot be turned against staff (on SQLite and PostgreSQL).

A script sending wrong passwords for a name from one client address earns growing delays
there, and never keeps the account's owner out from another address; many addresses together
slow the name down, but not a browser the owner logged in from before (a known device). Every
checked attempt is in the audit log with the client address.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from storage_helpers import Clock

from asset_map.rules import auth
from asset_map.rules.auth import ADDRESS, MAX_DELAY, NAME, PAIR, LoginDelayed, LoginFailed, User
from asset_map.storage import Store

pytest_plugins = ["storage_fixtures"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

OWNER = ("wim", "geheim-wachtwoord-1")
SCRIPT = "203.0.113.7"  # documentation addresses (RFC 5737)
HOME = "198.51.100.4"


@pytest.fixture
def wim(store: Store) -> Store:
    store.add_user(*OWNER, "wijkmanager", actor="setup")
    return store


def _guess(store: Store, address: str | None, *, name: str = "wim", **kw: object) -> str:
    """One wrong password: ``failed`` (checked), or ``delayed`` (refused unchecked)."""
    try:
        store.authenticate(name, "raden-raden-raden", address=address, **kw)  # type: ignore[arg-type]
    except LoginDelayed:
        return "delayed"
    except LoginFailed:
        return "failed"
    raise AssertionError("a wrong password was taken")


def _failed_from(store: Store, address: str) -> int:
    log = store.audit(entity="user")
    rows = log[log["action"] == "login_failed"]
    return sum(json.loads(d)["address"] == address for d in rows["details"])


def test_a_script_from_one_address_does_not_keep_the_owner_out(wim: Store, clock: Clock) -> None:
    outcomes = []
    for _ in range(500):  # a guess every second, for eight minutes
        outcomes.append(_guess(wim, SCRIPT))
        clock.advance(seconds=1)
    checked = outcomes.count("failed")
    assert checked < 15  # 3 free, then waits of 1, 2, 4, ... 256 s
    assert outcomes.count("delayed") == 500 - checked
    # The owner, from home, meanwhile: at once.
    assert wim.authenticate(*OWNER, address=HOME) == User("wim", "wijkmanager")
    # The audit log shows every checked attempt, with the address it came from.
    assert _failed_from(wim, SCRIPT) == checked
    last = wim.audit(entity="user", entity_id="wim").iloc[-1]
    assert last["action"] == "login_ok" and json.loads(last["details"])["address"] == HOME


def test_a_patient_script_gets_a_few_guesses_an_hour_and_the_owner_any_time(
    wim: Store, clock: Clock
) -> None:
    start = clock.now
    checked = 0
    while clock.now - start < timedelta(hours=6):  # it tries again the moment a wait ends
        try:
            wim.authenticate("wim", "raden", address=SCRIPT)
        except LoginDelayed as delayed:
            clock.now = delayed.until
            continue
        except LoginFailed:
            checked += 1
        if checked % 7 == 0:  # now and then the owner logs in from home
            assert wim.authenticate(*OWNER, address=HOME).username == "wim"
    # 3 free, 10 doubling waits (~17 minutes), then one guess per 15 minutes.
    assert 3 + 10 + 18 <= checked <= 3 + 10 + 24
    _guess(wim, SCRIPT)
    with pytest.raises(LoginDelayed) as delayed:
        wim.authenticate(*OWNER, address=SCRIPT)  # from the script's address: it waits too
    assert delayed.value.until - clock.now <= MAX_DELAY


def test_one_address_guessing_many_names_is_slowed_down(wim: Store, clock: Clock) -> None:
    for n in range(ADDRESS.free):
        assert _guess(wim, SCRIPT, name=f"naam{n}") == "failed"
    assert _guess(wim, SCRIPT, name="nog-een-naam") == "failed"  # starts the wait
    assert _guess(wim, SCRIPT, name="weer-een-naam") == "delayed"
    assert wim.authenticate(*OWNER, address=HOME)  # another address: no wait


def test_many_addresses_slow_the_name_down_but_not_a_known_device(wim: Store, clock: Clock) -> None:
    device = wim.remember_device("wim")  # the owner's browser, from an earlier log-in
    for n in range(NAME.free + 1):  # a botnet: one guess from each address
        assert _guess(wim, f"192.0.2.{n + 1}") == "failed"
    with pytest.raises(LoginDelayed):
        wim.authenticate(*OWNER, address=HOME)  # a new browser waits now
    user = wim.authenticate(*OWNER, address=HOME, device=device)  # the known one does not
    assert user.username == "wim"
    log = wim.audit(entity="user", entity_id="wim")
    assert json.loads(log["details"].iloc[-1]) == {"address": HOME, "known_device": True}


def test_one_address_failing_often_counts_once_for_the_name(wim: Store, clock: Clock) -> None:
    for _ in range(200):
        _guess(wim, SCRIPT)
        clock.advance(minutes=15)
    assert wim.authenticate(*OWNER, address=HOME)  # the name itself is not slowed down
    assert wim.users()["locked_until"].isna().all()


def test_a_known_device_counts_only_its_own_failures(wim: Store, clock: Clock) -> None:
    device = wim.remember_device("wim")
    for _ in range(PAIR.free + 3):
        _guess(wim, SCRIPT)  # the script, from the same office network
    assert wim.authenticate(*OWNER, address=SCRIPT, device=device)  # the owner's browser
    # A stolen cookie is no key: it only counts its own failures, and they wait too.
    outcomes = [_guess(wim, HOME, device=device) for _ in range(auth.DEVICE.free + 2)]
    assert outcomes.count("failed") == auth.DEVICE.free + 1
    assert outcomes[-1] == "delayed"


def test_a_device_token_works_only_for_its_own_account(wim: Store, clock: Clock) -> None:
    wim.add_user("els", "geheim-wachtwoord-2", "planner", actor="setup")
    els_device = wim.remember_device("els")
    for _ in range(PAIR.free + 1):
        _guess(wim, SCRIPT)
    with pytest.raises(LoginDelayed):
        wim.authenticate(*OWNER, address=SCRIPT, device=els_device)
    with pytest.raises(LoginDelayed):
        wim.authenticate(*OWNER, address=SCRIPT, device="made-up-token")


def test_a_new_password_forgets_the_known_devices(wim: Store, clock: Clock) -> None:
    device = wim.remember_device("wim")
    assert wim.remember_device("wim", current=device) == device  # still known
    wim.set_password("wim", "een nieuw wachtwoord", actor="admin")
    assert wim.remember_device("wim", current=device) != device  # a new one is given


def test_a_known_device_unused_for_ninety_days_is_forgotten(wim: Store, clock: Clock) -> None:
    device = wim.remember_device("wim")
    clock.advance(days=auth.DEVICE_LIFETIME.days + 1)
    for _ in range(PAIR.free + 1):
        _guess(wim, None)
    with pytest.raises(LoginDelayed):
        wim.authenticate(*OWNER, address=None, device=device)


def test_without_an_address_clients_count_together(wim: Store, clock: Clock) -> None:
    """Behind a proxy that passes no address (or on localhost) every client is 'unknown'."""
    device = wim.remember_device("wim")
    for _ in range(PAIR.free + 1):
        assert _guess(wim, None) == "failed"
    with pytest.raises(LoginDelayed):
        wim.authenticate(*OWNER, address=None)
    assert wim.authenticate(*OWNER, address=None, device=device)  # the owner's browser
    log = wim.audit(entity="user", entity_id="wim")
    assert json.loads(log["details"].iloc[1])["address"] == "unknown"  # after user_added


def test_an_ipv6_network_counts_as_one_address(wim: Store, clock: Clock) -> None:
    for n in range(PAIR.free + 1):  # a new address of the same /64 for every guess
        assert _guess(wim, f"2001:db8:5:6::{n + 1:x}") == "failed"
    assert _guess(wim, "2001:db8:5:6::ffff") == "delayed"
    assert wim.authenticate(*OWNER, address="2001:db8:5:7::1")  # another /64


def test_unlock_lifts_the_waits_from_every_address_and_device(wim: Store, clock: Clock) -> None:
    device = wim.remember_device("wim")
    for address in (SCRIPT, HOME):
        for _ in range(PAIR.free + 1):
            _guess(wim, address)
    for _ in range(auth.DEVICE.free + 1):
        _guess(wim, HOME, device=device)
    for n in range(NAME.free + 1):
        _guess(wim, f"192.0.2.{n + 1}")
    assert wim.users().loc[0, "locked_until"] is not None
    wim.unlock_user("wim", actor="admin")
    assert wim.users()["locked_until"].isna().all()
    for address, token in ((SCRIPT, None), (HOME, None), (HOME, device), ("192.0.2.1", None)):
        assert wim.authenticate(*OWNER, address=address, device=token)
