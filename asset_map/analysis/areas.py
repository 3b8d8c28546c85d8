"""Which wijk and buurt each asset lies in, and the selection a user filters to."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from asset_map.crs import require_same_crs


def assign_areas(assets: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``assets`` with ``buurt_code`` and ``wijk_code`` columns.

    Each point gets the buurt whose polygon holds it (the first one, should buurten
    overlap), and that buurt's wijk. A point in no buurt but in a wijk gets only the wijk;
    a point outside all areas gets neither (missing values).

    Parameters
    ----------
    assets : GeoDataFrame
        Assets with point geometry.
    areas : GeoDataFrame
        Areas with ``code``, ``level`` and ``parent_code``, in the same CRS as ``assets``.
    """
    require_same_crs(assets, areas, ("assets", "areas"))
    out = assets.copy()
    out["buurt_code"] = _point_in(assets, areas[areas["level"] == "buurt"])
    out["wijk_code"] = _point_in(assets, areas[areas["level"] == "wijk"])
    parents = areas.set_index("code")["parent_code"]
    from_buurt = out["buurt_code"].map(parents)
    out["wijk_code"] = from_buurt.where(from_buurt.notna(), out["wijk_code"])
    return out


def _point_in(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> pd.Series:
    """Return, per point, the ``code`` of the first polygon that holds it (or missing)."""
    if polygons.empty or points.empty:
        return pd.Series(pd.NA, index=points.index, dtype="object")
    joined = gpd.sjoin(
        points[["geometry"]], polygons[["code", "geometry"]], how="left", predicate="intersects"
    )
    first = joined[~joined.index.duplicated(keep="first")]
    return first["code"].reindex(points.index).astype("object")


def select_assets(
    assets: gpd.GeoDataFrame,
    *,
    wijken: Iterable[str] = (),
    buurten: Iterable[str] = (),
    types: Iterable[str] = (),
) -> gpd.GeoDataFrame:
    """Return the assets in the chosen wijken and buurten and of the chosen types.

    An empty choice means "all". Buurten narrow the wijken: choosing wijk A and buurt B
    (in A) gives only B. ``assets`` must have been through :func:`assign_areas`.
    """
    mask = pd.Series(True, index=assets.index)
    wijken, buurten, types = list(wijken), list(buurten), list(types)
    if buurten:
        mask &= assets["buurt_code"].isin(buurten)
    elif wijken:
        mask &= assets["wijk_code"].isin(wijken)
    if types:
        mask &= assets["type"].isin(types)
    return assets[mask]


def open_assets(assets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the assets that are not closed: what public maps and lists show.

    A closed place (``status`` ``closed``) stays in the workspace as history and for staff;
    it counts nowhere and is left off the public map, the activities and the flyer.
    """
    return assets[assets["status"].astype(str) != "closed"]


def select_areas(
    areas: gpd.GeoDataFrame, *, wijken: Iterable[str] = (), buurten: Iterable[str] = ()
) -> gpd.GeoDataFrame:
    """Return the wijken and buurten that match the same choice as :func:`select_assets`."""
    wijken, buurten = list(wijken), list(buurten)
    if not wijken and not buurten:
        return areas[areas["level"] != "gemeente"]
    if buurten:
        chosen_buurten = areas["code"].isin(buurten)
        wijken = sorted(set(areas.loc[chosen_buurten, "parent_code"].dropna()) | set(wijken))
    else:
        chosen_buurten = (areas["level"] == "buurt") & areas["parent_code"].isin(wijken)
    chosen_wijken = (areas["level"] == "wijk") & areas["code"].isin(wijken)
    return areas[chosen_buurten | chosen_wijken]
