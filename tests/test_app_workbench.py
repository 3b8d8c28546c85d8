"""The planner's workbench (/werkbank) in AppTest: filters, the URL, map <-> table, figures, edits.

Expected numbers are computed here from the demo files with plain pandas/geopandas, apart
from the app's own filter code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store
from asset_map.ui.workbench import js_text, md, nearest_asset

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGE = "app_pages/workbench.py"
PLANNER = ("petra", "planner-wachtwoord-1")


@pytest.fixture(scope="module")
def demo() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The demo's areas and assets, read from the files (the known answers)."""
    areas = gpd.read_file(DEMO / "areas.geojson")
    assets = gpd.read_file(DEMO / "assets.geojson")
    buurten = areas[areas["level"] == "buurt"][["code", "parent_code", "geometry"]]
    located = gpd.sjoin(assets, buurten, predicate="intersects", how="left")
    located = located[~located.index.duplicated()]
    assets["buurt_code"] = located["code"]
    assets["wijk_code"] = located["parent_code"]
    return areas, assets


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'workbench.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user(*PLANNER, "planner", actor="test")
    store.close()
    return url


def _open(query: dict[str, list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric '{label}'"
    return str(values[0])


def _table(at: AppTest) -> pd.DataFrame:
    tables = [df.value for df in at.dataframe if "Naam" in df.value.columns]
    assert tables, "no asset table on the page"
    return tables[0]


def _tab(at: AppTest, label: str) -> AppTest:
    at.session_state["wb_tab@nl"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def _component_args(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]


# --- filters and the table -------------------------------------------------------------------


def test_opens_on_the_whole_demo(db, demo):
    _areas, assets = demo
    at = _open()
    assert any("verzonnen" in w.value for w in at.warning)
    assert _metric(at, "Plekken") == str(len(assets))
    table = _table(at)
    assert len(table) == len(assets)
    assert set(table.index) == set(assets["id"])
    assert dict(at.query_params) == {}


def test_filtering_to_one_wijk_changes_the_table_the_counts_and_the_url(db, demo):
    areas, assets = demo
    wijk = "WK999902"
    inside = assets[assets["wijk_code"] == wijk]
    buurten = areas[(areas["level"] == "buurt") & (areas["parent_code"] == wijk)]
    at = _open()
    at.sidebar.multiselect(key="wb_wijk").select(wijk).run()
    assert not at.exception, at.exception
    assert _metric(at, "Plekken") == str(len(inside))
    assert 0 < len(inside) < len(assets)
    assert set(_table(at).index) == set(inside["id"])
    expected_inhabitants = f"{int(buurten['inhabitants'].sum()):,}".replace(",", ".")
    assert _metric(at, "Inwoners") == expected_inhabitants
    assert at.query_params["wijk"] == [wijk] or at.query_params["wijk"] == wijk


def test_type_tag_and_text_filters_narrow_the_table(db, demo):
    _areas, assets = demo
    at = _open()
    at.sidebar.multiselect(key="wb_type@nl").select("vereniging").run()
    clubs = assets[assets["type"] == "vereniging"]
    assert len(_table(at)) == len(clubs) > 0
    tagged = clubs[clubs["tags"].fillna("").str.split(";").map(lambda t: "ouderen" in t)]
    at.sidebar.multiselect(key="wb_tag").select("ouderen").run()
    assert set(_table(at).index) == set(tagged["id"])
    assert 0 < len(tagged) < len(clubs)
    at.sidebar.multiselect(key="wb_type@nl").unselect("vereniging")
    at.sidebar.multiselect(key="wb_tag").unselect("ouderen")
    at.sidebar.text_input(key="wb_q").input("KOOR").run()  # case does not matter
    text = assets["name"].fillna("") + " " + assets["description"].fillna("")
    choirs = assets[text.str.lower().str.contains("koor")]
    assert set(_table(at).index) == set(choirs["id"])
    assert _metric(at, "Plekken") == str(len(choirs))
    assert at.query_params["q"] in ("KOOR", ["KOOR"])


def test_query_parameters_restore_a_shared_view(db, demo):
    _areas, assets = demo
    at = _open({"wijk": ["WK999901"], "type": ["winkel"], "q": ["bakker"]})
    assert at.sidebar.multiselect(key="wb_wijk").value == ["WK999901"]
    assert at.sidebar.multiselect(key="wb_type@nl").value == ["winkel"]
    assert at.sidebar.text_input(key="wb_q").value == "bakker"
    text = (assets["name"].fillna("") + " " + assets["description"].fillna("")).str.lower()
    expected = assets[
        (assets["wijk_code"] == "WK999901")
        & (assets["type"] == "winkel")
        & text.str.contains("bakker")
    ]
    assert set(_table(at).index) == set(expected["id"])
    assert not [w for w in at.warning if "webadres" in w.value]


def test_unknown_codes_in_a_shared_url_are_dropped_with_a_warning(db, demo):
    at = _open({"wijk": ["WK999903", "WK000000"], "tag": ["bestaat-niet"]})
    warnings = [w.value for w in at.warning if "webadres" in w.value]
    assert warnings and "WK000000" in warnings[0] and "bestaat-niet" in warnings[0]
    assert at.sidebar.multiselect(key="wb_wijk").value == ["WK999903"]
    assert at.sidebar.multiselect(key="wb_tag").value == []
    params = at.query_params
    assert "tag" not in params
    assert params["wijk"] in ("WK999903", ["WK999903"])


def test_english_labels_the_table_and_the_tabs(db):
    at = _open()
    at.sidebar.selectbox(key="lang").select("en").run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == [
        "Map and list",
        "Figures per district and neighbourhood",
        "Download",
    ]
    assert list(at.dataframe[0].value.columns[:3]) == ["Name", "Type", "District"]
    assert _metric(at, "Places") == "300"


# --- map <-> table -----------------------------------------------------------------------------


def test_choosing_a_row_centres_the_map_on_that_asset(db, demo):
    _areas, assets = demo
    at = _open({"wijk": ["WK999904"]})
    ids = list(_table(at).index)
    at.session_state["wb_table"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    chosen = assets.set_index("id").loc[ids[3]]
    args = _component_args(at)[0]
    assert args["center"] == pytest.approx([chosen.geometry.y, chosen.geometry.x], abs=1e-6)
    assert args["zoom"] == 17
    assert "wb-selected" in args["feature_group"]
    assert js_text(chosen["name"]) in args["feature_group"]
    assert any(md(chosen["name"]) in m.value for m in at.markdown)


def test_clicking_an_asset_on_the_map_chooses_its_row(db, demo):
    _areas, assets = demo
    at = _open({"wijk": ["WK999901"]})
    ids = list(_table(at).index)
    target = assets.set_index("id").loc[ids[7]]
    # What st_folium reports for a marker click: its position, rounded to 1e-5 degrees.
    click = {"lat": round(target.geometry.y, 5), "lng": round(target.geometry.x, 5)}
    at.session_state["wb_map"] = {
        "last_object_clicked": click,
        "last_object_clicked_count": 1,
        "last_object_clicked_tooltip": target["name"],
    }
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["wb_selected"] == ids[7]
    assert at.session_state["wb_table"]["selection"]["rows"] == [7]
    # A click on a buurt far from any asset changes nothing.
    far = {"lat": target.geometry.y + 0.01, "lng": target.geometry.x}
    at.session_state["wb_map"] = {"last_object_clicked": far, "last_object_clicked_count": 2}
    at.run()
    assert at.session_state["wb_selected"] == ids[7]
    # Nor does a click on a buurt right beside another asset: its tooltip is the buurt's.
    other = assets.set_index("id").loc[ids[2]]
    near = {"lat": other.geometry.y + 0.00003, "lng": other.geometry.x}  # about 3 m off
    at.session_state["wb_map"] = {
        "last_object_clicked": near,
        "last_object_clicked_count": 3,
        "last_object_clicked_tooltip": "Oude Kern (BU99990101)",
    }
    at.run()
    assert at.session_state["wb_selected"] == ids[7]


def test_nearest_asset_within_the_tolerance(tiny_assets):
    # a1, a2, a3 lie 300 m apart along RD x (conftest).
    rd = gpd.GeoSeries([Point(208305, 473004), Point(208150, 473000)], crs="EPSG:28992")
    lonlat = rd.to_crs("EPSG:4326")
    assert nearest_asset(tiny_assets, lonlat.x[0], lonlat.y[0], max_m=15) == "a2"
    assert nearest_asset(tiny_assets, lonlat.x[1], lonlat.y[1], max_m=15) is None
    assert nearest_asset(tiny_assets.iloc[0:0], lonlat.x[0], lonlat.y[0]) is None


def test_user_text_is_escaped_for_markdown_and_the_map_script():
    evil = "<img src=x onerror=alert(1)> **vet** `${x}` \\"
    assert "<img" not in md(evil) and "\\*\\*vet\\*\\*" in md(evil)
    script = js_text(evil)
    assert "<" not in script and "`" not in script and "${" not in script
    assert "\\" not in script
    assert md(None) == md(float("nan")) == ""


# --- figures -----------------------------------------------------------------------------------


def test_figures_per_wijk_and_buurt(db, demo):
    areas, assets = demo
    at = _tab(_open(), "Cijfers per wijk en buurt")
    per_wijk = at.dataframe[0].value
    wijken = areas[areas["level"] == "wijk"]
    assert list(per_wijk["Gebied"]) == list(wijken["name"])
    existing = assets[assets["status"] == "existing"]
    expected = existing.groupby("wijk_code").size().reindex(wijken["code"]).fillna(0)
    assert [int(v.replace(".", "")) for v in per_wijk["Plekken"]] == [int(n) for n in expected]
    assert per_wijk["Binnen loopafstand van een ontmoetingsplek"].str.endswith("%").all()
    assert len(at.get("vega_lite_chart")) == 2  # a figure per wijk, and the types per wijk
    at.radio(key="wb_level@nl").set_value("buurt").run()
    per_buurt = at.dataframe[0].value
    assert len(per_buurt) == int((areas["level"] == "buurt").sum())
    talents = per_buurt["Talenten van bewoners"]
    assert not talents.isin(["1", "2"]).any()  # small groups show as "<3"


def test_figures_follow_the_chosen_wijk(db):
    at = _tab(_open({"wijk": ["WK999903"]}), "Cijfers per wijk en buurt")
    assert list(at.dataframe[0].value["Gebied"]) == ["De Velden"]


def test_choropleth_hides_small_talent_groups(db):
    from asset_map.ui.workbench_figures import public_talents_column

    shown = public_talents_column(pd.Series([0, 1, 2, 3, None], dtype="Int64"))
    assert shown.iloc[0] == 0 and shown.iloc[3] == 3
    assert shown.iloc[[1, 2, 4]].isna().all()


def test_exports_offer_every_format_and_the_wijk_report(db):
    at = _tab(_open({"wijk": ["WK999902"]}), "Downloaden")
    labels = [b.label for b in at.get("download_button")]
    assert labels[:6] == [
        "Excel (.xlsx)",
        "CSV voor Excel (met ;)",
        "CSV (om weer in te lezen)",
        "GeoJSON",
        "GeoPackage (voor GIS)",
        "Kaart als HTML-bestand",
    ]
    assert "Download het rapport van Oosterhof" in labels


def test_exported_map_is_standalone_html(demo):
    from asset_map.services.export import map_bytes

    areas, assets = demo
    one = assets[assets["wijk_code"] == "WK999904"].head(5)
    html = map_bytes(areas[areas["level"] != "gemeente"], one, lang="nl", basemap="none", label="")
    text = html.decode("utf-8")
    assert "<html" in text.lower()
    assert re.search(r"<script[^>]*\bsrc=", text) is None  # Leaflet inlined, no CDN
    assert re.search(r"<link[^>]*href=.https?:", text) is None
    for name in one["name"]:
        assert json.dumps(js_text(name))[1:-1] in text or js_text(name) in text


# --- editing -----------------------------------------------------------------------------------


def _login(at: AppTest, account: tuple[str, str]) -> None:
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(account[0])
    at.text_input(key="login_password").input(account[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception, at.exception


def _submit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label in ("Plek toevoegen", "Wijzigingen opslaan")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_anonymous_users_cannot_edit(db):
    at = _open()
    assert any("Log dan in" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Plek toevoegen"]


def test_planner_adds_changes_and_deletes_an_asset_with_audit(db, demo):
    _areas, assets = demo
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    _login(at, PLANNER)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    # Add: a wrong form says what to fix under the fields, and stores nothing.
    _submit(at)
    assert any("nog niet opgeslagen" in e.value for e in at.error)
    assert len(_table(at)) == len(assets)
    # In the middle of the buurt Het Ven (WK999904), as a click on the small map gives it.
    at.text_input(key="wb_e_name").input("Buurtkamer <Het Ven>")
    at.selectbox(key="wb_e_type@nl").select("wijkhuiskamer")
    at.text_input(key="wb_e_tags").input("koffie, ouderen")
    at.text_input(key="wb_e_capacity").input("25")
    at.number_input(key="wb_e_lat").set_value(52.4705)
    at.number_input(key="wb_e_lon").set_value(5.6020)
    _submit(at)
    assert any("staat nu op de kaart" in s.value for s in at.success)
    table = _table(at)
    assert len(table) == len(assets) + 1
    new_id = at.session_state["wb_selected"]
    row = table.loc[new_id]
    assert row["Naam"] == "Buurtkamer <Het Ven>"
    assert row["Buurt"] == "Het Ven" and row["Kenmerken"] == "koffie, ouderen"
    # Change it: the chosen row fills the form.
    at.radio(key="wb_edit_mode@nl").set_value("edit").run()
    assert at.text_input(key="wb_e_name").value == "Buurtkamer <Het Ven>"
    assert at.text_input(key="wb_e_tags").value == "koffie, ouderen"
    assert at.text_input(key="wb_e_capacity").value == "25"
    at.text_input(key="wb_e_name").input("Huiskamer Het Ven")
    _submit(at)
    assert _table(at).loc[new_id, "Naam"] == "Huiskamer Het Ven"
    # Delete it, after the tick.
    at.radio(key="wb_edit_mode@nl").set_value("delete").run()
    at.checkbox(key="wb_delete_sure").check().run()
    next(b for b in at.button if b.label == "Verwijderen").click().run()
    assert not at.exception, at.exception
    assert new_id not in _table(at).index
    log = Store(db).audit(entity="asset")
    assert list(log["action"]) == ["added", "edited", "deleted"]
    assert set(log["actor"]) == {"petra"} and set(log["entity_id"]) == {new_id}


def test_wijk_report_is_made_once_per_key():
    from asset_map.render.report import page_count
    from asset_map.services.workspace import DEMO_DIR, load_workspace
    from asset_map.ui import workbench_figures

    ws = load_workspace(DEMO_DIR)
    key = ("test-folder", "WK999901", "nl", "none")
    first = workbench_figures._report(key, ws, "WK999901", lang="nl", talents=None)
    assert first.startswith(b"%PDF") and page_count(first) >= 1
    again = workbench_figures._report(key, ws, "WK999901", lang="nl", talents=None)
    assert again is first  # from the cache, not made again


def test_app_report_equals_the_cli_report(tmp_path):
    """The download in the app and `asset-map report` give the same text, gap summary too."""
    import shutil
    import subprocess

    from asset_map.services.report import wijk_gaps, wijk_report
    from asset_map.services.workspace import DEMO_DIR, load_workspace
    from asset_map.ui import workbench_figures

    ws = load_workspace(DEMO_DIR)
    key = ("cli-compare", "WK999902", "nl", "none")
    app_pdf = workbench_figures._report(key, ws, "WK999902", lang="nl", talents=None)
    cli_pdf = wijk_report(ws, "WK999902", lang="nl", gaps=wijk_gaps(ws, "WK999902"))

    def text(pdf: bytes, name: str) -> str:
        path = tmp_path / name
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    app_text = text(app_pdf, "app.pdf")
    assert app_text == text(cli_pdf, "cli.pdf")
    assert "Hier kan een nieuwe ontmoetingsplek het meeste verschil maken" in app_text


def test_choropleth_offers_key_figures_and_places_per_type(db, demo):
    at = _tab(_open(), "Cijfers per wijk en buurt")
    box = at.selectbox(key="wb_choropleth@nl")
    options = list(box.options)
    assert "Binnen loopafstand van een ontmoetingsplek" in options
    assert "65 jaar en ouder" in options  # a key figure of the areas
    assert "Aantal plekken: Buurthuis" in options  # a count per type
    box.set_value("n_buurthuis").run()
    assert not at.exception, at.exception

    from asset_map.services.workspace import load_workspace
    from asset_map.ui.workbench_figures import choropleth_areas

    ws = load_workspace()
    areas = choropleth_areas(ws, ws.talents, None)
    _areas, assets = demo
    existing = assets[(assets["type"] == "buurthuis") & (assets["status"] == "existing")]
    per_buurt = existing.groupby("buurt_code").size()
    buurten = areas[areas["level"] == "buurt"].set_index("code")["n_buurthuis"]
    assert buurten.sum() == len(existing)
    assert (buurten.reindex(per_buurt.index) == per_buurt).all()
    assert (buurten.drop(per_buurt.index) == 0).all()  # no place of the type: 0, not missing
