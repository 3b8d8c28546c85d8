"""Coordinate reference systems: the rules every frame that crosses a module boundary obeys.

Store and display in WGS84 (EPSG:4326); measure distances and areas only in RD New
(EPSG:28992), the national projected CRS of the Netherlands.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from asset_map._errors import CRSError
from asset_map.i18n import Msg

WGS84 = CRS.from_epsg(4326)
RD_NEW = CRS.from_epsg(28992)
STORAGE_CRS = WGS84
WORK_CRS = RD_NEW

#: The Netherlands (European part, with its coastal waters) in WGS84: lon_min, lat_min,
#: lon_max, lat_max. Generous by a few km so border towns and the Wadden fit.
NL_BOUNDS_WGS84 = (3.2, 50.7, 7.3, 53.7)
#: The same in RD New metres (the RD grid is only defined over this area).
NL_BOUNDS_RD = (-7000.0, 289000.0, 300000.0, 629000.0)


def parse_crs(value: str | int | CRS) -> CRS:
    """Turn ``"EPSG:28992"``, ``28992``, ``"RD"`` or ``"WGS84"`` into a pyproj CRS.

    Raises
    ------
    CRSError
        When pyproj does not know the CRS; the message lists the two common ones.
    """
    if isinstance(value, CRS):
        return value
    aliases = {"rd": RD_NEW, "rd new": RD_NEW, "rdnew": RD_NEW, "wgs84": WGS84, "lonlat": WGS84}
    key = str(value).strip().lower()
    if key in aliases:
        return aliases[key]
    try:
        return CRS.from_user_input(int(key) if key.isdigit() else value)
    except PyprojCRSError:
        raise CRSError(Msg("err.crs.unknown", value=value)) from None


def require_crs(frame: gpd.GeoDataFrame, what: str = "frame") -> CRS:
    """Return the frame's CRS, or raise when it has none.

    Raises
    ------
    CRSError
        When ``frame.crs`` is None.
    """
    if frame.crs is None:
        raise CRSError(Msg("err.crs.missing", what=what))
    return CRS.from_user_input(frame.crs)


def to_work_crs(frame: gpd.GeoDataFrame, what: str = "frame") -> gpd.GeoDataFrame:
    """Return a copy in RD New (EPSG:28992), the CRS to measure in."""
    require_crs(frame, what)
    return frame.to_crs(WORK_CRS)


def to_storage_crs(frame: gpd.GeoDataFrame, what: str = "frame") -> gpd.GeoDataFrame:
    """Return a copy in WGS84 (EPSG:4326), the CRS to store and display in."""
    require_crs(frame, what)
    if CRS.from_user_input(frame.crs) == STORAGE_CRS:
        return frame.copy()
    return frame.to_crs(STORAGE_CRS)


def require_same_crs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, names: tuple[str, str]) -> None:
    """Raise when the two frames have different CRSs; the message names both and the fix."""
    ca, cb = require_crs(a, names[0]), require_crs(b, names[1])
    if ca != cb:
        raise CRSError(
            Msg(
                "err.crs.mismatch",
                a=names[0],
                crs_a=ca.to_string(),
                b=names[1],
                crs_b=cb.to_string(),
            )
        )


def outside_netherlands(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return a boolean mask of WGS84 points outside the Netherlands' bounding box."""
    x0, y0, x1, y1 = NL_BOUNDS_WGS84
    return ~((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))


def guess_coordinate_mixup(x: float, y: float) -> str:
    """Return a hint for a point outside the Netherlands, or an empty string.

    The usual causes: RD New metres read as degrees, or latitude and longitude swapped.

    Returns
    -------
    str
        The hint as an :class:`~asset_map.i18n.Msg` that starts with a space (so it can
        follow a sentence); its plain ``str`` is the English text, ``i18n.localise`` gives
        it in Dutch. ``""`` when neither cause fits. (Typed ``str`` so callers may put
        a plain text of their own in the same variable.)
    """
    rx0, ry0, rx1, ry1 = NL_BOUNDS_RD
    wx0, wy0, wx1, wy1 = NL_BOUNDS_WGS84
    if rx0 <= x <= rx1 and ry0 <= y <= ry1 and (abs(x) > 180 or abs(y) > 90):
        return Msg("err.crs.hint_rd_metres")
    if wx0 <= y <= wx1 and wy0 <= x <= wy1:
        return Msg("err.crs.hint_swapped")
    return ""
