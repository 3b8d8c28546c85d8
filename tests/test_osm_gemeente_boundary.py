"""Finding a gemeente's boundary in OpenStreetMap: padded or unpadded code, then the name.

OpenStreetMap holds a gemeente's ``ref:gemeentecode`` both padded (``"0362"``) and unpadded
(failmap/failmap recorded Heemstede as ``"397"``, see tests/data/osm/README.md). The query
matches either, outputs the boundary area before the places, and ``asset-map fetch`` asks
again by the gemeente's name when no boundary has the code. When neither finds one, the
fetch says so instead of storing an empty list of places. PDOK and Overpass are local
servers; nothing leaves the machine.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_fetch_figures_every_style import StyledPDOK

from asset_map.cli import main
from asset_map.io import osm
from asset_map.io.osm_download import overpass_query
from asset_map.storage import Store

OSM = Path(__file__).parent / "data" / "osm" / "overpass_deventer.json"
#: What Overpass answers when the area set is empty: the envelope, no elements.
EMPTY = {
    "version": 0.6,
    "generator": "Overpass API",
    "osm3s": json.loads(OSM.read_text())["osm3s"],
    "elements": [],
}


def gemeentecode_pattern(query: str) -> re.Pattern[str]:
    found = re.search(r'\["ref:gemeentecode"~"([^"]+)"\]', query)
    assert found, query
    return re.compile(found.group(1))


@pytest.mark.parametrize(
    ("code", "matches", "misses"),
    [
        ("GM0150", ["150", "0150", "00150"], ["1500", "2150", "15", "0151", ""]),
        ("GM0397", ["397", "0397"], ["3970", "1397"]),
        ("GM0362", ["0362", "362"], ["0363", "36"]),
        ("GM1963", ["1963"], ["963", "19630"]),
    ],
)
def test_the_query_matches_padded_and_unpadded_codes(code, matches, misses):
    pattern = gemeentecode_pattern(overpass_query(gemeente_code=code))
    assert all(pattern.fullmatch(value) for value in matches)
    assert not any(pattern.fullmatch(value) for value in misses)


def test_boundary_areas_are_found_and_are_no_places():
    answer = json.loads(OSM.read_text())
    assert [a["tags"]["ref:gemeentecode"] for a in osm.boundary_areas(answer)] == ["150"]
    frame = osm.parse_overpass_json(answer).frame
    assert not frame["id"].str.startswith("osm:area/").any()
    assert osm.boundary_areas(json.dumps(EMPTY)) == []
    assert osm.boundary_areas(b"<html>busy</html>") == []


class Overpass(ThreadingHTTPServer):
    """Answers each query with ``answer(query)``; remembers the queries."""

    def __init__(self, answer: Callable[[str], dict]) -> None:
        super().__init__(("127.0.0.1", 0), OverpassHandler)
        self.answer = answer
        self.queries: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/interpreter"


class OverpassHandler(BaseHTTPRequestHandler):
    server: Overpass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        query = urllib.parse.parse_qs(self.rfile.read(length).decode())["data"][0]
        self.server.queries.append(query)
        body = json.dumps(self.server.answer(query)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def by_name_only(query: str) -> dict:
    """No boundary carries the code; the one named 'Waterland aan Zee' has places."""
    return json.loads(OSM.read_text()) if '["name"="Waterland aan Zee"]' in query else EMPTY


@pytest.fixture
def serve() -> Iterator[Callable[[ThreadingHTTPServer], None]]:
    running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(server: ThreadingHTTPServer) -> None:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(capsys, pdok: StyledPDOK, overpass: Overpass, database: str) -> dict:
    args = ["fetch", "--gemeente", "GM9998", "--json", "--lang", "en", "--database", database]
    args += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    assert main(args) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def stored_assets(database: str) -> int:
    store = Store(database)
    try:
        _areas, assets, _meta = store.load_workspace()
    finally:
        store.close()
    return len(assets)


def test_a_boundary_without_the_code_is_found_by_the_gemeente_name(serve, tmp_path, capsys):
    pdok, overpass = StyledPDOK("camel"), Overpass(by_name_only)
    serve(pdok)
    serve(overpass)
    database = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    summary = fetch(capsys, pdok, overpass, database)
    assert len(overpass.queries) == 2
    assert gemeentecode_pattern(overpass.queries[0]).fullmatch("9998")
    assert '["name"="Waterland aan Zee"]' in overpass.queries[1]
    assert summary["assets_total"] == 4 == stored_assets(database)
    assert not any("no boundary" in n for n in summary["notes"])


def test_no_boundary_at_all_is_said_and_the_areas_are_loaded(serve, tmp_path, capsys):
    pdok, overpass = StyledPDOK("snake"), Overpass(lambda _query: EMPTY)
    serve(pdok)
    serve(overpass)
    database = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    summary = fetch(capsys, pdok, overpass, database)
    assert len(overpass.queries) == 2  # by code, then by name
    assert summary["areas"] == {"wijk": 2, "buurt": 3} and summary["assets_total"] == 0
    assert (
        "OpenStreetMap has no boundary of gemeente Waterland aan Zee (GM9998): looked for "
        "ref:gemeentecode 9998 (with or without leading zeros) and for the name. So no places "
        "were fetched; the wijken and buurten were loaded. Import a file of places, or try "
        "again later."
    ) in summary["notes"]
    assert not any("gave no places" in n for n in summary["notes"])
    assert [s["licence"] for s in summary["sources"]] == ["CC BY 4.0"]  # no OSM entry


def test_the_boundary_found_by_code_needs_no_second_query(serve, tmp_path, capsys):
    pdok = StyledPDOK("snake")
    overpass = Overpass(lambda q: json.loads(OSM.read_text()) if "~" in q else EMPTY)
    serve(pdok)
    serve(overpass)
    summary = fetch(capsys, pdok, overpass, f"sqlite:///{tmp_path / 'ws.sqlite'}")
    assert len(overpass.queries) == 1 and summary["assets_total"] == 4
