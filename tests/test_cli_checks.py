"""``asset-map checks``: the places to check from the command line, and recording a check.

The demo is imported by a store whose clock stands 13 months back: every place is overdue.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from storage_helpers import Clock

from asset_map.analysis.freshness import months_before
from asset_map.cli import main
from asset_map.services.workspace import DEMO_DIR, load_workspace
from asset_map.storage import Store


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("ASSET_MAP_CHECK_MONTHS", raising=False)
    url = f"sqlite:///{tmp_path / 'checks.sqlite'}"
    demo = load_workspace(DEMO_DIR)
    with Store(url, clock=Clock(months_before(datetime.now(UTC), 13))) as store:
        store.save_workspace(
            demo.areas, demo.assets, meta=demo.meta, actor="import", activities=demo.activities
        )
    return url


def _due(capsys, url: str, *extra: str) -> dict:
    assert main(["checks", "due", "--json", "--database", url, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_due_lists_every_overdue_place_and_the_share_per_wijk(url, capsys):
    places = load_workspace(DEMO_DIR).assets
    result = _due(capsys, url)
    assert result["months"] == 12
    assert len(result["due"]) == int((places["status"] != "closed").sum())
    assert {row["checked_how"] for row in result["due"]} == {"import"}
    assert {w["checked_pct"] for w in result["wijken"]} == {0.0}

    assert main(["checks", "record", "demo-0001", "--how", "visit", "--actor", "wim",
                 "--database", url, "--lang", "en"]) == 0  # fmt: skip
    assert "place demo-0001 has been checked (visit)" in capsys.readouterr().out
    after = _due(capsys, url)
    assert "demo-0001" not in {row["id"] for row in after["due"]}
    assert len(after["due"]) == len(result["due"]) - 1


def test_due_for_a_staff_member_shows_her_wijken(url, capsys):
    with Store(url) as store:
        store.set_staff_areas("wim", ["WK999902"], actor="wim")
    result = _due(capsys, url, "--user", "wim")
    assert {row["wijk_code"] for row in result["due"]} == {"WK999902"}
    assert [w["wijk_code"] for w in result["wijken"]] == ["WK999902"]
    # The text version, in Dutch: the longest unchecked first.
    assert main(["checks", "due", "--wijk", "WK999901", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "langer dan 12 maanden niet gecontroleerd" in out
    assert "wijk WK999901: 0 van" in out


def test_recording_a_check_of_an_unknown_place_is_refused(url, capsys):
    code = main(["checks", "record", "nope", "--how", "phone", "--actor", "wim", "--database", url])
    assert code == 2
    assert "nope" in capsys.readouterr().err
