"""Snapshots of a workspace over time, and the comparison of two.

:func:`snapshot_data` sums up a workspace at one moment as plain JSON-able data: its open
places (id, name, type, wijk), their number per wijk and type, and per wijk the residents and
the residents within walking distance of a meeting place (from a gap analysis, the
``covered`` demand cells). :func:`compare` says, per wijk, which places opened and closed
between two snapshots and how the share within walking distance changed. Nothing here reads
the database or runs the analysis: the caller hands in its result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.analysis.areas import open_assets
from asset_map.analysis.gaps import GapResult

#: The key of places that lie in no wijk of the workspace.
NO_WIJK = ""

COMPARISON_COLUMNS = [
    "wijk_code",
    "wijk_name",
    "places_before",
    "places_after",
    "opened",
    "closed",
    "share_before",
    "share_after",
    "share_change",
]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def coverage_per_wijk(gaps: GapResult) -> dict[str, dict[str, float]]:
    """Return ``{wijk code: {"residents", "covered"}}`` from a gap analysis's demand cells.

    ``covered`` counts the residents of cells within walking distance of an existing
    meeting place (the analysis's ``covered``), not of suggested new sites.
    """
    cells = gaps.cells
    if not len(cells):
        return {}
    wijk_of = dict(zip(gaps.buurten["code"].astype(str), gaps.buurten["wijk_code"], strict=True))
    residents = cells["residents"].astype("float64").fillna(0.0).to_numpy()
    covered = cells["covered"].astype(bool).to_numpy()
    wijk = cells["buurt_code"].astype(str).map(lambda b: _text(wijk_of.get(b))).to_numpy()
    out: dict[str, dict[str, float]] = {}
    for code in sorted(set(wijk)):
        here = wijk == code
        out[code] = {
            "residents": float(residents[here].sum()),
            "covered": float(residents[here & covered].sum()),
        }
    return out


def snapshot_data(
    areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame, gaps: GapResult | None
) -> dict[str, Any]:
    """Return what a snapshot keeps of a workspace (JSON-able).

    Parameters
    ----------
    areas : GeoDataFrame
        The wijken and buurten (``code``, ``name``, ``level``).
    assets : GeoDataFrame
        The places with ``wijk_code`` (:func:`asset_map.analysis.areas.assign_areas`);
        closed places are left out.
    gaps : GapResult or None
        The gap analysis of the workspace at this moment; None when it could not run (the
        shares are unknown then).

    Returns
    -------
    dict
        ``places`` (``[{id, name, type, wijk_code}]``), ``per_wijk`` (``{wijk: {type: n}}``),
        ``wijk_names``, ``coverage`` (``{wijk: {residents, covered}}``, or None), and
        ``places_total``.
    """
    here = open_assets(assets)
    wijk = (
        here["wijk_code"] if "wijk_code" in here.columns else pd.Series(NO_WIJK, index=here.index)
    )
    places = [
        {"id": str(i), "name": _text(n), "type": _text(t), "wijk_code": _text(w)}
        for i, n, t, w in zip(here["id"], here["name"], here["type"], wijk, strict=True)
    ]
    per_wijk: dict[str, dict[str, int]] = {}
    for place in places:
        kinds = per_wijk.setdefault(place["wijk_code"], {})
        kinds[place["type"]] = kinds.get(place["type"], 0) + 1
    wijken = areas[areas["level"] == "wijk"]
    return {
        "places": places,
        "places_total": len(places),
        "per_wijk": per_wijk,
        "wijk_names": dict(
            zip(wijken["code"].astype(str), wijken["name"].astype(str), strict=True)
        ),
        "coverage": None if gaps is None else coverage_per_wijk(gaps),
    }


def _share(coverage: Mapping[str, Any] | None, wijk: str | None) -> float:
    """Return the covered share of a wijk (``None``: of all wijken), NaN when unknown."""
    if not coverage:
        return float("nan")
    picked = list(coverage.values()) if wijk is None else [coverage.get(wijk)]
    rows: list[Mapping[str, Any]] = [r for r in picked if r]
    residents = sum(float(r["residents"]) for r in rows)
    covered = sum(float(r["covered"]) for r in rows)
    return covered / residents if residents > 0 else float("nan")


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> pd.DataFrame:
    """Return, per wijk, the places opened and closed and the change in the covered share.

    A place *opened* when its id is in ``after`` and not in ``before``; it *closed* when the
    other way round (deleted, or marked closed). Shares are of residents (0 to 1); NaN when a
    snapshot has no coverage for the wijk. One row per wijk of either snapshot (places in no
    wijk under ``""``), then a last row ``"*"`` for the whole workspace.

    Returns
    -------
    DataFrame
        :data:`COMPARISON_COLUMNS`; ``opened`` and ``closed`` hold lists of
        ``{id, name, type}``.
    """
    old = {p["id"]: p for p in before.get("places", [])}
    new = {p["id"]: p for p in after.get("places", [])}
    names = {**before.get("wijk_names", {}), **after.get("wijk_names", {})}
    wijken = sorted(
        {p["wijk_code"] for p in [*old.values(), *new.values()]}
        | set(names)
        | set(before.get("coverage") or {})
        | set(after.get("coverage") or {})
    )

    def brief(p: Mapping[str, Any]) -> dict[str, str]:
        return {"id": p["id"], "name": p["name"], "type": p["type"]}

    rows = []
    for code in [*wijken, "*"]:
        every = code == "*"

        def inside(p: Mapping[str, Any], code: str = code, every: bool = every) -> bool:
            return every or p["wijk_code"] == code

        opened = [brief(p) for i, p in sorted(new.items()) if i not in old and inside(p)]
        closed = [brief(p) for i, p in sorted(old.items()) if i not in new and inside(p)]
        share_before = _share(before.get("coverage"), None if every else code)
        share_after = _share(after.get("coverage"), None if every else code)
        rows.append(
            {
                "wijk_code": code,
                "wijk_name": "" if every else names.get(code, ""),
                "places_before": sum(inside(p) for p in old.values()),
                "places_after": sum(inside(p) for p in new.values()),
                "opened": opened,
                "closed": closed,
                "share_before": share_before,
                "share_after": share_after,
                "share_change": share_after - share_before,
            }
        )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
