"""The wijk report's part on change over time: places opened and closed, and the covered share.

:func:`history_section` draws a :class:`ReportHistory` that
:func:`asset_map.services.report.report_history` took from a comparison of two snapshots
(:func:`asset_map.analysis.snapshots.compare`); nothing is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from asset_map.i18n import t
from asset_map.model import Lang
from asset_map.render.pdf_text import short
from asset_map.render.styles import format_number

#: Places listed by name at most; more are counted.
MAX_LISTED = 15


@dataclass(frozen=True)
class ReportHistory:
    """What changed in the wijk between two snapshots.

    Attributes
    ----------
    first, second : date
        When the snapshots were taken.
    places_before, places_after : int
        The wijk's open places then.
    opened, closed : list of (name, type label)
        The places that opened and closed in between.
    share_before, share_after : float
        The share of residents within walking distance of a meeting place (0 to 1); NaN
        when unknown.
    """

    first: date
    second: date
    places_before: int
    places_after: int
    opened: list[tuple[str, str]] = field(default_factory=list)
    closed: list[tuple[str, str]] = field(default_factory=list)
    share_before: float = float("nan")
    share_after: float = float("nan")


def _places(key: str, places: list[tuple[str, str]], style: ParagraphStyle, lang: Lang) -> list:
    if not places:
        return []
    shown = [f"{short(name)} ({kind})" for name, kind in places[:MAX_LISTED]]
    if len(places) > MAX_LISTED:
        shown.append(t("report.history.more", lang, n=len(places) - MAX_LISTED))
    return [Paragraph(escape(t(key, lang, places="; ".join(shown))), style)]


def history_section(
    history: ReportHistory | None, styles: dict[str, ParagraphStyle], *, lang: Lang
) -> list[Flowable]:
    """Return the paragraphs of the part "What changed?"; nothing without a comparison."""
    if history is None:
        return []
    out: list[Flowable] = [Paragraph(escape(t("report.history.title", lang)), styles["h2"])]
    first, second = (d.strftime("%d-%m-%Y") for d in (history.first, history.second))
    line = t(
        "report.history.places",
        lang,
        first=first,
        second=second,
        before=history.places_before,
        after=history.places_after,
        opened=len(history.opened),
        closed=len(history.closed),
    )
    out.append(Paragraph(escape(line), styles["body"]))
    out += _places("report.history.opened", history.opened, styles["body"], lang)
    out += _places("report.history.closed", history.closed, styles["body"], lang)
    if math.isnan(history.share_before) or math.isnan(history.share_after):
        out.append(Paragraph(escape(t("report.history.share_unknown", lang)), styles["body"]))
        return out
    change = 100.0 * (history.share_after - history.share_before)
    share = t(
        "report.history.share",
        lang,
        before=format_number(100.0 * history.share_before, "%", lang),
        after=format_number(100.0 * history.share_after, "%", lang),
        change=("+" if change > 0 else "") + format_number(change, "", lang),
    )
    out.append(Paragraph(escape(share), styles["body"]))
    return out
