"""Residents' suggestions in the database: hidden until accepted, then on the map.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture), on the tiny Voorstad
workspace of ``tests/conftest.py`` (two buurten of 1 km2; ``a1`` a buurthuis).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point
from sqlalchemy import create_engine, text
from storage_helpers import suggestion

from asset_map.analysis.areas import assign_areas
from asset_map.rules.suggestion_form import SuggestionForm, SuggestionSubmission
from asset_map.services import suggestions
from asset_map.services.workspace import Workspace
from asset_map.storage import AlreadyDecided, NotFound, Store, SuggestionNotFound
from asset_map.storage.db import resolve_url

pytest_plugins = ["storage_fixtures"]

NEW = suggestion()


def correction(kind: str, **changes: object) -> SuggestionSubmission:
    blank = dict.fromkeys(("type", "name", "description", "schedule", "lon", "lat"))
    blank |= {"buurt_code": None, "address": None, "contact": None}
    return suggestion(kind="correction", correction=kind, asset_id="a1", **{**blank, **changes})


@pytest.fixture
def saved(store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame) -> Store:
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="test")
    return store


def _assets(store: Store) -> gpd.GeoDataFrame:
    loaded = store.load_workspace()
    assert loaded is not None
    return loaded[1].set_index("id")


def test_a_suggestion_is_hidden_until_a_wijkmanager_accepts_it(saved: Store) -> None:
    version = saved.workspace_version()
    receipt = saved.submit_suggestion(NEW)
    assert "Breiclub De Steek" not in set(_assets(saved)["name"])
    assert saved.workspace_version() == version  # the map does not change
    assert saved.suggestion_status(receipt.withdrawal_code)["status"] == "pending"

    asset_id = saved.accept_suggestion(receipt.id, actor="wim")
    place = _assets(saved).loc[asset_id]
    assert (place["name"], place["type"], place["source"], place["status"]) == (
        "Breiclub De Steek",
        "vereniging",
        "bewoners",
        "existing",
    )
    assert place["opening_hours"] == "We 14:00-16:00"  # "woensdag 14-16 uur", as OSM writes it
    assert place["address"] == "Hovenweg 12"
    assert (place.geometry.x, place.geometry.y) == (6.16, 52.255)
    assert saved.workspace_version() != version
    status = saved.suggestion_status(receipt.withdrawal_code)
    assert status["status"] == "accepted" and status["decided_at"] == saved.now()

    added, checked = saved.audit(entity="asset", entity_id=asset_id).itertuples()
    assert (added.actor, added.action, checked.action) == ("wim", "added", "checked")
    assert json.loads(added.details)["source"] == "bewoners"
    actions = [(r.actor, r.action) for r in saved.audit(entity="suggestion").itertuples()]
    assert actions == [("resident", "submitted"), ("wim", "accepted")]
    check = saved.checks().set_index("asset_id").loc[asset_id]
    assert (check["method"], check["checked_by"]) == ("resident", "wim")


def test_a_when_that_is_no_opening_hours_is_kept_in_the_description(saved: Store) -> None:
    receipt = saved.submit_suggestion(suggestion(schedule="elke woensdagmiddag"))
    asset_id = saved.accept_suggestion(receipt.id, actor="wim")
    place = _assets(saved).loc[asset_id]
    assert place["opening_hours"] is None or pd.isna(place["opening_hours"])
    assert place["description"] == "Samen breien en koffie\nWanneer: elke woensdagmiddag"


def test_a_correction_closed_marks_the_place_closed_after_acceptance(saved: Store) -> None:
    receipt = saved.submit_suggestion(correction("closed", description="Dicht sinds mei"))
    assert _assets(saved).loc["a1", "status"] == "existing"
    assert saved.accept_suggestion(receipt.id, actor="wim") == "a1"
    assert _assets(saved).loc["a1", "status"] == "closed"
    edited = saved.audit(entity="asset", entity_id="a1")
    assert json.loads(edited["details"].iloc[-2]) == {
        "fields": ["status"],
        "source": "bewoners",
        "suggestion": receipt.id,
    }


@pytest.mark.parametrize(
    ("submission", "field", "value"),
    [
        (correction("hours", schedule="za 10-14 uur"), "opening_hours", "Sa 10:00-14:00"),
        (correction("name", name="Buurthuis De Hoek"), "name", "Buurthuis De Hoek"),
        (
            correction("moved", lon=6.17, lat=52.26, address="Nieuwstraat 3"),
            "address",
            "Nieuwstraat 3",
        ),
    ],
)
def test_each_correction_changes_its_field(saved, submission, field, value) -> None:
    receipt = saved.submit_suggestion(submission)
    saved.accept_suggestion(receipt.id, actor="wim")
    place = _assets(saved).loc["a1"]
    assert place[field] == value
    if submission.correction == "moved":
        assert (place.geometry.x, place.geometry.y) == (6.17, 52.26)


def test_a_rejected_suggestion_leaves_the_map_as_it_was(saved: Store) -> None:
    version = saved.workspace_version()
    receipt = saved.submit_suggestion(correction("closed"))
    saved.reject_suggestion(receipt.id, actor="wim")
    assert _assets(saved).loc["a1", "status"] == "existing"
    assert saved.workspace_version() == version
    assert saved.suggestion_status(receipt.withdrawal_code)["status"] == "rejected"
    with pytest.raises(AlreadyDecided):
        saved.accept_suggestion(receipt.id, actor="ans")


def test_a_suggestion_decided_once_cannot_be_decided_again(saved: Store) -> None:
    receipt = saved.submit_suggestion(NEW)
    saved.accept_suggestion(receipt.id, actor="wim")
    with pytest.raises(AlreadyDecided, match="accepted"):
        saved.accept_suggestion(receipt.id, actor="ans")  # no second place
    with pytest.raises(AlreadyDecided):
        saved.reject_suggestion(receipt.id, actor="ans")
    assert list(_assets(saved)["name"]).count("Breiclub De Steek") == 1
    with pytest.raises(SuggestionNotFound):
        saved.accept_suggestion("no-such-id", actor="wim")


def test_a_correction_of_a_place_deleted_meanwhile_is_refused_whole(saved: Store) -> None:
    receipt = saved.submit_suggestion(correction("closed"))
    saved.delete_asset("a1", actor="petra")
    with pytest.raises(NotFound):
        saved.accept_suggestion(receipt.id, actor="wim")
    assert saved.suggestion(receipt.id)["status"] == "pending"


def test_a_wijkmanager_edits_before_accepting(saved: Store) -> None:
    receipt = saved.submit_suggestion(NEW)
    saved.edit_suggestion(receipt.id, {"name": "Breiclub Steek voor Steek"}, actor="wim")
    asset_id = saved.accept_suggestion(receipt.id, actor="wim")
    assert _assets(saved).loc[asset_id, "name"] == "Breiclub Steek voor Steek"
    [edited] = saved.audit(entity="suggestion").query("action == 'edited'").itertuples()
    assert json.loads(edited.details) == {"fields": ["name"]}  # names, never the values


def test_a_private_home_is_never_stored_closer_than_its_buurt(saved, store_url, tiny_areas):
    assets = assign_areas(_assets(saved).reset_index(), tiny_areas)
    ws = Workspace(areas=tiny_areas, assets=assets, talents=pd.DataFrame(columns=["status"]))
    home = gpd.GeoSeries([Point(207130, 472870)], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    form = SuggestionForm(
        kind="place",
        type="wijkhuiskamer",
        name="Huiskamer bij Joke",
        description="Koffie op donderdag",
        lon=home.x,
        lat=home.y,
        private_home=True,
        address="Jokes straat 1",
        consent=True,
    )
    checked, errors = suggestions.check(ws, form)
    assert errors == {} and checked is not None
    receipt = saved.submit_suggestion(checked)
    asset_id = saved.accept_suggestion(receipt.id, actor="wim")
    place = _assets(saved).loc[asset_id]
    assert pd.isna(place["address"]) and place["tags"] == "bij iemand thuis"
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT lon, lat, address FROM suggestions")).all()
        blobs = conn.execute(text("SELECT geometry FROM assets")).scalars().all()
    engine.dispose()
    stored = [Point(lon, lat) for lon, lat, _ in rows]
    stored += [shapely.from_wkb(bytes(blob)) for blob in blobs]
    rd = gpd.GeoSeries(stored, crs="EPSG:4326").to_crs("EPSG:28992")
    nearest = float(rd.distance(Point(207130, 472870)).min())
    assert nearest > 250  # the home lies 130 m from the buurt's corner, its middle 530 m off
    middle = rd.iloc[0]
    assert (round(middle.x), round(middle.y)) == (207500, 472500)  # the buurt's middle
    assert [address for *_, address in rows] == [None]


def test_the_status_code_is_random_and_only_its_hash_is_stored(saved, store_url) -> None:
    codes = {saved.submit_suggestion(NEW).withdrawal_code for _ in range(5)}
    assert len(codes) == 5
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.execute(text("SELECT * FROM suggestions")) for v in row
        )
    engine.dispose()
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored
    assert saved.suggestion_status("not a code") is None
    assert saved.suggestion_status("2222-2222-2222") is None


def test_contacts_are_erased_after_the_retention_period(saved: Store, clock) -> None:
    old = saved.submit_suggestion(NEW)
    clock.advance(days=400)
    new = saved.submit_suggestion(NEW)
    assert saved.purge_suggestion_contacts(older_than_days=365, actor="cron") == 1
    assert saved.suggestion(old.id)["contact"] is None
    assert saved.suggestion(new.id)["contact"] == "steek@example.nl"
    assert saved.suggestion(old.id)["name"] == "Breiclub De Steek"  # not personal: stays
