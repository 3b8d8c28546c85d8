"""Freshness of the workspace: which places are overdue, per wijk, on the flyer, in exports.

The werkbank, the exports, the flyer, the to-check list and ``asset-map checks`` measure it
the same way: :func:`asset_map.analysis.freshness.freshness` with the period of
``ASSET_MAP_CHECK_MONTHS`` (:func:`asset_map.settings.check_months`) from ``now`` (the real
time unless a test passes a fixed one). A workspace opened from a folder of files
(``ASSET_MAP_DATA_DIR``) keeps no checks: nothing is marked there.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from asset_map import settings
from asset_map.analysis import freshness as fresh
from asset_map.analysis.nearby import Nearby
from asset_map.model import CHECK_EXPORT_COLUMNS
from asset_map.services.workspace import Workspace

#: The columns an export gets: the date (Europe/Amsterdam), how, and overdue or not.
EXPORT_COLUMNS = CHECK_EXPORT_COLUMNS
LOCAL_TIME = "Europe/Amsterdam"


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def of_assets(
    ws: Workspace,
    assets: pd.DataFrame | None = None,
    *,
    now: datetime | None = None,
    months: int | None = None,
) -> pd.DataFrame | None:
    """Return :func:`~asset_map.analysis.freshness.freshness` of the places, or None.

    None when the workspace keeps no checks (a folder of files). ``assets`` default to all
    of the workspace's; ``months`` to the setting.
    """
    if ws.checks is None:
        return None
    places = ws.assets if assets is None else assets
    period = settings.check_months() if months is None else months
    return fresh.freshness(places, ws.checks, now=_now(now), months=period)


def overdue_ids(ws: Workspace, *, now: datetime | None = None) -> set[str]:
    """Return the ids of the places that are overdue (empty when no checks are kept)."""
    table = of_assets(ws, now=now)
    if table is None:
        return set()
    return set(ws.assets.loc[table["overdue"].astype(bool), "id"].astype(str))


def with_freshness(
    ws: Workspace, assets: gpd.GeoDataFrame, *, now: datetime | None = None
) -> gpd.GeoDataFrame:
    """Return the places with :data:`EXPORT_COLUMNS` added (unchanged without checks).

    ``last_checked`` is the date as text (``2025-03-01``, empty when never checked),
    ``checked_how`` one of ``model.CHECK_METHODS``, ``check_overdue`` True or False.
    """
    table = of_assets(ws, assets, now=now)
    if table is None:
        return assets
    out = assets.copy()
    dates = table["last_checked"].dt.tz_convert(LOCAL_TIME).dt.strftime("%Y-%m-%d")
    out["last_checked"] = dates.astype("object").where(table["last_checked"].notna(), None)
    out["checked_how"] = (
        table["checked_how"].astype("object").where(table["checked_how"].notna(), None)
    )
    out["check_overdue"] = table["overdue"].astype(bool)
    return out


def per_area(
    ws: Workspace, *, level: str = "wijk", now: datetime | None = None
) -> pd.DataFrame | None:
    """Return per wijk (or buurt) the places, those checked in time and the share (percent).

    Columns ``code``, ``places``, ``checked``, ``share_checked``, ``checked_pct``,
    ``overdue``; None when no checks are kept.
    """
    table = of_assets(ws, now=now)
    if table is None:
        return None
    out = fresh.checked_share(ws.assets, table, level=level)
    out["checked_pct"] = 100.0 * out["share_checked"]
    return out


def for_flyer(ws: Workspace, found: Nearby, *, now: datetime | None = None) -> Nearby:
    """Return what is near without the overdue places and their activities.

    A flyer goes on paper to people who cannot check it online: a place nobody checked in
    the period may have closed, so it is left off.
    """
    late = overdue_ids(ws, now=now)
    if not late:
        return found
    places = found.places[~found.places["id"].astype(str).isin(late)]
    activities = found.activities[~found.activities["asset_id"].astype(str).isin(late)]
    return replace(found, places=places.reset_index(drop=True), activities=activities)


def due(
    ws: Workspace, *, wijken: tuple[str, ...] = (), now: datetime | None = None
) -> pd.DataFrame | None:
    """Return the overdue places of ``wijken`` (all when empty), the longest unchecked first.

    See :func:`asset_map.analysis.freshness.to_check`; None when no checks are kept.
    """
    table = of_assets(ws, now=now)
    if table is None:
        return None
    return fresh.to_check(ws.assets, table, wijken=wijken)
