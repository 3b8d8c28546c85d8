"""One table of options: the CLI, the screens and the analysis read the same defaults and ranges.

A value out of range gives the same message wherever it came from (the command line, the
Kansen screen, the analysis itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.nearby import nearby
from asset_map.analysis.wijk_figures import supported_need
from asset_map.cli import _parser, main
from asset_map.i18n import explain
from asset_map.model import catalogue
from asset_map.services import gaps as gap_service
from asset_map.services.options import gap_params, widget_range
from asset_map.services.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
FILES = ["--areas", str(DEMO / "areas.geojson"), "--assets", str(DEMO / "assets.geojson")]


def _refusal(make) -> AssetMapError:
    with pytest.raises(AssetMapError) as caught:
        make()
    return caught.value


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("flag", "value", "option", "plain"),
    [
        ("--walk-min", "0", "walk_min", 0.0),
        ("--walk-min", "61", "walk_min", 61.0),
        ("--speed", "9", "speed_kmh", 9.0),
        ("--detour", "0.5", "detour", 0.5),
        ("--cell-m", "10", "cell_m", 10.0),
        ("--new-sites", "11", "new_sites", 11),
        ("--time-limit", "0", "time_limit_s", 0.0),
    ],
)
def test_the_cli_and_the_screen_refuse_a_value_out_of_range_with_the_same_text(
    capsys, lang, flag, value, option, plain
):
    screen = _refusal(lambda: gap_params(**{option: plain}))  # what the Kansen screen calls
    assert main(["gaps", *FILES, flag, value, "--lang", lang]) == 2
    assert capsys.readouterr().err == f"asset-map: error: {explain(screen, lang)}\n"
    analysis = _refusal(lambda: GapParams(**{option: plain}))  # the analysis' own check
    assert explain(analysis, lang) == explain(screen, lang)
    assert flag in explain(screen, lang)


def test_every_walking_time_is_checked_against_the_same_range(capsys, tmp_path):
    texts = {
        explain(_refusal(lambda: settings.WALK_MIN.check(0)), "nl"),
        explain(_refusal(lambda: gap_params(walk_min=0)), "nl"),
        explain(_refusal(lambda: nearby((5.6, 52.5), _demo().assets, None, walk_min=0)), "nl"),
    }
    out = tmp_path / "flyer.pdf"
    assert main(["flyer", "--buurt", "BU99990101", "--walk-min", "0", "--out", str(out)]) == 2
    texts.add(capsys.readouterr().err.removeprefix("asset-map: error: ").rstrip("\n"))
    assert texts == {"De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0."}
    assert not out.exists()


def _demo():
    return load_workspace(DEMO)


def test_argparse_takes_defaults_and_ranges_from_the_table():
    parser = _parser()
    args = parser.parse_args(["gaps"])
    assert (args.walk_min, args.cell_m, args.new_sites) == (
        settings.WALK_MIN.default,
        settings.CELL_M.default,
        settings.NEW_SITES.default,
    )
    # Speed and detour are the walking profile's unless given; the default profile's are
    # the table's defaults.
    assert (args.speed_kmh, args.detour, args.profile) == (None, None, settings.DEFAULT_PROFILE)
    made = gap_params(speed_kmh=args.speed_kmh, detour=args.detour, profile=args.profile)
    assert (made.speed_kmh, made.detour) == (settings.SPEED_KMH.default, settings.DETOUR.default)
    assert parser.parse_args(["report", "--wijk", "W", "--out", "r.pdf"]).new_sites == 3
    assert parser.parse_args(["flyer", "--buurt", "B", "--out", "f.pdf"]).walk_min == 10
    gaps_help = next(
        action.help
        for action in parser._subparsers._group_actions[0].choices["gaps"]._actions
        if "--walk-min" in action.option_strings
    )
    assert gaps_help == "walking time, 1 to 60 minutes (default 10)"


def test_the_kansen_sliders_read_the_table(monkeypatch):
    monkeypatch.setenv(settings.DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception, at.exception
    for key, option in (
        ("gap_walk_min", settings.WALK_MIN),
        ("gap_speed", settings.SPEED_KMH),
        ("gap_detour", settings.DETOUR),
        ("gap_new_sites", settings.SUGGESTED_SITES),
    ):
        slider = at.slider(key=key)
        expected = widget_range(option)
        assert (slider.min, slider.max, slider.value, slider.step) == (
            expected["min_value"],
            expected["max_value"],
            expected["value"],
            expected["step"],
        ), key
    assert at.slider(key="gap_walk_min").max == 60  # no longer a range of its own (3-30)


def test_the_screen_and_the_cli_make_the_same_parameters(monkeypatch):
    seen: list[GapParams] = []
    original = gap_service.analyse_gaps

    def counting(areas, assets, params, **kwargs):
        seen.append(params)
        return original(areas, assets, params, **kwargs)

    monkeypatch.setattr(gap_service, "analyse_gaps", counting)
    monkeypatch.setattr(gap_service, "_RESULTS", {})
    monkeypatch.setenv(settings.DATA_DIR_ENV, str(DEMO))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/kansen.py").run()
    assert not at.exception, at.exception
    demo = _demo()
    present = [k for k in catalogue().meeting_place_types() if k in set(demo.assets["type"])]
    need = supported_need(demo.areas)
    typed = ["gaps", "--new-sites", "3", "--need", need, "--meeting-types", ",".join(present)]
    args = _parser().parse_args(typed)
    from_cli = gap_params(
        walk_min=args.walk_min,
        speed_kmh=args.speed_kmh,
        detour=args.detour,
        cell_m=args.cell_m,
        need=args.need,
        meeting_types=args.meeting_types,
        new_sites=args.new_sites,
        solver=args.solver,
        candidates=args.candidates,
    )
    assert seen == [from_cli]  # the cache key of the screen is this very object
    assert hash(seen[0]) == hash(from_cli)
