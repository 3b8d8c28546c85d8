"""Every ``asset-map`` command speaks Dutch by default and English with ``--lang en``.

Each test runs the real command line (``asset_map.cli.main``) on the demo files or a bad
input, and reads what it prints: the lines on stdout, the notes ("let op:" / "note:") and the
errors on stderr. The English texts are the ones the commands printed before they spoke Dutch.
The gaps command has tests of its own (tests/test_cli_gaps.py).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from cli_helpers import run_map
from prose_scan import bare_texts, error_classes

from asset_map._errors import AssetMapError, CRSError
from asset_map.analysis.gap_params import GapParams
from asset_map.cli import main
from asset_map.crs import guess_coordinate_mixup
from asset_map.i18n import Msg, explain, localise
from asset_map.io import read_assets
from asset_map.io.postcode import PostcodeError

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
DEMO_FILES = ["--areas", str(DEMO / "areas.geojson"), "--assets", str(DEMO / "assets.geojson")]
#: The command modules this file checks (cli/gaps.py has tests of its own).
CLI_FILES = [
    ROOT / "asset_map" / "cli" / name
    for name in ("__init__.py", "_common.py", "accounts.py", "data.py", "export.py", "maps.py")
] + [ROOT / "asset_map" / "cli" / "verbinden.py"]


@pytest.fixture
def db(tmp_path) -> list[str]:
    """Options for a throwaway database (seeded with the demo on first use)."""
    return ["--database", f"sqlite:///{tmp_path / 'db.sqlite'}"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- map: the note prefix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "note", "wrote"),
    [
        ("nl", "let op: talents.csv: {n} talenten gelezen.", "Opgeslagen: {out}"),
        ("en", "note: talents.csv: {n} talents read", "wrote {out}"),
    ],
)
def test_map_notes_follow_the_language(tmp_path, capsys, lang, note, wrote):
    out = tmp_path / "kaart.html"
    talents = DEMO / "talents.csv"
    args = ["map", *DEMO_FILES, "--talents", str(talents), "--out", str(out), "--lang", lang]
    code, stdout, err = run(capsys, *args)
    assert code == 0
    n = len(talents.read_text("utf-8").strip().splitlines()) - 1  # one talent a row
    assert err.splitlines() == [note.format(n=n), wrote.format(out=out)]
    total = "Totaal" if lang == "nl" else "Total"
    assert re.search(
        rf"^{total}\s+{len(read_assets(DEMO / 'assets.geojson').frame)}$", stdout, re.M
    )


# --- import: the summary lines -------------------------------------------------------------------


def _import_twice(tmp_path: Path, capsys, lang: str) -> tuple[str, str, str, str]:
    """Replace the demo workspace by the demo files, then import their assets again as another
    source: every named place is then a likely duplicate at 0 m.
    """
    url = f"sqlite:///{tmp_path / f'{lang}.sqlite'}"
    assert run(capsys, "connections", "--database", url)[0] == 0  # seeds the demo workspace
    first = run(capsys, "import", *DEMO_FILES, "--lang", lang, "--database", url)
    again = ["import", "--assets", str(DEMO / "assets.geojson"), "--source", "Tweede"]
    second = run(capsys, *again, "--lang", lang, "--database", url)
    assert first[0] == 0 and second[0] == 0
    return first[1], first[2], second[1], second[2]


def test_import_summary_in_dutch_and_english(tmp_path, capsys):
    n = len(read_assets(DEMO / "assets.geojson").frame)
    out, err, out2, _err2 = _import_twice(tmp_path, capsys, "nl")
    assert out == f"areas.geojson: 4 wijken, 20 buurten, {n} plekken\n"
    assert err == "let op: De demo is helemaal vervangen door areas.geojson.\n"
    dutch = out2.splitlines()
    assert re.fullmatch(r"areas\.geojson: 4 wijken, 20 buurten, \d+ plekken", dutch[0])
    assert dutch[1].startswith("waarschijnlijk dubbel: '")
    assert "(Demo Lindeveen (fictief)) en '" in dutch[1]
    assert dutch[1].endswith(
        "(Tweede), 0 m uit elkaar, namen 1.00 gelijk: samengevoegd "
        "(zelfde soort, 0 m uit elkaar, namen 1.00 gelijk)"
    )

    out, err, out2, _err2 = _import_twice(tmp_path, capsys, "en")
    assert out == f"areas.geojson: 4 wijken, 20 buurten, {n} assets\n"
    assert err == "note: The demo was replaced whole by areas.geojson.\n"
    english = out2.splitlines()
    assert english[1].startswith("likely duplicate: '")
    assert english[1].endswith(
        "(Tweede), 0 m apart, names 1.00 alike: merged (same type, 0 m apart, names 1.00 alike)"
    )
    assert len(english) == len(dutch)


def test_import_json_is_the_same_in_both_languages_but_for_the_notes(tmp_path, capsys):
    results = {}
    for lang in ("nl", "en"):
        url = f"sqlite:///{tmp_path / f'{lang}.sqlite'}"
        args = ["import", *DEMO_FILES, "--json", "--lang", lang, "--database", url]
        code, out, _err = run(capsys, *args)
        assert code == 0
        again = ["import", "--assets", str(DEMO / "assets.geojson"), "--source", "Tweede"]
        code, out, _err = run(capsys, *again, "--json", "--lang", lang, "--database", url)
        assert code == 0
        results[lang] = json.loads(out)
    nl, en = results["nl"], results["en"]
    assert nl.pop("notes") != en.pop("notes")
    assert nl == en
    assert nl["merged_duplicates"] > 0
    assert nl["decisions"][0]["reason"].startswith("same type")  # data: always English


def test_fetch_speaks_dutch_and_has_lang(servers, tmp_path, capsys):
    pdok, overpass = servers
    fetch = ["fetch", "--gemeente", "GM9999", "--pdok-url", pdok.base]
    fetch += ["--overpass-url", overpass.url]
    code, out, err = run(capsys, *fetch, "--database", f"sqlite:///{tmp_path / 'nl.sqlite'}")
    assert code == 0
    assert re.fullmatch(r"Lindeveen: 2 wijken, 5 buurten, \d+ plekken\n", out)
    lines = err.splitlines()
    assert lines[0] == "Bezig met downloaden: de wijken en buurten (CBS/PDOK) ..."
    assert "Bezig met downloaden: de plekken uit OpenStreetMap ..." in lines
    assert "let op: Opgehaald bij PDOK (CBS wijk- en buurtkaart 2024)" in err
    assert "note:" not in err and "downloading" not in err

    english = [*fetch, "--lang", "en", "--database", f"sqlite:///{tmp_path / 'en.sqlite'}"]
    code, out, err = run(capsys, *english)
    assert code == 0
    assert re.fullmatch(r"Lindeveen: 2 wijken, 5 buurten, \d+ assets\n", out)
    assert err.splitlines()[0] == "downloading the districts and neighbourhoods (CBS/PDOK) ..."
    assert "downloading the places from OpenStreetMap ..." in err.splitlines()
    assert "note: Downloaded from PDOK (CBS wijk- en buurtkaart 2024)" in err
    assert "let op:" not in err


# --- export and report ------------------------------------------------------------------------


def test_export_refusals_in_dutch_and_english(tmp_path, db, capsys):
    out = tmp_path / "x.csv"
    bad = ["export", "--out", str(out), "--wijk", "WK1", "--type", "zwembad", *db]
    code, _out, err = run(capsys, *bad)
    assert code == 2 and not out.exists()
    assert err.startswith("asset-map: error: --wijk WK1: deze wijk is er hier niet. Wijkcodes: ")
    assert "WK999901, WK999902, WK999903, WK999904. --type zwembad: deze soort kennen" in err
    code, _out, err = run(capsys, *bad, "--lang", "en")
    assert err.startswith("asset-map: error: --wijk WK1: no such wijk here. Wijk codes: WK999901")
    assert ". --type zwembad: unknown type. Types: talent, vereniging" in err

    code, _out, err = run(capsys, "export", "--out", str(tmp_path / "x.xlsx"), *db)
    assert code == 2
    assert "--out x.xlsx: aan '.xlsx' zien we niet wat voor bestand het moet worden." in err
    code, _out, err = run(capsys, "export", "--out", str(out), "--areas", DEMO_FILES[1], *db)
    assert code == 2
    assert "Geef --areas en --assets allebei, of geen van beide." in err


def test_export_notes_in_dutch_and_english(tmp_path, db, capsys):
    out = tmp_path / "x.csv"
    code, stdout, err = run(capsys, "export", "--out", str(out), "--tag", "zwemmen", *db)
    assert code == 0
    assert err.splitlines() == [
        "let op: geen enkele plek heeft zwemmen.",
        "let op: Geen plek past bij deze keuzes. Het bestand is leeg.",
    ]
    assert stdout == f"0 plekken geschreven naar {out}\n"
    code, stdout, err = run(
        capsys, "export", "--out", str(out), "--tag", "zwemmen", "--lang", "en", *db
    )
    assert err.splitlines() == [
        "note: no asset has zwemmen.",
        "note: no asset matches these choices; the file holds none.",
    ]
    assert stdout == f"0 places written to {out}\n"


def test_report_refusals_in_dutch(tmp_path, db, capsys):
    out = tmp_path / "r.pdf"
    code, _out, err = run(capsys, "report", "--wijk", "WK1", "--out", str(out), *db)
    assert code == 2
    assert err == (
        "asset-map: error: --wijk WK1: deze wijk is er hier niet. Wijken: WK999901 (Centrum), "
        "WK999902 (Oosterhof), WK999903 (De Velden), WK999904 (Lindeveen-Zuid).\n"
    )
    code, _out, err = run(capsys, "report", "--wijk", "WK999901", "--out", str(tmp_path / "r"), *db)
    assert "--out r: het rapport is een pdf." in err
    # The gaps code's own message inside the report's: still in the chosen language.
    with pytest.raises(AssetMapError) as caught:
        GapParams(new_sites=50)
    args = ["report", "--wijk", "WK999901", "--out", str(out), "--new-sites", "50", *db]
    for lang in ("nl", "en"):
        code, _out, err = run(capsys, *args, "--lang", lang)
        assert code == 2
        assert err == f"asset-map: error: report: {explain(caught.value, lang)}\n"
    assert explain(caught.value, "nl") != explain(caught.value, "en")
    assert not out.exists()


# --- activities, flyer, connections -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "dutch", "english"),
    [
        (
            ["--day", "zondagmiddag"],
            "--day zondagmiddag: dit is geen dag van de week. Geef 1 (maandag) tot en met 7",
            "--day zondagmiddag: not a day of the week. Use 1 (Monday) to 7 (Sunday)",
        ),
        (
            ["--today", "5-3-2026"],
            "--today 5-3-2026: dit is geen datum. Schrijf JJJJ-MM-DD",
            "--today 5-3-2026: not a date. Write YYYY-MM-DD",
        ),
        (
            ["--buurt", "BU1"],
            "--buurt BU1: deze buurt is er hier niet. Buurtcodes: BU99990101, BU99990102",
            "--buurt BU1: no such buurt here. Buurt codes: BU99990101, BU99990102",
        ),
    ],
)
def test_activities_list_refusals(db, capsys, args, dutch, english):
    code, _out, err = run(capsys, "activities", "list", *args, *db)
    assert code == 2 and err.startswith(f"asset-map: error: {dutch}")
    code, _out, err = run(capsys, "activities", "list", *args, "--lang", "en", *db)
    assert code == 2 and err.startswith(f"asset-map: error: {english}")


def test_activities_list_note_when_nothing_is_on(db, capsys):
    # BU99990206 is the demo's business park: no activities there.
    args = ["activities", "list", "--buurt", "BU99990206", "--today", "2026-03-05", *db]
    assert run(capsys, *args) == (
        0,
        "",
        "let op: In deze zeven dagen is er geen activiteit die past bij deze keuzes.\n",
    )
    assert run(capsys, *args, "--lang", "en") == (
        0,
        "",
        "note: no activity matches these choices in these seven days.\n",
    )


def test_activities_import_counts_and_refusal(tmp_path, db, capsys):
    csv = tmp_path / "act.csv"
    csv.write_text(
        "id,asset_id,title,kind,weekday,start,end\na1,demo-0102,Schaakclub,spelmiddag,3,19:00,21:00\n",
        "utf-8",
    )
    needs = tmp_path / "needs.csv"
    needs.write_text("asset_id,categories,note\ndemo-0102,koken,Wie kookt mee?\n", "utf-8")
    args = ["activities", "import", str(csv), "--needs", str(needs), "--replace", *db]
    code, out, _err = run(capsys, *args)
    assert code == 0
    assert out.splitlines() == [
        "Activiteiten: 1 nieuw, 0 bijgewerkt, 56 verwijderd. Nu 1 in de werkruimte",
        "Wat plekken vragen: 1 nieuw, 0 bijgewerkt, 14 verwijderd. Nu 1 in de werkruimte",
    ]
    code, out, _err = run(capsys, *args, "--lang", "en")
    assert out.splitlines() == [
        "activities: 0 added, 1 updated, 0 removed; 1 in the workspace now",
        "place needs: 0 added, 1 updated, 0 removed; 1 in the workspace now",
    ]
    # 22 unknown places: the first 20 are named, and how many more there are.
    rows = "".join(f"b{i},nergens-{i:02d},Breiclub,breigroep,4,14:00,16:00\n" for i in range(22))
    csv.write_text("id,asset_id,title,kind,weekday,start,end\n" + rows, "utf-8")
    code, _out, err = run(capsys, "activities", "import", str(csv), *db)
    assert code == 2
    assert "act.csv: asset_id nergens-00, nergens-01, " in err
    assert "nergens-19 en nog 2: deze plek is er niet in de werkruimte." in err
    assert "Er is niets geïmporteerd." in err
    code, _out, err = run(capsys, "activities", "import", str(csv), "--lang", "en", *db)
    assert "nergens-19 and 2 more: no such place in the workspace." in err


def test_flyer_in_dutch_and_english(tmp_path, db, capsys):
    out = tmp_path / "f.pdf"
    flyer = ["flyer", "--buurt", "BU99990101", "--out", str(out), *db]
    code, stdout, _err = run(capsys, *flyer)
    assert code == 0
    assert re.fullmatch(
        rf"Flyer geschreven naar {re.escape(str(out))}: \d+ plekken en \d+ activiteiten "
        r"binnen 10 minuten lopen\n",
        stdout,
    )
    code, stdout, _err = run(capsys, *flyer, "--lang", "en")
    assert stdout.startswith(f"flyer written to {out}: ")
    assert stdout.endswith(" activities within 10 minutes' walk\n")

    bad = ["flyer", "--postcode", "1234AB", "--out", str(out), *db]
    code, _out, err = run(capsys, *bad)
    assert code == 2
    assert err == (
        "asset-map: error: --postcode 1234AB: niet gevonden in de postcodetabel postcodes.csv. "
        "Geef de hele postcode en --house-number, dan zoeken we het adres online op (PDOK). "
        "Of gebruik --buurt CODE.\n"
    )
    buurt = ["flyer", "--buurt", "BU99990101", *db]
    code, _out, err = run(capsys, *buurt, "--walk-min", "0", "--out", str(out))
    assert "De looptijd (--walk-min) moet tussen 1 en 60 minuten liggen. U gaf 0." in err
    code, _out, err = run(capsys, *buurt, "--out", str(tmp_path / "f.html"))
    assert "--out f.html: de flyer is een pdf." in err
    code, _out, err = run(capsys, *bad[:-2], "--postcodes", str(tmp_path / "geen.csv"), *db)
    assert f"--postcodes {tmp_path / 'geen.csv'}: dit bestand bestaat niet." in err


def test_flyer_keeps_the_dutch_of_the_address_lookup(tmp_path, db, capsys, monkeypatch):
    from asset_map.io import postcode

    def not_found(pc: str, number: str, **_kw: object) -> postcode.Address:
        raise PostcodeError(Msg("err.io.address_not_found", postcode=pc, number=number))

    monkeypatch.setattr(postcode, "lookup", not_found)
    args = [
        "flyer",
        "--postcode",
        "1234AB",
        "--house-number",
        "7",
        "--out",
        str(tmp_path / "f.pdf"),
    ]
    problem = Msg("err.io.address_not_found", postcode="1234AB", number="7")
    for lang, tail in (("nl", "Of gebruik --buurt CODE."), ("en", "Or use --buurt CODE.")):
        code, _out, err = run(capsys, *args, "--lang", lang, *db)
        assert code == 2
        assert err == f"asset-map: error: --postcode 1234AB: {localise(problem, lang)} {tail}\n"
    assert localise(problem, "nl") != str(problem)


def test_flyer_without_a_postcode_table(tmp_path, db, capsys, monkeypatch):
    monkeypatch.setattr("asset_map.services.near_me.postcode_table_path", lambda _ws: None)
    args = ["flyer", "--postcode", "1234AB", "--out", str(tmp_path / "f.pdf"), *db]
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert "--postcode 1234AB: er is geen postcodetabel op deze computer." in err
    code, _out, err = run(capsys, *args, "--lang", "en")
    assert "--postcode 1234AB: there is no local postcode table to look it up in." in err


def test_connections_note(db, capsys):
    assert run(capsys, "connections", *db) == (
        0,
        "",
        "let op: Er zijn nog geen verbindingen gemaakt.\n",
    )
    assert run(capsys, "connections", "--lang", "en", *db) == (
        0,
        "",
        "note: no connections have been made yet.\n",
    )


# --- user and purge ---------------------------------------------------------------------------


def test_user_and_purge_in_dutch(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("lang-genoeg-wachtwoord\n"))
    add = ["user", "add", "--username", "Wim", "--role", "planner", "--password-stdin"]
    code, _out, err = run(capsys, *add, "--database", url)
    assert (code, err) == (0, f"Account 'wim' (planner) toegevoegd aan {url}\n")
    assert run(capsys, "user", "unlock", "wim", "--database", url) == (
        0,
        "",
        f"Account 'wim' is weer open in {url}\n",
    )
    code, out, _err = run(capsys, "purge", "--database", url)
    assert out == "De persoonlijke gegevens van 0 aanmeldingen ouder dan 365 dagen zijn gewist\n"
    code, out, _err = run(
        capsys, "purge", "--older-than-days", "3", "--lang", "en", "--database", url
    )
    assert out == "erased the personal data of 0 submissions older than 3 days\n"
    code, _out, err = run(capsys, "purge", "--older-than-days", "-1", "--database", url)
    assert (code, err) == (
        2,
        "asset-map: error: Het aantal dagen (--older-than-days) moet tussen 0 en 36500 dagen "
        "liggen. U gaf -1.\n",
    )
    assert run(capsys, "user", "remove", "wim", "--database", url) == (
        0,
        "",
        f"Account 'wim' verwijderd uit {url}\n",
    )
    assert run(capsys, "user", "list", "--database", url) == (0, "Er zijn nog geen accounts.\n", "")
    assert run(capsys, "user", "list", "--lang", "en", "--database", url) == (
        0,
        "no accounts yet\n",
        "",
    )


def test_password_prompts_in_dutch(tmp_path, capsys, monkeypatch):
    prompts: list[str] = []
    answers = iter(["een-lang-wachtwoord", "een-ander-wachtwoord"])

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, _out, err = run(
        capsys, "user", "add", "--username", "wim", "--role", "admin", "--database", url
    )
    assert code == 2
    assert prompts == ["Wachtwoord voor wim: ", "Nog een keer: "]
    assert err == (
        "asset-map: error: De twee wachtwoorden zijn niet gelijk. Er is niets opgeslagen. "
        "Probeer het nog een keer.\n"
    )


# --- a database URL that cannot work: a message, not a traceback --------------------------------


@pytest.mark.parametrize(
    ("url", "dutch", "english"),
    [
        ("mysql://u@h/db", "De database 'mysql'", "Unsupported database 'mysql'"),
        ("sqlite://", "Een SQLite-database in het geheugen", "An in-memory SQLite database"),
    ],
)
def test_a_database_url_that_cannot_work_is_refused_in_words(tmp_path, capsys, url, dutch, english):
    out = str(tmp_path / "m.html")
    code, _, err = run(capsys, "map", "--database", url, "--out", out)
    assert code == 2 and err.startswith(f"asset-map: error: {dutch}")
    code, _, err = run(capsys, "map", "--database", url, "--out", out, "--lang", "en")
    assert code == 2 and err.startswith(f"asset-map: error: {english}")
    assert "Traceback" not in err


# --- crs.guess_coordinate_mixup: a Msg, the English as before ---------------------------------


def test_coordinate_hints_are_messages_with_the_old_english():
    rd = guess_coordinate_mixup(155000, 463000)
    swapped = guess_coordinate_mixup(52.1, 5.3)
    assert isinstance(rd, Msg) and isinstance(swapped, Msg)
    assert rd == (
        " These look like RD New metres: give the CRS EPSG:28992 (in the CLI: --crs EPSG:28992)."
    )
    assert swapped == " Latitude and longitude look swapped: check which column is which."
    assert localise(rd, "nl").startswith(" Dit lijken meters van RD New")
    assert localise(swapped, "nl").startswith(" Breedtegraad en lengtegraad lijken verwisseld")
    assert guess_coordinate_mixup(-70.0, 40.0) == ""


def test_the_hint_inside_an_import_error(tmp_path):
    csv = tmp_path / "swapped.csv"
    csv.write_text("name,type,lat,lon\nA,buurthuis,5.3,52.1\n", "utf-8")
    with pytest.raises(CRSError) as caught:
        read_assets(csv)
    assert "row 2 ('A') at (52.1, 5.3). Latitude and longitude look swapped: check" in str(
        caught.value
    )
    assert "rij 2 ('A') op (52.1, 5.3). Breedtegraad en lengtegraad lijken verwisseld" in explain(
        caught.value, "nl"
    )


def test_analysis_network_still_puts_the_hint_in_its_message():
    from asset_map.analysis.network import snap_gaps_m

    with pytest.raises(CRSError, match=r"\(52\.1, 5\.3\)\. Latitude and longitude look swapped"):
        snap_gaps_m(nx.Graph(), np.array([[52.1, 5.3]]))


# --- no English prose left in the command modules ---------------------------------------------


def _bare_texts(source: str) -> list[str]:
    """Return the words in the code given to ``print``, ``getpass`` or an error class."""
    return bare_texts(source, error_classes() | {"PostcodeError", "print", "getpass"})


def test_no_command_prints_or_raises_text_written_in_the_code():
    found = {path.name: _bare_texts(path.read_text("utf-8")) for path in CLI_FILES}
    assert {name: bare for name, bare in found.items() if bare} == {
        # The prefix argparse also writes; scripts look for it.
        "__init__.py": ["asset-map: error: ", "asset-map: error: "],
    }


def test_the_scan_finds_english_in_prints_and_errors():
    source = (
        'print(f"note: {x}")\n'
        'raise AssetMapError(f"--out {name}: bad")\n'
        'print(f"{a:<{w}}  {n:>6}")\n'
        'print(t("cli.total", lang))\n'
        'print(_counts(f"{what}: {n} added"))\n'
        'raise AssetMapError(Msg("err.cli.then", first=a, then=b))\n'
    )
    assert _bare_texts(source) == ["note: ", "--out ", ": bad", " added"]


# --- map: errors and notes in the language of --lang ---------------------------------------------


def test_errors_follow_lang(tiny_files, tmp_path, capsys):
    bad = tmp_path / "kroeg.csv"
    bad.write_text("name,type,lat,lon\nDe Kroeg,kroeg,52.25,6.16\n")
    args = [
        "--areas",
        str(tiny_files["areas"]),
        "--assets",
        str(bad),
        "--out",
        str(tmp_path / "m.html"),
    ]
    code, _, err = run_map(capsys, *args, "--lang", "en")
    assert code == 2 and "unknown asset type 'kroeg'" in err
    code, _, dutch = run_map(capsys, *args)  # nl is the default
    assert code == 2 and "kroeg" in dutch
    assert "unknown asset type" not in dutch
    assert dutch != err


def test_notes_follow_lang_in_text_and_json(tiny_files, tmp_path, capsys):
    table = pd.read_csv(tiny_files["assets"]).drop(columns="id")  # no id column gives a note
    no_ids = tmp_path / "zonder_id.csv"
    table.to_csv(no_ids, index=False)
    talents = DEMO / "talents.csv"
    out = tmp_path / "m.html"
    args = ["--areas", str(tiny_files["areas"]), "--assets", str(no_ids), "--out", str(out)]
    code, stdout, _ = run_map(capsys, *args, "--json", "--talents", str(talents))
    assert code == 0
    notes = json.loads(stdout)["notes"]
    assert any(n.startswith("talents.csv: ") and "talenten gelezen" in n for n in notes)
    assert not any("talents read" in n for n in notes)
    english = json.loads(run_map(capsys, *args, "--json", "--lang", "en")[1])["notes"]
    assert any("has no id column" in n for n in english)
    assert len(english) == len(notes) - 1  # the same notes, less the talents one
    _, _, err = run_map(capsys, *args)
    assert f"Opgeslagen: {out}" in err and "wrote" not in err
