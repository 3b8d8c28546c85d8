"""Key figures onto the stored wijken and buurten: ``asset-map import --figures`` and
``add_figures``: one source entry per file, rows of other gemeenten in one short note,
and options that would be ignored are refused.

Real files come from ``../shared/data/real`` through the ``real_file`` fixture.
"""

from __future__ import annotations

import pytest
from cli_helpers import run_cli, run_json
from storage_helpers import stored_workspace

from asset_map._errors import AssetMapError
from asset_map.services import sources
from asset_map.services.figures import add_figures
from asset_map.services.workspace import DEMO_DIR, load_workspace

UTRECHT_2019 = "cbs_kerncijfers/kwb2019_84583NED_GM0344_utrecht.csv"


def test_figures_alone_join_onto_the_stored_areas(pdok_gpkg, real_file, tmp_path, capsys):
    utrecht = real_file(UTRECHT_2019)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    run_json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(pdok_gpkg),
            "--gemeente",
            "GM0344",
            "--database",
            url,
        ],
    )
    result = run_json(
        capsys, ["import", "--lang", "en", "--figures", str(utrecht), "--database", url]
    )
    entry = result["sources"][-1]
    assert entry == {
        "name": "CBS Kerncijfers wijken en buurten",
        "licence": "CC BY 4.0",
        "year": 2019,
        "layer": "figures",
        "file": utrecht.name,
        "levels": ["wijk", "buurt"],  # the Utrecht CSV has rows for both
    }
    areas, _assets, _meta = stored_workspace(url)
    buurten = areas[areas["level"] == "buurt"]
    assert buurten["inhabitants"].notna().sum() == 111  # all 111 Utrecht buurten of 2014
    welgelegen = areas.loc[areas["code"] == "BU03440111"]
    assert welgelegen["inhabitants"].iloc[0] == 1500  # the CSV's AantalInwoners_5
    assert welgelegen["name"].iloc[0] != ""  # the other columns stay


def test_add_figures_needs_areas(tmp_path):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    with pytest.raises(AssetMapError, match="no wijken and buurten yet"):
        add_figures(None, csv)


def test_add_figures_takes_the_given_year_and_replaces_an_older_entry(tmp_path):
    demo = load_workspace(DEMO_DIR)
    code = demo.areas.loc[demo.areas["level"] == "buurt", "code"].iloc[0]
    csv = tmp_path / "kwb.csv"
    csv.write_text(f"code,inhabitants\n{code},1234\n")
    current = sources.Loaded(demo.areas, demo.assets, {"sources": []})
    once = add_figures(current, csv, year=2022)
    twice = add_figures(once, csv, year=2023)
    assert [s["year"] for s in twice.meta["sources"]] == [2023]
    assert twice.areas.loc[twice.areas["code"] == code, "inhabitants"].iloc[0] == 1234


def _demo_loaded():
    from asset_map.services import sources
    from asset_map.services.workspace import DEMO_DIR, load_workspace

    demo = load_workspace(DEMO_DIR)
    return sources.Loaded(demo.areas, demo.assets, {"sources": []})


def test_a_second_figures_file_keeps_the_first_ones_entry(tmp_path):

    first, second = tmp_path / "kwb2019.csv", tmp_path / "kc.csv"
    first.write_text("code;jaar;inhabitants\nBU99990101;2019;100\nBU99990102;2019;200\n")
    second.write_text("code;inhabitants\nBU99990101;150\n")
    once = add_figures(_demo_loaded(), first)
    twice = add_figures(once, second)
    entries = [(s["file"], s["year"]) for s in twice.meta["sources"]]
    assert entries == [("kwb2019.csv", 2019), ("kc.csv", None)]
    again = add_figures(twice, first, year=2020)  # the same file: its entry, updated
    entries = [(s["file"], s["year"]) for s in again.meta["sources"]]
    assert entries == [("kwb2019.csv", 2020), ("kc.csv", None)]
    figures = again.areas.set_index("code")["inhabitants"]
    assert (figures["BU99990101"], figures["BU99990102"]) == (100, 200)


def test_figures_rows_of_other_gemeenten_are_one_short_note(tmp_path):

    path = tmp_path / "kwb2024.csv"
    rows = [f"WK0344{k:02d};{k}" for k in range(1, 11)] + ["BU99990101;10", "BU99999999;5"]
    path.write_text("WijkenEnBuurten;AantalInwoners_5\n" + "\n".join(rows) + "\n")
    notes = add_figures(_demo_loaded(), path).notes
    assert "Skipped 10 rows of kwb2024.csv about other gemeenten." in notes
    assert "No area for 1 row of kwb2024.csv: BU99999999." in notes  # this gemeente: said
    assert not any("WK0344" in n for n in notes)


# --- options that would be ignored are refused ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--layer", "wijken"], "--layer"),
        (["--gemeente", "Deventer"], "--gemeente"),
        (["--crs", "EPSG:28992"], "--crs"),
        (["--source", "X"], "--source"),
        (["--mapping", "cbs_2014"], "--mapping"),
    ],
)
def test_options_that_would_be_ignored_are_refused(args, option, tmp_path, capsys):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, _out, err = run_cli(
        capsys, ["import", "--lang", "en", "--figures", str(csv), *args, "--database", url]
    )
    assert code == 2
    assert f"import: the option {option} has no effect here" in err


def test_report_refuses_figures_it_would_ignore(tmp_path, capsys):
    csv = tmp_path / "kwb.csv"
    csv.write_text("code,inhabitants\nBU99990101,10\n")
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, _out, err = run_cli(
        capsys,
        [
            "report",
            "--wijk",
            "WK999901",
            "--figures",
            str(csv),
            "--database",
            url,
            "--out",
            str(tmp_path / "r.pdf"),
            "--lang",
            "en",
        ],
    )
    assert code == 2 and "asset-map import --figures FILE" in err
