"""The app and every ``asset-map`` command use the same default database, wherever started.

The instance folder follows one rule (:func:`asset_map.settings.instance_dir`): here a
source checkout (``app.py`` beside the package) keeps it in ``instance/``. An import run
from another folder writes there, and the app shows what was imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from asset_map import settings
from asset_map.cli import main
from asset_map.services.workspace import open_store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A source checkout without database settings; the working directory is elsewhere."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / "app.py").write_text("# the app\n")
    monkeypatch.setattr(settings, "SOURCE_ROOT", folder)
    monkeypatch.delenv(settings.DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(settings.INSTANCE_DIR_ENV, raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


def test_an_import_from_another_folder_is_what_the_app_shows(checkout, capsys):
    args = ["import", "--areas", str(DEMO / "areas.geojson")]
    args += ["--assets", str(DEMO / "assets.geojson"), "--source", "Eigen lijst Proefstad"]
    assert main(args) == 0, capsys.readouterr().err
    database = checkout / "instance" / "asset_map.sqlite"
    assert database.is_file()
    assert not (Path.cwd() / "instance").exists()  # nothing in the folder it was run from
    with open_store() as store:
        assert store.url == f"sqlite:///{database}"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/about.py").run()
    assert not at.exception, at.exception
    shown = [str(v) for frame in at.dataframe for v in frame.value.iloc[:, 0]]
    assert "Eigen lijst Proefstad" in shown
    assert not any("verzonnen" in w.value for w in at.warning)  # not the demo any more


def test_every_command_opens_the_settings_database(checkout, capsys):
    assert main(["connections", "--json"]) == 0
    capsys.readouterr()
    # The first command seeded the demo into the one database; purge finds that file too.
    assert main(["purge", "--older-than-days", "400"]) == 0
    assert (checkout / "instance" / "asset_map.sqlite").is_file()
    assert [p.name for p in Path.cwd().iterdir()] == []


def test_the_instance_setting_moves_app_and_commands_together(checkout, tmp_path, monkeypatch):
    moved = tmp_path / "gedeeld"
    monkeypatch.setenv(settings.INSTANCE_DIR_ENV, str(moved))
    assert main(["connections", "--json"]) == 0
    assert (moved / "asset_map.sqlite").is_file()
    assert not (checkout / "instance").exists()
