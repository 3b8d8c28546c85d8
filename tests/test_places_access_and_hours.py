"""A place's step-free access and opening hours: from files, from OpenStreetMap, stored, edited.

``wheelchair`` (yes, limited, no; empty when unknown) and ``opening_hours`` (OpenStreetMap's
syntax) are asset columns: read from a file (also under Dutch names), taken from the
OpenStreetMap tags, kept in the database (migration 0009) and set by staff.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asset_map._errors import AssetMapError
from asset_map.i18n import explain
from asset_map.io import read_assets
from asset_map.io.osm import parse_overpass_json
from asset_map.model import ASSET_COLUMNS
from asset_map.rules.concurrent_edits import StaleEdit

DATA = Path(__file__).parent / "data" / "osm"
#: Shaped on a real Overpass answer for Deventer (tests/data/osm/overpass_deventer.json).
OVERPASS_JSON = DATA / "overpass_deventer.json"

pytest_plugins = ["storage_fixtures"]


def values(series: pd.Series) -> list[object]:
    """The values of a column, missing ones as None."""
    return [None if pd.isna(v) else v for v in series]


def csv_file(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "plekken.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def row(name: str, **more: object) -> dict[str, object]:
    return {"naam": name, "soort": "buurthuis", "lat": 52.25, "lon": 6.16, **more}


def test_a_file_says_access_and_hours_in_dutch_columns(tmp_path):
    path = csv_file(
        tmp_path,
        [
            row("De Hoven", rolstoel="ja", openingstijden="Tu,Th 10:00-12:00; PH off"),
            row("De Uithoek", rolstoel="nee", openingstijden=""),
            row("Kindvreugd", rolstoel="", openingstijden="Mo-Fr 09:00-17:00"),
        ],
    )
    result = read_assets(path)
    assert list(result.frame.columns) == ASSET_COLUMNS
    assert values(result.frame["wheelchair"]) == ["yes", "no", None]
    assert values(result.frame["opening_hours"]) == [
        "Tu,Th 10:00-12:00; PH off",
        None,
        "Mo-Fr 09:00-17:00",
    ]


def test_a_file_without_these_columns_leaves_them_unknown(tmp_path):
    result = read_assets(csv_file(tmp_path, [row("De Hoven")]))
    assert result.frame[["wheelchair", "opening_hours"]].isna().all().all()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_wheelchair_value_that_says_nothing_is_refused_with_row_and_column(tmp_path, lang):
    path = csv_file(tmp_path, [row("De Hoven", rolstoel="ja"), row("Uithoek", rolstoel="soms")])
    with pytest.raises(AssetMapError) as caught:
        read_assets(path)
    text = explain(caught.value, lang)
    assert "plekken.csv" in text and "rolstoel" in text and "'soms'" in text
    assert ("rij 3" if lang == "nl" else "row 3") in text  # the spreadsheet's row


def test_unreadable_opening_hours_are_noted_and_the_place_is_kept(tmp_path):
    path = csv_file(tmp_path, [row("De Hoven", openingstijden="Ma-Vr 9-17")])
    result = read_assets(path)
    assert result.frame["opening_hours"].tolist() == ["Ma-Vr 9-17"]  # kept as written
    [note] = [n for n in result.notes if getattr(n, "key", "") == "note.assets.opening_hours"]
    assert "Ma-Vr 9-17" in note and note.fields["n"] == 1


def test_opening_hours_beyond_the_text_limit_are_cut_and_noted(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSET_MAP_MAX_TEXT_CHARS", "100")
    path = csv_file(tmp_path, [row("De Hoven", openingstijden="Mo 10:00-12:00; " * 20)])
    result = read_assets(path)
    [hours] = result.frame["opening_hours"].tolist()
    assert len(hours) == 100 and hours.endswith("…")
    keys = [getattr(n, "key", "") for n in result.notes]
    assert "note.limits.cut" in keys  # cut, and said so
    assert "note.assets.opening_hours" in keys  # longer than OpenStreetMap allows: unreadable


def test_openstreetmap_tags_give_access_and_hours():
    result = parse_overpass_json(OVERPASS_JSON.read_bytes())
    centre = result.frame.set_index("id").loc["osm:node/1001"]
    assert centre["wheelchair"] == "yes"
    assert centre["opening_hours"] == "Mo-Fr 09:00-17:00"
    others = result.frame[result.frame["id"] != "osm:node/1001"]
    assert others["wheelchair"].isna().all()


@pytest.mark.parametrize(
    ("tag", "value"), [("designated", "yes"), ("limited", "limited"), ("bumpy", None)]
)
def test_openstreetmap_wheelchair_values_beyond_yes_and_no(tag, value):
    answer = {
        "elements": [
            {
                "type": "node",
                "id": 1,
                "lat": 52.256,
                "lon": 6.16,
                "tags": {"amenity": "community_centre", "name": "X", "wheelchair": tag},
            }
        ]
    }
    assert parse_overpass_json(answer).frame["wheelchair"].iloc[0] == value


def test_the_database_keeps_access_and_hours(store, tiny_areas, tiny_assets):
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "T"}, actor="admin")
    loaded = store.load_workspace()
    assert loaded is not None
    assets = loaded[1].set_index("id")
    assert values(assets["wheelchair"]) == ["yes", None, "no"]
    assert assets.loc["a1", "opening_hours"] == "Tu 10:00-12:00; PH off"


def test_staff_set_and_change_access_and_hours(store, tiny_areas, tiny_assets):
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "T"}, actor="admin")
    new = store.add_asset(
        {
            "name": "Huiskamer",
            "type": "wijkhuiskamer",
            "lon": 6.16,
            "lat": 52.25,
            "wheelchair": "beperkt",
            "opening_hours": "We 19:00-21:00",
        },
        actor="wim",
    )
    store.update_asset("a3", {"wheelchair": "ja"}, actor="wim")
    loaded = store.load_workspace()
    assert loaded is not None
    assets = loaded[1].set_index("id")
    assert (assets.loc[new, "wheelchair"], assets.loc[new, "opening_hours"]) == (
        "limited",
        "We 19:00-21:00",
    )
    assert assets.loc["a3", "wheelchair"] == "yes"
    with pytest.raises(AssetMapError, match="opening_hours"):
        store.update_asset("a3", {"opening_hours": "woensdagmiddag"}, actor="wim")


def test_access_changed_meanwhile_is_named_when_a_second_save_is_refused(
    store, tiny_areas, tiny_assets
):
    store.save_workspace(tiny_areas, tiny_assets, meta={"name": "T"}, actor="admin")
    anna, bert = store.editable_asset("a3"), store.editable_asset("a3")
    store.update_asset("a3", {**anna.values, "wheelchair": "yes"}, actor="anna", base=anna)
    bert_form = {**bert.values, "opening_hours": "Sa 10:00-12:00"}
    with pytest.raises(StaleEdit) as refused:
        store.update_asset("a3", bert_form, actor="bert", base=bert)
    assert [(c.field, c.theirs) for c in refused.value.changes] == [("wheelchair", "yes")]
    assert "zonder drempel is nu 'yes'" in explain(refused.value, "nl")
    assert "step-free access is now 'yes'" in explain(refused.value, "en")
    loaded = store.load_workspace()
    assert loaded is not None
    assert pd.isna(loaded[1].set_index("id").loc["a3", "opening_hours"])  # nothing of Bert's
