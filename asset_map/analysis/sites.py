"""Sites: the candidates for new meeting places, and the table of the chosen ones.

:func:`candidate_sites` gathers the candidates from the assets (planned huiskamers, buildings
that could host one) and the demand cells; :func:`thin_cells` keeps grid-cell candidates to
a number the solvers in :mod:`siting` can handle; :func:`site_table` describes the chosen
sites for people: who they newly reach, in which buurten, and how far the nearest existing
meeting place is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.crs import STORAGE_CRS, WORK_CRS
from asset_map.i18n import Msg
from asset_map.model import catalogue

#: The columns of the suggested sites (:func:`site_table`).
SITE_COLUMNS = [
    "rank", "name", "kind", "asset_id", "lon", "lat", "newly_covered", "newly_residents",
    "newly_65", "buurten", "nearest_meeting_m",
]  # fmt: skip
#: Grid cells as candidates: at most this many (demand point, candidate) pairs in reach of
#: each other, estimated. Every cell of a gemeente as a candidate grows with the fourth power
#: of 1 / cell size: Utrecht in 25 m cells (168,000 cells, 281 million pairs) took 74 s and
#: 16 GB; 8 million pairs take a few seconds and well under 1 GB.
MAX_CELL_PAIRS = 8_000_000
#: And at most this many grid-cell candidates (the solvers' work grows with it).
MAX_CELL_CANDIDATES = 20_000


def candidate_sites(
    assets_rd: gpd.GeoDataFrame,
    asset_xy: np.ndarray,
    cells: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    kinds: Sequence[str],
    meeting_types: Sequence[str],
    include_planned: bool,
    cell_rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Return the candidate sites for new meeting places.

    Parameters
    ----------
    assets_rd : GeoDataFrame
        Assets with ``type`` and ``status`` (``name`` and ``id`` when present).
    asset_xy : ndarray
        ``(n_assets, 2)`` RD New point of each asset (NaN where it has no geometry).
    cells : GeoDataFrame
        Demand cells with ``buurt_code``, ``x`` and ``y``.
    buurten_rd : GeoDataFrame
        Buurten with ``code`` and ``name``.
    kinds : sequence of str
        Any of ``planned`` (planned meeting places, unless ``include_planned`` already
        counts them as supply), ``hosts`` (existing assets of types that can host, which are
        not meeting places) and ``cells`` (every demand cell's point).
    meeting_types : sequence of str
        The asset types that count as meeting places.
    include_planned : bool
        Whether planned meeting places already count as supply.
    cell_rows : ndarray, optional
        The positions of the cells that are candidates (:func:`thin_cells`); all by default.

    Returns
    -------
    DataFrame
        ``name``, ``kind`` (``planned``, ``host`` or ``cell``), ``asset_id`` (None for
        cells), ``x``, ``y`` (RD New metres).
    """
    parts = []
    types = assets_rd["type"]
    status = assets_rd["status"].astype(str)
    valid = np.isfinite(asset_xy).all(axis=1)
    hosts = [k for k, t in catalogue().types.items() if t.can_host and k not in meeting_types]
    masks = {
        "planned": ("planned", types.isin(meeting_types) & (status == "planned")),
        "hosts": ("host", types.isin(hosts) & (status == "existing")),
    }
    names = assets_rd["name"] if "name" in assets_rd.columns else types
    ids = assets_rd["id"] if "id" in assets_rd.columns else pd.Series(None, index=types.index)
    for key, (kind, mask) in masks.items():
        if key not in kinds or (key == "planned" and include_planned):
            continue
        rows = np.flatnonzero(mask.to_numpy() & valid)
        parts.append(
            pd.DataFrame(
                {
                    "name": names.iloc[rows].astype(object).to_numpy(),
                    "kind": kind,
                    "asset_id": ids.iloc[rows].astype(object).to_numpy(),
                    "x": asset_xy[rows, 0],
                    "y": asset_xy[rows, 1],
                }
            )
        )
    if "cells" in kinds:
        buurt_names = buurten_rd.set_index("code")["name"]
        if cell_rows is not None:
            cells = cells.iloc[np.asarray(cell_rows, dtype=np.int64)]
        parts.append(
            pd.DataFrame(
                {
                    "name": pd.Series(  # object, not str: keep each name's translations
                        [
                            Msg("note.gaps.cell_name", buurt=str(buurt_names.get(c, c)))
                            for c in cells["buurt_code"]
                        ],
                        dtype=object,
                    ),
                    "kind": "cell",
                    "asset_id": None,
                    "x": cells["x"].to_numpy(),
                    "y": cells["y"].to_numpy(),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["name", "kind", "asset_id", "x", "y"])
    return pd.concat(parts, ignore_index=True)


def thin_cells(
    xy: np.ndarray, weight: np.ndarray, *, cell_m: float, reach_m: float
) -> tuple[np.ndarray, float]:
    """Return which demand cells to offer as candidate sites, and the grid step used.

    With small cells (or a large area) every cell as a candidate makes the cover matrix
    grow with the fourth power of 1 / ``cell_m``. When the estimated number of (cell,
    candidate) pairs in reach is above :data:`MAX_CELL_PAIRS`, or the cells are more than
    :data:`MAX_CELL_CANDIDATES`, the cells are grouped into blocks of ``step`` metres (the
    smallest multiple of ``cell_m`` that is enough) and each block offers one candidate: its
    cell nearest to the block's weighted centre. The demand itself keeps every cell.

    Parameters
    ----------
    xy : ndarray
        ``(n, 2)`` RD New points of the demand cells.
    weight : ndarray
        ``(n,)`` weighted residents of the cells (NaN counts as 0).
    cell_m : float
        The side of a demand cell.
    reach_m : float
        The distance a candidate reaches (straight line or walking).

    Returns
    -------
    tuple
        ``(rows, step_m)``: the sorted positions of the cells kept, and the block size
        (``cell_m`` when every cell is kept).
    """
    points = np.asarray(xy, dtype="float64").reshape(-1, 2)
    n = len(points)
    per_candidate = max(1.0, np.pi * reach_m**2 / cell_m**2)  # cells in reach of one
    limit = max(1, min(MAX_CELL_CANDIDATES, int(MAX_CELL_PAIRS / per_candidate)))
    if n <= limit:
        return np.arange(n), float(cell_m)
    w = np.nan_to_num(np.asarray(weight, dtype="float64").ravel())
    factor = max(2, int(np.ceil(np.sqrt(n / limit))))
    while True:
        step = factor * cell_m
        block = np.floor(points / step).astype(np.int64)
        _, group = np.unique(block, axis=0, return_inverse=True)
        group = group.ravel()
        n_groups = int(group.max()) + 1
        if n_groups <= limit:
            break
        factor += 1
    total = np.bincount(group, weights=w, minlength=n_groups)
    count = np.bincount(group, minlength=n_groups).astype("float64")
    use_w = np.where(total[group] > 0, w, 1.0)  # a block without weight: its plain centre
    norm = np.bincount(group, weights=use_w, minlength=n_groups)
    centre = (
        np.column_stack(
            [np.bincount(group, weights=use_w * points[:, k], minlength=n_groups) for k in (0, 1)]
        )
        / np.where(norm > 0, norm, count)[:, None]
    )
    far = np.hypot(*(points - centre[group]).T)
    order = np.lexsort((np.arange(n), far, group))  # per block: nearest first, then lowest
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]]
    return np.sort(first), float(step)


@dataclass(frozen=True)
class NewlyCovered:
    """What one chosen site newly brings within walking distance, per demand cell.

    Attributes
    ----------
    weight : ndarray
        The weighted residents newly in reach (of every group, each at its own pace).
    residents : ndarray
        Boolean: the cell's residents are newly in reach (at the pace of all residents).
    aged_65 : ndarray
        Boolean: the cell's residents aged 65+ are newly in reach (at their own pace).
    """

    weight: np.ndarray
    residents: np.ndarray
    aged_65: np.ndarray


def site_table(
    chosen: pd.DataFrame,
    newly: list[NewlyCovered],
    cells: gpd.GeoDataFrame,
    buurten_rd: gpd.GeoDataFrame,
    *,
    nearest_m: np.ndarray,
) -> gpd.GeoDataFrame:
    """Return the chosen sites in rank order with what each newly covers (EPSG:4326).

    Parameters
    ----------
    chosen : DataFrame
        The chosen candidates (:func:`candidate_sites` rows) in rank order.
    newly : list of NewlyCovered
        Per chosen site, what it newly covers in each cell (:func:`siting.newly_covered`).
    cells : GeoDataFrame
        The demand cells with ``buurt_code``, ``residents``, ``residents_65``.
    buurten_rd : GeoDataFrame
        Buurten with ``code`` and ``name``.
    nearest_m : ndarray
        Per chosen site, the distance to the nearest existing meeting place (inf if none).
    """
    xy = chosen[["x", "y"]].to_numpy(dtype="float64")
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=WORK_CRS)
    points = points.to_crs(STORAGE_CRS)
    names = buurten_rd.set_index("code")["name"]
    codes = cells["buurt_code"].to_numpy()
    rows = []
    for gain in newly:
        gained = pd.Series(gain.weight).groupby(codes).sum()
        gained = gained[gained > 0].sort_values(ascending=False, kind="stable")
        rows.append(
            {
                "newly_covered": float(gain.weight.sum()),
                "newly_residents": float(np.nansum(cells["residents"].to_numpy()[gain.residents])),
                # Unknown when any newly covered cell has no 65+ figure: never taken as 0.
                "newly_65": float(cells["residents_65"].to_numpy()[gain.aged_65].sum()),
                "buurten": [str(names.get(code, code)) for code in gained.index],
            }
        )
    gains = pd.DataFrame(rows, columns=["newly_covered", "newly_residents", "newly_65", "buurten"])
    frame = pd.DataFrame(
        {
            "rank": np.arange(1, len(chosen) + 1),
            "name": pd.Series(list(chosen["name"]), dtype=object),  # keeps Msg names
            "kind": chosen["kind"].to_numpy(),
            "asset_id": [None if pd.isna(v) else str(v) for v in chosen["asset_id"]],
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
        }
    )
    frame = pd.concat([frame, gains], axis=1)
    frame["nearest_meeting_m"] = np.asarray(nearest_m, dtype="float64")
    return gpd.GeoDataFrame(frame[SITE_COLUMNS], geometry=points.to_numpy(), crs=STORAGE_CRS)
