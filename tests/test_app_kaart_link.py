"""The Kaart in AppTest: a link fills its filters, filters go into the link, ``embed`` shows the
map only, ``taal`` chooses the language."""

from __future__ import annotations

import json
import re

import pytest
from app_helpers import APP
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'kaart.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    Store(url).close()
    return url


def _open(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.run()
    assert not at.exception, at.exception
    return at


def _values(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def _map_args(at: AppTest) -> dict:
    maps = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    assert maps, "no map on the page"
    return maps[0]


def _map_code(at: AppTest) -> str:
    """Return the map's code: its frame and the contents the frame runs (ui/live_map.py)."""
    args = _map_args(at)
    return args["script"] + (args.get("feature_group") or "")


def test_a_link_fills_the_filters_and_opens_the_map_at_its_view(db):
    at = _open(
        {
            "wijk": "WK999901",
            "type": ["wijkhuiskamer", "buurthuis"],
            "kleur": "inhabitants",
            "talenten": "0",
            "achtergrond": "none",
            "lat": "52.495",
            "lon": "5.62",
            "zoom": "16",
        }
    )
    assert at.sidebar.multiselect(key="filter_wijk").value == ["WK999901"]
    assert at.sidebar.multiselect(key="filter_types@nl").value == ["wijkhuiskamer", "buurthuis"]
    assert at.sidebar.selectbox(key="map_choropleth@nl").value == "inhabitants"
    assert at.sidebar.selectbox(key="map_basemap@nl").value == "none"
    assert at.sidebar.toggle(key="map_talents").value is False
    script = _map_code(at)
    assert "setView([start[0], start[1]], start[2]" in script
    assert "[52.495, 5.62, 16.0]" in script  # the link's view wins over the fit
    assert _values(at.query_params["wijk"]) == ["WK999901"]
    assert not [w for w in at.warning if "Deze link" in w.value]  # nothing was left out


def test_values_this_map_lacks_are_left_out_with_a_warning(db):
    at = _open({"wijk": ["WK999901", "WK000000"], "type": "ruimteschip", "kleur": "nonsense"})
    assert at.sidebar.multiselect(key="filter_wijk").value == ["WK999901"]
    assert at.sidebar.multiselect(key="filter_types@nl").value == []
    warned = " ".join(w.value for w in at.warning)
    for value in ("WK000000", "ruimteschip", "nonsense"):
        assert value in warned
    at.sidebar.toggle(key="map_talents").set_value(False).run()  # the first change
    assert _values(at.query_params["wijk"]) == ["WK999901"]
    assert "type" not in at.query_params and "kleur" not in at.query_params


def test_layers_a_link_switches_off_start_off_and_unknown_ones_are_named(db):
    at = _open({"wijk": "WK999901", "uit": ["buurthuis", "activiteiten", "ruimteschip"]})
    code = _map_code(at)
    assert "LayersInUrl" not in code  # the element's own name is not in the page's script
    assert "searchParams.getAll" not in code
    assert 'params.append("uit", key)' in code  # the map keeps its switches in the link
    warned = " ".join(w.value for w in at.warning)
    assert "ruimteschip" in warned and "buurthuis" not in warned
    # The map starts with the buurthuis switch and the activities' rings off: their layers
    # are made for the layer control, but not added to the map.
    made = len(re.findall(r"\.typeLayer\(\d+\)", code))
    added = len(re.findall(r"asset_type_layer_\w+\.addTo\(", code))
    assert made - added == 1
    assert re.search(r"var activity_marks_\w+ =", code)
    assert not re.search(r"activity_marks_\w+\.addTo\(", code)
    at.sidebar.toggle(key="map_talents").set_value(False).run()  # other filters: all on again
    assert "uit" not in at.query_params


def test_choosing_filters_writes_them_into_the_link(db):
    at = _open()
    assert dict(at.query_params) == {}
    at.sidebar.multiselect(key="filter_wijk").select("WK999902").run()
    at.sidebar.toggle(key="map_talents").set_value(False).run()
    assert not at.exception, at.exception
    assert _values(at.query_params["wijk"]) == ["WK999902"]
    assert _values(at.query_params["talenten"]) == ["0"]
    assert "setView([start[0]" in _map_code(at)
    assert "var start = null;" in _map_code(at)  # new filters: fit them


def test_a_link_in_english_opens_in_english(db):
    at = _open({"taal": "en", "wijk": "WK999901"})
    assert at.title[0].value == "Neighbourhood asset map"
    assert _values(at.query_params["taal"]) == ["en"]


@pytest.mark.parametrize("embed", ["1", "true"])
def test_embed_shows_the_map_only(db, embed):
    at = _open({"wijk": "WK999901", "embed": embed})
    assert len(at.sidebar) == 0  # no filters, no language, no menu
    assert not at.title and not at.metric
    assert _map_args(at)  # the map, with its legend inside
    links = " ".join(m.value for m in at.markdown)
    assert "Open de hele kaart" in links and "wijk=WK999901" in links


def test_the_link_names_the_base_map_only_when_it_is_not_the_default(db, monkeypatch):
    # With an own tile server in the settings, that server is the default: a link leaves it
    # out, and a link that asks for OpenStreetMap keeps asking for it.
    monkeypatch.setenv("ASSET_MAP_TILES_URL", "https://tegels.gemeente.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("ASSET_MAP_TILES_ATTRIBUTION", "Gemeente Lindeveen")
    at = _open({"wijk": "WK999901"})
    assert at.sidebar.selectbox(key="map_basemap@nl").value == "eigen"
    assert "achtergrond" not in at.query_params
    at = _open({"wijk": "WK999901", "achtergrond": "osm"})
    assert at.sidebar.selectbox(key="map_basemap@nl").value == "osm"
    at.sidebar.toggle(key="map_talents").set_value(False).run()  # the first change
    assert _values(at.query_params["achtergrond"]) == ["osm"]
    at.sidebar.selectbox(key="map_basemap@nl").set_value("eigen").run()
    assert "achtergrond" not in at.query_params


def test_no_english_placeholder_where_no_colour_is_chosen(db):
    at = _open()
    colour = at.sidebar.selectbox(key="map_choropleth@nl")
    assert colour.value is None
    assert colour.placeholder == "Geen kleur"  # Streamlit shows a chosen None as this
