"""read_talents: a CSV of residents' talents, validated and stripped of contact data."""

from __future__ import annotations

import pandas as pd
import pytest

from asset_map._errors import ProblemList, SchemaError
from asset_map.io import read_talents
from asset_map.model import TALENT_COLUMNS


def write(tmp_path, text: str, name: str = "talenten.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_talents(tmp_path):
    path = write(
        tmp_path,
        (
            "id,nickname,categories,description,wishes,availability,buurt_code,status\n"
            "t1,Ans,koken;Muziek,Ik kook graag,teach;help_neighbour,woensdag,BU01500401,approved\n"
            "t2,Piet,Repareren en klussen | computerhulp,,join activity,,bu01500402,\n"
        ),
    )
    result = read_talents(path)
    frame = result.frame
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == TALENT_COLUMNS
    assert frame["categories"].tolist() == ["koken;muziek", "repareren;computerhulp"]
    assert frame["wishes"].tolist() == ["teach;help_neighbour", "join_activity"]
    assert frame["buurt_code"].tolist() == ["BU01500401", "BU01500402"]
    assert frame["status"].tolist() == ["approved", "pending"]  # empty status is pending
    assert frame["description"].isna().tolist() == [False, True]
    assert result.notes == []


def test_dutch_headers_semicolons_and_private_columns(tmp_path):
    path = write(
        tmp_path,
        (
            "naam;talenten;email;telefoon;postcode;buurtcode\n"
            "Fatima;taalmaatje,koken;f@example.org;0612345678;7412AB;BU01500403\n"
        ),
    )
    result = read_talents(path)
    frame = result.frame
    assert frame.loc[0, "nickname"] == "Fatima"
    assert frame.loc[0, "categories"] == "taalmaatje;koken"
    assert frame.loc[0, "id"] == "2"
    text = " ".join(frame.fillna("").to_numpy().ravel())
    assert "example.org" not in text and "0612" not in text and "7412" not in text
    assert result.notes[0] == (
        "Dropped the column(s) email, telefoon, postcode of talenten.csv: talents never hold "
        "contact data or a home location (only a buurt code)."
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "nickname,categories\nAns,koken;schilderen\n",
            r"talenten\.csv, row 2, column 'categories': unknown talent category 'schilderen'\. "
            r"Use one of: koken, repareren",
        ),
        (
            "nickname,categories,wishes\nAns,koken,lesgeven\n",
            r"talenten\.csv, row 2, column 'wishes': unknown wish 'lesgeven'\. Use one of: teach",
        ),
        (
            "nickname,categories,buurt_code\nAns,koken,Rielerweg 12\n",
            r"row 2, column 'buurt_code': 'Rielerweg 12' is not a CBS buurt code.*never an address",
        ),
        (
            "nickname,categories,status\nAns,koken,public\n",
            r"row 2, column 'status': unknown status 'public'\. Use one of: pending, approved",
        ),
        (
            "nickname,talent_x\nAns,koken\n",
            r"talenten\.csv: no categories column\. Found the columns: nickname, talent_x",
        ),
    ],
    ids=["unknown category", "unknown wish", "address as buurt", "unknown status", "no categories"],
)
def test_refused(tmp_path, text, match):
    with pytest.raises(SchemaError, match=match):
        read_talents(write(tmp_path, text))


def test_all_problems_at_once(tmp_path):
    path = write(tmp_path, "categories,status\nzingen,approved\nkoken,geheim\n")
    with pytest.raises(
        ProblemList,
        match=r"^2 problems:\n- talenten\.csv, row 2.*\n- "
        r"talenten\.csv, row 3",
    ):
        read_talents(path)
