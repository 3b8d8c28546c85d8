"""``asset-map activities``, ``flyer`` and ``connections``: known answers from the demo files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from storage_helpers import Clock, submission

from asset_map.analysis.nearby import buurt_origin, nearby, week_schedule
from asset_map.cli import main
from asset_map.io.postcode import read_postcodes
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
TODAY = date(2026, 3, 5)  # a Thursday


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


@pytest.fixture
def db(url) -> list[str]:
    """Options for a throwaway database (seeded with the demo on first use)."""
    return ["--database", url]


@pytest.fixture(scope="module")
def demo():
    return load_workspace(DEMO)


def busiest_buurt(demo) -> str:
    """The demo buurt with the most activities."""
    at = demo.activities.merge(demo.assets[["id", "buurt_code"]], left_on="asset_id", right_on="id")
    return str(at["buurt_code"].value_counts().index[0])


def stored(url: str, what: str) -> pd.DataFrame:
    store = Store(url)
    try:
        return getattr(store, what)()
    finally:
        store.close()


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return len(reader.pages), text


# --- activities list ---------------------------------------------------------------------------


def test_list_json_is_the_week_schedule_of_the_buurt(db, demo, capsys):
    buurt = busiest_buurt(demo)
    assert (
        main(["activities", "list", "--buurt", buurt, "--today", "2026-03-05", "--json", *db]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    expected = week_schedule(demo.activities, demo.assets, buurten=[buurt], today=TODAY)
    assert len(rows) == len(expected) > 0
    assert [r["id"] for r in rows] == list(expected["id"])
    assert [r["date"] for r in rows] == [d.isoformat() for d in expected["date"]]
    assert [r["place"] for r in rows] == list(expected["place_name"])
    assert {r["buurt_code"] for r in rows} == {buurt}
    assert all(TODAY <= date.fromisoformat(r["date"]) <= date(2026, 3, 11) for r in rows)
    first = rows[0]
    assert set(first) >= {"date", "day", "start", "end", "title", "place", "address"}
    assert set(first) >= {"organiser", "contact"}
    assert (
        first["day"]
        == ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"][
            date.fromisoformat(first["date"]).isoweekday() - 1
        ]
    )


def test_list_text_one_line_per_occurrence_filtered_by_day(db, demo, capsys):
    args = ["activities", "list", "--day", "maandag", "--day", "6", "--today", "2026-03-05"]
    assert main([*args, "--lang", "en", *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = week_schedule(demo.activities, demo.assets, weekdays=[1, 6], today=TODAY)
    assert len(lines) == len(expected) > 0
    for line, (_, row) in zip(lines, expected.iterrows(), strict=True):
        assert line.startswith(
            f"{row['date'].isoformat()} {'Monday' if row['weekday'] == 1 else 'Saturday'}"
        )
        assert f"{row['start']}-{row['end']}  {row['title']}  {row['place_name']}" in line
    assert {line.split()[0] for line in lines} == {"2026-03-07", "2026-03-09"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--buurt", "BU00000000"], "--buurt BU00000000: no such buurt here"),
        (["--day", "zondagmiddag"], "--day zondagmiddag: not a day of the week"),
        (["--today", "5-3-2026"], "--today 5-3-2026: not a date"),
    ],
)
def test_list_refuses_bad_choices(db, capsys, args, message):
    assert main(["activities", "list", *args, "--lang", "en", *db]) == 2
    assert message in capsys.readouterr().err


# --- activities import -------------------------------------------------------------------------

HEADER = "id,asset_id,title,kind,weekday,start,end,target_group,organiser,contact,description\n"


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_import_adds_and_updates_by_id(tmp_path, db, url, demo, capsys):
    first = demo.activities.iloc[0]
    csv = write_csv(
        tmp_path / "act.csv",
        [
            "new-1,demo-0102,Schaakclub,spelmiddag,woensdag,19:00,21:00,,Henk,,",
            f"{first['id']},{first['asset_id']},Andere titel,{first['kind']},2,10:00,11:00,,,,",
        ],
    )
    assert main(["activities", "import", str(csv), "--json", *db]) == 0
    counts = json.loads(capsys.readouterr().out)
    n = len(demo.activities)
    assert counts == {
        "activities": {"added": 1, "updated": 1, "removed": 0, "total": n + 1},
        "needs": None,
    }
    back = stored(url, "activities").set_index("id")
    assert len(back) == n + 1
    assert back.loc["new-1", ["asset_id", "title", "weekday", "start"]].tolist() == [
        "demo-0102",
        "Schaakclub",
        3,
        "19:00",
    ]
    assert back.loc[first["id"], "title"] == "Andere titel"
    assert len(stored(url, "place_needs")) == len(demo.needs)  # untouched


def test_import_replace_and_needs(tmp_path, db, url, capsys):
    csv = write_csv(
        tmp_path / "act.csv",
        [
            "a1,demo-0102,Schaakclub,spelmiddag,3,19:00,21:00,,,,",
            ",demo-0109,Breiclub,breigroep,4,14:00,16:00,,,,",
        ],
    )
    needs = tmp_path / "needs.csv"
    needs.write_text("asset_id,categories,note\ndemo-0102,koken,Wie kookt mee?\n", "utf-8")
    args = ["activities", "import", str(csv), "--needs", str(needs), "--replace", *db]
    assert main([*args, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "activities: 2 added, 0 updated," in out
    assert "place needs: 1 added" in out and "1 in the workspace now" in out
    back = stored(url, "activities")
    assert sorted(back["title"]) == ["Breiclub", "Schaakclub"]
    assert back["id"].str.startswith("activity-").sum() == 1  # a row without id gets its own
    assert stored(url, "place_needs").to_dict("records") == [
        {"asset_id": "demo-0102", "categories": "koken", "note": "Wie kookt mee?"}
    ]


def test_import_without_ids_twice_adds_twice(tmp_path, db, url, demo):
    csv = write_csv(tmp_path / "act.csv", [",demo-0102,Breiclub,breigroep,4,14:00,16:00,,,,"])
    assert main(["activities", "import", str(csv), *db]) == 0
    assert main(["activities", "import", str(csv), *db]) == 0
    back = stored(url, "activities")
    assert (back["title"] == "Breiclub").sum() == 2
    assert len(back) == len(demo.activities) + 2


def test_import_refuses_unknown_places_and_changes_nothing(tmp_path, db, url, demo, capsys):
    csv = write_csv(
        tmp_path / "act.csv",
        [
            "a1,demo-0102,Schaakclub,spelmiddag,3,19:00,21:00,,,,",
            "a2,nergens-1,Breiclub,breigroep,4,14:00,16:00,,,,",
            "a3,nergens-2,Breiclub,breigroep,4,14:00,16:00,,,,",
        ],
    )
    assert main(["activities", "import", str(csv), "--replace", "--lang", "en", *db]) == 2
    err = capsys.readouterr().err
    assert "act.csv: asset_id nergens-1, nergens-2: no such place" in err
    back = stored(url, "activities")
    assert sorted(back["id"]) == sorted(demo.activities["id"])


def test_import_refuses_a_bad_file_whole(tmp_path, db, url, demo, capsys):
    assert main(["activities", "list", *db]) == 0  # seeds the demo workspace
    capsys.readouterr()
    csv = write_csv(
        tmp_path / "act.csv",
        [
            "a1,demo-0102,Schaakclub,spelmiddag,3,19:00,21:00,,,,",
            "a2,demo-0102,Breiclub,breigroep,8,14:00,16:00,,,,",
        ],
    )
    assert main(["activities", "import", str(csv), *db]) == 2
    assert "act.csv" in capsys.readouterr().err
    assert sorted(stored(url, "activities")["id"]) == sorted(demo.activities["id"])


# --- flyer -------------------------------------------------------------------------------------


def test_flyer_for_a_demo_postcode_names_the_nearest_place(tmp_path, db, demo, capsys):
    table = read_postcodes(DEMO / "postcodes.csv")
    out = tmp_path / "flyer.pdf"
    for _, row in table.iterrows():  # the first postcode with a place within 10 minutes
        found = nearby((row["lon"], row["lat"]), demo.assets, demo.activities, walk_min=10)
        if not found.places.empty:
            break
    postcode = f"{row['postcode'][:4]} {row['postcode'][4:].lower()}"
    assert main(["flyer", "--postcode", postcode, "--out", str(out), *db]) == 0
    assert capsys.readouterr().out.strip() == (  # Dutch by default
        f"Flyer geschreven naar {out}: {len(found.places)} plekken en {len(found.activities)} "
        "activiteiten binnen 10 minuten lopen"
    )
    pages, text = pdf_text(out)
    assert pages == 1
    assert " ".join(str(found.places.iloc[0]["name"]).split()) in text
    assert f"postcode {row['postcode'][:4]} {row['postcode'][4:]}" in text
    assert not list(tmp_path.glob(".flyer.pdf.*"))  # no temporary file left


def test_flyer_for_a_buurt_in_english(tmp_path, db, demo, capsys):
    buurt = busiest_buurt(demo)
    out = tmp_path / "buurt.pdf"
    args = ["flyer", "--buurt", buurt, "--walk-min", "15", "--lang", "en", "--out", str(out)]
    assert main([*args, *db]) == 0
    found = nearby(buurt_origin(demo.areas, buurt), demo.assets, demo.activities, walk_min=15)
    assert len(found.places) > 0
    assert f": {len(found.places)} places and {len(found.activities)} activities" in (
        capsys.readouterr().out
    )
    pages, text = pdf_text(out)
    name = demo.areas.loc[demo.areas["code"] == buurt, "name"].iloc[0]
    assert pages == 1
    assert f"the middle of {name}" in text
    assert " ".join(str(found.places.iloc[0]["name"]).split()) in text


def test_flyer_with_nothing_in_reach_names_the_nearest_place_a_contact_and_the_demo(
    tmp_path, db, demo
):
    table = read_postcodes(DEMO / "postcodes.csv")
    for _, row in table.iterrows():  # a demo postcode with no place within 5 minutes
        origin = (row["lon"], row["lat"])
        if nearby(origin, demo.assets, demo.activities, walk_min=5).places.empty:
            break
    wider = nearby(origin, demo.assets, demo.activities, walk_min=60).places.iloc[0]
    out = tmp_path / "ver.pdf"
    args = ["flyer", "--postcode", row["postcode"], "--walk-min", "5", "--out", str(out)]
    assert main([*args, "--contact", "Wijkteam Lindeveen, 0570 000 000", *db]) == 0
    pages, text = pdf_text(out)
    assert pages == 1
    name = " ".join(str(wider["name"]).split())
    assert f"De dichtstbijzijnde ontmoetingsplek is {name}" in text
    assert f"ongeveer {int(wider['walk_min'])} minuten lopen" in text
    assert "Wijkteam Lindeveen, 0570 000 000" in text
    assert "Demodata: Lindeveen is een verzonnen gemeente" in text


def test_flyer_with_an_own_postcode_table(tmp_path, db, demo):
    table = tmp_path / "pc.csv"
    lon, lat = buurt_origin(demo.areas, busiest_buurt(demo))
    table.write_text(f"postcode,lon,lat\n7411AB,{lon},{lat}\n", "utf-8")
    out = tmp_path / "f.pdf"
    args = ["flyer", "--postcode", "7411AB", "--postcodes", str(table), "--out", str(out)]
    assert main([*args, *db]) == 0
    assert "postcode 7411 AB" in pdf_text(out)[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--postcode", "7411AB"], "not found in the postcode table postcodes.csv"),
        (["--postcode", "74a"], "'74a' is not a postcode"),
        (["--buurt", "BU00000000"], "--buurt BU00000000: no such buurt here"),
        (["--buurt", "BU99990101", "--walk-min", "61"], "(--walk-min) must be between 1 and 60"),
    ],
)
def test_flyer_refuses_without_writing(tmp_path, db, capsys, args, message):
    out = tmp_path / "f.pdf"
    assert main(["flyer", *args, "--lang", "en", "--out", str(out), *db]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_flyer_needs_a_pdf_name(tmp_path, db, capsys):
    args = ["flyer", "--buurt", "BU99990101", "--lang", "en", *db]
    assert main([*args, "--out", str(tmp_path / "f.html")]) == 2
    assert "use a .pdf file name" in capsys.readouterr().err


# --- connections -------------------------------------------------------------------------------


def test_connections_counts_only(url, db, capsys):
    assert main(["connections", "--json", *db]) == 0  # seeds the demo workspace
    assert json.loads(capsys.readouterr().out) == []
    clock = Clock(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))
    store = Store(url, clock=clock)
    receipt = store.submit_talent(
        submission(nickname="Geheimnaam", buurt_code="BU99990101", contact="g@example.nl")
    )
    store.decide(receipt.id, status="approved", actor="wim")
    store.record_connection(
        "demo-0102", receipt.id, category="koken", actor="wim", note="Vertrouwelijke notitie"
    )
    clock.advance(days=30)
    store.record_connection("demo-0109", receipt.id, category="koken", actor="wim")
    store.close()

    assert main(["connections", "--json", *db]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out)
    assert [(r["period"], r["buurt_code"], r["count"]) for r in rows] == [
        ("2026-03-01", "BU99990101", 1),
        ("2026-04-01", "BU99990101", 1),
    ]
    assert all(set(r) == {"period", "buurt_code", "buurt_name", "count"} for r in rows)
    for secret in (receipt.id, "Geheimnaam", "Vertrouwelijke", "g@example.nl", "wim", "demo-01"):
        assert secret not in out

    assert main(["connections", "--freq", "W", *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5  # weeks of 2 March to 30 March, none left out
    assert lines[0].split()[:2] == ["2026-03-02", "BU99990101"] and lines[0].split()[-1] == "1"
    assert lines[-1].split()[0] == "2026-03-30" and lines[-1].split()[-1] == "1"
    assert [line.split()[-1] for line in lines[1:-1]] == ["0", "0", "0"]


def test_flyer_looks_a_postcode_up_online_with_a_house_number(tmp_path, db, demo, monkeypatch):
    from asset_map.io import postcode

    lon, lat = buurt_origin(demo.areas, busiest_buurt(demo))
    asked = []

    def fake_lookup(pc: str, number: str, **_kw: object) -> postcode.Address:
        asked.append((pc, number))
        return postcode.Address("Straat 12, Lindeveen", lon, lat, None, None)

    monkeypatch.setattr(postcode, "lookup", fake_lookup)
    out = tmp_path / "f.pdf"
    args = ["flyer", "--postcode", "7411 ab", "--house-number", "12", "--out", str(out)]
    assert main([*args, *db]) == 0
    assert asked == [("7411AB", "12")]
    assert "postcode 7411 AB" in pdf_text(out)[1]


def test_flyer_says_what_to_do_when_offline(tmp_path, db, monkeypatch, capsys):
    from asset_map.io import postcode

    def offline(pc: str, number: str, **_kw: object) -> postcode.Address:
        raise postcode.PostcodeError("The address service cannot be reached (offline).")

    monkeypatch.setattr(postcode, "lookup", offline)
    out = tmp_path / "f.pdf"
    args = ["flyer", "--postcode", "7411AB", "--house-number", "12", "--out", str(out)]
    assert main([*args, "--lang", "en", *db]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached (offline). Or use --buurt CODE." in err
    assert not out.exists()
