"""Change over time: dated snapshots of the workspace and the comparison of two.

Known answer: snapshot, remove a buurthuis, snapshot again; the comparison lists it as
closed in its wijk, and the loss in the share of residents within walking distance equals
that of a fresh gap analysis before and after (the services' default gap analysis).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from cli_helpers import run_cli, run_json

from asset_map.analysis.areas import assign_areas
from asset_map.analysis.snapshots import compare, snapshot_data
from asset_map.services import snapshots
from asset_map.services.gaps import coverage
from asset_map.services.workspace import open_workspace
from asset_map.storage import Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _share(result, wijk: str | None) -> float:
    """The covered share of residents from a gap analysis's cells (of a wijk, or all)."""
    cells = result.cells
    wijk_of = dict(zip(result.buurten["code"], result.buurten["wijk_code"], strict=True))
    here = cells if wijk is None else cells[cells["buurt_code"].map(wijk_of) == wijk]
    return float(here.loc[here["covered"], "residents"].sum() / here["residents"].sum())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    with Store(f"sqlite:///{tmp_path / 'ws.sqlite'}", clock=clock) as opened:
        yield opened


def _a_covering_buurthuis(ws) -> str:
    """The demo buurthuis whose removal costs the most coverage (there must be a loss)."""
    before = _share(coverage(ws.areas, ws.assets), None)
    losses = {}
    for asset_id in ws.assets.loc[ws.assets["type"] == "buurthuis", "id"]:
        after = coverage(ws.areas, ws.assets[ws.assets["id"] != asset_id])
        losses[asset_id] = before - _share(after, None)
    best = max(losses, key=losses.get)
    assert losses[best] > 0
    return str(best)


def test_removing_a_buurthuis_is_listed_and_its_loss_equals_a_fresh_gap_analysis(store, clock):
    ws = open_workspace(store)
    gone = _a_covering_buurthuis(ws)
    place = ws.assets.set_index("id").loc[gone]
    first = snapshots.take(store, ws, actor="test")
    before_gaps = coverage(ws.areas, ws.assets)
    store.delete_asset(gone, actor="wijkmanager")
    clock.now += timedelta(days=30)
    ws_after = open_workspace(store)
    second = snapshots.take(store, ws_after, actor="test")
    after_gaps = coverage(ws_after.areas, ws_after.assets)

    comparison = snapshots.compare_snapshots(store, first, second)
    rows = comparison.rows.set_index("wijk_code")
    wijk = str(place["wijk_code"])
    assert rows.loc[wijk, "closed"] == [{"id": gone, "name": place["name"], "type": "buurthuis"}]
    assert rows.loc[wijk, "opened"] == []
    assert rows.loc[wijk, "places_before"] - rows.loc[wijk, "places_after"] == 1
    assert [p["id"] for p in rows.loc["*", "closed"]] == [gone]
    for code in (wijk, "*"):
        which = None if code == "*" else code
        fresh = _share(after_gaps, which) - _share(before_gaps, which)
        assert rows.loc[code, "share_change"] == pytest.approx(fresh, abs=1e-12)
    assert rows.loc["*", "share_change"] < 0
    assert comparison.second_at - comparison.first_at == timedelta(days=30)


def test_a_place_opened_and_one_marked_closed_are_listed_in_their_wijk(store):
    ws = open_workspace(store)
    before = snapshot_data(ws.areas, ws.assets, None)
    closing = str(ws.assets["id"].iloc[0])
    later = ws.assets.copy()
    later.loc[later["id"] == closing, "status"] = "closed"
    opened = later.iloc[[1]].copy()
    opened["id"] = "nieuw-1"
    opened["name"] = "Huiskamer De Buren"
    later = assign_areas(
        pd.concat([later, opened]).drop(columns=["buurt_code", "wijk_code"]), ws.areas
    )
    rows = compare(before, snapshot_data(ws.areas, later, None)).set_index("wijk_code")
    closed_wijk = str(ws.assets["wijk_code"].iloc[0])
    opened_wijk = str(ws.assets["wijk_code"].iloc[1])
    assert [p["id"] for p in rows.loc[closed_wijk, "closed"]] == [closing]
    assert [p["name"] for p in rows.loc[opened_wijk, "opened"]] == ["Huiskamer De Buren"]
    assert math.isnan(rows.loc["*", "share_change"])  # no gap analysis: unknown, not 0


def test_snapshot_commands_take_list_and_compare(store, clock, capsys):
    url = store.url
    open_workspace(store)  # the demo, seeded
    assert run_cli(capsys, ["snapshot", "take", "--label", "voor", "--database", url])[0] == 0
    clock.now += timedelta(days=1)
    listed = run_json(capsys, ["snapshot", "list", "--database", url])
    assert [s["label"] for s in listed] == ["voor"]
    assert listed[0]["places"] > 0
    code, out, err = run_cli(
        capsys, ["snapshot", "compare", listed[0]["id"][:8], "latest", "--database", url]
    )
    assert code == 0, err
    assert "Hele gemeente" in out and "+0.0 %-punt" in out
    code, _out, err = run_cli(capsys, ["snapshot", "compare", "zzz", "latest", "--database", url])
    assert code == 2 and "Geen momentopname past bij 'zzz'" in err


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_wijk_report_says_what_changed_between_two_snapshots(store, clock, capsys, tmp_path):
    ws = open_workspace(store)
    gone = _a_covering_buurthuis(ws)
    place = ws.assets.set_index("id").loc[gone]
    wijk = str(place["wijk_code"])
    snapshots.take(store, ws, actor="test")
    store.delete_asset(gone, actor="wijkmanager")
    clock.now += timedelta(days=30)
    snapshots.take(store, open_workspace(store), actor="test")
    first = str(store.snapshots()["id"].iloc[0])
    comparison = snapshots.compare_snapshots(store, first, "latest")
    row = comparison.of_wijk(wijk)
    out = tmp_path / "wijk.pdf"
    args = ["report", "--wijk", wijk, "--out", str(out), "--no-gaps", "--database", store.url]
    code, _out, err = run_cli(capsys, [*args, "--history", first[:8], "latest"])
    assert code == 0, err
    text = _pdf_text(out)
    assert "Wat is er veranderd?" in text
    assert "Van 01-03-2026 tot 31-03-2026" in text
    assert f"van {row['places_before']} naar {row['places_after']}: 0 geopend, 1 gesloten" in text
    assert f"Gesloten: {place['name']} (Buurthuis)" in text
    before = f"{100 * row['share_before']:.1f}%".replace(".", ",")
    after = f"{100 * row['share_after']:.1f}%".replace(".", ",")
    assert f"{before} toen, {after} nu" in text
