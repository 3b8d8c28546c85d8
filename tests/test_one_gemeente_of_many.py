"""``--gemeente`` on map, gaps, export and report: one gemeente of a multi-gemeente file.

The CBS 2014 wijken and buurten of five gemeenten (PROVENANCE.md: Deventer 15 and 68, Den Haag
44 and 113, Utrecht 10 and 111, ...), Den Haag's 2019 key figures per buurt and the Deventer
wijkteam's 240 places, read in place from ``../shared/data/real``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from test_import_two_levels import BUURTEN_5, WIJKEN_5, deventer  # noqa: F401 (a fixture)

from asset_map.cli import main

DENHAAG_2019 = "cbs_kerncijfers/kwb2019_84583NED_GM0518_denhaag.csv"
WIJKTEAM = "deventer_wijkteams/deventer_wijkteam_assets.geojson"


def _run(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys, args: list[str]) -> dict:
    code, out, err = _run(capsys, [*args, "--lang", "en", "--json"])
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def five(real_file) -> list[str]:
    """The ``--areas`` options of the five gemeenten's wijken and buurten files."""
    return ["--areas", str(real_file(WIJKEN_5)), "--areas", str(real_file(BUURTEN_5))]


@pytest.fixture
def places(real_file, tmp_path) -> Path:
    """Three buurthuizen inside Den Haag buurten, and one inside a Deventer buurt."""
    buurten = gpd.read_file(real_file(BUURTEN_5)).to_crs(28992)
    inside = buurten.geometry.make_valid().representative_point()
    den_haag = inside[buurten["gemeentecode"] == "GM0518"].iloc[[0, 40, 80]]
    in_deventer = inside[buurten["gemeentecode"] == "GM0150"].iloc[[10]]
    frame = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["Buurthuis A", "Buurthuis B", "Buurthuis C", "Buurthuis Deventer"],
            "type": ["buurthuis"] * 4,
        },
        geometry=[*den_haag, *in_deventer],
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / "buurthuizen.geojson"
    frame.to_file(path)
    return path


def test_map_keeps_one_gemeente_of_the_five(five, real_file, tmp_path, capsys):
    wijkteam = ["--assets", str(real_file(WIJKTEAM)), "--mapping", "deventer_wijkteams"]
    out = ["--out", str(tmp_path / "kaart.html")]
    everything = _json(capsys, ["map", *five, *wijkteam, *out])
    assert everything["areas"] == {"wijk": 99, "buurt": 475}
    one = _json(capsys, ["map", *five, *wijkteam, *out, "--gemeente", "Deventer"])
    assert one["areas"] == {"wijk": 15, "buurt": 68}
    assert one["assets_total"] == everything["assets_total"]  # all lie in Deventer
    assert not any("Left out" in note for note in one["notes"])
    utrecht = _json(capsys, ["map", *five, *wijkteam, *out, "--gemeente", "GM0344"])
    assert utrecht["areas"] == {"wijk": 10, "buurt": 111}
    assert utrecht["assets_total"] == 0
    left_out = f"Left out {everything['assets_total']} of the {everything['assets_total']} places"
    assert f"{left_out}: they lie outside GM0344." in utrecht["notes"]


def test_gaps_counts_only_the_chosen_gemeentes_buurten(five, places, real_file, capsys):
    figures = real_file(DENHAAG_2019)
    args = ["gaps", *five, "--figures", str(figures), "--assets", str(places), "--need", "all"]
    everything = _json(capsys, args)
    # Without --gemeente the buurten of the four other gemeenten lack figures: warned about.
    assert any("BU0599" in warning for warning in everything["warnings"])
    den_haag = _json(capsys, [*args, "--gemeente", "GM0518"])
    assert den_haag["warnings"] == []
    rows = pd.read_csv(figures)
    buurten = gpd.read_file(real_file(BUURTEN_5))
    ours = set(buurten.loc[buurten["gemeentecode"] == "GM0518", "statcode"])
    expected = rows.loc[rows["regiocode"].isin(ours), "AantalInwoners_5"].sum()
    assert den_haag["residents_total"] == pytest.approx(expected, abs=1)
    # The Deventer buurthuis is far beyond walking distance of Den Haag: left out, said so.
    far = "Left out 1 of the 4 places: they lie more than 750 m outside GM0518."
    assert far in den_haag["notes"]


def test_export_of_files_keeps_the_places_of_one_gemeente(five, places, tmp_path, capsys):
    out = tmp_path / "selectie.csv"
    args = ["export", *five, "--assets", str(places), "--out", str(out), "--lang", "en"]
    code, _out, err = _run(capsys, [*args, "--gemeente", "GM0518"])
    assert code == 0, err
    written = pd.read_csv(out)
    assert sorted(written["name"]) == ["Buurthuis A", "Buurthuis B", "Buurthuis C"]
    assert written["wijk_code"].str.startswith("WK0518").all()
    assert "Left out 1 of the 4 places: they lie outside GM0518." in err


def test_export_and_report_from_the_database_accept_only_its_own_gemeente(
    deventer,  # noqa: F811 (the fixture)
    tmp_path,
    capsys,
):
    wijken, buurten = deventer
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    imported = ["import", "--areas", str(wijken), "--areas", str(buurten), "--database", url]
    assert main(imported) == 0, capsys.readouterr().err
    out = tmp_path / "selectie.csv"
    for given in ("Deventer", "GM0150", "0150"):
        code, _out, err = _run(
            capsys, ["export", "--out", str(out), "--gemeente", given, "--database", url]
        )
        assert code == 0, err
    code, _out, err = _run(
        capsys,
        ["export", "--out", str(out), "--gemeente", "Den Haag", "--database", url, "--lang", "en"],
    )
    assert code == 2
    assert (
        "--gemeente Den Haag: the workspace in the database is about Deventer (GM0150). "
        "Leave --gemeente out" in err
    )
    report = tmp_path / "rapport.pdf"
    code, _out, err = _run(
        capsys,
        [
            "report",
            "--wijk",
            "WK015004",
            "--out",
            str(report),
            "--gemeente",
            "GM0518",
            "--database",
            url,
        ],
    )
    assert code == 2 and "--gemeente GM0518: de werkruimte in de database gaat over" in err
    assert not report.exists()
