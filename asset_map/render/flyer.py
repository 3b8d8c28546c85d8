"""A one-page A4 flyer of what is near a resident, for people who do not use the internet.

Large type (body 12 pt, nothing under 11 pt), the meeting places with address, walking
minutes, whether they are open now or when they open next, and whether they are step-free
(or, when none is that close, the nearest one and its walking time); the activities by day
with time and place, the organisers' contacts, whom to ask, who made the flyer and when, and
the demo label on made-up data. The flyer always fits on one page: when the lists are too
long, the farthest places (beyond 8) and activities are left out and a line says how many
more there are.

Only public data goes in: :class:`~asset_map.analysis.nearby.Nearby` holds places,
activities and organisations, never residents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from asset_map.analysis.nearby import Nearby
from asset_map.i18n import number, t
from asset_map.model import WEEKDAYS, Lang, catalogue
from asset_map.render.pdf_fonts import a4_pdf, fonts
from asset_map.render.pdf_text import LINE_CHARS, NAME_CHARS, para, short
from asset_map.settings import DEFAULT_PROFILE, PROFILES

MARGIN = 16 * mm
#: Fewest activities kept before places are shortened too.
MIN_ACTIVITIES = 4
MIN_PLACES = 2
#: When everything does not fit, at most this many places, to leave room for activities.
PLACES_WHEN_SHORT = 8


@dataclass(frozen=True)
class Nearest:
    """The nearest meeting place, also when it lies beyond the walk the flyer is about."""

    name: str
    address: str
    walk_min: int


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str


def _fonts() -> _Fonts:
    return _Fonts(*fonts())


def _styles(fonts: _Fonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=12, leading=15)
    return {
        "title": ParagraphStyle("title", base, fontName=fonts.bold, fontSize=22, leading=27),
        "sub": ParagraphStyle("sub", base, fontSize=13, leading=17, spaceAfter=4),
        "h": ParagraphStyle(
            "h", base, fontName=fonts.bold, fontSize=15, leading=19, spaceBefore=8, spaceAfter=3
        ),
        "day": ParagraphStyle(
            "day", base, fontName=fonts.bold, fontSize=13, leading=16, spaceBefore=5
        ),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=11, leading=14),
    }


def _x(value: object, limit: int = LINE_CHARS) -> str:
    """Return ``value`` as text safe inside a reportlab paragraph, cut to ``limit`` characters.

    Texts made of our own words are not cut (``limit`` 0): they are short.
    """
    if not limit:
        return escape(str(value))
    return para(value, limit)


def open_text(open_now: object, next_open: object, now: datetime | None, lang: Lang = "nl") -> str:
    """Say whether a place is open now, or when it opens next (``Weer open: dinsdag 10:00``).

    ``open_now`` None means the opening hours are unknown.
    """
    if open_now is None or (isinstance(open_now, float) and open_now != open_now):
        return t("open.unknown", lang)
    if open_now:
        return t("open.now", lang)
    if not isinstance(next_open, datetime):
        return t("open.not_this_week", lang)
    time = next_open.strftime("%H:%M")
    if now is not None and next_open.date() == now.date():
        return t("open.today", lang, time=time)
    day = WEEKDAYS[next_open.isoweekday()][0 if lang == "nl" else 1]
    return t("open.next", lang, day=day, time=time)


def access_text(step_free: object, lang: Lang = "nl") -> str:
    """Say whether a place is step-free (empty when unknown)."""
    if step_free is True:
        return t("open.step_free", lang)
    if step_free is False:
        return t("open.steps", lang)
    return ""


def _story(
    nearby: Nearby,
    places: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    place_label: str,
    lang: Lang,
    generated_at: date,
    made_by: str | None,
    fonts: _Fonts,
    nearest: Nearest | None = None,
    contact: str | None = None,
    demo_label: str | None = None,
) -> list[Flowable]:
    s = _styles(fonts)
    whole = float(nearby.walk_min).is_integer()
    minutes = number(nearby.walk_min, lang, decimals=0 if whole else 1)
    story: list[Flowable] = [Paragraph(_x(t("verbinden.flyer.title", lang)), s["title"])]
    if demo_label:
        story.append(Paragraph(f"<b>{_x(demo_label)}</b>", s["body"]))
    story += [
        Paragraph(
            _x(t("verbinden.flyer.near", lang, place=short(place_label), minutes=minutes), 0),
            s["sub"],
        ),
        Paragraph(_x(t("verbinden.flyer.places", lang)), s["h"]),
    ]
    if nearby.profile != PROFILES[DEFAULT_PROFILE].key:
        profile = t(PROFILES[nearby.profile].label, lang)
        story.insert(
            2, Paragraph(_x(t("verbinden.flyer.profile", lang, profile=profile)), s["sub"])
        )
    if places.empty:
        story.append(Paragraph(_x(t("verbinden.flyer.no_places", lang)), s["body"]))
        if nearest is not None:
            where = f"{nearest.name}, {nearest.address}" if nearest.address else nearest.name
            text = t("verbinden.flyer.nearest", lang, place=where, minutes=nearest.walk_min)
            story.append(Paragraph(f"<b>{_x(text)}</b>", s["body"]))
        else:
            story.append(Paragraph(_x(t("verbinden.flyer.nothing_in_an_hour", lang)), s["body"]))
    else:
        rows = [
            [
                Paragraph(
                    f"<b>{_x(p['name'], NAME_CHARS)}</b><br/>"
                    f"{_x(_place_state(p, nearby.now, lang))}",
                    s["body"],
                ),
                Paragraph(_x(p["address"], NAME_CHARS), s["body"]),
                Paragraph(_x(t("verbinden.flyer.walk", lang, n=int(p["walk_min"]))), s["body"]),
            ]
            for _, p in places.iterrows()
        ]
        table = Table(rows, colWidths=[80 * mm, 56 * mm, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                    ("FONTSIZE", (0, 0), (-1, -1), 12),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.lightgrey),
                ]
            )
        )
        story.append(table)
    hidden_places = len(nearby.places) - len(places)
    if hidden_places > 0:
        story.append(
            Paragraph(_x(t("verbinden.flyer.more_places", lang, n=hidden_places)), s["small"])
        )

    story.append(Paragraph(_x(t("verbinden.flyer.activities", lang)), s["h"]))
    if activities.empty:
        story.append(Paragraph(_x(t("verbinden.flyer.no_activities", lang)), s["body"]))
    cat = catalogue()
    for weekday, day_rows in activities.groupby("weekday", sort=True):
        day = WEEKDAYS[int(str(weekday))][0 if lang == "nl" else 1]
        story.append(Paragraph(_x(day[:1].upper() + day[1:]), s["day"]))
        for _, a in day_rows.sort_values(["start", "walk_m", "title"]).iterrows():
            group = a["target_group"]
            who = cat.target_group_label(group, lang) if group in cat.target_groups else group
            text = t(
                "verbinden.flyer.activity",
                lang,
                place=short(a["place_name"]),
                n=int(a["walk_min"]),
                group=short(who),
                organiser=short(a["organiser"]),
            )
            title = f"{_x(a['start'], 5)}–{_x(a['end'], 5)} {_x(a['title'], NAME_CHARS)}"
            story.append(Paragraph(f"<b>{title}</b> {_x(text, 0)}", s["body"]))
    hidden = len(nearby.activities) - len(activities)
    if hidden > 0:
        story.append(
            Paragraph(_x(t("verbinden.flyer.more_activities", lang, n=hidden)), s["small"])
        )

    contacts = activities.drop_duplicates(["organiser", "contact"])
    contacts = contacts[contacts["contact"].astype(str).str.strip() != ""]
    if not contacts.empty:
        story.append(Paragraph(_x(t("verbinden.flyer.contacts", lang)), s["h"]))
        line = "; ".join(
            f"{_x(c['organiser'], NAME_CHARS)}: {_x(c['contact'], NAME_CHARS)}"
            for _, c in contacts.sort_values("organiser").iterrows()
        )
        story.append(Paragraph(line, s["small"]))
    # Always someone to ask: the gemeente's or wijkteam's contact, else the gemeente's 14 number.
    story.append(Paragraph(_x(t("verbinden.flyer.ask", lang)), s["h"]))
    asked = contact or t("verbinden.flyer.ask_gemeente", lang)
    story.append(Paragraph(_x(asked), s["body"]))
    made = generated_at.strftime("%d-%m-%Y")
    footer = (
        t("verbinden.flyer.made_by", lang, by=short(made_by, LINE_CHARS), date=made)
        if made_by
        else t("verbinden.flyer.made", lang, date=made)
    )
    story += [Spacer(1, 6), Paragraph(_x(footer, 0), s["small"])]
    return story


def _place_state(place: pd.Series, now: datetime | None, lang: Lang) -> str:
    """Return ``Nu open · zonder drempel`` for a place of the flyer."""
    parts = [
        open_text(place.get("open_now"), place.get("next_open"), now, lang),
        access_text(place.get("step_free"), lang),
    ]
    return " · ".join(p for p in parts if p)


def nearby_flyer(
    nearby: Nearby,
    *,
    place_label: str,
    lang: Lang = "nl",
    generated_at: date | None = None,
    made_by: str | None = None,
    nearest: Nearest | None = None,
    contact: str | None = None,
    demo_label: str | None = None,
) -> bytes:
    """Return a one-page A4 PDF of the places and activities in ``nearby``.

    Parameters
    ----------
    nearby : Nearby
        From :func:`asset_map.analysis.nearby.nearby`.
    place_label : str
        Where the resident starts, as they know it: a postcode or a buurt name.
    lang : {"nl", "en"}
        Language of the flyer.
    generated_at : date, optional
        The date printed on the flyer (today by default).
    made_by : str, optional
        Who made the flyer (e.g. the welzijnsorganisatie), printed at the bottom.
    nearest : Nearest, optional
        The nearest meeting place, named when none lies within the walk (so the flyer never
        leaves a resident with nothing); without one, the flyer says none is within an hour.
    contact : str, optional
        Whom to ask (``ASSET_MAP_CONTACT``: the gemeente or the wijkteam); without one, the
        gemeente's general number (14 and the area code).
    demo_label : str, optional
        Printed under the title on made-up data, so a demo flyer is never taken for real.

    Returns
    -------
    bytes
        The PDF: always exactly one page. Too long lists keep the nearest activities and
        places and say how many more there are.
    """
    fonts = _fonts()
    generated_at = generated_at or date.today()
    places, activities = nearby.places, nearby.activities  # both sorted nearest first

    def build(n_places: int, n_activities: int) -> tuple[bytes, int]:
        return a4_pdf(
            _story(
                nearby,
                places.head(n_places),
                activities.head(n_activities),
                place_label=place_label,
                lang=lang,
                generated_at=generated_at,
                made_by=made_by,
                fonts=fonts,
                nearest=nearest,
                contact=contact,
                demo_label=demo_label,
            ),
            margin=MARGIN,
            title=t("verbinden.flyer.title", lang),
            invariant=1,
        )

    pdf, pages = build(len(places), len(activities))
    if pages == 1:
        return pdf
    n_places = min(len(places), PLACES_WHEN_SHORT)
    floor = min(MIN_ACTIVITIES, len(activities))
    if build(n_places, floor)[1] > 1:
        n_places = _largest(lambda k: build(k, floor)[1] == 1, min(MIN_PLACES, n_places), n_places)
    n_acts = _largest(lambda k: build(n_places, k)[1] == 1, 0, len(activities))
    pdf, pages = build(n_places, n_acts)
    if pages != 1:  # texts are cut (render.pdf_text), so the nearest place always fits
        pdf, pages = build(min(1, n_places), 0)
    return pdf


def _largest(fits: Callable[[int], bool], lo: int, hi: int) -> int:
    """Return the largest k in [lo, hi] with ``fits(k)``, assuming fits is monotone (lo if none)."""
    best = lo
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(mid):
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best
