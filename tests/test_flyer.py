"""The resident's flyer: one A4 page, large type, nearest places with walking minutes."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader
from verbinden_fixtures import ORIGIN, activities, activity, assets

from asset_map.analysis.nearby import nearby
from asset_map.model import ACTIVITY_COLUMNS
from asset_map.render.flyer import nearby_flyer


def pdf_pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def font_sizes(page) -> set[float]:
    content = page.get_contents().get_data().decode("latin-1")
    return {float(size) for size in re.findall(r"/\S+ ([\d.]+) Tf", content)}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pdf_pages(pdf))


def test_one_a4_page_with_the_nearest_place_and_its_walking_minutes():
    found = nearby(ORIGIN, assets(), activities(), walk_min=10)
    pdf = nearby_flyer(found, place_label="7411 AB", generated_at=date(2026, 11, 22))
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(pdf)
    assert "Wat is er te doen bij u in de buurt?" in text
    assert "7411 AB" in text
    assert "Plek p6" in text and "4 min. lopen" in text  # the nearest place: 260 m
    assert "6 min. lopen" in text  # the next: 390 m
    assert "Maandag" in text and "14:00–16:00" in text
    assert "info@test.example" in text
    assert "22-11-2026" in text
    assert "andere activiteiten" not in text  # everything fits
    assert min(font_sizes(pages[0])) >= 11


def test_many_activities_still_fit_on_one_page_and_say_how_many_more():
    rows = [
        activity(f"m{i}", "p1" if i % 2 else "p6", 1 + i % 7, f"{8 + i % 12:02d}:00")
        for i in range(120)
    ]
    acts = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)
    found = nearby(ORIGIN, assets(), acts, walk_min=10)
    pdf = nearby_flyer(found, place_label="Rode Dorp", made_by="Welzijn <Test> & Co")
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = text_of(pdf)
    more = re.search(r"En nog (\d+) andere activiteiten", text)
    assert more is not None
    shown = len(re.findall(r"\d\d:\d\d–\d\d:\d\d", text))
    assert shown >= 4 and shown + int(more.group(1)) == 120
    assert "Welzijn <Test> & Co" in text
    assert min(font_sizes(pages[0])) >= 11


def test_english_and_nothing_near():
    found = nearby(ORIGIN, assets().iloc[0:0], activities().iloc[0:0])
    pdf = nearby_flyer(found, place_label="Rode Dorp", lang="en")
    text = text_of(pdf)
    assert len(pdf_pages(pdf)) == 1
    assert "What is on near you?" in text and "no meeting place" in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_flyer_is_the_same_for_the_same_input(lang):
    found = nearby(ORIGIN, assets(), activities())
    day = date(2026, 1, 2)
    first = nearby_flyer(found, place_label="x", lang=lang, generated_at=day)
    assert first == nearby_flyer(found, place_label="x", lang=lang, generated_at=day)


def _workspace(meta: dict | None = None):
    """The tiny places of ``verbinden_fixtures`` as a workspace (areas are not needed)."""
    import geopandas as gpd

    from asset_map.services.workspace import Workspace

    areas = gpd.GeoDataFrame({"code": [], "level": []}, geometry=[], crs="EPSG:4326")
    return Workspace(
        areas=areas,
        assets=assets(),
        talents=pd.DataFrame(),
        meta=meta or {},
        activities=activities(),
    )


def test_a_flyer_with_nothing_in_reach_names_the_nearest_place_and_whom_to_ask(monkeypatch):
    from asset_map.services import near_me

    monkeypatch.delenv("ASSET_MAP_CONTACT", raising=False)
    ws = _workspace()
    found = near_me.find_nearby(ws, ORIGIN, 1)  # 1 minute: 75 m, nothing that close
    assert found.places.empty
    text = text_of(near_me.flyer(ws, found, place_label="7411 AB"))
    # Plek p6 lies 200 m south: 260 m walking (x 1.3), 3.5 minutes at 4.5 km/h, rounded up.
    assert (
        "De dichtstbijzijnde ontmoetingsplek is Plek p6, Straat 6. "
        "Dat is ongeveer 4 minuten lopen." in text
    )
    assert "Bel uw gemeente: 14 en dan het netnummer" in text
    assert "Demodata" not in text
    pdf = near_me.flyer(ws, found, place_label="7411 AB")
    assert len(pdf_pages(pdf)) == 1
    # The example number is never broken over two lines (a no-break space holds it).
    lines = pdf_pages(pdf)[0].extract_text().splitlines()
    assert any("14\u00a00570" in line or "14 0570" in line for line in lines), lines


def test_the_flyer_gives_the_contact_of_the_settings_and_the_demo_label(monkeypatch):
    from asset_map.services import near_me

    monkeypatch.setenv("ASSET_MAP_CONTACT", "Wijkteam Voorstad, 0570 123 456")
    ws = _workspace({"is_demo": True, "label_nl": "Demodata: een verzonnen gemeente"})
    found = near_me.find_nearby(ws, ORIGIN, 10)
    text = text_of(near_me.flyer(ws, found, place_label="7411 AB"))
    assert "Wijkteam Voorstad, 0570 123 456" in text
    assert "Bel uw gemeente" not in text
    assert "Demodata: een verzonnen gemeente" in text
    assert "Plek p6" in text and "4 min. lopen" in text


def test_a_flyer_far_from_every_place_says_so():
    found = nearby(ORIGIN, assets().iloc[0:0], activities().iloc[0:0], walk_min=5)
    text = text_of(nearby_flyer(found, place_label="Rode Dorp", nearest=None))
    assert "Binnen een uur lopen is er geen ontmoetingsplek." in text
    assert "Bel uw gemeente" in text


def test_a_walking_time_with_a_fraction_is_written_the_dutch_way():
    found = nearby(ORIGIN, assets(), activities(), walk_min=7.5)
    text = text_of(nearby_flyer(found, place_label="7411 AB"))
    assert "binnen 7,5 minuten lopen" in text
