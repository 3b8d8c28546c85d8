"""What changed in a source: places it lists anew, no longer lists, or lists with other values.

A source's list is compared with what the same source said last time (its *records*), never
with the stored places: a place edited here is not a change of the source. Both sides are
plain dicts ``{source id: record}``, a record being the JSON-able values of
:data:`COMPARED` (:func:`record_of`). Nothing here reads or writes the database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

#: The fields a refresh compares; the point as ``lon``/``lat`` (degrees, EPSG:4326).
COMPARED = (
    "name",
    "type",
    "description",
    "address",
    "tags",
    "status",
    "capacity",
    "opening_hours",
    "lon",
    "lat",
)
#: Coordinates are compared to 6 decimals (about 0.1 m): a re-projection is no move.
DEGREE_DECIMALS = 6

Record = dict[str, Any]


@dataclass(frozen=True)
class SourceChange:
    """One change of a source's list.

    Attributes
    ----------
    kind : {"new", "gone", "changed"}
        Listed anew, no longer listed, or listed with other values.
    source_id : str
        The place's id in the source (``osm:node/123``, a file's id).
    fields : tuple of str
        The fields that changed (for ``new`` and ``gone``: empty).
    old, new : dict
        The record before and after (``{}`` for a new or a gone place).
    """

    kind: str
    source_id: str
    fields: tuple[str, ...] = ()
    old: Record = field(default_factory=dict)
    new: Record = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """Return a JSON-able value: missing and NaN as None, text stripped, numbers as float."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return float(value)
    try:
        if value != value:  # pandas NA and the like
            return None
    except (TypeError, ValueError):
        return None
    return str(value)


def record_of(row: Mapping[str, Any]) -> Record:
    """Return the record of one asset row (a mapping with ``model.ASSET_COLUMNS``)."""
    out: Record = {name: _plain(row.get(name)) for name in COMPARED if name not in ("lon", "lat")}
    point = row.get("geometry")
    if point is None or getattr(point, "is_empty", True):
        out["lon"] = out["lat"] = None
    else:
        out["lon"] = round(float(point.x), DEGREE_DECIMALS)
        out["lat"] = round(float(point.y), DEGREE_DECIMALS)
    return out


def records_of(assets: gpd.GeoDataFrame) -> dict[str, Record]:
    """Return ``{id: record}`` for every row of an asset frame (EPSG:4326)."""
    if len(assets) and assets.crs is not None and not assets.crs.equals("EPSG:4326"):
        assets = assets.to_crs("EPSG:4326")
    return {str(row["id"]): record_of(row) for row in assets.to_dict("records")}


def diff_records(before: Mapping[str, Record], after: Mapping[str, Record]) -> list[SourceChange]:
    """Return the changes from ``before`` to ``after``: new, gone, changed, each by source id.

    A field counts as changed when its value differs (missing and empty text are the same);
    ``lon`` and ``lat`` change together. The list is sorted by kind (new, gone, changed),
    then by source id.
    """
    changes: list[SourceChange] = []
    for sid in sorted(set(after) - set(before)):
        changes.append(SourceChange("new", sid, new=dict(after[sid])))
    for sid in sorted(set(before) - set(after)):
        changes.append(SourceChange("gone", sid, old=dict(before[sid])))
    for sid in sorted(set(before) & set(after)):
        old, new = before[sid], after[sid]
        fields = [n for n in COMPARED if _plain(old.get(n)) != _plain(new.get(n))]
        if "lon" in fields or "lat" in fields:
            fields = [n for n in fields if n not in ("lon", "lat")] + ["lon", "lat"]
        if fields:
            changes.append(
                SourceChange(
                    "changed",
                    sid,
                    tuple(fields),
                    {n: old.get(n) for n in fields},
                    {n: new.get(n) for n in fields},
                )
            )
    return changes
