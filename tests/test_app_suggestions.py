"""Residents' suggestions in the app (AppTest): Plek doorgeven, then Beoordelen, then the map.

The demo gemeente Lindeveen; its made-up postcodes (``data/demo/postcodes.csv``) are looked
up without internet. The map of the Kaart screen is read from what the page sends to the
map component (its frame and its contents, ``ui/live_map.py``).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from app_helpers import button, login, open_page
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

EVIL = "<img src=x onerror=alert(1)>"
POSTCODES = pd.read_csv("data/demo/postcodes.csv", dtype=str).set_index("postcode")


def _where_by_postcode(at: AppTest, postcode: str) -> None:
    at.text_input(key="suggest_postcode").input(postcode)
    at.text_input(key="suggest_number").input("1")
    button(at, "Zoek het adres").click().run()
    assert not at.exception, at.exception


def _send(at: AppTest) -> str:
    """Tick the consent, send, and return the code the page shows."""
    at.checkbox(key="suggest_consent").check()
    button(at, "Verstuur").click().run()
    assert not at.exception, at.exception
    assert any("Dank u wel" in s.value for s in at.success), [e.value for e in at.error]
    return next(i.value for i in at.info if "code" in i.value).split("**")[1]


def _suggest_place(name: str, *, postcode: str = "0101AB", private: bool = False) -> str:
    at = open_page("app_pages/suggest.py")
    at.radio(key="suggest_kind@nl").set_value("place").run()
    if private:
        at.checkbox(key="suggest_private").check().run()
    _where_by_postcode(at, postcode)
    at.selectbox(key="suggest_type@nl").select("wijkhuiskamer")
    at.text_input(key="suggest_name").input(name)
    at.text_input(key="suggest_schedule").input("elke donderdag 10-12 uur")
    at.text_area(key="suggest_description").input(f"Koffie en een praatje {EVIL}")
    if not private:
        at.text_input(key="suggest_address").input("Dorpsstraat 7")
    at.text_input(key="suggest_contact").input("buur@example.nl")
    return _send(at)


def _public_map(monkeypatch) -> str:
    """Return the code of the Kaart's map as sent to the page: its frame and its contents."""
    at = open_page("app_pages/explore.py")
    maps = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    assert maps, "no map on the page"
    return maps[-1]["script"] + (maps[-1].get("feature_group") or "")


def _review(manager, monkeypatch) -> AppTest:
    at = open_page("app_pages/login.py")
    login(at, *manager)
    at.switch_page("app_pages/moderation.py").run()
    assert not at.exception, at.exception
    return at


def _accept(at: AppTest, suggestion_id: str) -> None:
    at.button(key=f"review_accept_{suggestion_id}").click().run()
    assert not at.exception, at.exception
    assert any("Goedgekeurd" in s.value for s in at.success)


def test_a_suggestion_is_hidden_until_accepted_then_shows_with_source_bewoners(
    db, manager, monkeypatch
):
    code = _suggest_place("Huiskamer De Linde")
    store = Store(db)
    [row] = store.suggestions().itertuples()
    assert (row.status, row.name, row.contact) == (
        "pending",
        "Huiskamer De Linde",
        "buur@example.nl",
    )
    assert "Huiskamer De Linde" not in _public_map(monkeypatch)

    at = _review(manager, monkeypatch)
    assert any(f"Koffie en een praatje {EVIL}" in t.value for t in at.text)  # plain text
    assert "buur@example.nl" in " ".join(t.value for t in at.text)  # the contact, for her only
    _accept(at, row.id)

    html = _public_map(monkeypatch)
    assert "Huiskamer De Linde" in html
    loaded = store.load_workspace()
    assert loaded is not None
    place = loaded[1].set_index("name").loc["Huiskamer De Linde"]
    assert (place["source"], place["type"], place["address"]) == (
        "bewoners",
        "wijkhuiskamer",
        "Dorpsstraat 7",
    )
    log = store.audit(entity="asset", entity_id=str(place["id"]))
    added = log[log["action"] == "added"].iloc[0]
    assert added["actor"] == "wim" and json.loads(added["details"])["source"] == "bewoners"

    follow = open_page("app_pages/suggest.py")
    follow.text_input(key="suggest_follow_code").input(code.lower())
    button(follow, "Bekijk").click().run()
    assert any("Het staat nu op de kaart" in s.value for s in follow.success)
    store.close()


def test_a_correction_closed_marks_the_place_closed_after_acceptance(db, manager, monkeypatch):
    html = _public_map(monkeypatch)  # seeds the demo workspace
    store = Store(db)
    loaded = store.load_workspace()
    assert loaded is not None
    place = loaded[1][loaded[1]["type"] == "buurthuis"].iloc[0]
    name, place_id = str(place["name"]), str(place["id"])
    assert name in html

    at = open_page("app_pages/suggest.py")
    at.radio(key="suggest_kind@nl").set_value("correction").run()
    at.selectbox(key="suggest_asset").select(place_id).run()
    at.radio(key="suggest_correction@nl").set_value("closed").run()
    at.text_area(key="suggest_description").input("Sinds de zomer dicht.")
    _send(at)
    assert store.load_workspace()[1].set_index("id").loc[place_id, "status"] == "existing"

    review = _review(manager, monkeypatch)
    assert any(f"Over: {name}" in t.value for t in review.text)
    [row] = store.suggestions().itertuples()
    _accept(review, row.id)
    assert store.load_workspace()[1].set_index("id").loc[place_id, "status"] == "closed"
    assert name not in _public_map(monkeypatch)  # left off the public map
    store.close()


def test_a_private_home_is_shown_at_its_buurt_never_at_the_home(db, manager, monkeypatch):
    _suggest_place("Breikring bij Ans", postcode="0101AB", private=True)
    store = Store(db)
    [row] = store.suggestions().itertuples()
    assert row.private_home and row.address is None and row.buurt_code == "BU99990101"
    _accept(_review(manager, monkeypatch), row.id)

    loaded = store.load_workspace()
    assert loaded is not None
    areas, assets, _ = loaded
    place = assets.set_index("name").loc["Breikring bij Ans"]
    home = POSTCODES.loc["0101AB"]
    points = gpd.GeoSeries(
        [place.geometry, Point(float(home["lon"]), float(home["lat"]))], crs="EPSG:4326"
    ).to_crs("EPSG:28992")
    buurt = areas[areas["code"] == "BU99990101"].to_crs("EPSG:28992")
    middle = buurt.geometry.representative_point().iloc[0]
    assert points.iloc[0].distance(middle) < 1  # at the middle of Oude Kern
    assert points.iloc[0].distance(points.iloc[1]) >= 250  # not near the home
    assert pd.isna(place["address"])
    store.close()


def test_the_form_explains_every_missing_field(db):
    at = open_page("app_pages/suggest.py")
    at.radio(key="suggest_kind@nl").set_value("group").run()
    button(at, "Verstuur").click().run()
    errors = " ".join(e.value for e in at.error)
    for needed in (
        "Kies wat voor plek",
        "Vul de naam in",
        "Schrijf kort",
        "Klik op de kaart",
        "vinkje",
    ):
        assert needed in errors
    with Store(db) as store:
        assert store.suggestions().empty


def test_a_bot_that_fills_the_hidden_field_stores_nothing(db):
    at = open_page("app_pages/suggest.py")
    at.radio(key="suggest_kind@nl").set_value("place").run()
    _where_by_postcode(at, "0102AA")
    at.selectbox(key="suggest_type@nl").select("buurthuis")
    at.text_input(key="suggest_name").input("Spam")
    at.text_area(key="suggest_description").input("Spam")
    at.text_input(key="suggest_website").input("http://spam.example")
    at.checkbox(key="suggest_consent").check()
    button(at, "Verstuur").click().run()
    assert any("Dank u wel" in s.value for s in at.success)  # looks the same to a bot
    with Store(db) as store:
        assert store.suggestions().empty


@pytest.mark.parametrize("lang", ["en"])
def test_the_form_speaks_english_when_chosen(db, lang):
    at = open_page("app_pages/suggest.py")
    at.selectbox(key="lang").select(lang).run()
    assert any(r.label == "What would you like to tell us?" for r in at.radio)


def test_fresh_sessions_share_the_limits_of_every_public_form(db, monkeypatch):
    # The database counts suggestions like talents: a new browser session starts no count.
    monkeypatch.setenv("ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR", "1")
    _suggest_place("Huiskamer De Linde")
    at = open_page("app_pages/suggest.py")
    at.radio(key="suggest_kind@nl").set_value("place").run()
    _where_by_postcode(at, "0101AB")
    at.selectbox(key="suggest_type@nl").select("wijkhuiskamer")
    at.text_input(key="suggest_name").input("Tweede huiskamer")
    at.text_area(key="suggest_description").input("Koffie")
    at.checkbox(key="suggest_consent").check()
    button(at, "Verstuur").click().run()
    assert any("afgelopen uur al veel aanmeldingen" in w.value for w in at.warning)
    assert at.text_input(key="suggest_name").value == "Tweede huiskamer"  # the input stays
    assert len(Store(db).suggestions()) == 1
