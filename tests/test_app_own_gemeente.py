"""From "my gemeente" to "where should the next huiskamer go", on the Gegevens screen (AppTest).

A wijkmanager of Deventer uploads the gemeente's own real files one after the other: the CBS
wijken, then the buurten, then the 2024 key figures (known per wijk only), then the
wijkteam's list of 240 places, read with its preset. The Kaart then shows the gemeente's
inhabitants (the 15 wijken's 103,390, never 0) and Kansen runs on figures spread from the
wijken over the buurten. Real files from ../shared/data/real (skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map.model import catalogue
from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MANAGER = ("wim", "geheim-wachtwoord-1")
IMPORT = "Toevoegen aan de kaart"
FIGURES = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"
PLACES = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


@pytest.fixture
def deventer_files(real_file, tmp_path) -> dict[str, Path]:
    """Deventer's own files as a gemeente has them: wijken, buurten, figures, places."""
    files = {}
    for level, name in (
        ("wijken", "cbs_wijken_2014_5gemeenten"),
        ("buurten", "cbs_buurten_2014_coarse_5gemeenten"),
    ):
        frame = gpd.read_file(real_file(f"cbs_2014/{name}.geojson"))
        files[level] = tmp_path / f"deventer_{level}.geojson"
        frame[frame["gemeentecode"] == "GM0150"].to_file(files[level], driver="GeoJSON")
    files["figures"] = real_file(FIGURES)
    files["places"] = real_file(PLACES)
    return files


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user(*MANAGER, "wijkmanager", actor="test")
    store.close()
    return url


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _logged_in() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(MANAGER[0])
    at.text_input(key="login_password").input(MANAGER[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    at.switch_page("app_pages/data.py").run()
    return _ok(at)


def _upload(at: AppTest, kind: str, path: Path) -> AppTest:
    """Choose the kind of file and put ``path`` into its uploader (keys count imports)."""
    at.radio(key="data_kind@nl").set_value(kind).run()
    found = [u for u in at.file_uploader if u.key and u.key.startswith(f"data_file_{kind}")]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    content = (path.name, path.read_bytes(), "application/octet-stream")
    found[0].set_value([content] if found[0].accept_multiple_files else content).run()
    return _ok(at)


def _click(at: AppTest, label: str) -> AppTest:
    buttons = [b for b in at.button if b.label == label]
    assert buttons, (label, [b.label for b in at.button])
    buttons[0].click().run()
    return _ok(at)


def _stored(url: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    store = Store(url)
    try:
        areas, assets, _meta = store.load_workspace()
    finally:
        store.close()
    return areas, assets


def _metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, (label, [m.label for m in at.metric])
    return values[0]


def test_own_files_one_after_the_other_lead_to_the_kaart_and_kansen(db, deventer_files):
    at = _click(_upload(_logged_in(), "areas", deventer_files["wijken"]), IMPORT)
    at = _click(_upload(at, "areas", deventer_files["buurten"]), IMPORT)
    areas, _ = _stored(db)
    assert areas["level"].value_counts().to_dict() == {"wijk": 15, "buurt": 68}

    at = _click(_upload(at, "figures", deventer_files["figures"]), "Cijfers toevoegen")
    areas, _ = _stored(db)
    wijken = areas[areas["level"] == "wijk"]
    assert wijken["inhabitants"].sum() == 103_390  # CBS 2024, the 15 wijken
    assert areas.loc[areas["level"] == "buurt", "inhabitants"].isna().all()  # never 0

    at = _upload(at, "assets", deventer_files["places"])
    assert at.radio(key="data_how@nl").value == "preset:deventer_wijkteams"
    at = _click(at, IMPORT)
    areas, assets = _stored(db)
    assert areas["level"].value_counts().to_dict() == {"wijk": 15, "buurt": 68}  # kept
    meeting = assets["type"].isin(catalogue().meeting_place_types())
    assert len(assets) == 240 and int(meeting.sum()) == 7

    at.switch_page("app_pages/explore.py").run()
    assert _metric(_ok(at), "Inwoners") == "103.390"
    at.switch_page("app_pages/kansen.py").run()
    _ok(at)
    assert _metric(at, "Bewoners (gewogen)") == "103.390"
    share = float(_metric(at, "Nu binnen loopafstand").rstrip("%").replace(",", "."))
    assert 0 < share < 100
    assert any("alleen per wijk bekend" in i.value for i in at.info)
