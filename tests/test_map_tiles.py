"""The background of a map: an own tile server from the settings, credits that match it.

The app, the CLI and every exported map draw the base map chosen (or the own tile server of
``ASSET_MAP_TILES_URL`` by default, when it is set); a map without tiles credits no tile
server; a map with tiles carries the notice for when they cannot load.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from app_helpers import open_app
from cli_helpers import run_cli
from shapely.geometry import Point, box
from streamlit.testing.v1 import AppTest

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.render.map import build_map, map_html
from asset_map.render.styles import default_basemap, resolve_basemap
from asset_map.services.export import map_bytes

OWN = {
    "ASSET_MAP_TILES_URL": "https://tegels.gemeente.example/{z}/{x}/{y}.png",
    "ASSET_MAP_TILES_ATTRIBUTION": "© Gemeente Voorbeeld <intranet>",
    "ASSET_MAP_TILES_MAX_ZOOM": "18",
}
OSM_TILES = "tile.openstreetmap.org"


@pytest.fixture
def own_tiles(monkeypatch):
    for name, value in OWN.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def no_own_tiles(monkeypatch):
    for name in OWN:
        monkeypatch.delenv(name, raising=False)


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["BU99990101"], "name": ["Buurt"], "level": ["buurt"], "parent_code": ["W"]},
        geometry=[box(5.0, 52.0, 5.01, 52.01)],
        crs="EPSG:4326",
    )


def _assets(source: str = "test") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a"],
            "name": ["Plek"],
            "type": ["park"],
            "description": [""],
            "address": [""],
            "tags": [""],
            "source": [source],
            "status": ["existing"],
            "capacity": [None],
        },
        geometry=[Point(5.005, 52.005)],
        crs="EPSG:4326",
    )


def _tile_urls(page: str) -> set[str]:
    return {u for u in re.findall(r"https?://[^\s\"'<>)]+", page) if "{z}" in u}


def test_the_own_tile_server_is_the_default_with_its_credit_and_zoom(own_tiles):
    assert default_basemap() == "eigen"
    page = map_html(build_map(_areas(), _assets()))
    assert _tile_urls(page) == {OWN["ASSET_MAP_TILES_URL"]}
    # Its credit as the settings give it, as text (escaped), and no OpenStreetMap credit.
    assert '"attribution": "\\u00a9 Gemeente Voorbeeld \\u0026lt;intranet\\u0026gt;"' in page
    assert "OpenStreetMap" not in page
    assert '"maxZoom": 18' in page
    assert "L.amControls.tiles(map_" in page  # the notice for when it cannot load


def test_without_the_setting_openstreetmap_is_the_default_and_eigen_is_refused(no_own_tiles):
    assert default_basemap() == "osm"
    assert _tile_urls(map_html(build_map(_areas(), _assets()))) == {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    }
    with pytest.raises(AssetMapError) as refused:
        resolve_basemap("eigen")
    assert "ASSET_MAP_TILES_URL" in explain(refused.value, "nl")
    assert explain(refused.value, "nl").startswith("Er is geen eigen kaartserver ingesteld.")


def test_a_map_without_tiles_credits_no_tile_server_and_has_no_notice(own_tiles):
    page = map_html(build_map(_areas(), _assets(), basemap="none"))
    assert _tile_urls(page) == set()
    assert "Gemeente Voorbeeld" not in page and "OpenStreetMap" not in page
    assert "L.amControls.tiles(map_" not in page
    # Data from OpenStreetMap is still credited as data (ODbL), tiles or not.
    with_osm_data = map_html(build_map(_areas(), _assets("OpenStreetMap"), basemap="none"))
    assert "OpenStreetMap contributors (ODbL)" in with_osm_data
    assert _tile_urls(with_osm_data) == set()


def test_exported_maps_follow_the_chosen_background(own_tiles):
    expected = {
        "none": set(),
        "pdok": {
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
        },
        "eigen": {OWN["ASSET_MAP_TILES_URL"]},
    }
    for basemap, urls in expected.items():
        page = map_bytes(_areas(), _assets(), lang="nl", basemap=basemap).decode("utf-8")
        assert _tile_urls(page) == urls, basemap


def test_the_cli_draws_the_own_tile_server_and_refuses_it_when_it_is_not_set(
    tmp_path, capsys, monkeypatch
):
    areas = tmp_path / "areas.geojson"
    assets = tmp_path / "assets.geojson"
    _areas().to_file(areas)
    _assets().to_file(assets)
    out = tmp_path / "kaart.html"
    args = ["map", "--areas", str(areas), "--assets", str(assets), "--out", str(out)]
    for name, value in OWN.items():
        monkeypatch.setenv(name, value)
    code, _out, err = run_cli(capsys, args)
    assert code == 0, err
    assert _tile_urls(out.read_text("utf-8")) == {OWN["ASSET_MAP_TILES_URL"]}  # the default
    for name in OWN:
        monkeypatch.delenv(name)
    out.unlink()
    code, _out, err = run_cli(capsys, [*args, "--basemap", "eigen"])
    assert code == 2
    assert "Er is geen eigen kaartserver ingesteld" in err and "ASSET_MAP_TILES_URL" in err
    assert not out.exists()  # nothing half-written


def _map_script(at: AppTest) -> str:
    maps = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    scripts = [m["script"] for m in maps if "script" in m]
    assert scripts, "no map on the page"
    return scripts[0]


def test_the_kaart_and_the_werkbank_share_one_base_map_choice(no_own_tiles, monkeypatch, tmp_path):
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", f"sqlite:///{tmp_path / 'one.sqlite'}")
    at = open_app()  # the Kaart
    at.sidebar.selectbox(key="map_basemap@nl").select("none").run()
    assert not at.exception, at.exception
    assert _tile_urls(_map_script(at)) == set()
    # Kansen draws no picker; the choice holds there, and on the werkbank after it.
    at.switch_page("app_pages/kansen.py").run()
    assert _tile_urls(_map_script(at)) == set()
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="map_basemap@nl").value == "none"
    assert _tile_urls(_map_script(at)) == set()  # the map, and so its HTML download


def test_a_wrong_tile_setting_is_shown_and_the_maps_still_draw(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", f"sqlite:///{tmp_path / 'wrong.sqlite'}")
    monkeypatch.setenv("ASSET_MAP_TILES_URL", "https://tegels.example/zonder-plekken.png")
    kaart = open_app()
    assert not kaart.exception, kaart.exception
    assert any("ASSET_MAP_TILES_URL" in e.value for e in kaart.sidebar.error)
    assert _tile_urls(_map_script(kaart)) == {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
