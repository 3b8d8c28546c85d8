"""The pure account rules: roles, password hashing, lockout, session timeout, codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from asset_map.rules import auth
from asset_map.rules.auth import (
    ACTIONS,
    LOCKOUT,
    MAX_FAILURES,
    ROLES,
    SESSION_TIMEOUT,
    LockedOut,
    LoginFailed,
    Throttle,
    WeakPassword,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


# --- roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("wijkmanager", {"moderate", "see_personal_data", "edit_assets", "connect"}),
        ("planner", {"edit_assets"}),
        ("admin", set(ACTIONS)),
    ],
)
def test_permissions_per_role(role: str, allowed: set[str]) -> None:
    assert {action for action in ACTIONS if auth.can(role, action)} == allowed
    assert auth.User("x", role).can("edit_assets")


def test_every_role_has_permissions() -> None:
    assert set(auth.PERMISSIONS) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "action", "message"),
    [
        ("burgemeester", "moderate", "Unknown role"),
        ("admin", "delete_everything", "Unknown action"),
    ],
)
def test_typos_in_roles_and_actions_raise(role: str, action: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        auth.can(role, action)


# --- passwords -------------------------------------------------------------------------------


def test_hashing_is_argon2id_with_todays_parameters() -> None:
    hashed = auth.hash_password("een lange zin als wachtwoord")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert auth.verify_password(hashed, "een lange zin als wachtwoord")
    assert not auth.verify_password(hashed, "een lange zin als wachtwoorD")
    assert not auth.verify_password(hashed, "")
    assert hashed != auth.hash_password("een lange zin als wachtwoord")  # salted
    assert not auth.needs_rehash(hashed)


@pytest.mark.parametrize("broken", ["", "plain text", "$argon2id$v=19$broken", "$2b$12$abc"])
def test_broken_hashes_never_verify(broken: str) -> None:
    assert auth.verify_password(broken, "whatever") is False


GOOD_ACCOUNTS = [
    ("anne", "tien tekens", "wijkmanager", "anne"),
    ("  Anne.de-Vries@Deventer ", "0123456789", "planner", "anne.de-vries@deventer"),
    ("root_1", "x" * 1000, "admin", "root_1"),
]
BAD_ACCOUNTS = [
    ("anne", "negen9tek", "wijkmanager", WeakPassword, "at least 10 characters"),
    ("anne", "x" * 1001, "wijkmanager", WeakPassword, "too long"),
    ("annemarie12", "AnneMarie12", "planner", WeakPassword, "must not be the user name"),
    ("anne", "tien tekens", "boss", ValueError, "Unknown role 'boss'"),
    ("a", "tien tekens", "admin", ValueError, "is not allowed"),
    ("anne marie", "tien tekens", "admin", ValueError, "is not allowed"),
    ("-anne", "tien tekens", "admin", ValueError, "is not allowed"),
    ("x" * 65, "tien tekens", "admin", ValueError, "is not allowed"),
]


@pytest.mark.parametrize(("username", "password", "role", "stored"), GOOD_ACCOUNTS)
def test_good_accounts(username: str, password: str, role: str, stored: str) -> None:
    assert auth.check_new_account(username, password, role) == stored


@pytest.mark.parametrize(("username", "password", "role", "error", "message"), BAD_ACCOUNTS)
def test_bad_accounts(username: str, password: str, role: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        auth.check_new_account(username, password, role)


def test_errors_are_asset_map_errors_with_one_login_message() -> None:
    assert issubclass(LoginFailed, ValueError) and issubclass(LockedOut, ValueError)
    assert str(LoginFailed()) == "The user name or the password is wrong."
    locked = LockedOut(T0)
    assert locked.until == T0
    assert "2025-03-01T12:00" in str(locked)


# --- lockout ---------------------------------------------------------------------------------


def fail(throttle: Throttle, *minutes: float) -> Throttle:
    for minute in minutes:
        throttle = throttle.after_failure(T0 + timedelta(minutes=minute))
    return throttle


def test_five_failures_within_fifteen_minutes_lock_for_fifteen() -> None:
    four = fail(Throttle(), 0, 1, 2, 3)
    assert (four.failures, four.window_start, four.locked_at(T0 + timedelta(minutes=3))) == (
        4,
        T0,
        None,
    )
    locked = four.after_failure(T0 + timedelta(minutes=14))
    assert MAX_FAILURES == 5
    assert locked.locked_until == T0 + timedelta(minutes=14) + LOCKOUT
    assert locked.locked_at(T0 + timedelta(minutes=28, seconds=59)) == locked.locked_until
    assert locked.locked_at(T0 + timedelta(minutes=29)) is None  # unlocked after 15 minutes
    assert locked.failures == 0  # counting starts afresh after the lock
    again = locked.after_failure(T0 + timedelta(minutes=30))
    assert (again.failures, again.locked_until) == (1, None)


def test_a_failure_after_the_window_starts_a_new_one() -> None:
    throttle = fail(Throttle(), 0, 1, 2, 3, 15)
    assert (throttle.failures, throttle.window_start, throttle.locked_until) == (
        1,
        T0 + timedelta(minutes=15),
        None,
    )


# --- sessions --------------------------------------------------------------------------------


def test_session_timeout() -> None:
    assert timedelta(minutes=30) == SESSION_TIMEOUT
    assert not auth.session_expired(T0, T0 + timedelta(minutes=29, seconds=59))
    assert not auth.session_expired(T0, T0 + SESSION_TIMEOUT)
    assert auth.session_expired(T0, T0 + SESSION_TIMEOUT + timedelta(seconds=1))


# --- withdrawal codes ------------------------------------------------------------------------


def test_withdrawal_codes_are_readable_and_random() -> None:
    codes = {auth.new_withdrawal_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:200]:
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
        assert not set(code) & set("01OI")
    used = set("".join(codes).replace("-", ""))
    assert used == set(auth.CODE_ALPHABET)


def test_codes_are_normalised_before_hashing() -> None:
    code = auth.new_withdrawal_code()
    hashed = auth.hash_code(code)
    assert re.fullmatch(r"[0-9a-f]{64}", hashed)
    for typed in (code.lower(), code.replace("-", " "), f"  {code.replace('-', '')}\n"):
        assert auth.hash_code(typed) == hashed


@pytest.mark.parametrize(
    "bad", ["", "ABCD-EFGH", "ABCD-EFGH-JKLMN", "ABCD-EFGH-JKL0", "ABCD-EFGH-JKLI"]
)
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a withdrawal code"):
        auth.hash_code(bad)


def test_username_key_hides_the_name() -> None:
    key = auth.username_key(" Anne ")
    assert key == auth.username_key("anne") and "anne" not in key and len(key) == 64
