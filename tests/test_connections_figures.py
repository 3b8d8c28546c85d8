"""Connections made per buurt over time: every period present, zeros filled."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from asset_map._errors import SchemaError
from asset_map.analysis.connections import CONNECTION_FIGURE_COLUMNS, connections_per_buurt
from asset_map.model import CONNECTION_COLUMNS


def connections(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": f"c{i}",
                "asset_id": "p1",
                "talent_id": f"t{i}",
                "category": "koken",
                "buurt_code": buurt,
                "made_by": "wim",
                "made_at": made_at,
                "note": "",
            }
            for i, (made_at, buurt) in enumerate(rows)
        ],
        columns=CONNECTION_COLUMNS,
    )


def test_counts_per_month_with_the_holes_filled(tiny_areas):
    made = connections(
        [
            ("2026-01-05T10:00:00", "BU01500401"),
            ("2026-01-20", "BU01500401"),
            ("2026-03-09T09:30:00+01:00", "BU01500402"),
            ("2026-03-31", "BU01500401"),
        ]
    )
    out = connections_per_buurt(made, tiny_areas)
    assert list(out.columns) == CONNECTION_FIGURE_COLUMNS
    assert len(out) == 3 * 2  # January to March, two buurten
    table = out.set_index(["period", "buurt_code"])["count"]
    assert table[(date(2026, 1, 1), "BU01500401")] == 2
    assert table[(date(2026, 2, 1), "BU01500401")] == 0  # the hole, filled
    assert table[(date(2026, 2, 1), "BU01500402")] == 0
    assert table[(date(2026, 3, 1), "BU01500401")] == 1
    assert table[(date(2026, 3, 1), "BU01500402")] == 1
    assert out["count"].sum() == 4
    names = dict(zip(out["buurt_code"], out["buurt_name"], strict=False))
    assert names == {"BU01500401": "Rode Dorp", "BU01500402": "Oudegoedstraat"}


def test_weeks_and_a_buurt_not_on_the_map(tiny_areas):
    made = connections([("2026-03-02", "BU99999999"), ("2026-03-17", "BU99999999")])
    out = connections_per_buurt(made, tiny_areas, freq="W")
    assert out["period"].tolist() == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert out["count"].tolist() == [1, 0, 1]
    assert set(out["buurt_name"]) == {"BU99999999"}  # the code stands in for the name


def test_no_connections_and_bad_dates(tiny_areas):
    assert connections_per_buurt(connections([]), tiny_areas).empty
    with pytest.raises(SchemaError, match=r"no valid date in made_at.*'gisteren'"):
        connections_per_buurt(connections([("gisteren", "BU01500401")]), tiny_areas)
    with pytest.raises(SchemaError, match="made_at"):
        connections_per_buurt(connections([]).drop(columns="made_at"), tiny_areas)
