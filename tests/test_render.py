"""The folium map, tested by rendering it to a string (as geopandas tests ``explore``)."""

from __future__ import annotations

import re

import geopandas as gpd
import map_page
import numpy as np
import pandas as pd
import pytest
from map_page import asset_call
from shapely.geometry import box

from asset_map.model import catalogue
from asset_map.render import vendor
from asset_map.render.activities import ACTIVITY_COLOR
from asset_map.render.asset_points import CANVAS_FROM
from asset_map.render.map import build_map, map_html
from asset_map.render.styles import NO_DATA_COLOR, format_number, quantile_classes


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["WK999901", "BU99990101", "BU99990102"],
            "name": ["Wijk <Een>", "Buurt A", "Buurt B"],
            "level": ["wijk", "buurt", "buurt"],
            "parent_code": ["GM9999", "WK999901", "WK999901"],
            "inhabitants": [3000.0, 1000.0, 2000.0],
            "pct_65_plus": [20.0, 10.0, np.nan],
            "households": [1500.0, 500.0, 1000.0],
            "pct_single_households": [30.0, 20.0, 40.0],
            "land_area_ha": [100.0, 50.0, 50.0],
        },
        geometry=[
            box(5.0, 52.0, 5.02, 52.01),
            box(5.0, 52.0, 5.01, 52.01),
            box(5.01, 52.0, 5.02, 52.01),
        ],
        crs="EPSG:4326",
    )


def _assets(names: list[str], types: list[str]) -> gpd.GeoDataFrame:
    n = len(names)
    return gpd.GeoDataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "name": names,
            "type": types,
            "description": ["x"] * n,
            "address": ["Dorpsstraat 1"] * n,
            "tags": ["a;b"] * n,
            "source": ["test"] * n,
            "status": ["existing"] * n,
            "capacity": [np.nan] * n,
        },
        geometry=gpd.points_from_xy(np.linspace(5.001, 5.019, n), [52.005] * n),
        crs="EPSG:4326",
    )


def _rows(html: str) -> list[str]:
    """The rows of the small point layers (talents, activities, sites)."""
    return re.findall(r"var rows = (\[.*?\]);\n", html)


def test_one_clustering_and_a_layer_per_type_with_counts_in_the_layer_control():
    assets = _assets(["A", "B", "C"], ["park", "park", "buurthuis"])
    html = map_html(build_map(_areas(), assets, basemap="none"))
    assert html.count("L.assetPoints(map_") == 1  # every place in one element, sent once
    call = asset_call(html)
    assert call is not None
    data, options = call
    assert options == {"cluster": True, "canvas": False, "actColor": ACTIVITY_COLOR}
    # The types in the catalogue's order, each a range of places.
    assert [(t["key"], t["n"]) for t in data["types"]] == [("buurthuis", 1), ("park", 2)]
    assert sorted(p["name"] for p in map_page.places(html) if p["type"] == "park") == ["A", "B"]
    # One switch per type, in the layer control with its count.
    switches = re.findall(r"var asset_type_layer_\w+ = asset_points_\w+\.typeLayer\((\d)\)", html)
    assert switches == ["0", "1"]
    assert "Park of groen (2)" in html
    assert "Buurthuis (1)" in html
    overlays = re.search(r"overlays :\s*\{(.*?)\}", html, re.S)
    assert overlays is not None
    assert overlays.group(1).count(": asset_type_layer_") == 2


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "'; alert(1); //",
        "</script><script>alert(1)</script>",
    ],
)
def test_asset_text_is_escaped_everywhere(evil):
    assets = _assets([evil], ["park"])
    assets.loc[0, "description"] = evil
    areas = _areas()
    areas.loc[1, "name"] = evil
    html = map_html(build_map(areas, assets, basemap="none"))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'onerror="alert' not in html
    # The text is still there, escaped, for the browser to show as text.
    assert "alert(1)" in html


def test_jinja_syntax_in_data_is_not_executed():
    """branca re-parses rendered scripts as templates; data must not run as one."""
    assets = _assets(["{{ 7*7 }} {% if true %}X{% endif %}"], ["park"])
    html = map_html(build_map(_areas(), assets, basemap="none"))
    (place,) = map_page.places(html)
    assert "49" not in str(place["name"])
    assert "&#123;&#123; 7*7 &#125;&#125;" in html.replace("\\u0026", "&")


def test_no_cdn_only_the_chosen_tile_server():
    html = map_html(build_map(_areas(), _assets(["A"], ["park"]), basemap="osm"))
    loaded = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded == []  # every script and stylesheet is inlined
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    requested = {u for u in urls if "{z}" in u}
    assert requested == {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
    hosts = set(re.findall(r"https?://([^/\s\"'<>)]+)", html))
    # Tiles; links in attributions; the SVG namespace and a comment inside leaflet.js.
    assert hosts <= {
        "tile.openstreetmap.org",
        "www.openstreetmap.org",
        "leafletjs.com",
        "www.w3.org",
        "bugzilla.mozilla.org",
    }, hosts
    assert "L.markerClusterGroup" in html and "leaflet.markercluster" not in loaded


def test_basemap_none_makes_no_tile_request():
    html = map_html(build_map(_areas(), _assets(["A"], ["park"]), basemap="none"))
    assert "{z}" not in html
    assert '"maxZoom": 19' in html  # clustering needs a maxZoom on the map itself


def test_app_mode_links_local_static_files():
    fmap = build_map(_areas(), _assets(["A"], ["park"]), vendor_base=vendor.APP_STATIC_BASE)
    html = fmap.get_root().render()
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert links, "the app mode links Leaflet's files"
    assert all(u.startswith("/app/static/vendor/") for u in links), links
    for url in links:
        relative = url.removeprefix(vendor.APP_STATIC_BASE)
        folder, rel = relative.split("/", 1)
        assert (vendor.FOLDERS[folder] / rel).is_file()


def test_install_static_copies_vendor_files(tmp_path):
    target = vendor.install_static(tmp_path)
    assert (target / "leaflet" / "leaflet.js").is_file()
    assert (target / "leaflet" / "images" / "layers.png").is_file()
    assert (target / "leaflet.markercluster" / "leaflet.markercluster.js").is_file()
    ours = target / "asset_map" / "asset_points.js"
    assert ours.read_bytes() == vendor.ASSET_POINTS_JS.path.read_bytes()
    # A changed copy is replaced, also when its size stayed the same.
    text = ours.read_bytes()
    ours.write_bytes(text.replace(b"'use strict'", b"'use STRICT'"))
    vendor.install_static(tmp_path)
    assert ours.read_bytes() == text


def test_many_places_without_clustering_go_on_a_canvas():
    types = ["park", "winkel"] * (CANVAS_FROM // 2)
    assets = _assets([f"P{i}" for i in range(len(types))], types)
    for cluster, canvas in ((True, False), (False, True)):
        html = map_html(build_map(_areas(), assets, basemap="none", cluster=cluster))
        call = asset_call(html)
        assert call is not None
        assert call[1] == {"cluster": cluster, "canvas": canvas, "actColor": ACTIVITY_COLOR}
        assert ('"preferCanvas": true' in html) is canvas  # the areas share the canvas
        assert ("e.Leaflet.markercluster" in html) is cluster  # its file only when clustering
    few = map_html(build_map(_areas(), assets.iloc[:10], basemap="none", cluster=False))
    assert asset_call(few)[1] == {"cluster": False, "canvas": False, "actColor": ACTIVITY_COLOR}


def test_inline_css_embeds_images():
    html = map_html(build_map(_areas(), _assets(["A"], ["park"]), basemap="none"))
    assert "url(data:image/png;base64," in html
    assert "url(images/" not in html


def test_popup_fields_and_planned_flag():
    assets = _assets(["Huiskamer Zuid", "De Linde"], ["wijkhuiskamer", "wijkhuiskamer"])
    assets.loc[0, "status"] = "planned"
    assets.loc[1, "capacity"] = 40
    assets.loc[1, "address"] = "Dorpsstraat 12a"
    assets.loc[0, "description"] = None
    html = map_html(build_map(_areas(), assets, basemap="none"))
    places = sorted(map_page.places(html), key=lambda p: str(p["name"]))
    assert [p["name"] for p in places] == ["De Linde", "Huiskamer Zuid"]
    linde, zuid = places
    assert (linde["lat"], linde["lon"]) == (52.005, 5.019)
    assert (zuid["lat"], zuid["lon"]) == (52.005, 5.001)
    assert (linde["street"], linde["number"]) == ("Dorpsstraat", "12a")
    assert (zuid["street"], zuid["number"]) == ("Dorpsstraat", "1")
    assert linde["tags"] == "a, b" and linde["source"] == "test"
    assert linde["description"] == "x" and zuid["description"] == ""
    assert (linde["capacity"], zuid["capacity"]) == ("40", "")
    assert (linde["planned"], zuid["planned"]) == (False, True)
    assert "Gepland, nog niet open" in html


def test_long_descriptions_are_cut_in_the_popup_only():
    long_text = "Koffie & thee <elke> dinsdag " * 20  # 580 characters
    assets = _assets(["A", "B"], ["park", "park"])
    assets.loc[0, "description"] = long_text
    assets.loc[1, "description"] = "Kort."
    places = {p["name"]: p for p in map_page.places(map_html(build_map(_areas(), assets)))}
    shown = str(places["A"]["description"])
    assert shown.endswith("…") and not shown.endswith(" …")
    assert len(shown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")) <= 160
    assert shown.startswith("Koffie &amp; thee &lt;elke&gt; dinsdag")  # cut, then escaped
    assert places["B"]["description"] == "Kort."
    assert assets.loc[0, "description"] == long_text  # the data itself is not changed


def test_english_labels():
    html = map_html(build_map(_areas(), _assets(["A"], ["park"]), basemap="none", lang="en"))
    assert "Park or green space (1)" in html
    assert "Park of groen" not in html


def test_choropleth_colours_buurten_and_marks_missing():
    html = map_html(
        build_map(_areas(), _assets(["A"], ["park"]), choropleth="pct_65_plus", basemap="none")
    )
    assert NO_DATA_COLOR in html  # Buurt B has no figure: grey, never the lowest class
    assert "geen gegevens" in html


def test_talents_shown_per_buurt_with_small_groups_hidden():
    talents = pd.DataFrame(
        {
            "id": ["t1", "t2", "t3", "t4", "t5"],
            "nickname": ["Anna", "Bo", "Cem", "Dirk", "Eva"],
            "categories": ["koken;muziek", "koken", "koken", "tuinieren", "koken"],
            "description": [""] * 5,
            "wishes": [""] * 5,
            "availability": [""] * 5,
            "buurt_code": ["BU99990101"] * 3 + ["BU99990102"] * 2,
            "status": ["approved", "approved", "approved", "approved", "pending"],
        }
    )
    html = map_html(build_map(_areas(), _assets(["A"], ["park"]), talents=talents, basemap="none"))
    rows = [r for r in _rows(html) if "Talenten in" in r]
    assert len(rows) == 1
    row = rows[0].replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
    assert "Talenten in Buurt A" in row and "Talenten in Buurt B" in row
    assert "<td>Koken</td><td>3</td>" in row  # three approved cooks in Buurt A
    assert "<td>Muziek</td><td>&lt;3</td>" in row  # one musician: shown as <3
    assert "Eva" not in html and "Anna" not in html  # never a name


def test_fifty_thousand_assets_make_a_small_page():
    """Realistic texts: distinct names and addresses, a description on about 30%."""
    rng = np.random.default_rng(3)
    types = [k for k in catalogue().types if k != "talent"]
    n = 50_000
    assets = _assets([f"Plek {i} aan de Dorpsstraat" for i in range(n)], list(rng.choice(types, n)))
    assets["address"] = [f"Straat{i % 500} {i // 500 + 1}" for i in range(n)]
    described = rng.random(n) < 0.3
    assets["description"] = [
        f"Activiteit {i}: " + "koffie en een praatje " * int(rng.integers(2, 9)) if has else None
        for i, has in enumerate(described)
    ]
    assets["tags"] = rng.choice(["", "ouderen", "kinderen;spelen", "groen"], n)
    html = map_html(build_map(_areas(), assets, basemap="none"))
    assert len(html.encode()) < 5_000_000
    places = map_page.places(html)
    assert len(places) == n
    assert len({p["name"] for p in places}) == n
    assert len({(p["street"], p["number"]) for p in places}) == n
    assert sum(1 for p in places if p["description"]) == int(described.sum())


def test_unknown_options_are_refused():
    with pytest.raises(ValueError, match=r"no base map 'google'\. Choose one of: osm, pdok, none"):
        build_map(_areas(), _assets(["A"], ["park"]), basemap="google")
    with pytest.raises(ValueError, match="Unknown key figure 'income'"):
        build_map(_areas(), _assets(["A"], ["park"]), choropleth="income")


def test_quantile_classes_and_dutch_numbers():
    classes = quantile_classes(pd.Series([1, 2, 3, 4, 5, None]))
    assert classes is not None and classes.breaks[0] == 1 and classes.breaks[-1] == 5
    assert classes.color_of(None) == NO_DATA_COLOR
    assert classes.color_of(1) == classes.colors[0]
    assert classes.color_of(5) == classes.colors[-1]
    assert quantile_classes(pd.Series([np.nan])) is None
    assert format_number(12345.0) == "12.345"
    assert format_number(23.45, "%") == "23,4%" or format_number(23.45, "%") == "23,5%"
    assert format_number(1234.5, "ha", lang="en") == "1,234.5 ha"
    assert format_number(None) == "–"


def test_the_legend_explains_the_clusters_only_when_there_are_clusters():
    assets = _assets(["A", "B"], ["park", "winkel"])
    clustered = map_html(build_map(_areas(), assets, basemap="none"))
    assert "Meer plekken bij elkaar: klik erop om in te zoomen" in clustered
    english = map_html(build_map(_areas(), assets, basemap="none", lang="en"))
    assert "Several places together: click to zoom in" in english
    drawn_one_by_one = map_html(build_map(_areas(), assets, basemap="none", cluster=False))
    assert "Meer plekken bij elkaar" not in drawn_one_by_one
