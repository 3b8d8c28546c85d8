"""``asset-map export`` and ``report``: files written, counts printed, bad input refused."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pypdf import PdfReader

from asset_map.analysis.query import AssetQuery, filter_assets
from asset_map.cli import main
from asset_map.io import read_assets
from asset_map.services.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def db(tmp_path) -> list[str]:
    """Options for a throwaway database (seeded with the demo on first use)."""
    return ["--database", f"sqlite:///{tmp_path / 'db.sqlite'}"]


@pytest.fixture(scope="module")
def demo():
    return load_workspace(DEMO)


def test_export_gpkg_in_rd_with_filters(tmp_path, db, demo, capsys):
    out = tmp_path / "selectie.gpkg"
    args = ["export", "--out", str(out), "--wijk", "WK999901", "--wijk", "WK999902"]
    args += ["--type", "buurthuis", "--type", "speelplek", "--crs", "EPSG:28992", *db]
    assert main(args) == 0
    expected = filter_assets(
        demo.assets,
        AssetQuery(wijken=("WK999901", "WK999902"), types=("buurthuis", "speelplek")),
    )
    assert capsys.readouterr().out.strip() == f"{len(expected)} plekken geschreven naar {out}"
    back = gpd.read_file(out)
    assert back.crs == "EPSG:28992"
    assert sorted(back["id"]) == sorted(expected["id"])
    assert set(back["wijk_code"]) == {"WK999901", "WK999902"}
    assert sorted(read_assets(out).frame["id"]) == sorted(expected["id"])


def test_export_csv_tag_and_search(tmp_path, db, demo, capsys):
    out = tmp_path / "koffie.csv"
    assert main(["export", "--out", str(out), "--tag", "koffie", "--search", "koffie", *db]) == 0
    expected = filter_assets(demo.assets, AssetQuery(tags=("koffie",), text="koffie"))
    back = read_assets(out).frame
    assert sorted(back["id"]) == sorted(expected["id"])
    assert f"{len(expected)} plekken" in capsys.readouterr().out


def test_export_format_option_and_english(tmp_path, db, capsys):
    out = tmp_path / "alles.json"
    assert main(["export", "--out", str(out), "--format", "geojson", "--lang", "en", *db]) == 0
    assert len(read_assets(out).frame) == 300
    assert capsys.readouterr().out.strip() == f"300 places written to {out}"


def test_export_html_map_of_the_selection(tmp_path, db, demo):
    out = tmp_path / "kaart.html"
    assert main(["export", "--out", str(out), "--buurt", "BU99990404", *db]) == 0
    html = out.read_text("utf-8")
    assert "<script src=" not in html  # standalone, Leaflet inlined
    # Names without characters that HTML or JSON escape appear as they are.
    plain = demo.assets[demo.assets["name"].str.fullmatch(r"[A-Za-z ]+")]
    inside = plain.loc[plain["buurt_code"] == "BU99990404", "name"]
    outside = plain.loc[plain["wijk_code"] == "WK999901", "name"]
    assert len(inside) > 0 and all(f'"{name}"' in html for name in inside)
    assert len(outside) > 0 and not any(f'"{name}"' in html for name in outside)


def test_export_from_files(tmp_path, capsys):
    out = tmp_path / "s.geojson"
    args = [
        "export",
        "--areas",
        str(DEMO / "areas.geojson"),
        "--assets",
        str(DEMO / "assets.geojson"),
    ]
    assert main([*args, "--out", str(out), "--wijk", "WK999904"]) == 0
    back = read_assets(out).frame
    assert len(back) > 0
    assert f"{len(back)} plekken" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--wijk", "WK123"], r"--wijk WK123: no such wijk here\. Wijk codes: WK999901"),
        (["--buurt", "BU1"], r"--buurt BU1: no such buurt here"),
        (["--type", "zwembad"], r"--type zwembad: unknown type\. Types: talent, vereniging"),
        (["--areas", str(DEMO / "areas.geojson")], r"Give both --areas and --assets"),
    ],
)
def test_export_refusals(tmp_path, db, capsys, extra, message):
    import re

    out = tmp_path / "x.csv"
    assert main(["export", "--out", str(out), *extra, "--lang", "en", *db]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not out.exists()


def test_export_refuses_unknown_suffix_and_unwritable_path(tmp_path, db, capsys):
    assert main(["export", "--out", str(tmp_path / "x.xlsx"), "--lang", "en", *db]) == 2
    assert "cannot tell the format from '.xlsx'" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["export", "--out", str(blocker / "x.csv"), *db]) == 2
    assert "asset-map: error:" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite", "file"]


def test_export_unknown_tag_is_a_note(tmp_path, db, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--out", str(out), "--tag", "zwemmen", *db]) == 0
    captured = capsys.readouterr()
    assert "0 plekken" in captured.out
    assert "let op: geen enkele plek heeft zwemmen." in captured.err


def test_report_writes_a_pdf(tmp_path, db, capsys):
    out = tmp_path / "rapport.pdf"
    assert main(["report", "--wijk", "WK999901", "--out", str(out), *db]) == 0
    pages = len(PdfReader(out).pages)
    assert capsys.readouterr().out.strip() == (f"Rapport geschreven naar {out} ({pages} pagina's)")
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Wijkrapport Centrum" in text
    assert "binnen 10 minuten lopen" in text
    assert out.stat().st_mode & 0o044  # readable like any other file, not private


def test_report_no_gaps_english(tmp_path, db, capsys):
    out = tmp_path / "report.pdf"
    args = ["report", "--wijk", "WK999902", "--out", str(out), "--no-gaps", "--lang", "en", *db]
    assert main(args) == 0
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Walking distance was not calculated" in text
    assert "Report written to" in capsys.readouterr().out


def test_report_refusals_keep_the_old_file(tmp_path, db, capsys):
    out = tmp_path / "rapport.pdf"
    out.write_bytes(b"old")
    assert main(["report", "--wijk", "WK999999", "--out", str(out), "--lang", "en", *db]) == 2
    err = capsys.readouterr().err
    assert "--wijk WK999999: no such wijk here. Wijken: WK999901 (Centrum)" in err
    assert out.read_bytes() == b"old"
    args = ["report", "--wijk", "WK999901", "--lang", "en", *db]
    assert main([*args, "--out", str(tmp_path / "r.txt")]) == 2
    assert "use a .pdf file name" in capsys.readouterr().err
    assert main([*args, "--out", str(out), "--new-sites", "99"]) == 2
    assert "(--new-sites) must be between 0 and 10 sites; you gave 99." in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite", "rapport.pdf"]


def test_report_from_files_with_talents(tmp_path, capsys):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / "r.pdf"
    files = ["--areas", str(DEMO / "areas.geojson"), "--assets", str(DEMO / "assets.geojson")]
    args = ["report", "--wijk", "WK999904", "--out", str(out), "--no-gaps", *files]

    def lindehof() -> list[str]:
        text = subprocess.run([pdftotext, "-layout", str(out), "-"], capture_output=True).stdout
        line = next(ln for ln in text.decode().splitlines() if ln.strip().startswith("Lindehof"))
        return line.split()

    assert main([*args, "--talents", str(DEMO / "talents.csv")]) == 0
    talents = pd.read_csv(DEMO / "talents.csv")
    n = int(((talents["buurt_code"] == "BU99990401") & (talents["status"] == "approved")).sum())
    assert lindehof()[-2] == ("<3" if 0 < n < 3 else str(n))
    assert main(args) == 0  # without --talents the talents are unknown: a dash, not 0
    assert lindehof()[-2] == "–"
    assert (
        "assets.geojson"
        in subprocess.run([pdftotext, str(out), "-"], capture_output=True).stdout.decode()
    )  # the file is named as the source
    capsys.readouterr()
