"""The 'Kansen' screen, run headless with AppTest: downloads, caching, solvers, weights,
what-if, progress and Dutch texts. Known answers come from ``analyse_gaps`` on the demo."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gap_layouts import LATTICE_X0, LATTICE_Y0, NEAR, buurt, buurthuizen, notes_of
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

import asset_map.ui.gaps as gap_ui
from asset_map import settings
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.render.styles import format_number
from asset_map.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGE = "app_pages/kansen.py"
#: The screen's defaults: 10 minutes, mix, 3 new sites among planned places and hosts.
DEFAULT = GapParams(new_sites=3)
X0, Y0 = LATTICE_X0, LATTICE_Y0  # the corner of the street lattice of tests/gap_layouts.py


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Record what each download button of the page would hand out, by file name."""
    got: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        made = data() if callable(data) else data  # files made on click: make them now
        got[file_name] = made if isinstance(made, bytes) else str(made).encode("utf-8")
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return got


@pytest.fixture
def app(monkeypatch, gap_calls) -> AppTest:
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _calculate(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Bereken").click().run()
    assert not at.exception, at.exception


def _suggestions(at: AppTest) -> pd.DataFrame:
    tables = [df.value for df in at.dataframe if "Nr." in df.value.columns]
    assert tables, "no table of suggestions"
    return tables[0]


def _metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric '{label}'"
    return str(values[0])


def test_downloads_hold_the_suggested_sites(app, downloads, demo):
    expected = analyse_gaps(*demo, DEFAULT).sites
    app.run()  # the buttons are drawn with the recorder in place
    # Dutch Excel's CSV: ";" between cells, "," before decimals, Dutch headers.
    table = pd.read_csv(
        io.BytesIO(downloads["voorstellen.csv"]), sep=";", decimal=",", encoding="utf-8-sig"
    )
    workbook = pd.read_excel(io.BytesIO(downloads["voorstellen.xlsx"]))
    for sheet in (table, workbook):
        assert sheet["Nr."].tolist() == [1, 2, 3]
        assert sheet["Plek"].tolist() == expected["name"].tolist()
        assert sheet["Gewogen"].tolist() == pytest.approx(
            expected["newly_covered"].tolist(), abs=0.05
        )
        assert sheet["Nieuw binnen loopafstand"].tolist() == [
            round(v) for v in expected["newly_residents"]
        ]
    features = json.loads(downloads["voorstellen.geojson"])["features"]
    assert [f["properties"]["rank"] for f in features] == [1, 2, 3]
    assert [f["geometry"]["type"] for f in features] == ["Point"] * 3
    lon, lat = features[0]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(
        (table["Lengtegraad (lon)"][0], table["Breedtegraad (lat)"][0]), abs=1e-6
    )
    cells = json.loads(downloads["vakjes_loopafstand.geojson"])
    assert len(cells["features"]) == len(analyse_gaps(*demo, DEFAULT).cells)
    buurten = pd.read_csv(
        io.BytesIO(downloads["buurten_loopafstand.csv"]), sep=";", decimal=",", encoding="utf-8-sig"
    )
    assert len(buurten) == int((demo[0]["level"] == "buurt").sum())
    shares = buurten["Nu binnen loopafstand (%)"]
    assert shares.dropna().between(0, 100).all() and shares.notna().any()  # empty: no figures
    walk = buurten["Gemiddeld lopen (m)"].dropna()
    assert len(walk) and (walk == walk.round()).all()  # whole metres
    assert len(pd.read_excel(io.BytesIO(downloads["buurten_loopafstand.xlsx"]))) == len(buurten)


def test_results_are_cached_per_parameter_set(app, gap_calls):
    assert len(gap_calls) == 1 and gap_calls[0].walk_min == 10.0 and gap_calls[0].new_sites == 3
    app.run()
    _calculate(app)  # the same parameters: taken from the cache
    assert len(gap_calls) == 1
    app.slider(key="gap_walk_min").set_value(12)
    _calculate(app)
    assert len(gap_calls) == 2 and gap_calls[1].walk_min == 12.0
    app.slider(key="gap_walk_min").set_value(10)
    _calculate(app)  # back to the first set: cached again
    assert len(gap_calls) == 2


def test_exact_solver_shows_its_gap(app, demo):
    greedy = _suggestions(app)
    app.radio(key="gap_solver@nl").set_value("exact")
    _calculate(app)
    exact = analyse_gaps(*demo, GapParams(new_sites=3, solver="exact"))
    gap = format_number(100 * exact.summary["mip_gap"], "%", "nl")
    assert any(f"hooguit {gap} minder goed" in c.value for c in app.caption)
    shown = _suggestions(app)
    assert len(shown) == len(greedy) == 3
    assert shown["Plek"].tolist() == exact.sites["name"].tolist()


def test_custom_weights_are_used(app, demo):
    app.selectbox(key="gap_need@nl").set_value("custom")
    app.number_input(key="gap_w_all").set_value(0.0)
    app.number_input(key="gap_w_65").set_value(1.0)
    app.number_input(key="gap_w_1").set_value(0.0)
    _calculate(app)
    own = analyse_gaps(*demo, GapParams(new_sites=3, weights=NeedWeights(0.0, 1.0, 0.0)))
    expected = format_number(round(own.summary["weighted_total"]), lang="nl")
    assert _metric(app, "Bewoners (gewogen)") == expected
    preset = analyse_gaps(*demo, GapParams(weights=NeedWeights.preset("65plus")))
    assert own.summary["weighted_total"] == preset.summary["weighted_total"]


def test_what_if_shows_the_change_with_known_figures(app, demo):
    app.toggle(key="gap_what_if").set_value(True)
    _calculate(app)
    with_planned = analyse_gaps(*demo, GapParams(new_sites=3, include_planned=True))
    without = analyse_gaps(*demo, GapParams())
    change = [i.value for i in app.info if "Zonder de geplande huiskamers" in i.value]
    assert change
    assert format_number(100 * without.summary["share_before"], "%", "nl") in change[0]
    assert format_number(100 * with_planned.summary["share_before"], "%", "nl") in change[0]
    # The planned huiskamers count as open: they are no candidates any more.
    assert "Geplande huiskamer" not in set(_suggestions(app)["Soort"])


def test_progress_is_shown_and_finished(app):
    bars = app.get("progress")
    assert bars and bars[-1].proto.value == 100


def test_no_candidate_kind_is_said_not_silently_replaced(app, gap_calls):
    app.multiselect(key="gap_candidates@nl").set_value([])
    _calculate(app)
    assert any("Kies minstens één soort plek" in w.value for w in app.warning)
    assert gap_calls[-1].new_sites == 0 and gap_calls[-1].candidates == ()
    assert not [df for df in app.dataframe if "Nr." in df.value.columns]


def test_cell_names_and_notes_are_dutch(app):
    app.multiselect(key="gap_candidates@nl").set_value(["cells"])
    _calculate(app)
    names = _suggestions(app)["Plek"].tolist()
    assert names and all(n.startswith("Vakje in ") for n in names)
    notes = [t.value for t in app.text]
    assert any(n.startswith("Van buurt Bedrijventerrein De Vaart") for n in notes)
    assert not any("left out of the demand" in n for n in notes)


# --- the what-if texts ---------------------------------------------------------------------------


def _texts(at: AppTest) -> list[str]:
    """Every text the screen shows (messages, notes, labels, table headers)."""
    shown = [e.value for kind in ("info", "warning", "error", "caption", "text", "markdown")
             for e in getattr(at, kind)]  # fmt: skip
    shown += [m.label for m in at.metric] + [str(m.proto.delta) for m in at.metric]
    shown += [str(c) for df in at.dataframe for c in df.value.columns]
    return shown


def test_what_if_in_percentage_points_and_labels(app, demo):
    app.toggle(key="gap_what_if").set_value(True)
    _calculate(app)
    without = analyse_gaps(*demo, GapParams()).summary["share_before"]
    with_ = analyse_gaps(*demo, GapParams(include_planned=True)).summary["share_before"]
    gain = format_number(round(100 * (with_ - without), 1), lang="nl")
    infos = [i.value for i in app.info]
    assert (
        f"Zonder de geplande huiskamers woont {format_number(100 * without, '%', 'nl')} van de "
        "bewoners (gewogen) op loopafstand van een ontmoetingsplek. Met de geplande huiskamers "
        f"is dat {format_number(100 * with_, '%', 'nl')}. Dat is {gain} procentpunt meer."
    ) in infos
    # The default candidates include the planned places, which now count as open: said once.
    assert (
        "De geplande huiskamers tellen nu mee als open plek. Daarom zoeken we nieuwe plekken "
        "alleen bij de andere soorten plekken."
    ) in infos
    labels = [m.label for m in app.metric]
    assert "Met de geplande huiskamers" in labels and "Nu binnen loopafstand" not in labels
    deltas = [m.proto.delta for m in app.metric if m.proto.delta]
    assert deltas and all(d.endswith(" procentpunt") and d.startswith("+") for d in deltas)
    buurten = next(df.value for df in app.dataframe if "Buurt" in df.value.columns)
    assert "Met geplande huiskamers (%)" in buurten.columns
    assert "Nu binnen loopafstand (%)" not in buurten.columns


def test_what_if_with_only_planned_candidates_says_why_there_are_none(app):
    app.toggle(key="gap_what_if").set_value(True)
    app.multiselect(key="gap_candidates@nl").set_value(["planned"])
    _calculate(app)
    shown = _texts(app)
    assert any(s.startswith("De geplande huiskamers tellen al mee als open plek.") for s in shown)
    assert any(s.startswith("We vonden geen nieuwe plek die meer mensen") for s in shown)
    assert not any("Kies hierboven hoeveel nieuwe plekken" in s for s in shown)
    assert not any("(planned)" in s or "planned" in s.split() for s in shown)


def test_what_if_text_when_the_planned_places_add_nothing_or_do_not_exist():
    area = buurt(X0, Y0, X0 + 400, Y0 + 400)
    places = buurthuizen(NEAR, (NEAR[0] + 1, NEAR[1])).assign(status=["existing", "planned"])
    params = GapParams(cell_m=100, weights=NeedWeights.preset("all"))
    without = analyse_gaps(area, places, params)
    with_planned = analyse_gaps(
        area, places, GapParams(cell_m=100, weights=NeedWeights.preset("all"), include_planned=True)
    )
    share = format_number(100 * without.summary["share_before"], "%", "nl")
    assert gap_ui.what_if_text(with_planned, without, "nl") == (
        "De geplande huiskamers brengen niemand extra op loopafstand. Met en zonder de geplande "
        f"huiskamers woont {share} van de bewoners (gewogen) op loopafstand."
    )
    existing = places.iloc[:1]
    none = analyse_gaps(area, existing, GapParams(cell_m=100, include_planned=True))
    plain = analyse_gaps(area, existing, GapParams(cell_m=100))
    assert gap_ui.what_if_text(none, plain, "nl").startswith(
        "Er zijn geen geplande ontmoetingsplekken."
    )


# --- no meeting-place type chosen, no meeting place at all, weights of 0 -------------------------


def test_cleared_meeting_types_ask_for_one_and_do_not_run(app, gap_calls):
    before = len(gap_calls)
    app.multiselect(key="gap_meeting_types@nl").set_value([])
    _calculate(app)
    assert any(
        "Kies bij 'Wat telt als ontmoetingsplek?' minstens één soort plek" in w.value
        for w in app.warning
    )
    assert len(gap_calls) == before  # nothing was calculated with types the user did not choose
    assert not app.metric


def test_screen_names_meeting_types_by_label(demo):
    areas, assets = demo
    shops = assets[assets["type"] == "winkel"]  # no meeting place at all
    result = analyse_gaps(areas, shops, GapParams())
    (note,) = notes_of(result, "note.gaps.no_meeting_places")
    assert note.key == "note.gaps.no_meeting_places_now"
    assert "(buurthuis, wijkhuiskamer, huis_van_de_wijk" in note  # the CLI takes these keys
    text = gap_ui.note_text(note, "nl")
    assert text.startswith(
        "Er zijn nu geen ontmoetingsplekken (Buurthuis, Wijkhuiskamer, Huis van de wijk"
    )
    assert "huis_van_de_wijk" not in text


def test_site_popup_without_any_meeting_place_says_so(demo):
    from asset_map.render.gaps import build_gap_map
    from asset_map.render.map import map_html

    areas, assets = demo
    shops = assets[assets["type"] == "winkel"]
    result = analyse_gaps(areas, shops, GapParams(new_sites=1, candidates=("cells",)))
    assert np.isinf(result.sites["nearest_meeting_m"]).all()
    html = map_html(build_gap_map(result, areas, shops, lang="nl", basemap="none"))
    assert "Er is nu geen ontmoetingsplek die te bereiken is." in html
    assert "– meter" not in html and "\\u2013 meter" not in html


def test_all_weights_zero_is_refused_in_dutch(app, gap_calls):
    before = len(gap_calls)
    app.selectbox(key="gap_need@nl").set_value("custom")
    for key in ("gap_w_all", "gap_w_65", "gap_w_1"):
        app.number_input(key=key).set_value(0.0)
    _calculate(app)
    assert [e.value for e in app.error] == [
        "Alle drie de gewichten zijn 0. Dan telt niemand mee. Geef minstens één groep een "
        "gewicht boven 0, bijvoorbeeld 1 bij 'Alle bewoners'."
    ]
    assert len(gap_calls) == before


def test_profile_window_and_older_pace_are_the_analysis_ones(app, demo, gap_calls):
    app.selectbox(key="gap_profile@nl").set_value("rolstoel")
    app.selectbox(key="gap_window@nl").set_value("weekday-evening")
    _calculate(app)
    used = gap_calls[-1]
    assert (used.profile, used.window, used.speed_kmh, used.detour) == (
        "rolstoel", "weekday-evening", 3.5, 1.4,
    )  # fmt: skip
    app.selectbox(key="gap_profile@nl").set_value("gemiddeld")
    app.checkbox(key="gap_older").check()
    _calculate(app)
    assert gap_calls[-1].group_profiles()[1].key == "ouderen"
    areas, assets = demo  # the screen passes the workspace's activities too
    expected = analyse_gaps(areas, assets, gap_calls[-1], activities=_demo_activities()).summary[
        "share_before"
    ]
    assert _metric(app, "Nu binnen loopafstand") == format_number(100 * expected, "%", "nl")


def test_the_table_per_time_window_shows_every_window(app, demo):
    table = next(df.value for df in app.dataframe if "Tijdvak" in df.value.columns)
    assert table["Tijdvak"].tolist() == [
        "Altijd (openingstijden niet bekeken)",
        "Doordeweeks 's ochtends (8-12 uur)",
        "Doordeweeks 's middags (12-18 uur)",
        "Doordeweeks 's avonds (18-23 uur)",
        "In het weekend (8-23 uur)",
    ]
    result = analyse_gaps(*demo, DEFAULT, activities=_demo_activities())
    shares = [format_number(100 * v, "%", "nl") for v in result.windows["share"]]
    assert table["Binnen loopafstand"].tolist() == shares
    assert table["Plekken open"].tolist() == result.windows["places"].tolist()


def _demo_activities() -> pd.DataFrame:
    from asset_map.services.workspace import load_workspace

    return load_workspace(DEMO).activities


def test_the_tables_show_numbers_the_dutch_way(app, demo):
    expected = analyse_gaps(*demo, DEFAULT)
    sites = _suggestions(app)
    first = expected.sites.iloc[0]
    assert sites["Nieuw binnen loopafstand"][0] == f"{round(first['newly_residents']):,}".replace(
        ",", "."
    )
    assert sites["Nu lopen naar dichtstbijzijnde (m)"][
        0
    ] == f"{first['nearest_meeting_m']:,.0f}".replace(",", ".")
    buurten = next(df.value for df in app.dataframe if "Gemiddeld lopen (m)" in df.value.columns)
    row = expected.buurten.iloc[0]
    shown = buurten.iloc[0]
    assert shown["Gemiddeld lopen (m)"] == f"{row['mean_walk_m']:.0f}"  # whole metres
    assert shown["Nu binnen loopafstand (%)"] == f"{100 * row['share_covered']:.1f}".replace(
        ".", ","
    )
    assert shown["Bewoners"] == f"{row['residents']:,.0f}".replace(",", ".")
    numbers = buurten.drop(columns=["Buurt"]).to_numpy().ravel()
    dutch = re.compile(r"–|\d{1,3}(\.\d{3})*(,\d)?")  # dots between thousands, a comma
    assert all(dutch.fullmatch(str(v)) for v in numbers), numbers


def test_walking_time_that_covers_everyone_ends_with_a_note(app, demo):
    # Known answer: within an hour's walk, every resident of the demo reaches a meeting place.
    assert analyse_gaps(*demo, GapParams(walk_min=60, new_sites=3)).summary["share_before"] == 1.0
    app.slider(key="gap_walk_min").set_value(60)
    _calculate(app)  # no error where the map should be
    assert "Iedereen woont op loopafstand van een ontmoetingsplek." in [i.value for i in app.info]
    assert any(s.startswith("We vonden geen nieuwe plek die meer mensen") for s in _texts(app))
    assert "Geen nieuwe plek gevonden die meer mensen op loopafstand brengt." in _map_text(app)


def test_no_candidate_ends_with_a_note_on_the_map(app):
    app.toggle(key="gap_what_if").set_value(True)
    app.multiselect(key="gap_candidates@nl").set_value(["planned"])
    _calculate(app)
    assert "Geen nieuwe plek gevonden die meer mensen op loopafstand brengt." in _map_text(app)
    assert "Bewoners verder dan loopafstand" in _map_text(app)


def test_exact_solver_has_a_time_limit_on_the_screen(app, gap_calls):
    assert app.number_input(key="gap_time_limit").value == settings.TIME_LIMIT_S.default
    solver = app.radio(key="gap_solver@nl")
    assert solver.value == "greedy"  # the fast method is the default
    assert "Snel is de standaard" in solver.help
    assert f"(standaard {settings.TIME_LIMIT_S.default:g})" in solver.help
    app.radio(key="gap_solver@nl").set_value("exact")
    app.number_input(key="gap_time_limit").set_value(5)
    _calculate(app)
    assert gap_calls[-1].solver == "exact" and gap_calls[-1].time_limit_s == 5.0


def _map_text(at: AppTest) -> str:
    """The scripts of the maps on the page (frame and contents), as sent to the browser."""
    args = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    return " ".join(str(a.get("script", "")) + str(a.get("feature_group") or "") for a in args)
