"""The wijk report: one PDF with a map, the figures per buurt, the gap analysis and the sources.

:func:`draw_wijk_report` draws a :class:`WijkReport` that
:func:`asset_map.services.report.wijk_report` computed (the same numbers the app shows:
:func:`~asset_map.analysis.indicators.area_figures` and the gap analysis); nothing is
computed here. Numbers are formatted the Dutch way in Dutch (``9.465``, ``1,3``,
``76,8%``). Talents appear only as public counts (``<3`` for 1 and 2). The text is set in
DejaVu Sans (shipped with matplotlib) so names with any accent print as written.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from asset_map.analysis.summary import PublicTotal
from asset_map.i18n import localise, t
from asset_map.model import Lang, catalogue
from asset_map.render.pdf_fonts import FONT, a4_pdf, fonts
from asset_map.render.pdf_text import NAME_CHARS, para, short
from asset_map.render.report_history import ReportHistory, history_section
from asset_map.render.report_upkeep import ReportUpkeep, upkeep_section
from asset_map.render.static_map import map_png
from asset_map.render.styles import format_number
from asset_map.settings import PROFILES, WINDOWS

MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=20, leading=24),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=15),
        "demo": ParagraphStyle("demo", parent=body, fontName=bold, textColor=colors.darkred),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=13, leading=17, spaceBefore=8
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "head": ParagraphStyle(
            "head", parent=body, fontName=bold, fontSize=7, leading=8.5, spaceAfter=0
        ),
        "num": ParagraphStyle(
            "num", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "headnum": ParagraphStyle(
            "headnum", parent=body, fontName=bold, fontSize=7, leading=8.5, alignment=TA_RIGHT
        ),
    }


# --- number formats ----------------------------------------------------------------------------


def format_count(value: Any, lang: Lang = "nl") -> str:
    """Format a whole number (``9.465``); missing values give a dash."""
    if value is None or pd.isna(value):
        return "–"
    return format_number(float(round(float(value))), "", lang)


def format_decimal(value: Any, lang: Lang = "nl") -> str:
    """Format a rate with one decimal (``1,3`` in Dutch, ``1.3`` in English); missing: a dash."""
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return "–"
    text = f"{float(value):,.1f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_share(share: Any, lang: Lang = "nl") -> str:
    """Format a share 0..1 as a percentage with one decimal (``76,8%``); missing: a dash."""
    if share is None or pd.isna(share):
        return "–"
    return format_number(100.0 * float(share), "%", lang)


def format_talents(value: Any, small: Any = 0, lang: Lang = "nl") -> str:
    """Format a public talent total (``summary.PublicTotal``): ``12``, ``<3``, ``12 + 2× <3``.

    ``value`` and ``small`` are the ``talents`` and ``talents_small`` of
    ``indicators.area_figures``; a missing value gives a dash.
    """
    if value is None or pd.isna(value):
        return "–"
    left_out = 0 if small is None or pd.isna(small) else int(small)
    return PublicTotal(int(value), left_out).text(lang)


def format_date(day: date, lang: Lang = "nl") -> str:
    """Format a date in words: ``22 november 2026`` or ``22 November 2026``."""
    months = MONTHS_NL if lang == "nl" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def page_count(pdf: bytes) -> int:
    """Return the number of pages of a PDF that reportlab wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportGaps:
    """The walking-distance part of a wijk report, as computed for the wijk.

    Attributes
    ----------
    share : float
        The wijk's share of (weighted) residents within walking distance (0..1; NaN when
        unknown).
    everyone : bool
        Every resident counts the same (no need weights for 65+ or single households).
    walk_min, walk_m : float
        The walking time and the distance it means.
    residents_beyond : float
        The residents (not weighted) of the wijk's buurten beyond walking distance.
    estimated : int
        How many of its buurten rest on figures estimated from the wijk.
    sites_asked : bool
        Whether new places were asked for.
    sites : list of (str, float)
        The suggested places that help the wijk, best first: name (a ``Msg`` for a grid
        cell) and the residents they newly bring within walking distance.
    coverage : dict
        The share within walking distance per buurt code, in percent (the map's colours).
    beyond : GeoDataFrame or None
        The areas of the wijk's buurten beyond walking distance (hatched on the map).
    reach : DataFrame or None
        The share within walking distance per walking profile and time window
        (``profile``, ``window``, ``share``), or None when not computed.
    """

    share: float
    everyone: bool
    walk_min: float
    walk_m: float
    residents_beyond: float
    estimated: int
    sites_asked: bool
    sites: list[tuple[str, float]] = field(default_factory=list)
    coverage: dict[str, float] = field(default_factory=dict)
    beyond: gpd.GeoDataFrame | None = None
    reach: pd.DataFrame | None = None


@dataclass(frozen=True)
class WijkReport:
    """Everything a wijk report shows, computed (:func:`asset_map.services.report.wijk_report`).

    Attributes
    ----------
    wijk_code, wijk_name, gemeente : str
        The wijk and its gemeente.
    demo_label : str or None
        The demo's warning in the report's language; None for real data.
    per_buurt : DataFrame
        The figures of the wijk's buurten (rows of ``indicators.area_figures``).
    total : Series
        The wijk's own figures (its row of ``indicators.area_figures``).
    areas, assets : GeoDataFrame
        What the map shows (EPSG:4326).
    gaps : ReportGaps or None
        The walking-distance part; None when it was not calculated.
    sources : list of dict
        The workspace's sources (name, licence, year).
    upkeep : ReportUpkeep or None
        How many of the wijk's places were checked in time; None when no checks are kept.
    history : ReportHistory or None
        What changed between two snapshots; None when none were compared.
    """

    wijk_code: str
    wijk_name: str
    gemeente: str
    demo_label: str | None
    per_buurt: pd.DataFrame
    total: pd.Series
    areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    gaps: ReportGaps | None
    sources: list[dict[str, Any]] = field(default_factory=list)
    upkeep: ReportUpkeep | None = None
    history: ReportHistory | None = None


def draw_wijk_report(
    report: WijkReport, *, lang: Lang = "nl", generated_at: datetime | None = None
) -> bytes:
    """Return the PDF (A4) of a wijk report.

    ``generated_at`` is the date printed as the date of generation (now when None).
    """
    made = (generated_at or datetime.now(UTC)).date()
    styles = _styles()
    title = t("report.title", lang, wijk=short(report.wijk_name))
    story: list[Flowable] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            escape(
                t(
                    "report.subtitle",
                    lang,
                    gemeente=short(report.gemeente),
                    code=short(report.wijk_code, 20),
                )
            ),
            styles["subtitle"],
        ),
    ]
    if report.demo_label:
        story.append(Paragraph(escape(report.demo_label), styles["demo"]))
    story.append(
        Paragraph(escape(t("report.generated", lang, date=format_date(made, lang))), styles["body"])
    )
    coloured = report.gaps is not None and bool(report.gaps.coverage)
    png = map_png(
        report.areas,
        report.assets,
        focus_code=report.wijk_code,
        lang=lang,
        width_px=1600,
        coverage=report.gaps.coverage if report.gaps is not None and coloured else None,
        beyond=report.gaps.beyond if report.gaps is not None else None,
    )
    caption = "report.map.caption_coverage" if coloured else "report.map.caption"
    story += [
        Paragraph(escape(t("report.map.title", lang)), styles["h2"]),
        Image(io.BytesIO(png), width=TEXT_WIDTH, height=TEXT_WIDTH * 0.75),
        Paragraph(escape(t(caption, lang)), styles["small"]),
    ]
    story += _figures_section(report.per_buurt, report.total, styles, lang=lang)
    story += _types_section(report.total, styles, lang=lang)
    story += _gaps_section(report.gaps, styles, lang=lang)
    story += upkeep_section(report.upkeep, styles, lang=lang)
    story += history_section(report.history, styles, lang=lang)
    story += _sources_section(report.sources, styles, lang=lang)

    footer = t(
        "report.page", lang, title=short(title, 70), date=format_date(made, lang), page="{page}"
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, footer.replace("{page}", str(doc.page)))
        canvas.restoreState()

    pdf, _pages = a4_pdf(
        story,
        margin=MARGIN,
        title=title,
        decorate=decorate,
        author="asset_map",
        subject=report.gemeente,
        lang=lang,
    )
    return pdf


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a table cell: the text cut to a name's length, as a row cannot span pages."""
    return Paragraph(para(text, NAME_CHARS), style)


def _table(rows: list[list[Paragraph]], widths: Sequence[float], *, total_row: bool) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    table.setStyle(TableStyle(commands))
    return table


def _figures_section(
    per_buurt: pd.DataFrame, total: pd.Series, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    keys = [
        "area", "inhabitants", "residents_65", "assets", "meeting_places", "per_1000",
        "per_1000_65", "talents", "coverage",
    ]  # fmt: skip
    head = [_cell(t(f"report.col.{keys[0]}", lang), styles["head"])]
    head += [_cell(t(f"report.col.{k}", lang), styles["headnum"]) for k in keys[1:]]

    def row(fig: pd.Series, *, bold: bool = False) -> list[Paragraph]:
        texts = [
            format_count(fig["inhabitants"], lang),
            format_count(fig["residents_65"], lang),
            format_count(fig["assets"], lang),
            format_count(fig["meeting_places"], lang),
            format_decimal(fig["meeting_places_per_1000"], lang),
            format_decimal(fig["meeting_places_per_1000_65"], lang),
            format_talents(fig["talents"], fig.get("talents_small"), lang),
            format_share(fig["coverage"], lang),
        ]
        name = t("report.total", lang) if bold else str(fig["name"])
        cells = [_cell(name, styles["head" if bold else "cell"])]
        return cells + [_cell(text, styles["headnum" if bold else "num"]) for text in texts]

    rows = [head, *[row(fig) for _, fig in per_buurt.iterrows()], row(total, bold=True)]
    widths = [34 * mm] + [(TEXT_WIDTH - 34 * mm) / 8] * 8
    return [
        Paragraph(escape(t("report.figures.title", lang)), styles["h2"]),
        Paragraph(escape(t("report.figures.intro", lang)), styles["small"]),
        _table(rows, widths, total_row=True),
        Spacer(1, 3 * mm),
        Paragraph(escape(t("privacy.report_talents_note", lang)), styles["small"]),
    ]


def _types_section(
    total: pd.Series, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    cat = catalogue()
    rows = [[_cell(t("report.col.type", lang), styles["head"]), _cell(
        t("report.col.count", lang), styles["headnum"]
    )]]  # fmt: skip
    for key, asset_type in cat.types.items():
        n = total.get(f"n_{key}")
        if n is not None and not pd.isna(n) and int(n) > 0:
            rows.append(
                [
                    _cell(asset_type.label(lang), styles["cell"]),
                    _cell(format_count(n, lang), styles["num"]),
                ]
            )
    rows.append(
        [
            _cell(t("report.total", lang), styles["head"]),
            _cell(format_count(total["assets"], lang), styles["headnum"]),
        ]
    )
    return [
        KeepTogether(
            [
                Paragraph(escape(t("report.types.title", lang)), styles["h2"]),
                _table(rows, [80 * mm, 25 * mm], total_row=True),
            ]
        )
    ]


def _gaps_section(
    gaps: ReportGaps | None, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(escape(t("report.gaps.title", lang)), styles["h2"])]
    if gaps is None:
        return [*out, Paragraph(escape(t("report.gaps.none", lang)), styles["body"])]
    if pd.isna(gaps.share):
        return [*out, Paragraph(escape(t("report.gaps.unknown", lang)), styles["body"])]
    out.append(
        Paragraph(
            escape(
                t(
                    "report.gaps.share_everyone" if gaps.everyone else "report.gaps.share",
                    lang,
                    share=format_share(gaps.share, lang),
                    minutes=format_count(gaps.walk_min, lang),
                    metres=format_count(gaps.walk_m, lang),
                )
            ),
            styles["body"],
        )
    )
    beyond = t("report.gaps.beyond", lang, residents=format_count(gaps.residents_beyond, lang))
    out.append(Paragraph(escape(beyond), styles["body"]))
    if gaps.estimated:
        out.append(
            Paragraph(escape(t("report.gaps.estimated", lang, n=gaps.estimated)), styles["body"])
        )
    if gaps.reach is not None and len(gaps.reach):
        out += _reach_table(gaps.reach, styles, lang=lang)
    if not gaps.sites_asked:
        return out  # no sites were asked for
    if not gaps.sites:
        out.append(Paragraph(escape(t("report.gaps.no_sites", lang)), styles["body"]))
        return out
    out.append(Paragraph(escape(t("report.gaps.sites", lang)), styles["body"]))
    for rank, (name, residents) in enumerate(gaps.sites, start=1):
        line = t(
            "report.gaps.site_line",
            lang,
            rank=rank,
            name=short(localise(name, lang)),
            residents=format_count(residents, lang),
        )
        out.append(Paragraph(escape(line), styles["body"]))
    return out


def _reach_table(
    reach: pd.DataFrame, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    """Return the table of the share within walking distance per profile (rows) and window."""
    windows = [w for w in WINDOWS if w in set(reach["window"])]
    profiles = [p for p in PROFILES if p in set(reach["profile"])]
    share = reach.set_index(["profile", "window"])["share"]
    head = [_cell(t("report.col.profile", lang), styles["head"])]
    head += [_cell(t(f"report.window.{w}", lang), styles["headnum"]) for w in windows]
    rows = [head]
    for p in profiles:
        cells = [_cell(t(PROFILES[p].label, lang), styles["cell"])]
        cells += [_cell(format_share(share.get((p, w)), lang), styles["num"]) for w in windows]
        rows.append(cells)
    first = 58 * mm
    widths = [first] + [(TEXT_WIDTH - first) / len(windows)] * len(windows)
    return [
        KeepTogether(
            [
                Paragraph(escape(t("report.gaps.reach", lang)), styles["body"]),
                _table(rows, widths, total_row=False),
                Spacer(1, 2 * mm),
            ]
        )
    ]


def _sources_section(
    sources: Any, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(escape(t("report.sources.title", lang)), styles["h2"])]
    entries = [s for s in (sources or []) if isinstance(s, dict)]
    if not entries:
        return [*out, Paragraph(escape(t("report.sources.none", lang)), styles["body"])]
    rows = [
        [
            _cell(t("report.col.source", lang), styles["head"]),
            _cell(t("report.col.licence", lang), styles["head"]),
            _cell(t("report.col.year", lang), styles["head"]),
        ]
    ]
    for entry in entries:
        year = entry.get("year")
        rows.append(
            [
                _cell(str(entry.get("name") or ""), styles["cell"]),
                _cell(str(entry.get("licence") or "–"), styles["cell"]),
                _cell(str(year) if year not in (None, "") else "–", styles["cell"]),
            ]
        )
    out.append(_table(rows, [100 * mm, 45 * mm, 20 * mm], total_row=False))
    return out
