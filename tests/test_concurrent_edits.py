"""Two people edit one row: no change is lost without anyone seeing it.

Each editable kind (a place, an activity, a place's needs, a talent under moderation): two
sessions read the same row; the first saves; the second save is refused with the first
change named (field, theirs, yours); saved again from the new version, only the second
user's own change is written, so the first change stays. A workspace-wide save (an import)
never writes back rows it read before an edit. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from storage_helpers import submission

from asset_map.i18n import explain
from asset_map.rules.concurrent_edits import Editable, StaleEdit, rebase
from asset_map.rules.edits import check_activity
from asset_map.services.imports import COMBINE_ATTEMPTS, import_into
from asset_map.services.sources import Loaded
from asset_map.storage import NotFound, Store, WorkspaceChanged

pytest_plugins = ["storage_fixtures"]


@pytest.fixture
def saved(store: Store, tiny_areas: gpd.GeoDataFrame, tiny_assets: gpd.GeoDataFrame) -> Store:
    """The store with three places (a1 Buurthuis De Uithoek, a2, a3) and one activity at a1."""
    activity = pd.DataFrame(
        [
            {
                "id": "koffie",
                "asset_id": "a1",
                "title": "Koffie-ochtend",
                "kind": "koffieochtend",
                "weekday": 2,
                "start": "10:00",
                "end": "12:00",
                "target_group": "iedereen",
                "organiser": "Buurthuis",
                "contact": "",
                "description": "",
            }
        ]
    )
    store.save_workspace(
        tiny_areas, tiny_assets, meta={"name": "Voorstad"}, actor="test", activities=activity
    )
    return store


def _place(store: Store, asset_id: str) -> pd.Series:
    loaded = store.load_workspace()
    assert loaded is not None
    return loaded[1].set_index("id").loc[asset_id]


def _form(base: Editable, **changes: object) -> dict[str, object]:
    """The whole form as a user sends it: what it was loaded with, and their changes."""
    return {**base.values, **changes}


# --- places ----------------------------------------------------------------------------------


def test_a_second_save_of_a_place_is_refused_with_the_first_change_shown(saved: Store) -> None:
    anna = saved.editable_asset("a1")  # two sessions open the same place
    bert = saved.editable_asset("a1")
    saved.update_asset("a1", _form(anna, name="Huis van de Wijk"), actor="anna", base=anna)
    bert_form = _form(bert, description="Open op maandag")
    with pytest.raises(StaleEdit) as refused:
        saved.update_asset("a1", bert_form, actor="bert", base=bert)
    stale = refused.value
    assert [(c.field, c.theirs, c.yours, c.mine) for c in stale.changes] == [
        ("name", "Huis van de Wijk", None, False)
    ]
    assert "de naam is nu 'Huis van de Wijk'" in explain(stale, "nl")
    assert "the name is now 'Huis van de Wijk'" in explain(stale, "en")
    # Nothing of Bert's was written.
    assert _place(saved, "a1")["description"] == "Koffie op dinsdag; iedereen welkom"
    # The form keeps Bert's input; the name he did not touch takes Anna's.
    refresh, again = rebase(bert, bert_form, stale.current)
    assert refresh == {"name"}
    bert_form["name"] = again.values["name"]
    saved.update_asset("a1", bert_form, actor="bert", base=again)
    place = _place(saved, "a1")
    assert place["name"] == "Huis van de Wijk"  # Anna's rename stays
    assert place["description"] == "Open op maandag"
    log = saved.audit(entity="asset", entity_id="a1")
    assert [json.loads(d)["fields"] for d in log["details"]] == [["name"], ["description"]]


def test_only_the_fields_the_user_changed_are_written(saved: Store) -> None:
    # The first rename lands after Bert read the place; Bert's whole form still holds the old
    # name. Had the form been sent as it is without a version, the old name would return.
    bert = saved.editable_asset("a1")
    saved.update_asset("a1", {"name": "Huis van de Wijk"}, actor="anna")
    with pytest.raises(StaleEdit):
        saved.update_asset("a1", _form(bert, description="Nieuw"), actor="bert", base=bert)
    assert _place(saved, "a1")["name"] == "Huis van de Wijk"


def test_both_changed_one_field_the_refusal_names_theirs_and_yours(saved: Store) -> None:
    anna, bert = saved.editable_asset("a2"), saved.editable_asset("a2")
    saved.update_asset("a2", _form(anna, name="Speeltuin Rielerweg"), actor="anna", base=anna)
    with pytest.raises(StaleEdit) as refused:
        saved.update_asset("a2", _form(bert, name="Speelplek Riel"), actor="bert", base=bert)
    (change,) = refused.value.changes
    assert (change.field, change.theirs, change.yours, change.mine) == (
        "name",
        "Speeltuin Rielerweg",
        "Speelplek Riel",
        True,
    )
    assert "(u koos 'Speelplek Riel')" in explain(refused.value, "nl")
    # Saved again after seeing it: the user's choice wins, knowingly.
    refresh, again = rebase(bert, _form(bert, name="Speelplek Riel"), refused.value.current)
    assert refresh == set()
    saved.update_asset("a2", _form(again, name="Speelplek Riel"), actor="bert", base=again)
    assert _place(saved, "a2")["name"] == "Speelplek Riel"


def test_a_newer_version_with_the_same_values_is_no_conflict(saved: Store) -> None:
    # A workspace save writes every row again with a new version; what the user read is
    # still what is stored, so the save goes through.
    bert = saved.editable_asset("a3")
    loaded = saved.load_workspace()
    assert loaded is not None
    saved.save_workspace(loaded[0], loaded[1], meta=loaded[2], actor="import")
    assert saved.editable_asset("a3").version != bert.version
    saved.update_asset("a3", _form(bert, address="Markt 1"), actor="bert", base=bert)
    assert _place(saved, "a3")["address"] == "Markt 1"


def test_a_place_moved_meanwhile_is_not_deleted_unseen(saved: Store) -> None:
    bert = saved.editable_asset("a1")
    moved = saved.editable_asset("a1")
    saved.update_asset(
        "a1", _form(moved, lon=moved.values["lon"] + 0.001), actor="anna", base=moved
    )
    with pytest.raises(StaleEdit) as refused:
        saved.delete_asset("a1", actor="bert", base=bert)
    assert {c.field for c in refused.value.changes} == {"lon"}
    saved.delete_asset("a1", actor="bert", base=refused.value.current)
    with pytest.raises(NotFound):
        saved.editable_asset("a1")


def test_a_place_shown_with_six_decimals_is_not_moved_by_a_save(saved: Store) -> None:
    base = saved.editable_asset("a2")
    form = _form(
        base, lon=round(base.values["lon"], 6), lat=round(base.values["lat"], 6), tags="speel"
    )
    before = saved.load_workspace()[1].set_index("id").loc["a2"].geometry  # type: ignore[index]
    saved.update_asset("a2", form, actor="bert", base=base)
    after = _place(saved, "a2")
    assert after.geometry.equals(before)
    assert after["tags"] == "speel"


# --- activities ------------------------------------------------------------------------------


def _activity_form(store: Store, base: Editable, **changes: object) -> dict[str, object]:
    assets = store.load_workspace()[1]["id"]  # type: ignore[index]
    clean, errors = check_activity(
        {"id": "koffie", **base.values, **changes}, asset_ids=set(assets)
    )
    assert clean is not None, errors
    return clean


def test_a_second_save_of_an_activity_is_refused_with_the_first_change_shown(
    saved: Store,
) -> None:
    anna, bert = saved.editable_activity("koffie"), saved.editable_activity("koffie")
    saved.save_activity(_activity_form(saved, anna, start="09:30"), actor="anna", base=anna)
    bert_form = _activity_form(saved, bert, organiser="Welzijn Voorstad")
    with pytest.raises(StaleEdit) as refused:
        saved.save_activity(bert_form, actor="bert", base=bert)
    assert [(c.field, c.theirs) for c in refused.value.changes] == [("start", "09:30")]
    assert "de begintijd is nu '09:30'" in explain(refused.value, "nl")
    saved.save_activity(
        bert_form, actor="bert", base=Editable(refused.value.current.version, bert.values)
    )
    row = saved.activities().set_index("id").loc["koffie"]
    assert (row["start"], row["organiser"]) == ("09:30", "Welzijn Voorstad")


def test_an_activity_deleted_meanwhile_is_not_saved_again(saved: Store) -> None:
    bert = saved.editable_activity("koffie")
    saved.delete_activity("koffie", actor="anna")
    with pytest.raises(NotFound, match="deleted by someone else"):
        saved.save_activity(_activity_form(saved, bert, title="Koffie"), actor="bert", base=bert)
    assert saved.activities().empty


# --- what a place asks for -------------------------------------------------------------------


def test_a_second_save_of_a_places_needs_is_refused_with_the_first_change_shown(
    saved: Store,
) -> None:
    anna, bert = saved.editable_needs("a1"), saved.editable_needs("a1")
    assert anna == Editable(0, {"categories": "", "note": None})
    saved.set_place_needs("a1", ["koken"], note="", actor="anna", base=anna)
    with pytest.raises(StaleEdit) as refused:
        saved.set_place_needs("a1", [], note="Ook op zaterdag", actor="bert", base=bert)
    assert [(c.field, c.theirs) for c in refused.value.changes] == [("categories", "koken")]
    assert saved.editable_needs("a1").values == {"categories": "koken", "note": None}
    # Saved again from the new version: Bert's note is added, Anna's category stays.
    again = Editable(refused.value.current.version, bert.values)
    saved.set_place_needs("a1", [], note="Ook op zaterdag", actor="bert", base=again)
    row = saved.place_needs().set_index("asset_id").loc["a1"]
    assert (row["categories"], row["note"]) == ("koken", "Ook op zaterdag")


# --- moderation of talents -------------------------------------------------------------------


def test_a_second_moderator_edit_is_refused_with_the_first_change_shown(saved: Store) -> None:
    talent_id = saved.submit_talent(submission(nickname="Anne")).id
    anna, bert = saved.editable_talent(talent_id), saved.editable_talent(talent_id)
    saved.edit_talent(talent_id, {"nickname": "Anne B."}, actor="anna", base=anna)
    with pytest.raises(StaleEdit) as refused:
        saved.edit_talent(talent_id, {"availability": "woensdag"}, actor="bert", base=bert)
    assert [(c.field, c.theirs) for c in refused.value.changes] == [("nickname", "Anne B.")]
    again = Editable(refused.value.current.version, bert.values)
    saved.edit_talent(
        talent_id,
        {"nickname": "Anne", "availability": "woensdag"},  # the form still shows "Anne"
        actor="bert",
        base=again,
    )
    talent = saved.talent(talent_id)
    assert talent is not None
    assert (talent["nickname"], talent["availability"]) == ("Anne B.", "woensdag")


def test_nobody_approves_a_text_changed_after_they_read_it(saved: Store) -> None:
    talent_id = saved.submit_talent(submission(description="Ik kook graag")).id
    seen = saved.editable_talent(talent_id)
    saved.edit_talent(talent_id, {"description": "Bel 06-12345678"}, actor="anna")
    with pytest.raises(StaleEdit) as refused:
        saved.decide(talent_id, status="approved", actor="bert", base=seen)
    assert [(c.field, c.theirs) for c in refused.value.changes] == [
        ("description", "Bel 06-12345678")
    ]
    assert saved.talent(talent_id)["status"] == "pending"  # type: ignore[index]
    saved.decide(talent_id, status="approved", actor="bert", base=refused.value.current)
    assert saved.talent(talent_id)["status"] == "approved"  # type: ignore[index]


def test_a_decision_made_by_another_moderator_is_named(saved: Store) -> None:
    talent_id = saved.submit_talent(submission()).id
    seen = saved.editable_talent(talent_id)
    saved.decide(talent_id, status="rejected", actor="anna")
    with pytest.raises(StaleEdit) as refused:
        saved.decide(talent_id, status="approved", actor="bert", base=seen)
    assert [(c.field, c.theirs, c.yours) for c in refused.value.changes] == [
        ("status", "rejected", "approved")
    ]
    # The same decision twice is no conflict: it changes nothing.
    saved.decide(talent_id, status="rejected", actor="bert", base=seen)
    assert saved.talent(talent_id)["decided_by"] == "anna"  # type: ignore[index]


# --- saves of the whole workspace ------------------------------------------------------------


def test_a_workspace_save_from_an_older_version_is_refused(saved: Store) -> None:
    version = saved.workspace_version()
    loaded = saved.load_workspace()
    assert loaded is not None
    saved.update_asset("a1", {"name": "Huis van de Wijk"}, actor="anna")
    with pytest.raises(WorkspaceChanged) as refused:
        saved.save_workspace(
            loaded[0], loaded[1], meta=loaded[2], actor="import", expected_version=version
        )
    assert "Er is niets opgeslagen" in explain(refused.value, "nl")
    assert _place(saved, "a1")["name"] == "Huis van de Wijk"


def test_an_import_keeps_an_edit_made_while_it_combined(
    saved: Store, tiny_assets: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import reads the workspace, an edit comes in, the import combines again."""
    from asset_map.services import imports

    new_places = tiny_assets.iloc[:1].assign(id="p1", name="Park", type="park", source="Parken")
    new = Loaded(
        gpd.GeoDataFrame(columns=saved.load_workspace()[0].columns, geometry="geometry", crs=4326),  # type: ignore[index]
        new_places,
        {"is_demo": False, "sources": [{"name": "Parken", "layer": "assets"}]},
    )
    reads: list[int] = []
    real_current = imports.current

    def current_then_edit(store: Store) -> Loaded | None:
        now = real_current(store)
        reads.append(1)
        if len(reads) == 1:  # an edit lands after the import's first read
            store.update_asset("a1", {"name": "Huis van de Wijk"}, actor="anna")
        return now

    monkeypatch.setattr(imports, "current", current_then_edit)
    combined = import_into(saved, new, actor="import")
    assert len(reads) == 2  # combined again with the edit in it
    assert set(combined.assets["id"]) >= {"a1", "p1"}
    assert _place(saved, "a1")["name"] == "Huis van de Wijk"
    assert _place(saved, "p1")["name"] == "Park"


def test_an_import_that_keeps_meeting_edits_gives_up_and_saves_nothing(
    saved: Store, tiny_assets: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asset_map.services import imports

    before = saved.workspace_version()
    real_current = imports.current
    names = iter(f"Naam {i}" for i in range(10))

    def current_then_edit(store: Store) -> Loaded | None:
        now = real_current(store)
        store.update_asset("a2", {"name": next(names)}, actor="anna")
        return now

    monkeypatch.setattr(imports, "current", current_then_edit)
    new = Loaded(
        gpd.GeoDataFrame(columns=["code", "geometry"], geometry="geometry", crs=4326),
        tiny_assets.iloc[:1].assign(id="p1", source="Parken"),
        {"is_demo": False, "sources": [{"name": "Parken", "layer": "assets"}]},
    )
    with pytest.raises(WorkspaceChanged):
        import_into(saved, new, actor="import")
    assert _place(saved, "a2")["name"] == f"Naam {COMBINE_ATTEMPTS - 1}"
    assert "p1" not in set(saved.load_workspace()[1]["id"])  # type: ignore[index]
    assert saved.workspace_version() != before


def test_an_edit_read_before_an_import_is_refused_when_the_import_changed_it(
    saved: Store, tiny_assets: gpd.GeoDataFrame
) -> None:
    bert = saved.editable_asset("a1")
    loaded = saved.load_workspace()
    assert loaded is not None
    assets = loaded[1].copy()
    assets.loc[assets["id"] == "a1", "name"] = "Buurthuis De Uithoek (import)"
    saved.save_workspace(loaded[0], assets, meta=loaded[2], actor="import")
    with pytest.raises(StaleEdit) as refused:
        saved.update_asset("a1", _form(bert, capacity=50.0), actor="bert", base=bert)
    assert [c.field for c in refused.value.changes] == ["name"]
