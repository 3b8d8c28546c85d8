"""Run the gap analysis for the CLI, the Kansen screen, the werkbank and the wijk report.

:func:`run_gaps` runs :func:`~asset_map.analysis.gaps.analyse_gaps` once for the parameters
and, in what-if mode, once more without the planned places (to show what they add). With a
``key`` (what is analysed: the workspace's version, the uploaded files) results are kept in
a small cache shared by all sessions of the app: the parameters (frozen
:class:`~asset_map.analysis.gap_params.GapParams`) are part of its key, so the same options
give the same result without computing it again.

The options come from :func:`asset_map.services.options.gap_params`; the street network and
the population grid are read here from a path or from an upload's bytes.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import GapResult, analyse_gaps, reach_by_profile
from asset_map.analysis.wijk_figures import supported_need
from asset_map.i18n import Msg, localise
from asset_map.model import Lang

Progress = Callable[[str, float], None]

#: Results per (key, parameters), newest last; shared by all sessions, like
#: ``st.cache_data``: callers must not change a result. A plain dict behind a lock: the
#: analysis reports its progress to the page while it runs.
_RESULTS: dict[tuple[Hashable, GapParams], GapResult] = {}
_RESULTS_LOCK = threading.Lock()
MAX_RESULTS = 32


@dataclass(frozen=True)
class GapRun:
    """A gap analysis, and in what-if mode the same without the planned places."""

    result: GapResult
    baseline: GapResult | None = None


def read_network(path: str | Path) -> Any:
    """Read a street network (``.osm``, ``.osm.pbf`` or ``.graphml``) for walking distances."""
    from asset_map.io.network import read_walk_network

    return read_walk_network(Path(path))


def read_grid(path: str | Path) -> gpd.GeoDataFrame:
    """Read a CBS population grid (GeoPackage, GeoJSON or CSV)."""
    from asset_map.io.population_grid import read_population_grid

    return read_population_grid(path)


def read_upload(kind: str, data: bytes, name: str) -> Any:
    """Read an uploaded street network (``kind`` ``network``) or population grid (``grid``).

    The bytes are written to a temporary file under the upload's own name (its suffix says
    the format), read, and the file is removed.
    """
    suffix = ".osm.pbf" if name.endswith(".pbf") else Path(name).suffix
    stem = Path(name).name.split(".")[0] or kind
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        path.write_bytes(data)
        return read_network(path) if kind == "network" else read_grid(path)


def default_params(areas: gpd.GeoDataFrame, *, new_sites: int = 0) -> GapParams:
    """Return the default parameters, with the need weights the areas' figures allow.

    ``mix`` when the figures on 65+ and single-person households are known, else ``all``
    (everyone counts the same) when only the inhabitants are.
    """
    return GapParams(new_sites=new_sites, weights=NeedWeights.preset(supported_need(areas)))


def _analyse(
    key: Hashable | None,
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    params: GapParams,
    **kwargs: Any,
) -> GapResult:
    """Return the analysis, from the cache when ``key`` is given and it ran before."""
    if key is None:
        return analyse_gaps(areas, assets, params, **kwargs)
    cache_key = (key, params)
    with _RESULTS_LOCK:
        if cache_key in _RESULTS:
            _RESULTS[cache_key] = _RESULTS.pop(cache_key)  # most recently used last
            return _RESULTS[cache_key]
    result = analyse_gaps(areas, assets, params, **kwargs)
    with _RESULTS_LOCK:
        while len(_RESULTS) >= MAX_RESULTS:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[cache_key] = result
    return result


def run_gaps(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    params: GapParams,
    *,
    network: Any = None,
    grid: gpd.GeoDataFrame | None = None,
    activities: pd.DataFrame | None = None,
    progress: Progress | None = None,
    key: Hashable | None = None,
) -> GapRun:
    """Run the gap analysis; in what-if mode also without the planned places.

    Parameters
    ----------
    areas, assets : GeoDataFrame
        The workspace's wijken and buurten (with key figures) and places.
    params : GapParams
        From :func:`asset_map.services.options.gap_params`.
    network, grid : optional
        A street network (:func:`read_network`) and a population grid (:func:`read_grid`).
    activities : DataFrame, optional
        The weekly activities: a place is open while one runs (for the time windows).
    progress : callable, optional
        Told each stage (``demand``, ``distances``, ``coverage``, ``solver``) and its share.
    key : hashable, optional
        What is analysed (the workspace's version and the uploaded files): results are
        cached per key and parameters. None: no cache.

    Raises
    ------
    AssetMapError
        When the analysis cannot run (no key figures, say); the message says why.
    """
    kwargs: dict[str, Any] = {
        "network": network,
        "population_grid": grid,
        "activities": activities,
        "progress": progress,
    }
    result = _analyse(key, areas, assets, params, **kwargs)
    baseline = None
    if params.include_planned:  # what-if: the same without the planned places, to compare
        plain = dataclasses.replace(params, include_planned=False, new_sites=0)
        baseline = _analyse(key, areas, assets, plain, **kwargs)
    return GapRun(result, baseline)


def coverage(
    areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame, *, key: Hashable | None = None
) -> GapResult | None:
    """Return the analysis with its default settings (:func:`default_params`), or None.

    None when it cannot run (no key figures, no meeting places): figures that need it say
    "unknown" then. Shares the cache with the Kansen screen.
    """
    try:
        return run_gaps(areas, assets, default_params(areas), key=key).result
    except AssetMapError:
        return None


def wijk_gaps(
    areas: gpd.GeoDataFrame, assets: gpd.GeoDataFrame, wijk_code: str, *, new_sites: int
) -> GapResult:
    """Return the gap analysis a wijk report summarises: default settings, this wijk's buurten.

    Demand comes from the wijk's own buurten, so the suggested sites are the ones that help
    this wijk most; meeting places anywhere (also across the wijk border) count as supply.
    The need weights are those the figures allow (``mix``, or ``all`` with inhabitants
    only); figures known for the wijk only are estimated for its buurten.

    Raises
    ------
    AssetMapError
        When the analysis cannot run (no key figures, say), or ``new_sites`` is out of range.
    """
    of_wijk = areas[(areas["code"] == wijk_code) | (areas["parent_code"] == wijk_code)]
    return analyse_gaps(of_wijk, assets, default_params(of_wijk, new_sites=new_sites))


def wijk_reach(
    areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    wijk_code: str,
    *,
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the wijk's coverage per walking profile and time window (the wijk report's table).

    The same demand and need weights as :func:`wijk_gaps`; every profile of
    :data:`asset_map.settings.PROFILES` and every window of
    :data:`asset_map.settings.WINDOWS` (:func:`~asset_map.analysis.gaps.reach_by_profile`).
    """
    of_wijk = areas[(areas["code"] == wijk_code) | (areas["parent_code"] == wijk_code)]
    return reach_by_profile(of_wijk, assets, default_params(of_wijk), activities=activities)


def named_sites(sites: gpd.GeoDataFrame, lang: Lang) -> gpd.GeoDataFrame:
    """Return a copy of the suggested sites with their names in ``lang`` (grid cells).

    An infinite distance (no meeting place at all) becomes missing, so downloads stay valid
    JSON and CSV.
    """
    out = sites.copy()
    out["name"] = [localise(name, lang) for name in out["name"]]
    out["nearest_meeting_m"] = out["nearest_meeting_m"].where(
        np.isfinite(out["nearest_meeting_m"].astype("float64"))
    )
    return out


def check_sites_file(path: Path) -> None:
    """Refuse a file for the suggested sites that is not ``.csv``, ``.geojson`` or ``.json``."""
    if path.suffix.lower() not in {".csv", ".geojson", ".json"}:
        raise AssetMapError(Msg("err.gaps.out_sites", name=path.name))
