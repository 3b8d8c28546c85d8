"""Switching the language keeps every choice (AppTest).

Streamlit keeps a select box's choice as its label; after a switch the labels change and the
choice was lost (streamlit#11268: empty multiselects, a radio with nothing chosen). Widgets
whose labels follow the language have one key per language (``state.choice_key``); these
tests make choices in Dutch, switch to English and check that the same options are chosen,
now with English labels, and that nothing else changed (same analysis, same table).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from asset_map.i18n import t
from asset_map.model import catalogue
from asset_map.settings import DATA_DIR_ENV
from asset_map.storage import Store
from asset_map.ui.state import LANG_KEY

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PLANNER = ("petra", "planner-wachtwoord-1")


def _switch(at: AppTest, lang: str) -> AppTest:
    at.sidebar.selectbox(key=LANG_KEY).set_value(lang).run()
    assert not at.exception, at.exception
    return at


def _open(page: str, query: dict[str, list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _type_label(key: str, lang: str) -> str:
    kind = catalogue().types[key]
    return f"{kind.icon} {kind.label(lang)}"


# --- the helper on its own ---------------------------------------------------------------------


def _small_app() -> None:
    import streamlit as st

    from asset_map.ui.state import among, choice_key, current_lang, language_picker, option_index

    language_picker()
    lang = current_lang()
    colours = ("red", "green", "blue")
    names = {"nl": ("rood", "groen", "blauw"), "en": ("red", "green", "blue")}[lang]
    label = dict(zip(colours, names, strict=True))
    key, now = choice_key("colour", "red")
    st.selectbox(
        "colour", colours, index=option_index(colours, now), format_func=label.get, key=key
    )
    key, now = choice_key("colours", ["red"])
    st.multiselect("colours", colours, default=among(now, colours), format_func=label.get, key=key)
    key, now = choice_key("gone", "purple")  # a value that is no option: the fallback
    st.radio("gone", colours, index=option_index(colours, now, 2), format_func=label.get, key=key)


def test_choice_key_carries_a_choice_to_the_other_language_and_back():
    at = AppTest.from_function(_small_app)
    at.run()
    assert at.selectbox(key="colour@nl").value == "red"
    assert at.multiselect(key="colours@nl").value == ["red"]
    assert at.radio(key="gone@nl").value == "blue"
    at.selectbox(key="colour@nl").set_value("green")
    at.multiselect(key="colours@nl").set_value(["blue", "green"])
    at.radio(key="gone@nl").set_value("red").run()
    _switch(at, "en")
    assert at.selectbox(key="colour@en").value == "green"
    assert at.selectbox(key="colour@en").options == ["red", "green", "blue"]
    assert at.multiselect(key="colours@en").value == ["blue", "green"]
    assert at.radio(key="gone@en").value == "red"
    at.run()  # the Dutch widgets are gone now; the English ones keep their value
    assert "colour@nl" not in at.session_state
    assert at.selectbox(key="colour@en").value == "green"
    _switch(at, "nl")
    assert at.selectbox(key="colour@nl").value == "green"
    assert at.selectbox(key="colour@nl").options == ["rood", "groen", "blauw"]
    assert at.multiselect(key="colours@nl").value == ["blue", "green"]
    assert at.radio(key="gone@nl").value == "red"


# --- Kansen ------------------------------------------------------------------------------------


def test_kansen_settings_survive_a_switch_to_english_and_back(monkeypatch, gap_calls):
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO))
    at = _open("app_pages/kansen.py")
    meeting = at.multiselect(key="gap_meeting_types@nl").value
    assert len(meeting) > 2
    chosen_types = meeting[:2]
    at.multiselect(key="gap_candidates@nl").set_value(["hosts", "cells"])
    at.radio(key="gap_solver@nl").set_value("exact")
    at.selectbox(key="gap_need@nl").set_value("65plus")
    at.multiselect(key="gap_meeting_types@nl").set_value(chosen_types)
    next(b for b in at.button if b.label == "Bereken").click().run()
    assert not at.exception, at.exception
    before = len(gap_calls)
    assert gap_calls[-1].solver == "exact" and gap_calls[-1].candidates == ("hosts", "cells")
    assert gap_calls[-1].meeting_types == tuple(chosen_types)

    _switch(at, "en")
    candidates = at.multiselect(key="gap_candidates@en")
    assert candidates.value == ["hosts", "cells"]
    assert "Existing buildings (school, church, library)" in candidates.options
    assert candidates.label == t("gaps.candidates", "en")
    solver = at.radio(key="gap_solver@en")
    assert solver.value == "exact"
    assert solver.options == [
        "Fast (nearly the best choice)",
        "Exact (the best choice, takes longer)",
    ]
    need = at.selectbox(key="gap_need@en")
    assert need.value == "65plus"
    assert "Only aged 65 and over" in need.options
    types = at.multiselect(key="gap_meeting_types@en")
    assert types.value == chosen_types
    assert _type_label(chosen_types[0], "en") in types.options
    warnings = [w.value for w in at.warning]
    assert t("gaps.no_candidate_kind", "en") not in warnings
    assert t("gaps.no_meeting_types", "en") not in warnings
    assert len(gap_calls) == before  # the same parameters: the same (cached) analysis

    at.run()  # the run after the switch: the English widgets keep their values
    assert at.radio(key="gap_solver@en").value == "exact"
    assert at.multiselect(key="gap_candidates@en").value == ["hosts", "cells"]
    _switch(at, "nl")
    assert at.multiselect(key="gap_candidates@nl").value == ["hosts", "cells"]
    assert at.radio(key="gap_solver@nl").value == "exact"
    assert at.selectbox(key="gap_need@nl").value == "65plus"
    assert at.multiselect(key="gap_meeting_types@nl").value == chosen_types
    assert len(gap_calls) == before


# --- the explore screen and the workbench --------------------------------------------------------


def test_explore_filters_and_map_settings_survive_a_switch():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.sidebar.multiselect(key="filter_types@nl").select("speelplek")
    figure = at.sidebar.selectbox(key="map_choropleth@nl")
    first_figure = next(o for o in figure.options if o != figure.options[0])
    figure.select_index(figure.options.index(first_figure))
    at.sidebar.selectbox(key="map_basemap@nl").select("pdok").run()
    assert not at.exception, at.exception
    chosen_figure = at.sidebar.selectbox(key="map_choropleth@nl").value
    assert chosen_figure is not None
    places = [m.value for m in at.metric if m.label == t("counts.total", "nl")]

    _switch(at, "en")
    types = at.sidebar.multiselect(key="filter_types@en")
    assert types.value == ["speelplek"]
    assert _type_label("speelplek", "en") in types.options
    assert at.sidebar.selectbox(key="map_choropleth@en").value == chosen_figure
    basemap = at.sidebar.selectbox(key="map_basemap@en")
    assert basemap.value == "pdok" and "PDOK base map (Kadaster)" in basemap.options
    playgrounds = int((gpd.read_file(DEMO / "assets.geojson")["type"] == "speelplek").sum())
    assert places == [str(playgrounds)]
    assert [m.value for m in at.metric if m.label == t("counts.total", "en")] == places


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'switch.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user(*PLANNER, "planner", actor="test")
    store.close()
    return url


def test_workbench_filters_tab_and_figures_survive_a_switch(db):
    assets = gpd.read_file(DEMO / "assets.geojson")
    clubs = int((assets["type"] == "vereniging").sum())
    at = _open("app_pages/workbench.py")
    at.sidebar.multiselect(key="wb_type@nl").select("vereniging")
    at.sidebar.selectbox(key="map_basemap@nl").select("none").run()
    at.session_state["wb_tab@nl"] = "Cijfers per wijk en buurt"
    at.run()
    at.radio(key="wb_level@nl").set_value("buurt").run()
    assert not at.exception, at.exception

    _switch(at, "en")
    types = at.sidebar.multiselect(key="wb_type@en")
    assert types.value == ["vereniging"]
    assert _type_label("vereniging", "en") in types.options
    assert at.sidebar.selectbox(key="map_basemap@en").value == "none"
    assert at.session_state["wb_tab@en"] == "Figures per district and neighbourhood"
    level = at.radio(key="wb_level@en")  # drawn only on the open figures tab
    assert level.value == "buurt"
    assert level.options == ["district (wijk)", t("wb.level.buurt", "en")]
    assert at.query_params["type"] in (["vereniging"], "vereniging")  # the URL is unchanged
    assert [m.value for m in at.metric if m.label == t("counts.total", "en")] == [str(clubs)]


def test_a_shared_url_opened_in_english_fills_the_english_filter(db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[LANG_KEY] = "en"
    at.query_params["type"] = ["winkel"]
    at.run()
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="wb_type@en").value == ["winkel"]
    _switch(at, "nl")
    assert at.sidebar.multiselect(key="wb_type@nl").value == ["winkel"]


def test_the_place_editor_keeps_type_and_status_across_a_switch(db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(PLANNER[0])
    at.text_input(key="login_password").input(PLANNER[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    at.text_input(key="wb_e_name").input("Buurtkamer Het Ven")
    at.selectbox(key="wb_e_type@nl").select("wijkhuiskamer")
    at.radio(key="wb_e_status@nl").set_value("planned")
    next(b for b in at.button if b.label == t("wb.save_new", "nl")).click().run()
    assert t("wb.edit_fix", "nl") in [e.value for e in at.error]  # no place yet: not saved

    _switch(at, "en")
    kind = at.selectbox(key="wb_e_type@en")
    assert kind.value == "wijkhuiskamer" and _type_label("wijkhuiskamer", "en") in kind.options
    status = at.radio(key="wb_e_status@en")
    assert status.value == "planned" and t("wb.status.planned", "en") in status.options
    assert at.radio(key="wb_edit_mode@en").value == "add"
    at.number_input(key="wb_e_lat").set_value(52.4705)
    at.number_input(key="wb_e_lon").set_value(5.6020)
    next(b for b in at.button if b.label == t("wb.save_new", "en")).click().run()
    assert not at.exception, at.exception
    assert [e.action for e in Store(db).audit(entity="asset").itertuples()] == ["added"]
    name = t("wb.col.name", "en")
    table = next(df.value for df in at.dataframe if name in df.value.columns)
    row = table.loc[at.session_state["wb_selected"]]
    assert row[name] == "Buurtkamer Het Ven"
    assert row[t("wb.col.type", "en")] == _type_label("wijkhuiskamer", "en")
    assert row[t("wb.col.status", "en")] == t("wb.status.planned", "en")


# --- a resident's form and the near-me screen -----------------------------------------------------


def test_talent_form_choices_and_walking_time_survive_a_switch():
    at = _open("app_pages/meedoen.py")
    at.multiselect(key="join_categories@nl").select("koken").select("muziek")
    at.multiselect(key="join_wishes@nl").select("teach")
    # A form sends its values when it is sent (here refused: no name, no consent); choices
    # not sent yet are the browser's only, and a switch starts from the last values sent.
    next(b for b in at.button if b.label == t("join.submit", "nl")).click().run()
    assert t("join.fix", "nl") in [e.value for e in at.error]
    _switch(at, "en")
    categories = at.multiselect(key="join_categories@en")
    assert categories.value == ["koken", "muziek"]
    assert catalogue().talent_label("koken", "en") in categories.options
    assert at.multiselect(key="join_wishes@en").value == ["teach"]
    at.switch_page("app_pages/near_me.py").run()
    at.radio(key="near_walk_min@en").set_value(5).run()
    _switch(at, "nl")
    walk = at.radio(key="near_walk_min@nl")
    assert walk.value == 5 and walk.options[0] == "5 minuten"
