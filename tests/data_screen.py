"""Helpers of the Gegevens screen's AppTests: log in, upload a file, click, read back.

The screen is opened as the wijkmanager of the ``db`` fixture (tests/conftest.py). Lindeveen
is the made-up gemeente of the demo (``data/demo``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from app_helpers import APP, DEMO, MANAGER
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/data.py"
IMPORT = "Toevoegen aan de kaart"
#: A point inside the buurt Oude Kern (BU99990101) of Lindeveen, as longitude and latitude.
CENTRE = shapely.Point(5.6157, 52.4932)
#: A hand-made OpenStreetMap XML file (see tests/data/osm/README.md).
HAND_MADE_OSM = Path(__file__).parent / "data" / "osm" / "hand_made.osm"


def open_data_screen() -> AppTest:
    """Log in as the wijkmanager and open the Gegevens screen."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(MANAGER[0])
    at.text_input(key="login_password").input(MANAGER[1])
    next(b for b in at.button if b.label == "Inloggen").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def uploader(at: AppTest, kind: str):
    """The file uploader of ``kind`` (its key gets a new number after each import)."""
    found = [u for u in at.file_uploader if u.key and u.key.startswith(f"data_file_{kind}")]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    return found[0]


def upload(at: AppTest, kind: str, path: Path) -> AppTest:
    """Choose ``kind`` (assets, areas, figures) and put the file at ``path`` into its uploader."""
    at.radio(key="data_kind@nl").set_value(kind).run()
    uploader(at, kind).set_value((path.name, path.read_bytes(), "")).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Click the first button labelled ``label``; fails the test when there is none."""
    buttons = [b for b in at.button if b.label == label]
    assert buttons, ([b.label for b in at.button], [e.value for e in at.error])
    buttons[0].click().run()
    assert not at.exception, at.exception
    return at


def with_lindeveen(tmp_path: Path) -> AppTest:
    """Open the data screen with Lindeveen's wijken and buurten imported as an own file."""
    path = tmp_path / "lindeveen.geojson"
    gpd.read_file(DEMO / "areas.geojson").to_file(path)
    at = click(upload(open_data_screen(), "areas", path), IMPORT)
    assert not at.error, [e.value for e in at.error]
    return at


def places(path: Path, columns: dict[str, list], n: int) -> Path:
    """Write ``n`` points 200 m apart around the centre of Oude Kern, with ``columns``."""
    centre = gpd.GeoSeries([CENTRE], crs=4326).to_crs(28992).iloc[0]
    points = [shapely.affinity.translate(centre, 200 * (k % 10), 200 * (k // 10)) for k in range(n)]
    frame = gpd.GeoDataFrame(columns, geometry=points, crs=28992).to_crs(4326)
    frame.to_file(path)
    return path
