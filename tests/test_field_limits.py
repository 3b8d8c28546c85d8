"""Each field's limit is written once (``model.*_FIELDS``): forms, store and tables hold it.

A text of exactly the limit is taken and comes back whole (on PostgreSQL too, whose columns
have a length); one character more is refused by the form and by the store alike.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from storage_helpers import submission

from asset_map._errors import SchemaError
from asset_map.model import (
    ACTIVITY_FIELDS,
    ASSET_FIELDS,
    TALENT_COLUMNS,
    TALENT_FIELDS,
    text_limits,
)
from asset_map.rules.edits import check_activity, check_asset
from asset_map.rules.talent_form import TalentForm, check_talent
from asset_map.storage import Store
from asset_map.storage.schema import activities, assets, talents

pytest_plugins = ["storage_fixtures"]

GOOD_ASSET = {"name": "Buurthuis De Linde", "type": "buurthuis", "lon": 6.16, "lat": 52.255}
GOOD_ACTIVITY = {
    "asset_id": "a1",
    "title": "Koffieochtend",
    "kind": "koffieochtend",
    "weekday": 2,
    "start": "10:00",
    "end": "11:30",
}
GOOD_TALENT = TalentForm(
    nickname="Anne",
    categories=("koken",),
    wishes=("teach",),
    buurt_code="BU01500401",
    consent=True,
)
TALENT_TEXTS = list(text_limits(TALENT_FIELDS).items())
ASSET_TEXTS = list(text_limits(ASSET_FIELDS).items())
ACTIVITY_TEXTS = list(text_limits(ACTIVITY_FIELDS).items())


def test_the_field_lists_give_the_layers_and_the_tables_their_columns() -> None:
    # every row a staff form edits also has its version (the concurrent-edit check)
    assert [*ASSET_FIELDS, "version"] == [c.name for c in assets.columns if c.name != "position"]
    assert [*ACTIVITY_FIELDS, "version"] == [c.name for c in activities.columns]
    stored = [c.name for c in talents.columns]
    assert stored[: len(TALENT_FIELDS) + 1] == ["id", *TALENT_FIELDS]
    assert [*stored[:7], "status"] == TALENT_COLUMNS  # everything but the contact
    assert "contact" in TALENT_FIELDS and "contact" not in TALENT_COLUMNS
    lengths = {c.name: getattr(c.type, "length", None) for c in talents.columns}
    assert {name: lengths[name] for name, _ in TALENT_TEXTS} == dict(TALENT_TEXTS)


@pytest.mark.parametrize(("name", "limit"), TALENT_TEXTS)
def test_a_talent_text_of_the_limit_is_taken_and_one_more_is_refused(name: str, limit: int) -> None:
    # a contact is an e-mail address: at most 64 characters before the @
    value = "x" * limit if name != "contact" else "a" * 64 + "@" + "b" * (limit - 68) + ".nl"
    assert len(value) == limit
    checked, errors = check_talent(
        TalentForm(**{**GOOD_TALENT.__dict__, name: value}), buurt_codes=["BU01500401"]
    )
    assert errors == {} and checked is not None
    _, errors = check_talent(
        TalentForm(**{**GOOD_TALENT.__dict__, name: "x" * (limit + 1)}),
        buurt_codes=["BU01500401"],
    )
    assert list(errors) == [name]


@pytest.mark.parametrize(("name", "limit"), TALENT_TEXTS)
def test_the_store_keeps_a_talent_text_of_the_limit_and_refuses_one_more(
    store: Store, name: str, limit: int
) -> None:
    receipt = store.submit_talent(submission(**{name: "é" * limit}))
    stored = store.talent(receipt.id)
    assert stored is not None and stored[name] == "é" * limit
    with pytest.raises(SchemaError, match=f"{name} has {limit + 1} characters; at most {limit}"):
        store.submit_talent(submission(**{name: "é" * (limit + 1)}))


def asset_text(name: str, length: int, char: str) -> str:
    """Return a text of ``length`` characters that field ``name`` reads: opening hours in
    OpenStreetMap's syntax (with a comment that fills it up), any other field as it is."""
    if name != "opening_hours":
        return char * length
    head = 'Mo-Fr 09:00-17:00 "'
    return head + char * (length - len(head) - 1) + '"'


@pytest.mark.parametrize(("name", "limit"), ASSET_TEXTS)
def test_an_asset_text_of_the_limit_is_taken_and_one_more_is_refused(name: str, limit: int) -> None:
    value = asset_text(name, limit, "x")
    cleaned, errors = check_asset({**GOOD_ASSET, name: value})
    assert errors == {} and cleaned is not None and cleaned[name] == value
    _, errors = check_asset({**GOOD_ASSET, name: asset_text(name, limit + 1, "x")})
    assert list(errors) == [name]


@pytest.mark.parametrize(("name", "limit"), ASSET_TEXTS)
def test_the_store_refuses_an_asset_text_over_the_limit(
    store: Store,
    tiny_areas: gpd.GeoDataFrame,
    tiny_assets: gpd.GeoDataFrame,
    name: str,
    limit: int,
) -> None:
    store.save_workspace(tiny_areas, tiny_assets, meta={}, actor="test")
    value = asset_text(name, limit, "é")
    asset_id = store.add_asset({**GOOD_ASSET, name: value}, actor="petra")
    loaded = store.load_workspace()
    assert loaded is not None
    assert loaded[1].set_index("id").loc[asset_id, name] == value
    with pytest.raises(SchemaError, match=f"{name} = .*at most {limit} characters"):
        store.add_asset({**GOOD_ASSET, name: asset_text(name, limit + 1, "é")}, actor="petra")


@pytest.mark.parametrize(("name", "limit"), ACTIVITY_TEXTS)
def test_an_activity_text_of_the_limit_is_taken_and_one_more_is_refused(
    name: str, limit: int
) -> None:
    cleaned, errors = check_activity({**GOOD_ACTIVITY, name: "x" * limit}, asset_ids=["a1"])
    assert errors == {} and cleaned is not None and cleaned[name] == "x" * limit
    _, errors = check_activity({**GOOD_ACTIVITY, name: "x" * (limit + 1)}, asset_ids=["a1"])
    assert list(errors) == [name]
