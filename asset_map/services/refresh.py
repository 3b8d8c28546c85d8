"""Refresh from the sources: take a new list of a source in for review, not blindly.

``asset-map fetch``, ``asset-map import`` and the Gegevens screen call
:func:`refresh_into` instead of a plain import. A source the workspace holds already (e.g.
OpenStreetMap on a second fetch, an own file imported again under the same source name) is
not replaced: its new list is compared with what the source said last time
(:mod:`asset_map.analysis.source_changes`), and the places it lists anew, no longer lists,
or lists with other values are stored as changes for review (:func:`decide`). Until then the
stored places stay as they are; local edits and staff decisions (a merge, a type change, a
place marked closed, an edit by hand) are never overwritten, and a place is deleted only
when its ``gone`` change is accepted. Everything else (areas, new sources) is combined and
saved as before (:func:`asset_map.services.imports.import_into`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from asset_map.analysis.source_changes import Record, diff_records, records_of
from asset_map.i18n import Msg
from asset_map.services.imports import import_into
from asset_map.services.sources import Loaded, current, gemeente_of, source_slug
from asset_map.storage import Store


@dataclass
class Refreshed:
    """What a refresh did: the workspace saved, and per held-back source its open changes."""

    loaded: Loaded
    listed: dict[str, dict[str, int]] = field(default_factory=dict)


def _parts(source: object) -> set[str]:
    return {p.strip() for p in str(source or "").split(" + ") if p.strip()}


def held_sources(current_ws: Loaded | None, new: Loaded) -> set[str]:
    """Return the sources of ``new``'s places that the stored workspace holds already.

    None when there is no workspace, it is the demo, or ``new`` is about another gemeente
    (then the workspace is replaced whole, as before).
    """
    if current_ws is None or current_ws.meta.get("is_demo") or not len(new.assets):
        return set()
    here, there = gemeente_of(current_ws), gemeente_of(new)
    if here and there and here != there and len(new.areas):
        return set()
    stored: set[str] = set()
    for source in current_ws.assets["source"].dropna():
        stored |= _parts(source)
    incoming = {str(s) for s in new.assets["source"].dropna() if str(s)}
    return incoming & stored


def _of_source(assets: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    mask = assets["source"].map(lambda s: source in _parts(s)).to_numpy(dtype=bool)
    return assets[mask]


def _basis(store: Store, stored: gpd.GeoDataFrame, source: str) -> dict[str, tuple[str, Record]]:
    """Return what ``source`` said last; before its first refresh, its stored places."""
    known = store.source_records(source)
    if known:
        return known
    return {sid: (sid, rec) for sid, rec in records_of(_of_source(stored, source)).items()}


def plan(
    store: Store, stored: gpd.GeoDataFrame, source: str, incoming: gpd.GeoDataFrame
) -> list[tuple[Any, str | None, str | None, list[str]]]:
    """Return the changes of ``source`` with, for each, its place, name and local edits.

    A change of a place deleted here is left out: deleting it was a decision.
    """
    basis = _basis(store, stored, source)
    if not store.source_records(source):  # pin the basis, so local edits stay local
        store.set_source_records(source, [(sid, aid, rec) for sid, (aid, rec) in basis.items()])
    after = records_of(incoming)
    local = store.local_fields()
    present = set(stored["id"].astype(str))
    out: list[tuple[Any, str | None, str | None, list[str]]] = []
    for change in diff_records({sid: rec for sid, (_a, rec) in basis.items()}, after):
        if change.kind == "new":
            out.append((change, None, change.new.get("name"), []))
            continue
        asset_id = basis[change.source_id][0]
        if asset_id not in present:
            continue
        edited = local.get(asset_id, set())
        kept = sorted(edited & set(change.fields)) if change.kind == "changed" else sorted(edited)
        name = change.new.get("name") or basis[change.source_id][1].get("name")
        out.append((change, asset_id, name, kept))
    return out


def _counts(found: Iterable[tuple[Any, Any, Any, Any]]) -> dict[str, int]:
    counts = {"new": 0, "gone": 0, "changed": 0}
    for change, *_rest in found:
        counts[change.kind] += 1
    return counts


def remember(store: Store, saved: Loaded, new: Loaded) -> None:
    """Record what each source of ``new`` said, for the next refresh to compare with.

    Each new row is found among the saved places by its id, its id with the source's slug
    in front (:func:`asset_map.services.sources.combine` renames clashing ids), or the
    place it was merged into (``saved.decisions``).
    """
    if not len(new.assets):
        return
    ids = set(saved.assets["id"].astype(str))
    merged: dict[str, str] = {}
    pairs = saved.decisions
    if len(pairs):
        for a, b, decision in zip(pairs["id_a"], pairs["id_b"], pairs["decision"], strict=True):
            if decision == "merge":
                merged[str(b)], merged[str(a)] = str(a), str(b)
    for source, rows in new.assets.groupby(new.assets["source"].fillna("").astype(str)):
        if not source:
            continue
        kept: list[tuple[str, str, Record]] = []
        for sid, rec in records_of(rows).items():
            slug = f"{source_slug(str(source))}-{sid}"
            asset_id = next(
                (c for c in (sid, slug, merged.get(sid), merged.get(slug)) if c in ids), None
            )
            if asset_id is not None:
                kept.append((sid, asset_id, rec))
        store.set_source_records(str(source), kept)


def _drop_stale(store: Store, saved: Loaded, new: Loaded) -> None:
    """Forget the undecided changes that no longer apply after a plain save.

    Those of a source whose places were just replaced (``replace_assets``, or a workspace
    replaced whole), and of a source that no longer has places in the workspace.
    """
    pending = store.refresh_changes()
    if pending.empty:
        return
    present: set[str] = set()
    for source in saved.assets["source"].dropna():
        present |= _parts(source)
    brought = {str(s) for s in new.assets["source"].dropna()} if len(new.assets) else set()
    stale = {s for s in pending["source"].astype(str) if s not in present or s in brought}
    store.drop_refresh_changes(sorted(stale))


def refresh_into(
    store: Store,
    new: Loaded,
    *,
    actor: str,
    replace_assets: bool = False,
    replace_levels: bool = False,
    figures: Path | None = None,
) -> Refreshed:
    """Save ``new`` into the workspace; list the changes of sources held already for review.

    With ``replace_assets`` every stored place is replaced (no review), as the user asked.
    Returns the workspace saved and, per source held back, how many places are new, gone
    and changed; a note in ``loaded.notes`` says so.
    """
    now = current(store)
    held = set() if replace_assets else held_sources(now, new)
    if not held:
        saved = import_into(
            store,
            new,
            actor=actor,
            replace_assets=replace_assets,
            replace_levels=replace_levels,
            figures=figures,
        )
        remember(store, saved, new)
        _drop_stale(store, saved, new)
        return Refreshed(saved)
    assert now is not None  # held sources come from a stored workspace
    source_col = new.assets["source"].fillna("").astype(str)
    rest = new.assets[~source_col.isin(held).to_numpy(dtype=bool)]
    saved = import_into(
        store,
        replace(new, assets=rest),
        actor=actor,
        replace_levels=replace_levels,
        figures=figures,
    )
    remember(store, saved, replace(new, assets=rest))
    listed: dict[str, dict[str, int]] = {}
    for source in sorted(held):
        incoming = new.assets[(source_col == source).to_numpy(dtype=bool)]
        found = plan(store, now.assets, source, incoming)
        store.put_refresh_changes(source, found)
        listed[source] = counts = _counts(found)
        saved.notes.append(Msg("note.refresh.listed", source=source, **counts))
    return Refreshed(saved, listed)


def open_changes(store: Store) -> pd.DataFrame:
    """Return the changes waiting for a decision (see :meth:`Store.refresh_changes`)."""
    return store.refresh_changes()


def decide(
    store: Store, change_ids: Iterable[str], *, accept: bool, actor: str
) -> list[str | None]:
    """Accept or reject changes one by one (each in its own transaction); return their places."""
    return [store.decide_refresh_change(c, accept=accept, actor=actor) for c in change_ids]


def decide_all(store: Store, *, accept: bool, actor: str, source: str | None = None) -> int:
    """Accept or reject every open change (of ``source`` when given); return how many."""
    changes = store.refresh_changes()
    if source is not None:
        changes = changes[changes["source"] == source]
    decide(store, list(changes["id"]), accept=accept, actor=actor)
    return len(changes)
