"""Public pages send what they show: a long description reaches a visitor only when asked for.

The werkbank's table goes to every anonymous visitor (through the websocket); one place
with a 2 MB description must not make every visit 2 MB. The table shows the start of such
a text and "meer"; the whole text is shown for the chosen place only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from asset_map.model import ASSET_COLUMNS
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store
from asset_map.ui.workbench import TABLE_TEXT_CHARS

ROOT = Path(__file__).resolve().parents[1]
LONG = "Koffie en thee voor iedereen. " * 70_000  # 2.1 million characters


@pytest.fixture
def long_place(tmp_path, monkeypatch) -> str:
    """A workspace (the demo) whose first place has a 2 MB description; return that place's id."""
    url = f"sqlite:///{tmp_path / 'payload.sqlite'}"
    monkeypatch.setenv("ASSET_MAP_DATABASE_URL", url)
    demo = load_workspace()
    places = demo.assets[ASSET_COLUMNS].copy()
    places.loc[places.index[0], "description"] = LONG
    places.loc[places.index[0], "address"] = "Lange Straat " * 1_000
    with Store(url) as store:
        store.save_workspace(demo.areas, places, meta=dict(demo.meta), actor="test")
    return str(places["id"].iloc[0])


def _sent(at: AppTest) -> int:
    """Characters of the tables and components the page sends."""
    tables = sum(len(df.value.to_json()) for df in at.dataframe)
    components = sum(len(c.proto.json_args) for c in at.get("component_instance"))
    return tables + components


def test_the_werkbank_table_sends_the_start_of_a_long_text(long_place):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/workbench.py").run()
    assert not at.exception, at.exception
    [table] = [df.value for df in at.dataframe if "Naam" in df.value.columns]
    cell = table.loc[long_place, "Beschrijving"]
    assert cell.startswith("Koffie en thee voor iedereen.")
    assert cell.endswith("… (meer: kies de rij)")
    assert len(cell) < TABLE_TEXT_CHARS + 30
    assert len(table.loc[long_place, "Adres"]) < TABLE_TEXT_CHARS + 30
    assert _sent(at) < 500_000  # the whole page, with 300 places, without the 2 MB text
    row = list(table.index).index(long_place)
    at.session_state["wb_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown if "Koffie en thee" in m.value]
    assert shown and max(len(m) for m in shown) >= len(LONG.strip()) - 10  # chosen: all of it
    map_args = " ".join(c.proto.json_args for c in at.get("component_instance"))
    assert "Koffie en thee" in map_args  # the popup has the start of the description
    assert json.dumps(LONG[:1_000])[1:-1] not in map_args  # but never the whole text
