"""The organiser's page: one place, through a personal link, and nothing else.

The link (``/organisator?sleutel=...``) opens this page alone: ``app.py`` shows no menu
then. The organiser confirms that the place is still right, changes its description and
opening times, and adds, changes or removes its weekly activities. The page asks the store
for everything with the token (:meth:`asset_map.storage.Store.organiser_update` and friends),
and the store refuses anything about another place, or a revoked or expired link; every use
is in the audit log and counts as a check of the place. Its forms start from the stored row
and its version (:mod:`asset_map.ui.edit_base`), as staff forms do: a save on a row someone
changed meanwhile is refused with what changed, and the organiser's input stays.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import ASSET_FIELDS, WEEKDAYS, catalogue
from asset_map.rules.concurrent_edits import StaleEdit
from asset_map.services.workspace import Workspace
from asset_map.storage import Link, LinkRefused
from asset_map.ui import edit_base
from asset_map.ui.activities import activity_form, delete_box, saved_messages
from asset_map.ui.loaders import store
from asset_map.ui.safe import md
from asset_map.ui.state import choice_key, current_lang, option_index, tr

#: The query parameter that carries the token.
TOKEN_PARAM = "sleutel"
FLASH_KEY = "org_flash"
_OPENED = "org_opened"
#: The widget of each field of the place the organiser edits.
_PLACE_WIDGETS = {"description": "org_description", "opening_hours": "org_hours"}


def token() -> str | None:
    """Return the token of the page's address, or None when it has none."""
    value = st.query_params.get(TOKEN_PARAM)
    return value.strip() if isinstance(value, str) and value.strip() else None


def link_or_stop(key: str | None) -> Link:
    """Return the link of the token, or explain why it does not work and stop the page."""
    if key is None:
        st.info(tr("org.no_link"))
        st.stop()
    try:
        if st.session_state.get(_OPENED) == key:
            return store().organiser_place(key)
        link = store().organiser_opened(key)  # the first view of a session is logged
    except LinkRefused as refused:
        st.session_state.pop(_OPENED, None)
        st.error(explain(refused, current_lang()))
        st.stop()
    st.session_state[_OPENED] = key
    return link


def _plain(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _flash() -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    saved_messages()


def page(ws: Workspace, key: str | None) -> None:
    """Show the organiser's own place, and only that."""
    link = link_or_stop(key)
    assert key is not None
    lang = current_lang()
    rows = ws.assets[ws.assets["id"].astype(str) == link.asset_id]
    if rows.empty:  # the link works, but the cached workspace is older than the place
        st.error(explain(LinkRefused(reason="unknown"), lang))
        st.stop()
    place = rows.iloc[0]
    st.title(tr("org.title", name=_plain(place["name"])))
    _flash()
    st.write(tr("org.intro"))
    kind = catalogue().types.get(str(place["type"]))
    facts = tr("org.facts", type=kind.label(lang) if kind else "", address=_plain(place["address"]))
    st.markdown(md(facts.strip(" ·")))
    st.caption(tr("org.name_address"))
    if str(place["status"]) == "closed":
        st.warning(tr("org.closed"))
    if st.button(tr("org.confirm"), help=tr("org.confirm_help"), type="primary", key="org_ok"):
        _write(lambda: store().organiser_confirm(key), tr("org.confirmed"))
    _details(place, key)
    _activities(ws, link, key)


def _write(action: Callable[[], object], done: str) -> None:
    """Run an organiser's change; on success show ``done`` after the page has run again."""
    try:
        action()
    except AssetMapError as exc:
        st.error(f"{tr('review.not_saved')} {explain(exc, current_lang())}")
        return
    st.session_state[FLASH_KEY] = done
    st.rerun()


def _details(place: pd.Series, key: str) -> None:
    """Edit the description and the opening times of the place."""
    st.subheader(tr("org.edit_title"))
    slot = f"organiser_place:{place['id']}"
    base = edit_base.held(
        slot, lambda: store().organiser_editable(key), alive=_PLACE_WIDGETS["description"]
    )
    stored = base.values if base is not None else place.to_dict()
    edit_base.show_refusal(slot)
    with st.form("org_details"):
        description = st.text_area(
            tr("wb.f.description"),
            value=_plain(stored.get("description")),
            max_chars=ASSET_FIELDS["description"].max_len,
            key=_PLACE_WIDGETS["description"],
        )
        hours = st.text_input(
            tr("wb.f.opening_hours"),
            value=_plain(stored.get("opening_hours")),
            help=tr("wb.f.opening_hours_help"),
            max_chars=ASSET_FIELDS["opening_hours"].max_len,
            key=_PLACE_WIDGETS["opening_hours"],
        )
        submitted = st.form_submit_button(tr("org.save"), type="primary")
    if not submitted:
        return
    changes = {"description": description, "opening_hours": hours}
    try:
        changed = store().organiser_update(key, changes, base=base)
    except StaleEdit as exc:  # someone changed the place meanwhile: say what, keep the input
        for name in edit_base.refused(slot, exc, changes) & _PLACE_WIDGETS.keys():
            st.session_state.pop(_PLACE_WIDGETS[name], None)
        st.rerun()
    except AssetMapError as exc:
        st.error(f"{tr('review.not_saved')} {explain(exc, current_lang())}")
        return
    edit_base.forget(slot)
    st.session_state[FLASH_KEY] = tr("org.saved") if changed else tr("org.nothing_changed")
    st.rerun()


def _activities(ws: Workspace, link: Link, key: str) -> None:
    """List the place's weekly activities; add, change or remove one."""
    lang = current_lang()
    st.subheader(tr("org.activities_title"))
    own = ws.activities[ws.activities["asset_id"].astype(str) == link.asset_id]
    own = own.sort_values(["weekday", "start"])
    if own.empty:
        st.caption(tr("org.no_activities"))
    labels = {
        str(r["id"]): f"{WEEKDAYS[int(r['weekday'])][0 if lang == 'nl' else 1]} "
        f"{r['start']}-{r['end']} · {r['title']}"
        for _, r in own.iterrows()
    }
    which = [None, *labels]
    which_key, which_now = choice_key("org_which", None)
    chosen = st.selectbox(
        tr("org.activity_choose"),
        which,
        index=option_index(which, which_now),
        format_func=lambda i: t("org.activity_new", lang) if i is None else labels[i],
        placeholder=t("org.activity_new", lang),  # Streamlit shows a chosen None as this
        key=which_key,
    )
    base = None
    if chosen:
        base = edit_base.held(
            f"activity:{chosen}",
            lambda: store().organiser_editable_activity(key, str(chosen)),
            alive=f"wf_t_{link.asset_id}_{chosen}",
        )
    current: dict[str, object] = {"id": chosen, **base.values} if base is not None else {}
    activity_form(
        link.asset_id,
        current,
        asset_ids={link.asset_id},
        save=lambda clean, base: store().organiser_save_activity(key, clean, base=base),
        base=base,
    )
    if chosen:
        delete_box(
            chosen,
            labels[chosen],
            load=lambda i: store().organiser_editable_activity(key, i),
            delete=lambda i, base: store().organiser_delete_activity(key, i, base=base),
        )
