"""Widgets of the wijkmanager's "connect" screen: what a place asks for, who fits, what came of it.

Only for users who may ``connect`` (the page checks). This is the one screen that shows
residents' nicknames, availability and contact next to a place: the wijkmanager needs them
to make the connection. Every connection recorded names who made it and when.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from asset_map import settings
from asset_map.analysis.connections import connections_per_buurt
from asset_map.analysis.matching import needs_of
from asset_map.i18n import t
from asset_map.model import NOTE_MAX_LEN, catalogue
from asset_map.rules.concurrent_edits import Editable, StaleEdit
from asset_map.services import connect as connect_service
from asset_map.services.workspace import Workspace
from asset_map.ui import edit_base
from asset_map.ui.activities import write_or_explain
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import (
    among,
    choice_key,
    current_lang,
    forget_choice,
    option_index,
    pick,
    select_all,
    tr,
)

#: The walking times the wijkmanager can choose for a match, in minutes.
WALK_CHOICES = (5, 10, 15, 20)
#: The session key (per language) of the chosen meeting place.
PLACE_KEY = "connect_place"
#: How many recent connections the list shows.
RECENT = 10


def place_picker(ws: Workspace) -> pd.Series | None:
    """Ask which meeting place to work on; each is shown with its buurt."""
    meeting = catalogue().meeting_place_types()
    places = ws.assets[ws.assets["type"].isin(meeting)].sort_values("name")
    buurt_names = _area_names(ws)
    labels = {
        str(r["id"]): f"{r['name']} ({buurt_names.get(r['buurt_code'], tr('connect.no_buurt'))})"
        + (f" · {tr('connect.planned')}" if r["status"] == "planned" else "")
        for _, r in places.iterrows()
    }
    chosen = pick(
        st.selectbox,
        tr("connect.place"),
        list(labels),
        key=PLACE_KEY,
        default=None,
        fallback=None,
        format_func=lambda i: labels[i],
        placeholder=tr("connect.place_placeholder"),
    )
    if chosen is None:
        st.info(tr("connect.pick_first"))
        return None
    return places[places["id"].astype(str) == chosen].iloc[0]


def connections() -> pd.DataFrame:
    """Return the connections recorded so far (``model.CONNECTION_COLUMNS``)."""
    return store().connections()


def needs_editor(ws: Workspace, place: pd.Series, *, actor: str) -> tuple[str, ...]:
    """Show and edit what the place asks for; return the talent categories it asks for.

    What the wijkmanager saved for the place; without that, the talents that fit the
    place's activities.
    """
    lang = current_lang()
    cat = catalogue()
    place_id = str(place["id"])
    needs, activities = ws.needs, ws.activities
    asked = needs_of(place_id, needs, activities)
    own = needs[needs["asset_id"].astype(str) == place_id]
    note = str(own["note"].iloc[0]) if len(own) and _has(own["note"].iloc[0]) else ""
    labels = [cat.talent_label(k, lang) for k in asked if k in cat.talent_categories]
    st.markdown(f"**{tr('connect.asks')}** {', '.join(labels) or tr('connect.asks_nothing')}")
    if note:
        st.text(note)
    if own.empty and asked:
        st.caption(tr("connect.asks_from_activities"))
    slot, note_key, cats_key = (
        f"needs:{place_id}",
        f"connect_needs_note_{place_id}",
        f"connect_needs_cats_{place_id}",
    )
    # What the form starts from: the stored needs and their version (none yet: version 0).
    base = edit_base.held(slot, lambda: store().editable_needs(place_id), alive=note_key)
    if base is not None and base.version:
        asked_now = [k for k in str(base.values["categories"]).split(";") if k]
        note = str(base.values["note"] or "")
    else:
        asked_now = list(asked)
    edit_base.show_refusal(slot)
    with st.expander(tr("connect.edit_needs")), st.form(f"connect_needs_{place_id}"):
        categories = list(cat.talent_categories)
        needs_key, needs_now = choice_key(cats_key, asked_now)
        chosen = st.multiselect(
            tr("connect.needs"),
            categories,
            default=among(needs_now, categories),
            format_func=lambda k: cat.talent_label(k, lang),
            placeholder=tr("filter.placeholder"),
            key=needs_key,
            select_all=select_all(),
        )
        new_note = st.text_area(
            tr("connect.note"), value=note, max_chars=NOTE_MAX_LEN, key=note_key
        )
        saved = st.form_submit_button(tr("connect.save_needs"), type="primary")
        if saved:
            _save_needs(place_id, tuple(chosen), new_note, actor=actor, base=base)
    if st.session_state.pop("connect_needs_saved", False):
        st.success(tr("connect.needs_saved"))
    return asked


def _save_needs(
    place_id: str, chosen: tuple[str, ...], note: str, *, actor: str, base: Editable | None
) -> None:
    """Save what the place asks for; refused when someone changed it since the form was drawn."""
    slot = f"needs:{place_id}"
    try:
        done = write_or_explain(
            store().set_place_needs, place_id, chosen, note=note, actor=actor, base=base
        )
    except StaleEdit as exc:
        form = {"categories": ";".join(chosen), "note": note.strip() or None}
        refresh = edit_base.refused(slot, exc, form)
        if "categories" in refresh:
            forget_choice(f"connect_needs_cats_{place_id}")
        if "note" in refresh:
            st.session_state.pop(f"connect_needs_note_{place_id}", None)
        st.rerun()
    if done:
        edit_base.forget(slot)
        st.session_state["connect_needs_saved"] = True
        st.rerun()


def candidate_talents(ws: Workspace) -> pd.DataFrame:
    """Return the approved talents with their contact: the database's and the demo's.

    See :func:`asset_map.services.connect.candidate_talents` (only stored talents can be
    recorded: ``recordable``).
    """
    return connect_service.candidate_talents(ws, store())


def matches(
    ws: Workspace, place: pd.Series, asked: tuple[str, ...], talents: pd.DataFrame, *, actor: str
) -> None:
    """List the talents within walking distance that fit, best first, each with a button."""
    lang = current_lang()
    cat = catalogue()
    walk_min = int(
        pick(
            st.radio,
            tr("connect.walk"),
            WALK_CHOICES,
            key="connect_walk_min",
            default=15,
            fallback=2,
            format_func=lambda m: t("connect.minutes", lang, n=m),
            horizontal=True,
        )
    )
    profiles = tuple(settings.PROFILES)
    profile_key, profile_now = choice_key("connect_profile", settings.DEFAULT_PROFILE)
    profile = str(
        st.radio(
            tr("connect.profile"),
            profiles,
            index=option_index(profiles, profile_now, 0),
            format_func=lambda k: t(settings.PROFILES[k].label, lang),
            horizontal=True,
            key=profile_key,
        )
    )
    st.subheader(tr("connect.matches"))
    if not asked:
        st.info(tr("connect.no_needs"))
        return
    if connect_service.blocks_profile(place, profile):
        st.warning(tr("connect.not_step_free"))
        return
    found = connect_service.matches(ws, place, asked, talents, walk_min=walk_min, profile=profile)
    if found.empty:
        st.info(tr("connect.no_matches", n=walk_min))
        return
    extra = talents.drop_duplicates("id").set_index(talents["id"].astype(str).to_numpy())
    buurt_names = _area_names(ws)
    earlier = _connected_to(str(place["id"]))
    for _, row in found.iterrows():
        talent_id = str(row["talent_id"])
        info = extra.loc[talent_id] if talent_id in extra.index else pd.Series(dtype=object)
        matched = [k for k in str(row["matched"]).split(";") if k in cat.talent_categories]
        others = [
            k
            for k in str(row["categories"]).split(";")
            if k in cat.talent_categories and k not in matched
        ]
        with st.container(border=True):
            buurt = md(buurt_names.get(row["buurt_code"], row["buurt_code"]))
            minutes = int(row["walk_min"])
            where = (
                tr("connect.walk_from", n=minutes, buurt=buurt)
                if minutes
                else tr("connect.same_buurt", buurt=buurt)
            )
            st.markdown(f"**{md(row['nickname'])}** · {where}")
            st.markdown(
                tr("connect.fits", talents=", ".join(cat.talent_label(k, lang) for k in matched))
            )
            if others:
                st.caption(
                    tr("connect.also", talents=", ".join(cat.talent_label(k, lang) for k in others))
                )
            if _has(info.get("availability")):
                st.text(f"{tr('connect.availability')}: {info['availability']}")
            if _has(info.get("contact")):
                st.text(f"{tr('connect.contact')}: {info['contact']}")
            if not bool(info.get("recordable", False)):
                st.caption(tr("connect.demo_talent"))
                continue
            if talent_id in earlier:  # recorded before: a second record would count twice
                when, by = earlier[talent_id]
                st.caption(f"✅ {tr('connect.already', when=when, by=md(by))}")
                continue
            made = st.button(tr("connect.made"), key=f"connect_made_{place['id']}_{talent_id}")
            if made and write_or_explain(
                connect_service.record_connection,
                store(),
                str(place["id"]),
                talent_id,
                matched=matched,
                asked=asked,
                actor=actor,
            ):
                st.session_state["connect_recorded"] = str(row["nickname"])
                st.rerun()


def recorded_message() -> None:
    """Say that the last connection was written (after the page has reloaded)."""
    name = st.session_state.pop("connect_recorded", None)
    if name is not None:
        st.success(tr("connect.recorded", name=md(name)))


def recent_connections(ws: Workspace, connections: pd.DataFrame, talents: pd.DataFrame) -> None:
    """Show the latest connections: when, which place, whom, which talent, by whom."""
    st.subheader(tr("connect.recent"))
    if connections.empty:
        st.info(tr("connect.none_yet"))
        return
    lang = current_lang()
    cat = catalogue()
    place_names = dict(
        zip(ws.assets["id"].astype(str), ws.assets["name"].astype(str), strict=False)
    )
    nicknames = dict(zip(talents["id"].astype(str), talents["nickname"], strict=False))
    latest = connections.sort_values("made_at", ascending=False).head(RECENT)
    table = pd.DataFrame(
        {
            tr("connect.col_when"): pd.to_datetime(latest["made_at"], utc=True)
            .dt.tz_convert("Europe/Amsterdam")
            .dt.strftime("%d-%m-%Y %H:%M"),
            tr("connect.col_place"): latest["asset_id"].astype(str).map(place_names),
            tr("connect.col_who"): latest["talent_id"].astype(str).map(nicknames).fillna("-"),
            tr("connect.col_talent"): latest["category"].map(
                lambda k: cat.talent_label(k, lang) if k in cat.talent_categories else str(k)
            ),
            tr("connect.col_by"): latest["made_by"].astype(str),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def connections_chart(ws: Workspace, connections: pd.DataFrame) -> None:
    """Chart the connections made per buurt per month."""
    st.subheader(tr("connect.chart"))
    if connections.empty:
        st.caption(tr("connect.chart_empty"))
        return
    counts = connections_per_buurt(connections, ws.areas, freq="M")
    wide = counts.pivot_table(
        index="period", columns="buurt_name", values="count", aggfunc="sum", fill_value=0
    )
    wide.index = [f"{p:%Y-%m}" for p in wide.index]
    st.bar_chart(wide, x_label=tr("connect.chart_x"), y_label=tr("connect.chart_y"))


def _connected_to(place_id: str) -> dict[str, tuple[str, str]]:
    """Return the talents connected to a place before: talent id -> (when, by whom)."""
    made = store().connections()
    made = made[made["asset_id"].astype(str) == place_id].sort_values("made_at")
    when = (
        pd.to_datetime(made["made_at"], utc=True)
        .dt.tz_convert("Europe/Amsterdam")
        .dt.strftime("%d-%m-%Y %H:%M")
    )
    pairs = zip(made["talent_id"].astype(str), when, made["made_by"].astype(str), strict=True)
    return {talent: (at, by) for talent, at, by in reversed(list(pairs))}


def _area_names(ws: Workspace) -> dict[str, str]:
    return dict(zip(ws.areas["code"].astype(str), ws.areas["name"].astype(str), strict=True))


def _has(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return False
    return str(value) not in ("", "None", "nan")
