"""The 'Kansen' screen, run headless with AppTest: downloads, caching, solvers, weights,
what-if, progress and Dutch texts. Known answers come from ``analyse_gaps`` on the demo."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.render.styles import format_number
from asset_map.services.workspace import load_workspace
from asset_map.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGE = "app_pages/kansen.py"
#: The screen's defaults: 10 minutes, mix, 3 new sites among planned places and hosts.
DEFAULT = GapParams(new_sites=3)


@pytest.fixture(scope="module")
def demo() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    ws = load_workspace(DEMO)
    return ws.areas, ws.assets


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Record what each download button of the page would hand out, by file name."""
    got: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        got[file_name] = data if isinstance(data, bytes) else str(data).encode("utf-8")
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
    table = pd.read_csv(io.BytesIO(downloads["voorstellen.csv"]))
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["name"].tolist() == expected["name"].tolist()
    assert table["newly_covered"].tolist() == pytest.approx(expected["newly_covered"].tolist())
    features = json.loads(downloads["voorstellen.geojson"])["features"]
    assert [f["properties"]["rank"] for f in features] == [1, 2, 3]
    assert [f["geometry"]["type"] for f in features] == ["Point"] * 3
    lon, lat = features[0]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((table["lon"][0], table["lat"][0]), abs=1e-6)
    cells = json.loads(downloads["vakjes_loopafstand.geojson"])
    assert len(cells["features"]) == len(analyse_gaps(*demo, DEFAULT).cells)
    buurten = pd.read_csv(io.BytesIO(downloads["buurten_loopafstand.csv"]))
    assert len(buurten) == int((demo[0]["level"] == "buurt").sum())


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
