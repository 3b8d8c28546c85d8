"""The activity layer and the resident's walk on the map: escaped, toggleable, offline."""

from __future__ import annotations

import pandas as pd
from verbinden_fixtures import ORIGIN, activities, activity, assets

from asset_map.analysis.nearby import nearby
from asset_map.model import ACTIVITY_COLUMNS
from asset_map.render.activities import activity_layer, nearby_layers
from asset_map.render.map import build_map, map_html


def html_of(layers, areas) -> str:
    fmap = build_map(areas, assets(), basemap="none", extra_layers=layers)
    return map_html(fmap)


def test_titles_and_organisers_are_escaped(tiny_areas):
    acts = pd.DataFrame(
        [
            activity(
                "x1",
                "p1",
                2,
                "10:00",
                title="<script>alert('x')</script> Koffie & zo",
                organiser="{{ 7*7 }} club",
                contact='"mail"@test.example',
            )
        ],
        columns=ACTIVITY_COLUMNS,
    )
    layer = activity_layer(acts, assets())
    popup = layer.rows[0][2]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Koffie &amp; zo" in popup
    assert "&#123;&#123; 7*7 &#125;&#125; club" in popup
    assert "&quot;mail&quot;@test.example" in popup
    assert "dinsdag" in popup and "10:00–12:00" in popup
    page = html_of([layer], tiny_areas)
    # In the page the JSON escapes < and > again; no tag can appear, raw or as \u003c.
    assert "<script>alert(" not in page and "\\u003cscript\\u003ealert" not in page
    assert "49 club" not in page  # Jinja did not run the braces


def test_one_marker_per_place_listing_its_activities_in_day_order(tiny_areas):
    layer = activity_layer(activities(), assets(), lang="en")
    places = [row[3] for row in layer.rows]
    assert sorted(places) == ["Plek p1", "Plek p2", "Plek p3", "Plek p6"]
    popup = next(row[2] for row in layer.rows if row[3] == "Plek p1")
    days = [popup.index(day) for day in ("Monday", "Wednesday", "Thursday")]
    assert days == sorted(days)
    assert "Activities (6)" in layer.layer_name
    assert layer.show and layer.control
    page = html_of([layer], tiny_areas)
    assert 'data-layer=\\"activities\\"' in page or 'data-layer="activities"' in page
    assert "cdn." not in page.lower()  # no CDN: the map works offline


def test_the_layer_can_start_hidden_and_takes_a_name():
    layer = activity_layer(activities(), assets(), name="Wat is er te doen", show=False)
    assert layer.layer_name == "Wat is er te doen" and not layer.show


def test_nearby_layers_draw_the_walking_circle_and_the_start(tiny_areas):
    found = nearby(ORIGIN, assets(), activities(), walk_min=10)
    layers = nearby_layers(found)
    assert len(layers) == 2
    page = html_of(layers, tiny_areas)
    assert '"radius": 576.9' in page  # 750 m walk / 1.3 detour
    assert "Binnen 10 minuten lopen" in page and "Hier begint u" in page
