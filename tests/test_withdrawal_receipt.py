"""The receipt of a withdrawal code: one A4 page, the code on one line, how to use it."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from asset_map.render.receipt import withdrawal_receipt
from asset_map.rules.auth import new_withdrawal_code, normalise_code

CODE = "K7QX-3MRA-9TZE"


def _lines(pdf: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    return [line.strip() for line in pages[0].extract_text().splitlines()]


def test_the_code_stands_whole_on_one_line_with_what_it_is_for():
    pdf = withdrawal_receipt(
        CODE,
        made_on=date(2026, 12, 7),
        months=12,
        where="https://kaart.example.nl/meedoen",
        demo_label="Demodata: Lindeveen is een verzonnen gemeente",
    )
    lines = _lines(pdf)
    assert CODE in lines  # alone on its line: never broken at a hyphen
    text = " ".join(lines)
    assert "Bewijs van uw aanmelding" in text and "07-12-2026" in text
    assert "'Gegevens wissen'" in text and "https://kaart.example.nl/meedoen" in text
    assert "niet langer dan 12 maanden" in text
    assert "Demodata: Lindeveen is een verzonnen gemeente" in text
    assert normalise_code(CODE) == "K7QX3MRA9TZE"


def test_every_code_fits_on_one_line_in_english_too():
    for _ in range(20):
        code = new_withdrawal_code()
        lines = _lines(withdrawal_receipt(code, lang="en", months=1))
        assert code in lines
        assert "no longer than 1 month." in " ".join(lines)


def test_the_receipt_says_nothing_about_the_resident():
    text = " ".join(_lines(withdrawal_receipt(CODE)))
    assert "Receipt" not in text  # Dutch by default
    for absent in ("Buurt", "Talent:", "@"):
        assert absent not in text
