"""Uploads on the Gegevens screen (AppTest): messages about a file in Dutch, what a second
upload of the same file says, and uploads kept private and deleted.

Every test starts from the made-up gemeente Lindeveen (the demo's wijken and buurten, uploaded
as the user's own file), then uploads places or key figures. No network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import shapely
from data_screen import (
    CENTRE,
    HAND_MADE_OSM,
    IMPORT,
    click,
    places,
    upload,
    uploader,
    with_lindeveen,
)
from storage_helpers import stored_workspace

# --- duplicate reasons in Dutch ------------------------------------------------------------------


def test_duplicate_reasons_show_in_dutch(db, tmp_path):
    at = with_lindeveen(tmp_path)
    centre = gpd.GeoSeries([CENTRE], crs=4326).to_crs(28992).iloc[0]
    twice = gpd.GeoDataFrame(
        {"naam": ["Buurthuis De Linde", "Buurthuis de Linde"], "soort": ["buurthuis"] * 2},
        geometry=[centre, shapely.affinity.translate(centre, 3, 0)],
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / "wijkteam.geojson"
    twice.to_file(path)
    click(upload(at, "assets", path), IMPORT)
    tables = [d.value for d in at.dataframe if "Waarom" in d.value.columns]
    assert tables, "no table of duplicate decisions"
    reason = str(tables[0]["Waarom"].iloc[0])
    assert reason.startswith("zelfde bron (wijkteam), 3 m uit elkaar"), reason
    assert "same source" not in reason
    assert at.success[0].value == "2 rijen toegevoegd."


# --- messages about a file in Dutch --------------------------------------------------------------


def test_broken_json_and_an_empty_csv_are_explained_in_dutch(db, tmp_path):
    at = with_lindeveen(tmp_path)
    broken = tmp_path / "kapot.geojson"
    broken.write_text('{"type": "FeatureCollection",\n "features": [}')
    upload(at, "assets", broken)
    assert at.error and "kapot.geojson: het bestand is kapot op regel 2" in at.error[0].value
    empty = tmp_path / "leeg.csv"
    empty.write_text("naam;x;y\n")
    upload(at, "assets", empty)
    assert at.error and "leeg.csv: het bestand heeft kopjes, maar geen rijen" in at.error[0].value
    assert "header" not in at.error[0].value


def test_key_figures_of_another_gemeente_are_explained_in_dutch(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = tmp_path / "kwb.csv"
    path.write_text("WijkenEnBuurten;AantalInwoners_5\nBU03440101;100\n")
    upload(at, "figures", path)
    click(at, "Cijfers toevoegen")
    assert at.error, "no error for figures that match no area"
    assert "geen enkele code in de cijfers (1) hoort bij" in at.error[0].value
    assert "BU03440101" in at.error[0].value


# --- what the screen says after an upload --------------------------------------------------------


def test_the_same_file_again_is_compared_not_replaced(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = places(tmp_path / "lijst.geojson", {"naam": ["A", "B", "C"], "soort": ["park"] * 3}, 3)
    click(upload(at, "assets", path), IMPORT)
    assert at.success[0].value == "3 rijen toegevoegd."
    click(upload(at, "assets", path), IMPORT)
    assert at.success[0].value == (
        "3 rijen ingelezen. Deze bron stond al op de kaart: er is niets vervangen. Te bekijken "
        "onder 'Wijzigingen uit de bronnen bekijken': 0 nieuw, 0 weg, 0 veranderd."
    )
    assert len(stored_workspace(db)[1]) == 3


def test_an_osm_xml_file_is_called_xml(db, tmp_path):
    at = with_lindeveen(tmp_path)
    path = tmp_path / "export.osm"
    shutil.copy(HAND_MADE_OSM, path)
    upload(at, "assets", path)
    captions = [c.value for c in at.caption]
    assert "export.osm is gelezen als OpenStreetMap-bestand (xml)." in captions, captions
    assert not any("pbf" in c for c in captions)


# --- uploads are private and deleted -------------------------------------------------------------


def test_an_upload_is_private_and_deleted_after_the_import_or_another_file(db, tmp_path):
    import stat

    at = with_lindeveen(tmp_path)
    first = places(tmp_path / "een.geojson", {"naam": ["A"], "soort": ["park"]}, 1)
    second = places(tmp_path / "twee.geojson", {"naam": ["B"], "soort": ["park"]}, 1)
    upload(at, "assets", first)
    kept = Path(at.session_state["data_upload"]["path"])
    assert kept.read_bytes() == first.read_bytes()
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    upload(at, "assets", second)  # another file: the first is gone
    assert not kept.parent.exists()
    kept = Path(at.session_state["data_upload"]["path"])
    assert kept.name == "twee.geojson"
    click(at, IMPORT)
    assert not kept.parent.exists()  # imported: gone too
    assert "data_upload" not in at.session_state
    assert uploader(at, "assets").value is None  # and the uploader is empty again
