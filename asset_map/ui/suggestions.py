"""Plek doorgeven: residents suggest a place, a group or a correction; and follow it by code.

No account; made for a phone (one column, large targets, the map only as tall as needed).
The choices that change which fields are asked (what kind, which correction, where) are
drawn outside the form, so the page follows them at once; the texts are one form, sent with
one button. Spam protection is the talent form's: a hidden field bots fill in, a courtesy
limit per browser session (:data:`asset_map.ui.talents.RATE_LIMIT` in ``RATE_WINDOW_S``
seconds), and the limits per client address and in all that the database counts
(``asset_map.rules.submissions``, set in ``asset_map.settings``). The rules are
:mod:`asset_map.rules.suggestion_form`; the Beoordelen side is
:mod:`asset_map.ui.suggestion_review`.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, NoReturn

import folium
import streamlit as st
from streamlit_folium import st_folium

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import catalogue
from asset_map.render import vendor
from asset_map.rules.submissions import SubmissionRefused
from asset_map.rules.suggestion_form import (
    CORRECTIONS,
    KINDS,
    MAX_ADDRESS,
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_SCHEDULE,
    SuggestionForm,
    types_for,
)
from asset_map.services import suggestions as service
from asset_map.services.workspace import Workspace
from asset_map.settings import retention_months, submission_limits
from asset_map.ui.auth import LOCAL_TIME
from asset_map.ui.basemap import chosen_tiles
from asset_map.ui.client import client_address
from asset_map.ui.loaders import store
from asset_map.ui.near_me import find_postcode
from asset_map.ui.safe import md
from asset_map.ui.state import choice_key, current_lang, forget_choice, option_index, tr
from asset_map.ui.talents import RATE_LIMIT, RATE_WINDOW_S

HONEYPOT_KEY = "suggest_website"
#: The point chosen (lon, lat) by a click or a postcode; never stored for a private home.
POINT_KEY = "suggest_point"
CLICK_KEY = "suggest_map_last"
RECEIPT_KEY = "suggest_receipt"
TIMES_KEY = "suggest_times"
CHOICE_KEYS = ("suggest_kind", "suggest_correction", "suggest_type")
FORM_KEYS = (
    "suggest_asset",
    "suggest_name",
    "suggest_description",
    "suggest_schedule",
    "suggest_address",
    "suggest_contact",
    "suggest_consent",
    "suggest_private",
    "suggest_postcode",
    "suggest_number",
    HONEYPOT_KEY,
    POINT_KEY,
)


def suggestion_form(ws: Workspace) -> None:
    """Show the public form; each wrong field says under it what to fix."""
    lang = current_lang()
    _start_form()
    st.markdown(f"<style>.st-key-{HONEYPOT_KEY}{{display:none}}</style>", unsafe_allow_html=True)
    slots: dict[str, Any] = {}
    kind_key, kind_now = choice_key("suggest_kind", None)
    kind = st.radio(
        tr("suggest.kind"),
        KINDS,
        index=option_index(KINDS, kind_now, None),
        format_func=lambda k: t(f"suggest.kind.{k}", lang),
        key=kind_key,
    )
    slots["kind"] = st.empty()
    if kind is None:
        return
    correction = None
    asset_id = None
    if kind == "correction":
        places = service.correctable(ws)
        labels = dict(zip(places["id"], places["label"], strict=True))
        asset_id = st.selectbox(
            tr("suggest.asset"),
            list(labels),
            index=None,
            format_func=lambda i: labels[i],
            placeholder=tr("suggest.asset_placeholder"),
            key="suggest_asset",
        )
        slots["asset"] = st.empty()
        correction_key, correction_now = choice_key("suggest_correction", None)
        correction = st.radio(
            tr("suggest.correction"),
            CORRECTIONS,
            index=option_index(CORRECTIONS, correction_now, None),
            format_func=lambda k: t(f"suggest.correction.{k}", lang),
            key=correction_key,
        )
        slots["correction"] = st.empty()
    private = False
    if kind in ("place", "group") or correction == "moved":
        if kind != "correction":
            private = st.checkbox(
                tr("suggest.private_home"),
                help=tr("suggest.private_home_help"),
                key="suggest_private",
            )
        _where(ws, private=private, moved=correction == "moved")
    slots["where"] = st.empty()
    type_key = None
    with st.form("suggest_form", clear_on_submit=False):
        if kind in ("place", "group"):
            options = types_for(kind)
            key, now = choice_key("suggest_type", None)
            type_key = st.selectbox(
                tr("suggest.type"),
                options,
                index=option_index(options, now, None),
                format_func=lambda k: catalogue().types[k].label(lang),
                placeholder=tr("suggest.type_placeholder"),
                key=key,
            )
            slots["type"] = st.empty()
        if kind != "correction" or correction == "name":
            label = "suggest.name_right" if kind == "correction" else "suggest.name"
            st.text_input(tr(label), max_chars=MAX_NAME, key="suggest_name")
            slots["name"] = st.empty()
        if kind != "correction" or correction == "hours":
            label = "suggest.schedule_new" if kind == "correction" else "suggest.schedule"
            st.text_input(
                tr(label), help=tr("suggest.schedule_help"), max_chars=MAX_SCHEDULE,
                key="suggest_schedule",
            )  # fmt: skip
            slots["schedule"] = st.empty()
        if not private and (kind != "correction" or correction == "moved"):
            st.text_input(
                tr("suggest.address"), help=tr("suggest.address_help"), max_chars=MAX_ADDRESS,
                key="suggest_address",
            )  # fmt: skip
            slots["address"] = st.empty()
        label = "suggest.explain" if kind == "correction" else "suggest.description"
        st.text_area(
            tr(label), help=tr("suggest.description_help"), max_chars=MAX_DESCRIPTION,
            key="suggest_description", height=100,
        )  # fmt: skip
        slots["description"] = st.empty()
        st.text_input(
            tr("suggest.contact"), help=tr("suggest.contact_help"), max_chars=MAX_CONTACT,
            key="suggest_contact",
        )  # fmt: skip
        slots["contact"] = st.empty()
        st.text_input(tr("join.website"), key=HONEYPOT_KEY)
        st.markdown(f"**{tr('suggest.privacy_title')}**")
        st.markdown(tr("suggest.privacy", months=_months()))
        st.checkbox(tr("suggest.consent"), key="suggest_consent")
        slots["consent"] = st.empty()
        submitted = st.form_submit_button(tr("suggest.submit"), type="primary", width="stretch")
    if not submitted:
        return
    if _too_fast():
        st.warning(tr("suggest.too_fast", n=RATE_LIMIT))
        return
    if st.session_state.get(HONEYPOT_KEY):
        _done(None)  # looks the same to a bot; nothing is stored
    point = st.session_state.get(POINT_KEY)
    form = SuggestionForm(
        kind=kind,
        correction=correction,
        asset_id=asset_id,
        type=type_key,
        name=st.session_state.get("suggest_name", ""),
        description=st.session_state.get("suggest_description", ""),
        schedule=st.session_state.get("suggest_schedule", ""),
        lon=point[0] if point else None,
        lat=point[1] if point else None,
        private_home=private,
        address="" if private else st.session_state.get("suggest_address", ""),
        contact=st.session_state.get("suggest_contact", ""),
        consent=bool(st.session_state.get("suggest_consent")),
    )
    checked, errors = service.check(ws, form, lang=lang)
    if checked is None:
        st.error(tr("suggest.fix"))
        for field, text in errors.items():
            slots.get(field, st).error(text, icon="⚠️")
        return
    try:
        receipt = store().submit_suggestion(
            checked, address=client_address(), limits=submission_limits()
        )
    except SubmissionRefused as exc:  # the input stays: it can be sent later
        st.warning(explain(exc, lang))
        return
    except AssetMapError as exc:  # the store's own checks (or a wrong limit setting)
        st.error(explain(exc, lang))
        return
    st.session_state.setdefault(TIMES_KEY, []).append(time.monotonic())
    _done(receipt.withdrawal_code)


def _months() -> int | str:
    try:
        return retention_months()
    except AssetMapError:  # a wrong setting is explained on the staff screens
        return "12"


def _where(ws: Workspace, *, private: bool, moved: bool) -> None:
    """Ask where: a click on the map or a postcode; say which area was found."""
    st.markdown(
        f"**{tr('suggest.where_new' if moved else 'suggest.where')}** {tr('suggest.where_help')}"
    )
    tab_map, tab_postcode = st.tabs([tr("suggest.where_map"), tr("suggest.where_postcode")])
    with tab_map:
        clicked = st_folium(
            _pick_map(ws, st.session_state.get(POINT_KEY), private=private),
            returned_objects=["last_clicked"],
            height=300,
            use_container_width=True,
            key="suggest_map",
        )
        point = (clicked or {}).get("last_clicked")
        if point and point != st.session_state.get(CLICK_KEY):
            st.session_state[CLICK_KEY] = point
            st.session_state[POINT_KEY] = (float(point["lng"]), float(point["lat"]))
    with tab_postcode:
        left, right = st.columns([3, 2])
        postcode = left.text_input(tr("join.postcode"), key="suggest_postcode", max_chars=7)
        number = right.text_input(tr("join.house_number"), key="suggest_number", max_chars=8)
        if st.button(tr("suggest.where_search"), key="suggest_postcode_search"):
            found = find_postcode(ws, postcode, number)
            if isinstance(found, str):  # the key of the text that says what went wrong
                st.error(tr(found), icon="⚠️")
            else:
                st.session_state[POINT_KEY] = (found.lon, found.lat)
    chosen = st.session_state.get(POINT_KEY)
    if chosen is None:
        return
    found_area = service.where(ws, chosen[0], chosen[1], private_home=private)
    if found_area is None:
        st.warning(tr("suggest.err.outside"))
        return
    name, at_middle = found_area
    key = "suggest.found_private" if at_middle else "suggest.found"
    st.caption(tr(key, area=md(name)))


def _pick_map(ws: Workspace, point: tuple[float, float] | None, *, private: bool) -> folium.Map:
    """Return a light map of the buurt outlines; the chosen point as a marker (not at a home)."""
    buurten = ws.areas[ws.areas["level"] == "buurt"]
    if buurten.empty:
        buurten = ws.areas[ws.areas["level"] == "wijk"]
    minx, miny, maxx, maxy = buurten.total_bounds
    fmap = folium.Map(tiles=None, location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13)
    fmap.options.update(max_zoom=19, min_zoom=7)
    fmap.default_js, fmap.default_css = vendor.links(vendor.MAP_FILES, vendor.APP_STATIC_BASE)
    base = chosen_tiles()
    if base.url:
        folium.TileLayer(base.url, attr=base.attribution, max_zoom=base.max_zoom).add_to(fmap)
    folium.GeoJson(
        buurten[["code", "geometry"]].to_json(drop_id=True),
        style_function=lambda _f: {"color": "#555", "weight": 1, "fillOpacity": 0.05},
    ).add_to(fmap)
    if point is not None and not private:
        folium.Marker([point[1], point[0]]).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def _start_form() -> None:
    """Empty the form after a submission and show the thanks and the code, once."""
    if RECEIPT_KEY not in st.session_state:
        return
    code = st.session_state.pop(RECEIPT_KEY)
    for key in FORM_KEYS:
        st.session_state.pop(key, None)
    for key in CHOICE_KEYS:
        forget_choice(key)
    st.success(tr("suggest.thanks"))
    if code:
        st.info(tr("suggest.code", code=code))


def _done(code: str | None) -> NoReturn:
    """Reload the page with an empty form, so a second click cannot send it again."""
    st.session_state[RECEIPT_KEY] = code
    st.rerun()


def _too_fast() -> bool:
    now = time.monotonic()
    recent = [s for s in st.session_state.get(TIMES_KEY, []) if now - s < RATE_WINDOW_S]
    st.session_state[TIMES_KEY] = recent
    return len(recent) >= RATE_LIMIT


def _date(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(LOCAL_TIME).strftime("%d-%m-%Y")


def follow_form() -> None:
    """Look up the status of a suggestion with its code."""
    st.subheader(tr("suggest.follow_title"))
    with st.form("suggest_follow"):
        code = st.text_input(tr("suggest.follow_code"), max_chars=40, key="suggest_follow_code")
        submitted = st.form_submit_button(tr("suggest.follow_submit"))
    if not submitted:
        return
    found = store().suggestion_status(code)
    if found is None:
        st.error(tr("suggest.follow_unknown"))
        return
    status = str(found["status"])
    text = tr(
        f"suggest.follow_{status}",
        date=_date(found["created_at"]),
        decided=_date(found["decided_at"]),
    )
    (st.success if status == "accepted" else st.info)(text)
