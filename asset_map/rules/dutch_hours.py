"""Opening hours written the Dutch way (``ma-vr 9-17 uur``) into OpenStreetMap's syntax.

Residents, organisers and staff write opening hours as people do on a door or a flyer:
``woensdag 14-16 uur``, ``di en do 10.00-12.00``, ``ma t/m vr 9-12, 13-17 uur``,
``za 10-14 uur; feestdagen gesloten``. The analysis reads OpenStreetMap's
``opening_hours`` (``We 14:00-16:00``); :func:`dutch_to_osm` turns the first into the second
so that nobody has to learn that syntax. A text it cannot read is left to the caller, who
reports it with the OpenStreetMap example (:func:`asset_map.rules.edits.asset_problems`).
"""

from __future__ import annotations

import re

#: Dutch day names and their usual abbreviations, to OpenStreetMap's two letters.
DAYS: dict[str, str] = {
    "maandag": "Mo",
    "ma": "Mo",
    "dinsdag": "Tu",
    "di": "Tu",
    "woensdag": "We",
    "wo": "We",
    "donderdag": "Th",
    "do": "Th",
    "vrijdag": "Fr",
    "vr": "Fr",
    "zaterdag": "Sa",
    "za": "Sa",
    "zondag": "Su",
    "zo": "Su",
}
#: Words for every day of the week.
EVERY_DAY = ("dagelijks", "elke dag", "iedere dag", "alle dagen")
#: Words for public holidays; with "gesloten"/"dicht" they become ``PH off``.
HOLIDAYS = ("feestdagen", "feestdag")

_DAY = r"(?:" + "|".join(sorted(DAYS, key=len, reverse=True)) + r")(?:en|s)?"
_TIME = r"\d{1,2}(?:[:.]\d{2})?"
_SPAN = rf"{_TIME}\s*-\s*{_TIME}"
_RULE = re.compile(
    rf"^(?P<days>{_DAY}(?:\s*[-,]\s*{_DAY})*)\s*:?\s*(?P<times>{_SPAN}(?:\s*,\s*{_SPAN})*)$"
)


def dutch_to_osm(text: str) -> str | None:
    """Return OpenStreetMap's ``opening_hours`` for hours written the Dutch way, or None.

    Parameters
    ----------
    text : str
        Rules separated by ``;`` or a new line; each rule one or more days (``ma``,
        ``maandag``, ``ma-vr``, ``di en do``, ``ma t/m vr``, ``dagelijks``) and one or more
        times (``9-17``, ``9.30-12.00``, ``10:00-12:00``), optionally with ``uur``, ``van``
        and ``tot``; ``feestdagen gesloten`` becomes ``PH off``.

    Returns
    -------
    str or None
        The same hours in OpenStreetMap's syntax; None when a part is not understood (the
        text is then left as it is, to be read or refused as OpenStreetMap's syntax).

    Examples
    --------
    >>> dutch_to_osm("ma-vr 9-17 uur")
    'Mo-Fr 09:00-17:00'
    >>> dutch_to_osm("di en do 10.00-12.00; feestdagen gesloten")
    'Tu,Th 10:00-12:00; PH off'
    >>> dutch_to_osm("op afspraak") is None
    True
    """
    rules = [r.strip() for r in re.split(r"[;\n]+", text.lower()) if r.strip()]
    if not rules:
        return None
    out = [_rule(r) for r in rules]
    return None if any(r is None for r in out) else "; ".join(r for r in out if r)


def _rule(rule: str) -> str | None:
    if any(word in rule for word in HOLIDAYS) and re.search(r"\b(gesloten|dicht)\b", rule):
        return "PH off"
    text = re.sub("|".join(EVERY_DAY), "ma-zo", rule)
    text = re.sub(r"\s+(t/m|tot en met|tot)\s+", "-", text)
    text = re.sub(r"[–—]", "-", text)
    text = re.sub(r"\s+(en|&)\s+", ",", text)
    text = re.sub(r"\b(uur|u|van|open|geopend|'s)\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.")
    match = _RULE.match(text)
    if match is None:
        return None
    days = _days(match["days"])
    times = [_span(s) for s in re.split(r"\s*,\s*", match["times"])]
    if days is None or any(t is None for t in times):
        return None
    return f"{days} {','.join(t for t in times if t)}"


def _day(word: str) -> str | None:
    word = word.strip()
    if word in DAYS:
        return DAYS[word]
    for suffix in ("en", "s"):  # plural or "'s maandags"
        if word.endswith(suffix) and word[: -len(suffix)] in DAYS:
            return DAYS[word[: -len(suffix)]]
    return None


def _days(text: str) -> str | None:
    parts = []
    for part in re.split(r"\s*,\s*", text):
        ends = [_day(w) for w in re.split(r"\s*-\s*", part)]
        if any(e is None for e in ends) or len(ends) > 2:
            return None
        parts.append("-".join(e for e in ends if e))
    return ",".join(parts)


def _span(text: str) -> str | None:
    start, end = (_clock(t) for t in re.split(r"\s*-\s*", text))
    return None if start is None or end is None else f"{start}-{end}"


def _clock(text: str) -> str | None:
    hour, _, minute = text.replace(".", ":").partition(":")
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return f"{h:02d}:{m:02d}"


def readable_hours(text: str | None) -> str | None:
    """Return ``text`` as opening hours the analysis reads (OpenStreetMap's syntax), or None.

    OpenStreetMap's syntax is kept as it is; Dutch hours are turned into it
    (:func:`dutch_to_osm`); None for an empty text or one that neither reads.
    """
    from asset_map.rules.open_times import parse_opening_hours

    value = (text or "").strip()
    if not value:
        return None
    if parse_opening_hours(value).problem is None:
        return value
    osm = dutch_to_osm(value)
    return osm if osm is not None and parse_opening_hours(osm).problem is None else None
