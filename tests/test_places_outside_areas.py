"""Places outside every wijk and buurt: counted, and said in the CLI and on the map page.

A place in a wijk of a file without buurten is not outside. Real files: Deventer's wijkteam
map and the CBS 2014 wijken (../shared/data/real, see PROVENANCE.md).
"""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import pandas as pd
from app_helpers import DEMO, open_app
from cli_helpers import run_map
from shapely.geometry import Point

DEVENTER = "deventer_wijkteams/deventer_wijkteam_assets.geojson"
WIJKEN_2014 = "cbs_2014/cbs_wijken_2014_5gemeenten.geojson"


def test_places_in_a_wijk_of_a_wijken_only_file_are_not_outside(real_file, tmp_path, capsys):
    wijken, assets = real_file(WIJKEN_2014), real_file(DEVENTER)
    # Known answer, apart from the code under test: the points inside some wijk polygon.
    points = gpd.read_file(assets)
    polygons = gpd.read_file(wijken).to_crs(points.crs)
    inside = gpd.sjoin(points, polygons.assign(geometry=polygons.make_valid()), how="inner")
    expected_outside = len(points) - inside.index.nunique()
    assert expected_outside < len(points) / 2  # the file does hold Deventer's wijken

    args = ["--areas", str(wijken), "--assets", str(assets), "--mapping", "deventer_wijkteams"]
    code, out, _ = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["areas"] == {"wijk": 99, "buurt": 0}
    assert result["outside_areas"] == expected_outside


def test_places_far_from_every_area_are_reported_in_text_and_json(real_file, tmp_path, capsys):
    assets = real_file(DEVENTER)
    demo_areas = str(DEMO / "areas.geojson")  # the fictional Lindeveen, not Deventer
    args = ["--areas", demo_areas, "--assets", str(assets), "--mapping", "deventer_wijkteams"]
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"), "--lang", "en")
    assert code == 0
    assert "240 of 240 places lie outside every wijk and buurt of the areas file" in err
    assert "is it the right gemeente?" in err
    code, _, err = run_map(capsys, *args, "--out", str(tmp_path / "m.html"))
    assert "240 van de 240 plekken liggen buiten elke wijk en buurt" in err  # Dutch by default
    code, out, _ = run_map(
        capsys, *args, "--out", str(tmp_path / "m.html"), "--json", "--lang", "en"
    )
    result = json.loads(out)
    assert result["outside_areas"] == 240
    assert any("240 of 240 places" in note for note in result["notes"])


def test_the_app_does_not_call_places_in_a_wijk_outside(tmp_path, monkeypatch):
    folder = tmp_path / "wijken_only"
    shutil.copytree(DEMO, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    wijken = areas[areas["level"] == "wijk"]
    wijken.to_file(folder / "areas.geojson", driver="GeoJSON")
    assets = gpd.read_file(folder / "assets.geojson")
    far = assets.iloc[[0]].assign(id="far-away", geometry=[Point(5.0, 53.3)])  # Wadden Sea
    both = gpd.GeoDataFrame(pd.concat([assets, far], ignore_index=True), crs=assets.crs)
    both.to_file(folder / "assets.geojson", driver="GeoJSON")
    monkeypatch.setenv("ASSET_MAP_DATA_DIR", str(folder))
    at = open_app()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption if "buiten elke wijk en buurt" in c.value]
    assert captions == ["1 plek ligt buiten elke wijk en buurt van deze kaart."]
