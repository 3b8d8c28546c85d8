"""``asset-map gaps``: strict JSON, the parameters used, and options, notes and names in the
reader's language (Dutch by default, English with ``--lang en``).

Known answers come from ``analyse_gaps`` on the demo gemeente Lindeveen and from the hand-made
layouts of tests/gap_layouts.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from app_helpers import DEMO
from gap_layouts import CBS_GRID_CSV, SQUARES_X0, SQUARES_Y0
from shapely.geometry import Point

from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.cli import main
from asset_map.cli.gaps import _num
from asset_map.model import catalogue
from asset_map.render.styles import format_number

X0, Y0 = SQUARES_X0, SQUARES_Y0  # the corner of ``two_buurten``
ROOT = Path(__file__).resolve().parents[1]
DEMO_ARGS = [
    "gaps",
    "--areas",
    str(DEMO / "areas.geojson"),
    "--assets",
    str(DEMO / "assets.geojson"),
]


def _refuse(constant: str) -> None:
    raise AssertionError(f"not strict JSON: {constant}")


def _strict_json(capsys, args: list[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out, parse_constant=_refuse)


# --- strict JSON, and the weights used -----------------------------------------------------------


def test_json_is_strict_when_there_is_no_meeting_place(capsys):
    # 'talent' is no asset type of the demo: nobody is covered, the nearest place is nowhere.
    out = _strict_json(
        capsys,
        [*DEMO_ARGS, "--meeting-types", "talent", "--new-sites", "1", "--candidates", "cells",
         "--json"],
    )  # fmt: skip
    assert out["covered_before"] == 0.0 and out["share_before"] == 0.0
    assert out["sites"][0]["nearest_meeting_m"] is None
    assert out["sites"][0]["newly_covered"] > 0


def test_sites_file_is_valid_json_without_meeting_places(tmp_path, capsys):
    out = tmp_path / "sites.geojson"
    args = [*DEMO_ARGS, "--meeting-types", "talent", "--new-sites", "1", "--candidates", "cells"]
    assert main([*args, "--out-sites", str(out)]) == 0
    capsys.readouterr()
    features = json.loads(out.read_text("utf-8"), parse_constant=_refuse)["features"]
    assert features[0]["properties"]["nearest_meeting_m"] is None


def test_non_finite_numbers_become_null():
    assert _num(float("nan"), 4) is None
    assert _num(float("inf"), 0) is None
    assert _num(None, 1) is None
    assert _num(0.123456, 4) == 0.1235


def test_json_params_name_the_weights_used(capsys):
    own = _strict_json(capsys, [*DEMO_ARGS, "--weights", "0,1,0", "--json"])
    assert own["params"]["need"] == "custom"
    assert own["params"]["weights"] == [0.0, 1.0, 0.0]
    preset = _strict_json(capsys, [*DEMO_ARGS, "--need", "65plus", "--json"])
    assert preset["params"]["need"] == "65plus" and preset["params"]["weights"] == [0, 1, 0]
    default = _strict_json(capsys, [*DEMO_ARGS, "--json"])
    assert default["params"]["need"] == "mix" and default["params"]["weights"] == [0.2, 0.4, 0.4]


# --- a CBS population grid -----------------------------------------------------------------------


def test_cbs_grid_through_the_cli(tmp_path, capsys, two_buurten):
    grid = tmp_path / "vierkant.csv"
    grid.write_text(CBS_GRID_CSV, encoding="utf-8")
    areas = tmp_path / "areas.geojson"
    two_buurten.to_crs(4326).to_file(areas)
    assets = tmp_path / "assets.geojson"
    meeting = gpd.GeoDataFrame(
        {"id": ["m1"], "name": ["Huis"], "type": ["buurthuis"], "status": ["existing"]},
        geometry=[Point(X0 + 50, Y0 + 50)],
        crs="EPSG:28992",
    )
    meeting.to_crs(4326).to_file(assets)
    out = _strict_json(
        capsys,
        ["gaps", "--areas", str(areas), "--assets", str(assets), "--population-grid", str(grid),
         "--need", "all", "--detour", "1", "--json"],
    )  # fmt: skip
    # 'all' needs only residents: squares 1-3 count (40 + 60 + 30). From the meeting place at
    # (150,050, 450,050): square 1's centre 0 m, square 2's (150,550, 450,550) 707 m, square
    # 3's (151,250, 450,350) 1,237 m: 100 covered.
    assert out["residents_total"] == 130.0
    assert out["covered_before"] == 100.0


# --- options, notes and names in the chosen language ---------------------------------------------


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


# --- what if the planned huiskamers were open ----------------------------------------------------


def test_cli_what_if_prints_both_shares(capsys, demo):
    assert main([*DEMO_ARGS, "--what-if"]) == 0
    lines = capsys.readouterr().out.splitlines()
    without = analyse_gaps(*demo, GapParams())
    with_planned = analyse_gaps(*demo, GapParams(include_planned=True))
    assert lines[0] == (
        "Zonder de geplande huiskamers: "
        + format_number(100 * without.summary["share_before"], "%", "nl")
    )
    assert lines[1] == (
        "Met de geplande huiskamers: "
        + format_number(100 * with_planned.summary["share_before"], "%", "nl")
    )


# --- walking profiles and time windows -----------------------------------------------------------


def test_profiles_and_a_window_are_the_analysis_ones_and_the_json_says_so(capsys, demo, tmp_path):
    areas, assets = demo
    hours = assets.assign(opening_hours=None)
    meeting = hours.index[hours["type"].isin(catalogue().meeting_place_types())]
    hours.loc[meeting[:5], "opening_hours"] = "Tu 10:00-12:00; PH off"  # mornings only
    path = tmp_path / "plekken.geojson"
    hours.to_file(path, driver="GeoJSON")
    args = [
        "gaps", "--areas", str(DEMO / "areas.geojson"), "--assets", str(path),
        "--profile", "ouderen", "--profile-65plus", "rolstoel", "--window", "weekday-evening",
        "--unknown", "skip", "--json",
    ]  # fmt: skip
    out = _strict_json(capsys, args)
    params = GapParams(
        profile="ouderen", profile_65="rolstoel", window="weekday-evening", unknown_counts=False
    )
    expected = analyse_gaps(areas, hours, params)
    assert out["share_before"] == pytest.approx(expected.summary["share_before"], abs=1e-4)
    assert out["share_before"] == 0.0  # nothing known to be open on weekday evenings
    assert {k: out["params"][k] for k in ("profile", "profile_65plus", "window", "unknown")} == {
        "profile": "ouderen",
        "profile_65plus": "rolstoel",
        "window": "weekday-evening",
        "unknown": "skip",
    }
    assert (out["params"]["speed_kmh"], out["params"]["max_walk_m"]) == (3.0, 500.0)
    windows = {w["window"]: w for w in out["windows"]}
    assert list(windows) == ["any", "weekday-morning", "weekday-afternoon", "weekday-evening",
                             "weekend"]  # fmt: skip
    assert windows["weekday-morning"]["places"] > 0 and windows["weekday-evening"]["places"] == 0
    assert windows["weekday-evening"]["share"] == out["share_before"]


def test_the_text_output_gives_the_coverage_per_time_window(capsys):
    assert main([*DEMO_ARGS, "--window", "weekend"]) == 0
    printed = capsys.readouterr().out
    assert "Binnen loopafstand per tijdvak:" in printed
    assert "In het weekend (8-23 uur):" in printed
    assert "Doordeweeks 's avonds (18-23 uur):" in printed


# --- every result ends in a map and a note, and --json prints JSON only --------------------------


def test_map_when_everyone_lives_within_walking_distance_says_so(tmp_path, capsys, demo):
    # Known answer: within an hour's walk, every resident of the demo reaches a meeting place.
    result = analyse_gaps(*demo, GapParams(walk_min=60, new_sites=2))
    assert result.summary["share_before"] == 1.0 and len(result.sites) == 0
    out = tmp_path / "kansen.html"
    args = [*DEMO_ARGS, "--walk-min", "60", "--new-sites", "2", "--out-map", str(out)]
    assert main(args) == 0
    assert "100,0%" in capsys.readouterr().out
    page = out.read_text("utf-8")
    assert "Iedereen woont op loopafstand van een ontmoetingsplek." in page
    assert "Geen nieuwe plek gevonden die meer mensen op loopafstand brengt." in page
    assert "Bewoners verder dan loopafstand" not in page  # no empty layer to switch on


def test_map_without_any_candidate_says_no_site_was_found(tmp_path, capsys, demo):
    # What-if counts the planned huiskamers as open, so as the only candidates there are none.
    params = GapParams(include_planned=True, new_sites=2, candidates=("planned",))
    result = analyse_gaps(*demo, params)
    assert result.summary["n_candidates"] == 0 and len(result.sites) == 0
    assert result.summary["share_before"] < 1.0
    out = tmp_path / "kansen.html"
    args = [*DEMO_ARGS, "--what-if", "--new-sites", "2", "--candidates", "planned"]
    assert main([*args, "--out-map", str(out)]) == 0
    capsys.readouterr()
    page = out.read_text("utf-8")
    assert "Geen nieuwe plek gevonden die meer mensen op loopafstand brengt." in page
    assert "Bewoners verder dan loopafstand" in page  # some live beyond it: that layer is there


def test_exact_solver_prints_json_only():
    # HiGHS prints a banner when it starts, in native code: a separate process shows what a
    # shell or a pipe would get on stdout.
    args = [*DEMO_ARGS, "--solver", "exact", "--new-sites", "2", "--candidates", "cells"]
    run = subprocess.run(
        [sys.executable, "-m", "asset_map.cli", *args, "--time-limit", "20", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout, parse_constant=_refuse)
    assert out["solver"] == "exact" and len(out["sites"]) == 2
    assert out["params"]["solver"] == "exact" and out["params"]["time_limit_s"] == 20
