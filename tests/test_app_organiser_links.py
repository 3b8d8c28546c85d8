"""Organisers' links in the app (AppTest): staff make one on Bijhouden, the organiser opens it
and keeps only their own place current, and a withdrawn link is refused.
"""

from __future__ import annotations

from app_helpers import APP, MANAGER, button, login, open_page
from streamlit.testing.v1 import AppTest

from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store

PLACE = "demo-0138"


def _staff_page() -> AppTest:
    at = open_page("app_pages/login.py")
    login(at, *MANAGER)
    at.switch_page("app_pages/upkeep.py").run()
    assert not at.exception, at.exception
    return at


def _make_link(at: AppTest) -> str:
    at.selectbox(key="links_place").select(PLACE).run()
    at.text_input(key="links_label").input("Buurtvereniging")
    button(at, "Maak een link").click().run()
    assert not at.exception, at.exception
    [shown] = [c.value for c in at.code]
    assert "/organisator?sleutel=" in shown
    return shown.split("sleutel=")[1]


def _organiser(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["sleutel"] = token
    at.run()
    assert not at.exception, at.exception
    return at


def _page_text(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.text, *at.caption)]
    parts += [b.label for b in at.button]
    return " ".join(str(p) for p in parts)


def test_an_organiser_keeps_only_their_own_place_current(db):
    staff = _staff_page()
    token = _make_link(staff)
    demo = load_workspace(DEMO_DIR).assets.set_index("id")
    name = str(demo.loc[PLACE, "name"])

    at = _organiser(token)
    assert at.title[0].value == f"Uw plek op de kaart: {name}"
    others = [str(n) for n in demo.drop(index=PLACE)["name"]]
    shown = _page_text(at)
    assert not [n for n in others if n in shown]  # no other place on the page
    button(at, "Alles klopt nog").click().run()
    assert any("alles klopt" in s.value for s in at.success)

    at.text_area(key="org_description").input("Koffie, soep en een krant")
    at.text_input(key="org_hours").input("di en do 9-13 uur")
    button(at, "Bewaar").click().run()
    assert any("Bewaard" in s.value for s in at.success)

    at.text_input(key=f"wf_t_{PLACE}_new").input("Krantenochtend")
    button(at, "Activiteit opslaan").click().run()
    assert not at.exception, at.exception

    with Store(db) as store:
        loaded = store.load_workspace()
        assert loaded is not None
        place = loaded[1].set_index("id").loc[PLACE]
        assert (place["description"], place["opening_hours"]) == (
            "Koffie, soep en een krant",
            "Tu,Th 09:00-13:00",  # as OpenStreetMap writes "di en do 9-13 uur"
        )
        added = store.activities()
        assert "Krantenochtend" in set(added.loc[added["asset_id"] == PLACE, "title"])
        check = store.checks().set_index("asset_id").loc[PLACE]
        assert check["method"] == "organiser"
        log = store.audit(entity="organiser_link")
        assert {"link_opened", "link_confirmed", "link_edited", "link_activity"} <= set(
            log["action"]
        )


def test_a_withdrawn_link_is_refused_on_the_organisers_page(db):
    staff = _staff_page()
    token = _make_link(staff)
    assert _organiser(token).title
    staff.selectbox(key="links_revoke").select_index(0)
    button(staff, "Trek de link in").click().run()
    assert any("ingetrokken" in s.value for s in staff.success)
    at = _organiser(token)
    assert any("ingetrokken" in e.value for e in at.error)
    assert not at.title and not at.text_area  # nothing of the place is shown


def test_the_organisers_page_without_a_link_says_it_needs_one(db):
    at = open_page("app_pages/organiser.py")
    assert any("persoonlijke link" in i.value for i in at.info)
    at = _organiser("made-up-token")
    assert any("kennen wij niet" in e.value for e in at.error)


def test_an_organisers_save_on_a_place_changed_meanwhile_is_refused(db):
    token = _make_link(_staff_page())
    at = _organiser(token)
    at.text_area(key="org_description").input("Koffie, soep en een krant")
    with Store(db) as store:  # staff change the description while the organiser types
        store.update_asset(PLACE, {"description": "Nieuwe tekst van de wijkmanager"}, actor="wim")
    button(at, "Bewaar").click().run()
    assert not at.exception, at.exception
    assert any("veranderd door iemand anders" in w.value for w in at.warning)
    assert not any("Bewaard" in s.value for s in at.success)
    assert at.text_area(key="org_description").value == "Koffie, soep en een krant"
    with Store(db) as store:
        loaded = store.load_workspace()
        assert loaded is not None
        assert loaded[1].set_index("id").loc[PLACE, "description"] == (
            "Nieuwe tekst van de wijkmanager"
        )
    button(at, "Bewaar").click().run()  # now from the stored version: the organiser's text
    assert any("Bewaard" in s.value for s in at.success)
