"""What is near a resident: meeting places and activities within walking distance.

Walking distance is estimated as in the gap analysis: the straight line (measured in RD New,
EPSG:28992) times a detour factor, at a walking speed (the defaults and ranges of
:mod:`asset_map.settings`: 4.5 km/h and 1.3). Walking minutes are rounded *up* to whole
minutes, so a list never promises less.

A walking profile (:data:`asset_map.settings.PROFILES`) gives the speed and the detour;
for a wheelchair, places marked ``wheelchair=no`` are left out. Each place says whether it
is open now and when it opens next (:func:`asset_map.analysis.open_times.open_state`: its
opening hours, with the Dutch public holidays, and its weekly activities).

Everything here is public: places, activities and the organisers' contacts. No resident's
data goes in or comes out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely.geometry import Point

from asset_map import settings
from asset_map._errors import AssetMapError, require_columns
from asset_map.analysis.open_times import open_state
from asset_map.crs import STORAGE_CRS, WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import ACTIVITY_COLUMNS, WEEKDAYS, catalogue, is_step_free

#: Where a place is and how far: the columns a place and an activity near a point share.
_WHERE_COLUMNS = ["address", "buurt_code", "lon", "lat", "walk_m", "walk_min"]
PLACE_COLUMNS = ["id", "name", "type", *_WHERE_COLUMNS, "step_free", "open_now", "next_open"]
NEARBY_ACTIVITY_COLUMNS = [*ACTIVITY_COLUMNS, "place_name", *_WHERE_COLUMNS]
SCHEDULE_COLUMNS = [
    "date",
    "weekday",
    "start",
    "end",
    "title",
    "kind",
    "target_group",
    "place_name",
    "address",
    "buurt_code",
    "organiser",
    "contact",
    "description",
    "id",
    "asset_id",
]
_TO_RD = Transformer.from_crs(STORAGE_CRS, WORK_CRS, always_xy=True)


@dataclass(frozen=True)
class Nearby(settings.WalkReach):
    """Meeting places and activities within walking distance of a point.

    Attributes
    ----------
    origin : tuple of float
        The point searched from, (lon, lat) in WGS84.
    walk_min : float
        The walking time searched within, in minutes.
    places : DataFrame
        ``PLACE_COLUMNS``: existing meeting places and places with activities, nearest first;
        ``step_free`` (True, False or None: unknown), ``open_now`` (None: hours unknown) and
        ``next_open`` (a datetime, or None when open now or not in the coming week).
    activities : DataFrame
        ``NEARBY_ACTIVITY_COLUMNS``: the activities at those places, nearest first, then by
        weekday and start time.
    speed_kmh, detour : float
        The walking speed and detour factor used.
    """

    origin: tuple[float, float]
    walk_min: float
    places: pd.DataFrame
    activities: pd.DataFrame
    speed_kmh: float = settings.SPEED_KMH.default
    detour: float = settings.DETOUR.default
    profile: str = settings.DEFAULT_PROFILE
    now: datetime | None = None


# --- walking ------------------------------------------------------------------------------------


def check_walk(walk_min: float, speed_kmh: float, detour: float) -> None:
    """Refuse a walking option out of its range (:mod:`asset_map.settings`).

    Raises
    ------
    AssetMapError
        Naming the option, its range and the value, as the gap analysis does.
    """
    settings.WALK_MIN.check(walk_min)
    settings.SPEED_KMH.check(speed_kmh)
    settings.DETOUR.check(detour)


def walking_minutes(walk_m: np.ndarray | pd.Series, speed_kmh: float) -> np.ndarray:
    """Return whole walking minutes, rounded up (750 m at 4.5 km/h is 10, 751 m is 11)."""
    minutes = np.asarray(walk_m, dtype="float64") / (speed_kmh * 1000.0 / 60.0)
    return np.ceil(np.round(minutes, 6)).astype(int)


def origin_in_rd(origin: tuple[float, float]) -> Point:
    """Return the (lon, lat) ``origin`` as a point in RD New; ValueError when it is no lon/lat."""
    try:
        lon, lat = (float(v) for v in origin)
    except (TypeError, ValueError):
        raise ValueError(f"origin must be (lon, lat) in degrees, got {origin!r}.") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"origin must be (lon, lat) in degrees, got {origin!r}.")
    return Point(*_TO_RD.transform(lon, lat))


# --- activities ---------------------------------------------------------------------------------


def clean_activities(activities: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with integer weekdays; rows whose weekday is not 1 to 7 are left out.

    Raises
    ------
    SchemaError
        When a column of ``model.ACTIVITY_COLUMNS`` is missing.
    """
    columns_are = Msg("err.columns.fix.columns_are", columns=", ".join(ACTIVITY_COLUMNS))
    require_columns(activities.columns, ACTIVITY_COLUMNS, Msg("err.what.activities"), columns_are)
    out = activities[ACTIVITY_COLUMNS].copy()
    weekday = pd.to_numeric(out["weekday"], errors="coerce")
    out = out[weekday.isin(list(WEEKDAYS))].copy()
    out["weekday"] = weekday[out.index].astype(int)
    for column in ("id", "asset_id", "start", "end"):
        out[column] = out[column].astype(str)
    return out


def _places_frame(assets: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return id, name, type, address, buurt_code, lon, lat and RD x/y of every asset."""
    require_crs(assets, "assets")
    wgs = assets.to_crs(STORAGE_CRS).geometry.representative_point()
    rd = assets.to_crs(WORK_CRS).geometry.representative_point()
    buurt = (
        assets["buurt_code"] if "buurt_code" in assets.columns else pd.Series(None, assets.index)
    )
    return pd.DataFrame(
        {
            "id": assets["id"].astype(str).to_numpy(),
            "name": assets["name"].to_numpy(),
            "type": assets["type"].to_numpy(),
            "address": assets["address"].to_numpy(),
            "buurt_code": buurt.to_numpy(),
            "wheelchair": _column(assets, "wheelchair"),
            "opening_hours": _column(assets, "opening_hours"),
            "status": assets["status"].to_numpy() if "status" in assets else "existing",
            "lon": wgs.x.round(6).to_numpy(),
            "lat": wgs.y.round(6).to_numpy(),
            "_x": rd.x.to_numpy(),
            "_y": rd.y.to_numpy(),
        }
    )


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Return a column's values, or None for every row when the frame lacks it."""
    if name in frame.columns:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)


def nearby(
    origin: tuple[float, float],
    assets: gpd.GeoDataFrame,
    activities: pd.DataFrame,
    *,
    walk_min: float = 10,
    speed_kmh: float = settings.SPEED_KMH.default,
    detour: float = settings.DETOUR.default,
    profile: str = settings.DEFAULT_PROFILE,
    now: datetime | None = None,
) -> Nearby:
    """Return the meeting places and activities within ``walk_min`` minutes' walk of ``origin``.

    Parameters
    ----------
    origin : tuple of float
        (lon, lat) in WGS84, e.g. from a postcode or :func:`buurt_origin`. Not stored.
    assets : GeoDataFrame
        Assets with canonical columns (``buurt_code`` optional), with a CRS.
    activities : DataFrame
        ``model.ACTIVITY_COLUMNS``; their ``asset_id`` names the place.
    walk_min, speed_kmh, detour : float
        Walking time in reach, walking speed and the factor from straight line to walking
        distance.
    profile : str
        The walking profile (:data:`asset_map.settings.PROFILES`); its speed and detour are
        ``speed_kmh`` and ``detour``; a step-free profile leaves out places with steps.
    now : datetime, optional
        The moment "open now" is about (naive local time; the current time by default).

    Returns
    -------
    Nearby
        Places: existing meeting places (catalogue ``meeting_place`` types) and existing
        places that hold an activity, with ``walk_m`` (whole metres) and ``walk_min``
        (rounded up), nearest first. Activities: those held at these places.
    """
    check_walk(walk_min, speed_kmh, detour)
    if profile not in settings.PROFILES:
        known = ", ".join(settings.PROFILES)
        raise AssetMapError(Msg("err.gaps.profile", value=str(profile), profiles=known))
    moment = now or datetime.now()
    point = origin_in_rd(origin)
    activities = clean_activities(activities)
    places = _places_frame(assets)
    wanted = places["type"].isin(catalogue().meeting_place_types()) | places["id"].isin(
        set(activities["asset_id"])
    )
    places = places[wanted & (places["status"] == "existing")].copy()
    places["step_free"] = [is_step_free(v) for v in places["wheelchair"]]
    if settings.PROFILES[profile].step_free:  # a place with steps is of no use in a wheelchair
        places = places[places["step_free"].map(lambda v: v is not False)].copy()
    walk_m = np.hypot(places["_x"] - point.x, places["_y"] - point.y) * detour
    places["walk_m"] = walk_m
    places = places[walk_m <= settings.walk_metres(walk_min, speed_kmh) + 1e-6]
    places = places.sort_values(["walk_m", "name", "id"], kind="stable")
    places["walk_min"] = walking_minutes(places["walk_m"], speed_kmh)
    places["walk_m"] = places["walk_m"].round().astype(int)
    states = [
        open_state(hours, activities[activities["asset_id"] == place_id], moment)
        for place_id, hours in zip(places["id"], places["opening_hours"], strict=True)
    ]
    places["open_now"] = pd.Series(
        [bool(s.open_now) if s.known else None for s in states], index=places.index, dtype=object
    )
    places["next_open"] = [s.next_open for s in states]
    places = places[PLACE_COLUMNS].reset_index(drop=True)

    joined = activities.merge(
        places.rename(columns={"id": "asset_id", "name": "place_name"}).drop(columns="type"),
        on="asset_id",
        how="inner",
    )
    joined = joined.sort_values(["walk_m", "asset_id", "weekday", "start", "title"], kind="stable")
    return Nearby(
        origin=(float(origin[0]), float(origin[1])),
        walk_min=float(walk_min),
        places=places,
        activities=joined[NEARBY_ACTIVITY_COLUMNS].reset_index(drop=True),
        speed_kmh=float(speed_kmh),
        detour=float(detour),
        profile=profile,
        now=moment,
    )


def buurt_origin(areas: gpd.GeoDataFrame, buurt_code: str) -> tuple[float, float]:
    """Return a point inside buurt ``buurt_code`` as (lon, lat): its representative point.

    The representative point (computed in RD New) always lies inside the buurt, also when
    the buurt is not convex, unlike its centroid.

    Raises
    ------
    AssetMapError
        When ``areas`` holds no buurt with that code (or its geometry is empty).
    """
    require_crs(areas, "areas")
    found = areas[(areas["level"] == "buurt") & (areas["code"].astype(str) == str(buurt_code))]
    if found.empty or found.geometry.iloc[0] is None or found.geometry.iloc[0].is_empty:
        codes = sorted(areas.loc[areas["level"] == "buurt", "code"].astype(str))
        example = ", ".join(codes[:3]) + (", ..." if len(codes) > 3 else "")
        known = example or Msg("err.analysis.no_buurten_on_map")
        raise AssetMapError(Msg("err.analysis.buurt_unknown", code=buurt_code, known=known))
    point = found.to_crs(WORK_CRS).geometry.representative_point().to_crs(STORAGE_CRS).iloc[0]
    return float(point.x), float(point.y)


def week_schedule(
    activities: pd.DataFrame,
    assets: gpd.GeoDataFrame,
    *,
    buurten: Sequence[str] = (),
    weekdays: Sequence[int] = (),
    today: date | None = None,
) -> pd.DataFrame:
    """Return what is on in the seven days from ``today``: one row per activity occurrence.

    The week is *today and the next six days* (not the calendar week), so on a Saturday it
    still shows the coming Monday to Friday. Every weekly activity occurs once in it.

    Parameters
    ----------
    activities : DataFrame
        ``model.ACTIVITY_COLUMNS``. Activities at a place missing from ``assets`` are left out.
    assets : GeoDataFrame
        The places, with ``buurt_code`` when ``buurten`` is given.
    buurten : sequence of str
        Keep activities at places in these buurten (all when empty).
    weekdays : sequence of int
        Keep these ISO weekdays, 1 = Monday (all when empty).
    today : date, optional
        The first day; the current date by default.

    Returns
    -------
    DataFrame
        ``SCHEDULE_COLUMNS``, sorted by date, start and title. ``date`` holds
        ``datetime.date`` values.
    """
    today = today or date.today()
    activities = clean_activities(activities)
    places = _places_frame(assets)
    if buurten:
        fix = Msg("err.columns.fix.assign_areas")
        require_columns(assets.columns, ["buurt_code"], Msg("err.what.assets"), fix)
    joined = activities.merge(
        places[["id", "name", "address", "buurt_code"]].rename(
            columns={"id": "asset_id", "name": "place_name"}
        ),
        on="asset_id",
        how="inner",
    )
    if buurten:
        joined = joined[joined["buurt_code"].isin(list(buurten))]
    if weekdays:
        joined = joined[joined["weekday"].isin([int(d) for d in weekdays])]
    offset = (joined["weekday"] - today.isoweekday()) % 7
    joined = joined.assign(date=[today + timedelta(days=int(n)) for n in offset])
    joined = joined.sort_values(["date", "start", "title", "id"], kind="stable")
    return joined[SCHEDULE_COLUMNS].reset_index(drop=True)
