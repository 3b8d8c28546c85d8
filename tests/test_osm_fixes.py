"""Real data fixes: gemeente aliases, plain Dutch download errors, outlines from OSM, .osm XML.

Offline: the servers are local (tests/test_cbs_fetch.py, tests/test_sources.py) or a closed
port; OSM files are written here.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from test_cbs_fetch import FakePDOK

from asset_map._errors import DownloadError, OverpassError
from asset_map.i18n import explain
from asset_map.io import osm
from asset_map.io._overpass import fetch_overpass
from asset_map.io._pdok import fetch_collection
from asset_map.io.asset_files import osm_kind, read_any_assets
from asset_map.io.cbs import YEARS, GemeenteError, gemeente_code
from asset_map.services.fetch import fetch_gemeente

GEMEENTEN = {
    "GM0150": "Deventer",
    "GM0518": "'s-Gravenhage",
    "GM0796": "'s-Hertogenbosch",
    "GM0373": "Bergen (NH.)",
    "GM0893": "Bergen (L.)",
    "GM1900": "Súdwest-Fryslân",
    "GM0820": "Nuenen, Gerwen en Nederwetten",
    "GM1883": "Sittard-Geleen",
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- gemeente names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Den Haag", "GM0518"),
        ("den  haag", "GM0518"),
        ("The Hague", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("\u2019s-Gravenhage", "GM0518"),  # a typographic apostrophe
        ("s-Gravenhage", "GM0518"),
        ("s Gravenhage", "GM0518"),
        ("sGravenhage", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s-Hertogenbosch", "GM0796"),
        ("Bergen (NH)", "GM0373"),
        ("Bergen (NH.)", "GM0373"),
        ("bergen nh", "GM0373"),
        ("Bergen (L.)", "GM0893"),
        ("Bergen Limburg", "GM0893"),
        ("Sudwest-Fryslan", "GM1900"),
        ("Súdwest Fryslân", "GM1900"),
        ("Nuenen", "GM0820"),
        ("Sittard", "GM1883"),
        ("Deventer", "GM0150"),
    ],
)
def test_gemeente_names_people_use(given: str, code: str) -> None:
    assert gemeente_code(given, gemeenten=GEMEENTEN) == code


def test_a_shared_name_asks_which_one_in_both_languages() -> None:
    with pytest.raises(GemeenteError, match=r"Choose one: Bergen \(NH\.\) / Bergen \(L\.\)") as exc:
        gemeente_code("Bergen", gemeenten=GEMEENTEN)
    assert explain(exc.value, "nl").startswith("Er zijn meer gemeenten met de naam 'Bergen'.")


def test_a_shared_name_is_refused_before_any_download() -> None:
    with pytest.raises(GemeenteError, match="More than one gemeente"):
        gemeente_code("bergen")  # no table given: nothing is downloaded first


def test_unknown_name_suggests_close_ones_in_dutch() -> None:
    with pytest.raises(GemeenteError) as exc:
        gemeente_code("Deventr", gemeenten=GEMEENTEN)
    assert str(exc.value).startswith("Unknown gemeente 'Deventr'. Did you mean: Deventer (GM0150)?")
    dutch = explain(exc.value, "nl")
    assert dutch.startswith("De gemeente 'Deventr' kennen we niet. Bedoelt u: Deventer (GM0150)?")


# --- plain Dutch download errors ---------------------------------------------------------------


def test_pdok_without_connection_is_plain_dutch_with_the_detail_after_it() -> None:
    port = _closed_port()
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


def test_overpass_without_connection_is_plain_dutch() -> None:
    port = _closed_port()
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


# --- years and page progress -------------------------------------------------------------------


def test_years_are_newest_first_and_hold_the_recorded_year() -> None:
    assert list(YEARS) == sorted(YEARS, reverse=True)
    assert 2024 in YEARS


@pytest.fixture
def pdok() -> Iterator[FakePDOK]:
    server = FakePDOK()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


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


# --- Overpass 'out geom' -----------------------------------------------------------------------


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


# --- .osm XML ----------------------------------------------------------------------------------

OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-made test file">
  <node id="1" lat="52.250" lon="6.160" version="1"/>
  <node id="2" lat="52.250" lon="6.162" version="1"/>
  <node id="3" lat="52.252" lon="6.162" version="1"/>
  <node id="4" lat="52.252" lon="6.160" version="1"/>
  <node id="5" lat="52.260" lon="6.170" version="1"/>
  <node id="6" lat="52.260" lon="6.172" version="1"/>
  <node id="7" lat="52.262" lon="6.172" version="1"/>
  <node id="8" lat="52.262" lon="6.170" version="1"/>
  <node id="10" lat="52.2561" lon="6.1602" version="1">
    <tag k="amenity" v="library"/>
    <tag k="name" v="Bibliotheek"/>
  </node>
  <way id="20" version="1">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="leisure" v="playground"/>
  </way>
  <way id="21" version="1">
    <nd ref="5"/><nd ref="6"/><nd ref="7"/>
  </way>
  <way id="22" version="1">
    <nd ref="7"/><nd ref="8"/><nd ref="5"/>
  </way>
  <relation id="30" version="1">
    <member type="way" ref="21" role="outer"/>
    <member type="way" ref="22" role="outer"/>
    <tag k="type" v="multipolygon"/>
    <tag k="leisure" v="park"/>
    <tag k="name" v="Stadspark"/>
  </relation>
  <relation id="31" version="1">
    <member type="node" ref="10" role=""/>
    <tag k="type" v="site"/>
    <tag k="amenity" v="school"/>
  </relation>
</osm>
"""


def test_osm_xml_is_read_with_multipolygons(tmp_path: Path) -> None:
    path = tmp_path / "export.osm"
    path.write_text(OSM_XML)
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
