"""The wijk report's part on keeping the map true: how many places were checked in time.

:func:`upkeep_section` draws a :class:`ReportUpkeep` that
:func:`asset_map.services.report.wijk_report` computed from the checks of the places
(:func:`asset_map.analysis.freshness.checked_share`); nothing is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from asset_map.i18n import t
from asset_map.model import Lang
from asset_map.render.styles import format_number


@dataclass(frozen=True)
class ReportUpkeep:
    """How current the wijk's part of the map is.

    Attributes
    ----------
    places : int
        The wijk's places that are not closed.
    checked : int
        Those checked within the last ``months`` months.
    months : int
        The period of ``ASSET_MAP_CHECK_MONTHS``.
    """

    places: int
    checked: int
    months: int


def upkeep_section(
    upkeep: ReportUpkeep | None, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    """Return the paragraphs: "x of the y places (z%) were checked in the last n months"."""
    if upkeep is None:
        return []
    out: list[Flowable] = [Paragraph(escape(t("report.upkeep.title", lang)), styles["h2"])]
    if not upkeep.places:
        return [*out, Paragraph(escape(t("report.upkeep.no_places", lang)), styles["body"])]
    share = format_number(100.0 * upkeep.checked / upkeep.places, "%", lang)
    line = t(
        "report.upkeep.checked",
        lang,
        checked=format_number(upkeep.checked, "", lang),
        places=format_number(upkeep.places, "", lang),
        share=share,
        months=upkeep.months,
    )
    out.append(Paragraph(escape(line), styles["body"]))
    return out
