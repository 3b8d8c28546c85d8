"""Session state shared by all pages: the language, and widgets whose labels follow it.

Streamlit (1.67) knows a keyed widget by its key alone, and the browser keeps the choice of
a select box, multiselect or radio as its *label*. When the user switches the language, the
labels change and the kept label matches no option: multiselects come up empty, a radio
shows nothing chosen, a select box keeps the old language's label (streamlit#11268). So a
widget whose option labels follow the language gets one key per language (``gap_need@en``,
from :func:`choice_key`): the browser then holds no stale label, and the new widget starts
from the choice made in the other language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, overload

import streamlit as st

from asset_map.i18n import DEFAULT_LANG, t
from asset_map.model import LANGS, Lang

LANG_KEY = "lang"
LANG_NAMES: dict[Lang, str] = {"nl": "Nederlands", "en": "English"}

T = TypeVar("T")


def current_lang() -> Lang:
    """Return the language the user chose (Dutch until they choose)."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def tr(key: str, **values: object) -> str:
    """Return UI text ``key`` in the current language."""
    return t(key, current_lang(), **values)


def select_all() -> int | bool:
    """Return the ``select_all`` of a multiselect: Streamlit's "Select all", in English only.

    Streamlit (1.67) offers "Select all" in English whatever the language, and its text
    cannot be changed; a Dutch screen leaves it out rather than mix languages.
    """
    return 1000 if current_lang() == "en" else False


def language_picker() -> None:
    """Offer a choice of language in the sidebar; the choice holds for all pages of this session."""
    st.sidebar.selectbox(
        f"{t('app.language', 'nl')} / {t('app.language', 'en')}",
        options=list(LANGS),
        format_func=lambda code: LANG_NAMES[code],
        key=LANG_KEY,
    )


# --- widgets whose option labels follow the language ---------------------------------------------


def lang_key(key: str, lang: Lang | None = None) -> str:
    """Return the session key of widget ``key`` in ``lang`` (the current language by default)."""
    return f"{key}@{lang or current_lang()}"


def choice_key(key: str, default: T) -> tuple[str, T]:
    """Return the key and the starting value of a widget whose option labels follow the language.

    The key holds the language (``gap_need@en``), so each language has its own widget and the
    browser never keeps a label of the other language (streamlit#11268: a select box keeps
    its choice as a label, which matches no option after a switch). On the run right after a
    switch the other language's widget is still in the session (Streamlit drops a widget's
    state only at the end of a run that did not draw it); its value, an option and not a
    label, is then the starting value. Otherwise ``default``. A keyed widget is known by its
    key only, so a starting value that changes on later runs does not reset it.

    Pass the value as the widget's ``default`` (multiselect, see :func:`among`), ``index``
    (select box, radio, see :func:`option_index`) or ``value`` (select slider).
    """
    own = lang_key(key)
    if own not in st.session_state:
        for other in LANGS:
            if other != current_lang() and lang_key(key, other) in st.session_state:
                return own, st.session_state[lang_key(key, other)]
    return own, default


def chosen(key: str, default: T) -> T:
    """Return the value of widget ``key`` (made with :func:`choice_key`), in any language."""
    for lang in (current_lang(), *LANGS):
        if lang_key(key, lang) in st.session_state:
            return st.session_state[lang_key(key, lang)]
    return default


def forget_choice(key: str) -> None:
    """Drop the value of widget ``key`` (made with :func:`choice_key`) in every language."""
    for lang in LANGS:
        st.session_state.pop(lang_key(key, lang), None)


@overload
def option_index(options: Sequence[object], value: object, fallback: int = 0) -> int: ...


@overload
def option_index(options: Sequence[object], value: object, fallback: None) -> int | None: ...


def option_index(options: Sequence[object], value: object, fallback: int | None = 0) -> int | None:
    """Return the position of ``value`` among ``options``; ``fallback`` when it is no option."""
    return list(options).index(value) if value in options else fallback


def pick(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: object,
    fallback: int | None = 0,
    **kwargs: Any,
) -> Any:
    """Draw a radio or select box (``widget``) whose option labels follow the language.

    Its key and starting choice come from :func:`choice_key` (``default`` before any choice);
    ``fallback`` is the position chosen when the starting value is no option (None: none).
    ``kwargs`` go to the widget (``format_func``, ``horizontal``, ...). Returns the choice.
    """
    own, now = choice_key(key, default)
    return widget(label, options, index=option_index(options, now, fallback), key=own, **kwargs)


def among(values: Iterable[T] | None, options: Sequence[T]) -> list[T]:
    """Return the ``values`` that are still ``options`` (a multiselect's starting choice)."""
    return [v for v in values or () if v in options]


def tab_key(key: str, labels: Sequence[str]) -> str:
    """Return the key of stateful ``st.tabs`` whose labels are the UI texts ``labels``.

    Tabs keep the open tab by its label; after a language switch the tab at the same place
    is opened (through the session: the tabs' identity includes their labels and default).
    """
    own = lang_key(key)
    if own not in st.session_state:
        for other in LANGS:
            old = st.session_state.get(lang_key(key, other)) if other != current_lang() else None
            names = [t(label, other) for label in labels]
            if old in names:
                st.session_state[own] = tr(labels[names.index(old)])
                break
    return own
