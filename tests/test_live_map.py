"""A map that stays in the page: one frame for every selection, the selection in the contents.

``map_parts`` splits a rendered map; ``live_map.show`` hands the parts to the map component of
``streamlit_folium`` with the arguments ``st_folium`` gives it. What the browser does with
them (new contents in the same map) is tested in tests/test_browser.py.
"""

from __future__ import annotations

import map_page
import pytest
import streamlit_folium

from asset_map.analysis.areas import select_areas, select_assets
from asset_map.render import vendor
from asset_map.render.map import build_map
from asset_map.render.map_parts import MAP_NAME, map_parts, middle
from asset_map.ui import live_map

WIJK = "WK999902"


def _parts(demo, *, wijken=(), basemap="osm", lang="nl"):
    areas, assets = demo
    fmap = build_map(
        select_areas(areas, wijken=wijken),
        select_assets(assets, wijken=wijken),
        lang=lang,
        basemap=basemap,
        vendor_base=vendor.APP_STATIC_BASE,
    )
    return map_parts(fmap, center=middle(areas), vendor_base=vendor.APP_STATIC_BASE)


def test_the_frame_is_the_same_for_every_selection(demo):
    everything, one_wijk = _parts(demo), _parts(demo, wijken=[WIJK])
    assert everything.frame == one_wijk.frame
    assert everything.frame_key == one_wijk.frame_key
    assert everything.contents != one_wijk.contents
    assert f'var {MAP_NAME} = L.map(\n                "{MAP_NAME}"' in everything.frame
    assert "tile.openstreetmap.org" in everything.frame
    assert "L.assetPoints" not in everything.frame  # no place in the frame


def test_the_contents_hold_the_selection(demo):
    _areas, assets = demo
    in_wijk = select_assets(assets, wijken=[WIJK])
    assert 0 < len(in_wijk) < len(assets)
    assert len(map_page.places(_parts(demo).contents)) == len(assets)
    contents = _parts(demo, wijken=[WIJK]).contents
    assert sorted(p["name"] for p in map_page.places(contents)) == sorted(in_wijk["name"])
    assert contents.startswith(f"L.amContents({MAP_NAME}, ")
    assert "L.amControls.fit(" in contents and "L.control.layers(" in contents
    # The map's controls come with every contents (they show its places and areas).
    assert "L.amControls.search(" in contents and "L.amControls.locate(" in contents


def test_the_tiles_notice_is_in_the_frame_once(demo):
    parts = _parts(demo)
    assert parts.frame.count("L.amControls.tiles(") == 1
    assert f"{MAP_NAME}_tiles_0" in parts.frame.split("L.amControls.tiles(", 1)[1]
    assert "L.amControls.tiles(" not in parts.contents


def test_another_base_map_is_another_frame(demo):
    osm, none = _parts(demo), _parts(demo, basemap="none")
    assert osm.frame_key != none.frame_key
    assert "tile.openstreetmap.org" not in none.frame


def test_every_frame_loads_every_script_a_contents_may_need(demo):
    areas, _assets = demo
    fmap = build_map(areas, _assets.iloc[:0], vendor_base=vendor.APP_STATIC_BASE)  # no places
    parts = map_parts(fmap, center=middle(areas), vendor_base=vendor.APP_STATIC_BASE)
    for file in (vendor.CLUSTER_JS, vendor.ASSET_POINTS_JS):
        assert vendor.vendor_url(file, vendor.APP_STATIC_BASE) in parts.js_links
    assert parts.js_links[0] == vendor.vendor_url(vendor.LEAFLET_JS, vendor.APP_STATIC_BASE)
    assert "L.amContents = function" in parts.frame  # written into the frame, no file


def test_the_component_gets_what_st_folium_would_give_it(demo, monkeypatch):
    areas, assets = demo
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    fmap = build_map(areas, assets, vendor_base=vendor.APP_STATIC_BASE)
    streamlit_folium.st_folium(
        fmap, returned_objects=[], use_container_width=True, height=680, key="m"
    )
    parts = _parts(demo)
    live_map.show(parts, key="m", height=680)
    theirs, ours = calls
    assert set(ours) == set(theirs) - {"on_change"}
    same = ("html", "id", "height", "width", "returned_objects", "default", "zoom", "center")
    assert {k: ours[k] for k in same} == {k: theirs[k] for k in same}
    assert set(theirs["js_links"]) <= set(ours["js_links"])
    assert set(theirs["css_links"]) <= set(ours["css_links"])
    assert ours["script"] == parts.frame and ours["feature_group"] == parts.contents
    assert ours["key"].startswith("m-") and parts.frame_key in ours["key"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_cache_builds_a_map_once_per_key(lang):
    built: list[str] = []

    def build():
        built.append(lang)
        return f"parts {lang}"

    key = ("test", "live-map-cache", lang)
    assert live_map.cached_parts(key, build) == f"parts {lang}"
    assert live_map.cached_parts(key, build) == f"parts {lang}"
    assert built == [lang]
