"""Tables of the gap analysis per buurt: residents, coverage, walking distance, time windows."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map.analysis.reach import LayerCover, Supply
from asset_map.settings import WINDOWS


def buurt_table(
    buurten_rd: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    missing: np.ndarray,
    estimated: np.ndarray,
) -> pd.DataFrame:
    """Return one row per buurt with its residents, weight, coverage and walking distance.

    ``estimated`` marks the cells whose figures rest on an estimate from the wijk; a buurt
    with such a cell is marked ``estimated``.
    """
    position = pd.Index(buurten_rd["code"]).get_indexer(cells["buurt_code"])
    n = len(buurten_rd)
    weight = cells["weight"].to_numpy()
    counts = np.bincount(position, minlength=n)

    def total(values: np.ndarray) -> np.ndarray:  # NaN in a cell makes the buurt's sum NaN
        return np.bincount(position, weights=values, minlength=n)

    wsum = total(weight)
    w_eff = np.where(wsum[position] > 0, weight, 1.0)  # buurten without weight: plain mean
    walk = cells["walk_m"].to_numpy()
    walk_sum = total(np.where(w_eff > 0, w_eff * walk, 0.0))
    no_cells = missing | (counts == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_walk = np.where(no_cells, np.nan, walk_sum / total(w_eff))
        # Each group counts at its own pace: the weight in reach, not the cells 'covered'.
        covered_w = total(cells["covered_weight"].to_numpy(dtype="float64"))
        after_w = total(cells["covered_weight_after"].to_numpy(dtype="float64"))
        share = np.where(no_cells | (wsum <= 0), np.nan, covered_w / wsum)
        share_after = np.where(no_cells | (wsum <= 0), np.nan, after_w / wsum)
        # 2SFCA per buurt: the weight-weighted mean of its cells' scores (NaN without scores).
        access = cells["access"].to_numpy(dtype="float64")
        access_sum = total(np.where(w_eff > 0, w_eff * access, 0.0))
        mean_access = np.where(no_cells, np.nan, access_sum / total(w_eff))
    parent = buurten_rd["parent_code"] if "parent_code" in buurten_rd.columns else None
    return pd.DataFrame(
        {
            "code": buurten_rd["code"].to_numpy(),
            "name": buurten_rd["name"].to_numpy(),
            "wijk_code": parent.to_numpy() if parent is not None else None,
            "residents": np.where(no_cells, np.nan, total(cells["residents"].to_numpy())),
            "residents_65": np.where(no_cells, np.nan, total(cells["residents_65"].to_numpy())),
            "weight": np.where(no_cells, np.nan, wsum),
            "covered_weight": np.where(no_cells, np.nan, covered_w),
            "share_covered": share,
            "share_covered_after": share_after,
            "mean_walk_m": mean_walk,
            "access": mean_access,
            "figures_missing": missing,
            "estimated": np.bincount(position, weights=estimated, minlength=n) > 0,
        }
    )


def buurt_windows(
    buurten_rd: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    covers: list[LayerCover],
    supply: Supply,
) -> pd.DataFrame:
    """Return, per buurt, the share of its weighted residents in reach in each time window."""
    position = pd.Index(buurten_rd["code"]).get_indexer(cells["buurt_code"])
    n = len(buurten_rd)
    total = np.bincount(position, weights=np.nan_to_num(cells["weight"].to_numpy()), minlength=n)
    out = pd.DataFrame(
        {"code": buurten_rd["code"].to_numpy(), "name": buurten_rd["name"].to_numpy()}
    )
    for key, window in WINDOWS.items():
        hit = np.sum(
            [
                np.where(c.covered(supply, window), np.nan_to_num(c.layer.weight), 0.0)
                for c in covers
            ],
            axis=0,
        )
        got = np.bincount(position, weights=np.nan_to_num(hit), minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[key] = np.where(total > 0, got / np.where(total > 0, total, 1.0), np.nan)
    return out
