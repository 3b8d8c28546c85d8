"""Where a place at a private home may be shown: never at the home, only at its area.

A resident who suggests a huiskamer at someone's home, or a group that meets there, gives
its location so the wijkmanager knows the buurt. The map must not tell where that home is,
so the place is shown at the middle of its buurt (the representative point, always inside
the buurt), or at the middle of its wijk when the buurt is smaller than
:data:`MIN_AREA_M2` (a square of 500 by 500 metres: the point then says no more than "within
about 250 metres of here" would). The exact point is only used to find the area; it is
kept nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from shapely.geometry import Point

from asset_map.crs import STORAGE_CRS, WORK_CRS, require_crs

#: The smallest area a private home is shown in: 500 m x 500 m.
MIN_AREA_M2 = 500.0 * 500.0


@dataclass(frozen=True)
class Located:
    """The area a point lies in, and where a place there may be shown.

    Attributes
    ----------
    buurt_code : str or None
        The buurt holding the point (None when the areas hold wijken only).
    wijk_code : str or None
        The wijk holding the point (its buurt's parent, or the wijk polygon).
    lon, lat : float
        Where the place is shown (WGS84): the point itself, or for a private home the
        middle of its buurt or wijk.
    shown_at : str
        ``"point"``, ``"buurt"`` or ``"wijk"``.
    """

    buurt_code: str | None
    wijk_code: str | None
    lon: float
    lat: float
    shown_at: str


def _holding(areas: gpd.GeoDataFrame, level: str, point: Point) -> gpd.GeoDataFrame:
    chosen = areas[areas["level"] == level]
    return chosen[chosen.geometry.covers(point)]


def locate(
    areas: gpd.GeoDataFrame, lon: float, lat: float, *, private_home: bool
) -> Located | None:
    """Return the area of a point and where a place there may be shown; None outside.

    Parameters
    ----------
    areas : GeoDataFrame
        Canonical areas (wijken and/or buurten) with a CRS.
    lon, lat : float
        The point (WGS84).
    private_home : bool
        The place is at someone's home: show it at the middle of its buurt, or of its wijk
        when the buurt is smaller than :data:`MIN_AREA_M2`.

    Returns
    -------
    Located or None
        None when no buurt (or, without buurten, no wijk) holds the point.
    """
    require_crs(areas, "areas")
    areas = areas.to_crs(STORAGE_CRS)
    point = Point(lon, lat)
    has_buurten = bool((areas["level"] == "buurt").any())
    buurt = _holding(areas, "buurt", point) if has_buurten else areas.iloc[0:0]
    if has_buurten and buurt.empty:
        return None
    wijk_code = str(buurt["parent_code"].iloc[0]) if len(buurt) else None
    wijk = areas[(areas["level"] == "wijk") & (areas["code"].astype(str) == wijk_code)]
    if wijk.empty:
        wijk = _holding(areas, "wijk", point)
        wijk_code = str(wijk["code"].iloc[0]) if len(wijk) else wijk_code
    if not has_buurten and wijk.empty:
        return None
    buurt_code = str(buurt["code"].iloc[0]) if len(buurt) else None
    if not private_home:
        return Located(buurt_code, wijk_code, float(lon), float(lat), "point")
    shape, shown_at = (buurt, "buurt") if len(buurt) else (wijk, "wijk")
    rd = shape.iloc[[0]].to_crs(WORK_CRS)
    if shown_at == "buurt" and float(rd.geometry.area.iloc[0]) < MIN_AREA_M2 and len(wijk):
        shape, shown_at = wijk, "wijk"
        rd = shape.iloc[[0]].to_crs(WORK_CRS)
    middle = rd.geometry.make_valid().representative_point().to_crs(STORAGE_CRS).iloc[0]
    return Located(buurt_code, wijk_code, float(middle.x), float(middle.y), shown_at)
