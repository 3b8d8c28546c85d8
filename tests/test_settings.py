"""Settings: every environment variable read in one place, one instance folder, checked numbers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import explain

ROOT = Path(__file__).resolve().parents[1]


def _checkout(tmp_path: Path) -> Path:
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / "app.py").write_text("# the app\n")
    return folder


def test_no_module_but_settings_reads_the_environment():
    readers = []
    for path in [*ROOT.glob("asset_map/**/*.py"), ROOT / "app.py", *ROOT.glob("app_pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "attr", None) or getattr(node, "id", None)
            if name in ("environ", "getenv"):
                readers.append(str(path.relative_to(ROOT)))
    assert readers and set(readers) == {"asset_map/settings.py"}


def test_the_instance_folder_follows_one_rule(tmp_path):
    checkout = _checkout(tmp_path)
    given = tmp_path / "elders"
    assert settings.instance_dir({"ASSET_MAP_INSTANCE_DIR": str(given)}, root=checkout) == given
    assert settings.instance_dir({}, root=checkout) == checkout / "instance"
    installed = tmp_path / "site-packages"  # no app.py beside the package
    installed.mkdir()
    data_home = tmp_path / "data-home"
    assert settings.instance_dir({"XDG_DATA_HOME": str(data_home)}, root=installed) == (
        data_home / "asset_map"
    )
    assert settings.instance_dir({}, root=installed) == (
        Path.home() / ".local" / "share" / "asset_map"
    )


def test_the_instance_folder_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    checkout = _checkout(tmp_path)
    monkeypatch.setattr(settings, "SOURCE_ROOT", checkout)
    first = settings.default_database_url({})
    monkeypatch.chdir(tmp_path)
    assert settings.default_database_url({}) == first
    assert first == f"sqlite:///{checkout / 'instance' / 'asset_map.sqlite'}"


def test_this_checkout_keeps_its_database_in_instance():
    assert settings.source_checkout() == ROOT
    assert settings.instance_dir({}) == ROOT / "instance"


def test_addresses_and_folders_from_the_environment(tmp_path):
    env = {
        "ASSET_MAP_DATABASE_URL": " postgresql://map@db/map ",
        "ASSET_MAP_DATA_DIR": str(tmp_path),
        "ASSET_MAP_PDOK_URL": "http://127.0.0.1:9/cbs/{year}",
        "ASSET_MAP_OVERPASS_URL": "http://127.0.0.1:9/api/interpreter",
    }
    read = settings.read_settings(env)
    assert read.database_url == "postgresql://map@db/map"
    assert read.data_dir == tmp_path
    assert read.pdok_url == "http://127.0.0.1:9/cbs/{year}"
    assert read.overpass_url == "http://127.0.0.1:9/api/interpreter"
    empty = settings.read_settings({})
    assert empty.database_url is None and empty.data_dir is None and empty.tiles is None
    assert empty.pdok_url == "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"
    assert empty.overpass_url == "https://overpass-api.de/api/interpreter"
    assert empty.retention_months == 12


def test_a_tile_server_needs_a_template_and_its_attribution():
    url = "https://tegels.example.nl/{z}/{x}/{y}.png"
    tiles = settings.tile_server(
        {
            "ASSET_MAP_TILES_URL": url,
            "ASSET_MAP_TILES_ATTRIBUTION": "© Voorbeeld",
            "ASSET_MAP_TILES_MAX_ZOOM": "18",
        }
    )
    assert tiles == settings.TileServer(url, "© Voorbeeld", 18)
    with_default_zoom = settings.tile_server(
        {"ASSET_MAP_TILES_URL": url, "ASSET_MAP_TILES_ATTRIBUTION": "© Voorbeeld"}
    )
    assert with_default_zoom is not None and with_default_zoom.max_zoom == 19
    with pytest.raises(AssetMapError) as no_xy:
        settings.tile_server({"ASSET_MAP_TILES_URL": "https://tegels.example.nl/{z}.png"})
    assert "{x} {y}" in explain(no_xy.value, "nl")
    assert "ASSET_MAP_TILES_URL" in explain(no_xy.value, "en")
    with pytest.raises(AssetMapError, match="ASSET_MAP_TILES_ATTRIBUTION"):
        settings.tile_server({"ASSET_MAP_TILES_URL": url})


@pytest.mark.parametrize(
    ("env", "value", "dutch"),
    [
        ("ASSET_MAP_TILES_MAX_ZOOM", "30", "van 1 tot en met 22 (zoomniveau), zoals 19"),
        ("ASSET_MAP_TILES_MAX_ZOOM", "hoog", "van 1 tot en met 22 (zoomniveau), zoals 19"),
        ("ASSET_MAP_RETENTION_MONTHS", "0", "van 1 tot en met 120 maanden, zoals 12"),
        ("ASSET_MAP_RETENTION_MONTHS", "6m", "van 1 tot en met 120 maanden, zoals 12"),
        ("ASSET_MAP_RETENTION_MONTHS", "99999999999", "van 1 tot en met 120 maanden"),
        ("ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR", "0", "van 1 tot en met 10000 aanmeldingen"),
        ("ASSET_MAP_SUBMISSIONS_PER_DAY", "-5", "van 1 tot en met 1000000 aanmeldingen"),
        ("ASSET_MAP_MODERATION_QUEUE_MAX", "veel", "van 1 tot en met 1000000 aanmeldingen"),
    ],
)
def test_a_number_setting_out_of_range_is_refused_in_both_languages(env, value, dutch):
    with pytest.raises(AssetMapError) as caught:
        settings.read_settings({env: value})
    nl, en = explain(caught.value, "nl"), explain(caught.value, "en")
    assert f"De instelling {env}='{value}' klopt niet." in nl and dutch in nl
    assert f"The setting {env}='{value}' is not valid." in en


def test_walking_minutes_become_metres_in_one_place():
    assert settings.walk_metres(10, 4.5) == pytest.approx(750.0)
    assert settings.walk_metres(settings.WALK_MIN.default, settings.SPEED_KMH.default) == (
        pytest.approx(750.0)
    )


@pytest.mark.parametrize("value", [0, 0.5, 61, float("nan"), float("inf"), True, "10", None])
def test_the_walking_time_refuses_what_is_out_of_its_range(value):
    with pytest.raises(AssetMapError) as caught:
        settings.WALK_MIN.check(value)
    assert explain(caught.value, "nl").startswith(
        "De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf "
    )
    assert explain(caught.value, "en").startswith(
        "The walking time (--walk-min) must be between 1 and 60 minutes; you gave "
    )


@pytest.mark.parametrize("value", [1, 10, 12.5, 60])
def test_the_walking_time_takes_what_is_in_its_range(value):
    assert settings.WALK_MIN.check(value) == float(value)


def test_a_whole_number_option_refuses_a_fraction():
    with pytest.raises(AssetMapError) as caught:
        settings.NEW_SITES.check(2.5)
    assert explain(caught.value, "nl") == (
        "Het aantal nieuwe plekken (--new-sites) moet een heel getal zijn. U gaf 2.5."
    )


def test_the_presets_a_screen_offers_lie_within_their_range():
    for option in (settings.WALK_MIN, settings.CELL_M):
        assert option.presets and all(option.lo <= p <= option.hi for p in option.presets)
    assert settings.WALK_MIN.default in settings.WALK_MIN.presets


def test_a_number_setting_of_thousands_of_digits_is_refused_with_a_short_message():
    # Python refuses to read an int of over 4300 digits: that must not become a traceback.
    value = "9" * 5000
    with pytest.raises(AssetMapError) as caught:
        settings.retention_months({"ASSET_MAP_RETENTION_MONTHS": value})
    shown = explain(caught.value, "en")
    assert "ASSET_MAP_RETENTION_MONTHS='99999999999999999...'" in shown and len(shown) < 200


@pytest.mark.parametrize("value", [10**400, -(10**30), 99_999_999_999])
def test_a_huge_whole_number_is_refused_with_the_range_not_an_overflow(value):
    with pytest.raises(AssetMapError) as caught:
        settings.NEW_SITES.check(value)
    shown = explain(caught.value, "en")
    assert shown.startswith("The number of new places (--new-sites) must be between 0 and 10")
    assert len(shown) < 120


def test_the_limits_on_submissions_come_from_the_environment():
    limits = settings.submission_limits(
        {"ASSET_MAP_SUBMISSIONS_PER_ADDRESS_HOUR": "4", "ASSET_MAP_MODERATION_QUEUE_MAX": "50"}
    )
    assert limits == settings.SubmissionLimits(
        per_address_hour=4, per_address_day=30, per_hour=200, per_day=1000, queue_max=50
    )
    assert settings.read_settings({}).submissions == settings.SubmissionLimits()
