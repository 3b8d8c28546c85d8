"""Widgets for residents' talents: the public form and erasure by code.

Spam is kept out by a honeypot field, a courtesy limit per browser session, and the limits
per client address and in all that the database counts (``asset_map.rules.submissions``,
set in ``asset_map.settings``): a new browser session starts no new count, and a full
moderation queue says so instead of taking more. The wijkmanager's screen is in
:mod:`asset_map.ui.moderation`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import NoReturn

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import PERSONAL_TALENT_FIELDS, TALENT_FIELDS, WISHES, catalogue
from asset_map.rules.submissions import SubmissionRefused
from asset_map.rules.talent_form import (
    TalentForm,
    buurt_for_point,
    check_talent,
)
from asset_map.services.workspace import Workspace
from asset_map.settings import retention_months, submission_limits
from asset_map.ui.basemap import chosen_tiles
from asset_map.ui.client import client_address
from asset_map.ui.fields import FormSpots, place_map
from asset_map.ui.loaders import store
from asset_map.ui.near_me import find_postcode
from asset_map.ui.receipt import show_withdrawal_code
from asset_map.ui.safe import md
from asset_map.ui.state import among, choice_key, current_lang, forget_choice, select_all, tr

#: At most this many submissions per browser session in ``RATE_WINDOW_S`` seconds (a guard
#: against double sends; the limits per client address are the database's).
RATE_LIMIT = 3
RATE_WINDOW_S = 600
HONEYPOT_KEY = "join_website"
BUURT_KEY = "join_buurt"
#: True while the latest map click or postcode lay outside the gemeente.
OUTSIDE_KEY = "join_outside"
#: The map click handled last: st_folium sends the same click again on every rerun.
MAP_CLICK_KEY = "join_map_last"
#: Set after a submission: the next run empties the form and shows the code once.
RECEIPT_KEY = "join_receipt"
#: The form's choices whose option labels follow the language (``state.choice_key``).
CHOICE_KEYS = ("join_categories", "join_wishes")
FORM_KEYS = (
    "join_nickname",
    "join_description",
    "join_availability",
    "join_contact",
    "join_consent",
    HONEYPOT_KEY,
    BUURT_KEY,
    OUTSIDE_KEY,
    "join_postcode",
    "join_house_number",
)

__all__ = [
    "field_list",
    "location_picker",
    "public_talents",
    "talent_form",
    "withdraw_form",
]


def _buurten(ws: Workspace) -> gpd.GeoDataFrame:
    buurten = ws.areas[ws.areas["level"] == "buurt"]
    return buurten.sort_values("name")


def _place_found(code: str | None, names: dict[str, str]) -> None:
    """Put a buurt found by a click or a postcode into the list, or flag it as outside."""
    inside = code in names
    st.session_state[BUURT_KEY] = code if inside else None
    st.session_state[OUTSIDE_KEY] = not inside


def _list_changed() -> None:
    # A buurt chosen from the list after a click outside the gemeente wins.
    st.session_state[OUTSIDE_KEY] = False


def location_picker(ws: Workspace) -> str | None:
    """Let the resident give their buurt: from a list, a click on the map, or a postcode.

    The latest choice wins: a new map click or postcode fills in the list; a buurt chosen
    from the list afterwards replaces it. Only the buurt code is returned and kept; a
    clicked point or an address is not. Returns ``"outside"`` when the latest click or
    postcode lay outside the gemeente.
    """
    buurten = _buurten(ws)
    names = {str(c): str(n) for c, n in zip(buurten["code"], buurten["name"], strict=True)}
    shapes = dict(zip(buurten["code"], buurten.geometry, strict=True))
    st.markdown(f"**{tr('join.where')}** {tr('join.where_help')}")
    # Short tab names: all three fit side by side on a 390 px phone.
    tab_list, tab_map, tab_postcode = st.tabs(
        [tr("join.tab_list"), tr("join.tab_map"), tr("join.tab_postcode")]
    )
    with tab_map:
        st.caption(tr("join.where_map"))
        clicked = st_folium(
            _pick_map(ws),
            returned_objects=["last_clicked"],
            height=320,
            use_container_width=True,
            key="join_map",
        )
        point = (clicked or {}).get("last_clicked")
        if point and point != st.session_state.get(MAP_CLICK_KEY):
            st.session_state[MAP_CLICK_KEY] = point
            _place_found(buurt_for_point(point["lng"], point["lat"], shapes), names)
    with tab_postcode:
        st.caption(tr("join.where_postcode"))
        _postcode_search(ws, names, shapes)
    with tab_list:
        chosen = st.selectbox(
            tr("join.where_list"),
            list(names),
            index=None,
            format_func=lambda c: names[c],
            placeholder=tr("join.where_list"),
            key=BUURT_KEY,
            on_change=_list_changed,
        )
    if st.session_state.get(OUTSIDE_KEY):
        st.warning(tr("talent.buurt_outside"))
        return "outside"
    if chosen is not None:
        st.caption(tr("join.found_buurt", buurt=md(names[chosen])))
    return chosen


def _postcode_search(ws: Workspace, names: dict[str, str], shapes: dict[str, object]) -> None:
    """Find the buurt of a postcode as the near-me screen does: the local table, then PDOK."""
    left, right = st.columns([2, 1])
    postcode = left.text_input(tr("join.postcode"), key="join_postcode", max_chars=7)
    number = right.text_input(tr("join.house_number"), key="join_house_number", max_chars=8)
    if not st.button(tr("join.postcode_search"), key="join_postcode_search"):
        return
    found = find_postcode(ws, postcode, number)
    if isinstance(found, str):  # the key of the text that says what went wrong
        st.error(tr(found), icon="⚠️")
        return
    code = buurt_for_point(found.lon, found.lat, shapes)
    _place_found(code, names)
    if code in names:
        st.success(tr("join.postcode_found", buurt=md(names[str(code)])))
    else:
        st.error(tr("join.postcode_outside"), icon="⚠️")


def _pick_map(ws: Workspace) -> folium.Map:
    """Return a light map with only the buurt outlines, to click where you live."""
    return place_map(_buurten(ws), chosen_tiles(), fill_opacity=0.05)


def field_list(fields: Iterable[str]) -> str:
    """Return the labels of talent fields as one phrase: "uw naam, uw uitleg en ..."."""
    labels = [tr(f"talent.field_{name}") for name in fields]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {tr('talent.and')} {labels[-1]}"


_NO_PERIOD = "\x00"


def privacy_text() -> str:
    """Return the privacy statement: retention from the setting, erased fields from the store."""
    kept = [name for name in TALENT_FIELDS if name not in PERSONAL_TALENT_FIELDS]
    try:
        months: int | str = retention_months()
    except AssetMapError as exc:  # a wrong setting: warn, and claim no period at all
        st.warning(explain(exc, current_lang()))
        months = _NO_PERIOD
    text = tr(
        "join.privacy",
        months=months,
        erased=field_list(PERSONAL_TALENT_FIELDS),
        kept=field_list(kept),
    )
    return "\n".join(line for line in text.split("\n") if _NO_PERIOD not in line)


def _start_form(ws: Workspace) -> None:
    """Empty the form after a submission and show the thanks and the code, once."""
    if RECEIPT_KEY not in st.session_state:
        return
    code = st.session_state.pop(RECEIPT_KEY)
    for key in FORM_KEYS:
        st.session_state.pop(key, None)
    for key in CHOICE_KEYS:
        forget_choice(key)
    st.success(tr("join.thanks"))
    if code:
        show_withdrawal_code(ws, code)


def talent_form(ws: Workspace) -> None:
    """Show the public form: no account; each wrong field says under it what to fix."""
    lang = current_lang()
    cat = catalogue()
    _start_form(ws)
    # The honeypot: people never see it (hidden with CSS), simple bots fill it in.
    st.markdown(f"<style>.st-key-{HONEYPOT_KEY}{{display:none}}</style>", unsafe_allow_html=True)
    spots = FormSpots()
    buurt = location_picker(ws)
    spots.mark("buurt")
    with st.form("join_form", clear_on_submit=False):
        nickname = spots.text(
            TALENT_FIELDS["nickname"],
            tr("join.nickname"),
            help=tr("join.nickname_help"),
            key="join_nickname",
        )
        categories_key, categories_now = choice_key("join_categories", None)
        categories = st.multiselect(
            tr("join.categories"),
            list(cat.talent_categories),
            default=among(categories_now, list(cat.talent_categories)) or None,
            format_func=lambda k: cat.talent_label(k, lang),
            placeholder=tr("filter.placeholder"),
            key=categories_key,
            select_all=select_all(),
        )
        spots.mark("categories")
        # One box with one limit; Streamlit shows its counter ("12/500") as one types.
        description = spots.text(
            TALENT_FIELDS["description"], tr("join.description"), area=True, key="join_description"
        )
        wishes_key, wishes_now = choice_key("join_wishes", None)
        wishes = st.multiselect(
            tr("join.wishes"),
            list(WISHES),
            default=among(wishes_now, list(WISHES)) or None,
            format_func=lambda k: t(f"wish.{k}", lang),
            placeholder=tr("filter.placeholder"),
            key=wishes_key,
            select_all=select_all(),
        )
        spots.mark("wishes")
        availability = spots.text(
            TALENT_FIELDS["availability"], tr("join.availability"), key="join_availability"
        )
        contact = spots.text(
            TALENT_FIELDS["contact"],
            tr("join.contact"),
            help=tr("join.contact_help"),
            key="join_contact",
        )
        st.text_input(tr("join.website"), key=HONEYPOT_KEY)
        st.markdown(f"**{tr('join.privacy_title')}**")
        st.markdown(privacy_text())
        consent = st.checkbox(tr("join.consent"), key="join_consent")
        spots.mark("consent")
        submitted = st.form_submit_button(tr("join.submit"), type="primary")
    if not submitted:
        return
    if _too_fast():
        st.warning(tr("join.too_fast", n=RATE_LIMIT))
        return
    if st.session_state.get(HONEYPOT_KEY):
        _done(None)  # looks the same to a bot; nothing is stored
    form = TalentForm(
        nickname=nickname,
        categories=tuple(categories),
        description=description,
        wishes=tuple(wishes),
        availability=availability,
        buurt_code=None if buurt in (None, "outside") else buurt,
        contact=contact,
        consent=consent,
    )
    codes = list(_buurten(ws)["code"])
    checked, errors = check_talent(form, buurt_codes=codes, lang=lang)
    if buurt == "outside":
        errors["buurt"] = tr("talent.buurt_outside")
    if errors or checked is None:
        st.error(tr("join.fix"))
        spots.show(errors)
        return
    try:
        receipt = store().submit_talent(
            checked, address=client_address(), limits=submission_limits()
        )
    except SubmissionRefused as exc:  # the input stays: it can be sent later
        st.warning(explain(exc, lang))
        return
    except AssetMapError as exc:  # the store's own checks (or a wrong limit setting)
        st.error(explain(exc, lang))
        return
    st.session_state.setdefault("join_times", []).append(time.monotonic())
    _done(receipt.withdrawal_code)


def _done(code: str | None) -> NoReturn:
    """Reload the page with an empty form, so a second click cannot send it again."""
    st.session_state[RECEIPT_KEY] = code
    st.rerun()


def _too_fast() -> bool:
    now = time.monotonic()
    recent = [t for t in st.session_state.get("join_times", []) if now - t < RATE_WINDOW_S]
    st.session_state["join_times"] = recent
    return len(recent) >= RATE_LIMIT


def withdraw_form() -> None:
    """Erase one's own personal data with the code from the receipt."""
    st.subheader(tr("withdraw.title"))
    st.write(tr("withdraw.intro"))
    with st.form("withdraw_form"):
        code = st.text_input(tr("withdraw.code"), max_chars=40, key="withdraw_code")
        submitted = st.form_submit_button(tr("withdraw.submit"))
    if submitted:
        if store().withdraw(code):
            st.success(tr("withdraw.done"))
        elif store().already_erased(code):
            st.info(tr("withdraw.already"))
        else:
            st.error(tr("withdraw.unknown"))


def public_talents(ws: Workspace) -> pd.DataFrame:
    """Return the talents the public map may count: the workspace's and the database's."""
    stored = store().public_talents()
    frames = [f.reindex(columns=stored.columns) for f in (ws.talents, stored) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else stored
