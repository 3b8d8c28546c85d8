"""The wijk report (PDF) of a demo wijk: pages rendered with pdftoppm, text checked with figures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from matplotlib import image as mpimg
from pypdf import PdfReader

from asset_map._errors import AssetMapError
from asset_map.analysis.gap_params import GapParams
from asset_map.analysis.gaps import analyse_gaps, reach_by_profile
from asset_map.analysis.indicators import area_figures
from asset_map.analysis.summary import PublicTotal
from asset_map.render.report import page_count
from asset_map.render.static_map import map_png, scale_length_m
from asset_map.services.report import residents_beyond, wijk_report
from asset_map.services.workspace import Workspace, load_workspace
from asset_map.settings import WINDOWS

WIJK = "WK999901"  # Centrum
WHEN = datetime(2026, 3, 5, 10, 0)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} (poppler-utils) is not installed"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: .ci/run installs poppler-utils)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return load_workspace()


@pytest.fixture(scope="module")
def gaps(ws):
    areas = ws.areas[(ws.areas["code"] == WIJK) | (ws.areas["parent_code"] == WIJK)]
    return analyse_gaps(areas, ws.assets, GapParams(new_sites=3))


@pytest.fixture(scope="module")
def pdf(ws, gaps) -> bytes:
    return wijk_report(ws, WIJK, talents=ws.talents, gaps=gaps, generated_at=WHEN)


@pytest.fixture(scope="module")
def text(pdf, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("report") / "rapport.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def _nl_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def _nl_1(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def test_pages_render_to_png(pdf, tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [_poppler("pdftoppm"), "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == page_count(pdf) == len(PdfReader(path).pages) >= 2
    for page in pages:
        pixels = mpimg.imread(page)[..., :3]
        dark = (pixels.mean(axis=2) < 0.5).mean()
        assert 0.005 < dark < 0.5, f"{page.name} looks blank or black ({dark:.3%} dark pixels)"
    # The map image on page 1 is in colour (asset dots), not only black text.
    first = mpimg.imread(pages[0])[..., :3]
    assert (first.max(axis=2) - first.min(axis=2) > 0.3).mean() > 0.001


def test_title_demo_label_and_date(text, ws):
    assert "Wijkrapport Centrum" in text
    assert "Gemeente Lindeveen" in text and WIJK in text
    assert ws.meta["label_nl"] in text
    assert "Gemaakt op 5 maart 2026" in text


def test_figures_per_buurt_match_area_figures(text, ws, gaps):
    figures = area_figures(ws.areas, ws.assets, level="buurt", talents=ws.talents, gaps=gaps)
    buurten = ws.areas.loc[ws.areas["parent_code"] == WIJK, "code"]
    figures = figures[figures["code"].isin(buurten)]
    wijk = area_figures(ws.areas, ws.assets, talents=ws.talents, gaps=gaps)
    total = wijk[wijk["code"] == WIJK].iloc[0]
    lines = text.splitlines()
    rows = [(str(f["name"]), f) for _, f in figures.iterrows()] + [("Hele wijk", total)]
    assert len(rows) == 6
    for name, fig in rows:
        line = next(ln for ln in lines if ln.strip().startswith(name + " "))
        cells = line.strip()[len(name) :].split()
        talents = PublicTotal(int(fig["talents"]), int(fig["talents_small"])).text("nl")
        expected = [
            _nl_int(fig["inhabitants"]),
            _nl_int(fig["residents_65"]),
            str(fig["assets"]),
            str(fig["meeting_places"]),
            _nl_1(fig["meeting_places_per_1000"]),
            _nl_1(fig["meeting_places_per_1000_65"]),
            *talents.split(),
            _nl_1(100 * fig["coverage"]) + "%",
        ]
        assert cells == expected, name
    assert "9.465" in text  # Centrum's inhabitants, as printed


def test_talents_only_as_public_counts(text, ws):
    approved = ws.talents[ws.talents["status"] == "approved"]
    per_buurt = approved["buurt_code"].value_counts()
    small = per_buurt[(per_buurt < 3) & per_buurt.index.str.startswith("BU999901")]
    assert len(small) > 0  # the demo has small groups in this wijk: they must read "<3"
    assert text.count("<3") >= len(small) + 1  # + the note that explains it


def test_types_table(text, ws):
    existing = ws.assets[(ws.assets["status"] == "existing") & (ws.assets["wijk_code"] == WIJK)]
    n_winkel = int((existing["type"] == "winkel").sum())
    assert re.search(rf"Winkel of bedrijf\s+{n_winkel}\b", text)


def test_gap_summary(text, ws, gaps):
    wijk = area_figures(ws.areas, ws.assets, gaps=gaps)
    share = wijk.loc[wijk["code"] == WIJK, "coverage"].iloc[0]
    assert f"{_nl_1(100 * share)}% van de inwoners woont binnen 10 minuten lopen (750 m)" in text
    buurten = ws.areas.loc[ws.areas["parent_code"] == WIJK, "code"].tolist()
    beyond = residents_beyond(gaps, buurten)
    cells = gaps.cells[gaps.cells["buurt_code"].isin(buurten)]
    assert beyond == pytest.approx(cells.loc[~cells["covered"], "residents"].sum())
    assert f"Ongeveer {_nl_int(beyond)} inwoners wonen verder weg." in text
    first = gaps.sites.iloc[0]
    assert f"1. {first['name']}: nog {_nl_int(first['newly_residents'])} inwoners" in text


def test_sources_with_licence_and_year(text, ws):
    source = ws.meta["sources"][0]
    line = next(ln for ln in text.splitlines() if source["name"] in ln)
    assert source["licence"] in line and str(source["year"]) in line


def test_gemeente_wide_gaps_without_sites(ws, tmp_path):
    """A gap result of the whole gemeente with no sites asked for: no sites part."""
    gaps = analyse_gaps(ws.areas, ws.assets)
    pdf = wijk_report(ws, "WK999903", gaps=gaps, generated_at=WHEN)
    text = "".join(page.extract_text() for page in PdfReader(_bytes_io(pdf)).pages)
    assert "binnen 10 minuten lopen" in text
    assert "nieuwe ontmoetingsplek" not in text and "geen nieuwe plek" not in text


def test_english_report_without_gaps(ws):
    pdf = wijk_report(ws, "WK999904", lang="en", generated_at=WHEN)
    text = "".join(page.extract_text() for page in PdfReader(_bytes_io(pdf)).pages)
    assert "Neighbourhood report Lindeveen-Zuid" in text
    assert "Walking distance was not calculated for this report." in text
    assert "Made on 5 March 2026" in text
    assert "6,100" in text  # English number format


def test_unknown_wijk_lists_the_codes(ws):
    with pytest.raises(AssetMapError, match=r"no wijk 'WK000000'.*WK999901 \(Centrum\)"):
        wijk_report(ws, "WK000000")


def test_user_text_is_printed_literally_and_osm_credited(ws):
    areas = ws.areas.copy()
    areas.loc[areas["code"] == "BU99990101", "name"] = "<b>Oude & Kern</b>"
    meta = {
        "name": "Lindeveen",
        "is_demo": False,
        "sources": [
            {"name": "© OpenStreetMap contributors (ODbL)", "licence": "ODbL 1.0", "year": 2025}
        ],
    }
    other = Workspace(areas=areas, assets=ws.assets, talents=ws.talents, meta=meta)
    pdf = wijk_report(other, WIJK, generated_at=WHEN)
    text = "".join(page.extract_text() for page in PdfReader(_bytes_io(pdf)).pages)
    assert "<b>Oude & Kern</b>" in text
    assert "ODbL 1.0" in text and "OpenStreetMap contributors" in text
    assert "Demodata" not in text


def test_missing_figures_print_a_dash(ws, tmp_path):
    areas = ws.areas.copy()
    areas.loc[areas["code"] == "BU99990101", ["inhabitants", "pct_65_plus"]] = np.nan
    changed = Workspace(areas=areas, assets=ws.assets, talents=ws.talents, meta=ws.meta)
    pdf = wijk_report(changed, WIJK, generated_at=WHEN)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True)
    line = next(ln for ln in out.stdout.decode().splitlines() if ln.strip().startswith("Oude Kern"))
    cells = line.split()[2:]
    # inhabitants, 65+ unknown; places and meeting places counted; both rates unknown
    assert cells[0:2] == ["–", "–"] and cells[4:6] == ["–", "–"]
    assert "inf" not in line and "nan" not in line.lower()


def test_map_png(ws):
    png = map_png(ws.areas, ws.assets, focus_code="BU99990404", width_px=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = mpimg.imread(_bytes_io(png))
    assert pixels.shape[:2] == (300, 400)
    with pytest.raises(AssetMapError, match=r"no wijk or buurt 'XX'.*WK999901"):
        map_png(ws.areas, ws.assets, focus_code="XX")
    assert scale_length_m(5000) == 1000 and scale_length_m(1200) == 250


def test_page_count_of_a_one_page_pdf(ws):
    empty = pd.DataFrame({"status": pd.Series([], dtype="str")})
    one = Workspace(areas=ws.areas, assets=ws.assets.iloc[:0], talents=empty, meta={"name": "X"})
    pdf = wijk_report(one, "WK999904", generated_at=WHEN)
    assert page_count(pdf) == len(PdfReader(_bytes_io(pdf)).pages)


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def test_coverage_per_walking_profile_and_time_window(text, ws):
    areas = ws.areas[(ws.areas["code"] == WIJK) | (ws.areas["parent_code"] == WIJK)]
    table = reach_by_profile(areas, ws.assets, GapParams(), activities=ws.activities)
    shares = table.set_index(["profile", "window"])["share"]
    assert "Binnen loopafstand per manier van lopen en per tijdvak." in text
    lines = [line.strip() for line in text.splitlines()]
    for profile, label in (("gemiddeld", "Gemiddeld (4,5 km/u)"), ("ouderen", "Ouderen")):
        row = next(line for line in lines if line.startswith(label))
        figures = [f"{_nl_1(100 * shares[(profile, w)])}%" for w in WINDOWS]
        assert row.split()[-len(figures) :] == figures, row
    assert shares[("ouderen", "any")] < shares[("gemiddeld", "any")]
