"""Combine new layers with the stored workspace, by one rule, and save them in one go.

Everything is downloaded (:mod:`asset_map.services.fetch`) or read
(:mod:`asset_map.services.imports`) first; :func:`combine` then puts it into the current
workspace by one rule (the same gemeente: areas and re-delivered sources replaced, other
sources kept; another gemeente or the demo: replaced whole), and the result is saved at the
end, in one transaction (:meth:`asset_map.storage.Store.save_workspace`). A download that
fails halfway therefore leaves the workspace as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import SchemaError
from asset_map.analysis.area_levels import (
    LevelMerge,
    files_of_levels,
    keep_levels,
    levels_of,
    merge_levels,
    with_levels,
)
from asset_map.analysis.duplicate_groups import duplicate_groups
from asset_map.analysis.duplicates import find_duplicates, merge_duplicates
from asset_map.crs import to_storage_crs
from asset_map.i18n import Msg
from asset_map.io.cells import list_some
from asset_map.io.osm import OSM_ATTRIBUTION
from asset_map.model import ASSET_COLUMNS, FOOTPRINT

if TYPE_CHECKING:
    from asset_map.storage import Store


@dataclass
class Loaded:
    """Layers ready to be saved, with their sources and what happened on the way.

    ``decisions`` are the pairs of likely duplicates found while combining; ``groups`` and
    ``grouped`` the same per group and per place
    (:func:`~asset_map.analysis.duplicate_groups.duplicate_groups`).
    """

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    meta: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    grouped: pd.DataFrame = field(default_factory=pd.DataFrame)


def cbs_source(year: int) -> dict[str, Any]:
    """Return the source entry of the CBS wijk- en buurtkaart of ``year``."""
    return {
        "name": f"CBS/Kadaster wijk- en buurtkaart {year} (PDOK)",
        "licence": "CC BY 4.0",
        "year": year,
        "layer": "areas",
    }


def osm_source() -> dict[str, Any]:
    """Return the source entry of OpenStreetMap (ODbL: the attribution must be shown)."""
    return {
        "name": OSM_ATTRIBUTION,
        "licence": "ODbL 1.0",
        "year": date.today().year,
        "layer": "assets",
    }


def gemeente_of(loaded: Loaded) -> str | None:
    """Return the CBS code of the gemeente ``loaded`` is about (``"GM0150"``), or None.

    The code in ``meta["gemeentecode"]`` when given, else the gemeente most wijken and buurten
    belong to (CBS codes hold it: ``WK015004`` and ``BU01500401`` are in ``GM0150``).
    """
    code = loaded.meta.get("gemeentecode")
    if code:
        return str(code).upper()
    codes = loaded.areas["code"].dropna().astype(str).str.upper() if len(loaded.areas) else None
    if codes is None:
        return None
    digits = codes[codes.str.match(r"^(WK|BU)\d{6}")].str[2:6]
    gemeenten = codes[codes.str.match(r"^GM\d{4}$")].str[2:6]
    found = digits if len(digits) else gemeenten
    return f"GM{found.value_counts().index[0]}" if len(found) else None


def replaces_other_gemeente(current: Loaded | None, new: Loaded) -> str | None:
    """Return the name of the gemeente that ``new`` would replace whole, or None.

    :func:`combine` replaces the workspace whole, the user's own lists too, when ``new`` is
    about another gemeente than the stored, non-demo ``current``: ask before doing that.
    """
    if current is None or current.meta.get("is_demo"):
        return None
    here, there = gemeente_of(current), gemeente_of(new)
    if here and there and here != there:
        return str(current.meta.get("name") or here)
    return None


def area_levels(current: Loaded | None, new: Loaded) -> LevelMerge | None:
    """Return how :func:`combine` would put the new areas beside the stored ones, or None.

    None when ``new`` brings no areas, or replaces the workspace whole (there is none yet,
    it is the demo, or another gemeente). Otherwise see
    :func:`asset_map.analysis.area_levels.merge_levels`: a non-empty ``removed`` means that
    stored areas of another level do not fit the new ones; ask before combining with
    ``replace_levels=True``.
    """
    if current is None or not len(new.areas) or current.meta.get("is_demo"):
        return None
    here, there = gemeente_of(current), gemeente_of(new)
    if here and there and here != there:
        return None
    return merge_levels(current.areas, new.areas, files=files_of_levels(new.meta, new.areas))


def combine(
    current: Loaded | None,
    new: Loaded,
    *,
    replace_assets: bool = False,
    replace_levels: bool = False,
) -> Loaded:
    """Put ``new`` layers into the ``current`` workspace: the one rule for fetch and import.

    - No workspace yet: ``new`` is the workspace.
    - The demo, or another gemeente than ``current`` (see :func:`gemeente_of`): ``new``
      replaces the workspace whole, with a note saying so.
    - Otherwise new areas replace the current ones of the same level(s) (wijken replace
      wijken); the current areas of other levels stay when they fit (a buurt's wijk is
      among the wijken), with the key figures joined onto them. A note says per level what
      was added, replaced and kept (:func:`area_levels`). Stored areas that do not fit the
      new ones are removed only with ``replace_levels``. The ``meta["sources"]`` entries of
      areas and figures say which levels they are about (``levels``); an entry whose levels
      are all replaced goes. Assets are kept per source:
      the current assets of a source that ``new`` brings again (e.g. OpenStreetMap on a
      second fetch, or a file imported again under the same source name) are replaced by the
      new list; other sources stay. An id only has to be unique within its source: new rows
      whose id another source already uses get a new id (a short slug of their source in
      front). Likely duplicates across sources (same type, within 30 m, similar names) are
      merged; ``decisions`` lists every pair found and what was done with it.

    Parameters
    ----------
    current : Loaded or None
        The workspace as stored (:func:`current`), or None when there is none.
    new : Loaded
        What was just downloaded or read.
    replace_assets : bool
        Drop all current assets, not just those of the sources ``new`` brings again.
    replace_levels : bool
        Remove stored areas of another level that do not fit the new areas (the user said
        yes); without it they are refused.

    Returns
    -------
    Loaded
        The workspace to save; ``notes`` (:class:`~asset_map.i18n.Msg`) say what was
        replaced, renamed and merged.

    Raises
    ------
    SchemaError
        When stored areas of another level do not fit the new ones and ``replace_levels``
        is not given; the message names the file and what would go.
    """
    if current is None:
        return replace(new, meta=with_levels(new.meta, new.areas))
    here, there = gemeente_of(current), gemeente_of(new)
    if current.meta.get("is_demo"):
        note = Msg("note.sources.demo_replaced", name=new.meta.get("name") or there or "")
        return replace(new, meta=with_levels(new.meta, new.areas), notes=[*new.notes, note])
    if here and there and here != there:
        note = Msg(
            "note.sources.other_gemeente",
            old=current.meta.get("name") or here,
            new=new.meta.get("name") or there,
        )
        return replace(new, meta=with_levels(new.meta, new.areas), notes=[*new.notes, note])
    notes: list[str] = list(new.notes)
    levels = area_levels(current, new)
    areas = current.areas
    if levels is not None:
        if levels.removed and not replace_levels:
            raise SchemaError(
                Msg("err.areas.levels_do_not_fit", why=levels.misfit, gone=levels.gone())
            )
        areas = levels.areas
        notes.append(levels.note())
    kept = to_storage_crs(current.assets)
    incoming = to_storage_crs(new.assets)
    again = set(incoming["source"].dropna().astype(str).unique()) - {""}
    gone = kept["source"].map(lambda s: _parts(s) <= again) if len(kept) else pd.Series([])
    if replace_assets:
        gone = pd.Series(True, index=kept.index)
    for source, n in kept.loc[gone.to_numpy(dtype=bool), "source"].value_counts().items():
        notes.append(Msg("note.sources.replaced", source=source, n=int(n)))
    kept = kept[~gone.to_numpy(dtype=bool)]
    incoming, clash_notes = _fresh_ids(incoming, taken=set(kept["id"].astype(str)))
    notes += clash_notes
    frames = [kept, incoming]
    outlines = pd.concat(
        [f.set_index("id")[FOOTPRINT] for f in frames if FOOTPRINT in f.columns]
        or [pd.Series(dtype="object")]
    )
    both = pd.concat([f[ASSET_COLUMNS] for f in frames], ignore_index=True)
    assets = gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")
    duplicate_notes: list[str] = []
    pairs = find_duplicates(assets, notes=duplicate_notes)
    merged, log = merge_duplicates(assets, pairs)
    groups, grouped = duplicate_groups(assets, pairs, log)
    outlines = outlines[~outlines.index.duplicated(keep="last")].dropna()
    if len(outlines):
        merged[FOOTPRINT] = merged["id"].map(outlines)
    before, after = current.meta.get("sources", []), new.meta.get("sources", [])
    first: list[dict[str, Any]] = []
    if levels is not None:  # the replaced areas, and the figures joined onto them, are gone
        stored = levels_of(current.areas)
        before = [
            kept_entry
            for entry in before
            if (kept_entry := keep_levels(entry, levels.gone_levels, stored)) is not None
        ]
        first = [e for e in before if e.get("layer") == "areas"]
        first += [
            e
            for e in with_levels(new.meta, new.areas).get("sources", [])
            if e.get("layer") == "areas"
        ]
        before = [e for e in before if e.get("layer") != "areas"]
        after = [e for e in after if e.get("layer") != "areas"]
    meta = {
        **current.meta,
        **{k: v for k, v in new.meta.items() if k != "sources"},
        "sources": [*first, *merge_sources(before, after)],
    }
    notes += [duplicates_note(pairs), *duplicate_notes]
    return Loaded(areas, merged.reset_index(drop=True), meta, notes, pairs, groups, grouped)


def merge_sources(current: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the source list with ``new`` entries added.

    An entry with the same name and layer (``"areas"``, ``"assets"``, ``"figures"``; an entry
    without a layer matches any) as a current one replaces it in place: an updated list or a
    newer year. Entries that name their ``file`` (key figures) match only the same file.
    """

    def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
        layers = {a.get("layer"), b.get("layer")} - {None}
        files = {a.get("file"), b.get("file")} - {None}
        return a.get("name") == b.get("name") and len(layers) <= 1 and len(files) <= 1

    out = [next((e for e in new if same(e, old)), old) for old in current]
    return [*out, *[e for e in new if not any(same(e, old) for old in current)]]


def duplicates_note(pairs: pd.DataFrame) -> Msg:
    """Return the note that says how many likely duplicates were merged (1 or n)."""
    n = int((pairs["decision"] == "merge").sum()) if len(pairs) else 0
    return Msg("note.sources.duplicate_one" if n == 1 else "note.sources.duplicates", n=n)


def _parts(source: object) -> set[str]:
    """Return the sources a merged asset came from (``"A + B"`` -> ``{"A", "B"}``)."""
    return {p.strip() for p in str(source or "").split(" + ")}


def source_slug(name: str) -> str:
    """Return a short id prefix for a source: ``"Bibliotheek Amsterdam"`` -> ``"bibliothee"``."""
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:10]
    return slug or "bron"


def _fresh_ids(assets: gpd.GeoDataFrame, *, taken: set[str]) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give new ids to the rows of each source with an id in ``taken``.

    All rows of such a source get its slug in front (``"1"`` of "Parken" -> ``"parken-1"``),
    not only the clashing ones, so one source's ids look alike and stay the same when the
    same file is imported again.
    """
    ids = assets["id"].astype(str)
    sources = assets["source"].fillna("").astype(str)
    clashing = set(sources[ids.isin(taken)])
    if not clashing:
        return assets, []
    out = assets.copy()
    used = taken | set(ids)
    new_ids = ids.tolist()
    renamed: dict[str, list[str]] = {}
    for i in np.flatnonzero(sources.isin(clashing).to_numpy()):
        prefix = source_slug(sources.iloc[i])
        candidate, k = f"{prefix}-{new_ids[i]}", 2
        while candidate in used:
            candidate, k = f"{prefix}-{new_ids[i]}-{k}", k + 1
        used.add(candidate)
        new_ids[i] = candidate
        renamed.setdefault(sources.iloc[i], []).append(candidate)
    out["id"] = new_ids
    notes: list[str] = [
        Msg(
            "note.sources.id_clash",
            n=len(names),
            source=source,
            prefix=source_slug(source) + "-",
            examples=list_some(names),
        )
        for source, names in renamed.items()
    ]
    return out, notes


def current(store: Store) -> Loaded | None:
    """Return the workspace in ``store`` as :class:`Loaded`, or None when there is none."""
    loaded = store.load_workspace()
    if loaded is None:
        return None
    areas, assets, meta = loaded
    return Loaded(areas, assets, meta)


def save(
    store: Store, loaded: Loaded, *, actor: str, expected_version: str | None = None
) -> list[str]:
    """Save the layers as the workspace (all or nothing).

    Activities and place needs of places that are no longer in ``loaded.assets`` are deleted
    by the store; a note saying how many is returned and added to ``loaded.notes``. With
    ``expected_version`` (the workspace version the layers were combined from), a workspace
    changed meanwhile is not overwritten: ``WorkspaceChanged`` is raised.
    """
    ids = set(loaded.assets["id"].astype(str))
    activities = store.activities()
    needs = store.place_needs()
    lost_a = int((~activities["asset_id"].astype(str).isin(ids)).sum()) if len(activities) else 0
    lost_n = int((~needs["asset_id"].astype(str).isin(ids)).sum()) if len(needs) else 0
    store.save_workspace(
        loaded.areas,
        loaded.assets,
        meta=loaded.meta,
        actor=actor,
        expected_version=expected_version,
    )
    notes: list[str] = []
    if lost_a or lost_n:
        notes.append(Msg("note.sources.orphans", activities=lost_a, needs=lost_n))
    loaded.notes.extend(notes)
    return notes
