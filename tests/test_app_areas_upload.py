"""The areas upload of the Gegevens screen, run headless with AppTest.

Wijken and buurten are uploaded together or one after the other; the stored level that fits
stays, one that does not is removed only after a yes; a table shows what is stored per
level. Real files: Deventer's CBS 2014 wijken and buurten (15 and 68), see
tests/test_import_two_levels.py. No network.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from app_helpers import DEMO
from data_screen import IMPORT, click, open_data_screen, upload, with_lindeveen
from storage_helpers import stored_workspace
from streamlit.testing.v1 import AppTest
from test_import_two_levels import WIJKEN_5, deventer  # noqa: F401 (a fixture)

from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]


def _open() -> AppTest:
    at = open_data_screen()
    at.radio(key="data_kind@nl").set_value("areas").run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, *paths: Path) -> AppTest:
    """Put the files into the areas uploader (its key gets a number after each import)."""
    found = [u for u in at.file_uploader if u.key and u.key.startswith("data_file_areas")]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    assert found[0].accept_multiple_files
    found[0].set_value([(p.name, p.read_bytes(), "application/geo+json") for p in paths]).run()
    assert not at.exception, at.exception
    return at


def _import_button(at: AppTest):
    buttons = [b for b in at.button if b.label == IMPORT]
    assert buttons, ([b.label for b in at.button], [e.value for e in at.error])
    return buttons[0]


def _import(at: AppTest) -> AppTest:
    _import_button(at).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _stored_table(at: AppTest) -> dict[str, int]:
    """The table 'Nu op de kaart': number of areas per level, as the screen shows them."""
    tables = [d.value for d in at.dataframe if "Niveau" in d.value.columns]
    assert tables, "no table of what is stored per level"
    return dict(zip(tables[0]["Niveau"], tables[0]["Aantal"], strict=True))


def _stored(url: str) -> tuple[dict[str, int], dict]:
    store = Store(url)
    try:
        areas, _assets, meta = store.load_workspace()
    finally:
        store.close()
    return {k: int(v) for k, v in areas["level"].value_counts().items()}, meta


def test_wijken_then_buurten_are_both_stored(db, deventer):  # noqa: F811
    wijken, buurten = deventer
    at = _import(_upload(_open(), wijken))
    assert _stored(db)[0] == {"wijk": 15}
    assert _stored_table(at) == {"wijken": 15}
    at = _import(_upload(at, buurten))
    assert at.success[0].value == (
        "68 rijen toegevoegd. Wijken en buurten: 15 wijken bewaard, 68 buurten toegevoegd."
    )
    assert _stored(db)[0] == {"wijk": 15, "buurt": 68}
    assert _stored_table(at) == {"wijken": 15, "buurten": 68}
    table = next(d.value for d in at.dataframe if "Niveau" in d.value.columns)
    sources = table["Bron (jaar)"]
    assert list(sources) == ["wijken (onbekend)", "buurten (onbekend)"]


def test_wijken_and_buurten_together_in_one_upload(db, deventer):  # noqa: F811
    wijken, buurten = deventer
    at = _upload(_open(), wijken, buurten)
    assert "15 wijken, 68 buurten" in [c.value for c in at.caption]
    kept = [Path(p) for p in at.session_state["data_upload"]["paths"]]
    assert [p.name for p in kept] == ["wijken.geojson", "buurten.geojson"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept)  # only we may read them
    at = _import(at)
    assert not any(p.exists() for p in kept)  # removed once imported
    assert _stored(db)[0] == {"wijk": 15, "buurt": 68}
    meta = _stored(db)[1]
    assert [(s["file"], s["levels"]) for s in meta["sources"]] == [
        ("wijken.geojson", ["wijk"]),
        ("buurten.geojson", ["buurt"]),
    ]


def test_a_level_that_does_not_fit_goes_only_after_a_yes(db, deventer, tmp_path):  # noqa: F811
    wijken, buurten = deventer
    at = _import(_upload(_open(), wijken, buurten))
    frame = gpd.read_file(wijken)
    ten = tmp_path / "wijken_tien.geojson"
    frame[frame["statcode"] <= "WK015010"].to_file(ten)
    at = _upload(at, ten)
    assert at.warning[0].value == (
        "wijken_tien.geojson: 13 van de 68 opgeslagen buurten horen bij geen van de wijken in "
        "dit bestand (bijvoorbeeld BU01501504 in WK015015). Met dit bestand gaan de 68 "
        "opgeslagen buurten weg."
    )
    assert _import_button(at).disabled
    at.checkbox(key="data_levels_replace_ok").check().run()
    assert not _import_button(at).disabled
    at = _import(at)
    assert "Wijken en buurten: 15 wijken vervangen door 10 nieuwe, 68 buurten weggehaald" in (
        at.success[0].value
    )
    assert _stored(db)[0] == {"wijk": 10}


def test_areas_of_another_gemeente_replace_the_workspace_only_after_a_yes(
    db,
    deventer,  # noqa: F811
    real_file,
    tmp_path,
):
    wijken, _buurten = deventer
    at = _import(_upload(_open(), wijken))
    all_wijken = gpd.read_file(real_file(WIJKEN_5))
    den_haag = tmp_path / "wijken_den_haag.geojson"
    all_wijken[all_wijken["gemeentecode"] == "GM0518"].to_file(den_haag)
    at = _upload(at, den_haag)
    assert at.warning[0].value.startswith(
        "Deze wijken en buurten horen bij een andere gemeente dan Deventer."
    )
    assert _import_button(at).disabled
    at.checkbox(key="data_replace_upload_ok").check().run()
    _import(at)
    levels, meta = _stored(db)
    assert levels == {"wijk": 44}
    assert [s["file"] for s in meta["sources"]] == ["wijken_den_haag.geojson"]


def test_a_code_in_two_uploaded_files_names_both(db, deventer, tmp_path):  # noqa: F811
    _wijken, buurten = deventer
    copy = tmp_path / "buurten_kopie.geojson"
    copy.write_bytes(buurten.read_bytes())
    at = _upload(_open(), buurten, copy)
    assert at.error[0].value.startswith(
        "buurten_kopie.geojson: 68 gebieden staan ook al in buurten.geojson"
    )
    assert not [b for b in at.button if b.label == IMPORT]


# --- the columns, the year and the gemeente come from the file -----------------------------------


def test_the_cbs_2014_columns_are_recognised_in_dutch(db, tmp_path):
    areas = gpd.read_file(DEMO / "areas.geojson")
    areas = areas[areas["level"] == "buurt"][["code", "name", "geometry"]]
    path = tmp_path / "buurten_2014.geojson"
    areas.rename(columns={"code": "statcode", "name": "statnaam"}).to_file(path)
    at = upload(open_data_screen(), "areas", path)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("De kolommen van CBS gebiedsindeling 2014") for c in captions), captions
    assert not any("Recognised" in c for c in captions)


def test_year_and_gemeente_name_come_from_the_file(db, tmp_path):
    areas = gpd.read_file(DEMO / "areas.geojson")
    areas["gemeentenaam"] = "Lindeveen"
    path = tmp_path / "cbs_wijken_2014_GM9999.geojson"
    areas.to_file(path)
    at = upload(open_data_screen(), "areas", path)
    assert at.number_input(key="data_source_year").value == 2014
    click(at, IMPORT)
    meta = stored_workspace(db)[2]
    assert meta["name"] == "Lindeveen"  # not the file's name
    assert [(s["name"], s["year"]) for s in meta["sources"]] == [("cbs_wijken_2014_GM9999", 2014)]
    years = next(d.value for d in at.dataframe if "Jaar" in d.value.columns)["Jaar"]
    assert list(years) == ["2014"]


def test_a_file_without_a_year_shows_unknown(db, tmp_path):
    at = with_lindeveen(tmp_path)  # lindeveen.geojson: no year in name or columns
    assert stored_workspace(db)[2]["sources"][0]["year"] is None
    years = next(d.value for d in at.dataframe if "Jaar" in d.value.columns)["Jaar"]
    assert list(years) == ["onbekend"]
