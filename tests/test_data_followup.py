"""Follow-up fixes of the data screen, run headless with AppTest (issue 3, second round).

Every test starts from the made-up gemeente Lindeveen (the demo's wijken and buurten,
uploaded as the user's own file), then uploads places or key figures. No network.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest
from test_app_data_screen import servers  # noqa: F401 (the fixture: local PDOK and Overpass)

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/data.py"
MANAGER = ("wim", "geheim-wachtwoord-1")
IMPORT = "Toevoegen aan de kaart"
#: A point inside the buurt Oude Kern (BU99990101) of Lindeveen, in RD New.
CENTRE = shapely.Point(5.6157, 52.4932)


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'data.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    store = Store(url)
    store.add_user(*MANAGER, "wijkmanager", actor="test")
    store.close()
    return url


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(MANAGER[0])
    at.text_input(key="login_password").input(MANAGER[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _uploader(at: AppTest, kind: str):
    """The file uploader of ``kind`` (its key gets a new number after each import)."""
    found = [u for u in at.file_uploader if u.key and u.key.startswith(f"data_file_{kind}")]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    return found[0]


def _upload(at: AppTest, kind: str, path: Path) -> AppTest:
    at.radio(key="data_kind@nl").set_value(kind).run()
    _uploader(at, kind).set_value((path.name, path.read_bytes(), "")).run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, label: str) -> AppTest:
    buttons = [b for b in at.button if b.label == label]
    assert buttons, ([b.label for b in at.button], [e.value for e in at.error])
    buttons[0].click().run()
    assert not at.exception, at.exception
    return at


def _with_lindeveen(tmp_path: Path) -> AppTest:
    """Open the data screen with Lindeveen's wijken and buurten imported as an own file."""
    path = tmp_path / "lindeveen.geojson"
    gpd.read_file(ROOT / "data" / "demo" / "areas.geojson").to_file(path)
    at = _click(_upload(_open(), "areas", path), IMPORT)
    assert not at.error, [e.value for e in at.error]
    return at


def _assets(url: str) -> gpd.GeoDataFrame:
    store = Store(url)
    try:
        return store.load_workspace()[1]
    finally:
        store.close()


def _places(path: Path, columns: dict[str, list], n: int) -> Path:
    """Write ``n`` points 200 m apart around the centre of Oude Kern, with ``columns``."""
    centre = gpd.GeoSeries([CENTRE], crs=4326).to_crs(28992).iloc[0]
    points = [shapely.affinity.translate(centre, 200 * (k % 10), 200 * (k // 10)) for k in range(n)]
    frame = gpd.GeoDataFrame(columns, geometry=points, crs=28992).to_crs(4326)
    frame.to_file(path)
    return path


# --- 1. places without a type column -------------------------------------------------------


def test_places_without_a_type_column_all_get_the_chosen_type(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    path = _places(tmp_path / "bibliotheken.geojson", {"naam": ["Bieb A", "Bieb B"]}, 2)
    _upload(at, "assets", path)
    assert at.selectbox(key="data_col_type@nl").value == ""  # no column holds a type
    at.selectbox(key="data_one_type@nl").set_value("bibliotheek").run()
    assert not at.error, [e.value for e in at.error]
    assert 'default = "bibliotheek"' in at.session_state["data_mapping_toml"]
    _click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    assets = _assets(db)
    assert sorted(assets["name"]) == ["Bieb A", "Bieb B"]
    assert set(assets["type"]) == {"bibliotheek"}


# --- 2. more than 60 type values -----------------------------------------------------------


def test_seventy_type_values_are_all_listed_and_imported(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    values = [f"cat{k}" for k in range(70)]
    path = _places(tmp_path / "veel.geojson", {"titel": values, "soortplek": values}, 70)
    _upload(at, "assets", path)
    at.selectbox(key="data_col_name@nl").select("titel").run()
    at.selectbox(key="data_col_type@nl").select("soortplek").run()
    boxes = [b for b in at.selectbox if b.key and b.key.startswith("data_type_") and b.label]
    assert {b.label for b in boxes} >= set(values)  # every value, the last ten too
    at.selectbox(key="data_type_65@nl").set_value("park").run()
    at.selectbox(key="data_type_3@nl").set_value("school").run()
    _click(at, IMPORT)
    assert not at.error, [e.value for e in at.error]
    assets = _assets(db).set_index("name")
    assert len(assets) == 70
    assert assets.loc["cat65", "type"] == "park"
    assert assets.loc["cat3", "type"] == "school"
    assert (assets.drop(index=["cat65", "cat3"])["type"] == "overig").all()


# --- 3. duplicate reasons in Dutch ---------------------------------------------------------


def test_duplicate_reasons_show_in_dutch(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    centre = gpd.GeoSeries([CENTRE], crs=4326).to_crs(28992).iloc[0]
    twice = gpd.GeoDataFrame(
        {"naam": ["Buurthuis De Linde", "Buurthuis de Linde"], "soort": ["buurthuis"] * 2},
        geometry=[centre, shapely.affinity.translate(centre, 3, 0)],
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / "wijkteam.geojson"
    twice.to_file(path)
    _click(_upload(at, "assets", path), IMPORT)
    tables = [d.value for d in at.dataframe if "Waarom" in d.value.columns]
    assert tables, "no table of duplicate decisions"
    reason = str(tables[0]["Waarom"].iloc[0])
    assert reason.startswith("zelfde bron (wijkteam), 3 m uit elkaar"), reason
    assert "same source" not in reason
    assert at.success[0].value == "2 rijen toegevoegd."


# --- 4. messages of files in Dutch ---------------------------------------------------------


def test_broken_json_and_an_empty_csv_are_explained_in_dutch(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    broken = tmp_path / "kapot.geojson"
    broken.write_text('{"type": "FeatureCollection",\n "features": [}')
    _upload(at, "assets", broken)
    assert at.error and "kapot.geojson: het bestand is kapot op regel 2" in at.error[0].value
    empty = tmp_path / "leeg.csv"
    empty.write_text("naam;x;y\n")
    _upload(at, "assets", empty)
    assert at.error and "leeg.csv: het bestand heeft kopjes, maar geen rijen" in at.error[0].value
    assert "header" not in at.error[0].value


def test_key_figures_of_another_gemeente_are_explained_in_dutch(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    path = tmp_path / "kwb.csv"
    path.write_text("WijkenEnBuurten;AantalInwoners_5\nBU03440101;100\n")
    _upload(at, "figures", path)
    _click(at, "Cijfers toevoegen")
    assert at.error, "no error for figures that match no area"
    assert "geen enkele code in de cijfers (1) hoort bij" in at.error[0].value
    assert "BU03440101" in at.error[0].value


def test_the_cbs_2014_columns_are_recognised_in_dutch(db, tmp_path):
    areas = gpd.read_file(ROOT / "data" / "demo" / "areas.geojson")
    areas = areas[areas["level"] == "buurt"][["code", "name", "geometry"]]
    path = tmp_path / "buurten_2014.geojson"
    areas.rename(columns={"code": "statcode", "name": "statnaam"}).to_file(path)
    at = _upload(_open(), "areas", path)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("De kolommen van CBS gebiedsindeling 2014") for c in captions), captions
    assert not any("Recognised" in c for c in captions)


def test_the_mapping_toml_of_a_type_column_names_a_default(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    path = _places(tmp_path / "twee.geojson", {"naam": ["A", "B"], "soort": ["park", ""]}, 2)
    _upload(at, "assets", path)
    toml = at.session_state["data_mapping_toml"]
    assert '[assets.type]\nfrom = ["soort"]\ndefault = "overig"' in toml
    assert json.dumps("park") + ' = "park"' in toml


# --- 5. another gemeente replaces the workspace only after a yes ---------------------------


def _load(at: AppTest, gemeente: str) -> AppTest:
    at.text_input(key="data_gm").input(gemeente)
    at.selectbox(key="data_year").select(2024)
    return _click(at, "Laden")


def test_loading_another_gemeente_asks_first_and_keeps_own_places_until_then(
    db,
    servers,  # noqa: F811
    tmp_path,
):
    # The user's own gemeente: Lindeveen's shapes under the codes of GM0150, one own place.
    areas = gpd.read_file(ROOT / "data" / "demo" / "areas.geojson")
    areas["code"] = areas["code"].str.replace("9999", "0150")
    areas["name"] = areas["name"].str.replace("Lindeveen", "Eigenstad")
    path = tmp_path / "eigenstad.geojson"
    areas.to_file(path)
    at = _click(_upload(_open(), "areas", path), IMPORT)
    own = _places(tmp_path / "eigen.geojson", {"naam": ["Onze plek"], "soort": ["park"]}, 1)
    _click(_upload(at, "assets", own), IMPORT)
    assert list(_assets(db)["name"]) == ["Onze plek"]
    _load(at, "GM9999")
    assert not at.success, at.success[0].value
    assert "Lindeveen is een andere gemeente" in at.warning[0].value
    sure = at.checkbox(key="data_replace_ok")
    assert sure.label.startswith("Dit vervangt alle plekken van")
    assert at.button(key="data_replace_go").disabled
    assert list(_assets(db)["name"]) == ["Onze plek"]  # nothing saved yet
    sure.check().run()
    _click(at, "Lindeveen laden")
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    assert "Onze plek" not in set(_assets(db)["name"])


def test_loading_the_same_gemeente_or_over_the_demo_asks_nothing(db, servers):  # noqa: F811
    at = _load(_open(), "GM9999")  # over the demo
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    _load(at, "GM9999")  # the same gemeente again
    assert at.success[0].value == "Lindeveen is geladen, met 4 plekken."
    assert not [c for c in at.checkbox if c.key == "data_replace_ok"]


# --- 6. the year and the gemeente come from the file ---------------------------------------


def _meta(url: str) -> dict:
    store = Store(url)
    try:
        return store.load_workspace()[2]
    finally:
        store.close()


def test_year_and_gemeente_name_come_from_the_file(db, tmp_path):
    areas = gpd.read_file(ROOT / "data" / "demo" / "areas.geojson")
    areas["gemeentenaam"] = "Lindeveen"
    path = tmp_path / "cbs_wijken_2014_GM9999.geojson"
    areas.to_file(path)
    at = _upload(_open(), "areas", path)
    assert at.number_input(key="data_source_year").value == 2014
    _click(at, IMPORT)
    meta = _meta(db)
    assert meta["name"] == "Lindeveen"  # not the file's name
    assert [(s["name"], s["year"]) for s in meta["sources"]] == [("cbs_wijken_2014_GM9999", 2014)]
    years = next(d.value for d in at.dataframe if "Jaar" in d.value.columns)["Jaar"]
    assert list(years) == ["2014"]


def test_a_file_without_a_year_shows_unknown(db, tmp_path):
    at = _with_lindeveen(tmp_path)  # lindeveen.geojson: no year in name or columns
    assert _meta(db)["sources"][0]["year"] is None
    years = next(d.value for d in at.dataframe if "Jaar" in d.value.columns)["Jaar"]
    assert list(years) == ["onbekend"]


# --- 9. result messages --------------------------------------------------------------------


def test_the_same_file_again_says_replaced(db, tmp_path):
    at = _with_lindeveen(tmp_path)
    path = _places(tmp_path / "lijst.geojson", {"naam": ["A", "B", "C"], "soort": ["park"] * 3}, 3)
    _click(_upload(at, "assets", path), IMPORT)
    assert at.success[0].value == "3 rijen toegevoegd."
    _click(_upload(at, "assets", path), IMPORT)
    assert at.success[0].value == "3 rijen ingelezen. Ze vervangen 3 rijen uit dezelfde bron."
    assert len(_assets(db)) == 3


def test_an_osm_xml_file_is_called_xml(db, tmp_path):
    from test_osm_fixes import OSM_XML

    at = _with_lindeveen(tmp_path)
    path = tmp_path / "export.osm"
    path.write_text(OSM_XML)
    _upload(at, "assets", path)
    captions = [c.value for c in at.caption]
    assert "export.osm is gelezen als OpenStreetMap-bestand (xml)." in captions, captions
    assert not any("pbf" in c for c in captions)


# --- 10. uploads are private and deleted ---------------------------------------------------


def test_an_upload_is_private_and_deleted_after_the_import_or_another_file(db, tmp_path):
    import stat

    at = _with_lindeveen(tmp_path)
    first = _places(tmp_path / "een.geojson", {"naam": ["A"], "soort": ["park"]}, 1)
    second = _places(tmp_path / "twee.geojson", {"naam": ["B"], "soort": ["park"]}, 1)
    _upload(at, "assets", first)
    kept = Path(at.session_state["data_upload"]["path"])
    assert kept.read_bytes() == first.read_bytes()
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    _upload(at, "assets", second)  # another file: the first is gone
    assert not kept.parent.exists()
    kept = Path(at.session_state["data_upload"]["path"])
    assert kept.name == "twee.geojson"
    _click(at, IMPORT)
    assert not kept.parent.exists()  # imported: gone too
    assert "data_upload" not in at.session_state
    assert _uploader(at, "assets").value is None  # and the uploader is empty again
