"""The Streamlit app, run headless with AppTest: every page, the filters, the language, and a
data folder it cannot read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import map_page
import pytest
from app_helpers import open_app
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))
#: Pages that need a role: they refuse an anonymous session with a warning.
ROLE_PAGES = {
    "app_pages/data.py",
    "app_pages/moderation.py",
    "app_pages/connect.py",
    "app_pages/upkeep.py",
}
ADMIN = ("ada", "beheerder-wachtwoord-1")


def _metric(at: AppTest, label: str) -> int:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric '{label}' on the page"
    return int(str(values[0]).replace(".", ""))


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_page_list_is_complete():
    assert len(PAGES) == 14 and "app_pages/explore.py" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_exception(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    if page in ROLE_PAGES:
        assert any("Log eerst in" in w.value for w in app.warning), "anonymous is refused"
    elif page in ("app_pages/explore.py", "app_pages/kansen.py", "app_pages/about.py"):
        assert any("verzonnen" in w.value for w in app.warning), "the demo is labelled"


@pytest.fixture
def admin_session(tmp_path, monkeypatch) -> AppTest:
    """An app session with an admin logged in (every role's pages open), own database."""
    from asset_map.storage import Store

    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user(*ADMIN, "admin", actor="test")
    store.close()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(ADMIN[0])
    at.text_input(key="login_password").input(ADMIN[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", sorted(ROLE_PAGES))
def test_role_pages_open_for_a_logged_in_user(admin_session, page):
    admin_session.switch_page(page).run()
    assert not admin_session.exception, admin_session.exception
    assert not any("Log eerst in" in w.value for w in admin_session.warning)
    assert not any("geen toegang" in e.value.lower() for e in admin_session.error)


def test_explore_shows_the_whole_demo_by_default(app):
    assets = gpd.read_file(DEMO / "assets.geojson")
    assert _metric(app, "Plekken") == len(assets)


def test_filtering_to_one_wijk_changes_the_counts(app):
    before = _metric(app, "Plekken")
    areas = gpd.read_file(DEMO / "areas.geojson")
    assets = gpd.read_file(DEMO / "assets.geojson")
    wijk = areas[areas["level"] == "wijk"].iloc[0]
    buurten = areas[(areas["level"] == "buurt") & (areas["parent_code"] == wijk["code"])]
    # Known answer, computed apart from the app: the assets inside the wijk's buurten.
    inside = gpd.sjoin(assets, buurten[["geometry"]], predicate="intersects")
    expected = inside.index.nunique()

    app.sidebar.multiselect(key="filter_wijk").select(wijk["code"]).run()
    assert not app.exception, app.exception
    after = _metric(app, "Plekken")
    assert after == expected
    assert 0 < after < before
    expected_inhabitants = int(buurten["inhabitants"].sum())
    assert _metric(app, "Inwoners") == expected_inhabitants


def test_filtering_by_type_counts_only_that_type(app):
    assets = gpd.read_file(DEMO / "assets.geojson")
    app.sidebar.multiselect(key="filter_types@nl").select("speelplek").run()
    assert _metric(app, "Plekken") == int((assets["type"] == "speelplek").sum())


def test_english_is_selectable(app):
    app.sidebar.selectbox(key="lang").select("en").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Neighbourhood asset map"
    assert _metric(app, "Places") > 0


def _percent(at: AppTest, label: str) -> float:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric '{label}' on the page"
    return float(str(values[0]).rstrip("%").replace(".", "").replace(",", "."))


def test_kansen_shows_coverage_and_suggestions(app):
    app.switch_page("app_pages/kansen.py").run()
    assert not app.exception, app.exception
    before = _percent(app, "Nu binnen loopafstand")
    after = _percent(app, "Met de nieuwe plekken")
    assert 0 < before < 100
    assert after > before  # three suggested sites by default add coverage
    suggestions = [df for df in app.dataframe if "Nr." in df.value.columns]
    assert suggestions and len(suggestions[0].value) == 3


def test_kansen_what_if_planned_huiskamers_raise_coverage(app):
    app.switch_page("app_pages/kansen.py").run()
    base = _percent(app, "Nu binnen loopafstand")
    app.toggle(key="gap_what_if").set_value(True)
    app.button[0].click().run()  # the form's "Bereken"
    assert not app.exception, app.exception
    assert _percent(app, "Met de geplande huiskamers") > base
    change = [i.value for i in app.info if "Zonder de geplande huiskamers" in i.value]
    assert change and "meer" in change[0]


def test_data_screen_refuses_anonymous_sessions(app):
    app.switch_page("app_pages/data.py").run()
    assert not app.exception, app.exception
    assert any("Log eerst in" in w.value for w in app.warning)
    assert not [b for b in app.button if b.label == "Toevoegen aan de kaart"]


def test_filtering_by_buurt_changes_the_counts(app):
    areas = gpd.read_file(DEMO / "areas.geojson")
    assets = gpd.read_file(DEMO / "assets.geojson")
    buurten = areas[areas["level"] == "buurt"]
    buurt = buurten.iloc[0]
    # Known answer, apart from the app: the assets inside this buurt's polygon.
    inside = gpd.sjoin(assets, buurten.iloc[[0]][["geometry"]], predicate="intersects")
    expected = inside.index.nunique()
    app.sidebar.multiselect(key="filter_buurt").select(buurt["code"]).run()
    assert not app.exception, app.exception
    assert _metric(app, "Plekken") == expected
    assert 0 < expected < len(assets)
    assert _metric(app, "Inwoners") == int(buurt["inhabitants"])


def _map_args(at: AppTest) -> dict:
    maps = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    maps = [m for m in maps if m.get("id") == "map_div" or "script" in m]
    assert maps, "no map on the page"
    return maps[0]


def _markers(args: dict) -> int:
    """Count the places a map draws (as asset_points.js reads them): its frame and contents."""
    return len(map_page.places(args["script"] + (args.get("feature_group") or "")))


def test_the_map_shows_fewer_markers_after_a_filter(app):
    assets = gpd.read_file(DEMO / "assets.geojson")
    before = _map_args(app)
    assert _markers(before) == len(assets)
    app.sidebar.multiselect(key="filter_types@nl").select("speelplek").run()
    after = _map_args(app)
    assert _markers(after) == int((assets["type"] == "speelplek").sum())
    assert 0 < _markers(after) < _markers(before)
    # The same map gets new contents: its frame (and so the map in the browser) stays.
    assert after["script"] == before["script"]
    assert after["feature_group"] != before["feature_group"]


def test_the_pdok_basemap_gives_its_tiles_and_attribution(app):
    script = _map_args(app)["script"]
    assert "tile.openstreetmap.org" in script  # the default
    app.sidebar.selectbox(key="map_basemap@nl").select("pdok").run()
    assert not app.exception, app.exception
    script = _map_args(app)["script"]
    assert "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/" in script
    assert "Kadaster" in script and "BRT-Achtergrondkaart, PDOK" in script
    assert "tile.openstreetmap.org" not in script


# --- a data folder the app cannot read: a clear message, no traceback ----------------------------


def test_a_data_folder_with_a_place_in_paris_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    folder = tmp_path / "bad"
    shutil.copytree(DEMO, folder)
    assets = gpd.read_file(folder / "assets.geojson")
    assets.loc[0, "geometry"] = Point(2.3522, 48.8566)  # Paris
    assets.to_file(folder / "assets.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = open_app()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors, "the page shows an error box"
    assert "De kaart kan de gegevens in de map" in errors[0]
    assert "assets.geojson" in errors[0]  # the message names the file
    assert not at.metric, "the page stopped: no counts of half-read data"


def test_a_missing_data_folder_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(tmp_path / "does-not-exist"))
    at = open_app()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and "does-not-exist" in errors[0]
    assert "areas.geojson" in errors[0]


def test_an_empty_data_folder_gives_a_message_in_english_too(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("The map cannot read the data in the folder")
