"""Public talent totals: a buurt with 1 or 2 talents is left out of every total.

The leak this guards against: if a total over buurten A + B shows 6 and A alone shows 5, B
has exactly 1 talent. With public totals the difference of two shown totals is always a
sum of shown buurt counts (each 0 or at least 3), never a small group.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from asset_map.analysis.indicators import area_figures
from asset_map.analysis.summary import (
    PublicTotal,
    public_cells,
    public_talent_total,
    public_total,
)
from asset_map.render.report import format_talents
from asset_map.storage import Store
from asset_map.storage.talents import PUBLIC_TALENT_COLUMNS, TalentSubmission

pytest_plugins = ["storage_fixtures"]

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _talents(per_buurt: dict[str, int], *, pending: int = 0) -> pd.DataFrame:
    rows = [
        {"buurt_code": code, "status": "approved", "categories": "koken"}
        for code, n in per_buurt.items()
        for _ in range(n)
    ]
    rows += [{"buurt_code": "B1", "status": "pending", "categories": "koken"}] * pending
    return pd.DataFrame(rows, columns=["buurt_code", "status", "categories"])


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected", "text_nl"),
    [
        ([], (0, 0), "0"),
        ([0, 0], (0, 0), "0"),
        ([1], (0, 1), "<3"),
        ([2], (0, 1), "<3"),
        ([3], (3, 0), "3"),
        ([5, 1], (5, 1), "5 + 1× <3"),
        ([1, 2], (0, 2), "0 + 2× <3"),
        ([5, 4, 2, 0, 1, 3], (12, 2), "12 + 2× <3"),
        ([1500, 2], (1500, 1), "1.500 + 1× <3"),
    ],
)
def test_public_total_known_answers(counts, expected, text_nl):
    total = public_total(pd.Series(counts, dtype="int64"))
    assert tuple(total) == expected
    assert total.text("nl") == text_nl


def test_public_total_in_english():
    assert PublicTotal(1500, 0).text("en") == "1,500"
    assert PublicTotal(12, 2).text("en") == "12 + 2× <3"


def test_public_cells_leave_small_groups_out():
    cells = public_cells(pd.Series([0, 1, 2, 3, 7, None]))
    assert cells.tolist() == [0, 0, 0, 3, 7, 0]


def test_no_difference_of_two_totals_reveals_a_small_group():
    """Every selection and every bigger one: the difference of the totals is never 1 or 2."""
    per_buurt = pd.Series({"A": 5, "B": 1, "C": 2, "D": 3, "E": 0, "F": 4})
    selections = [
        frozenset(s) for n in range(1, len(per_buurt) + 1) for s in combinations(per_buurt.index, n)
    ]
    nested = [(a, b) for a in selections for b in selections if a < b]
    assert len(nested) == 3**6 - 2**6 - (2**6 - 1)  # a <= b, minus a == b, minus an empty a

    def public(s: frozenset[str]) -> int:
        return public_total(per_buurt[sorted(s)]).shown

    def raw(s: frozenset[str]) -> int:
        return int(per_buurt[sorted(s)].sum())

    assert not {public(b) - public(a) for a, b in nested} & {1, 2}
    # The old rule (the raw sum) gave the small groups away: B alone is 1, C alone 2.
    assert {1, 2} <= {raw(b) - raw(a) for a, b in nested}


def test_the_issue_case_203_plus_201():
    """Workbench ?buurt=BU99990203 showed 5, with BU99990201 added 6: the latter has 1."""
    talents = _talents({"BU99990203": 5, "BU99990201": 1}, pending=4)
    alone = public_talent_total(talents, ["BU99990203"])
    both = public_talent_total(talents, ["BU99990203", "BU99990201"])
    assert alone.text() == "5"
    assert both.text() == "5 + 1× <3"
    assert both.shown - alone.shown == 0
    assert public_talent_total(talents, ["BU99990201"]).text() == "<3"
    assert public_talent_total(talents.iloc[0:0], ["BU99990201"]).text() == "0"


# --- the figures per wijk and buurt, and the report ---------------------------------------------


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["W1", "B1", "B2", "B3"],
            "name": ["Wijk", "Een", "Twee", "Drie"],
            "level": ["wijk", "buurt", "buurt", "buurt"],
            "parent_code": ["G", "W1", "W1", "W1"],
            "inhabitants": [3000, 1000, 1000, 1000],
            "pct_65_plus": [20.0, 20.0, 20.0, 20.0],
        },
        geometry=[box(0, 0, 3, 1), box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:4326",
    )


@pytest.fixture
def assets() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"type": [], "status": [], "buurt_code": [], "wijk_code": []},
        geometry=[],
        crs="EPSG:4326",
    )


def test_wijk_total_is_the_sum_of_the_shown_buurt_counts(areas, assets):
    talents = _talents({"B1": 4, "B2": 1, "B3": 2}, pending=2)
    wijk = area_figures(areas, assets, level="wijk", talents=talents).iloc[0]
    buurten = area_figures(areas, assets, level="buurt", talents=talents).set_index("code")
    assert (wijk["talents"], wijk["talents_small"]) == (4, 2)  # not 7
    assert buurten["talents"].to_dict() == {"B1": 4, "B2": 0, "B3": 0}
    assert buurten["talents_small"].to_dict() == {"B1": 0, "B2": 1, "B3": 1}
    shown = [format_talents(r["talents"], r["talents_small"]) for _, r in buurten.iterrows()]
    assert shown == ["4", "<3", "<3"]
    assert format_talents(wijk["talents"], wijk["talents_small"]) == "4 + 2× <3"
    assert format_talents(None) == "–"


def test_workbench_table_and_charts_show_public_totals(areas, assets):
    from asset_map.ui.workbench_figures import chart_talents

    talents = _talents({"B1": 4, "B2": 1, "B3": 2})
    figures = pd.concat(
        [
            area_figures(areas, assets, level="wijk", talents=talents),
            area_figures(areas, assets, level="buurt", talents=talents),
        ],
        ignore_index=True,
    )
    values = chart_talents(figures).tolist()
    assert values[:2] == [4.0, 4.0]  # the wijk (public part only) and B1
    assert all(pd.isna(v) for v in values[2:])  # small groups: no data, never 0 or 1


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'privacy.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    return url


def _metric(at: AppTest, label: str = "Talenten") -> str:
    values = [str(m.value) for m in at.metric if m.label == label]
    assert values, f"no metric '{label}'"
    return values[0]


def _workbench(buurten: list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["buurt"] = buurten
    at.run()
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    return at


def test_workbench_metric_does_not_leak_by_subtraction(db):
    # Demo: BU99990203 has 5 approved talents, BU99990201 has 1.
    assert _metric(_workbench(["BU99990203"])) == "5"
    assert _metric(_workbench(["BU99990203", "BU99990201"])) == "5 + 1× <3"
    assert _metric(_workbench(["BU99990201"])) == "<3"


def test_kaart_metric_shows_a_small_buurt_as_less_than_3(db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/explore.py").run()
    # The whole demo: 3 + 5 + 4 + 3 + 3 in buurten of 3 or more, 13 buurten with 1 or 2.
    assert _metric(at) == "18 + 13× <3"
    at.sidebar.multiselect(key="filter_buurt").select("BU99990101").run()
    assert not at.exception, at.exception
    assert _metric(at) == "<3"


# --- the public talent table ------------------------------------------------------------------


def test_public_talents_hold_nothing_personal(store: Store) -> None:
    secret = TalentSubmission(
        nickname="Henk-geheim",
        categories=("koken", "muziek"),
        description="Ik woon op nummer 12",
        wishes=("teach",),
        availability="dinsdagavond",
        buurt_code="BU01500401",
        contact="henk@example.nl",
    )
    kept = store.submit_talent(secret)
    store.submit_talent(secret)  # stays pending: never public
    store.decide(kept.id, status="approved", actor="wm.anne")
    public = store.public_talents()
    assert list(public.columns) == PUBLIC_TALENT_COLUMNS == ["categories", "buurt_code", "status"]
    assert public.values.tolist() == [["koken;muziek", "BU01500401", "approved"]]
    text = public.to_csv()
    for personal in ("Henk", "nummer 12", "teach", "dinsdag", "example.nl", kept.id):
        assert personal not in text
    # The moderators' view (behind a log-in in the app) still has everything.
    approved = store.talents(status="approved")
    assert approved.loc[0, "nickname"] == "Henk-geheim"
    assert approved.loc[0, "contact"] == "henk@example.nl"
