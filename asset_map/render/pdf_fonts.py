"""The font and the page of every PDF the app makes (wijk report, flyer): DejaVu Sans on A4.

DejaVu Sans covers far more letters than the PDF base fonts (names like "Ağaç" or "Łódź").
It ships with matplotlib, a dependency, so it is there on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate

FONT, FONT_BOLD = "AssetMapSans", "AssetMapSans-Bold"


@cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) from matplotlib's data folder, once.

    Returns
    -------
    (str, str)
        The reportlab names of the regular and the bold font.
    """
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    return FONT, FONT_BOLD


def a4_pdf(
    story: list[Flowable],
    *,
    margin: float,
    title: str,
    decorate: Callable[[Any, Any], None] | None = None,
    **info: Any,
) -> tuple[bytes, int]:
    """Return the PDF of ``story`` on A4 pages, and how many pages it has.

    Parameters
    ----------
    story : list of Flowable
        What the pages hold, in order.
    margin : float
        The margin on every side, in points.
    title : str
        The document's title (its metadata).
    decorate : callable, optional
        ``decorate(canvas, doc)`` draws on every page (a footer).
    **info
        More of ``SimpleDocTemplate``'s options: ``author``, ``subject``, ``lang``, ...
    """
    buffer = io.BytesIO()
    margins = dict.fromkeys(("leftMargin", "rightMargin", "topMargin", "bottomMargin"), margin)
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, **margins, **info)
    if decorate is None:
        doc.build(story)
    else:
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue(), int(doc.page)
