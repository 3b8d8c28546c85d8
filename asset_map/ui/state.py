"""Session state shared by all pages: the language."""

from __future__ import annotations

import streamlit as st

from asset_map.i18n import DEFAULT_LANG, t
from asset_map.model import LANGS, Lang

LANG_KEY = "lang"
LANG_NAMES: dict[Lang, str] = {"nl": "Nederlands", "en": "English"}


def current_lang() -> Lang:
    """Return the language the user chose (Dutch until they choose)."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def tr(key: str, **values: object) -> str:
    """Return UI text ``key`` in the current language."""
    return t(key, current_lang(), **values)


def language_picker() -> None:
    """Offer a choice of language in the sidebar; the choice holds for all pages of this session."""
    st.sidebar.selectbox(
        f"{t('app.language', 'nl')} / {t('app.language', 'en')}",
        options=list(LANGS),
        format_func=lambda code: LANG_NAMES[code],
        key=LANG_KEY,
    )
