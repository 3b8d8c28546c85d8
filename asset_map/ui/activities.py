"""Widgets of the "what's on" screen: this week's activities, and the form to keep them up to date.

The week view is public: an activity carries the organisation's contact, never a resident's.
Users who may edit assets (``edit_assets``) add, change and remove the activities of a place.
The form of a stored activity starts from the stored row and its version
(:mod:`asset_map.ui.edit_base`): a save writes only what the user changed, and one on an
activity someone changed meanwhile is refused with what changed, keeping the user's input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map._errors import AssetMapError
from asset_map.analysis.areas import open_assets
from asset_map.analysis.nearby import week_schedule
from asset_map.i18n import explain, t
from asset_map.model import ACTIVITY_COLUMNS, ACTIVITY_FIELDS, WEEKDAYS, catalogue
from asset_map.rules.concurrent_edits import Editable, StaleEdit
from asset_map.rules.edits import check_activity
from asset_map.services.workspace import Workspace
from asset_map.ui import edit_base
from asset_map.ui.basemap import places_map
from asset_map.ui.fields import FormSpots
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import (
    among,
    choice_key,
    current_lang,
    pick,
    select_all,
    tr,
)

#: Fields of the activity form, in the order shown; each gets its own message slot.
FORM_FIELDS = tuple(c for c in ACTIVITY_COLUMNS if c not in ("id", "asset_id"))


def activities_of(ws: Workspace) -> pd.DataFrame:
    """Return the activities of the workspace at places that are not closed.

    Saving one gives a new workspace version.
    """
    open_ids = set(open_assets(ws.assets)["id"].astype(str))
    return ws.activities[ws.activities["asset_id"].astype(str).isin(open_ids)]


def week_filters(ws: Workspace) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Ask which buurten and days to show; nothing chosen means all."""
    lang = current_lang()
    buurten = ws.areas[ws.areas["level"] == "buurt"].sort_values("name")
    names = dict(zip(buurten["code"], buurten["name"], strict=True))
    left, right = st.columns(2)
    chosen = left.multiselect(
        tr("week.buurt"),
        list(names),
        format_func=lambda c: str(names[c]),
        placeholder=tr("filter.all"),
        key="week_buurten",
        select_all=select_all(),
    )
    days_key, days_now = choice_key("week_days", None)
    days = right.multiselect(
        tr("week.day"),
        list(WEEKDAYS),
        default=among(days_now, list(WEEKDAYS)) or None,
        format_func=lambda d: WEEKDAYS[d][0 if lang == "nl" else 1],
        placeholder=tr("filter.all"),
        key=days_key,
        select_all=select_all(),
    )
    return tuple(chosen), tuple(int(d) for d in days)


def shown(
    ws: Workspace,
    activities: pd.DataFrame,
    *,
    buurten: tuple[str, ...],
    weekdays: tuple[int, ...],
) -> pd.DataFrame:
    """Return the activities on the chosen days at places in the chosen buurten (empty: all)."""
    keep = pd.Series(True, index=activities.index)
    if weekdays:
        keep &= pd.to_numeric(activities["weekday"], errors="coerce").isin(weekdays)
    if buurten:
        inside = ws.assets.loc[ws.assets["buurt_code"].isin(buurten), "id"].astype(str)
        keep &= activities["asset_id"].astype(str).isin(set(inside))
    return activities[keep]


def this_week(
    ws: Workspace,
    activities: pd.DataFrame,
    *,
    buurten: tuple[str, ...],
    weekdays: tuple[int, ...],
    today: date | None = None,
) -> pd.DataFrame:
    """Return the next seven days' activities (from today), filtered, in date and time order."""
    return week_schedule(
        activities, ws.assets, buurten=buurten, weekdays=weekdays, today=today or date.today()
    )


def week_list(schedule: pd.DataFrame) -> None:
    """Show the week's activities grouped by day, each with time, place and contact."""
    lang = current_lang()
    cat = catalogue()
    if schedule.empty:
        st.info(tr("week.none"))
        return
    for day, rows in schedule.groupby("date", sort=True):
        weekday = int(rows["weekday"].iloc[0])
        name = f"{WEEKDAYS[weekday][0 if lang == 'nl' else 1]} {_day(day)}"
        today = day == date.today()
        st.subheader(tr("week.today", day=name) if today else name[:1].upper() + name[1:])
        for _, row in rows.iterrows():
            kind = cat.activity_kinds.get(str(row["kind"]))
            icon = kind.icon if kind else "📅"
            with st.container(border=True):
                st.markdown(
                    f"**{md(row['start'])}-{md(row['end'])}** · {icon} **{md(row['title'])}**"
                )
                where = ", ".join(md(v) for v in (row["place_name"], row["address"]) if _has(v))
                st.markdown(f"📍 {where}")
                group = str(row["target_group"])
                if group in cat.target_groups:
                    st.caption(tr("week.for", group=cat.target_group_label(group, lang)))
                who = " · ".join(md(v) for v in (row["organiser"], row["contact"]) if _has(v))
                if who:
                    st.caption(tr("week.organiser", who=who))


def week_map(ws: Workspace, activities: pd.DataFrame) -> None:
    """Draw the places of the activities shown, as a layer of their own, when asked for."""
    if not st.toggle(tr("week.show_map"), value=False, key="week_map_on"):
        return
    places = ws.assets[ws.assets["id"].isin(set(activities["asset_id"]))]
    # The places of these activities; each popup lists its activities of the week.
    fmap = places_map(ws.areas, places, activities=activities)
    st_folium(fmap, returned_objects=[], use_container_width=True, height=460, key="week_map")


def editor(ws: Workspace, activities: pd.DataFrame, *, actor: str) -> None:
    """Let staff add, change or remove the activities of one place (messages under fields)."""
    lang = current_lang()
    cat = catalogue()
    st.subheader(tr("week.edit_title"))
    hosts = {k for k, v in cat.types.items() if v.meeting_place or v.can_host}
    assets = ws.assets[ws.assets["type"].isin(hosts) | ws.assets["id"].isin(activities["asset_id"])]
    assets = assets.sort_values("name")
    names = dict(zip(assets["id"].astype(str), assets["name"].astype(str), strict=True))
    place = st.selectbox(
        tr("week.place"),
        list(names),
        index=None,
        format_func=lambda i: names[i],
        placeholder=tr("week.place_placeholder"),
        key="week_edit_place",
    )
    if place is None:
        return
    own = activities[activities["asset_id"].astype(str) == place].sort_values(["weekday", "start"])
    labels = {
        str(r["id"]): f"{WEEKDAYS[int(r['weekday'])][0 if lang == 'nl' else 1]} "
        f"{r['start']} · {r['title']}"
        for _, r in own.iterrows()
    }
    which = [None, *labels]
    chosen = pick(
        st.selectbox,
        tr("week.which"),
        which,
        key=f"week_edit_which_{place}",
        default=None,
        format_func=lambda i: t("week.new", lang) if i is None else labels[i],
        placeholder=t("week.new", lang),  # Streamlit shows a chosen None as the placeholder
    )
    base = None
    if chosen:
        base = edit_base.held(
            f"activity:{chosen}",
            lambda: store().editable_activity(str(chosen)),
            alive=f"wf_t_{place}_{chosen}",
        )
    current = {"id": chosen, **base.values} if base is not None else {}
    activity_form(
        place,
        current,
        asset_ids=set(ws.assets["id"].astype(str)),
        save=lambda clean, base: store().save_activity(clean, actor=actor, base=base),
        base=base,
    )
    if chosen:
        delete_box(
            chosen,
            labels[chosen],
            load=store().editable_activity,
            delete=lambda i, base: store().delete_activity(i, actor=actor, base=base),
        )


#: The widget of each field of the activity form: its key prefix, and whether it is a choice
#: whose key follows the language (``state.choice_key``).
_WIDGETS = {
    "title": ("wf_t", False),
    "kind": ("wf_k", True),
    "weekday": ("wf_d", True),
    "start": ("wf_s", False),
    "end": ("wf_e", False),
    "target_group": ("wf_g", True),
    "organiser": ("wf_o", False),
    "contact": ("wf_c", False),
    "description": ("wf_x", False),
}


def activity_form(
    place: str,
    current: dict[str, object],
    *,
    asset_ids: set[str],
    save: Callable[[dict[str, Any], Editable | None], object],
    base: Editable | None = None,
) -> None:
    """Show the form of one activity at ``place`` (``current``: its values, or empty).

    Each wrong field says under it what to fix; a good activity goes to ``save`` with
    ``base`` (the version the form started from): the store with the user's name, or an
    organiser's link. A save on an activity changed meanwhile is refused with what changed,
    keeping the user's input; otherwise the page runs again.
    """
    lang = current_lang()
    cat = catalogue()
    suffix = f"{place}_{current.get('id') or 'new'}"
    slot = f"activity:{current.get('id')}"
    if base is not None:
        edit_base.show_refusal(slot)
    spots = FormSpots()

    def text(name: str, label: str, key: str, **options: Any) -> Any:
        value = _plain(current.get(name))
        return spots.text(ACTIVITY_FIELDS[name], tr(label), value=value, key=key, **options)

    def choose(name: str, label: str, options: list[Any], key: str, **kwargs: Any) -> Any:
        kwargs.setdefault("default", current.get(name))
        chosen = pick(st.selectbox, tr(label), options, key=key, **kwargs)
        spots.mark(name)
        return chosen

    with st.form(f"week_form_{suffix}"):
        title = text("title", "week.f_title", f"wf_t_{suffix}")
        kinds = cat.activity_kinds
        kind = choose(
            "kind",
            "week.f_kind",
            list(kinds),
            f"wf_k_{suffix}",
            format_func=lambda k: f"{kinds[k].icon} {kinds[k].label(lang)}",
        )
        weekday = choose(
            "weekday",
            "week.f_weekday",
            list(WEEKDAYS),
            f"wf_d_{suffix}",
            default=_int(current.get("weekday")),
            format_func=lambda d: WEEKDAYS[d][0 if lang == "nl" else 1],
        )
        left, right = st.columns(2)
        start = left.time_input(
            tr("week.f_start"),
            value=_time(current.get("start"), time(10)),
            step=900,
            key=f"wf_s_{suffix}",
        )
        end = right.time_input(
            tr("week.f_end"),
            value=_time(current.get("end"), time(12)),
            step=900,
            key=f"wf_e_{suffix}",
        )
        spots.mark("start", left)
        spots.mark("end", right)
        group = choose(
            "target_group",
            "week.f_group",
            list(cat.target_groups),
            f"wf_g_{suffix}",
            format_func=lambda g: cat.target_group_label(g, lang),
        )
        organiser = text("organiser", "week.f_organiser", f"wf_o_{suffix}")
        contact = text(
            "contact", "week.f_contact", f"wf_c_{suffix}", help=tr("week.f_contact_help")
        )
        description = text("description", "week.f_description", f"wf_x_{suffix}", area=True)
        submitted = st.form_submit_button(tr("week.save"), type="primary")
    if not submitted:
        return
    values: dict[str, object] = {
        "asset_id": place,
        "title": title,
        "kind": kind,
        "weekday": weekday,
        "start": start.strftime("%H:%M") if start else "",
        "end": end.strftime("%H:%M") if end else "",
        "target_group": group,
        "organiser": organiser,
        "contact": contact,
        "description": description,
    }
    if current.get("id"):
        values["id"] = current["id"]
    clean, errors = check_activity(values, asset_ids=asset_ids, lang=lang)
    if errors or clean is None:
        st.error(tr("week.fix"))
        spots.show(errors)
        return
    try:
        saved = write_or_explain(save, clean, base)
    except StaleEdit as exc:
        edit_base.show_stored(edit_base.refused(slot, exc, clean), _WIDGETS, suffix)
        st.rerun()
    if saved:
        edit_base.forget(slot)
        st.session_state["week_saved"] = True
        st.rerun()


def delete_box(
    activity_id: str,
    label: str,
    *,
    load: Callable[[str], Editable],
    delete: Callable[[str, Editable | None], object],
) -> None:
    """Offer to delete one activity, after a tick that names it.

    ``load`` reads the activity and its version (unless the form holds it already);
    ``delete`` refuses when it changed since this screen showed it.
    """
    slot = f"activity:{activity_id}"
    with st.expander(tr("week.delete_title")):
        sure = st.checkbox(tr("week.delete_sure", activity=label), key=f"week_del_ok_{activity_id}")
        pressed = st.button(tr("week.delete"), disabled=not sure, key=f"week_del_{activity_id}")
        if not pressed:
            return
        base = edit_base.held(slot, lambda: load(activity_id))
        try:
            deleted = write_or_explain(delete, activity_id, base)
        except StaleEdit as exc:  # changed since this screen showed it: say what first
            edit_base.refused(slot, exc, {})
            st.rerun()
        if deleted:
            edit_base.forget(slot)
            st.session_state["week_deleted"] = True
            st.rerun()


def write_or_explain(write: Callable[..., object], *args: object, **kwargs: object) -> bool:
    """Run a database change; on a refusal say so in plain words (and the detail below).

    A save refused because someone changed the row meanwhile (``StaleEdit``) is raised for
    the form to handle: it keeps the user's input and names what changed.
    """
    try:
        write(*args, **kwargs)
    except StaleEdit:
        raise
    except AssetMapError as exc:
        st.error(tr("week.write_failed"))
        st.caption(explain(exc, current_lang()))
        return False
    return True


def saved_messages() -> None:
    """Say what the last save or delete did (after the page has reloaded)."""
    if st.session_state.pop("week_saved", False):
        st.success(tr("week.saved"))
    if st.session_state.pop("week_deleted", False):
        st.success(tr("week.deleted"))


def _day(value: object) -> str:
    """Return "23 november": the day and the month's name in the current language."""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{stamp.day} {tr('week.months').split(',')[stamp.month - 1]}"


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _time(value: object, default: time) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return default


def _has(value: object) -> bool:
    return (
        value is not None and not (isinstance(value, float) and value != value) and str(value) != ""
    )


def _plain(value: object) -> str:
    return str(value) if _has(value) else ""
