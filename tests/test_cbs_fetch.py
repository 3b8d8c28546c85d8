"""Download CBS wijken and buurten from PDOK (offline: a local server plays PDOK).

The recorded pages in ``tests/data/pdok/cbs_*.json`` follow PDOK's OGC API Features answers
for the made-up gemeente GM9999 Lindeveen; the ``pdok`` fixture (tests/conftest.py) serves them
through ``FakePDOK`` of tests/fake_servers.py.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from fake_servers import FakePDOK

from asset_map._errors import DownloadError
from asset_map.i18n import explain
from asset_map.io._pdok import fetch_collection
from asset_map.io.cbs import (
    YEARS,
    GemeenteError,
    fetch_areas,
    fetch_gemeenten,
    gemeente_code,
    items_url,
    parse_pages,
)
from asset_map.services.fetch import fetch_gemeente
from asset_map.settings import DEFAULT_PDOK_URL

DATA = Path(__file__).parent / "data" / "pdok"
GEMEENTEN = {"GM0150": "Deventer", "GM0153": "Enschede", "GM9999": "Lindeveen"}


def recorded(*names: str) -> list[bytes]:
    return [(DATA / name).read_bytes() for name in names]


# --- URLs -------------------------------------------------------------------------------


def test_items_url_has_collection_year_filter_and_format() -> None:
    url = items_url("buurten", "GM0150", year=2024)
    assert url.startswith(
        "https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1/collections/buurten/items?"
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query == {"f": "json", "limit": "1000", "gemeentecode": "GM0150"}
    assert DEFAULT_PDOK_URL.format(year=2023) in items_url("wijken", "GM0150", year=2023)


def test_items_url_refuses_unknown_collection() -> None:
    with pytest.raises(ValueError, match="unknown collection 'buurt'"):
        items_url("buurt", "GM0150", year=2024)


# --- gemeente codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("GM0150", "GM0150"),
        ("gm0150", "GM0150"),
        ("0150", "GM0150"),
        ("150", "GM0150"),
        (" GM9999 ", "GM9999"),
        ("Deventer", "GM0150"),
        ("deventer", "GM0150"),
        ("  LINDEVEEN ", "GM9999"),
    ],
)
def test_gemeente_code_good(given: str, code: str) -> None:
    assert gemeente_code(given, gemeenten=GEMEENTEN) == code


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Deventr", r"Unknown gemeente 'Deventr'\. Did you mean: Deventer \(GM0150\)"),
        ("Lindeveem", r"Did you mean: Lindeveen \(GM9999\)"),
        ("Atlantis", r"Unknown gemeente 'Atlantis'\. Check the spelling"),
        ("GM0151", r"Unknown gemeente code 'GM0151'\. Did you mean: .*Deventer \(GM0150\)"),
        ("", "No gemeente given"),
        ("12345", "Unknown gemeente '12345'"),
    ],
)
def test_gemeente_code_bad(given: str, message: str) -> None:
    with pytest.raises(GemeenteError, match=message):
        gemeente_code(given, gemeenten=GEMEENTEN)


def test_gemeente_code_without_table_accepts_codes_offline() -> None:
    assert gemeente_code("0150") == "GM0150"


def test_fetch_gemeenten_table(pdok: FakePDOK) -> None:
    assert fetch_gemeenten(base=pdok.base) == GEMEENTEN
    assert pdok.requests[0].endswith("/collections/gemeenten/items?f=json&limit=1000")


# --- fetching ----------------------------------------------------------------------------


def test_fetch_follows_next_pages_in_order(pdok: FakePDOK) -> None:
    seen: list[tuple[int, int | None]] = []
    pages = fetch_collection(
        "buurten", "GM9999", year=2024, base=pdok.base, progress=lambda n, m: seen.append((n, m))
    )
    assert len(pages) == 2
    assert b"BU99990101" in pages[0] and b"BU99990201" in pages[1]
    assert len(pdok.requests) == 2
    assert "gemeentecode=GM9999" in pdok.requests[0]
    assert "cursor=Mw" in pdok.requests[1] and "gemeentecode=GM9999" in pdok.requests[1]
    assert seen == [(3, 5), (5, 5)]


def test_http_error_names_url_and_status(pdok: FakePDOK) -> None:
    pdok.fail_page_2 = True
    with pytest.raises(DownloadError, match=r"127\.0\.0\.1.*cursor=Mw.*HTTP 500"):
        fetch_collection("buurten", "GM9999", year=2024, base=pdok.base)


def test_connection_refused_says_no_internet() -> None:
    base = "http://127.0.0.1:9/cbs/wijken-en-buurten-{year}/ogc/v1"
    with pytest.raises(DownloadError, match=r"(?s)No internet\?.*127\.0\.0\.1:9/.*refused"):
        fetch_collection("buurten", "GM9999", year=2024, base=base, timeout_s=5)


# --- parsing -----------------------------------------------------------------------------


def test_parse_pages_concatenates_in_crs84() -> None:
    frame = parse_pages(recorded("cbs_buurten_GM9999_page1.json", "cbs_buurten_GM9999_page2.json"))
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert frame["buurtcode"].tolist() == [
        "BU99990101",
        "BU99990102",
        "BU99990103",
        "BU99990201",
        "BU99990202",
    ]
    assert frame.total_bounds.round(2).tolist() == [5.6, 52.48, 5.63, 52.5]


def test_parse_pages_refuses_non_geojson() -> None:
    with pytest.raises(DownloadError, match="page 2: not a GeoJSON FeatureCollection"):
        parse_pages([*recorded("cbs_wijken_GM9999.json"), b'{"type": "Error"}'])
    with pytest.raises(DownloadError, match="page 1: not JSON"):
        parse_pages([b"<html>"])


def test_parse_no_pages_is_an_empty_frame() -> None:
    frame = parse_pages([])
    assert frame.empty and frame.crs is not None and frame.crs.to_epsg() == 4326


# --- the whole download ------------------------------------------------------------------


def test_fetch_areas_reads_wijken_and_buurten(pdok: FakePDOK, tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    result = fetch_areas(
        "GM9999", base=pdok.base, folder=tmp_path, progress=lambda n, m: calls.append((n, m))
    )
    areas = result.frame
    assert areas.crs is not None and areas.crs.to_epsg() == 4326
    assert len(areas) == 7
    assert areas["code"].tolist() == [
        "WK999901",
        "WK999902",
        "BU99990101",
        "BU99990102",
        "BU99990103",
        "BU99990201",
        "BU99990202",
    ]
    assert areas["level"].tolist() == ["wijk"] * 2 + ["buurt"] * 5
    assert areas["parent_code"].tolist() == ["GM9999"] * 2 + ["WK999901"] * 3 + ["WK999902"] * 2
    by_code = areas.set_index("code")
    assert by_code.loc["BU99990101", "name"] == "Centrum"
    assert by_code.loc["BU99990101", "inhabitants"] == 1200
    assert by_code.loc["BU99990101", "pct_65_plus"] == 21
    assert np.isnan(by_code["pct_65_plus"]["BU99990102"])  # -99997: secret
    assert np.isnan(by_code["inhabitants"]["BU99990202"])
    assert by_code.loc["WK999901", "inhabitants"] == 2480
    assert calls == [(2, 2), (3, 5), (5, 5)]
    assert [p.name for p in tmp_path.iterdir()] == ["cbs_GM9999_2024.gpkg"]
    assert "cbs_GM9999_2024.gpkg" in result.notes[0]


def test_fetch_areas_by_name_looks_up_the_code(pdok: FakePDOK, tmp_path: Path) -> None:
    result = fetch_areas("lindeveen", base=pdok.base, folder=tmp_path)
    assert len(result.frame) == 7
    assert "/collections/gemeenten/" in pdok.requests[0]


def test_failed_download_leaves_no_file(pdok: FakePDOK, tmp_path: Path) -> None:
    pdok.fail_page_2 = True
    with pytest.raises(DownloadError, match=r"collections/buurten/items\?cursor=Mw.*HTTP 500"):
        fetch_areas("GM9999", base=pdok.base, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_gemeente_without_areas_is_clear(pdok: FakePDOK, tmp_path: Path) -> None:
    with pytest.raises(GemeenteError, match="PDOK has no wijken or buurten of gemeente 'GM0150'"):
        fetch_areas("GM0150", base=pdok.base, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_wrong_path_gives_http_status(pdok: FakePDOK) -> None:
    with pytest.raises(DownloadError, match=r"collections/wijken/items.*HTTP 404"):
        fetch_collection("wijken", "GM9999", year=2024, base=pdok.base + "/x")


# --- no connection: plain Dutch, with the detail after it ----------------------------------------


def test_pdok_without_connection_is_plain_dutch_with_the_detail_after_it(closed_port: int) -> None:
    port = closed_port
    base = f"http://127.0.0.1:{port}/cbs/wijken-en-buurten-{{year}}/ogc/v1"
    with pytest.raises(DownloadError) as exc:
        fetch_collection("buurten", "GM9999", year=2024, base=base, timeout_s=5)
    plain, detail = explain(exc.value, "nl").split("\n")
    assert plain == (
        "Het ophalen van de wijken en buurten (CBS/PDOK) is niet gelukt. De server is niet "
        "bereikbaar. Kijk of de internetverbinding werkt, of probeer het later nog eens."
    )
    assert detail.startswith(f"http://127.0.0.1:{port}/cbs/wijken-en-buurten-2024/")
    assert "could not reach the server" in detail
    english = explain(exc.value, "en").split("\n")[0]
    assert english.startswith("Could not download the districts and neighbourhoods")
    assert "No internet?" in english


# --- years, and progress per page ----------------------------------------------------------------


def test_years_are_newest_first_and_hold_the_recorded_year() -> None:
    assert list(YEARS) == sorted(YEARS, reverse=True)
    assert 2024 in YEARS


def test_fetch_gemeente_reports_each_pdok_page(pdok: FakePDOK) -> None:
    pages: list[tuple[int, int | None]] = []
    steps: list[str] = []
    loaded = fetch_gemeente(
        "GM9999",
        year=2024,
        osm=False,
        pdok_base=pdok.base,
        progress=steps.append,
        pages=lambda n, m: pages.append((n, m)),
    )
    assert len(loaded.areas) == 7
    assert pages == [(2, 2), (3, 5), (5, 5)]  # wijken: one page; buurten: two
    assert len(steps) == 1
