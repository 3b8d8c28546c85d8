"""Bijhouden and the werkbank (AppTest): places nobody checked for 13 months are marked.

The demo workspace is saved by a store whose clock stands 13 months back, so every place
counts as checked by that import, 13 months ago; one place is visited today.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from app_helpers import MANAGER, button, login, open_page
from storage_helpers import Clock

from asset_map.analysis.freshness import months_before
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store
from asset_map.ui.auth import LOCAL_TIME

VISITED = "demo-0138"


@pytest.fixture
def old_import(db) -> str:
    """The app's database with the demo imported 13 months ago and one place visited today."""
    then = months_before(datetime.now(UTC), 13)
    demo = load_workspace(DEMO_DIR)
    with Store(db, clock=Clock(then)) as store:
        store.save_workspace(
            demo.areas, demo.assets, meta=demo.meta, actor="import", activities=demo.activities
        )
    with Store(db) as store:
        store.record_check(VISITED, method="visit", actor="wim")
    return db


def test_the_werkbank_marks_every_place_unchecked_for_13_months(old_import):
    at = open_page("app_pages/workbench.py")
    table = at.dataframe[0].value
    marks = table.set_index(table.index)["Controleren?"]
    assert marks.loc[VISITED] == ""
    assert (marks.drop(index=VISITED) == "⚠️ te lang geleden").all()
    # Dates are shown as in the Netherlands (after 23:00 UTC it is the next day there).
    today = datetime.now(LOCAL_TIME).strftime("%d-%m-%Y")
    assert table.loc[VISITED, "Gecontroleerd"] == today
    n = len(table) - 1
    assert any(f"{n} van deze plekken zijn langer dan 12 maanden" in c.value for c in at.caption)


def test_bijhouden_lists_the_overdue_places_of_my_wijken_and_records_a_check(old_import):
    at = open_page("app_pages/login.py")
    login(at, *MANAGER)
    at.switch_page("app_pages/upkeep.py").run()
    assert not at.exception, at.exception
    demo = load_workspace(DEMO_DIR)
    places = int((demo.assets["status"] != "closed").sum())
    share = next(m for m in at.metric if m.label.startswith("Plekken gecontroleerd"))
    assert share.value == f"{100 / places:.1f}%".replace(".", ",")
    assert any(f"{places - 1} plek(ken) te controleren" in h.value for h in at.subheader)

    at.multiselect(key="upkeep_wijken").select("WK999901").run()
    in_wijk = demo.assets[demo.assets["wijk_code"] == "WK999901"]
    due = len(in_wijk) - int(VISITED in set(in_wijk["id"]))
    assert any(f"{due} plek(ken) te controleren" in h.value for h in at.subheader)
    with Store(old_import) as store:
        assert store.staff_areas("wim") == ["WK999901"]  # kept with her account

    oldest = str(at.dataframe[-1].value.iloc[0, 0])
    chosen = in_wijk.set_index("name").loc[oldest, "id"]
    at.selectbox(key="upkeep_place").select(chosen)
    at.radio(key="upkeep_how").set_value("phone")
    button(at, "Gecontroleerd").click().run()
    assert not at.exception, at.exception
    assert any("is gecontroleerd" in s.value for s in at.success)
    assert any(f"{due - 1} plek(ken) te controleren" in h.value for h in at.subheader)
    with Store(old_import) as store:
        check = store.checks().set_index("asset_id").loc[chosen]
    assert (check["method"], check["checked_by"]) == ("phone", "wim")


def test_bijhouden_refuses_an_anonymous_visitor(db):
    at = open_page("app_pages/upkeep.py")
    assert any("Log eerst in" in w.value for w in at.warning)
