"""Follow-up fixes of loading and importing (issue 3, second round), offline.

PDOK and Overpass are the local servers of tests/test_cbs_fetch.py and tests/test_sources.py
(the made-up gemeente Lindeveen, GM9999).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pytest
from test_sources import servers  # noqa: F401  (a fixture)

from asset_map._errors import OverpassError
from asset_map.cli import main
from asset_map.i18n import explain
from asset_map.io._overpass import fetch_overpass
from asset_map.services.figures import add_figures
from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO_AREAS = ROOT / "data" / "demo" / "areas.geojson"


def _stored(url: str):
    store = Store(url)
    try:
        return store.load_workspace()
    finally:
        store.close()


def _other_gemeente(tmp_path: Path) -> Path:
    """Lindeveen's shapes under the codes of GM0150 ("Eigenstad")."""
    areas = gpd.read_file(DEMO_AREAS)
    areas["code"] = areas["code"].str.replace("9999", "0150")
    path = tmp_path / "eigenstad.geojson"
    areas.to_file(path)
    return path


def _own_workspace(tmp_path: Path, capsys) -> str:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    args = [
        "import",
        "--lang",
        "en",
        "--areas",
        str(_other_gemeente(tmp_path)),
        "--source",
        "Eigenstad",
    ]
    assert main([*args, "--database", url]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return url


# --- 5. another gemeente replaces the workspace only with --replace ------------------------


def test_fetch_of_another_gemeente_needs_replace(servers, tmp_path, capsys):  # noqa: F811
    pdok, overpass = servers
    url = _own_workspace(tmp_path, capsys)
    before = _stored(url)[0]
    fetch = ["fetch", "--gemeente", "GM9999", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    assert main(fetch) == 2
    err = capsys.readouterr().err
    # In the CLI's language (its default may be Dutch or English).
    assert (
        "vervangt alle plekken van Eigenstad, ook uw eigen lijsten. Er is niets veranderd." in err
        or "replaces all places of Eigenstad, your own lists too. Nothing changed." in err
    ), err
    assert "asset-map fetch --replace" in err
    assert set(_stored(url)[0]["code"]) == set(before["code"])  # nothing changed
    assert main([*fetch, "--replace", "--json"]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["assets_total"] == 4
    areas, _assets, meta = _stored(url)
    assert meta["gemeentecode"] == "GM9999" and "BU99990101" in set(areas["code"])


def test_import_of_areas_of_another_gemeente_needs_replace(tmp_path, capsys):
    url = _own_workspace(tmp_path, capsys)
    args = ["import", "--lang", "en", "--areas", str(DEMO_AREAS), "--database", url]
    assert main(args) == 2
    assert "asset-map import --replace" in capsys.readouterr().err
    assert "BU01500101" in set(_stored(url)[0]["code"])
    assert main([*args, "--replace"]) == 0, capsys.readouterr().err
    assert "BU99990101" in set(_stored(url)[0]["code"])


def test_fetch_over_the_demo_or_the_same_gemeente_needs_no_replace(
    servers,  # noqa: F811
    tmp_path,
    capsys,
):
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    fetch = ["fetch", "--gemeente", "GM9999", "--database", url]
    fetch += ["--pdok-url", pdok.base, "--overpass-url", overpass.url]
    assert main(fetch) == 0, capsys.readouterr().err
    assert main(fetch) == 0, capsys.readouterr().err


# --- 4. an HTML answer of Overpass is a failed download -------------------------------------


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


# --- 6. year and gemeente name from the file -----------------------------------------------


def test_year_of_reads_columns_codes_and_names():
    import pandas as pd

    from asset_map.io.file_facts import gemeente_name_of, year_in_name, year_of

    assert year_of(pd.DataFrame({"jaar": [2019, 2019]})) == 2019
    assert year_of(pd.DataFrame({"JRSTATCODE": ["2014BU03440101", "2014WK034401"]})) == 2014
    assert year_of(pd.DataFrame({"jaarstatcode": ["2021BU02330000"]}), "x_2019.gpkg") == 2021
    assert year_of(pd.DataFrame({"code": ["BU1"]}), "cbs_buurten_2021_ermelo_GM0233.gpkg") == 2021
    assert year_of(pd.DataFrame({"bev_2016": [1], "inw_2016": [2]})) == 2016
    assert year_of(pd.DataFrame({"bev_2016": [1], "inw_2017": [2]})) is None  # two years
    assert year_in_name("wijken_GM2001.geojson") is None  # a code, not a year
    assert year_in_name("wijken 2014 en 2015.geojson") is None
    assert year_of(pd.DataFrame({"jaar": ["2014", "2015"]}), "kaart_2015.csv") == 2015
    frame = pd.DataFrame(
        {"gemeentecode": ["GM0150", "GM0150", "GM0344"], "GM_NAAM": ["Deventer"] * 2 + ["Utrecht"]}
    )
    assert gemeente_name_of(frame) is None  # two gemeenten
    assert gemeente_name_of(frame, "GM0150") == "Deventer"
    assert gemeente_name_of(pd.DataFrame({"naam": ["x"]})) is None


def test_cli_import_takes_the_year_and_name_from_the_file(tmp_path, capsys):
    areas = gpd.read_file(DEMO_AREAS)
    areas["gemeentenaam"] = "Lindeveen"
    path = tmp_path / "cbs_buurten_2021_lindeveen_GM9999.geojson"
    areas.to_file(path)
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    assert main(["import", "--lang", "en", "--areas", str(path), "--database", url]) == 0, (
        capsys.readouterr().err
    )
    _areas, _assets, meta = _stored(url)
    assert meta["name"] == "Lindeveen"
    assert [s["year"] for s in meta["sources"]] == [2021]
    plain = tmp_path / "wijken.geojson"
    gpd.read_file(DEMO_AREAS).to_file(plain)
    assert main(["import", "--lang", "en", "--areas", str(plain), "--database", url]) == 0
    assert [s["year"] for s in _stored(url)[2]["sources"]] == [None]  # unknown, not this year
    args = ["import", "--lang", "en", "--areas", str(plain), "--year", "2020", "--database", url]
    assert main(args) == 0
    assert [s["year"] for s in _stored(url)[2]["sources"]] == [2020]  # --year wins


# --- 7. one source entry per key figures file ----------------------------------------------


def _demo_loaded():
    from asset_map.services import sources
    from asset_map.services.workspace import DEMO_DIR, load_workspace

    demo = load_workspace(DEMO_DIR)
    return sources.Loaded(demo.areas, demo.assets, {"sources": []})


def test_a_second_figures_file_keeps_the_first_ones_entry(tmp_path):

    first, second = tmp_path / "kwb2019.csv", tmp_path / "kc.csv"
    first.write_text("code;jaar;inhabitants\nBU99990101;2019;100\nBU99990102;2019;200\n")
    second.write_text("code;inhabitants\nBU99990101;150\n")
    once = add_figures(_demo_loaded(), first)
    twice = add_figures(once, second)
    entries = [(s["file"], s["year"]) for s in twice.meta["sources"]]
    assert entries == [("kwb2019.csv", 2019), ("kc.csv", None)]
    again = add_figures(twice, first, year=2020)  # the same file: its entry, updated
    entries = [(s["file"], s["year"]) for s in again.meta["sources"]]
    assert entries == [("kwb2019.csv", 2020), ("kc.csv", None)]
    figures = again.areas.set_index("code")["inhabitants"]
    assert (figures["BU99990101"], figures["BU99990102"]) == (100, 200)


# --- 8. rows of other gemeenten are skipped with one short note -----------------------------


def test_figures_rows_of_other_gemeenten_are_one_short_note(tmp_path):

    path = tmp_path / "kwb2024.csv"
    rows = [f"WK0344{k:02d};{k}" for k in range(1, 11)] + ["BU99990101;10", "BU99999999;5"]
    path.write_text("WijkenEnBuurten;AantalInwoners_5\n" + "\n".join(rows) + "\n")
    notes = add_figures(_demo_loaded(), path).notes
    assert "Skipped 10 rows of kwb2024.csv about other gemeenten." in notes
    assert "No area for 1 row of kwb2024.csv: BU99999999." in notes  # this gemeente: said
    assert not any("WK0344" in n for n in notes)
