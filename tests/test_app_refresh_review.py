"""Gegevens, run headless with AppTest: "Vernieuwen" lists the sources' changes for review.

PDOK and Overpass are the local servers of tests/fake_servers.py; the second answer of
Overpass is ``tests/data/osm/overpass_deventer_later.json`` (one place added, one removed,
one renamed; see the README there).
"""

from __future__ import annotations

from pathlib import Path

from data_screen import click, open_data_screen
from storage_helpers import stored_workspace
from streamlit.testing.v1 import AppTest

from asset_map.storage import Store

LATER = Path(__file__).parent / "data" / "osm" / "overpass_deventer_later.json"
EDITED = "Koffie op dinsdag en donderdag"


def _loaded(at: AppTest) -> AppTest:
    at.text_input(key="data_gm").input("GM9999")
    at.selectbox(key="data_year").select(2024)  # the year the local PDOK answers
    return click(at, "Laden")


def _review(at: AppTest):
    tables = [d.value for d in at.dataframe if "Wat verandert" in d.value.columns]
    return tables[0] if tables else None


def test_refresh_lists_the_changes_and_accepting_keeps_the_local_edit(db, servers):
    at = _loaded(open_data_screen())
    with Store(db) as store:
        store.update_asset("osm:node/1001", {"description": EDITED}, actor="wijkmanager")
    servers[1].answer = LATER
    click(at, "Vernieuwen")
    assert at.success[0].value == "Vernieuwd. Te bekijken: 1 nieuw, 1 weg, 1 veranderd."
    table = _review(at)
    assert table is not None and len(table) == 3
    assert set(table["Soort"]) == {"nieuw", "weg", "veranderd"}
    renamed = table[table["Soort"] == "veranderd"].iloc[0]
    assert renamed["Wat verandert"] == "name: Rijnvis Park → Rijnvispark"
    assert "Rijnvis Park" in set(stored_workspace(db)[1]["name"])  # nothing changed yet

    with Store(db) as store:
        changes = store.refresh_changes()
    gone = str(changes.loc[changes["kind"] == "gone", "id"].iloc[0])
    choice = at.multiselect(key="refresh_chosen")
    assert any(o.startswith(f"{gone[:8]} · weg · ") for o in choice.options)
    choice.set_value([gone]).run()
    click(at, "Gekozen afwijzen")
    assert at.success[0].value.startswith("1 wijziging(en) afgewezen.")
    assert len(_review(at)) == 2
    click(at, "Alles overnemen")
    assert at.success[0].value == "2 wijziging(en) overgenomen."
    assert _review(at) is None
    assets = stored_workspace(db)[1].set_index("id")
    assert assets.loc["osm:way/2001", "name"] == "Rijnvispark"
    assert "osm:node/1004" in assets.index
    assert "osm:node/1002" in assets.index  # its removal was rejected: it stays
    assert assets.loc["osm:node/1001", "description"] == EDITED


def test_refresh_is_offered_only_for_a_loaded_gemeente(db):
    at = open_data_screen()  # the demo
    assert not [b for b in at.button if b.label == "Vernieuwen"]
    assert any("Vernieuwen kan als u een gemeente heeft geladen" in c.value for c in at.caption)
