"""Where the commands write: never over an input, over a file of another kind, or a folder.

``asset-map map``, ``gaps`` and ``export`` refuse such an ``--out`` before they write anything,
name the fix (a file name in the folder), and never name their temporary file.
"""

from __future__ import annotations

import pytest
from cli_helpers import run_map

from asset_map.cli import main


@pytest.mark.parametrize("target", ["areas", "assets"])
def test_map_refuses_to_write_over_an_input(tiny_files, capsys, target):
    before = tiny_files[target].read_bytes()
    args = ["--areas", str(tiny_files["areas"]), "--assets", str(tiny_files["assets"])]
    code, _, err = run_map(capsys, *args, "--out", str(tiny_files[target]), "--lang", "en")
    assert code == 2
    assert f"--out {tiny_files[target]} is also one of the input files" in err
    assert "Nothing was written" in err
    assert tiny_files[target].read_bytes() == before  # untouched, not HTML
    code, _, err = run_map(capsys, *args, "--out", str(tiny_files[target]))  # Dutch by default
    assert code == 2 and "is ook een invoerbestand" in err


def test_map_refuses_an_existing_file_that_is_not_html(tiny_files, tmp_path, capsys):
    notes = tmp_path / "notities.txt"
    notes.write_text("mijn aantekeningen")
    args = [
        "--areas",
        str(tiny_files["areas"]),
        "--assets",
        str(tiny_files["assets"]),
        "--lang",
        "en",
    ]
    code, _, err = run_map(capsys, *args, "--out", str(notes))
    assert code == 2 and "exists and is not a .html, .htm file" in err
    assert notes.read_text() == "mijn aantekeningen"
    old_map = tmp_path / "kaart.html"
    old_map.write_text("old")
    assert run_map(capsys, *args, "--out", str(old_map))[0] == 0  # a map may replace a map
    assert old_map.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_map_out_a_folder_asks_for_a_file_name(tiny_files, tmp_path, capsys):
    folder = tmp_path / "kaarten"
    folder.mkdir()
    args = [
        "--areas",
        str(tiny_files["areas"]),
        "--assets",
        str(tiny_files["assets"]),
        "--lang",
        "en",
    ]
    code, _, err = run_map(capsys, *args, "--out", str(folder))
    assert code == 2
    assert f"--out {folder} is a folder, not a file" in err
    assert f"{folder}/kaart.html" in err
    assert ".tmp" not in err
    assert list(folder.iterdir()) == []


def test_gaps_and_export_refuse_to_write_over_an_input(tiny_files, capsys):
    before = tiny_files["assets"].read_bytes()
    base = [
        "--areas",
        str(tiny_files["areas"]),
        "--assets",
        str(tiny_files["assets"]),
        "--lang",
        "en",
    ]
    code = main(["gaps", *base, "--out-map", str(tiny_files["assets"])])
    assert code == 2
    assert "--out-map" in capsys.readouterr().err
    code = main(["export", *base, "--out", str(tiny_files["areas"].with_suffix(".geojson"))])
    assert code == 2
    assert "is also one of the input files" in capsys.readouterr().err
    assert tiny_files["assets"].read_bytes() == before
    table = tiny_files["areas"].with_name("tabel.csv")
    table.write_text("a,b\n1,2\n")
    assert main(["gaps", *base, "--out-map", str(table)]) == 2  # a map over a table: refused
    assert "exists and is not a .html, .htm file" in capsys.readouterr().err
    assert table.read_text() == "a,b\n1,2\n"
