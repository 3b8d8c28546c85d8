"""The asset-map command: standalone maps, counts, and clear refusals of bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pytest
from cli_helpers import run_map

from asset_map.cli import main
from asset_map.model import catalogue

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
WIJKEN = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"
FIGURES_2024 = "cbs_kerncijfers/kwb2024_85984NED_wijken_5gemeenten.csv"


def _run_json(capsys, *args: str) -> dict:
    assert main(["map", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_map_counts_match_the_data(tmp_path, capsys):
    out = tmp_path / "kaart.html"
    result = _run_json(
        capsys,
        "--areas",
        str(DEMO / "areas.geojson"),
        "--assets",
        str(DEMO / "assets.geojson"),
        "--talents",
        str(DEMO / "talents.csv"),
        "--out",
        str(out),
        "--basemap",
        "none",
    )
    assets = gpd.read_file(DEMO / "assets.geojson")
    assert result["counts"] == {k: int(v) for k, v in assets["type"].value_counts().items()}
    assert result["assets_total"] == len(assets)
    assert result["outside_areas"] == 0
    html = out.read_text()
    assert "<script src=" not in html  # standalone: Leaflet inlined
    assert "L.markerClusterGroup" in html


def test_table_output_lists_types_in_dutch(tmp_path, capsys):
    out = tmp_path / "kaart.html"
    assert (
        main(
            [
                "map",
                "--areas",
                str(DEMO / "areas.geojson"),
                "--assets",
                str(DEMO / "assets.geojson"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert re.search(r"^Buurthuis\s+\d+$", captured.out, flags=re.M)
    assert re.search(r"^Totaal\s+\d+$", captured.out, flags=re.M)
    assert f"Opgeslagen: {out}" in captured.err


def test_deventer_real_assets_with_figures_and_mapping(tmp_path, capsys, real_file):
    out = tmp_path / "deventer.html"
    result = _run_json(
        capsys,
        "--areas",
        str(real_file(WIJKEN)),
        "--figures",
        str(real_file(FIGURES_2024)),
        "--assets",
        str(real_file(DEVENTER)),
        "--mapping",
        "deventer_wijkteams",
        "--choropleth",
        "inhabitants",
        "--out",
        str(out),
    )
    assert result["assets_total"] == 240
    assert sum(result["counts"].values()) == 240
    assert set(result["counts"]) <= set(catalogue().types)
    assert result["counts"]["buurthuis"] >= 3
    html = out.read_text()
    assert "Voorstad" in html and "Inwoners" in html


BAD_INPUTS = [
    ("broken.geojson", '{"type": "FeatureCollection", "features": [', r"broken\.geojson"),
    ("empty.csv", "", r"empty\.csv.*empty"),
    ("nocoords.csv", "name,type\nA,park\n", r"nocoords\.csv.*(lat|lon|coordinate)"),
    (
        "unknown.csv",
        "name,type,lat,lon\nA,ruimteschip,52.25,6.16\n",
        r"unknown\.csv, row 2, column 'type'.*ruimteschip",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS)
def test_bad_assets_exit_2_with_a_message_and_no_file(tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_text(content)
    out = tmp_path / "kaart.html"
    args = ["--areas", str(DEMO / "areas.geojson"), "--assets", str(bad), "--out", str(out)]
    code = main(["map", *args, "--lang", "en"])  # the messages below are the English ones
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("asset-map: error: ")
    assert re.search(message, err, flags=re.S | re.I), err
    assert not out.exists()
    assert list(tmp_path.glob(".kaart.html*")) == []  # no half-written temporary file


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    code = main(
        [
            "map",
            "--areas",
            str(tmp_path / "nope.geojson"),
            "--assets",
            str(DEMO / "assets.geojson"),
            "--out",
            str(tmp_path / "x.html"),
        ]
    )
    assert code == 2
    assert "nope.geojson" in capsys.readouterr().err


def test_console_script_is_installed(tmp_path):
    exe = shutil.which("asset-map")
    if exe is None:
        pytest.skip("the asset-map script is not on PATH (pip install -e . puts it there)")
    out = tmp_path / "kaart.html"
    proc = subprocess.run(
        [
            exe,
            "map",
            "--areas",
            str(DEMO / "areas.geojson"),
            "--assets",
            str(DEMO / "assets.geojson"),
            "--out",
            str(out),
            "--json",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["assets_total"] > 0
    bad = subprocess.run(
        [exe, "map", "--areas", "x"], capture_output=True, text=True, check=False, timeout=60
    )
    assert bad.returncode == 2 and "--assets" in bad.stderr


def test_gaps_json_on_the_demo(tmp_path, capsys):
    sites_file = tmp_path / "sites.geojson"
    out = tmp_path / "gaps.html"
    assert (
        main(
            [
                "gaps",
                "--areas",
                str(DEMO / "areas.geojson"),
                "--assets",
                str(DEMO / "assets.geojson"),
                "--new-sites",
                "3",
                "--solver",
                "exact",
                "--out-map",
                str(out),
                "--out-sites",
                str(sites_file),
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert 0 < result["covered_before"] < result["covered_after"] <= result["weighted_total"]
    assert result["residents_total"] > result["weighted_total"] > 0
    assert len(result["sites"]) == 3
    gains = [s["newly_covered"] for s in result["sites"]]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert sum(gains) == pytest.approx(result["covered_after"] - result["covered_before"], rel=1e-6)
    for site in result["sites"]:
        assert 3.2 < site["lon"] < 7.3 and 50.7 < site["lat"] < 53.7
    assert any("Bedrijventerrein" in w for w in result["warnings"])
    written = gpd.read_file(sites_file)
    assert len(written) == 3 and written.crs.to_epsg() == 4326
    assert "Voorstel nieuwe plek" in out.read_text()


def test_gaps_rejects_bad_parameters(tmp_path, capsys):
    code = main(
        [
            "gaps",
            "--areas",
            str(DEMO / "areas.geojson"),
            "--assets",
            str(DEMO / "assets.geojson"),
            "--new-sites",
            "50",
        ]
    )
    assert code == 2
    assert "--new-sites" in capsys.readouterr().err


def test_gaps_with_a_street_network_walks_along_the_streets(tmp_path, capsys):
    """Over the hand-made 5 x 5 street lattice (100 m blocks, tests/data/network), walking
    goes around the blocks: with the same 600 m limit it covers less than the straight line
    (detour 1.0), never more."""
    from shapely.geometry import Point, box

    x0, y0 = 200000.0, 470000.0
    areas = gpd.GeoDataFrame(
        {
            "code": ["BU99990101"],
            "name": ["Rooster"],
            "level": ["buurt"],
            "parent_code": ["WK999901"],
            "inhabitants": [1000.0],
            "pct_65_plus": [20.0],
            "households": [500.0],
            "pct_single_households": [40.0],
        },
        geometry=[box(x0, y0, x0 + 400, y0 + 400)],
        crs="EPSG:28992",
    )
    assets = gpd.GeoDataFrame(
        {"name": ["Buurthuis op de hoek"], "type": ["buurthuis"]},
        geometry=[Point(x0, y0)],
        crs="EPSG:28992",
    )
    areas_file, assets_file = tmp_path / "areas.geojson", tmp_path / "assets.geojson"
    areas.to_crs(4326).to_file(areas_file)
    assets.to_crs(4326).to_file(assets_file)
    common = [
        "gaps",
        "--areas",
        str(areas_file),
        "--assets",
        str(assets_file),
        "--walk-min",
        "8",
        "--detour",
        "1.0",
        "--cell-m",
        "50",
        "--need",
        "all",
        "--json",
    ]
    straight = _gaps_json(capsys, common)
    network = _gaps_json(
        capsys, [*common, "--network", str(ROOT / "tests" / "data" / "network" / "walk.osm")]
    )
    assert straight["params"]["max_walk_m"] == 600.0 and network["params"]["network"]
    assert 0 < network["share_before"] < straight["share_before"] <= 1
    # A 50 m cell centre at (x0 + 375, y0 + 375): 530 m in a straight line, 750 m by street.
    assert straight["share_before"] > 0.9


def _gaps_json(capsys, args: list[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_gaps_what_if_and_own_weights(capsys):
    args = [
        "gaps",
        "--areas",
        str(DEMO / "areas.geojson"),
        "--assets",
        str(DEMO / "assets.geojson"),
        "--json",
    ]
    plain = _gaps_json(capsys, args)
    what_if = _gaps_json(capsys, [*args, "--what-if"])
    assert plain["what_if"] is None
    assert what_if["what_if"]["covered_without_planned"] == plain["covered_before"]
    assert what_if["covered_before"] > plain["covered_before"]
    # Only residents aged 65+ count: the same as the 65plus preset.
    own = _gaps_json(capsys, [*args, "--weights", "0,1,0"])
    preset = _gaps_json(capsys, [*args, "--need", "65plus"])
    assert own["weighted_total"] == preset["weighted_total"] < plain["residents_total"]


@pytest.mark.parametrize("weights", ["1,2", "a,b,c", "0,0,0", "-1,1,1"])
def test_gaps_bad_weights_are_refused(capsys, weights):
    code = main(
        [
            "gaps",
            "--areas",
            str(DEMO / "areas.geojson"),
            "--assets",
            str(DEMO / "assets.geojson"),
            f"--weights={weights}",
        ]
    )
    assert code == 2
    assert "weight" in capsys.readouterr().err.lower()


def test_user_add_and_purge(tmp_path, capsys, monkeypatch):
    import io as _io

    from asset_map.storage import Store, TalentSubmission

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setattr("sys.stdin", _io.StringIO("lang-genoeg-wachtwoord\n"))
    assert (
        main(
            [
                "user",
                "add",
                "--username",
                "wim",
                "--role",
                "wijkmanager",
                "--password-stdin",
                "--lang",
                "en",
                "--database",
                url,
            ]
        )
        == 0
    )
    assert "added wijkmanager 'wim'" in capsys.readouterr().err
    store = Store(url)
    assert store.authenticate("wim", "lang-genoeg-wachtwoord").role == "wijkmanager"
    store.submit_talent(
        TalentSubmission(
            nickname="Henk",
            categories=("koken",),
            description="Soep",
            wishes=("teach",),
            availability="maandag",
            buurt_code="BU99990101",
            contact="henk@example.nl",
        )
    )
    store.close()
    # Nothing is older than 30 days yet; with 0 days everything is.
    purge = ["purge", "--lang", "en", "--database", url]
    assert main([*purge, "--older-than-days", "30"]) == 0
    assert "of 0 submissions" in capsys.readouterr().out
    assert main([*purge, "--older-than-days", "0"]) == 0
    assert "of 1 submissions" in capsys.readouterr().out
    store = Store(url)
    row = store.talents().iloc[0]
    assert row["nickname"] is None or row["nickname"] != row["nickname"]
    assert row["buurt_code"] == "BU99990101"
    store.close()


def test_user_add_refuses_a_weak_password(tmp_path, capsys, monkeypatch):
    import io as _io

    monkeypatch.setattr("sys.stdin", _io.StringIO("kort\n"))
    code = main(
        [
            "user",
            "add",
            "--username",
            "wim",
            "--role",
            "admin",
            "--password-stdin",
            "--database",
            f"sqlite:///{tmp_path / 'x.sqlite'}",
        ]
    )
    assert code == 2
    assert "asset-map: error:" in capsys.readouterr().err


# --- --assets-layer picks the layer of a GeoPackage ----------------------------------------------


def test_assets_layer_chooses_the_layer(tiny_files, tiny_assets, tmp_path, capsys):
    gpkg = tmp_path / "plekken.gpkg"
    tiny_assets.iloc[:1].to_file(gpkg, layer="een", driver="GPKG")
    tiny_assets.iloc[1:].to_file(gpkg, layer="twee", driver="GPKG")
    args = ["--areas", str(tiny_files["areas"]), "--assets", str(gpkg), "--json", "--lang", "en"]
    out = str(tmp_path / "m.html")
    first = json.loads(run_map(capsys, *args, "--out", out)[1])
    assert first["counts"] == {"buurthuis": 1}
    assert any("layer" in n for n in first["notes"])  # it says there are more layers
    code, stdout, _ = run_map(capsys, *args, "--out", out, "--assets-layer", "twee")
    assert code == 0
    assert json.loads(stdout)["counts"] == {"speelplek": 1, "winkel": 1}
    code, _, err = run_map(capsys, *args, "--out", out, "--assets-layer", "drie")
    assert code == 2 and "drie" in err
