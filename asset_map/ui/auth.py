"""Log-in in the app: the user in this session, the session timeout, role checks per page.

Every page that needs a role calls :func:`require` at its top, so a page's direct URL is
refused too, not only hidden from the menu.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from asset_map.auth import SESSION_TIMEOUT, LockedOut, LoginFailed, User, can, session_expired
from asset_map.ui.loaders import store
from asset_map.ui.state import tr

USER_KEY = "auth_user"
ACTIVE_KEY = "auth_last_active"


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
    st.session_state[ACTIVE_KEY] = _now()
    return user


def logout() -> None:
    """Forget the user of this session."""
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(ACTIVE_KEY, None)


def require(action: str) -> User:
    """Return the user if their role may do ``action``; otherwise explain and stop the page."""
    user = current_user()
    if user is None:
        role = tr("role.wijkmanager")
        st.warning(tr("login.required", role=role))
        if st.session_state.pop("auth_expired", False):
            st.info(tr("login.expired"))
        st.stop()
    if not can(user.role, action):
        st.error(tr("login.no_access"))
        st.stop()
    return user


def login_form() -> None:
    """Show the log-in form; on success the user is kept in this session."""
    if st.session_state.pop("auth_expired", False):
        st.info(tr("login.expired"))
    user = current_user()
    if user is not None:
        st.success(tr("login.welcome", user=user.username, role=tr(f"role.{user.role}")))
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
        user = store().authenticate(username.strip(), password)
    except LockedOut as exc:
        st.error(tr("login.locked", time=exc.until.astimezone().strftime("%H:%M")))
        return
    except LoginFailed:
        st.error(tr("login.failed"))
        return
    st.session_state[USER_KEY] = user
    st.session_state[ACTIVE_KEY] = _now()
    st.rerun()


__all__ = ["SESSION_TIMEOUT", "current_user", "login_form", "logout", "require"]
