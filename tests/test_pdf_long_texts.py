"""Every PDF holds texts of any length: names are cut, the flyer stays one page, nothing crashes.

reportlab cannot split a table row over pages, so one name taller than a page stopped the
flyer (``LayoutError``), on the command line and behind the public "print" button alike.
"""

from __future__ import annotations

import io

import pytest
from cli_helpers import run_cli
from pypdf import PdfReader
from verbinden_fixtures import ORIGIN, activities, assets

from asset_map.analysis.nearby import nearby
from asset_map.model import ASSET_COLUMNS, catalogue
from asset_map.render.flyer import nearby_flyer
from asset_map.render.pdf_text import NAME_CHARS, para, short
from asset_map.services.report import wijk_report
from asset_map.services.workspace import load_workspace
from asset_map.storage import Store

LONG_NAME = "Buurthuis " * 10_000  # 100,000 characters with spaces
ONE_WORD = "X" * 50_000  # no space to break at


def _text(pdf: bytes) -> tuple[int, str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return len(pages), " ".join(" ".join(p.extract_text().split()) for p in pages)


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        ("Buurthuis De Linde", 120, "Buurthuis De Linde"),
        ("een\n  twee\tdrie", 120, "een twee drie"),
        ("x" * 10, 5, "xxxx…"),
        ("ab " * 5, 6, "ab ab…"),
        (None, 120, ""),
        (float("nan"), 120, ""),
    ],
)
def test_short_cuts_to_the_limit_known_answers(value, limit, shown):
    assert short(value, limit) == shown
    assert len(short(value, limit)) <= limit


def test_para_escapes_after_cutting():
    assert para("<b>&" * 100, 6) == "&lt;b&gt;&amp;&lt;…"  # 5 characters and …


def test_the_flyer_with_endless_names_is_one_page():
    places = assets()
    places.loc[places.index[0], "name"] = LONG_NAME
    places.loc[places.index[1], "name"] = ONE_WORD
    places.loc[places.index[2], "address"] = "Straat " * 5_000
    acts = activities()
    acts.loc[acts.index[0], "title"] = "Koffie " * 5_000
    acts.loc[acts.index[0], "organiser"] = "O" * 20_000
    found = nearby(ORIGIN, places, acts, walk_min=10)
    pdf = nearby_flyer(found, place_label="P" * 5_000, made_by="Welzijn " * 3_000)
    pages, text = _text(pdf)
    assert pages == 1
    assert "Buurthuis Buurthuis" in text and "…" in text
    assert text.count("P") < NAME_CHARS + 10  # the start label is cut too
    assert "Plek p6" in text  # the other places are still there


def test_the_flyer_command_with_an_endless_place_name(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    demo = load_workspace()
    places = demo.assets[ASSET_COLUMNS].copy()
    meeting = places.index[places["type"].isin(catalogue().meeting_place_types())]
    places.loc[meeting, "name"] = LONG_NAME  # the flyer lists meeting places
    with Store(url) as store:
        store.save_workspace(demo.areas, places, meta={"name": "Lindeveen"}, actor="test")
    out = tmp_path / "flyer.pdf"
    buurt = demo.areas.loc[demo.areas["level"] == "buurt", "code"].iloc[0]
    args = ["flyer", "--buurt", buurt, "--walk-min", "60", "--out", str(out)]
    code, _out, err = run_cli(capsys, [*args, "--database", url])
    assert code == 0, err
    pages, text = _text(out.read_bytes())
    assert pages == 1 and "Buurthuis Buurthuis" in text and "…" in text


def test_the_wijk_report_with_endless_names():
    ws = load_workspace()
    wijk = "WK999901"
    ws.areas.loc[ws.areas["code"] == wijk, "name"] = "Wijk " * 4_000
    first_buurt = ws.areas.index[ws.areas["parent_code"] == wijk][0]
    ws.areas.loc[first_buurt, "name"] = ONE_WORD
    ws.meta["sources"] = [{"name": LONG_NAME, "licence": "L" * 9_000, "year": 2024}]
    ws.meta["name"] = "Gemeente " * 2_000
    pdf = wijk_report(ws, wijk, talents=ws.talents)
    pages, text = _text(pdf)
    assert 1 <= pages <= 4
    assert text.count("Wijk Wijk") < 200 and "…" in text
