"""Staff sessions in the store: a ticket becomes a signed cookie once; the session holds until
it times out, is ended anywhere, or its account changes. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from storage_helpers import Clock

from asset_map.rules import sessions as rules
from asset_map.rules.auth import User
from asset_map.settings import SESSION_SECRET_ENV
from asset_map.storage import Store

pytest_plugins = ["storage_fixtures"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PASSWORD = "een lange zin als wachtwoord"
ANNE = User("anne", "wijkmanager")


@pytest.fixture
def anne(store: Store) -> Store:
    store.add_user("anne", PASSWORD, "wijkmanager", actor="setup")
    return store


def _cookie(store: Store) -> tuple[str, str]:
    """Log Anne in: return the session id and the cookie value the server hands out."""
    session_id, ticket = store.sessions.start(ANNE)
    claimed = store.sessions.claim(ticket)
    assert claimed is not None
    return session_id, claimed[0]


# --- the cookie --------------------------------------------------------------------------------


def test_a_ticket_gives_a_signed_cookie_once(anne: Store) -> None:
    session_id, ticket = anne.sessions.start(ANNE)
    claimed = anne.sessions.claim(ticket)
    assert claimed is not None
    cookie, max_age = claimed
    assert max_age == int(rules.MAX_AGE.total_seconds())
    token, signature = cookie.split(".")
    assert len(token) >= 43 and signature and ticket not in cookie
    assert anne.sessions.claim(ticket) is None  # a second use of the ticket gives nothing
    assert anne.sessions.resume(cookie) == (session_id, ANNE)


def test_a_ticket_is_void_after_a_minute(anne: Store, clock: Clock) -> None:
    _session_id, ticket = anne.sessions.start(ANNE)
    clock.advance(seconds=rules.TICKET_TTL.total_seconds() + 1)
    assert anne.sessions.claim(ticket) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # a changed signature
        lambda c: "x" + c,  # a changed token under the old signature
        lambda c: c.split(".")[0],  # no signature at all
        lambda c: "",
        lambda c: None,
    ],
)
def test_a_forged_or_broken_cookie_opens_nothing(anne: Store, change) -> None:
    _session_id, cookie = _cookie(anne)
    assert anne.sessions.resume(change(cookie)) is None


def test_the_signing_key_is_made_once_and_shared_by_every_server(
    anne: Store, store_url: str, clock: Clock
) -> None:
    _session_id, cookie = _cookie(anne)
    with Store(store_url, clock=clock) as second_server:
        assert second_server.sessions.resume(cookie) is not None


def test_a_cookie_signed_with_another_secret_is_refused(
    anne: Store, store_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _session_id, cookie = _cookie(anne)
    monkeypatch.setenv(SESSION_SECRET_ENV, "z" * 40)
    with Store(store_url, clock=clock) as with_secret:
        assert with_secret.sessions.resume(cookie) is None
        _other_id, own_cookie = _cookie(with_secret)
        assert with_secret.sessions.resume(own_cookie) is not None


# --- how long a session holds -------------------------------------------------------------------


def test_activity_keeps_the_session_until_it_is_idle_too_long(anne: Store, clock: Clock) -> None:
    session_id, cookie = _cookie(anne)
    for _ in range(3):  # active every 20 minutes: an hour in all, still logged in
        clock.advance(minutes=20)
        assert anne.sessions.alive(session_id) == ANNE
    clock.advance(minutes=30, seconds=1)
    assert anne.sessions.alive(session_id) == rules.TIMED_OUT
    assert anne.sessions.resume(cookie) is None


def test_activity_in_another_tab_counts(anne: Store, clock: Clock) -> None:
    session_id, cookie = _cookie(anne)
    clock.advance(minutes=25)
    resumed = anne.sessions.resume(cookie)  # a new tab, 25 minutes later
    assert resumed == (session_id, ANNE)
    clock.advance(minutes=25)  # 50 minutes after the first tab's last step
    assert anne.sessions.alive(session_id) == ANNE


def test_a_session_ends_at_its_maximum_age_however_busy(anne: Store, clock: Clock) -> None:
    session_id, _cookie_value = _cookie(anne)
    steps = int(rules.MAX_AGE / rules.IDLE_TIMEOUT) * 2
    for _ in range(steps - 1):
        clock.advance(minutes=rules.IDLE_TIMEOUT.total_seconds() / 120)
        assert anne.sessions.alive(session_id) == ANNE
    clock.advance(minutes=rules.IDLE_TIMEOUT.total_seconds() / 60)
    assert anne.sessions.alive(session_id) == rules.TIMED_OUT


def test_log_out_ends_the_session_everywhere_and_is_audited(anne: Store) -> None:
    session_id, cookie = _cookie(anne)
    anne.sessions.end(session_id, actor="anne")
    assert anne.sessions.alive(session_id) == rules.LOGGED_OUT
    assert anne.sessions.resume(cookie) is None
    log = anne.audit(entity="user", entity_id="anne")
    assert list(log["action"])[-1] == "logout"


def test_the_log_out_endpoint_ends_the_session_of_its_cookie(anne: Store) -> None:
    session_id, cookie = _cookie(anne)
    anne.sessions.end_by_cookie("forged." + cookie.split(".")[1])
    assert anne.sessions.alive(session_id) == ANNE  # a forged cookie ends nothing
    anne.sessions.end_by_cookie(cookie)
    assert anne.sessions.alive(session_id) == rules.LOGGED_OUT


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.set_password("anne", "een heel ander wachtwoord", actor="admin"),
        lambda s: s.remove_user("anne", actor="admin"),
    ],
)
def test_a_changed_account_ends_its_sessions(anne: Store, change) -> None:
    anne.add_user("beheer", PASSWORD + "!", "admin", actor="setup")
    session_id, cookie = _cookie(anne)
    change(anne)
    assert anne.sessions.alive(session_id) == rules.ACCOUNT_CHANGED
    assert anne.sessions.resume(cookie) is None


def test_only_digests_of_tokens_and_tickets_are_stored(anne: Store, store_url: str) -> None:
    from sqlalchemy import create_engine, select

    from asset_map.storage.db import resolve_url
    from asset_map.storage.schema import staff_sessions

    session_id, ticket = anne.sessions.start(ANNE)
    claimed = anne.sessions.claim(ticket)
    assert claimed is not None
    token = claimed[0].split(".")[0]
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        rows = [tuple(map(str, r)) for r in conn.execute(select(staff_sessions)).all()]
    engine.dispose()
    stored = " ".join(" ".join(r) for r in rows)
    assert session_id in stored
    assert token not in stored and ticket not in stored
    assert rules.digest(token) in stored


def test_account_gives_name_and_role_without_a_password(anne: Store) -> None:
    assert anne.sessions.account("anne") == ANNE
    assert anne.sessions.account("nobody") is None


# --- the pure rules -----------------------------------------------------------------------------


def test_sign_and_unsign_round_trip_and_refuse_short_keys() -> None:
    key = rules.new_key().encode()
    token = rules.new_token()
    assert rules.unsign(rules.sign(token, key), key) == token
    assert rules.unsign(rules.sign(token, key), rules.new_key().encode()) is None
    with pytest.raises(ValueError, match="at least 32 bytes"):
        rules.sign(token, b"short")


@pytest.mark.parametrize(
    ("claims", "name"),
    [
        ({"email": "Anne@Gemeente.NL", "email_verified": True}, "anne@gemeente.nl"),
        ({"email": "anne@gemeente.nl"}, "anne@gemeente.nl"),
        ({"email": "anne@gemeente.nl", "email_verified": False}, None),
        ({"email": "x@y.nl", "email_verified": False, "preferred_username": "anne"}, "anne"),
        ({"preferred_username": " Piet.Planner "}, "piet.planner"),
        ({"email": "geen spaties@gemeente.nl"}, None),
        ({}, None),
    ],
)
def test_an_identity_provider_login_stands_for_the_local_account_of_that_name(
    claims: dict, name: str | None
) -> None:
    assert rules.username_from_claims(claims) == name
