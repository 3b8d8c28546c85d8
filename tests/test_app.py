"""The Streamlit app, run headless with AppTest: every page, the filters, the language."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGES = ["app_pages/explore.py", "app_pages/kansen.py", "app_pages/about.py"]


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


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_exception(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert any("verzonnen" in w.value for w in app.warning), "the demo is labelled as demo data"


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
    app.sidebar.multiselect(key="filter_types").select("speelplek").run()
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
    assert _percent(app, "Nu binnen loopafstand") > base
    change = [i.value for i in app.info if "Zonder de geplande huiskamers" in i.value]
    assert change and "meer" in change[0]


def test_data_screen_refuses_anonymous_sessions(app):
    app.switch_page("app_pages/data.py").run()
    assert not app.exception, app.exception
    assert any("Log eerst in" in w.value for w in app.warning)
    assert not [b for b in app.button if b.label == "Toevoegen aan de kaart"]
