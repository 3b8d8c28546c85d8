"""Weekly activities on the map: in their place's popup, a ring instead of a second pin."""

from __future__ import annotations

import pandas as pd
from map_page import asset_call, places
from verbinden_fixtures import ORIGIN, activities, activity, assets

from asset_map.analysis.nearby import nearby
from asset_map.model import ACTIVITY_COLUMNS
from asset_map.render.activities import nearby_layers, weekly_activities
from asset_map.render.map import build_map, map_html


def html_of(layers, areas, **options) -> str:
    fmap = build_map(areas, assets(), basemap="none", extra_layers=layers, **options)
    return map_html(fmap)


def _act(page: str) -> dict[str, tuple[int, str]]:
    """Return the weekly activities the page sends, by place name."""
    call = asset_call(page)
    assert call is not None
    data, _options = call
    return {data["name"][int(i)]: (n, html) for i, (n, html) in data["act"].items()}


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
    n, popup = weekly_activities(acts)["p1"]
    assert n == 1
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Koffie &amp; zo" in popup
    assert "&#123;&#123; 7*7 &#125;&#125; club" in popup
    assert "&quot;mail&quot;@test.example" in popup
    assert "dinsdag" in popup and "10:00–12:00" in popup
    page = html_of([], tiny_areas, activities=acts)
    # In the page the JSON escapes < and > again; no tag can appear, raw or as \u003c.
    assert "<script>alert(" not in page and "\\u003cscript\\u003ealert" not in page
    assert "49 club" not in page  # Jinja did not run the braces


def test_a_place_lists_its_activities_in_day_order_and_gets_no_second_pin(tiny_areas):
    page = html_of([], tiny_areas, activities=activities(), lang="en")
    sent = _act(page)
    # Only the places on the map with activities; one marker per place, never a second pin.
    assert sorted(sent) == ["Plek p1", "Plek p2", "Plek p3", "Plek p6"]
    assert len(places(page)) == len(assets())
    n, popup = sent["Plek p1"]
    assert n == 3
    days = [popup.index(day) for day in ("Monday", "Wednesday", "Thursday")]
    assert days == sorted(days)
    assert "Every week here" in popup
    # The layer control has one line for them, named apart from the place type "Activity".
    assert "Weekly activities (6)" in page
    assert "cdn." not in page.lower()  # no CDN: the map works offline


def test_activities_at_places_not_on_the_map_are_left_out(tiny_areas):
    shown = assets()[assets()["id"].isin(["p1", "p6"])]
    page = map_html(build_map(tiny_areas, shown, basemap="none", activities=activities()))
    assert sorted(_act(page)) == ["Plek p1", "Plek p6"]
    assert "Wekelijkse activiteiten (4)" in page  # a1, a2, a6 at p1 and a3 at p6


def test_a_map_without_activities_has_no_activity_layer(tiny_areas):
    page = html_of([], tiny_areas)
    assert "Wekelijkse activiteiten" not in page
    assert _act(page) == {}


def test_nearby_layers_draw_the_walking_circle_and_the_start(tiny_areas):
    found = nearby(ORIGIN, assets(), activities(), walk_min=10)
    layers = nearby_layers(found)
    assert len(layers) == 2
    page = html_of(layers, tiny_areas)
    assert '"radius": 576.9' in page  # 750 m walk / 1.3 detour
    assert "Binnen 10 minuten lopen" in page and "Hier begint u" in page
