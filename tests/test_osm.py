"""OpenStreetMap assets: tag table, query builder, parsers and the Overpass fetch (offline)."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import osmium
import pytest
import shapely

from asset_map import model
from asset_map._errors import AssetMapError, CRSError, ImportFormatError, OverpassError
from asset_map.i18n import explain
from asset_map.io import osm
from asset_map.io._overpass import fetch_overpass
from asset_map.io.asset_files import osm_kind, read_any_assets
from asset_map.io.osm_download import overpass_query

DATA = Path(__file__).parent / "data" / "osm"
OVERPASS_JSON = DATA / "overpass_deventer.json"
TURBO_GEOJSON = DATA / "turbo_export.geojson"
HAND_MADE_OSM = DATA / "hand_made.osm"


def check_frame(frame) -> None:
    assert list(frame.columns[: len(model.ASSET_COLUMNS)]) == model.ASSET_COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert (frame["source"] == "OpenStreetMap").all()
    assert (frame["status"] == "existing").all()
    assert set(frame["type"]) <= set(model.catalogue().types)


# --- tag table -------------------------------------------------------------------------------

GOOD_TAGS = [
    ({"leisure": "playground"}, "speelplek"),
    ({"amenity": "community_centre"}, "buurthuis"),
    ({"amenity": "community_centre", "community_centre": "youth_centre"}, "buurthuis"),
    ({"amenity": "social_centre"}, "buurthuis"),
    ({"amenity": "social_facility"}, "zorg"),
    ({"leisure": "sports_centre"}, "vereniging"),
    ({"club": "sport"}, "vereniging"),
    ({"amenity": "library"}, "bibliotheek"),
    ({"amenity": "place_of_worship", "religion": "christian"}, "gebedshuis"),
    ({"amenity": "school"}, "school"),
    ({"amenity": "kindergarten"}, "school"),
    ({"leisure": "park"}, "park"),
    ({"leisure": "garden", "garden:type": "community"}, "moestuin"),
    ({"landuse": "allotments"}, "moestuin"),
    ({"amenity": "marketplace"}, "markt"),
    ({"shop": "bakery"}, "winkel"),
    ({"shop": "supermarket"}, "winkel"),
    ({"amenity": "doctors"}, "zorg"),
    ({"amenity": "clinic"}, "zorg"),
    ({"amenity": "dentist"}, "zorg"),
    ({"amenity": "pharmacy"}, "zorg"),
    ({"leisure": "clubhouse", "sport": "soccer"}, "sportkantine"),
]
BAD_TAGS = [
    {},
    {"highway": "bus_stop"},
    {"leisure": "garden"},  # a garden is not a community garden
    {"leisure": "garden", "garden:type": "residential"},
    {"leisure": "clubhouse"},  # without sport: not a sports canteen
    {"leisure": "pitch", "sport": "soccer"},
    {"amenity": "bench"},
    {"shop": "no"},
]


@pytest.mark.parametrize(("tags", "expected"), GOOD_TAGS)
def test_osm_type_good(tags, expected):
    assert osm.osm_type(tags) == expected


@pytest.mark.parametrize("tags", BAD_TAGS)
def test_osm_type_bad(tags):
    assert osm.osm_type(tags) is None


def test_first_match_wins():
    # a sports clubhouse that is also a shop: the clubhouse row comes first
    assert osm.osm_type({"leisure": "clubhouse", "sport": "tennis", "shop": "sports"}) == (
        "sportkantine"
    )
    # a community centre with a pharmacy counter is a community centre
    assert osm.osm_type({"amenity": "community_centre", "shop": "chemist"}) == "buurthuis"


def test_tag_table_names_known_types():
    types = model.catalogue().types
    assert all(key in types for _, key in osm.TAG_TYPES)


# --- query -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "selector"),
    [
        # OpenStreetMap holds ref:gemeentecode padded ("0362") and unpadded ("397"): match both.
        ({"gemeente_code": "GM0150"}, '["ref:gemeentecode"~"^0*150$"]'),
        ({"gemeente_code": "150"}, '["ref:gemeentecode"~"^0*150$"]'),
        ({"gemeente_code": "0003"}, '["ref:gemeentecode"~"^0*3$"]'),
        ({"area_name": "Deventer"}, '["name"="Deventer"]'),
    ],
)
def test_query_area(kwargs, selector):
    query = overpass_query(**kwargs)
    assert query.startswith("[out:json][timeout:180];")
    assert selector in query
    # The boundary area comes first in the answer, so an answer shows whether it was found.
    assert "->.gemeente;\n.gemeente out tags;\n(" in query
    assert '["admin_level"="8"]' in query
    assert query.rstrip().endswith("out geom;")  # outlines of ways and relations
    assert 'nwr["leisure"="playground"](area.gemeente);' in query
    assert 'nwr["shop"](area.gemeente);' in query
    assert 'nwr["leisure"="garden"]["garden:type"="community"](area.gemeente);' in query
    for tags, _ in osm.TAG_TYPES:
        for key in tags:
            assert f'["{key}"' in query


def test_query_bbox_is_south_west_north_east():
    query = overpass_query(bbox=(6.14, 52.24, 6.19, 52.27), timeout_s=60)
    assert "[timeout:60]" in query
    assert 'nwr["amenity"="library"](52.24,6.14,52.27,6.19);' in query
    assert "area" not in query


def test_query_escapes_name():
    assert r'["name"="Den \"Haag\""]' in overpass_query('Den "Haag"')


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "exactly one"),
        ({"area_name": "Deventer", "gemeente_code": "GM0150"}, "exactly one"),
        ({"gemeente_code": "WK015004"}, "not a CBS gemeente code"),
        ({"bbox": (6.19, 52.24, 6.14, 52.27)}, "is empty"),
    ],
)
def test_query_bad(kwargs, match):
    with pytest.raises(AssetMapError, match=match):
        overpass_query(**kwargs)


# --- Overpass JSON ---------------------------------------------------------------------------


def test_parse_overpass_json():
    result = osm.parse_overpass_json(OVERPASS_JSON.read_bytes())
    frame = result.frame
    check_frame(frame)
    # The recorded answer is in the 'out geom' format: ways and relations keep their outline.
    assert frame["osm_polygon"].notna().tolist() == [False, False, True, True]
    rows = frame.set_index("id")
    assert list(rows.index) == [
        "osm:node/1001",
        "osm:node/1002",
        "osm:way/2001",
        "osm:relation/3001",
    ]
    centre = rows.loc["osm:node/1001"]
    assert centre["type"] == "buurthuis"
    assert centre["address"] == "Hovenweg 12, Deventer"
    assert centre["description"] == "Koffie op dinsdag"
    assert centre["tags"] == "wheelchair=yes;opening_hours=Mo-Fr 09:00-17:00"
    assert (centre.geometry.x, centre.geometry.y) == (6.1602, 52.2561)
    assert rows.loc["osm:node/1002", "name"] == "Speelplek zonder naam"
    way = rows.loc["osm:way/2001"]
    assert way["type"] == "park"
    park = shapely.from_wkt(way["osm_polygon"])
    assert park.bounds == (6.17, 52.2615, 6.172, 52.2625) and park.contains(way.geometry)
    school = rows.loc["osm:relation/3001"]
    assert school["type"] == "school"
    outline = shapely.from_wkt(school["osm_polygon"])  # two outer ways, one inner: a hole
    assert len(outline.interiors) == 1
    assert outline.area == pytest.approx(0.002 * 0.001 - 0.0005 * 0.0004)
    assert outline.contains(school.geometry)
    assert result.notes == [
        "Skipped 1 OpenStreetMap element whose tags match no asset type: node/1003 (1)."
    ]


def test_parse_overpass_json_with_geometry():
    ring = [(6.160, 52.250), (6.162, 52.250), (6.162, 52.252), (6.160, 52.252), (6.160, 52.250)]
    payload = {
        "elements": [
            {
                "type": "way",
                "id": 5,
                "tags": {"leisure": "park"},
                "geometry": [{"lon": x, "lat": y} for x, y in ring],
            }
        ]
    }
    frame = osm.parse_overpass_json(json.dumps(payload), source="OSM test").frame
    polygon = shapely.from_wkt(frame["osm_polygon"].iloc[0])
    assert polygon.equals(shapely.Polygon(ring))
    assert polygon.contains(frame.geometry.iloc[0])
    assert frame["source"].iloc[0] == "OSM test"


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"{not json", "not valid JSON"),
        (b"<html>504 Gateway Timeout</html>", "not valid JSON"),
        ('{"version": 0.6}', "no 'elements' list"),
        ({"elements": "nope"}, "no 'elements' list"),
        ([1, 2], "no 'elements' list"),
        ({"elements": []}, "no OpenStreetMap element with tags of an asset type"),
        ({"elements": [{"type": "node", "id": 1, "tags": {"amenity": "bench"}}]}, "no Open"),
        ({"elements": [{"type": "way", "id": 7, "tags": {"shop": "bakery"}}]}, "way/7.*no loc"),
        ({"elements": ["x"]}, "element 1 is not a JSON object"),
    ],
)
def test_parse_overpass_json_refuses(payload, match):
    with pytest.raises(ImportFormatError, match=match):
        osm.parse_overpass_json(payload)


def test_parse_overpass_json_outside_netherlands():
    payload = {
        "elements": [
            {"type": "node", "id": 1, "lat": 52.26, "lon": 6.16, "tags": {"shop": "bakery"}},
            {"type": "node", "id": 2, "lat": 48.85, "lon": 2.35, "tags": {"shop": "bakery"}},
        ]
    }
    with pytest.raises(CRSError, match=r"1 of 2 .*outside the Netherlands: osm:node/2"):
        osm.parse_overpass_json(payload)


# --- overpass-turbo GeoJSON ------------------------------------------------------------------


def test_read_overpass_turbo_geojson():
    result = osm.read_overpass_turbo_geojson(TURBO_GEOJSON)
    frame = result.frame
    check_frame(frame)
    rows = frame.set_index("id")
    assert list(rows.index) == ["osm:way/4001", "osm:node/4002"]
    garden = rows.loc["osm:way/4001"]
    assert garden["type"] == "moestuin"
    polygon = shapely.from_wkt(garden["osm_polygon"])
    assert polygon.geom_type == "Polygon"
    assert polygon.contains(garden.geometry)
    assert rows.loc["osm:node/4002", "type"] == "winkel"
    assert rows["osm_polygon"].isna().tolist() == [False, True]
    assert "node/4003" in result.notes[0]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{broken", "not valid JSON"),
        ('{"type": "Feature"}', "no 'features' list"),
        (
            '{"features": [{"properties": {"@id": "node/1", "shop": "x"}, "geometry": null}]}',
            r"feature 1 \(node/1\): no readable geometry",
        ),
    ],
)
def test_read_overpass_turbo_geojson_refuses(tmp_path, text, match):
    path = tmp_path / "export.geojson"
    path.write_text(text)
    with pytest.raises(ImportFormatError, match=match):
        osm.read_overpass_turbo_geojson(path)


def test_read_overpass_turbo_geojson_missing(tmp_path):
    with pytest.raises(ImportFormatError, match="file not found"):
        osm.read_overpass_turbo_geojson(tmp_path / "nope.geojson")


# --- .osm.pbf --------------------------------------------------------------------------------


def test_read_osm_pbf_round_trip(tmp_path):
    path = tmp_path / "deventer.osm.pbf"
    ring = [(6.160, 52.250), (6.162, 52.250), (6.162, 52.252), (6.160, 52.252)]
    with osmium.SimpleWriter(str(path)) as writer:
        for i, (lon, lat) in enumerate(ring, start=1):
            writer.add_node(osmium.osm.mutable.Node(id=i, location=(lon, lat), tags={}))
        writer.add_node(
            osmium.osm.mutable.Node(
                id=10,
                location=(6.1602, 52.2561),
                tags={"amenity": "library", "name": "Bibliotheek Deventer"},
            )
        )
        writer.add_node(
            osmium.osm.mutable.Node(id=11, location=(6.17, 52.26), tags={"amenity": "bench"})
        )
        writer.add_way(
            osmium.osm.mutable.Way(id=20, nodes=[1, 2, 3, 4, 1], tags={"leisure": "playground"})
        )
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=30,
                members=[("w", 20, "outer")],
                tags={"type": "multipolygon", "leisure": "park"},
            )
        )
    result = osm.read_osm_pbf(path)
    frame = result.frame
    check_frame(frame)
    rows = frame.set_index("id")
    assert list(rows.index) == ["osm:node/10", "osm:way/20", "osm:relation/30"]
    assert rows.loc["osm:node/10", "name"] == "Bibliotheek Deventer"
    playground = rows.loc["osm:way/20"]
    assert playground["type"] == "speelplek"
    polygon = shapely.from_wkt(playground["osm_polygon"])
    assert polygon.equals(shapely.Polygon(ring))
    assert polygon.contains(playground.geometry)
    assert any("node/11" in note for note in result.notes)
    park = rows.loc["osm:relation/30"]  # the multipolygon, assembled by pyosmium
    assert park["type"] == "park"
    assert shapely.from_wkt(park["osm_polygon"]).equals(shapely.Polygon(ring))
    assert not any("Left out" in note for note in result.notes)


def test_read_osm_pbf_refuses(tmp_path):
    with pytest.raises(ImportFormatError, match="file not found"):
        osm.read_osm_pbf(tmp_path / "nope.osm.pbf")
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(ImportFormatError, match="not a readable OSM file"):
        osm.read_osm_pbf(broken)


# --- fetch -----------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes]]] = {}
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(self.rfile.read(length))
        status, body = self.routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def overpass_server() -> Iterator[str]:
    remark = {"elements": [], "remark": 'runtime error: Query timed out in "query" at line 3.'}
    _Handler.routes = {
        "/ok": (200, OVERPASS_JSON.read_bytes()),
        "/busy": (504, b"<html>Gateway Timeout</html>"),
        "/remark": (200, json.dumps(remark).encode()),
    }
    _Handler.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    server.timeout = 0.05
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fetch_overpass(overpass_server):
    query = overpass_query(gemeente_code="GM0150")
    payload = fetch_overpass(query, url=f"{overpass_server}/ok", timeout_s=5)
    assert payload == OVERPASS_JSON.read_bytes()
    assert _Handler.received[0].startswith(b"data=%5Bout%3Ajson%5D")
    assert len(osm.parse_overpass_json(payload).frame) == 4


@pytest.mark.parametrize(
    ("route", "match"),
    [
        ("/busy", r"(?s)the server is busy\. Try again in a few minutes\..*/busy: HTTP 504"),
        ("/remark", "stopped with an error: runtime error: Query timed out"),
    ],
)
def test_fetch_overpass_errors(overpass_server, route, match):
    with pytest.raises(OverpassError, match=match):
        fetch_overpass("[out:json];", url=f"{overpass_server}{route}", timeout_s=5)


def test_fetch_overpass_no_connection():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.server_close()  # nothing listens on this port any more
    with pytest.raises(OverpassError, match=r"(?s)cannot be reached\. No internet\?.*refused"):
        fetch_overpass("[out:json];", url=f"http://127.0.0.1:{port}", timeout_s=5)


def test_attribution():
    assert osm.OSM_ATTRIBUTION == "© OpenStreetMap contributors (ODbL)"


def test_parse_overpass_json_relation_geometry():
    west = [(6.160, 52.250), (6.162, 52.250), (6.162, 52.252)]
    east = [(6.162, 52.252), (6.160, 52.252), (6.160, 52.250)]
    payload = {
        "elements": [
            {
                "type": "relation",
                "id": 9,
                "tags": {"type": "multipolygon", "landuse": "allotments"},
                "members": [
                    {"type": "way", "ref": 1, "role": "outer", "geometry": part}
                    for part in ([{"lon": x, "lat": y} for x, y in line] for line in (west, east))
                ],
            }
        ]
    }
    frame = osm.parse_overpass_json(payload).frame
    polygon = shapely.from_wkt(frame["osm_polygon"].iloc[0])
    assert polygon.area == pytest.approx(0.002 * 0.002)
    assert polygon.contains(frame.geometry.iloc[0])
    assert frame["id"].iloc[0] == "osm:relation/9"


# --- failed downloads in plain Dutch -------------------------------------------------------------


def test_overpass_without_connection_is_plain_dutch(closed_port: int) -> None:
    port = closed_port
    with pytest.raises(OverpassError) as exc:
        fetch_overpass("[out:json];", url=f"http://127.0.0.1:{port}/api", timeout_s=5)
    plain, detail = explain(exc.value, "nl").split("\n")
    assert plain.startswith("Het ophalen van de plekken uit OpenStreetMap is niet gelukt.")
    assert "internetverbinding" in plain and "http" not in plain
    assert f"127.0.0.1:{port}/api" in detail


class _Busy(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(429)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def busy() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_busy_overpass_says_try_again_in_a_few_minutes(busy: str) -> None:
    with pytest.raises(OverpassError, match=r"(?s)server is busy.*HTTP 429") as exc:
        fetch_overpass("[out:json];", url=busy, timeout_s=5)
    assert "Probeer het over een paar minuten nog eens." in explain(exc.value, "nl")


class _HtmlHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html><body>504 Gateway Time-out</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_an_html_answer_of_overpass_is_a_download_error_in_plain_dutch():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(OverpassError) as caught:
            fetch_overpass("[out:json];", url=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    plain, _, detail = explain(caught.value, "nl").partition("\n")
    assert plain == (
        "Het ophalen van de plekken uit OpenStreetMap is niet gelukt. De server gaf een "
        "antwoord dat wij niet kunnen lezen. Probeer het later nog eens."
    )
    assert "not JSON" in detail
    assert "[out:json]" not in explain(caught.value, "en")


# --- Overpass 'out geom': relations --------------------------------------------------------------


def _g(coords: list[tuple[float, float]]) -> list[dict[str, float]]:
    return [{"lon": x, "lat": y} for x, y in coords]


def test_relation_outline_has_its_inner_ring_as_a_hole() -> None:
    outer = [(6.16, 52.25), (6.17, 52.25), (6.17, 52.26), (6.16, 52.26), (6.16, 52.25)]
    hole = [(6.161, 52.251), (6.165, 52.251), (6.165, 52.259), (6.161, 52.259), (6.161, 52.251)]
    payload = {
        "elements": [
            {
                "type": "relation",
                "id": 7,
                "tags": {"type": "multipolygon", "leisure": "park"},
                "members": [
                    {"type": "way", "ref": 1, "role": "outer", "geometry": _g(outer)},
                    {"type": "way", "ref": 2, "role": "inner", "geometry": _g(hole)},
                ],
            }
        ]
    }
    frame = osm.parse_overpass_json(payload).frame
    outline = shapely.from_wkt(frame["osm_polygon"].iloc[0])
    assert outline.area == pytest.approx(0.01 * 0.01 - 0.004 * 0.008)
    assert outline.contains(frame.geometry.iloc[0])  # the point is not in the hole
    assert not shapely.Polygon(hole).contains(frame.geometry.iloc[0])


def test_relation_of_nodes_becomes_a_point_without_outline() -> None:
    payload = {
        "elements": [
            {
                "type": "relation",
                "id": 8,
                "tags": {"type": "site", "amenity": "school"},
                "members": [
                    {"type": "node", "ref": 1, "role": "", "lat": 52.25, "lon": 6.16},
                    {"type": "node", "ref": 2, "role": "", "lat": 52.26, "lon": 6.16},
                ],
            }
        ]
    }
    frame = osm.parse_overpass_json(payload).frame
    assert "osm_polygon" not in frame.columns
    point = frame.geometry.iloc[0]
    assert point.x == pytest.approx(6.16) and point.y in (52.25, 52.26)


def test_relation_members_without_geometry_fall_back_to_the_centre() -> None:
    payload = {
        "elements": [
            {
                "type": "relation",
                "id": 9,
                "center": {"lat": 52.255, "lon": 6.165},
                "tags": {"amenity": "school"},
                "members": [{"type": "way", "ref": 1, "role": "outer"}],
            }
        ]
    }
    point = osm.parse_overpass_json(payload).frame.geometry.iloc[0]
    assert (point.x, point.y) == (6.165, 52.255)


# --- .osm XML ------------------------------------------------------------------------------------


def test_osm_xml_is_read_with_multipolygons(tmp_path: Path) -> None:
    path = tmp_path / "export.osm"
    shutil.copy(HAND_MADE_OSM, path)
    assert osm_kind(path) == "pbf"  # read by pyosmium, like .osm.pbf
    result = osm.read_osm_pbf(path)
    rows = result.frame.set_index("id")
    assert list(rows.index) == ["osm:node/10", "osm:way/20", "osm:relation/30"]
    park = rows.loc["osm:relation/30"]
    assert (park["type"], park["name"]) == ("park", "Stadspark")
    outline = shapely.from_wkt(park["osm_polygon"])
    assert outline.equals(shapely.box(6.170, 52.260, 6.172, 52.262))
    assert outline.contains(park.geometry)
    # The site relation is no area: it is left out, and a note says so.
    assert any(n.startswith("Left out 1 relation with asset tags") for n in result.notes)
    imported = read_any_assets(path)
    assert imported.frame["footprint"].notna().sum() == 2
