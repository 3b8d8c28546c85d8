"""Residents' suggestions: check a form against the workspace, and what a screen lists.

The form's rules are :mod:`asset_map.rules.suggestion_form`; here they get the workspace's
areas (where a point lies, and where a private home may be shown:
:func:`asset_map.analysis.private_places.locate`) and its places (what a correction may be
about). The store keeps the result (:meth:`asset_map.storage.Store.submit_suggestion`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from asset_map.analysis.private_places import locate
from asset_map.model import Lang
from asset_map.rules.suggestion_form import (
    Locate,
    SuggestionForm,
    SuggestionSubmission,
    check_suggestion,
)
from asset_map.services.workspace import Workspace


def locator(areas: gpd.GeoDataFrame) -> Locate:
    """Return the ``locate`` the form's rules take: a point -> its buurt and where to show it."""

    def find(lon: float, lat: float, private_home: bool) -> tuple[str | None, float, float] | None:
        found = locate(areas, lon, lat, private_home=private_home)
        if found is None:
            return None
        return found.buurt_code or found.wijk_code, found.lon, found.lat

    return find


def correctable(ws: Workspace) -> pd.DataFrame:
    """Return the places a correction may be about: not closed, by name (``id``, ``label``).

    The label holds the name and the buurt (or wijk), so two places of one name differ.
    """
    places = ws.assets[ws.assets["status"].astype(str) != "closed"]
    names = dict(zip(ws.areas["code"].astype(str), ws.areas["name"].astype(str), strict=True))
    area = places["buurt_code"].where(places["buurt_code"].notna(), places["wijk_code"])
    labels = [
        f"{name} · {names[str(code)]}" if isinstance(code, str) and code in names else str(name)
        for name, code in zip(places["name"], area, strict=True)
    ]
    out = pd.DataFrame({"id": places["id"].astype(str).to_numpy(), "label": labels})
    return out.sort_values("label", key=lambda s: s.str.lower(), kind="stable").reset_index(
        drop=True
    )


def check(
    ws: Workspace, form: SuggestionForm, *, lang: Lang = "nl"
) -> tuple[SuggestionSubmission | None, dict[str, str]]:
    """Check a suggestion against the workspace: its areas and the places it may correct.

    Returns
    -------
    (SuggestionSubmission or None, dict)
        As :func:`asset_map.rules.suggestion_form.check_suggestion`; a private home's point
        is already replaced by the middle of its buurt (or wijk).
    """
    return check_suggestion(
        form,
        locate=locator(ws.areas),
        asset_ids=correctable(ws)["id"],
        lang=lang,
    )


def area_name(ws: Workspace, code: str | None) -> str:
    """Return the name of a buurt or wijk by its code (the code when unknown)."""
    if not code:
        return ""
    match = ws.areas.loc[ws.areas["code"].astype(str) == str(code), "name"]
    return str(match.iloc[0]) if len(match) else str(code)


def where(ws: Workspace, lon: float, lat: float, *, private_home: bool) -> tuple[str, bool] | None:
    """Return the name of the area a point lies in and whether it is shown at its middle.

    For a private home that is the buurt, or the wijk when the buurt is small
    (:func:`asset_map.analysis.private_places.locate`); None outside the gemeente.
    """
    found = locate(ws.areas, lon, lat, private_home=private_home)
    if found is None:
        return None
    code = found.wijk_code if found.shown_at == "wijk" else found.buurt_code or found.wijk_code
    return area_name(ws, code), found.shown_at != "point"
