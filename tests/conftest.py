"""Shared fixtures: the real Dutch data beside the repo, and tiny canonical frames.

The real data lives in ``../shared/data/real`` (see its PROVENANCE.md); it is read in place,
never copied into the repo. Tests that need it skip with a clear reason when it is absent.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from app_helpers import MANAGER
from fake_servers import FakeOverpass, FakePDOK, serve, stop
from gap_layouts import two_buurten as two_square_buurten
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
            "opening_hours": _text(["Mo-Fr 09:00-17:00; PH off", None, None]),
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


@pytest.fixture
def tiny_files(tmp_path, tiny_areas, tiny_assets) -> dict[str, Path]:
    """The tiny areas as GeoJSON and the tiny assets as CSV (lat/lon) in ``tmp_path``."""
    areas = tmp_path / "va.geojson"
    tiny_areas.to_file(areas, driver="GeoJSON")
    assets = tmp_path / "case.csv"
    table = pd.DataFrame(tiny_assets.drop(columns="geometry"))
    table["lat"], table["lon"] = tiny_assets.geometry.y, tiny_assets.geometry.x
    table.to_csv(assets, index=False)
    return {"areas": areas, "assets": assets}


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """The app's database for this test alone: a SQLite file holding one wijkmanager.

    ``ASSET_MAP_DATABASE_URL`` points at it and ``ASSET_MAP_RETENTION_MONTHS`` is unset; the
    wijkmanager logs in with ``MANAGER`` (the ``manager`` fixture). Modules whose tests need
    another database define a ``db`` fixture of their own.
    """
    from asset_map.storage import Store

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    monkeypatch.delenv("ASSET_MAP_RETENTION_MONTHS", raising=False)
    with Store(url) as store:
        store.add_user(*MANAGER, "wijkmanager", actor="test")
    return url


@pytest.fixture
def manager(db) -> tuple[str, str]:
    """User name and password of the wijkmanager in the ``db`` database."""
    return MANAGER


@pytest.fixture
def pdok() -> Iterator[FakePDOK]:
    """A local server playing PDOK (tests/fake_servers.py)."""
    server = FakePDOK()
    thread = serve(server)
    yield server
    stop(server, thread)


@pytest.fixture
def servers(monkeypatch) -> Iterator[tuple[FakePDOK, FakeOverpass]]:
    """Local servers playing PDOK and Overpass; the app's data screen is pointed at them."""
    from asset_map.settings import OVERPASS_URL_ENV, PDOK_URL_ENV

    pdok, overpass = FakePDOK(), FakeOverpass()
    threads = [serve(pdok), serve(overpass)]
    monkeypatch.setenv(PDOK_URL_ENV, pdok.base)
    monkeypatch.setenv(OVERPASS_URL_ENV, overpass.url)
    yield pdok, overpass
    for server, thread in zip((pdok, overpass), threads, strict=True):
        stop(server, thread)


@pytest.fixture
def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens (the socket that held it is closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_buurten() -> gpd.GeoDataFrame:
    """Buurt A (1000 residents, 20 % 65+) and B (1000, 65+ unknown), 1 km2 each, in RD New."""
    return two_square_buurten()


@pytest.fixture(scope="module")
def demo() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The areas and assets of the demo gemeente Lindeveen (data/demo), read once per module."""
    from asset_map.services.workspace import DEMO_DIR, load_workspace

    ws = load_workspace(DEMO_DIR)
    return ws.areas, ws.assets


@pytest.fixture
def pdok_gpkg(real_file, tmp_path) -> Path:
    """A PDOK-style GeoPackage (gemeenten, wijken, buurten) of Deventer and Utrecht, 2014.

    Written from the real CBS 2014 files; skips when the real data is absent.
    """
    keep = ["GM0150", "GM0344"]
    wijken = gpd.read_file(real_file("cbs_2014/cbs_wijken_2014_5gemeenten.geojson"))
    buurten = gpd.read_file(real_file("cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"))
    wijken = wijken[wijken["gemeentecode"].isin(keep)]
    buurten = buurten[buurten["gemeentecode"].isin(keep)]
    gemeenten = wijken.dissolve(by=["gemeentecode", "gemeentenaam"]).reset_index()
    names = {"statcode": "wijkcode", "statnaam": "wijknaam"}
    w = wijken.rename(columns=names)[
        ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "geometry"]
    ]
    b = buurten.rename(columns={"statcode": "buurtcode", "statnaam": "buurtnaam"})
    b["wijkcode"] = "WK" + b["buurtcode"].str[2:8]
    b = b[["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "geometry"]]
    path = tmp_path / "wijkenbuurten_2014.gpkg"
    for layer, frame in [
        ("gemeenten", gemeenten[["gemeentecode", "gemeentenaam", "geometry"]]),
        ("wijken", w),
        ("buurten", b),
    ]:
        frame.to_crs(28992).to_file(path, layer=layer, driver="GPKG")
    return path
