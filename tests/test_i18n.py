"""UI texts: every key the code uses exists, in Dutch and English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from prose_scan import error_classes, user_texts

from asset_map.i18n import STRINGS, t

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("asset_map/**/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "app.py"]
LITERAL_KEY = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_0-9]+\.[a-z_0-9.]+)["']""")


def test_every_literal_key_in_the_code_exists():
    used = {m.group(1) for path in SOURCES for m in LITERAL_KEY.finditer(path.read_text())}
    assert len(used) > 100
    missing = sorted(used - set(STRINGS))
    assert missing == []


def test_every_text_has_dutch_and_english_and_the_same_fields():
    for key, texts in STRINGS.items():
        assert texts["nl"].strip() and texts["en"].strip(), key
        fields = [set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in ("nl", "en")]
        assert fields[0] == fields[1], key


def test_unknown_key_is_an_error():
    with pytest.raises(KeyError):
        t("no.such.key")
    assert t("gaps.done", "en", seconds="1,5") == "Done in 1,5 seconds"


def test_every_message_key_written_out_in_the_code_exists():
    # Core messages (Msg) are often built a line away from the call, so look at every
    # string constant that has the shape of a message key, not only at call sites.
    shape = re.compile(r"(note|err)(\.[a-z_0-9]+){2,}")
    used, prefixes = set(), set()
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):  # f"note.x.{k}": checked where it is used
                prefixes.update(id(part) for part in node.values)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in prefixes
                and shape.fullmatch(node.value)
            ):
                used.add(node.value)
    assert "note.gaps.no_meeting_places_now" in used
    assert sorted(used - set(STRINGS)) == []


def test_a_count_of_one_takes_the_singular():
    assert t("moderate.pending", "nl", n=1) == "1 talent wacht op beoordeling"
    assert t("moderate.pending", "nl", n=2) == "2 talenten wachten op beoordeling"
    assert t("moderate.pending", "en", n=1) == "1 talent waiting for review"
    assert t("gaps.done", "nl", seconds="1") == "Klaar in 1 seconde"
    assert t("gaps.done", "nl", seconds="1,5") == "Klaar in 1,5 seconden"
    assert t("near.nearest", "nl", name="De Linde", minutes=1).endswith("1 minuut lopen.")
    assert t("connect.walk_from", "en", n=1, buurt="Oud") == "1 minute's walk, lives in Oud"


def test_every_singular_has_the_fields_of_its_plural_and_a_known_count():
    singulars = {k: v for k, v in STRINGS.items() if "nl_one" in v or "en_one" in v}
    assert len(singulars) > 20
    for key, texts in singulars.items():
        count = texts.get("count", "n")
        plural = set(re.findall(r"\{(\w+)\}", texts["nl"]))
        assert count in plural, key
        for lang in ("nl", "en"):
            one = set(re.findall(r"\{(\w+)\}", texts[f"{lang}_one"]))
            assert one <= plural and plural - one <= {count}, key


@pytest.mark.parametrize(
    ("value", "decimals", "nl", "en"),
    [
        (1410, 0, "1.410", "1,410"),
        (579.3, 0, "579", "579"),
        (0.23, 1, "0,2", "0.2"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (-0.04, 1, "0,0", "0.0"),
        (float("nan"), 0, "–", "–"),
        (None, 1, "–", "–"),
    ],
)
def test_numbers_are_written_as_their_readers_write_them(value, decimals, nl, en):
    from asset_map.i18n import number

    assert number(value, "nl", decimals=decimals) == nl
    assert number(value, "en", decimals=decimals) == en


def test_metres_are_whole_and_percentages_have_one_decimal():
    from asset_map.i18n import metres, percent

    assert metres(579.3, "nl") == "579" and metres(1628.6, "nl") == "1.629"
    assert percent(0.4641, "nl", share=True) == "46,4%"
    assert percent(70.0, "en") == "70.0%"


def test_no_error_or_note_a_user_reads_is_written_in_the_code():
    # Every error a user can meet (AssetMapError and its subclasses) and every note is a Msg,
    # so a Dutch screen and `asset-map --lang nl` show it in Dutch. A ValueError for a
    # programmer's misuse of an internal function may stay English.
    errors = error_classes() | {"PostcodeError"}
    package = [path for path in SOURCES if "asset_map" in path.parts]
    found = {
        str(path.relative_to(ROOT)): user_texts(path.read_text("utf-8"), errors) for path in package
    }
    assert {name: words for name, words in found.items() if words} == {}


def test_the_scan_finds_english_in_errors_and_notes():
    source = (
        'raise SchemaError(f"{path}: no column {name}")\n'
        'problems.append(SchemaError("bad"))\n'
        'notes.append(f"Skipped {n} rows.")\n'
        'self.warnings.extend([f"{n} more"])\n'
        'raise SchemaError(Msg("err.x", path=path))\n'
        'notes.append(Msg("note.x", n=n))\n'
        'raise ValueError(f"k must be 0 or more, got {k}")\n'
        'rows.append(f"row {n}")\n'
    )
    assert user_texts(source, {"SchemaError"}) == [
        ": no column ",
        "bad",
        "Skipped ",
        " rows.",
        " more",
    ]
