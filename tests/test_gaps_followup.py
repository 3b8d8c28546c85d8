"""Follow-up of the gap analysis ('Kansen'): a street network that does not cover the area,
errors and notes in the reader's language (screen and CLI), the what-if texts, no meeting-place
type chosen, and the guard against too many grid-cell candidates.

Known answers come from hand-made layouts in RD New: the 5 x 5 street lattice of
``tests/data/network/walk.osm`` (100 m blocks from (200000, 470000), plus a footway out to
x = 200600; see tests/test_network.py) and square buurten on a plain grid.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box
from streamlit.testing.v1 import AppTest

import asset_map.ui.gaps as gap_ui
from asset_map._errors import AssetMapError, ImportFormatError, SchemaError
from asset_map.analysis import sites
from asset_map.analysis.gap_params import GapParams, NeedWeights
from asset_map.analysis.gaps import analyse_gaps
from asset_map.analysis.network import SNAP_MAX_M, snap_gaps_m
from asset_map.cli import main
from asset_map.i18n import Msg, explain, localise
from asset_map.io.network import read_walk_network
from asset_map.io.population_grid import read_population_grid
from asset_map.render.styles import format_number
from asset_map.services import gaps as gap_service
from asset_map.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
WALK_OSM = ROOT / "tests" / "data" / "network" / "walk.osm"
X0, Y0 = 200_000.0, 470_000.0  # the lattice's corner (0, 0)
FIGURES = {
    "inhabitants": 1000.0,
    "pct_65_plus": 20.0,
    "households": 500.0,
    "pct_single_households": 40.0,
}
DEMO_ARGS = [
    "gaps",
    "--areas",
    str(DEMO / "areas.geojson"),
    "--assets",
    str(DEMO / "assets.geojson"),
]


def buurt(x0: float, y0: float, x1: float, y1: float) -> gpd.GeoDataFrame:
    """One buurt, the box (x0, y0)-(x1, y1) in RD New, with 1000 residents."""
    return gpd.GeoDataFrame(
        {"code": ["BU99990101"], "name": ["Strook"], "level": ["buurt"], **{
            k: [v] for k, v in FIGURES.items()
        }},
        geometry=[box(x0, y0, x1, y1)],
        crs="EPSG:28992",
    )  # fmt: skip


def buurthuizen(*xy: tuple[float, float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [f"b{i}" for i in range(len(xy))],
            "name": [f"Buurthuis {i}" for i in range(len(xy))],
            "type": "buurthuis",
            "status": "existing",
        },
        geometry=[Point(x, y) for x, y in xy],
        crs="EPSG:28992",
    )


@pytest.fixture(scope="module")
def lattice():
    return read_walk_network(WALK_OSM)


def _notes(result, prefix: str) -> list[Msg]:
    return [w for w in result.warnings if isinstance(w, Msg) and w.key.startswith(prefix)]


# --- 1. a street network that does not cover the area -------------------------------------------

STRIP = (X0, Y0, X0 + 2000, Y0 + 400)  # 2 km east from the lattice's corner, 400 m high
NEAR, FAR = (X0 + 10, Y0 + 10), (X0 + 1900, Y0 + 200)


def test_snap_gaps_are_distances_to_the_nearest_street(lattice):
    # The footway F-P runs along x = X0 + 600 (a node every 25 m): a point 300 m east of it
    # is 300 m from the network, one on the lattice 0 m.
    gaps = snap_gaps_m(lattice, np.array([[X0 + 900, Y0 + 100], [X0 + 100, Y0 + 100]]))
    assert gaps == pytest.approx([300.0, 0.0], abs=0.01)  # OSM keeps 7 decimals: mm noise
    assert SNAP_MAX_M == 250.0


def test_network_of_one_corner_is_reported_with_the_fix(lattice):
    # 200 m cells: centres at X0 + 100 + 200 i (i = 0..9), two rows. Columns i = 0..3 lie
    # within 250 m of a street (the footway at X0 + 600 is 100 m from X0 + 700); i = 4..9
    # (6 columns x 2 rows = 12 of 20 equal cells, 60% of the residents) do not. The
    # buurthuis at FAR is 1300 m east of the footway.
    params = GapParams(cell_m=200, weights=NeedWeights.preset("all"))
    result = analyse_gaps(buurt(*STRIP), buurthuizen(NEAR, FAR), params, network=lattice)
    (partial,) = _notes(result, "note.gaps.network_partial")
    assert (partial.fields["cells"], partial.fields["total"], partial.fields["share"]) == (
        12,
        20,
        "60",
    )
    (sites,) = _notes(result, "note.gaps.network_sites")
    assert (sites.fields["n"], sites.fields["total"]) == (1, 2)
    assert not _notes(result, "note.gaps.network_elsewhere")
    # What the note warns about: these cells have no walking distance at all.
    centres = result.cells.to_crs(28992).geometry.centroid.x.to_numpy()
    assert np.isinf(result.cells["walk_m"].to_numpy()[centres > X0 + 800]).all()
    assert np.isfinite(result.cells["walk_m"].to_numpy()[centres < X0 + 800]).all()
    assert partial.startswith(
        "The street network does not cover the whole area: 12 of the 20 cells with residents "
        "lie more than 250 m from its streets (60% of the weighted residents)."
    )
    assert (
        "leave the network out to use the straight-line distance times the detour factor (1.3)"
        in partial
    )
    nl = localise(partial, "nl")
    assert nl.startswith(
        "De stratenkaart dekt niet het hele gebied. 12 van de 20 vakjes met bewoners liggen "
        "meer dan 250 meter van een straat op de kaart. Daar woont 60% van de bewoners"
    )
    assert "Gebruik een stratenkaart van de hele gemeente. Of laat de stratenkaart weg" in nl


def test_network_of_another_place_is_reported(lattice):
    elsewhere = buurt(X0 + 5000, Y0 + 5000, X0 + 5400, Y0 + 5400)
    result = analyse_gaps(
        elsewhere,
        buurthuizen((X0 + 5200, Y0 + 5200)),
        GapParams(cell_m=200, weights=NeedWeights.preset("all")),
        network=lattice,
    )
    (note,) = _notes(result, "note.gaps.network")
    assert note.key == "note.gaps.network_elsewhere" and note.fields["total"] == 4
    assert result.summary["share_before"] == 0.0
    assert localise(note, "nl").startswith("De stratenkaart past niet bij de buurten.")


def test_a_network_that_covers_the_area_gives_no_note(lattice):
    inside = buurt(X0, Y0, X0 + 400, Y0 + 400)
    result = analyse_gaps(inside, buurthuizen(NEAR), GapParams(cell_m=100), network=lattice)
    assert _notes(result, "note.gaps.network") == []
    assert result.summary["share_before"] == 1.0


def test_cli_prints_the_network_note_in_dutch(tmp_path, capsys):
    areas, assets = tmp_path / "strook.geojson", tmp_path / "plekken.geojson"
    buurt(*STRIP).to_crs(4326).to_file(areas)
    buurthuizen(NEAR, FAR).to_crs(4326).to_file(assets)
    args = ["gaps", "--areas", str(areas), "--assets", str(assets), "--cell-m", "200"]
    assert main([*args, "--network", str(WALK_OSM), "--need", "all"]) == 0
    err = capsys.readouterr().err
    assert "let op: De stratenkaart dekt niet het hele gebied. 12 van de 20 vakjes" in err
    assert "let op: 1 van de 2 ontmoetingsplekken liggen meer dan 250 meter" in err
    assert main([*args, "--need", "all"]) == 0  # without the network: no such note
    assert "stratenkaart" not in capsys.readouterr().err


# --- 2. errors in the reader's language ---------------------------------------------------------


@pytest.mark.parametrize(
    "make, english, dutch",
    [
        (
            lambda: NeedWeights(0, 0, 0),
            "all three are 0",
            "Alle drie de gewichten zijn 0. Dan telt niemand mee.",
        ),
        (
            lambda: NeedWeights(-1, 1, 0),
            "Need weights must be numbers of 0 or more, got -1, 1, 0.",
            "Een gewicht moet een getal van 0 of meer zijn. Nu: -1, 1, 0.",
        ),
        (
            lambda: GapParams(walk_min=0.5),
            "The walking time (--walk-min) must be between 1 and 60 minutes; you gave 0.5.",
            "De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0.5.",
        ),
        (
            lambda: GapParams(cell_m=10),
            "The grid cell size (--cell-m) must be between 25 and 1000 metres; you gave 10.",
            "De grootte van de vakjes (--cell-m) moet tussen 25 en 1000 meter liggen. U gaf 10.",
        ),
        (
            lambda: GapParams(new_sites=2, candidates=()),
            "new_sites is 2 but no kind of candidate is given.",
            "U zoekt 2 nieuwe plekken, maar koos geen soort plek om uit te kiezen.",
        ),
        (
            lambda: GapParams(meeting_types=()),
            "unknown: none given",
            "Onbekend: niets gekozen.",
        ),
    ],
)
def test_parameter_errors_are_messages(make, english, dutch):
    with pytest.raises(AssetMapError) as caught:
        make()
    assert isinstance(caught.value, ValueError)  # as before: callers catching ValueError work
    assert english in str(caught.value)
    assert dutch in explain(caught.value, "nl")


def test_data_errors_are_messages(tmp_path):
    no_buurten = buurt(*STRIP).assign(level="wijk")
    with pytest.raises(SchemaError) as caught:
        analyse_gaps(no_buurten, buurthuizen(NEAR))
    assert explain(caught.value, "nl").startswith("Er zijn geen buurten.")
    no_figures = buurt(*STRIP).assign(inhabitants=np.nan)
    with pytest.raises(SchemaError) as caught:
        analyse_gaps(no_figures, buurthuizen(NEAR))
    assert explain(caught.value, "nl").startswith(
        "Van geen van de 1 buurten zijn de kerncijfers bekend die we nodig hebben (inwoners, "
        "65 jaar en ouder, huishoudens, eenpersoonshuishoudens)."
    )
    grid = tmp_path / "vierkanten.csv"
    grid.write_text("crs28992res100m,aantal_inwoners\nE2000N4700,40\nX12,5\n", encoding="utf-8")
    with pytest.raises(AssetMapError) as caught:
        read_population_grid(grid)
    assert "'X12' is geen code van een CBS-vierkant" in explain(caught.value, "nl")
    empty = tmp_path / "straten.osm"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_walk_network(empty)
    assert explain(caught.value, "nl").startswith("straten.osm: het bestand is leeg.")
    assert str(caught.value).startswith("straten.osm: the file is empty.")


@pytest.mark.parametrize(
    "option, value, dutch, english",
    [
        ("--walk-min", "0", "De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0.",
         "The walking time (--walk-min) must be between 1 and 60 minutes; you gave 0."),
        ("--speed", "9", "De loopsnelheid (--speed) moet tussen 1 en 8 km per uur liggen. U gaf 9.",
         "The walking speed (--speed) must be between 1 and 8 km/h; you gave 9."),
        ("--detour", "0.5", "De omweg-factor (--detour) moet tussen 1 en 3",
         "The detour factor (--detour) must be between 1 and 3"),
        ("--cell-m", "5",
         "De grootte van de vakjes (--cell-m) moet tussen 25 en 1000 meter liggen. U gaf 5.",
         "The grid cell size (--cell-m) must be between 25 and 1000 metres; you gave 5."),
        ("--new-sites", "50",
         "Het aantal nieuwe plekken (--new-sites) moet tussen 0 en 10 plekken liggen. U gaf 50.",
         "The number of new places (--new-sites) must be between 0 and 10 sites; you gave 50."),
        ("--weights", "0,0,0", "--weights 0,0,0: Alle drie de gewichten zijn 0.",
         "--weights 0,0,0: At least one need weight must be above 0"),
        ("--candidates", "winkels", "--candidates: Kies elke soort mogelijke plek",
         "--candidates: candidates must be distinct kinds out of planned, hosts, cells"),
    ],
)  # fmt: skip
def test_cli_names_the_option_in_the_chosen_language(capsys, option, value, dutch, english):
    assert main([*DEMO_ARGS, f"{option}={value}"]) == 2
    assert f"asset-map: error: {dutch}" in capsys.readouterr().err
    assert main([*DEMO_ARGS, f"{option}={value}", "--lang", "en"]) == 2
    assert f"asset-map: error: {english}" in capsys.readouterr().err


# --- 6. CLI notes and names in the chosen language ----------------------------------------------


def test_cli_notes_and_cell_names_follow_lang(capsys):
    args = [*DEMO_ARGS, "--new-sites", "1", "--candidates", "cells"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "let op: Van buurt Bedrijventerrein De Vaart (BU99990206) zijn geen kerncijfers" in err
    assert "Nu binnen loopafstand: " in out and " 1. Vakje in " in out
    assert "note:" not in err and "Grid cell" not in out
    assert main([*args, "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert "note: Buurt Bedrijventerrein De Vaart (BU99990206) has no key figures" in err
    assert " 1. Grid cell in " in out
    assert main([*args, "--json"]) == 0  # JSON: notes and names in the chosen language too
    data = json.loads(capsys.readouterr().out)
    assert data["sites"][0]["name"].startswith("Vakje in ")
    assert data["warnings"][0].startswith("Van buurt Bedrijventerrein De Vaart")


def test_cli_what_if_prints_both_shares(capsys):
    assert main([*DEMO_ARGS, "--what-if"]) == 0
    lines = capsys.readouterr().out.splitlines()
    without = analyse_gaps(*_demo(), GapParams())
    with_planned = analyse_gaps(*_demo(), GapParams(include_planned=True))
    assert lines[0] == (
        "Zonder de geplande huiskamers: "
        + format_number(100 * without.summary["share_before"], "%", "nl")
    )
    assert lines[1] == (
        "Met de geplande huiskamers: "
        + format_number(100 * with_planned.summary["share_before"], "%", "nl")
    )


def _demo() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    from asset_map.services.workspace import load_workspace

    ws = load_workspace(DEMO)
    return ws.areas, ws.assets


# --- 5. too many grid-cell candidates -----------------------------------------------------------


def test_small_cells_get_coarser_candidates():
    # A 2 x 2 km buurt. In 25 m cells: 6400 cells, each candidate reaches about
    # pi * 577^2 / 25^2 = 1673 of them: 6400 candidates would be 10.7 million pairs, over
    # MAX_CELL_PAIRS (8 million). Blocks of 50 m give 40 x 40 = 1600 candidates.
    area = buurt(X0, Y0, X0 + 2000, Y0 + 2000)
    params = GapParams(cell_m=25, new_sites=2, candidates=("cells",))
    result = analyse_gaps(area, buurthuizen(NEAR), params)
    assert result.summary["n_cells"] == 6400 and result.summary["n_candidates"] == 1600
    (note,) = _notes(result, "note.gaps.coarser_cells")
    assert (note.fields["step"], note.fields["cell"]) == ("50", "25")
    assert (note.fields["n"], note.fields["total"]) == (1600, 6400)
    assert "één vakje per blok van 50 bij 50 meter: 1600 plekken in plaats van 6400" in (
        localise(note, "nl")
    )
    assert len(result.sites) == 2 and (result.sites["newly_covered"] > 0).all()
    # 50 m cells: 1600 cells, 418 in reach of each (0.7 million pairs): every cell stays.
    coarse = analyse_gaps(
        area, buurthuizen(NEAR), GapParams(cell_m=50, new_sites=2, candidates=("cells",))
    )
    assert coarse.summary["n_candidates"] == coarse.summary["n_cells"] == 1600
    assert _notes(coarse, "note.gaps.coarser_cells") == []


def test_cli_cell_m_25_with_cell_candidates_says_so(tmp_path, capsys):
    areas, assets = tmp_path / "vlak.geojson", tmp_path / "plekken.geojson"
    buurt(X0, Y0, X0 + 2000, Y0 + 2000).to_crs(4326).to_file(areas)
    buurthuizen(NEAR).to_crs(4326).to_file(assets)
    args = ["gaps", "--areas", str(areas), "--assets", str(assets), "--cell-m", "25"]
    assert main([*args, "--new-sites", "1", "--candidates", "cells", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("één vakje per blok van 50 bij 50 meter" in w for w in data["warnings"])


def test_thin_cells_keeps_the_cell_nearest_the_weighted_centre(monkeypatch):
    monkeypatch.setattr(sites, "MAX_CELL_CANDIDATES", 1)
    xy = np.array([[12.5, 12.5], [37.5, 12.5], [12.5, 37.5], [37.5, 37.5]])
    rows, step = sites.thin_cells(xy, np.array([0.0, 0.0, 1.0, 3.0]), cell_m=25, reach_m=100)
    # One block of 50 m; the weighted centre (31.25, 37.5) is nearest the last cell.
    assert step == 50.0 and rows.tolist() == [3]
    rows, _ = sites.thin_cells(xy, np.zeros(4), cell_m=25, reach_m=100)
    assert rows.tolist() == [0]  # no weight: the plain centre, a tie, the first cell
    monkeypatch.setattr(sites, "MAX_CELL_CANDIDATES", 4)
    rows, step = sites.thin_cells(xy, np.ones(4), cell_m=25, reach_m=100)
    assert rows.tolist() == [0, 1, 2, 3] and step == 25.0  # few enough: all kept


# --- 3, 4, 7. the Kansen screen -----------------------------------------------------------------


@pytest.fixture
def app(monkeypatch, gap_calls) -> AppTest:
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception, at.exception
    return at


def _calculate(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Bereken").click().run()
    assert not at.exception, at.exception


def _texts(at: AppTest) -> list[str]:
    """Every text the screen shows (messages, notes, labels, table headers)."""
    shown = [e.value for kind in ("info", "warning", "error", "caption", "text", "markdown")
             for e in getattr(at, kind)]  # fmt: skip
    shown += [m.label for m in at.metric] + [str(m.proto.delta) for m in at.metric]
    shown += [str(c) for df in at.dataframe for c in df.value.columns]
    return shown


def test_what_if_in_percentage_points_and_labels(app):
    app.toggle(key="gap_what_if").set_value(True)
    _calculate(app)
    without = analyse_gaps(*_demo(), GapParams()).summary["share_before"]
    with_ = analyse_gaps(*_demo(), GapParams(include_planned=True)).summary["share_before"]
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


def test_network_note_is_shown_as_a_warning_on_the_screen(monkeypatch, gap_calls, lattice):
    # The demo gemeente lies far from the test lattice: as if a network of another town
    # were uploaded.
    def with_network(areas, assets, params, **kwargs):
        gap_calls.append(params)
        return analyse_gaps(areas, assets, params, **{**kwargs, "network": lattice})

    monkeypatch.setattr(gap_service, "analyse_gaps", with_network)
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("De stratenkaart past niet bij de buurten.") for w in warnings)


def test_screen_names_meeting_types_by_label():
    areas, assets = _demo()
    shops = assets[assets["type"] == "winkel"]  # no meeting place at all
    result = analyse_gaps(areas, shops, GapParams())
    (note,) = _notes(result, "note.gaps.no_meeting_places")
    assert note.key == "note.gaps.no_meeting_places_now"
    assert "(buurthuis, wijkhuiskamer, huis_van_de_wijk" in note  # the CLI takes these keys
    text = gap_ui.note_text(note, "nl")
    assert text.startswith(
        "Er zijn nu geen ontmoetingsplekken (Buurthuis, Wijkhuiskamer, Huis van de wijk"
    )
    assert "huis_van_de_wijk" not in text


def test_site_popup_without_any_meeting_place_says_so():
    from asset_map.render.gaps import build_gap_map
    from asset_map.render.map import map_html

    areas, assets = _demo()
    shops = assets[assets["type"] == "winkel"]
    result = analyse_gaps(areas, shops, GapParams(new_sites=1, candidates=("cells",)))
    assert np.isinf(result.sites["nearest_meeting_m"]).all()
    html = map_html(build_gap_map(result, areas, shops, lang="nl", basemap="none"))
    assert "Er is nu geen ontmoetingsplek die te bereiken is." in html
    assert "– meter" not in html and "\\u2013 meter" not in html


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
