"""Add, change and delete assets on the workbench (planner, wijkmanager, admin).

The place of an asset comes from a click on a small map (or typed in). Every field is
checked by ``asset_map.rules.edits.check_asset``; a wrong field says under it what to fix. The
store writes each change to the audit log with the user's name, and bumps the workspace
version, so every screen shows the change at its next run.

The form starts from the stored row and its version (:mod:`asset_map.ui.edit_base`): a save
writes only the fields the user changed, and when someone else changed the place meanwhile
the save is refused, the changes are named above the form, the user's input stays and the
fields they did not touch show the new stored values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import explain, t
from asset_map.model import ASSET_FIELDS, ASSET_STATUSES, WHEELCHAIR_VALUES, catalogue
from asset_map.rules.auth import User, can
from asset_map.rules.concurrent_edits import Editable, StaleEdit
from asset_map.rules.edits import ASSET_FORM_FIELDS, check_asset
from asset_map.services.workspace import Workspace
from asset_map.ui import edit_base
from asset_map.ui.auth import current_user
from asset_map.ui.basemap import chosen_tiles
from asset_map.ui.fields import FormSpots, place_map
from asset_map.ui.loaders import store
from asset_map.ui.state import current_lang, lang_key, pick, tr
from asset_map.ui.workbench import SELECTED_KEY, js_text, md

MODE_KEY = "wb_edit_mode"
#: Form field -> its widget key (the id is made by the store).
FIELDS = {name: f"wb_e_{name}" for name in ASSET_FORM_FIELDS if name != "id"}
#: Fields whose option labels follow the language: one widget key per language.
LOCALISED_FIELDS = frozenset({"type", "status", "wheelchair"})
#: The choices of step-free access: unknown (empty), then OpenStreetMap's values.
WHEELCHAIR_CHOICES = ("", *WHEELCHAIR_VALUES)
_LOADED = "wb_e_loaded"
_SEEN_CLICK = "wb_e_seen_click"
_DONE = "wb_e_done"
#: Stored values to show in fields the user did not change, after a refused save.
_REFRESH = "wb_e_refresh"
ACTIONS = ("added", "edited", "deleted")


def editor(ws: Workspace, selected: str | None) -> None:
    """Show the editor to users who may edit assets; tell others how to get access."""
    user = current_user()
    if user is None or not can(user.role, "edit_assets"):
        st.caption(tr("wb.edit_login"))
        return
    st.subheader(tr("wb.edit_title"))
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    if settings.data_dir() is not None:
        st.info(tr("wb.edit_folder"))
        return
    lang = current_lang()
    modes = ["add", "edit", "delete"] if selected else ["add"]
    if st.session_state.get(lang_key(MODE_KEY), "add") not in modes:
        st.session_state[lang_key(MODE_KEY)] = "add"
    mode = pick(
        st.radio,
        tr("wb.edit_mode"),
        modes,
        key=MODE_KEY,
        default="add",
        format_func=lambda k: t(f"wb.edit_mode.{k}", lang),
        horizontal=True,
    )
    if not selected:
        st.caption(tr("wb.edit_choose"))
    asset = _asset(ws.assets, selected) if selected and mode != "add" else None
    if mode != "delete" and selected:
        edit_base.forget(f"delete:{selected}")  # a later deletion starts from what it shows
    if mode == "delete" and asset is not None:
        _delete(asset, user)
        return
    _load_form(asset)
    edit_base.show_refusal(_slot(asset))
    _place_map(ws, asset)
    _form(user, asset)
    _history()


def field_key(name: str) -> str:
    """Return the session key of form field ``name`` (in the current language if it has one)."""
    return lang_key(FIELDS[name]) if name in LOCALISED_FIELDS else FIELDS[name]


def _asset(assets: gpd.GeoDataFrame, asset_id: str) -> pd.Series | None:
    rows = assets[assets["id"].astype("str") == asset_id]
    return rows.iloc[0] if len(rows) else None


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _slot(asset: pd.Series | None) -> str:
    return f"asset:{asset['id']}" if asset is not None else "asset:new"


def _shown(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Return stored asset values (``Store.editable_asset``) as the form's fields show them."""
    values: dict[str, Any] = {name: _text(stored.get(name)) for name in FIELDS}
    values.update(type=stored.get("type"), status=stored.get("status") or "existing")
    for name in ("lat", "lon"):
        values[name] = None if stored.get(name) is None else round(float(stored[name]), 6)
    values["tags"] = ", ".join(t.strip() for t in values["tags"].split(";") if t.strip())
    capacity = stored.get("capacity")
    values["capacity"] = "" if capacity is None or capacity != capacity else f"{capacity:g}"
    return values


def _row_values(asset: pd.Series) -> dict[str, Any]:
    """Return an asset of the workspace frame as stored values (when the store has none)."""
    values = {name: asset.get(name) for name in FIELDS if name not in ("lat", "lon")}
    values.update(lat=float(asset.geometry.y), lon=float(asset.geometry.x))
    return values


def _load_form(asset: pd.Series | None) -> None:
    """Fill the form with the stored asset (or empty it for a new one) when the choice changed.

    The stored row and its version are read here, together, as the form's starting point.
    After a refused save, the fields the user did not change take the stored values.
    """
    refresh = st.session_state.pop(_REFRESH, None)
    if refresh:
        for name, value in refresh.items():
            st.session_state[field_key(name)] = value
    wanted = str(asset["id"]) if asset is not None else "new"
    if st.session_state.get(_LOADED) == wanted and FIELDS["name"] in st.session_state:
        return
    st.session_state[_LOADED] = wanted
    slot = _slot(asset)
    edit_base.forget(slot)
    if asset is None:
        values: dict[str, Any] = dict.fromkeys(FIELDS, "")
        values.update(type=None, status="existing", lat=None, lon=None, wheelchair="")
    else:
        asset_id = str(asset["id"])
        base = edit_base.held(slot, lambda: store().editable_asset(asset_id))
        values = _shown(base.values) if base is not None else _shown(_row_values(asset))
    for name in FIELDS:
        st.session_state[field_key(name)] = values[name]


def _place_map(ws: Workspace, asset: pd.Series | None) -> None:
    """Draw a small map: a click sets the place of the asset in the form."""
    st.markdown(f"**{tr('wb.edit_place')}**")
    areas = ws.areas[ws.areas["level"] == "buurt"]
    lat, lon = st.session_state.get(FIELDS["lat"]), st.session_state.get(FIELDS["lon"])
    fmap = place_map(areas, chosen_tiles(), fill_opacity=0.03, fit=asset is None)
    if asset is not None:
        fmap.location = [float(asset.geometry.y), float(asset.geometry.x)]
        fmap.options["zoom"] = 17
    group = None
    if lat is not None and lon is not None:
        group = folium.FeatureGroup(name="place", control=False)
        folium.Marker(
            [float(lat), float(lon)],
            tooltip=js_text(st.session_state.get(FIELDS["name"]) or tr("wb.edit_here")),
        ).add_to(group)
    clicked = st_folium(
        fmap,
        key="wb_edit_map",
        returned_objects=["last_clicked"],
        feature_group_to_add=group,
        use_container_width=True,
        height=320,
    )
    point = (clicked or {}).get("last_clicked")
    if point and point.get("lat") is not None:
        seen = (round(float(point["lat"]), 6), round(float(point["lng"]), 6))
        if seen != st.session_state.get(_SEEN_CLICK):
            st.session_state[_SEEN_CLICK] = seen
            # The place fields are drawn below, so they may still be set in this run.
            st.session_state[FIELDS["lat"]], st.session_state[FIELDS["lon"]] = seen
            st.rerun()  # draw the marker at the new place


def _form(user: User, asset: pd.Series | None) -> None:
    """Show the fields of an asset; on save the checked values go to the store."""
    lang = current_lang()
    cat = catalogue()
    spots = FormSpots()

    def text(name: str, where: Any, **options: Any) -> None:
        spots.text(ASSET_FIELDS[name], tr(f"wb.f.{name}"), key=FIELDS[name], where=where, **options)

    with st.form("wb_edit_form"):
        left, right = st.columns(2)
        text("name", left)
        # Loaded into the session (``_load_form``); after a language switch the value of the
        # other language's widget is the starting value.
        pick(
            left.selectbox,
            tr("wb.f.type"),
            list(cat.types),
            key=FIELDS["type"],
            default=None,
            fallback=None,
            format_func=lambda k: f"{cat.types[k].icon} {cat.types[k].label(lang)}",
            placeholder=tr("wb.f.type_placeholder"),
        )
        spots.mark("type", left)
        text("address", left)
        text("tags", left, help=tr("wb.f.tags_help"))
        pick(
            right.radio,
            tr("wb.f.status"),
            ASSET_STATUSES,
            key=FIELDS["status"],
            default=None,
            format_func=lambda s: t(f"wb.status.{s}", lang),
            horizontal=True,
        )
        spots.mark("status", right)
        right.text_input(tr("wb.f.capacity"), help=tr("wb.f.capacity_help"), key=FIELDS["capacity"])
        spots.mark("capacity", right)
        pick(
            right.selectbox,
            tr("wb.f.wheelchair"),
            WHEELCHAIR_CHOICES,
            key=FIELDS["wheelchair"],
            default="",
            format_func=lambda v: t(f"wb.wheelchair.{v or 'unknown'}", lang),
        )
        spots.mark("wheelchair", right)
        text(
            "opening_hours",
            right,
            help=tr("wb.f.opening_hours_help"),
            placeholder="Tu,Th 10:00-12:00; PH off",
        )
        text("source", right)
        lat_col, lon_col = right.columns(2)
        lat_col.number_input(
            tr("wb.f.lat"), value=None, format="%.6f", step=0.0001, key=FIELDS["lat"]
        )
        lon_col.number_input(
            tr("wb.f.lon"), value=None, format="%.6f", step=0.0001, key=FIELDS["lon"]
        )
        spots.mark("lat", right)
        spots.mark("lon", right)
        text("description", st, area=True)
        label = tr("wb.save_new") if asset is None else tr("wb.save_changes")
        submitted = st.form_submit_button(label, type="primary")
    if not submitted:
        return
    values = {name: st.session_state.get(field_key(name)) for name in FIELDS}
    values["tags"] = ";".join(
        part.strip() for part in str(values["tags"] or "").replace(",", ";").split(";")
    )
    cleaned, errors = check_asset(values, lang=lang)
    if cleaned is None:
        st.error(tr("wb.edit_fix"))
        spots.show(errors)
        return
    cleaned.pop("id", None)
    slot = _slot(asset)
    try:
        if asset is None:
            new_id = store().add_asset(cleaned, actor=user.username)
            st.session_state[SELECTED_KEY] = new_id
            st.session_state[_DONE] = tr("wb.added", name=md(cleaned["name"]))
        else:
            base = edit_base.held(slot, lambda: store().editable_asset(str(asset["id"])))
            store().update_asset(str(asset["id"]), cleaned, actor=user.username, base=base)
            st.session_state[_DONE] = tr("wb.changed", name=md(cleaned["name"]))
    except StaleEdit as exc:
        _keep_input(slot, exc, cleaned)
    except AssetMapError as exc:
        st.error(explain(exc, current_lang()))
        return
    st.session_state.pop(_LOADED, None)  # read the saved values back into the form
    st.rerun()


def _keep_input(slot: str, exc: StaleEdit, cleaned: Mapping[str, Any]) -> NoReturn:
    """After a refused save: keep the user's input, show the stored values in the other fields."""
    refresh = edit_base.refused(slot, exc, cleaned)
    shown = _shown(exc.current.values)
    if refresh & {"lon", "lat"}:
        refresh |= {"lon", "lat"}
    st.session_state[_REFRESH] = {name: shown[name] for name in refresh if name in FIELDS}
    st.rerun()


def _delete(asset: pd.Series, user: User) -> None:
    """Delete the chosen asset after a tick that says which one.

    The place as this screen showed it is the starting point: one that someone changed
    meanwhile is not deleted before the user has seen what changed.
    """
    name = str(asset["name"])
    slot = f"delete:{asset['id']}"
    base: Editable | None = edit_base.held(slot, lambda: store().editable_asset(str(asset["id"])))
    edit_base.show_refusal(slot)
    sure = st.checkbox(tr("wb.delete_sure", name=md(name)), key="wb_delete_sure")
    if st.button(tr("wb.delete"), disabled=not sure, type="primary", key="wb_delete"):
        try:
            store().delete_asset(str(asset["id"]), actor=user.username, base=base)
        except StaleEdit as exc:
            edit_base.refused(slot, exc, {})
            st.rerun()
        except AssetMapError as exc:
            st.error(explain(exc, current_lang()))
            return
        edit_base.forget(slot)
        st.session_state[SELECTED_KEY] = None  # the mode falls back to "add" by itself
        st.session_state[_DONE] = tr("wb.deleted", name=md(name))
        st.rerun()


def _history() -> None:
    """Show the latest changes to assets from the audit log (who, when, what; no values)."""
    log = store().audit(entity="asset")
    if log.empty:
        return
    with st.expander(tr("wb.history", n=len(log))):
        latest = log.iloc[::-1].head(20)
        st.dataframe(
            pd.DataFrame(
                {
                    tr("wb.col.when"): latest["at"]
                    .dt.tz_convert("Europe/Amsterdam")
                    .dt.strftime("%d-%m-%Y %H:%M"),
                    tr("wb.col.who"): latest["actor"],
                    tr("wb.col.action"): latest["action"].map(
                        lambda a: tr(f"wb.action.{a}") if a in ACTIONS else a
                    ),
                    tr("wb.col.asset"): latest["entity_id"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
