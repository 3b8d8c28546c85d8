"""Accounts in the store: adding users, log-in, delays, audit; on SQLite and PostgreSQL.

How delays keep a guesser out but not the account's owner: tests/test_login_throttling.py.
"""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from storage_helpers import Clock

from asset_map.rules import auth
from asset_map.rules.auth import (
    PAIR,
    LoginDelayed,
    LoginFailed,
    User,
    UserExists,
    WeakPassword,
)
from asset_map.storage import Store
from asset_map.storage.db import resolve_url

pytest_plugins = ["storage_fixtures"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def with_user(store: Store) -> Store:
    store.add_user("Anne.Wijk", PASSWORD, "wijkmanager", actor="setup")
    return store


def test_add_user_and_log_in(with_user: Store, clock: Clock) -> None:
    user = with_user.authenticate("anne.wijk", PASSWORD)
    assert user == User("anne.wijk", "wijkmanager")
    assert user.can("moderate") and not user.can("manage_users")
    assert with_user.authenticate("  ANNE.WIJK ", PASSWORD).username == "anne.wijk"
    users = with_user.users()
    assert list(users.columns) == ["username", "role", "created_at", "locked_until"]
    assert users["username"].tolist() == ["anne.wijk"]
    assert users.loc[0, "created_at"] == pd.Timestamp(clock.now)
    assert users["locked_until"].isna().all()


def test_hashes_are_argon2id_and_never_listed(with_user: Store, store_url: str) -> None:
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users")).scalar_one()
    engine.dispose()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert not any("argon2" in str(v) for v in with_user.users().to_numpy().ravel())


@pytest.mark.parametrize(
    ("username", "password", "role", "error", "message"),
    [
        ("bert", "kort", "planner", WeakPassword, "at least 10 characters"),
        ("bert", "123456789", "planner", WeakPassword, "at least 10 characters"),
        ("bertbertbert", "BertBertBert", "planner", WeakPassword, "must not be the user name"),
        ("bert", PASSWORD, "burgemeester", ValueError, "Unknown role 'burgemeester'"),
        ("b", PASSWORD, "planner", ValueError, "User name 'b' is not allowed"),
        ("bert de vries", PASSWORD, "planner", ValueError, "is not allowed"),
        ("anne.wijk", PASSWORD, "planner", UserExists, "'anne.wijk' exists already"),
        ("ANNE.WIJK", PASSWORD, "admin", UserExists, "exists already"),
    ],
)
def test_bad_accounts_are_refused(
    with_user: Store, username: str, password: str, role: str, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        with_user.add_user(username, password, role, actor="admin")
    assert len(with_user.users()) == 1


def test_one_message_for_unknown_user_and_wrong_password(with_user: Store) -> None:
    with pytest.raises(LoginFailed) as wrong_password:
        with_user.authenticate("anne.wijk", "niet het wachtwoord")
    with pytest.raises(LoginFailed) as unknown_user:
        with_user.authenticate("niemand", PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value)


def test_wrong_passwords_earn_a_growing_wait_then_the_right_one_works(
    with_user: Store, clock: Clock
) -> None:
    for _ in range(PAIR.free):  # free
        with pytest.raises(LoginFailed):
            with_user.authenticate("anne.wijk", "fout")
    waits = []
    for _ in range(3):
        with pytest.raises(LoginFailed):
            with_user.authenticate("anne.wijk", "fout")
        with pytest.raises(LoginDelayed) as delayed:  # even the right password, meanwhile
            with_user.authenticate("anne.wijk", PASSWORD)
        waits.append((delayed.value.until - clock.now).total_seconds())
        clock.advance(seconds=waits[-1])
    assert waits == [1, 2, 4]
    assert with_user.authenticate("anne.wijk", PASSWORD) == User("anne.wijk", "wijkmanager")


def test_success_resets_the_count(with_user: Store, clock: Clock) -> None:
    for _ in range(PAIR.free):
        with pytest.raises(LoginFailed):
            with_user.authenticate("anne.wijk", "fout")
    with_user.authenticate("anne.wijk", PASSWORD)
    for _ in range(PAIR.free):
        with pytest.raises(LoginFailed):
            with_user.authenticate("anne.wijk", "fout")
    assert with_user.authenticate("anne.wijk", PASSWORD).role == "wijkmanager"


def test_unknown_names_are_delayed_too(with_user: Store) -> None:
    """A delay that only known names get would tell an attacker which names exist."""
    for _ in range(PAIR.free + 1):
        with pytest.raises(LoginFailed):
            with_user.authenticate("niemand", "fout")
    with pytest.raises(LoginDelayed):
        with_user.authenticate("niemand", "fout")
    assert with_user.authenticate("anne.wijk", PASSWORD)  # other names are not affected


def test_login_audit_never_holds_passwords_or_unknown_names(
    with_user: Store, store_url: str
) -> None:
    with_user.authenticate("anne.wijk", PASSWORD)
    with pytest.raises(LoginFailed):
        with_user.authenticate("anne.wijk", "Geheim-Wachtwoord-1")
    with pytest.raises(LoginFailed):
        with_user.authenticate("mijn-wachtwoord-in-het-naamveld", "x" * 12)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            with_user.authenticate("anne.wijk", "fout-fout-fout")
    with pytest.raises(LoginDelayed):  # not checked: not counted, nor logged
        with_user.authenticate("anne.wijk", PASSWORD)
    log = with_user.audit(entity="user")
    assert log["action"].tolist() == [
        "user_added",
        "login_ok",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
    ]
    assert log["actor"].tolist()[:3] == ["setup", "anne.wijk", "anne.wijk"]
    assert log["actor"].tolist()[3] == "unknown" and pd.isna(log["entity_id"].tolist()[3])
    assert json.loads(log["details"].iloc[0]) == {"role": "wijkmanager"}
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        everything = repr(conn.execute(text("SELECT * FROM audit_log")).all())
        everything += repr(conn.execute(text("SELECT * FROM login_throttle")).all())
    engine.dispose()
    for secret in (PASSWORD, "Geheim-Wachtwoord-1", "mijn-wachtwoord-in-het-naamveld"):
        assert secret not in everything


def test_set_password_and_remove_user(with_user: Store) -> None:
    with_user.add_user("root.admin", PASSWORD + "!", "admin", actor="setup")
    for _ in range(5):
        with pytest.raises((LoginFailed, LoginDelayed)):
            with_user.authenticate("anne.wijk", "fout")
    with_user.set_password("anne.wijk", "een nieuwe lange zin", actor="root.admin")
    assert with_user.authenticate("anne.wijk", "een nieuwe lange zin")  # delay lifted
    with pytest.raises(LoginFailed):
        with_user.authenticate("anne.wijk", PASSWORD)
    with pytest.raises(WeakPassword):
        with_user.set_password("anne.wijk", "anne.wijk", actor="root.admin")
    with pytest.raises(auth.UnknownUser):
        with_user.set_password("niemand", PASSWORD, actor="root.admin")
    with pytest.raises(ValueError, match="last administrator"):
        with_user.remove_user("root.admin", actor="root.admin")
    with_user.remove_user("anne.wijk", actor="root.admin")
    assert with_user.users()["username"].tolist() == ["root.admin"]
    with pytest.raises(LoginFailed):
        with_user.authenticate("anne.wijk", "een nieuwe lange zin")


def test_old_hashes_are_upgraded_at_log_in(
    with_user: Store, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stored() -> str:
        engine = create_engine(resolve_url(store_url))
        with engine.connect() as conn:
            value = conn.execute(text("SELECT password_hash FROM users")).scalar_one()
        engine.dispose()
        return str(value)

    cheap = stored()
    assert "m=1024,t=1,p=1" in cheap
    monkeypatch.setattr(auth, "_HASHER", PasswordHasher())  # today's parameters
    assert auth.needs_rehash(cheap)
    with_user.authenticate("anne.wijk", PASSWORD)
    assert not auth.needs_rehash(stored())
    assert with_user.authenticate("anne.wijk", PASSWORD)


# --- delays under parallel guesses ---------------------------------------------------------------


def test_parallel_guesses_cannot_pass_the_delay(store: Store) -> None:
    store.add_user("wim", "geheim-wachtwoord-1", "wijkmanager", actor="test")
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        barrier.wait()
        try:
            store.authenticate("wim", f"fout-{i}", address="203.0.113.7")
        except LoginDelayed:
            outcomes.append("delayed")
        except LoginFailed:
            outcomes.append("failed")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The clock stands still: the free failures and the one that starts the wait were
    # checked; every other guess met the wait.
    assert outcomes.count("failed") == PAIR.free + 1
    assert outcomes.count("delayed") == 12 - (PAIR.free + 1)
    log = store.audit(entity="user", entity_id="wim")
    assert (log["action"] == "login_failed").sum() == PAIR.free + 1
    with pytest.raises(LoginDelayed):  # even the right password waits from there
        store.authenticate("wim", "geheim-wachtwoord-1", address="203.0.113.7")
    assert store.authenticate("wim", "geheim-wachtwoord-1", address="198.51.100.4")
