"""Local HTTP servers that answer as PDOK and Overpass do, from recorded answers.

``FakePDOK`` serves the recorded pages in ``tests/data/pdok/cbs_*.json``: they follow PDOK's
OGC API Features answers (GeoJSON FeatureCollection, ``links`` with ``rel="next"``,
``numberMatched``/``numberReturned``) for the made-up gemeente GM9999 Lindeveen; their absolute
links point at api.pdok.nl and the server rewrites them to itself, as a proxy would.
``FakeOverpass`` answers every query with ``tests/data/osm/overpass_deventer.json`` (see the
README there). Both listen on 127.0.0.1 only: nothing leaves the machine. The fixtures
``pdok`` and ``servers`` of ``tests/conftest.py`` start and stop them.
"""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"
#: The address the recorded pages link to, and the page each request gets.
RECORDED_BASE = "https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1"
PAGES = {
    ("buurten", None): "cbs_buurten_GM9999_page1.json",
    ("buurten", "Mw"): "cbs_buurten_GM9999_page2.json",
    ("wijken", None): "cbs_wijken_GM9999.json",
    ("gemeenten", None): "cbs_gemeenten.json",
}


class FakePDOK(ThreadingHTTPServer):
    """Serves the recorded pages; remembers the requests; can fail on page 2."""

    fail_page_2 = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/cbs/wijken-en-buurten-{{year}}/ogc/v1"


class Handler(BaseHTTPRequestHandler):
    server: FakePDOK

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        parts = parsed.path.strip("/").split("/")
        cursor = query.get("cursor")
        expected = ["cbs", "wijken-en-buurten-2024", "ogc", "v1", "collections"]
        name = PAGES.get((parts[-2], cursor)) if parts[:-2] == expected else None
        if name is None or (cursor and self.server.fail_page_2):
            self.send_response(404 if name is None else 500)
            self.end_headers()
            return
        local = self.server.base.format(year=2024)
        body = (DATA / "pdok" / name).read_text().replace(RECORDED_BASE, local).encode()
        if query.get("gemeentecode", "GM9999") != "GM9999":
            body = b'{"type": "FeatureCollection", "features": [], "numberReturned": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


OSM = DATA / "osm" / "overpass_deventer.json"


class FakeOverpass(ThreadingHTTPServer):
    """Answers every query with the recorded answer; remembers the queries; can fail (504).

    ``answer`` is the file it answers with: a test sets another (a later answer) to play a
    source that changed.
    """

    fail = False
    answer: Path = OSM

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), OverpassHandler)
        self.queries: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/interpreter"


class OverpassHandler(BaseHTTPRequestHandler):
    server: FakeOverpass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.queries.append(self.rfile.read(length).decode())
        if self.server.fail:
            self.send_response(504)
            self.end_headers()
            return
        body = self.server.answer.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    """Start ``server`` in a daemon thread; return the thread."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def stop(server: ThreadingHTTPServer, thread: threading.Thread) -> None:
    """Stop a server started with :func:`serve` and wait for its thread."""
    server.shutdown()
    server.server_close()
    thread.join()
