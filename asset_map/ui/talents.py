"""Widgets for residents' talents: the public form, erasure by code, and moderation."""

from __future__ import annotations

import os
import time

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map.io.postcode import PostcodeError, lookup
from asset_map.model import WISHES, catalogue
from asset_map.render import vendor
from asset_map.render.styles import BASEMAPS
from asset_map.talent_form import TalentForm, buurt_for_point, check_talent
from asset_map.ui.loaders import store
from asset_map.ui.state import current_lang, tr
from asset_map.workspace import Workspace

#: At most this many submissions per browser session in ``RATE_WINDOW_S`` seconds.
RATE_LIMIT = 3
RATE_WINDOW_S = 600
#: Personal data is erased after this many months (``asset-map purge`` does it); the privacy
#: statement says so. Set ``ASSET_MAP_RETENTION_MONTHS`` to change it.
DEFAULT_RETENTION_MONTHS = 12
RETENTION_ENV = "ASSET_MAP_RETENTION_MONTHS"
HONEYPOT_KEY = "join_website"


def _buurten(ws: Workspace) -> gpd.GeoDataFrame:
    buurten = ws.areas[ws.areas["level"] == "buurt"]
    return buurten.sort_values("name")


def location_picker(ws: Workspace) -> str | None:
    """Let the resident give their buurt: from a list, a click on the map, or a postcode.

    Only the buurt code is returned and kept; a clicked point or an address is not.
    """
    buurten = _buurten(ws)
    names = dict(zip(buurten["code"], buurten["name"], strict=True))
    st.markdown(f"**{tr('join.where')}** {tr('join.where_help')}")
    tab_list, tab_map, tab_postcode = st.tabs(
        [tr("join.where_list"), tr("join.where_map"), tr("join.where_postcode")]
    )
    with tab_map:
        fmap = _pick_map(ws)
        clicked = st_folium(
            fmap,
            returned_objects=["last_clicked"],
            height=320,
            use_container_width=True,
            key="join_map",
        )
        point = (clicked or {}).get("last_clicked")
        if point:
            code = buurt_for_point(
                point["lng"],
                point["lat"],
                dict(zip(buurten["code"], buurten.geometry, strict=True)),
            )
            st.session_state["join_buurt_from_map"] = code or "outside"
    with tab_postcode:
        left, right = st.columns([2, 1])
        postcode = left.text_input(tr("join.postcode"), key="join_postcode", max_chars=7)
        number = right.text_input(tr("join.house_number"), key="join_house_number", max_chars=8)
        if st.button(tr("join.postcode_search"), key="join_postcode_search"):
            try:
                address = lookup(postcode, number)
                code = address.buurt_code or buurt_for_point(
                    address.lon,
                    address.lat,
                    dict(zip(buurten["code"], buurten.geometry, strict=True)),
                )
                st.session_state["join_buurt_from_map"] = code if code in names else "outside"
            except PostcodeError as exc:
                st.error(str(exc))
    picked = st.session_state.get("join_buurt_from_map")
    with tab_list:
        options = list(names)
        index = options.index(picked) if picked in names else None
        chosen = st.selectbox(
            tr("join.where_list"),
            options,
            index=index,
            format_func=lambda c: names[c],
            placeholder=tr("join.where_list"),
            key="join_buurt",
        )
    if picked == "outside":
        return "outside"
    if picked in names and chosen in (None, picked):
        st.caption(tr("join.found_buurt", buurt=names[picked]))
        return picked
    return chosen


def _pick_map(ws: Workspace) -> folium.Map:
    """Return a light map with only the buurt outlines, to click where you live."""
    buurten = _buurten(ws)
    minx, miny, maxx, maxy = buurten.total_bounds
    fmap = folium.Map(tiles=None, location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13)
    fmap.options.update(max_zoom=19, min_zoom=7)
    fmap.default_js, fmap.default_css = vendor.links(vendor.MAP_FILES, vendor.APP_STATIC_BASE)
    base = BASEMAPS[st.session_state.get("map_basemap", "osm")]
    if base.url:
        folium.TileLayer(base.url, attr=base.attribution, max_zoom=base.max_zoom).add_to(fmap)
    folium.GeoJson(
        buurten[["code", "geometry"]].to_json(drop_id=True),
        style_function=lambda _f: {"color": "#555", "weight": 1, "fillOpacity": 0.05},
    ).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def talent_form(ws: Workspace) -> None:
    """Show the public form: no account; each wrong field says under it what to fix."""
    lang = current_lang()
    cat = catalogue()
    # The honeypot: people never see it (hidden with CSS), simple bots fill it in.
    st.markdown(f"<style>.st-key-{HONEYPOT_KEY}{{display:none}}</style>", unsafe_allow_html=True)
    slots = {}  # one empty spot under each field, filled with its message after a check
    buurt = location_picker(ws)
    slots["buurt"] = st.empty()
    with st.form("join_form", clear_on_submit=False):
        nickname = st.text_input(
            tr("join.nickname"), help=tr("join.nickname_help"), max_chars=40, key="join_nickname"
        )
        slots["nickname"] = st.empty()
        categories = st.multiselect(
            tr("join.categories"),
            list(cat.talent_categories),
            format_func=lambda k: cat.talent_label(k, lang),
            placeholder=tr("filter.placeholder"),
            key="join_categories",
        )
        slots["categories"] = st.empty()
        other = st.text_input(tr("join.other"), max_chars=200, key="join_other")
        description = st.text_area(tr("join.description"), max_chars=500, key="join_description")
        slots["description"] = st.empty()
        wishes = st.multiselect(
            tr("join.wishes"),
            list(WISHES),
            format_func=lambda k: tr(f"wish.{k}"),
            placeholder=tr("filter.placeholder"),
            key="join_wishes",
        )
        slots["wishes"] = st.empty()
        availability = st.text_input(
            tr("join.availability"), max_chars=100, key="join_availability"
        )
        slots["availability"] = st.empty()
        contact = st.text_input(
            tr("join.contact"), help=tr("join.contact_help"), max_chars=120, key="join_contact"
        )
        slots["contact"] = st.empty()
        st.text_input(tr("join.website"), key=HONEYPOT_KEY)
        st.markdown(f"**{tr('join.privacy_title')}**")
        st.markdown(tr("join.privacy", months=retention_months()))
        consent = st.checkbox(tr("join.consent"), key="join_consent")
        slots["consent"] = st.empty()
        submitted = st.form_submit_button(tr("join.submit"), type="primary")
    if not submitted:
        return
    if _too_fast():
        st.warning(tr("join.too_fast", n=RATE_LIMIT))
        return
    if st.session_state.get(HONEYPOT_KEY):
        st.success(tr("join.thanks"))  # looks the same to a bot; nothing is stored
        return
    form = TalentForm(
        nickname=nickname,
        categories=tuple(categories),
        other=other,
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
        errors["buurt"] = _outside_message(lang)
    if errors or checked is None:
        st.error(tr("join.fix"))
        for field, text in errors.items():
            slots.get(field, st).error(text, icon="⚠️")
        return
    receipt = store().submit_talent(checked)
    st.session_state.setdefault("join_times", []).append(time.monotonic())
    st.success(tr("join.thanks"))
    st.info(tr("join.code", code=receipt.withdrawal_code))


def retention_months() -> int:
    """Return how long personal data is kept: ``ASSET_MAP_RETENTION_MONTHS`` or 12."""
    value = os.environ.get(RETENTION_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_RETENTION_MONTHS


def _outside_message(lang: str) -> str:
    from asset_map.talent_form import message

    return message("buurt.outside", "en" if lang == "en" else "nl")


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
        else:
            st.error(tr("withdraw.unknown"))


def moderation(ws: Workspace, actor: str) -> None:
    """Pending submissions with approve / edit / reject; then the full list."""
    lang = current_lang()
    cat = catalogue()
    names = dict(zip(ws.areas["code"], ws.areas["name"], strict=True))
    pending = store().talents(status="pending")
    if pending.empty:
        st.info(tr("moderate.none"))
    else:
        st.subheader(tr("moderate.pending", n=len(pending)))
    for _, row in pending.iterrows():
        talent_id = str(row["id"])
        with st.container(border=True):
            buurt = names.get(row["buurt_code"], row["buurt_code"])
            st.markdown(f"**{_text(row['nickname'])}** · {_text(buurt)}")
            labels = [
                cat.talent_label(k, lang)
                for k in str(row["categories"]).split(";")
                if k in cat.talent_categories
            ]
            st.text(", ".join(labels))
            if _present(row["description"]):
                st.text(str(row["description"]))
            if _present(row["contact"]):
                st.text(f"{tr('moderate.contact')}: {row['contact']}")
            with st.expander(tr("moderate.save")):
                new_nickname = st.text_input(
                    tr("join.nickname"),
                    value=_plain(row["nickname"]),
                    key=f"edit_nick_{talent_id}",
                )
                new_description = st.text_area(
                    tr("join.description"),
                    value=_plain(row["description"]),
                    key=f"edit_desc_{talent_id}",
                )
                if st.button(tr("moderate.save"), key=f"save_{talent_id}"):
                    store().edit_talent(
                        talent_id,
                        {"nickname": new_nickname, "description": new_description},
                        actor=actor,
                    )
                    st.success(tr("moderate.done"))
                    st.rerun()
            left, right = st.columns(2)
            if left.button(tr("moderate.approve"), key=f"approve_{talent_id}", type="primary"):
                store().decide(talent_id, status="approved", actor=actor)
                st.rerun()
            if right.button(tr("moderate.reject"), key=f"reject_{talent_id}"):
                store().decide(talent_id, status="rejected", actor=actor)
                st.rerun()
    everything = store().talents()
    if not everything.empty:
        st.subheader(tr("moderate.all"))
        shown = everything.assign(
            status=everything["status"].map(lambda s: tr(f"status.{s}")),
            buurt=everything["buurt_code"].map(lambda c: names.get(c, c)),
        )[["nickname", "buurt", "categories", "status", "created_at"]]
        st.dataframe(shown, hide_index=True, width="stretch")


def _present(value: object) -> bool:
    """Return whether a cell holds text (pandas gives NaN, not None, for missing text)."""
    if value is None or (isinstance(value, float) and value != value):
        return False
    return str(value) != ""


def _plain(value: object) -> str:
    return str(value) if _present(value) else ""


def _text(value: object) -> str:
    """Escape Markdown and HTML in user text shown with st.markdown."""
    import html

    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    escaped = html.escape(text)
    for ch in "\\`*_{}[]()#+-.!|~>":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def public_talents(ws: Workspace) -> pd.DataFrame:
    """Return the talents the public map may count: the workspace's and the database's."""
    stored = store().public_talents()
    frames = [f for f in (ws.talents, stored) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else ws.talents
