"""The app on key figures known per wijk only (as CBS gives Deventer's): Kaart, Kansen, werkbank.

The workspace is the demo with every buurt figure removed, so only its four wijken have
figures (44,280 inhabitants together); in one variant the wijken have inhabitants only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.services.workspace import load_workspace
from asset_map.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
FIGURES = ["inhabitants", "pct_65_plus", "households", "pct_single_households"]


def wijk_only_folder(tmp_path: Path, *, inhabitants_only: bool) -> Path:
    """A copy of the demo whose buurten have no key figures (and maybe wijken only inhabitants)."""
    folder = tmp_path / "wijkcijfers"
    shutil.copytree(DEMO, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    areas.loc[areas["level"] == "buurt", FIGURES] = np.nan
    if inhabitants_only:
        areas.loc[:, FIGURES[1:]] = np.nan
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    return folder


def _open(folder: Path, monkeypatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric '{label}'"
    return str(values[0])


def test_the_kaart_shows_the_wijken_inhabitants_not_zero(tmp_path, monkeypatch):
    at = _open(wijk_only_folder(tmp_path, inhabitants_only=True), monkeypatch)
    assert _metric(at, "Inwoners") == "44.280"  # 9,465 + 13,075 + 15,640 + 6,100
    at.sidebar.multiselect(key="filter_wijk").set_value(["WK999901"]).run()
    assert _metric(at, "Inwoners") == "9.465"  # the wijk's own figure
    at.sidebar.multiselect(key="filter_buurt").set_value(["BU99990101"]).run()
    assert _metric(at, "Inwoners") == "–"  # a buurt CBS gave nothing for: unknown, not 0


def test_kansen_runs_on_wijk_figures_and_says_they_are_estimates(tmp_path, monkeypatch, gap_calls):
    folder = wijk_only_folder(tmp_path, inhabitants_only=True)
    at = _open(folder, monkeypatch, "app_pages/kansen.py")
    assert not at.error, [e.value for e in at.error]
    # Only inhabitants are known: every resident counts the same, and the screen says why.
    assert at.selectbox(key="gap_need@nl").value == "all"
    assert any("geen cijfers over 65-plussers" in c.value for c in at.caption)
    assert gap_calls and gap_calls[0].weights == NeedWeights.preset("all")
    ws = load_workspace(folder)
    expected = analyse_gaps(ws.areas, ws.assets, GapParams(weights=NeedWeights.preset("all")))
    assert expected.summary["residents_total"] == pytest.approx(44_280)
    assert _metric(at, "Bewoners (gewogen)") == "44.280"
    infos = [i.value for i in at.info if i.value.startswith("Let op: een deel van de cijfers")]
    assert len(infos) == 1
    n = expected.summary["buurten_estimated"]
    assert f"Van {n} buurten zijn de cijfers alleen per wijk bekend" in infos[0]
    assert "44.280 van de 44.280 inwoners" in infos[0]
    table = next(df.value for df in at.dataframe if "Geschat" in df.value.columns)
    assert (table["Geschat"] == "geschat").sum() == n
    notes = [t.value for t in at.text]
    assert any(s.startswith(f"Van {n} buurten weten we het aantal inwoners niet") for s in notes)


def test_kansen_weighs_by_need_when_the_wijken_have_the_figures(tmp_path, monkeypatch, gap_calls):
    at = _open(wijk_only_folder(tmp_path, inhabitants_only=False), monkeypatch)
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="gap_need@nl").value == "mix"  # 65+ and households per wijk
    assert gap_calls[0].weights == NeedWeights()
    assert any(i.value.startswith("Let op: een deel van de cijfers") for i in at.info)


def test_the_werkbank_table_shows_the_wijk_figure_and_unknown_buurten(tmp_path, monkeypatch):
    at = _open(wijk_only_folder(tmp_path, inhabitants_only=True), monkeypatch)
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    assert _metric(at, "Inwoners") == "44.280"
    at.session_state["wb_tab@nl"] = "Cijfers per wijk en buurt"
    at.run()
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe if "Inwoners" in df.value.columns]
    assert tables, "no figures table"
    wijken = tables[0].set_index(tables[0].columns[0])
    assert wijken.loc["Centrum", "Inwoners"] == "9.465"
    assert any("geschat uit de cijfers van hun wijk" in c.value for c in at.caption)
    at.radio(key="wb_level@nl").set_value("buurt").run()
    buurten = next(df.value for df in at.dataframe if "Inwoners" in df.value.columns)
    assert set(buurten["Inwoners"]) == {"–"}  # never 0 where CBS gave nothing


def test_deventer_kaart_and_kansen_on_the_real_wijk_figures(real_file, tmp_path, monkeypatch):
    """Deventer's 15 wijken (2024 inhabitants) and 68 buurten (no figures), its wijkteam list."""
    from asset_map.io import read_areas
    from asset_map.io.asset_files import read_any_assets
    from asset_map.io.figures import join_figures

    files = []
    for name in ("cbs_wijken_2014_5gemeenten", "cbs_buurten_2014_coarse_5gemeenten"):
        frame = gpd.read_file(real_file(f"cbs_2014/{name}.geojson"))
        files.append(tmp_path / f"{name}.geojson")
        frame[frame["gemeentecode"] == "GM0150"].to_file(files[-1], driver="GeoJSON")
    frames = [read_areas(path).frame for path in files]
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    figures = real_file("cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv")
    areas = join_figures(areas, figures).frame
    places = real_file("deventer_wijkteams/deventer_wijkteam_assets.geojson")
    assets = read_any_assets(places, mapping="deventer_wijkteams").frame
    folder = tmp_path / "deventer"
    folder.mkdir()
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    assets.to_file(folder / "assets.geojson", driver="GeoJSON")
    at = _open(folder, monkeypatch)
    assert _metric(at, "Inwoners") == "103.390"  # the 15 wijken's sum, not 0
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _metric(at, "Bewoners (gewogen)") == "103.390"
    share = float(_metric(at, "Nu binnen loopafstand").rstrip("%").replace(",", "."))
    assert 0 < share < 100
    assert any("Van 67 buurten zijn de cijfers alleen per wijk bekend" in i.value for i in at.info)


# --- the Kaart colours the wijken by a figure only wijken have -----------------------------------


def test_the_app_colours_the_wijken_by_a_figure_only_wijken_have(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(DEMO, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    areas.loc[areas["level"] == "buurt", "inhabitants"] = np.nan  # a wijk-level figure now
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    choropleth = at.sidebar.selectbox(key="map_choropleth@nl")
    assert "inhabitants" in choropleth.options or "Inwoners" in choropleth.options
    choropleth.set_value("inhabitants").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.sidebar.caption if "alleen per wijk" in c.value]
    assert captions == ["Dit cijfer is er alleen per wijk. Daarom kleurt de kaart de wijken."]
    assert not [r for r in at.sidebar.radio if r.key == "map_choropleth_level@nl"]
    # A figure both levels have: the user chooses the level, buurten first.
    at.sidebar.selectbox(key="map_choropleth@nl").set_value("pct_65_plus").run()
    level = at.sidebar.radio(key="map_choropleth_level@nl")
    assert list(level.options) == ["buurt", "wijk"] and level.value == "buurt"
