"""Widgets of the resident's "near me" screen: where from, how far, and what is there.

Public, without log-in. Only places and activities are shown, never a resident or a talent.
The postcode a resident types is used once to find a point and kept only in this browser
session; nothing of it is written anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map import settings
from asset_map.analysis.nearby import Nearby
from asset_map.i18n import t
from asset_map.io.postcode import PostcodeError, read_postcodes
from asset_map.model import WEEKDAYS, catalogue
from asset_map.render.activities import nearby_layers
from asset_map.render.flyer import access_text, open_text
from asset_map.services import near_me
from asset_map.services.near_me import PostcodeNeedsNumber, PostcodeNotFound
from asset_map.services.workspace import Workspace
from asset_map.ui.basemap import places_map
from asset_map.ui.loaders import local_postcodes
from asset_map.ui.state import current_lang, pick, tr

#: The walking times a resident can choose, in minutes (within the range of the settings).
WALK_CHOICES = tuple(int(m) for m in settings.WALK_MIN.presets)
ORIGIN_KEY = "near_origin"


@dataclass(frozen=True)
class Origin:
    """Where the resident starts: a point (not stored) and a label for the list and flyer."""

    lon: float
    lat: float
    label: str


@st.cache_data(show_spinner=False)
def _postcode_table(path: str) -> pd.DataFrame:
    return read_postcodes(path)


def _cached_table(path: Path) -> pd.DataFrame:
    return _postcode_table(str(path))


def find_postcode(ws: Workspace, postcode: str, house_number: str) -> Origin | str:
    """Return the origin of a postcode, or the key of the text that says what went wrong.

    The local table first (no internet needed); then PDOK's Locatieserver, which needs a
    house number as well (:func:`asset_map.services.near_me.postcode_point`).
    """
    try:
        point, shown = near_me.postcode_point(ws, postcode, house_number, read_table=_cached_table)
    except PostcodeNeedsNumber:
        return "near.need_number"
    except PostcodeNotFound:
        return "near.postcode_not_found"
    except PostcodeError:
        return "near.postcode_bad"
    return Origin(lon=point[0], lat=point[1], label=tr("near.from_postcode", postcode=shown))


def origin_picker(ws: Workspace) -> Origin | None:
    """Ask where the resident starts: a postcode, or a buurt from a list."""
    buurten = ws.areas[ws.areas["level"] == "buurt"].sort_values("name")
    names = dict(zip(buurten["code"], buurten["name"], strict=True))
    tab_postcode, tab_buurt = st.tabs([tr("near.by_postcode"), tr("near.by_buurt")])
    with tab_postcode:
        st.caption(tr("near.postcode_privacy"))
        with st.form("near_postcode_form", border=False):
            left, right = st.columns([2, 1])
            postcode = left.text_input(tr("near.postcode"), max_chars=7, key="near_postcode")
            number = right.text_input(tr("near.house_number"), max_chars=8, key="near_number")
            if st.form_submit_button(tr("near.search"), type="primary"):
                found = find_postcode(ws, postcode, number)
                st.session_state["near_buurt_used"] = False
                if isinstance(found, Origin):
                    st.session_state[ORIGIN_KEY] = found
                else:
                    st.session_state.pop(ORIGIN_KEY, None)
                    st.error(tr(found))
    with tab_buurt:
        chosen = st.selectbox(
            tr("near.buurt"),
            list(names),
            index=None,
            format_func=lambda c: str(names[c]),
            placeholder=tr("near.buurt_placeholder"),
            key="near_buurt",
            on_change=_buurt_changed,
        )
        if chosen is not None and st.session_state.get("near_buurt_used"):
            (lon, lat), _name = near_me.buurt_point(ws, chosen)
            st.session_state[ORIGIN_KEY] = Origin(
                lon=lon, lat=lat, label=tr("near.from_buurt", buurt=names[chosen])
            )
    origin = st.session_state.get(ORIGIN_KEY)
    return origin if isinstance(origin, Origin) else None


def _buurt_changed() -> None:
    # The latest choice wins: a buurt picked after a postcode replaces it, and back.
    st.session_state["near_buurt_used"] = st.session_state.get("near_buurt") is not None


def walk_picker() -> int:
    """Ask how far the resident wants to walk (5, 10 or 15 minutes)."""
    lang = current_lang()
    default = int(settings.WALK_MIN.default)
    return int(
        pick(
            st.radio,
            tr("near.walk"),
            WALK_CHOICES,
            key="near_walk_min",
            default=default,
            fallback=1,
            format_func=lambda m: t("near.minutes", lang, n=m),
            horizontal=True,
        )
    )


def profile_picker() -> str:
    """Ask how the resident gets about: an average pace, slower (rollator), a wheelchair."""
    lang = current_lang()
    return str(
        pick(
            st.radio,
            tr("near.profile"),
            tuple(settings.PROFILES),
            key="near_profile",
            default=settings.DEFAULT_PROFILE,
            format_func=lambda k: t(settings.PROFILES[k].label, lang),
            horizontal=True,
        )
    )


def find_nearby(
    ws: Workspace, origin: Origin, walk_min: int, profile: str = settings.DEFAULT_PROFILE
) -> Nearby:
    """Return the meeting places and activities within ``walk_min`` minutes of ``origin``."""
    return near_me.find_nearby(ws, (origin.lon, origin.lat), walk_min, profile=profile)


def results(ws: Workspace, origin: Origin, found: Nearby) -> None:
    """Show the map, the two lists with walking minutes, and the flyer download."""
    lang = current_lang()
    st.subheader(tr("near.results", place=origin.label, n=int(found.walk_min)))
    if found.places.empty and found.activities.empty:
        st.info(tr("near.nothing", n=int(found.walk_min)))
        nearest = near_me.nearest_place(ws, found)
        if nearest is not None:
            st.info(tr("near.nearest", name=nearest[0], minutes=nearest[1]))
    # The places in reach and the places of the activities in reach: an activity is listed
    # in its place's popup, and the place is ringed.
    shown = set(found.places["id"].astype(str)) | set(found.activities["asset_id"].astype(str))
    places = ws.assets[ws.assets["id"].astype(str).isin(shown)]
    fmap = places_map(
        ws.areas,
        places,
        extra_layers=nearby_layers(found, lang=lang),
        activities=found.activities,
        postcodes=local_postcodes(ws),
        view=walk_bounds(found),  # the walk, not the whole gemeente
    )
    st_folium(fmap, returned_objects=[], use_container_width=True, height=480, key="near_map")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('near.places', n=len(found.places))}**")
        if not found.places.empty:
            st.table(places_table(found.places, found.now), hide_index=True, border="horizontal")
    with right:
        st.markdown(f"**{tr('near.activities', n=len(found.activities))}**")
        if not found.activities.empty:
            st.table(activities_table(found.activities), hide_index=True, border="horizontal")
    st.download_button(
        tr("near.flyer"),
        # Made only when clicked: a PDF on every rerun would be wasted work.
        data=partial(near_me.flyer, ws, found, place_label=origin.label, lang=lang),
        file_name="bij-mij-in-de-buurt.pdf",
        mime="application/pdf",
        icon="🖨️",
        on_click="ignore",
        key="near_flyer",
    )
    st.caption(tr("near.flyer_help"))


def walk_bounds(found: Nearby) -> list[list[float]]:
    """Return [[south, west], [north, east]] around the walking circle: the map's first view."""
    lon, lat = found.origin
    dlat = found.radius_m / 111_320.0
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return [[lat - dlat, lon - dlon], [lat + dlat, lon + dlon]]


def places_table(places: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """Return the places as the list shows them: walking minutes, name, open now, address."""
    lang = current_lang()
    types = catalogue().types
    kind = places["type"].map(lambda k: types[k].label(lang) if k in types else str(k)).astype(str)
    return pd.DataFrame(
        {
            tr("near.col_walk"): places["walk_min"].astype(int).map(_minutes).astype(str),
            tr("near.col_place"): places["name"].astype(str),
            tr("near.col_open"): [
                " · ".join(
                    part
                    for part in (
                        open_text(row["open_now"], row["next_open"], now, lang),
                        access_text(row["step_free"], lang),
                    )
                    if part
                )
                for _, row in places.iterrows()
            ],
            tr("near.col_kind"): kind,
            tr("near.col_address"): places["address"].fillna("").astype(str),
        }
    )


def activities_table(activities: pd.DataFrame) -> pd.DataFrame:
    """Return the activities as the list shows them, in walking-time order."""
    lang = current_lang()
    day = (
        activities["weekday"].astype(int).map(lambda d: WEEKDAYS[d][0 if lang == "nl" else 1])
    ).astype(str)
    return pd.DataFrame(
        {
            tr("near.col_walk"): activities["walk_min"].astype(int).map(_minutes).astype(str),
            tr("near.col_activity"): activities["title"].astype(str),
            tr("near.col_when"): day
            + " "
            + activities["start"].astype(str)
            + "-"
            + activities["end"].astype(str),
            tr("near.col_place"): activities["place_name"].astype(str),
        }
    )


def _minutes(n: int) -> str:
    return tr("near.minutes", n=n)
