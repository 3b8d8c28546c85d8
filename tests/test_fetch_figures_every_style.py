"""`asset-map fetch` against a local server answering as PDOK does, in both its namings.

PDOK publishes the CBS wijk- en buurtkaart with snake_case properties (``aantal_inwoners``)
and with camelCase ones (``aantalInwoners``); both answers hold CBS's nameless water wijk and
buurt (``water`` = ``"JA"``) and secret figures (-99997, -99995). The recorded pages are
``tests/data/pdok/cbs_*_GM9998_{snake,camel}.json``; their README says where each part of their
shape comes from. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asset_map.cli import main
from asset_map.i18n import localise
from asset_map.io.cbs import fetch_areas
from asset_map.storage import Store

DATA = Path(__file__).parent / "data" / "pdok"
STYLES = ("snake", "camel")
LAND_WIJKEN = ["WK999801", "WK999802"]
LAND_BUURTEN = ["BU99980101", "BU99980102", "BU99980201"]


class StyledPDOK(ThreadingHTTPServer):
    """Serves the GM9998 pages of one naming style (``style``), as PDOK's OGC API does."""

    def __init__(self, style: str) -> None:
        super().__init__(("127.0.0.1", 0), StyledHandler)
        self.style = style

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/cbs/wijken-en-buurten-{{year}}/ogc/v1"


class StyledHandler(BaseHTTPRequestHandler):
    server: StyledPDOK

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        collection = parsed.path.rstrip("/").split("/")[-2]
        page = DATA / f"cbs_{collection}_GM9998_{self.server.style}.json"
        if not parsed.path.startswith("/cbs/wijken-en-buurten-2024/") or not page.is_file():
            self.send_response(404)
            self.end_headers()
            return
        if query.get("gemeentecode") == "GM9998":
            body = page.read_bytes()
        else:
            body = b'{"type": "FeatureCollection", "features": [], "numberReturned": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=STYLES)
def pdok(request: pytest.FixtureRequest) -> Iterator[StyledPDOK]:
    server = StyledPDOK(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def fetch(capsys: pytest.CaptureFixture[str], pdok: StyledPDOK, database: str, *more: str) -> dict:
    args = ["fetch", "--gemeente", "GM9998", "--no-osm", "--json", "--database", database]
    assert main([*args, "--pdok-url", pdok.base, *more]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def stored_areas(database: str) -> pd.DataFrame:
    store = Store(database)
    try:
        areas, _assets, _meta = store.load_workspace()
    finally:
        store.close()
    return pd.DataFrame(areas.drop(columns="geometry")).set_index("code")


def test_fetch_stores_the_land_wijken_and_buurten_with_their_figures(pdok, tmp_path, capsys):
    database = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    summary = fetch(capsys, pdok, database, "--lang", "en")
    assert summary["areas"] == {"wijk": 2, "buurt": 3}
    areas = stored_areas(database)
    assert sorted(areas.index) == sorted(LAND_WIJKEN + LAND_BUURTEN)  # no water part
    wijk = areas.loc["WK999801"]
    assert (wijk["inhabitants"], wijk["pct_65_plus"], wijk["households"]) == (2480, 19, 1150)
    assert (wijk["pct_single_households"], wijk["land_area_ha"]) == (41, 160)
    assert areas.loc["BU99980201", ["inhabitants", "pct_65_plus"]].tolist() == [1030, 17]
    assert areas.loc[LAND_BUURTEN, "parent_code"].tolist() == ["WK999801"] * 2 + ["WK999802"]
    # A secret figure stays missing: never 0, never negative.
    assert np.isnan(areas.loc["WK999802", "pct_65_plus"])  # -99997
    assert np.isnan(areas.loc["BU99980102", "pct_65_plus"])  # -99995
    assert np.isnan(areas.loc["BU99980102", "pct_single_households"])  # -99997
    assert areas.loc["BU99980102", "inhabitants"] == 1280  # the other figures of that buurt stay
    figures = areas[["inhabitants", "pct_65_plus", "households", "pct_single_households"]]
    assert (figures.fillna(1) > 0).all().all()
    # One note names the water parts that were left out.
    left_out = [n for n in summary["notes"] if "left out" in n]
    assert left_out == [
        "cbs_GM9998_2024.gpkg: left out 2 parts that are water or lie outside the "
        "Netherlands; they are no wijk or buurt: WK999899 (water), BU99989997 (water)."
    ]
    assert not any("has no name" in n for n in summary["notes"])


def test_both_namings_give_the_same_areas(tmp_path):
    frames = []
    for style in STYLES:
        server = StyledPDOK(style)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            result = fetch_areas("GM9998", base=server.base, folder=tmp_path / style)
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        frames.append(result.frame.sort_values("code").reset_index(drop=True))
    snake, camel = frames
    columns = ["code", "name", "level", "parent_code", "inhabitants", "pct_65_plus"]
    columns += ["households", "pct_single_households", "land_area_ha"]
    pd.testing.assert_frame_equal(pd.DataFrame(snake[columns]), pd.DataFrame(camel[columns]))
    assert snake["inhabitants"].notna().sum() == 5


def test_the_water_note_is_in_dutch_too(pdok, tmp_path):
    result = fetch_areas("GM9998", base=pdok.base, folder=tmp_path)
    note = next(n for n in result.notes if "left out" in n)
    assert localise(note, "nl") == (
        "cbs_GM9998_2024.gpkg: 2 delen zijn weggelaten, want ze zijn water of liggen buiten "
        "Nederland. Het zijn geen wijken of buurten: WK999899 (water), BU99989997 (water)."
    )
