"""Staff sessions in the app: the log-in holds through a reload and in a new tab.

After a log-in (:func:`begin`) the session is in the database and its id in this tab's
session state; the page hands a one-time ticket to the server's session endpoint, which
answers with the HTTP-only cookie (:mod:`asset_map.ui.session_routes`). A new connection
(a reload, a new tab, a shared link opened by a logged-in colleague) finds the cookie in
``st.context.cookies`` and resumes the session (:func:`restore`). Every run checks that the
session still holds (:func:`still_holds`): a log-out in one tab ends it in all of them.

Without the endpoints (the app started with ``streamlit run app.py`` instead of
``serve.py``) the log-in holds in this tab only, as a plain Streamlit session does.

Optionally staff log in through the gemeente's identity provider (:func:`provider_login`,
Streamlit's ``st.login``); the local account of the same name gives the role. Streamlit
keeps that log-in in a signed cookie of its own; the provider's rules decide how long.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import streamlit as st

from asset_map.rules.auth import User
from asset_map.rules.sessions import COOKIE_NAME, LOGGED_OUT, username_from_claims
from asset_map.ui.loaders import store
from asset_map.ui.session_routes import END_PATH, START_PATH, routes_installed

#: The id of this tab's staff session (not a secret: it opens nothing by itself).
SESSION_KEY = "auth_session"
#: A ticket waiting to be handed to the server on the next run.
_TICKET_KEY = "auth_ticket"
#: Set by a log-out: the next run asks the server to clear the cookie.
_CLEAR_KEY = "auth_clear_cookie"


def begin(user: User) -> None:
    """Start the session of a user who just logged in; the next run hands over the ticket."""
    session_id, ticket = store().sessions.start(user)
    st.session_state[SESSION_KEY] = session_id
    st.session_state[_TICKET_KEY] = ticket


def restore() -> User | None:
    """Return the user of this browser's session cookie when that session still holds."""
    cookie = st.context.cookies.get(COOKIE_NAME)
    if not cookie:
        return None
    found = store().sessions.resume(cookie)
    if found is None:
        return None
    session_id, user = found
    st.session_state[SESSION_KEY] = session_id
    return user


def still_holds() -> User | str:
    """Return the user while this tab's session holds (noting the activity), else why not.

    The reason is one of ``rules.sessions.TIMED_OUT``, ``LOGGED_OUT`` (e.g. in another tab)
    and ``ACCOUNT_CHANGED``.
    """
    session_id = st.session_state.get(SESSION_KEY)
    if session_id is None:
        return LOGGED_OUT
    user = store().sessions.alive(str(session_id))
    if not isinstance(user, User):
        st.session_state.pop(SESSION_KEY, None)
    return user


def end(actor: str | None) -> None:
    """Log out: end the session in the database (every tab) and clear the cookie."""
    session_id = st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(_TICKET_KEY, None)
    if session_id is not None:
        store().sessions.end(str(session_id), actor=actor)
    st.session_state[_CLEAR_KEY] = True


def hand_over() -> None:
    """Send a waiting ticket to the server (which sets the cookie), or clear the cookie.

    Runs the page's only script of this kind: a ``fetch`` to the session endpoint of this
    server, relative to the page, with the ticket as its body. Without the endpoints
    nothing is sent.
    """
    ticket = st.session_state.pop(_TICKET_KEY, None)
    clear = st.session_state.pop(_CLEAR_KEY, False)
    if not routes_installed() or not (ticket or clear):
        return
    path, body = (START_PATH, ticket) if ticket else (END_PATH, "")
    script = (
        "<script>fetch(new URL("
        + json.dumps(path)
        + ", document.baseURI), {method: 'POST', body: "
        + json.dumps(body)
        + ", credentials: 'same-origin', cache: 'no-store'})"
        + ".then((r) => { document.body.dataset.staffSession = r.ok ? 'kept' : 'refused'; });"
        + "</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


# --- optional: log-in through the gemeente's identity provider (Streamlit's st.login) ------------


def provider_configured() -> bool:
    """Return whether a log-in through an identity provider is set up (``[auth]`` in secrets).

    See Streamlit's ``st.login``: ``.streamlit/secrets.toml`` holds ``[auth]`` with
    ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret`` and
    ``server_metadata_url`` (and the ``Authlib`` package is installed). Local accounts stay
    the default; without ``[auth]`` only they are offered.
    """
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def provider_identity() -> str | None:
    """Return the local user name the provider's log-in stands for, if someone logged in."""
    if not provider_configured() or not st.user.is_logged_in:
        return None
    return username_from_claims(st.user.to_dict())


def provider_user() -> User | None:
    """Return the local account of the person logged in at the identity provider, if any."""
    name = provider_identity()
    return None if name is None else store().sessions.account(name)


def provider_login(label: str) -> None:
    """Offer the log-in through the identity provider (a button), when it is set up."""
    if provider_configured() and st.button(label, key="login_provider"):
        auth = st.secrets["auth"]
        named = [k for k, v in auth.items() if isinstance(v, Mapping)]
        st.login(None if "client_id" in auth or not named else named[0])


def provider_logout() -> None:
    """Log out at the identity provider's side too (Streamlit's own cookie)."""
    if provider_configured() and st.user.is_logged_in:
        st.logout()
