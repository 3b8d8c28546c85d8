"""One colour language for "share within walking distance": one scale, one hatch, everywhere.

The Kansen map, the werkbank's choropleth and the wijk report use the SAME scale object
(``styles.COVERAGE_SCALE``): the same colours in the same direction (light for a small
share, dark for a large one). What lies beyond walking distance is hatched, never coloured,
so it never mixes with the buurten's colours.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from asset_map.analysis.gaps import GapParams, analyse_gaps
from asset_map.analysis.indicators import FIGURES
from asset_map.render.controls import HatchFill, Panel
from asset_map.render.gaps import build_gap_map
from asset_map.render.map import build_map, map_html
from asset_map.render.static_map import map_png
from asset_map.render.styles import COVERAGE_COLORS, COVERAGE_SCALE, SEQUENTIAL
from asset_map.services.report import report_gaps
from asset_map.services.workspace import DEMO_DIR, load_workspace

#: The colours the gap map used before: red-to-green buurten and purple cells.
OLD_COLOURS = ("#d7191c", "#1a9641", "#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d")


def _scale_of(fmap) -> Panel:
    """Return the colour scale box of a map (the ``am-scale`` panel)."""
    (panel,) = [c for c in fmap._children.values() if isinstance(c, Panel) and c.classes]
    return panel


def _painted(page: str, codes) -> dict[str, str]:
    """Return the fill colour the page paints each of ``codes`` in (folium's style function:
    one ``case`` per style, the most common one as its ``default``).
    """
    painted = {}
    for cases, colour in re.findall(
        r'((?:case "\w+":\s*)+)return \{[^}]*"fillColor": "(#[0-9a-f]{6})"', page
    ):
        for code in re.findall(r'case "(\w+)"', cases):
            painted[code] = colour
    defaults = re.findall(r'default:\s*return \{[^}]*"fillColor": "(#[0-9a-f]{6})"', page)
    return {code: painted.get(code, defaults[0] if defaults else "") for code in codes}


def _colours(png: bytes, *, every: int) -> set[str]:
    """Return the colours of every ``every``-th pixel of a PNG, as ``#rrggbb``."""
    pixels = (imread(io.BytesIO(png))[..., :3] * 255).round().astype(int)
    return {f"#{r:02x}{g:02x}{b:02x}" for r, g, b in pixels.reshape(-1, 3)[::every]}


@pytest.fixture(scope="module")
def demo_gaps():
    ws = load_workspace(DEMO_DIR)
    return ws, analyse_gaps(ws.areas, ws.assets, GapParams(new_sites=2))


def test_the_scale_is_colour_blind_safe_sequential_and_goes_one_way():
    assert COVERAGE_SCALE.colors == COVERAGE_COLORS
    assert COVERAGE_SCALE.breaks == (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    # Light for a small share, dark for a large one: lightness falls class by class.
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in COVERAGE_COLORS]
    assert lightness == sorted(lightness, reverse=True)
    assert COVERAGE_SCALE.color_of(5) == COVERAGE_COLORS[0]
    assert COVERAGE_SCALE.color_of(95) == COVERAGE_COLORS[-1]
    # Its own hues: never read as a key figure's scale.
    assert not set(COVERAGE_COLORS) & set(SEQUENTIAL)


def test_the_kansen_map_uses_the_scale_and_hatches_what_is_beyond(demo_gaps):
    ws, result = demo_gaps
    fmap = build_gap_map(result, ws.areas, ws.assets, basemap="none")
    assert _scale_of(fmap).classes is COVERAGE_SCALE
    assert [c for c in fmap._children.values() if isinstance(c, HatchFill)]
    page = map_html(fmap)
    shares = result.buurten.set_index("code")["share_covered_after"] * 100
    expected = {code: COVERAGE_SCALE.color_of(v) for code, v in shares.items()}
    assert _painted(page, expected) == expected  # every buurt, on the one scale
    assert not [c for c in OLD_COLOURS if c in page.lower()]
    assert "L.amControls.hatch(" in page and "Verder dan loopafstand" in page


def test_the_werkbank_choropleth_of_coverage_uses_the_same_scale(demo_gaps):
    ws, result = demo_gaps
    areas = ws.areas.copy()
    before = result.buurten.set_index("code")["share_covered"] * 100
    areas["coverage_pct"] = areas["code"].map(before)
    # As the werkbank draws it: the figure by its werkbank name, buurten coloured.
    fmap = build_map(
        areas,
        ws.assets.iloc[0:0],
        basemap="none",
        choropleth="coverage_pct",
        choropleth_level="buurt",
        figures={"coverage_pct": FIGURES["coverage_pct"]},
    )
    assert _scale_of(fmap).classes is COVERAGE_SCALE
    page = map_html(fmap)
    low, high = before.idxmin(), before.idxmax()
    fills = _painted(page, [low, high])
    assert COVERAGE_COLORS.index(fills[low]) < COVERAGE_COLORS.index(fills[high])  # one way


def test_the_report_map_colours_the_buurten_on_the_same_scale(demo_gaps):
    ws, result = demo_gaps
    wijk = "WK999901"
    buurten = ws.areas[(ws.areas["level"] == "buurt") & (ws.areas["parent_code"] == wijk)]
    codes = buurten["code"].tolist()
    part = report_gaps(result, pd.Series({"coverage": 0.5}), codes, set(buurten["name"]))
    shares = result.buurten.set_index("code")["share_covered"] * 100
    assert part.coverage == pytest.approx({c: shares[c] for c in codes})
    png = map_png(ws.areas, ws.assets, focus_code=wijk, coverage=part.coverage, beyond=part.beyond)
    colours = _colours(png, every=7)
    drawn = {COVERAGE_SCALE.color_of(shares[c]) for c in codes}
    assert drawn <= colours  # every buurt's class colour is in the picture
    assert not [c for c in OLD_COLOURS if c in colours]


def test_a_report_without_a_gap_analysis_colours_nothing(demo_gaps):
    ws, _result = demo_gaps
    png = map_png(ws.areas, ws.assets, focus_code="WK999901")
    colours = _colours(png, every=5)
    assert not set(COVERAGE_COLORS[1:]) & colours


def test_beyond_walking_distance_is_one_hatched_shape_with_its_residents(demo_gaps):
    ws, result = demo_gaps
    page = map_html(build_gap_map(result, ws.areas, ws.assets, basemap="none", after=False))
    beyond = result.cells[~result.cells["covered"].astype(bool) & (result.cells["weight"] > 0)]
    residents = int(np.round(beyond["residents"].sum()))
    tip = f"Gearceerd: hier wonen ongeveer {residents:,} mensen".replace(",", ".")
    assert tip in page
    layer = re.search(r'"_tip":\s*"Gearceerd[^"]*"', page)
    assert layer is not None and json.loads("{" + layer.group(0) + "}")["_tip"].startswith(
        "Gearceerd"
    )
