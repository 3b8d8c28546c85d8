"""Real data into the workspace: `asset-map fetch` and `asset-map import`, offline.

PDOK and Overpass are local HTTP servers on 127.0.0.1 serving recorded answers in their
documented formats (tests/data/pdok, tests/data/osm): the ``servers`` fixture of
tests/conftest.py; nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from cli_helpers import run_json
from fake_servers import serve, stop
from storage_helpers import stored_workspace

from asset_map.cli import main
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store

OSM = Path(__file__).parent / "data" / "osm" / "overpass_deventer.json"


def _json(capsys, args: list[str]) -> dict:
    assert main(args) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_fetch_saves_cbs_areas_and_osm_assets(servers, tmp_path, capsys):
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    result = _json(
        capsys,
        [
            "fetch",
            "--gemeente",
            "GM9999",
            "--database",
            url,
            "--json",
            "--pdok-url",
            pdok.base,
            "--overpass-url",
            overpass.url,
        ],
    )
    assert result["name"] == "Lindeveen"
    assert result["areas"] == {"wijk": 2, "buurt": 5}
    assert result["assets_total"] > 0
    assert any(
        "OpenStreetMap" in s["name"] and s["licence"] == "ODbL 1.0" for s in result["sources"]
    )
    assert "9999" in overpass.queries[0]  # the query selects the gemeente by its CBS code
    store = Store(url)
    areas, assets, meta = store.load_workspace()
    assert meta["gemeentecode"] == "GM9999" and not meta["is_demo"]
    assert set(assets["source"]) == {"OpenStreetMap"}
    assert len(areas[areas["level"] == "buurt"]) == 5
    store.close()


def test_failed_download_leaves_the_workspace_as_it_was(servers, tmp_path, capsys):
    pdok, overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    store = Store(url)
    demo = load_workspace(DEMO_DIR)
    store.save_workspace(demo.areas, demo.assets, meta=demo.meta, actor="test")
    version = store.workspace_version()
    store.close()
    overpass.fail = True  # the CBS part succeeds, then OpenStreetMap fails
    code = main(
        [
            "fetch",
            "--gemeente",
            "GM9999",
            "--database",
            url,
            "--pdok-url",
            pdok.base,
            "--overpass-url",
            overpass.url,
        ]
    )
    assert code == 2
    assert "504" in capsys.readouterr().err
    store = Store(url)
    assert store.workspace_version() == version
    _areas, assets, meta = store.load_workspace()
    assert meta["name"] == "Lindeveen" and len(assets) == len(demo.assets)
    store.close()


def test_import_adds_assets_and_merges_duplicates(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "areas.geojson"
    demo.areas.to_file(areas_file)
    first = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(areas_file),
            "--assets",
            str(DEMO_DIR / "assets.geojson"),
            "--source",
            "Gemeente",
            "--database",
            url,
            "--json",
        ],
    )
    assert first["assets_total"] == len(demo.assets) and first["merged_duplicates"] == 0
    # A second source with two of the same places, 5 m away, and one new place.
    extra = demo.assets[demo.assets["type"] == "buurthuis"].head(2).copy()
    extra["id"] = ["wt-1", "wt-2"]
    extra = extra.to_crs(28992)
    extra["geometry"] = extra.geometry.translate(5, 0)
    new = demo.assets[demo.assets["type"] == "park"].head(1).copy().to_crs(28992)
    new["id"], new["name"] = ["wt-3"], ["Nieuw Buurtpark"]
    new["geometry"] = new.geometry.translate(400, 400)
    extra_file = tmp_path / "wijkteam.geojson"
    pd.concat([extra.to_crs(4326), new.to_crs(4326)]).to_file(extra_file)
    second = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(extra_file),
            "--source",
            "Wijkteam",
            "--database",
            url,
            "--json",
        ],
    )
    assert second["merged_duplicates"] == 2
    assert second["assets_total"] == len(demo.assets) + 1
    store = Store(url)
    _areas, assets, meta = store.load_workspace()
    assert (assets["source"].str.contains(r"\+")).sum() == 2  # "Gemeente + Wijkteam"
    # One source entry per layer imported: areas and assets of "Gemeente", then
    # the assets of "Wijkteam".
    assert [(s["name"], s["layer"]) for s in meta["sources"]] == [
        ("Gemeente", "areas"),
        ("Gemeente", "assets"),
        ("Wijkteam", "assets"),
    ]
    store.close()


def test_import_into_an_empty_workspace_needs_areas(tmp_path, capsys):
    code = main(
        [
            "import",
            "--lang",
            "en",
            "--assets",
            str(DEMO_DIR / "assets.geojson"),
            "--database",
            f"sqlite:///{tmp_path / 'ws.sqlite'}",
        ]
    )
    assert code == 2
    assert "Give --areas FILE too" in capsys.readouterr().err


def test_import_reads_osm_exports_by_their_content(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "areas.geojson"
    demo.areas.to_file(areas_file)
    result = _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(areas_file),
            "--assets",
            str(OSM),
            "--database",
            url,
            "--json",
        ],
    )
    assert result["assets_total"] > 0
    assert [s["layer"] for s in result["sources"]] == ["areas", "assets"]
    assert result["sources"][1]["licence"] == "ODbL 1.0"
    assert any("as OpenStreetMap data (overpass)" in n for n in result["notes"])
    turbo = Path(__file__).parent / "data" / "osm" / "turbo_export.geojson"
    again = _json(
        capsys, ["import", "--lang", "en", "--assets", str(turbo), "--database", url, "--json"]
    )
    assert any("(turbo)" in n for n in again["notes"])


def test_map_credits_openstreetmap_when_it_shows_osm_data(tmp_path, capsys):
    out = tmp_path / "kaart.html"
    assert (
        main(
            [
                "map",
                "--areas",
                str(DEMO_DIR / "areas.geojson"),
                "--assets",
                str(OSM),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "OpenStreetMap contributors (ODbL)" in out.read_text()
    plain = tmp_path / "demo.html"
    assert (
        main(
            [
                "map",
                "--areas",
                str(DEMO_DIR / "areas.geojson"),
                "--assets",
                str(DEMO_DIR / "assets.geojson"),
                "--out",
                str(plain),
                "--basemap",
                "none",
            ]
        )
        == 0
    )
    assert "(ODbL)" not in plain.read_text()


def test_osm_outlines_are_kept_in_the_workspace(tmp_path, capsys):
    """Ways and relations become a point inside them; their outline is stored beside it."""
    import shapely

    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    areas_file = tmp_path / "areas.geojson"
    demo.areas.to_file(areas_file)
    turbo = Path(__file__).parent / "data" / "osm" / "turbo_export.geojson"
    _json(
        capsys,
        [
            "import",
            "--lang",
            "en",
            "--areas",
            str(areas_file),
            "--assets",
            str(turbo),
            "--database",
            url,
            "--json",
        ],
    )
    store = Store(url)
    _areas, assets, _meta = store.load_workspace()
    store.close()
    with_outline = assets[assets["footprint"].notna()]
    assert len(with_outline) >= 1
    assert with_outline["id"].str.startswith(("osm:way/", "osm:relation/")).all()
    for _, row in with_outline.iterrows():
        outline = shapely.from_wkt(row["footprint"])
        assert outline.geom_type in {"Polygon", "MultiPolygon"}
        assert outline.covers(row.geometry)  # the point lies inside its outline
    assert assets.loc[assets["id"].str.startswith("osm:node/"), "footprint"].isna().all()


# --- an empty Overpass answer keeps the areas ----------------------------------------------------


class EmptyOverpass(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), EmptyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/interpreter"


class EmptyHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # The gemeente's boundary area and no places; an area element as Overpass outputs one
        # (teritorio/Underpass-API, test/output.rb: {"type":"area","id":36...,"tags":{...}}).
        area = {"type": "area", "id": 3600009999, "tags": {"name": "Lindeveen"}}
        body = json.dumps({"version": 0.6, "elements": [area]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def empty_overpass() -> Iterator[EmptyOverpass]:
    server = EmptyOverpass()
    thread = serve(server)
    yield server
    stop(server, thread)


def test_an_empty_overpass_answer_keeps_the_areas(servers, empty_overpass, tmp_path, capsys):
    pdok, _overpass = servers
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    result = run_json(
        capsys,
        [
            "fetch",
            "--gemeente",
            "GM9999",
            "--lang",
            "en",
            "--database",
            url,
            "--pdok-url",
            pdok.base,
            "--overpass-url",
            empty_overpass.url,
        ],
    )
    assert result["areas"] == {"wijk": 2, "buurt": 5} and result["assets_total"] == 0
    assert (
        "OpenStreetMap gave no places for this gemeente; the wijken and buurten were loaded. "
        "Try again later or import a file."
    ) in result["notes"]
    assert [s["licence"] for s in result["sources"]] == ["CC BY 4.0"]  # no OSM entry
    areas, _assets, _meta = stored_workspace(url)
    assert len(areas) == 7
