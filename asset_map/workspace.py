"""A workspace: the areas, assets and talents the app shows, with what is known of their source.

For now a workspace is a folder of files in our canonical format (the bundled demo in
``data/demo/`` is one). The app opens on the demo unless ``ASSET_MAP_DATA_DIR`` names another
folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from asset_map.analysis.areas import assign_areas
from asset_map.io import read_areas, read_assets, read_talents

#: The bundled demo gemeente, beside the package in a source checkout.
DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
DATA_DIR_ENV = "ASSET_MAP_DATA_DIR"


@dataclass
class Workspace:
    """Everything one map shows.

    Attributes
    ----------
    areas : GeoDataFrame
        Gemeente, wijken and buurten with key figures (EPSG:4326).
    assets : GeoDataFrame
        Assets with ``buurt_code`` and ``wijk_code`` added (EPSG:4326).
    talents : DataFrame
        Residents' talents, located by buurt code only.
    meta : dict
        ``name``, ``is_demo``, ``label_nl``/``label_en`` and ``sources``.
    notes : list of str
        What the importers repaired or dropped while loading.
    """

    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    talents: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        """Return whether this is the made-up demo gemeente."""
        return bool(self.meta.get("is_demo", False))


def default_data_dir() -> Path:
    """Return the folder named by ``ASSET_MAP_DATA_DIR``, or the bundled demo."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else DEMO_DIR


def load_workspace(folder: str | Path | None = None) -> Workspace:
    """Load ``areas.geojson``, ``assets.geojson``, ``talents.csv`` and ``meta.json``.

    ``talents.csv`` and ``meta.json`` are optional.

    Raises
    ------
    AssetMapError
        When a file is missing or malformed; the message names the file and the fix.
    """
    folder = Path(folder) if folder is not None else default_data_dir()
    areas = read_areas(folder / "areas.geojson")
    assets = read_assets(folder / "assets.geojson")
    talents_path = folder / "talents.csv"
    talents = read_talents(talents_path) if talents_path.exists() else None
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {"name": folder.name}
    return Workspace(
        areas=areas.frame,
        assets=assign_areas(assets.frame, areas.frame),
        talents=talents.frame if talents is not None else pd.DataFrame(columns=["status"]),
        meta=meta,
        notes=[*areas.notes, *assets.notes, *(talents.notes if talents is not None else [])],
    )
