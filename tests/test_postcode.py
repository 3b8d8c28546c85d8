"""Postcode lookup: parsing offline, fetching from a local HTTP server (never the internet)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from asset_map._errors import SchemaError
from asset_map.io.postcode import (
    PostcodeError,
    check_postcodes,
    local_lookup,
    lookup,
    normalise,
    normalise_local,
    parse_answer,
    query_url,
    read_postcodes,
)

DATA = Path(__file__).parent / "data" / "pdok"
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.mark.parametrize(
    ("postcode", "number", "expected"),
    [("7411ab", "12", ("7411AB", "12")), (" 7411 AB ", "12a", ("7411AB", "12"))],
)
def test_normalise_good(postcode, number, expected):
    assert normalise(postcode, number) == expected


@pytest.mark.parametrize(
    ("postcode", "number", "match"),
    [
        ("0411AB", "1", "not a Dutch postcode"),
        ("7411", "1", "not a Dutch postcode"),
        ("7411AB", "", "not a house number"),
        ("7411AB", "twaalf", "not a house number"),
    ],
)
def test_normalise_bad(postcode, number, match):
    with pytest.raises(PostcodeError, match=match):
        normalise(postcode, number)


def test_query_asks_for_one_address():
    url = urlparse(query_url("7411 ab", "12"))
    params = parse_qs(url.query)
    assert params["q"] == ["postcode:7411AB and huisnummer:12"]
    assert params["fq"] == ["type:adres"] and params["rows"] == ["1"]


def test_parse_recorded_answer():
    address = parse_answer((DATA / "locatieserver_adres.json").read_bytes())
    assert address is not None
    assert address.buurt_code == "BU99990101" and address.gemeente_code == "GM9999"
    assert address.lon == pytest.approx(5.615679) and address.lat == pytest.approx(52.493181)
    assert parse_answer((DATA / "locatieserver_empty.json").read_bytes()) is None
    with pytest.raises(PostcodeError, match="cannot read"):
        parse_answer(b"<html>maintenance</html>")


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlparse(self.path).query)["q"][0]
            name = "locatieserver_adres.json" if "9999AA" in query else "locatieserver_empty.json"
            body = (DATA / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/free"
    httpd.shutdown()
    httpd.server_close()


def test_lookup_over_http(server):
    address = lookup("9999 aa", "12", base_url=server)
    assert address.buurt_code == "BU99990101"
    with pytest.raises(PostcodeError, match="No address found for 1234AB 5"):
        lookup("1234AB", "5", base_url=server)


def test_no_connection_says_what_to_do():
    with pytest.raises(PostcodeError, match=r"cannot be reached.*Choose your buurt"):
        lookup("1234AB", "5", base_url="http://127.0.0.1:9/free")


# --- the local postcode table ---------------------------------------------------------------

TABLE = pd.DataFrame(
    {
        "postcode": ["0101AA", "0101 ab", "7411AB"],
        "lon": ["5.0", "5.2", "6.16"],
        "lat": ["52.0", "52.2", "52.25"],
        "buurt_code": ["BU1", "BU1", "BU2"],
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0101aa", "0101AA"), (" 0101 AA ", "0101AA"), ("7411", "7411"), ("7411 ab", "7411AB")],
)
def test_normalise_local_allows_made_up_postcodes(text, expected):
    assert normalise_local(text) == expected


@pytest.mark.parametrize("text", ["", "741", "7411ABC", "74 11AB", "AB7411"])
def test_normalise_local_refuses_what_is_no_postcode(text):
    with pytest.raises(PostcodeError, match="is not a postcode"):
        normalise_local(text)


def test_local_lookup_pc6_pc4_and_absent():
    assert local_lookup("7411 ab", TABLE) == (6.16, 52.25)
    assert local_lookup("0101AB", TABLE) == (5.2, 52.2)  # the table's own spacing is fine too
    lon, lat = local_lookup("0101", TABLE)  # PC4: the mean of its postcodes
    assert (lon, lat) == pytest.approx((5.1, 52.1))
    assert local_lookup("0101ZZ", TABLE) is None
    assert local_lookup("1234", TABLE) is None
    with pytest.raises(PostcodeError):
        local_lookup("hallo", TABLE)


def test_read_the_demo_table_keeps_the_leading_zero():
    table = read_postcodes(DEMO / "postcodes.csv")
    assert table["postcode"].str.startswith("0").all()
    assert table["lon"].dtype == float and len(table) == 60
    lon, lat = local_lookup("0101 AA", table)
    assert 5.5 < lon < 5.7 and 52.4 < lat < 52.6  # the demo town in Flevoland


def test_check_postcodes_names_the_bad_rows():
    bad = TABLE.assign(postcode=["0101AA", "12AB", "7411AB"], lat=["52", "52", "north"])
    with pytest.raises(SchemaError, match=r"row 3, column 'postcode'.*row 4, columns 'lon'/'lat'"):
        check_postcodes(bad, where="pc.csv")
    with pytest.raises(SchemaError, match=r"pc\.csv: column.*lat missing"):
        check_postcodes(TABLE.drop(columns="lat"), where="pc.csv")
