"""Change over time: take dated snapshots of the workspace and compare two of them.

A snapshot keeps the open places (per type and wijk) and, per wijk, the residents within
walking distance of a meeting place, from the gap analysis with its default settings
(:func:`asset_map.services.gaps.coverage`, the figure the werkbank and Kansen show).
``asset-map snapshot take/list/compare``, the Kansen screen and the wijk report use these.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.analysis.snapshots import compare, snapshot_data
from asset_map.i18n import Msg
from asset_map.services.gaps import coverage
from asset_map.services.workspace import Workspace
from asset_map.storage import Store


@dataclass(frozen=True)
class Comparison:
    """Two snapshots compared: when each was taken, and the rows per wijk."""

    first_at: datetime
    second_at: datetime
    rows: pd.DataFrame

    def of_wijk(self, wijk_code: str) -> pd.Series | None:
        """Return the row of one wijk, or None when neither snapshot knows it."""
        found = self.rows[self.rows["wijk_code"] == wijk_code]
        return None if found.empty else found.iloc[0]


def workspace_data(ws: Workspace, *, key: Hashable | None = None) -> dict[str, Any]:
    """Return the snapshot data of a workspace now (runs the default gap analysis).

    ``key`` (the workspace's version) lets the analysis come from the shared cache.
    """
    gaps = coverage(ws.areas, ws.assets, key=key)
    return snapshot_data(ws.areas, ws.assets, gaps)


def take(store: Store, ws: Workspace, *, actor: str, label: str | None = None) -> str:
    """Take a snapshot of the workspace now; return its id."""
    return store.take_snapshot(workspace_data(ws), actor=actor, label=label)


def listed(store: Store) -> pd.DataFrame:
    """Return the snapshots, oldest first, with the number of places of each."""
    frame = store.snapshots()
    frame["places"] = [int(store.snapshot(i)["data"].get("places_total", 0)) for i in frame["id"]]
    return frame


def resolve(store: Store, ref: str) -> str:
    """Return the id of a snapshot named by its id, a unique start of it, or ``latest``.

    Raises
    ------
    AssetMapError
        When no snapshot, or more than one, matches.
    """
    ids = [str(i) for i in store.snapshots()["id"]]
    if ref == "latest" and ids:
        return ids[-1]
    found = [i for i in ids if i.startswith(ref)]
    if len(found) != 1:
        raise AssetMapError(Msg("err.snapshot.unknown", ref=ref, n=len(ids)))
    return found[0]


def compare_snapshots(store: Store, first: str, second: str) -> Comparison:
    """Compare two stored snapshots (ids or refs, see :func:`resolve`), older first."""
    a, b = store.snapshot(resolve(store, first)), store.snapshot(resolve(store, second))
    if a["taken_at"] > b["taken_at"]:
        a, b = b, a
    return Comparison(a["taken_at"], b["taken_at"], compare(a["data"], b["data"]))


def with_now(store: Store, ref: str, ws: Workspace, *, key: Hashable | None = None) -> Comparison:
    """Compare a stored snapshot (see :func:`resolve`) with the workspace now."""
    then = store.snapshot(resolve(store, ref))
    now = workspace_data(ws, key=key)
    return Comparison(then["taken_at"], store.now(), compare(then["data"], now))
