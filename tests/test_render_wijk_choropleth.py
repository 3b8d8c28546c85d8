"""Maps of figures CBS gives per wijk only: the wijken are coloured, buurten say "unknown"."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pytest
from cli_helpers import run_map
from shapely.geometry import Point, box

from asset_map.cli.maps import buurt_has_figure
from asset_map.render.map import build_map, map_html
from asset_map.render.styles import NO_DATA_COLOR, SEQUENTIAL

FIGURES = ["inhabitants", "pct_65_plus", "households", "pct_single_households"]


def two_wijken(*, buurt_figures: bool = False) -> gpd.GeoDataFrame:
    """Wijk West (1,000 inhabitants) and Oost (3,000), each with one buurt without figures."""
    figures = {
        "inhabitants": [1000.0, 3000.0, np.nan, np.nan],
        "pct_65_plus": [10.0, 30.0, np.nan, np.nan],
        "households": [500.0, 1500.0, np.nan, np.nan],
        "pct_single_households": [40.0, 20.0, np.nan, np.nan],
    }
    if buurt_figures:
        figures["pct_65_plus"] = [10.0, 30.0, 12.0, 28.0]
    return gpd.GeoDataFrame(
        {
            "code": ["WK999901", "WK999902", "BU99990101", "BU99990201"],
            "name": ["West", "Oost", "Westbuurt", "Oostbuurt"],
            "level": ["wijk", "wijk", "buurt", "buurt"],
            "parent_code": ["GM9999", "GM9999", "WK999901", "WK999902"],
            **figures,
            "land_area_ha": [100.0, 100.0, np.nan, np.nan],
        },
        geometry=[
            box(5.0, 52.0, 5.01, 52.01),
            box(5.01, 52.0, 5.02, 52.01),
            box(5.0, 52.0, 5.01, 52.01),
            box(5.01, 52.0, 5.02, 52.01),
        ],
        crs="EPSG:4326",
    )


def _assets() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a"],
            "name": ["Park"],
            "type": ["park"],
            "description": [""],
            "address": [""],
            "tags": [""],
            "source": ["test"],
            "status": ["existing"],
            "capacity": [np.nan],
        },
        geometry=[Point(5.005, 52.005)],
        crs="EPSG:4326",
    )


def _layers(fmap: folium.Map) -> dict[str, list[dict]]:
    """Return the features of the boundary layers by layer name ("Wijken", "Buurten")."""
    return {
        child.layer_name: [f["properties"] for f in child.data["features"]]
        for child in fmap._children.values()
        if isinstance(child, folium.GeoJson)
    }


def test_a_figure_only_wijken_have_colours_the_wijken():
    fmap = build_map(two_wijken(), _assets(), choropleth="inhabitants", basemap="none")
    layers = _layers(fmap)
    fills = {p["code"]: p["_fill"] for p in layers["Wijken"]}
    assert fills == {"WK999901": SEQUENTIAL[0], "WK999902": SEQUENTIAL[-1]}
    assert all(p["_fill"] == "" for p in layers["Buurten"])  # not grey "no data" either
    html = map_html(fmap)
    assert "kleur per wijk" in html  # the legend says what is coloured


def test_buurten_without_figures_show_unknown_never_zero():
    layers = _layers(build_map(two_wijken(), _assets(), basemap="none"))
    tip = next(p["_tip"] for p in layers["Buurten"] if p["code"] == "BU99990101")
    assert "Inwoners: –" in tip and "Inwoners: 0" not in tip
    assert "Cijfers zijn alleen per wijk bekend." in tip
    wijk = next(p["_tip"] for p in layers["Wijken"] if p["code"] == "WK999901")
    assert "Inwoners: 1.000" in wijk and "alleen per wijk" not in wijk


def test_buurten_are_coloured_first_and_the_level_can_be_chosen():
    areas = two_wijken(buurt_figures=True)  # 65+ known for wijken and buurten
    layers = _layers(build_map(areas, _assets(), choropleth="pct_65_plus", basemap="none"))
    assert all(p["_fill"] for p in layers["Buurten"])
    assert all(p["_fill"] == "" for p in layers["Wijken"])
    chosen = build_map(
        areas, _assets(), choropleth="pct_65_plus", choropleth_level="wijk", basemap="none"
    )
    layers = _layers(chosen)
    assert all(p["_fill"] for p in layers["Wijken"])
    assert all(p["_fill"] == "" for p in layers["Buurten"])


def test_a_level_without_values_colours_nothing():
    fmap = build_map(
        two_wijken(), _assets(), choropleth="inhabitants", choropleth_level="buurt", basemap="none"
    )
    layers = _layers(fmap)
    assert {p["_fill"] for p in layers["Buurten"] + layers["Wijken"]} == {""}
    assert NO_DATA_COLOR not in map_html(fmap)  # no legend of classes that are not there


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="Unknown choropleth level 'gemeente'"):
        build_map(two_wijken(), _assets(), choropleth="inhabitants", choropleth_level="gemeente")


# --- the map command: a figure no buurt has colours the wijken -----------------------------------


def test_choropleth_without_buurt_values_colours_the_wijken(
    tiny_files, tiny_areas, tmp_path, capsys
):
    wijken = tmp_path / "wijken.geojson"
    tiny_areas[tiny_areas["level"] == "wijk"].to_file(wijken, driver="GeoJSON")
    args = [
        "--areas",
        str(wijken),
        "--assets",
        str(tiny_files["assets"]),
        "--choropleth",
        "inhabitants",
    ]
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 0
    assert "--choropleth inhabitants: no buurt has a value" in err
    assert "so the wijken are coloured instead" in err
    assert '"_fill": "#' in (tmp_path / "m.html").read_text()  # the wijk has a colour
    level = ["--choropleth-level", "buurt"]  # asked for buurten: none has it, so no colour
    _, _, err = run_map(capsys, *args, *level, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert "--choropleth-level buurt: no area of this level has a value" in err
    assert '"_fill": "#' not in (tmp_path / "m.html").read_text()
    args[1] = str(tiny_files["areas"])  # buurten with inhabitants: no note
    _, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert "no buurt has a value" not in err


def test_buurt_has_figure(tiny_areas):
    assert buurt_has_figure(tiny_areas, "inhabitants")
    assert not buurt_has_figure(tiny_areas, "not_a_column")
    wijk_level = tiny_areas.assign(
        inhabitants=np.where(tiny_areas["level"] == "wijk", 3000.0, np.nan)
    )
    assert not buurt_has_figure(wijk_level, "inhabitants")
