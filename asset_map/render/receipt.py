"""The resident's receipt: one A4 page with the withdrawal code, to save as PDF or to print.

The code is shown to the resident once, on the screen after their talent is sent. The
receipt keeps it: the code on one line in large type (never broken at its hyphens), the
date, what the code does and how to use it, and how long the details are kept. It holds
nothing else about the resident: no name, no talent, no buurt.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from asset_map.i18n import t
from asset_map.model import Lang
from asset_map.render.pdf_fonts import fonts

MARGIN = 20 * mm
CODE_FONT = "AssetMapMono"
CODE_SIZE = 28


def _code_font() -> str:
    """Register DejaVu Sans Mono (from matplotlib's fonts), once: every letter as wide."""
    if CODE_FONT not in pdfmetrics.getRegisteredFontNames():
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(CODE_FONT, str(folder / "DejaVuSansMono.ttf")))
    return CODE_FONT


def withdrawal_receipt(
    code: str,
    *,
    lang: Lang = "nl",
    made_on: date | None = None,
    months: int | None = None,
    where: str | None = None,
    demo_label: str | None = None,
) -> bytes:
    """Return the one-page A4 receipt (PDF) of a withdrawal code.

    Parameters
    ----------
    code : str
        The withdrawal code, e.g. ``"K7QX-3MRA-9TZE"``: printed on one line.
    lang : {"nl", "en"}
        The language of the receipt.
    made_on : date, optional
        The date printed (today by default).
    months : int, optional
        How long personal details are kept (``ASSET_MAP_RETENTION_MONTHS``); left out
        when None.
    where : str, optional
        The address of the app, so the resident can find the page to erase their details.
    demo_label : str, optional
        Printed on receipts of the made-up demo.
    """
    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=12, leading=16, spaceAfter=6)
    title = ParagraphStyle("title", body, fontName=bold, fontSize=20, leading=25, spaceAfter=10)
    heading = ParagraphStyle("h", body, fontName=bold, fontSize=14, leading=18, spaceBefore=8)
    made = (made_on or date.today()).strftime("%d-%m-%Y")
    story = [Paragraph(escape(t("receipt.title", lang)), title)]
    if demo_label:
        story.append(Paragraph(f"<b>{escape(demo_label)}</b>", body))
    story += [
        Paragraph(escape(t("receipt.intro", lang, date=made)), body),
        Paragraph(escape(t("receipt.code_label", lang)), heading),
    ]
    # The code in a box, in one table cell: a table cell never breaks a word at a hyphen.
    box = Table([[code]], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _code_font()),
                ("FONTSIZE", (0, 0), (-1, -1), CODE_SIZE),
                ("LEADING", (0, 0), (-1, -1), CODE_SIZE + 6),
                ("BOX", (0, 0), (-1, -1), 1.5, "#333333"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    story += [Spacer(1, 4), box, Spacer(1, 8)]
    story.append(Paragraph(escape(t("receipt.keep", lang)), body))
    story.append(Paragraph(escape(t("receipt.how_title", lang)), heading))
    story.append(Paragraph(escape(t("receipt.how", lang)), body))
    if where:
        story.append(Paragraph(escape(t("receipt.where", lang, where=where)), body))
    story.append(Paragraph(escape(t("receipt.lost", lang)), body))
    if months:
        story.append(Paragraph(escape(t("receipt.months", lang, months=months)), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=t("receipt.title", lang),
        invariant=1,
    ).build(story)
    return buffer.getvalue()
