"""The pure account rules: roles, password hashing, log-in delays, session timeout, codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from asset_map.rules import auth
from asset_map.rules.auth import (
    ACTIONS,
    MAX_DELAY,
    PAIR,
    ROLES,
    SESSION_TIMEOUT,
    LoginDelayed,
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
    assert issubclass(LoginFailed, ValueError) and issubclass(LoginDelayed, ValueError)
    assert str(LoginFailed()) == "The user name or the password is wrong."
    delayed = LoginDelayed(T0)
    assert delayed.until == T0
    assert "2025-03-01T12:00" in str(delayed)


# --- log-in delays ----------------------------------------------------------------------------


def fail(throttle: Throttle, *seconds: float) -> Throttle:
    for second in seconds:
        throttle = throttle.after_failure(T0 + timedelta(seconds=second), PAIR)
    return throttle


def test_the_first_failures_are_free_then_the_delay_doubles_up_to_fifteen_minutes() -> None:
    three = fail(Throttle(), 0, 1, 2)
    assert (three.failures, three.window_start, three.locked_until) == (3, T0, None)
    waits = []
    throttle = three
    for n in range(4, 20):
        moment = T0 + timedelta(hours=n)  # within a day of the first failure
        throttle = throttle.after_failure(moment, PAIR)
        assert throttle.locked_until is not None
        waits.append((throttle.locked_until - moment).total_seconds())
    assert waits[:6] == [1, 2, 4, 8, 16, 32]
    assert max(waits) == MAX_DELAY.total_seconds() == 15 * 60  # never a lock, a wait
    assert waits[-1] == 15 * 60


def test_a_delay_holds_until_its_end() -> None:
    throttle = fail(Throttle(), 0, 1, 2, 3, 4)  # the fifth: a wait of 2 s
    assert throttle.locked_until == T0 + timedelta(seconds=6)
    assert throttle.locked_at(T0 + timedelta(seconds=5)) == throttle.locked_until
    assert throttle.locked_at(T0 + timedelta(seconds=6)) is None


def test_the_count_starts_afresh_a_day_after_its_first_failure() -> None:
    throttle = fail(Throttle(), 0, 1, 2, 3, 4, 24 * 3600)
    assert (throttle.failures, throttle.window_start, throttle.locked_until) == (
        1,
        T0 + timedelta(days=1),
        None,
    )


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        (None, "unknown"),
        ("", "unknown"),
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # the same /64: one client
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_client_addresses_count_as_the_address_or_its_ipv6_network(address, counted) -> None:
    assert auth.address_key(address) == counted


def test_bucket_keys_hide_names_and_addresses() -> None:
    keys = auth.bucket_keys(" Anne ", "203.0.113.7")
    assert keys == auth.bucket_keys("anne", "203.0.113.7")
    assert keys[auth.PAIR].startswith(auth.name_prefix("ANNE"))
    assert keys[auth.PAIR] != auth.bucket_keys("anne", "198.51.100.4")[auth.PAIR]
    assert keys[auth.NAME] == auth.bucket_keys("anne", "198.51.100.4")[auth.NAME]
    for key in keys.values():
        assert "anne" not in key and "203" not in key and len(key) <= 64


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
    assert key == auth.username_key("anne") and "anne" not in key and len(key) <= 64
