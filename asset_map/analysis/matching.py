"""Match residents' talents to what a meeting place asks for, within walking distance.

Talents carry a buurt code, never a home location. The walking distance from a place to a
talent is therefore estimated as the straight-line distance (RD New) from the place to the
*nearest point of the talent's buurt*, times the detour factor: 0 when the place lies inside
that buurt. It is the shortest walk any resident of that buurt could have, so nobody who
might be near is left out; the wijkmanager checks the rest in a conversation.

The **score** ranks more fit first, then nearer:

    score = fit + proximity / 100,   proximity = 1 - walk_m / max_walk_m  (0..1)

``fit`` is the share of the place's needs the talent covers (with n needs it moves in steps
of 1/n >= 1/12, more than the largest proximity term, 0.01), so a talent that matches more
needs always ranks above one that matches fewer, however near; among equal fit, the nearer
ranks higher.

The result holds personal data (nicknames): it is for the wijkmanager's screen, never public.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from asset_map import settings
from asset_map._errors import SchemaError, require_columns
from asset_map.analysis.nearby import (
    check_walk,
    clean_activities,
    origin_in_rd,
    walking_minutes,
)
from asset_map.crs import WORK_CRS, require_crs
from asset_map.i18n import Msg
from asset_map.model import catalogue

MATCH_COLUMNS = [
    "talent_id",
    "nickname",
    "categories",
    "matched",
    "fit",
    "buurt_code",
    "walk_m",
    "walk_min",
    "score",
    "description",
    "availability",
]


def _split(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _place_point(place: Mapping[str, Any] | pd.Series) -> Point:
    """Return the place as a point in RD New, from its WGS84 ``geometry`` or ``lon``/``lat``."""
    geometry = place.get("geometry")
    if isinstance(geometry, BaseGeometry) and not geometry.is_empty:
        point = geometry.representative_point()
        return origin_in_rd((point.x, point.y))
    if place.get("lon") is not None and place.get("lat") is not None:
        return origin_in_rd((float(place["lon"]), float(place["lat"])))
    raise SchemaError(Msg("err.analysis.place_no_location", id=place.get("id", "?")))


def match_talents(
    place: Mapping[str, Any] | pd.Series,
    needs: Sequence[str],
    talents: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    *,
    walk_min: float = 15,
    speed_kmh: float = settings.SPEED_KMH.default,
    detour: float = settings.DETOUR.default,
) -> pd.DataFrame:
    """Return the approved talents within walking distance that fit what ``place`` asks for.

    Parameters
    ----------
    place : mapping or Series
        An asset row: ``id`` and a ``geometry`` in EPSG:4326 (or ``lon`` and ``lat``).
    needs : sequence of str
        Talent category keys the place asks for (see :func:`needs_of`).
    talents : DataFrame
        ``model.TALENT_COLUMNS``; only ``status == "approved"`` are used.
    areas : GeoDataFrame
        The buurten (``level == "buurt"``) the talents' ``buurt_code`` refers to. Talents
        of a buurt not in ``areas`` are left out: their distance is unknown.
    walk_min, speed_kmh, detour : float
        Walking time in reach, walking speed, and the straight-line-to-walking factor.

    Returns
    -------
    DataFrame
        ``MATCH_COLUMNS``: ``matched`` (``;``-joined keys in common, in the order of
        ``needs``), ``fit`` (share of ``needs`` matched, 0..1), ``walk_m`` (whole metres),
        ``walk_min`` (rounded up) and ``score`` (see the module docstring), best first.
        Talents that match no need are left out. Personal data: never show it publicly.
    """
    check_walk(walk_min, speed_kmh, detour)
    wanted = list(dict.fromkeys(str(n) for n in needs if str(n).strip()))
    needed = ("id", "nickname", "categories", "buurt_code", "status")
    require_columns(talents.columns, needed, Msg("err.what.talents"))
    if not wanted or talents.empty:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    require_crs(areas, "areas")
    point = _place_point(place)
    buurten = areas[areas["level"] == "buurt"].to_crs(WORK_CRS)
    buurt_m = pd.Series(
        buurten.distance(point).to_numpy() * detour, index=buurten["code"].astype(str)
    )
    buurt_m = buurt_m[~buurt_m.index.duplicated()]

    approved = talents[talents["status"].astype(str) == "approved"]
    reach = settings.walk_metres(walk_min, speed_kmh)
    rows = []
    for _, talent in approved.iterrows():
        code = str(talent["buurt_code"])
        if code not in buurt_m.index or buurt_m[code] > reach + 1e-6:
            continue
        own = set(_split(talent["categories"]))
        matched = [n for n in wanted if n in own]
        if not matched:
            continue
        fit = len(matched) / len(wanted)
        walk = float(buurt_m[code])
        rows.append(
            {
                "talent_id": str(talent["id"]),
                "nickname": talent["nickname"],
                "categories": ";".join(_split(talent["categories"])),
                "matched": ";".join(matched),
                "fit": fit,
                "buurt_code": code,
                "walk_m": walk,
                "walk_min": 0,
                "score": round(fit + (1.0 - walk / reach) / 100.0, 6),
                "description": talent.get("description", ""),
                "availability": talent.get("availability", ""),
            }
        )
    if not rows:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    found = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    found = found.sort_values(
        ["score", "walk_m", "nickname", "talent_id"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    found["walk_min"] = walking_minutes(found["walk_m"], speed_kmh)
    found["walk_m"] = found["walk_m"].round().astype(int)
    return found.reset_index(drop=True)


def needs_of(
    asset_id: str, needs: pd.DataFrame, activities: pd.DataFrame | None = None
) -> tuple[str, ...]:
    """Return the talent categories place ``asset_id`` asks for.

    The categories recorded for it in ``needs`` (``model.PLACE_NEED_COLUMNS``), in the
    order given; when none are recorded, the talents its activities' kinds fit
    (``catalogue().activity_kinds[kind].talents``), in catalogue order. Unknown keys are
    left out.
    """
    known = catalogue().talent_categories
    recorded: list[str] = []
    if needs is not None and not needs.empty and "asset_id" in needs:
        for value in needs.loc[needs["asset_id"].astype(str) == str(asset_id), "categories"]:
            recorded += [c for c in _split(value) if c in known]
    if recorded:
        return tuple(dict.fromkeys(recorded))
    if activities is None or activities.empty:
        return ()
    kinds = catalogue().activity_kinds
    own = clean_activities(activities)
    own = own[own["asset_id"] == str(asset_id)]
    fitting = {c for kind in own["kind"] if kind in kinds for c in kinds[kind].talents}
    return tuple(c for c in known if c in fitting)
