"""Freshness: when each place was last checked, which are overdue, and the share per area.

A place is **overdue** when nobody checked it in the last ``months`` calendar months
(``ASSET_MAP_CHECK_MONTHS``, default 12), or never. Closed places need no check and count
nowhere. Pure functions of frames and a given ``now``: the same answer for a fixed clock.
"""

from __future__ import annotations

import calendar
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.analysis.areas import open_assets

#: The columns :func:`freshness` adds, one row per place.
FRESHNESS_COLUMNS = ["last_checked", "checked_by", "checked_how", "age_days", "overdue"]


def months_before(now: datetime, months: int) -> datetime:
    """Return the moment ``months`` calendar months before ``now`` (the day clipped).

    >>> from datetime import UTC
    >>> months_before(datetime(2025, 3, 31, tzinfo=UTC), 1).date().isoformat()
    '2025-02-28'
    """
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def freshness(
    assets: pd.DataFrame, checks: pd.DataFrame, *, now: datetime, months: int
) -> pd.DataFrame:
    """Return the last check of every place and whether it is overdue.

    Parameters
    ----------
    assets : DataFrame
        The places (``id``, ``status``).
    checks : DataFrame
        ``asset_id``, ``checked_at`` (aware), ``checked_by``, ``method``: the last check per
        place (``Store.checks``).
    now : datetime
        The moment to measure from (aware).
    months : int
        A check older than this many calendar months is overdue.

    Returns
    -------
    DataFrame
        Indexed like ``assets``: :data:`FRESHNESS_COLUMNS`. ``last_checked`` is NaT and
        ``age_days`` NaN for a place never checked; ``overdue`` is False for a closed place.
    """
    latest = checks.drop_duplicates("asset_id", keep="last").set_index("asset_id")
    ids = assets["id"].astype(str)
    # A mapping, not a Series: pandas cannot map through an empty Series of aware times.
    when = pd.to_datetime(ids.map(latest["checked_at"].to_dict()), utc=True)
    age = (pd.Timestamp(now) - when).dt.total_seconds() / 86400.0
    cutoff = pd.Timestamp(months_before(now, months))
    closed = assets["status"].astype(str) == "closed"
    return pd.DataFrame(
        {
            "last_checked": when,
            "checked_by": ids.map(latest["checked_by"]),
            "checked_how": ids.map(latest["method"]),
            "age_days": age.astype("float64"),
            "overdue": (when.isna() | (when < cutoff)) & ~closed,
        },
        index=assets.index,
    )


def checked_share(
    assets: gpd.GeoDataFrame, fresh: pd.DataFrame, *, level: str = "wijk"
) -> pd.DataFrame:
    """Return per wijk (or buurt) how many places there are and how many were checked in time.

    Parameters
    ----------
    assets : GeoDataFrame
        Places with ``wijk_code`` / ``buurt_code`` (:func:`.areas.assign_areas`).
    fresh : DataFrame
        :func:`freshness` of the same places.
    level : {"wijk", "buurt"}
        Per wijk or per buurt.

    Returns
    -------
    DataFrame
        ``code``, ``places`` (not closed), ``checked`` (checked within the period),
        ``share_checked`` (0 to 1; NaN without places), ``overdue``.
    """
    column = f"{level}_code"
    places = open_assets(assets)
    late = fresh.loc[places.index, "overdue"].astype(bool)
    frame = pd.DataFrame({"code": places[column], "late": late}).dropna(subset=["code"])
    grouped = frame.groupby("code")["late"].agg(["size", "sum"])
    out = pd.DataFrame(
        {
            "code": grouped.index.astype(str),
            "places": grouped["size"].to_numpy("int64"),
            "overdue": grouped["sum"].to_numpy("int64"),
        }
    )
    out["checked"] = out["places"] - out["overdue"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_checked"] = np.where(out["places"] > 0, out["checked"] / out["places"], np.nan)
    return out[["code", "places", "checked", "share_checked", "overdue"]]


def to_check(
    assets: gpd.GeoDataFrame, fresh: pd.DataFrame, *, wijken: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Return the overdue places (of ``wijken``; none given: all), the longest unchecked first.

    Places never checked come first. Columns: ``id``, ``name``, ``type``, ``wijk_code``,
    ``buurt_code`` and :data:`FRESHNESS_COLUMNS`.
    """
    both = pd.concat([assets[["id", "name", "type", "wijk_code", "buurt_code"]], fresh], axis=1)
    late = both[both["overdue"].astype(bool)]
    if wijken:
        late = late[late["wijk_code"].isin(list(wijken))]
    never = late["last_checked"].isna()
    late = late.assign(_never=never).sort_values(
        ["_never", "age_days", "name"], ascending=[False, False, True], kind="stable"
    )
    return late.drop(columns="_never").reset_index(drop=True)
