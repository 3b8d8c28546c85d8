"""Shared fixtures: the real Dutch data beside the repo, and tiny canonical frames.

The real data lives in ``../shared/data/real`` (see its PROVENANCE.md); it is read in place,
never copied into the repo. Tests that need it skip with a clear reason when it is absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

#: Real-browser fixtures (``app_url``, ``browser``, ``offline_page``) and helpers.
pytest_plugins = ["browser_support"]

#: The shared folder of real open data, beside the repository.
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def _real_file(relative: str) -> Path:
    path = REAL_DATA / relative
    if not path.is_file():
        pytest.skip(
            f"real data not available: {relative} not found under {REAL_DATA} "
            "(the shared folder ../shared/data/real beside the repo is absent)"
        )
    return path


@pytest.fixture
def real_file() -> Callable[[str], Path]:
    """Return a function: relative path -> file of the real data, skipping when absent."""
    return _real_file


@pytest.fixture
def real_data() -> Path:
    """The folder of real data; skips the test when it is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not available: {REAL_DATA} is absent")
    return REAL_DATA


def _text(values: list) -> pd.Series:
    return pd.Series(values, dtype="str")


@pytest.fixture
def tiny_assets() -> gpd.GeoDataFrame:
    """Three canonical assets in Deventer Voorstad, 300 m apart along RD x, in EPSG:4326."""
    rd = [Point(208000 + 300 * i, 473000) for i in range(3)]
    frame = gpd.GeoDataFrame(
        {
            "id": _text(["a1", "a2", "a3"]),
            "name": _text(["Buurthuis De Uithoek", "Speelplek Rielerweg", "Café ’t Hoekje"]),
            "type": _text(["buurthuis", "speelplek", "winkel"]),
            "description": _text(["Koffie op dinsdag; iedereen welkom", None, "Ideeën, tips"]),
            "address": _text(["Bekkumerstraat 1", None, None]),
            "tags": _text(["ontmoeting;koffie", None, "horeca"]),
            "source": _text(["test", "test", "test"]),
            "status": _text(["existing", "planned", "existing"]),
            "capacity": pd.Series([40.0, np.nan, 25.0]),
        },
        geometry=rd,
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


@pytest.fixture
def tiny_areas() -> gpd.GeoDataFrame:
    """One wijk of 2 km2 holding two square buurten of 1 km2, canonical, in EPSG:4326."""
    x, y = 207000, 472000
    frame = gpd.GeoDataFrame(
        {
            "code": _text(["WK015004", "BU01500401", "BU01500402"]),
            "name": _text(["Wijk 04 Voorstad", "Rode Dorp", "Oudegoedstraat"]),
            "level": _text(["wijk", "buurt", "buurt"]),
            "parent_code": _text(["GM0150", "WK015004", "WK015004"]),
            "inhabitants": [3000.0, 1200.0, 1800.0],
            "pct_65_plus": [18.5, np.nan, 20.0],
            "households": [1500.0, 600.0, 900.0],
            "pct_single_households": [45.0, 50.0, np.nan],
            "land_area_ha": [200.0, 100.0, 100.0],
        },
        geometry=[
            box(x, y, x + 2000, y + 1000),
            box(x, y, x + 1000, y + 1000),
            box(x + 1000, y, x + 2000, y + 1000),
        ],
        crs="EPSG:28992",
    )
    return frame.to_crs("EPSG:4326")


@pytest.fixture(autouse=True, scope="session")
def _test_database(tmp_path_factory) -> Iterator[None]:
    """Point the app at a throwaway SQLite database, never the repo's ``instance/`` one.

    Tests that need their own database set ``ASSET_MAP_DATABASE_URL`` again (monkeypatch).
    """
    import os

    folder = tmp_path_factory.mktemp("database")
    previous = os.environ.get("ASSET_MAP_DATABASE_URL")
    os.environ["ASSET_MAP_DATABASE_URL"] = f"sqlite:///{folder / 'session.sqlite'}"
    yield
    if previous is None:
        os.environ.pop("ASSET_MAP_DATABASE_URL", None)
    else:
        os.environ["ASSET_MAP_DATABASE_URL"] = previous


@pytest.fixture
def gap_calls(monkeypatch) -> list:
    """The gap analyses the Kansen screen runs (not those it takes from its cache)."""
    from asset_map.analysis.gaps import analyse_gaps
    from asset_map.services import gaps as gap_service

    seen: list = []

    def counting(areas, assets, params, **kwargs):
        seen.append(params)
        return analyse_gaps(areas, assets, params, **kwargs)

    monkeypatch.setattr(gap_service, "analyse_gaps", counting)
    monkeypatch.setattr(gap_service, "_RESULTS", {})
    return seen
