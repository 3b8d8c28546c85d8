"""The font of every PDF the app makes (wijk report, flyer): DejaVu Sans.

DejaVu Sans covers far more letters than the PDF base fonts (names like "Ağaç" or "Łódź").
It ships with matplotlib, a dependency, so it is there on every machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
