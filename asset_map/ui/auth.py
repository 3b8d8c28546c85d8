"""Log-in in the app: the user in this session, the session timeout, role checks per page.

Every page that needs a role calls :func:`require` at its top, so a page's direct URL is
refused too, not only hidden from the menu.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from asset_map.rules.auth import (
    DEVICE_LIFETIME,
    ROLES,
    LoginDelayed,
    LoginFailed,
    User,
    can,
    session_expired,
)
from asset_map.ui.client import client_address, device_token, keep_device_token
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import tr

USER_KEY = "auth_user"
ACTIVE_KEY = "auth_last_active"
MARKER_KEY = "auth_marker"
#: A known-device token to hand to the browser on the run after a log-in.
DEVICE_KEY = "auth_new_device"
#: Times shown to staff (a lock's end) are in the local time of the Netherlands.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def _now() -> datetime:
    return datetime.now(UTC)


def current_user() -> User | None:
    """Return the logged-in user, or None; ends the session after ``SESSION_TIMEOUT``."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return None
    last = st.session_state.get(ACTIVE_KEY)
    if last is None or session_expired(last, _now()):
        logout()
        st.session_state["auth_expired"] = True
        return None
    if store().session_marker(user.username) != st.session_state.get(MARKER_KEY):
        logout()
        st.session_state["auth_changed"] = True
        return None
    st.session_state[ACTIVE_KEY] = _now()
    return user


def logout() -> None:
    """Forget the user of this session."""
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(ACTIVE_KEY, None)
    st.session_state.pop(MARKER_KEY, None)


def _explain_logout() -> None:
    """Say why the session ended, if it ended by itself."""
    if st.session_state.pop("auth_expired", False):
        st.info(tr("login.expired"))
    if st.session_state.pop("auth_changed", False):
        st.warning(tr("login.account_changed"))


def require(action: str) -> User:
    """Return the user if their role may do ``action``; otherwise explain and stop the page."""
    user = current_user()
    if user is None:
        st.warning(tr("login.required", role=roles_for(action)))
        _explain_logout()
        st.stop()
    if not can(user.role, action):
        st.error(tr("login.no_access"))
        st.stop()
    return user


def roles_for(action: str) -> str:
    """Return the roles that may do ``action`` as one phrase: "wijkmanager of beheerder"."""
    labels = [tr(f"role.{role}") for role in ROLES if can(role, action)]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {tr('talent.or')} {labels[-1]}"


def local_time(moment: datetime) -> str:
    """Return the clock time of an aware ``moment`` in Europe/Amsterdam, like ``"14:05"``.

    Rounded up to the minute: "after 14:05" must not be too early.
    """
    local = moment.astimezone(LOCAL_TIME)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local.strftime("%H:%M")


def login_form() -> None:
    """Show the log-in form; on success the user is kept in this session."""
    user = current_user()
    _explain_logout()
    if user is not None:
        token = st.session_state.pop(DEVICE_KEY, None)
        if token:
            keep_device_token(token, days=DEVICE_LIFETIME.days)
        st.success(tr("login.welcome", user=md(user.username), role=tr(f"role.{user.role}")))
        if st.button(tr("page.logout"), key="logout"):
            logout()
            st.rerun()
        return
    with st.form("login"):
        username = st.text_input(tr("login.username"), key="login_username")
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(tr("login.submit"), type="primary")
    if not submitted:
        return
    try:
        user = store().authenticate(
            username.strip(), password, address=client_address(), device=device_token()
        )
    except LoginDelayed as exc:
        wait = (exc.until - _now()).total_seconds()
        if wait < 90:
            st.error(tr("login.wait_seconds", n=max(1, math.ceil(wait))))
        else:
            st.error(tr("login.locked", time=local_time(exc.until)))
        return
    except LoginFailed:
        st.error(tr("login.failed"))
        return
    sent = device_token()
    known = store().remember_device(user.username, current=sent)
    if known != sent:  # this browser is known from now on
        st.session_state[DEVICE_KEY] = known
    st.session_state[USER_KEY] = user
    st.session_state[ACTIVE_KEY] = _now()
    st.session_state[MARKER_KEY] = store().session_marker(user.username)
    st.rerun()


__all__ = [
    "current_user",
    "local_time",
    "login_form",
    "logout",
    "require",
    "roles_for",
]
