"""Every number the command line takes is checked against its range: a clear message and exit
code 2, never a traceback (an OverflowError, a date before year 1)."""

from __future__ import annotations

import pytest

from asset_map.cli import main
from asset_map.storage import Store

HUGE = "99999999999"
ENORMOUS = "1" + "0" * 400  # an int no float can hold


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'numbers.sqlite'}"
    Store(url).close()
    return url


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["purge", "--older-than-days", HUGE], "--older-than-days) must be between 0 and 36500"),
        (["purge", "--older-than-days", "-1"], "--older-than-days) must be between 0 and 36500"),
        (["gaps", "--new-sites", ENORMOUS], "--new-sites) must be between 0 and 10 sites"),
        (["import", "--figures", "kwb.csv", "--year", HUGE], "--year) must be between 1900"),
        (["fetch", "--gemeente", "GM0150", "--year", HUGE], "--year) must be between 1990"),
        (["fetch", "--gemeente", "GM0150", "--year", "1066"], "--year) must be between 1990"),
    ],
)
def test_a_number_out_of_range_ends_with_its_range_and_exit_code_2(url, capsys, argv, said):
    assert main([*argv, "--lang", "en", "--database", url]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err and "Overflow" not in err


def test_purge_with_a_huge_retention_setting_ends_with_a_message(url, monkeypatch, capsys):
    monkeypatch.setenv("ASSET_MAP_RETENTION_MONTHS", HUGE)
    assert main(["purge", "--lang", "en", "--database", url]) == 2
    err = capsys.readouterr().err
    assert f"ASSET_MAP_RETENTION_MONTHS='{HUGE}' is not valid" in err
    assert "from 1 to 120 months" in err


def test_purge_takes_a_century_at_most(url, capsys):
    assert main(["purge", "--lang", "en", "--older-than-days", "36500", "--database", url]) == 0
    assert "older than 36500 days" in capsys.readouterr().out
