"""The data screen, run headless with AppTest: load a gemeente, upload a file, see the result.

PDOK and Overpass are the local servers of tests/fake_servers.py (the ``servers`` fixture:
recorded answers for the made-up gemeente Lindeveen, GM9999, and OpenStreetMap places around
Deventer), reached through ``ASSET_MAP_PDOK_URL`` and ``ASSET_MAP_OVERPASS_URL``; nothing
leaves the machine.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from app_helpers import DEMO
from data_screen import HAND_MADE_OSM, IMPORT, click, open_data_screen, places, upload
from storage_helpers import stored_workspace
from streamlit.testing.v1 import AppTest

from asset_map.settings import PDOK_URL_ENV
from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
OSM_CREDIT = "OpenStreetMap contributors (ODbL)"
#: The places of tests/data/osm/overpass_deventer.json (the bus stop matches no type).
OSM_TYPES = {"Buurthuis": 1, "Speelplek": 1, "Park of groen": 1, "School": 1}
#: What a load says when OpenStreetMap's places are on the map already and did not change.
COMPARED = (
    "Deze bron stond al op de kaart: er is niets vervangen. Te bekijken onder 'Wijzigingen "
    "uit de bronnen bekijken': 0 nieuw, 0 weg, 0 veranderd."
)


def _load(at: AppTest, gemeente: str, *, year: int = 2024) -> AppTest:
    at.text_input(key="data_gm").input(gemeente)
    at.selectbox(key="data_year").select(year)
    next(b for b in at.button if b.label == "Laden").click().run()
    assert not at.exception, at.exception
    return at


def _version(url: str) -> str:
    store = Store(url)
    try:
        return store.workspace_version()
    finally:
        store.close()


def _counts(at: AppTest):
    """The table under 'Wat is er geladen?': places per source (rows) and type (columns)."""
    tables = [d.value for d in at.dataframe if d.value.index.name == "Bron"]
    assert tables, "no table of places per source and type"
    return tables[0]


def _table_with(at: AppTest, column: str):
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with a column '{column}'"
    return tables[0]


# --- no internet ---------------------------------------------------------------------------


def test_no_internet_says_so_in_dutch_and_changes_nothing(db, monkeypatch, closed_port):
    port = closed_port
    monkeypatch.setenv(PDOK_URL_ENV, f"http://127.0.0.1:{port}/cbs/wijken-en-buurten-{{year}}")
    at = open_data_screen()
    before = _version(db)
    _load(at, "GM9999")
    assert len(at.error) == 1
    message = at.error[0].value
    assert "Het ophalen van de wijken en buurten (CBS/PDOK) is niet gelukt." in message
    assert "internetverbinding" in message and "Er is niets veranderd." in message
    for english in ("could not", "reach", "server (", "http", "Errno", "no internet"):
        assert english not in message  # no English technical text in the Dutch message
    # The technical detail is there, folded away.
    detail = " ".join(t.value for t in at.expander[0].text)
    assert f"127.0.0.1:{port}" in detail and "could not reach the server" in detail
    assert _version(db) == before
    assert not at.success


def test_the_year_list_is_pdoks_newest_first(db):
    from asset_map.io.cbs import YEARS

    at = open_data_screen()
    box = at.selectbox(key="data_year")
    assert box.options == [str(y) for y in YEARS] and box.value == max(YEARS)
    assert tuple(sorted(YEARS, reverse=True)) == YEARS


# --- a load, and what the screen shows after it --------------------------------------------


def test_load_shows_counts_per_source_and_type_and_the_licences(db, servers):
    at = open_data_screen()
    demo_counts = _counts(at)
    assert "OpenStreetMap" not in demo_counts.index
    _load(at, "Lindeveen")
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    # After the load the page ran again: the counts are those of the new workspace.
    counts = _counts(at)
    assert list(counts.index) == ["OpenStreetMap"]
    assert counts.loc["OpenStreetMap"].to_dict() == OSM_TYPES
    licences = _table_with(at, "Licentie").set_index("Bron")
    assert licences.loc["CBS/Kadaster wijk- en buurtkaart 2024 (PDOK)", "Licentie"] == "CC BY 4.0"
    assert licences.loc["© OpenStreetMap contributors (ODbL)", "Licentie"] == "ODbL 1.0"
    # The demo was replaced whole, and the notes say so.
    notes = " ".join(t.value for e in at.expander for t in e.text)
    assert "Lindeveen" in notes
    assert "Er is 1 element uit OpenStreetMap overgeslagen." in notes  # node/1003, in Dutch
    assert "Opgehaald bij PDOK (CBS wijk- en buurtkaart 2024)" in notes


def test_the_map_credits_openstreetmap_after_a_fetch(db, servers):
    at = open_data_screen()
    _load(at, "GM9999")
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception, at.exception
    args = json.dumps([json.loads(c.proto.json_args) for c in at.get("component_instance")])
    assert OSM_CREDIT in args


def test_upload_shows_the_duplicate_decisions_and_a_reload_keeps_own_places(db, servers, tmp_path):
    at = open_data_screen()
    _load(at, "GM9999")
    # A wijkteam's list: the OSM community centre again, 5 m away, and a new place.
    store = Store(db)
    _areas, assets, _meta = store.load_workspace()
    store.close()
    centre = assets[assets["name"] == "Buurthuis De Hoven"].to_crs(28992)
    moved = shapely.affinity.translate(centre.geometry.iloc[0], 5, 0)
    new_place = shapely.affinity.translate(centre.geometry.iloc[0], 600, 600)
    own = gpd.GeoDataFrame(
        {
            "naam": ["Buurthuis De Hoven", "Huiskamer Oost"],
            "soort": ["buurthuis", "buurthuis"],
            "geometry": [moved, new_place],
        },
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / "wijkteam.geojson"
    own.to_file(path)
    at.file_uploader(key="data_file_assets").set_value(
        ("wijkteam.geojson", path.read_bytes(), "application/geo+json")
    ).run()
    assert not at.exception, at.exception
    at.text_input(key="data_source").input("Wijkteam").run()
    next(b for b in at.button if b.label == "Toevoegen aan de kaart").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "2 rijen toegevoegd. 1 dubbele plek samengevoegd."
    decisions = _table_with(at, "Besluit")
    merged = decisions[decisions["Besluit"] == "samengevoegd"]
    assert len(merged) == 1
    assert set(merged.iloc[0][["Plek", "Lijkt op"]]) == {"Buurthuis De Hoven"}
    assert merged.iloc[0]["Afstand (m)"] == "5"  # whole metres
    counts = _counts(at)
    assert counts.to_numpy().sum() == 5  # 4 from OSM, one merged, one new
    # Loading the same gemeente again compares the OSM places, and keeps the wijkteam's.
    _load(at, "GM9999")
    assert at.success[0].value == f"Lindeveen is geladen, met 4 plekken. {COMPARED}"
    store = Store(db)
    _areas, assets, _meta = store.load_workspace()
    store.close()
    assert "Huiskamer Oost" in set(assets["name"])
    assert len(assets) == 5


# --- uploads: layer, gemeente, CRS, key figures, OSM files -----------------------------------


def _demo_areas() -> gpd.GeoDataFrame:
    return gpd.read_file(ROOT / "data" / "demo" / "areas.geojson")


def _upload(at: AppTest, kind: str, path: Path) -> AppTest:
    labels = {"assets": "Plekken", "areas": "Wijken en buurten", "figures": "Kerncijfers"}
    at.radio(key="data_kind@nl").set_value(kind).run()
    assert labels[kind] in at.radio(key="data_kind@nl").format_func(kind)
    at.file_uploader(key=f"data_file_{kind}").set_value((path.name, path.read_bytes(), "")).run()
    assert not at.exception, at.exception
    return at


def _preview_rows(at: AppTest) -> int:
    texts = [m.value for m in at.markdown if "Voorbeeld:" in m.value]
    assert texts, [e.value for e in at.error]
    return int(texts[0].split("Voorbeeld: ")[1].split(" ")[0])


def test_area_upload_offers_the_layers_of_a_geopackage_and_a_gemeente_filter(db, tmp_path):
    areas = _demo_areas()
    path = tmp_path / "kaart.gpkg"
    for level in ("wijk", "buurt"):
        areas[areas["level"] == level].to_file(path, layer=f"{level}en", driver="GPKG")
    at = _upload(open_data_screen(), "areas", path)
    layer = at.selectbox(key="data_layer@nl")
    assert layer.options[1:] == ["wijken", "buurten"]
    both = int(areas["level"].isin(["wijk", "buurt"]).sum())
    assert _preview_rows(at) == both  # both layers, found by their names
    layer.select("buurten").run()
    assert _preview_rows(at) == int((areas["level"] == "buurt").sum())
    at.text_input(key="data_area_gm").input("GM9999").run()
    assert _preview_rows(at) == int((areas["level"] == "buurt").sum())
    at.text_input(key="data_area_gm").input("GM0150").run()
    assert not [m for m in at.markdown if "Voorbeeld:" in m.value]
    assert at.error and "GM0150" in at.error[0].value


def test_area_upload_asks_the_crs_of_a_shapefile_without_one(db, tmp_path):
    import zipfile

    areas = _demo_areas()
    folder = tmp_path / "shp"
    folder.mkdir()
    areas = areas[["code", "name", "level", "geometry"]]  # names a Shapefile keeps whole
    areas.to_crs(28992).to_file(folder / "buurten.shp")
    (folder / "buurten.prj").unlink()
    path = tmp_path / "buurten.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    at = _upload(open_data_screen(), "areas", path)
    crs = at.selectbox(key="data_crs@nl")
    assert crs.value == "EPSG:28992"
    assert _preview_rows(at) == len(areas)
    next(b for b in at.button if b.label == "Toevoegen aan de kaart").click().run()
    assert not at.exception, at.exception
    store = Store(db)
    stored, _assets, _meta = store.load_workspace()
    store.close()
    # Read as RD New, stored in WGS 84: the demo's own coordinates come back.
    assert stored.total_bounds == pytest.approx(areas.total_bounds, abs=1e-6)


def test_key_figures_csv_is_joined_onto_the_stored_areas(db, tmp_path):
    areas = _demo_areas()
    buurt = areas[areas["level"] == "buurt"].iloc[0]
    path = tmp_path / "kerncijfers.csv"
    path.write_text(f"WijkenEnBuurten;AantalInwoners_5\n{buurt['code']}  ;4321\n")
    at = _upload(open_data_screen(), "figures", path)
    at.number_input(key="data_figures_year").set_value(2024).run()
    next(b for b in at.button if b.label == "Cijfers toevoegen").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "De kerncijfers uit kerncijfers.csv zijn toegevoegd."
    store = Store(db)
    stored, _assets, meta = store.load_workspace()
    store.close()
    assert stored.set_index("code").loc[buurt["code"], "inhabitants"] == 4321
    assert any(s.get("year") == 2024 and "Kerncijfers" in s["name"] for s in meta["sources"])


def test_source_year_of_an_upload_is_empty_when_the_file_does_not_say(db, tmp_path):
    path = tmp_path / "wijken.geojson"
    _demo_areas().to_file(path)
    at = _upload(open_data_screen(), "areas", path)
    assert at.number_input(key="data_source_year").value is None  # shown as "onbekend"
    assert not [box for box in at.selectbox if box.key == "data_crs"]  # GeoJSON is WGS 84


def test_an_osm_xml_file_is_read_as_openstreetmap(db, servers, tmp_path):
    at = open_data_screen()
    _load(at, "GM9999")
    path = tmp_path / "export.osm"
    shutil.copy(HAND_MADE_OSM, path)
    _upload(at, "assets", path)
    assert any("OpenStreetMap" in i.value for i in at.info)
    assert _preview_rows(at) == 3


# --- another gemeente replaces the workspace only after a yes ------------------------------------


def test_loading_another_gemeente_asks_first_and_keeps_own_places_until_then(
    db,
    servers,
    tmp_path,
):
    # The user's own gemeente: Lindeveen's shapes under the codes of GM0150, one own place.
    areas = gpd.read_file(DEMO / "areas.geojson")
    areas["code"] = areas["code"].str.replace("9999", "0150")
    areas["name"] = areas["name"].str.replace("Lindeveen", "Eigenstad")
    path = tmp_path / "eigenstad.geojson"
    areas.to_file(path)
    at = click(upload(open_data_screen(), "areas", path), IMPORT)
    own = places(tmp_path / "eigen.geojson", {"naam": ["Onze plek"], "soort": ["park"]}, 1)
    click(upload(at, "assets", own), IMPORT)
    assert list(stored_workspace(db)[1]["name"]) == ["Onze plek"]
    _load(at, "GM9999")
    assert not at.success, at.success[0].value
    assert "Lindeveen is een andere gemeente" in at.warning[0].value
    sure = at.checkbox(key="data_replace_ok")
    assert sure.label.startswith("Dit vervangt alle plekken van")
    assert at.button(key="data_replace_go").disabled
    assert list(stored_workspace(db)[1]["name"]) == ["Onze plek"]  # nothing saved yet
    sure.check().run()
    click(at, "Lindeveen laden")
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    assert "Onze plek" not in set(stored_workspace(db)[1]["name"])


def test_loading_the_same_gemeente_or_over_the_demo_asks_nothing(db, servers):
    at = _load(open_data_screen(), "GM9999")  # over the demo
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    _load(at, "GM9999")  # the same gemeente again: its places compared, nothing replaced
    assert at.success[0].value == f"Lindeveen is geladen, met 4 plekken. {COMPARED}"
    assert not [c for c in at.checkbox if c.key == "data_replace_ok"]
