"""``asset-map map`` and ``asset-map gaps`` read the stored workspace when no files are given.

After ``asset-map import`` a user runs ``asset-map gaps --gemeente GM0150 --need all`` on what
was imported, as ``export`` and ``report`` already did; files given on the command line are
read as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asset_map.cli import main
from asset_map.services.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
FILES = ["--areas", str(DEMO / "areas.geojson"), "--assets", str(DEMO / "assets.geojson")]
WIJKEN = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
BUURTEN = "cbs_2014/cbs_buurten_2014_coarse_5gemeenten.geojson"
FIGURES = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"
PLACES = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


@pytest.fixture
def db(tmp_path) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path / 'werk.sqlite'}"]


def _json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_gaps_on_the_stored_workspace_equals_gaps_on_its_files(db, capsys):
    assert main(["import", *FILES, *db]) == 0
    capsys.readouterr()
    stored = _json(capsys, "gaps", "--new-sites", "2", *db)
    from_files = _json(capsys, "gaps", *FILES, "--new-sites", "2")
    for key in ("residents_total", "covered_before", "covered_after", "share_after"):
        assert stored[key] == pytest.approx(from_files[key]), key
    assert [s["name"] for s in stored["sites"]] == [s["name"] for s in from_files["sites"]]


def test_map_draws_the_stored_workspace(db, tmp_path, capsys):
    out = tmp_path / "kaart.html"
    summary = _json(capsys, "map", "--out", str(out), *db)  # first use: the demo is seeded
    demo = load_workspace(DEMO)
    assert summary["assets_total"] == len(demo.assets)
    assert summary["areas"]["buurt"] == int((demo.areas["level"] == "buurt").sum())
    assert out.read_text("utf-8").count("leaflet") > 0


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--mapping", "deventer_wijkteams"], "--mapping"),
        (["--crs", "EPSG:28992"], "--crs"),
        (["--guess-types"], "--guess-types"),
    ],
)
def test_options_of_files_without_the_files_are_refused(db, capsys, extra, option):
    assert main(["gaps", *extra, *db]) == 2
    err = capsys.readouterr().err
    assert f"gaps: de optie {option} doet hier niets" in err


def test_one_of_the_two_files_is_refused(db, capsys):
    assert main(["gaps", "--areas", str(DEMO / "areas.geojson"), *db]) == 2
    assert "Geef --areas en --assets allebei, of geen van beide" in capsys.readouterr().err


def test_a_gemeente_that_is_not_stored_is_refused(db, capsys):
    assert main(["gaps", "--gemeente", "GM0150", *db]) == 2  # the demo is GM9999
    assert "GM0150" in capsys.readouterr().err


def test_deventer_imported_then_analysed_by_gemeente(real_file, db, capsys):
    args = ["import", "--areas", str(real_file(WIJKEN)), "--areas", str(real_file(BUURTEN))]
    args += ["--gemeente", "GM0150", "--figures", str(real_file(FIGURES))]
    args += ["--assets", str(real_file(PLACES)), "--mapping", "deventer_wijkteams"]
    assert main([*args, *db]) == 0
    capsys.readouterr()
    found = _json(capsys, "gaps", "--gemeente", "GM0150", "--need", "all", "--new-sites", "3", *db)
    assert found["residents_total"] == pytest.approx(103_390, abs=1)  # the 15 wijken's sum
    assert found["buurten_estimated"] > 0 and 0 < found["share_before"] < 1
    assert len(found["sites"]) == 3
    for site in found["sites"]:  # inside Deventer: around 52.25 N, 6.16 E
        assert 52.15 < site["lat"] < 52.35 and 6.0 < site["lon"] < 6.35
