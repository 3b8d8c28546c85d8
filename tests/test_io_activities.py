"""Reading activities and place needs from CSV: good files, and bad ones refused whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asset_map._errors import ProblemList, SchemaError
from asset_map.io import read_activities, read_place_needs
from asset_map.model import ACTIVITY_COLUMNS, PLACE_NEED_COLUMNS
from asset_map.services.workspace import DEMO_DIR

HEADER = "id,asset_id,title,kind,weekday,start,end,target_group,organiser,contact,description\n"


def _csv(tmp_path: Path, text: str, name: str = "activities.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_gives_the_canonical_table(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        HEADER
        + "k1,a1,Koffie <b>&</b>,Koffieochtend,dinsdag,9.30,11:00,Ouderen,Buurtteam,,\n"
        + ',a2,"Eten, samen",samen_eten,5,17:30,19:30,,,info@example.nl,"Kosten: 4 euro"\n',
    )
    result = read_activities(path)
    frame = result.frame
    assert list(frame.columns) == ACTIVITY_COLUMNS
    assert frame["weekday"].dtype == "int64" and frame["title"].dtype == "str"
    first = frame.to_dict("records")[0]
    assert {k: v for k, v in first.items() if k not in ("contact", "description")} == {
        "id": "k1",
        "asset_id": "a1",
        "title": "Koffie <b>&</b>",
        "kind": "koffieochtend",
        "weekday": 2,
        "start": "09:30",
        "end": "11:00",
        "target_group": "ouderen",
        "organiser": "Buurtteam",
    }
    assert pd.isna(frame["contact"].iloc[0]) and pd.isna(frame["description"].iloc[0])
    second = frame.iloc[1]
    assert second["id"] == "activity-row3"  # no id: named after its row
    assert (second["title"], second["weekday"], second["target_group"]) == (
        "Eten, samen",
        5,
        "iedereen",
    )
    assert second["description"] == "Kosten: 4 euro"
    assert result.notes == []


def test_dutch_column_names_and_semicolons_are_read(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "plek;titel;soort;dag;begin;eind;doelgroep\n"
        "demo-1;Zingen;Samen zingen;Monday;19:00;20:30;iedereen\n",
    )
    [row] = read_activities(path).frame.to_dict("records")
    assert (row["asset_id"], row["kind"], row["weekday"], row["end"]) == (
        "demo-1",
        "zingen",
        1,
        "20:30",
    )


def test_a_header_without_rows_is_an_empty_table(tmp_path: Path) -> None:
    frame = read_activities(_csv(tmp_path, HEADER)).frame
    assert list(frame.columns) == ACTIVITY_COLUMNS and frame.empty
    needs = read_place_needs(_csv(tmp_path, "asset_id,categories,note\n", "needs.csv")).frame
    assert list(needs.columns) == PLACE_NEED_COLUMNS and needs.empty


def test_a_bad_file_is_refused_whole_naming_every_cell(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        HEADER
        + "k1,a1,Koffie,koffieochtend,8,09:30,11:00,,,,\n"
        + "k2,a1,Koffie,koffieochtend,2,half tien,11:00,,,,\n"
        + "k3,a1,Koffie,feest,2,09:30,11:00,,,,\n"
        + "k4,a1,Koffie,koffieochtend,2,11:00,10:00,,,,\n"
        + "k1,,,koffieochtend,2,09:30,11:00,katten,,,\n",
    )
    with pytest.raises(ProblemList) as error:
        read_activities(path)
    lines = [str(p) for p in error.value.problems]
    assert lines == [
        "activities.csv, row 2, column 'weekday': '8' is not a day of the week. Use 1 (Monday) "
        "to 7 (Sunday), or a day name such as maandag or Monday.",
        "activities.csv, row 3, column 'start': 'half tien' is not a time of day. Write HH:MM, "
        "e.g. 09:30.",
        "activities.csv, row 4, column 'kind': 'feest' Choose a kind of activity from the list. "
        "Use one of: koffieochtend, samen_eten, stoelgym, wandelgroep, taalcafe, breigroep, "
        "spelmiddag, repair_cafe, computerspreekuur, zingen, tuinieren, kinderactiviteit, overig.",
        "activities.csv, row 5, column 'end': '10:00' is not after the start time. Give an end "
        "time later than the start.",
        "activities.csv, row 6, column 'asset_id': no asset id. Give the id of the place (an "
        "asset) it belongs to.",
        "activities.csv, row 6, column 'title': Fill in a name for the activity.",
        "activities.csv, row 6, column 'target_group': 'katten' Choose who the activity is for. "
        "Use one of: iedereen, ouderen, kinderen, jongeren, ouders, nieuwkomers, mantelzorgers.",
        "activities.csv, row 6, column 'id': the id 'k1' is also in row 2. Give every activity an "
        "id of its own, or leave the id empty.",
    ]


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "asset_id,title,kind,start,end\na1,Koffie,overig,09:00,10:00\n")
    with pytest.raises(
        SchemaError, match=r"activities.csv: no column 'weekday'\. Found the columns"
    ):
        read_activities(path)


# --- place needs -----------------------------------------------------------------------------


def test_place_needs_take_keys_or_labels(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "asset_id,categories,note\n"
        'a1,"Koken, tuinieren",Wie kookt <i>mee</i>?\n'
        "a2,Music|sport,\n"
        "a3,,\n",
        "needs.csv",
    )
    result = read_place_needs(path)
    frame = result.frame
    assert list(frame["asset_id"]) == ["a1", "a2"]
    assert list(frame["categories"]) == ["koken;tuinieren", "muziek;sport"]
    assert frame["note"].iloc[0] == "Wie kookt <i>mee</i>?" and pd.isna(frame["note"].iloc[1])
    assert result.notes == ["needs.csv: left out row 4: no categories and no note."]


def test_bad_place_needs_are_refused_whole(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "asset_id,categories,note\na1,koken;zeilen,\n,koken,\na1,sport,\n",
        "needs.csv",
    )
    with pytest.raises(ProblemList) as error:
        read_place_needs(path)
    lines = [str(p) for p in error.value.problems]
    assert lines[0].startswith(
        "needs.csv, row 2, column 'categories': 'zeilen' Choose talents from the list. "
        "Use one of: koken, repareren,"
    )
    assert lines[1] == (
        "needs.csv, row 3, column 'asset_id': no asset id. Give the id of the place (an asset) "
        "it belongs to."
    )
    assert lines[2] == (
        "needs.csv, row 4, column 'asset_id': the place 'a1' is also in row 2. Put all its "
        "categories in one row, separated by ';'."
    )


def test_the_demo_files_are_read() -> None:
    if not (DEMO_DIR / "activities.csv").exists():
        pytest.skip("the demo has no activities.csv yet")
    activities = read_activities(DEMO_DIR / "activities.csv").frame
    needs = read_place_needs(DEMO_DIR / "place_needs.csv").frame
    assert len(activities) > 10 and activities["id"].is_unique
    assert activities["weekday"].between(1, 7).all()
    assert (activities["end"] > activities["start"]).all()
    assert len(needs) > 5 and needs["asset_id"].is_unique
