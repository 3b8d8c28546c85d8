"""Put new wijken and buurten beside the stored ones: a level replaced, the others kept.

CBS areas nest by code: buurt ``BU01500401`` lies in wijk ``WK015004``, which lies in
gemeente ``GM0150`` (``parent_code``). New areas replace the stored areas of the same level
(wijken replace wijken); the stored areas of the other levels stay when they fit the new
ones: every stored buurt's wijk is among the new wijken, or every new buurt's wijk is among
the stored ones. When they do not fit (another gemeente, or another year's layout), the
stored level that does not fit has to go, and the caller asks first (:attr:`LevelMerge.removed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from asset_map.i18n import Msg
from asset_map.model import AREA_LEVELS

#: The level each level lies in.
PARENT_LEVEL = {"wijk": "gemeente", "buurt": "wijk"}
_PLURAL = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def level_count(level: str, n: int) -> str:
    """Return ``"1 wijk"`` or ``"15 wijken"`` (the CBS words, the same in Dutch and English)."""
    return f"{n} {level if n == 1 else _PLURAL.get(level, level)}"


def level_counts(areas: pd.DataFrame) -> dict[str, int]:
    """Return the number of areas per level, in the order gemeente, wijk, buurt."""
    counts = areas["level"].value_counts() if len(areas) else pd.Series(dtype="int64")
    return {lvl: int(counts[lvl]) for lvl in AREA_LEVELS if lvl in counts.index}


def join_msgs(parts: list[Msg]) -> Msg | str:
    """Join notes with commas, each part still in the reader's language."""
    if not parts:
        return ""
    joined: Msg = parts[0]
    for part in parts[1:]:
        joined = Msg("note.areas.join", first=joined, then=part)
    return joined


@dataclass(frozen=True)
class LevelMerge:
    """What putting new areas beside the stored ones gives, and what it costs.

    Attributes
    ----------
    areas : GeoDataFrame
        The stored areas of the levels kept, then the new areas. Stored levels that do not
        fit the new areas are not in it (see ``removed``).
    stored, new : dict of str to int
        The number of stored and of new areas per level.
    kept : dict of str to int
        Stored areas per level that stay (their level is not in the new areas, and fits).
    removed : dict of str to int
        Stored areas per level that go because they do not fit the new ones. Empty when
        everything fits; otherwise ask the user before saving.
    misfit : Msg or None
        Why the first level that goes does not fit, naming the file at fault.
    """

    areas: gpd.GeoDataFrame
    stored: dict[str, int]
    new: dict[str, int]
    kept: dict[str, int]
    removed: dict[str, int]
    misfit: Msg | None

    @property
    def gone_levels(self) -> set[str]:
        """The levels whose stored areas are no longer there (replaced or removed)."""
        return (set(self.stored) & set(self.new)) | set(self.removed)

    def gone(self) -> Msg | str:
        """Say which stored areas would go because they do not fit ("the 68 stored buurten")."""
        return join_msgs(
            [
                Msg("note.areas.stored_n", n=n, noun=_PLURAL[lvl] if n != 1 else lvl)
                for lvl, n in self.removed.items()
            ]
        )

    def note(self) -> Msg:
        """Say per level what happened: added, replaced, kept or removed."""
        parts: list[Msg] = []
        for lvl in AREA_LEVELS:
            if lvl in self.new and lvl in self.stored:
                what = level_count(lvl, self.stored[lvl])
                parts.append(Msg("note.areas.level_replaced", what=what, n=self.new[lvl]))
            elif lvl in self.new:
                parts.append(Msg("note.areas.level_added", what=level_count(lvl, self.new[lvl])))
            elif lvl in self.removed:
                what = level_count(lvl, self.removed[lvl])
                parts.append(Msg("note.areas.level_removed", what=what))
            elif lvl in self.kept:
                parts.append(Msg("note.areas.level_kept", what=level_count(lvl, self.kept[lvl])))
        return Msg("note.areas.levels", parts=join_msgs(parts))


def merge_levels(
    stored: gpd.GeoDataFrame,
    new: gpd.GeoDataFrame,
    *,
    files: Mapping[str, str] | None = None,
) -> LevelMerge:
    """Return the stored areas with ``new`` put in: levels replaced, the others kept if they fit.

    Parameters
    ----------
    stored : GeoDataFrame
        The areas stored now (``model.AREA_COLUMNS``).
    new : GeoDataFrame
        The areas just read, of one or more levels.
    files : mapping of str to str, optional
        The file (or source) each new level comes from, to name it when it does not fit.

    Returns
    -------
    LevelMerge
        The merged areas without the stored levels that do not fit, and the counts. The
        inputs are not changed.
    """
    files = dict(files or {})
    new_counts = level_counts(new)
    removed: list[str] = []
    misfit: Msg | None = None
    while True:
        kept = stored[~stored["level"].isin([*new_counts, *removed])]
        found = _first_misfit(kept, new, files)
        if found is None:
            break
        level, why = found
        removed.append(level)
        misfit = why if misfit is None else misfit
    frames = [f for f in (kept, new) if len(f)]
    crs = new.crs or stored.crs
    if frames:
        areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
    else:
        areas = new.iloc[0:0].copy()
    stored_counts = level_counts(stored)
    return LevelMerge(
        areas=areas,
        stored=stored_counts,
        new=new_counts,
        kept=level_counts(kept),
        removed={lvl: stored_counts[lvl] for lvl in AREA_LEVELS if lvl in removed},
        misfit=misfit,
    )


def _first_misfit(
    kept: pd.DataFrame, new: pd.DataFrame, files: Mapping[str, str]
) -> tuple[str, Msg] | None:
    """Return the stored level that does not fit the new areas, and why; None when all fit.

    The levels of ``kept`` and ``new`` never overlap, so for each pair of levels (buurt in
    wijk, wijk in gemeente) either the children or the parents are the stored ones. A
    child without a parent code fits nowhere: where it lies cannot be told.
    """
    for child, parent in (("buurt", "wijk"), ("wijk", "gemeente")):
        for children, parents, stored_side in (
            (new, kept, parent),  # new children under stored parents: the parents go
            (kept, new, child),  # stored children under new parents: the children go
        ):
            under = children[children["level"] == child]
            above = parents[parents["level"] == parent]
            if not len(under) or not len(above):
                continue
            outside = ~under["parent_code"].isin(set(above["code"].astype(str)))
            if not outside.any():
                continue
            first = under[outside].iloc[0]
            fields = {
                "n": int(outside.sum()),
                "total": len(under),
                "children": _PLURAL[child],
                "parents": _PLURAL[parent],
                "example": str(first["code"]),
                "parent": str(first["parent_code"]) if pd.notna(first["parent_code"]) else "-",
            }
            if stored_side == parent:
                why = Msg("err.areas.new_outside_stored", file=files.get(child, "?"), **fields)
            else:
                why = Msg("err.areas.stored_outside_new", file=files.get(parent, "?"), **fields)
            return stored_side, why
    return None


# --- the source entries of areas and figures, per level ---------------------------------------


def levels_of(areas: pd.DataFrame) -> list[str]:
    """Return the levels of ``areas`` in the order gemeente, wijk, buurt."""
    found = set(areas["level"].dropna()) if len(areas) else set()
    return [level for level in AREA_LEVELS if level in found]


def with_levels(meta: dict[str, Any], areas: pd.DataFrame) -> dict[str, Any]:
    """Return ``meta`` with the levels of ``areas`` in each areas entry that lacks its own."""
    present = levels_of(areas)
    entries = [
        {**e, "levels": present} if e.get("layer") == "areas" and "levels" not in e else e
        for e in meta.get("sources", [])
    ]
    return {**meta, "sources": entries} if "sources" in meta else dict(meta)


def files_of_levels(meta: dict[str, Any], areas: pd.DataFrame) -> dict[str, str]:
    """Return the file (or source name) each level of ``areas`` comes from, by ``meta``."""
    found: dict[str, str] = {}
    present = levels_of(areas)
    for entry in meta.get("sources", []):
        if entry.get("layer") != "areas":
            continue
        for level in entry.get("levels") or present:
            found.setdefault(level, str(entry.get("file") or entry.get("name") or ""))
    return found


def keep_levels(entry: dict[str, Any], gone: set[str], stored: list[str]) -> dict[str, Any] | None:
    """Return an areas or figures entry without the levels that are ``gone``; None if none stay.

    An entry that does not say its levels (saved before entries did) is taken to be about
    every ``stored`` level. Other entries (assets) are returned as they are.
    """
    if entry.get("layer") not in ("areas", "figures"):
        return entry
    levels = [level for level in entry.get("levels") or stored if level not in gone]
    return {**entry, "levels": levels} if levels else None
