"""Spreadsheets for people: an Excel file and a CSV that Dutch Excel opens in columns, with
Dutch headers and names, rounded numbers, and no formula run from a cell."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point

from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps
from asset_map.services import spreadsheets
from asset_map.services.gaps import named_sites
from asset_map.services.workspace import load_workspace

DUTCH_SELECTION = [
    "Naam",
    "Soort plek",
    "Status",
    "Adres",
    "Omschrijving",
    "Kenmerken",
    "Aantal plaatsen",
    "Wijk",
    "Buurt",
    "Breedtegraad (lat)",
    "Lengtegraad (lon)",
    "Bron",
    "Code (id)",
]


@pytest.fixture(scope="module")
def demo():
    return load_workspace()


@pytest.fixture(scope="module")
def gaps(demo):
    return analyse_gaps(demo.areas, demo.assets, GapParams(new_sites=3))


@pytest.fixture
def tricky() -> gpd.GeoDataFrame:
    """Two places whose texts a spreadsheet would run as formulas, or split at a ';'."""
    return gpd.GeoDataFrame(
        {
            "id": ["p1", "p2"],
            "name": ['=HYPERLINK("http://x.example","klik")', "Café ’t Hoekje; terras"],
            "type": ["wijkhuiskamer", "winkel"],
            "description": ["+31 570 123 456", None],
            "address": ["Kerkstraat 1", "@Markt 2"],
            "tags": ["koffie;ouderen", None],
            "source": ["test", "test"],
            "status": ["existing", "planned"],
            "capacity": [24.0, float("nan")],
            "buurt_code": ["BU99990101", None],
            "wijk_code": ["WK999901", None],
        },
        geometry=[Point(5.6012345678, 52.4912345678), Point(5.62, 52.5)],
        crs="EPSG:4326",
    )


def _names(demo) -> dict[str, str]:
    return dict(zip(demo.areas["code"], demo.areas["name"], strict=True))


def test_the_selection_opens_in_dutch_excel_with_dutch_columns(demo):
    table = spreadsheets.selection_table(demo.assets, lang="nl", names=_names(demo))
    data = spreadsheets.spreadsheet_bytes(table, fmt="csv", lang="nl", sheet="Plekken")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    first_line = data.decode("utf-8-sig").split("\r\n")[0]
    assert first_line == ";".join(DUTCH_SELECTION)
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == DUTCH_SELECTION
    assert len(back) == len(demo.assets)
    assert back["Breedtegraad (lat)"].between(50.5, 53.7).all()  # a number, not text
    assert set(back["Status"]) <= {"bestaat", "gepland"}
    assert "Wijkhuiskamer" in set(back["Soort plek"])
    assert back["Wijk"].str.fullmatch(r".+ \(WK\d{6}\)").all()


def test_the_selection_as_xlsx_reads_back_with_the_same_columns_and_numbers(demo):
    table = spreadsheets.selection_table(demo.assets, lang="nl", names=_names(demo))
    data = spreadsheets.spreadsheet_bytes(table, fmt="xlsx", lang="nl", sheet="Plekken")
    back = pd.read_excel(io.BytesIO(data), sheet_name="Plekken")
    assert list(back.columns) == DUTCH_SELECTION
    assert len(back) == len(demo.assets)
    expected = demo.assets.geometry.y.round(6).tolist()
    assert back["Breedtegraad (lat)"].tolist() == pytest.approx(expected, abs=1e-9)


def test_english_gives_commas_and_english_headers_and_rd_gives_metres(demo):
    table = spreadsheets.selection_table(demo.assets.head(3), lang="en", crs="EPSG:28992")
    data = spreadsheets.spreadsheet_bytes(table, fmt="csv", lang="en", sheet="Places")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert {"Name", "Kind of place", "X (RD New, metres)", "Y (RD New, metres)"} <= set(back)
    assert back["X (RD New, metres)"].between(0, 300_000).all()
    assert "Breedtegraad (lat)" not in back.columns


def test_no_cell_runs_as_a_formula_and_texts_keep_their_semicolons(tricky):
    table = spreadsheets.selection_table(tricky, lang="nl")
    csv = spreadsheets.spreadsheet_bytes(table, fmt="csv", lang="nl", sheet="x")
    back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    assert back["Naam"].tolist() == ["'" + tricky["name"][0], "Café ’t Hoekje; terras"]
    assert back["Omschrijving"][0] == "'+31 570 123 456"
    assert back["Adres"][1] == "'@Markt 2"
    assert back["Kenmerken"][0] == "koffie, ouderen"
    assert back["Breedtegraad (lat)"][0] == "52,491235"  # 6 decimals, a decimal comma
    assert back["Aantal plaatsen"].tolist()[0] == "24" and pd.isna(back["Aantal plaatsen"][1])
    book = load_workbook(
        io.BytesIO(spreadsheets.spreadsheet_bytes(table, fmt="xlsx", lang="nl", sheet="x"))
    )
    sheet = book.active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == tricky["name"][0] and cell.data_type == "s"  # text, not a formula
    assert sheet.cell(row=2, column=3).data_type == "s"


def test_the_suggested_sites_and_buurten_as_people_read_them(gaps):
    sites = spreadsheets.sites_table(named_sites(gaps.sites, "nl"), lang="nl")
    assert list(sites.columns)[:4] == ["Nr.", "Plek", "Soort", "Nieuw binnen loopafstand"]
    assert sites["Nieuw binnen loopafstand"].tolist() == [
        round(v) for v in gaps.sites["newly_residents"]
    ]
    assert sites["Nu lopen naar dichtstbijzijnde (m)"].tolist() == [
        round(v) for v in gaps.sites["nearest_meeting_m"]
    ]
    buurten = spreadsheets.buurten_table(gaps.buurten, lang="nl")
    data = spreadsheets.spreadsheet_bytes(buurten, fmt="csv", lang="nl", sheet="Per buurt")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    shares = (100 * gaps.buurten["share_covered"]).round(1)
    assert back["Nu binnen loopafstand (%)"].tolist() == pytest.approx(shares.tolist(), nan_ok=True)
    assert back["Gemiddeld lopen (m)"].dropna().tolist() == [
        round(v) for v in gaps.buurten["mean_walk_m"].dropna()
    ]
    assert "579,3" not in data.decode("utf-8-sig")
