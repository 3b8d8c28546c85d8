"""``asset-map activities``, ``flyer`` and ``connections``: the "Verbinden" features.

- ``activities import FILE [--needs FILE] [--replace]``: weekly activities (and what places
  ask for) into the workspace, all or nothing;
- ``activities list``: what is on in the seven days from today, per buurt and day;
- ``flyer``: the one-page PDF of places and activities within walking distance of a postcode
  or of the middle of a buurt, e.g. one per buurt to print;
- ``connections``: how many connections between residents' talents and places were made, per
  buurt and month or week. Counts only: no talent, nickname or note leaves the database.

All read the workspace from the database (seeded with the demo on first use). Bad input ends
with a message on stderr and exit code 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import re
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.analysis.nearby import SCHEDULE_COLUMNS
from asset_map.cli._common import (
    add_db_args,
    add_lang_arg,
    open_store,
    print_note,
)
from asset_map.cli._outputs import write_bytes_atomic
from asset_map.i18n import DEFAULT_LANG, Msg, localise, t
from asset_map.model import WEEKDAYS, Lang
from asset_map.services.export import unknown_codes
from asset_map.services.options import add_number, add_profile_and_window
from asset_map.storage import WorkspaceChanged

if TYPE_CHECKING:
    from asset_map.analysis.nearby import Nearby
    from asset_map.services.workspace import Workspace

IMPORT_ACTOR = "asset-map activities import"
#: The id ``read_activities`` gives a row without one; such rows are always added.
_MADE_UP_ID = re.compile(r"^activity-row[0-9]+$")


def register(commands: Any) -> None:
    """Add the activities, flyer and connections commands to the ``asset-map`` parser."""
    a = commands.add_parser("activities", help="import or list the weekly activities at places")
    sub = a.add_subparsers(dest="activities_command", required=True, metavar="ACTION")
    im = sub.add_parser(
        "import",
        help="add activities from a CSV (updated by id), or replace them all with --replace",
        description="Read weekly activities (CSV: asset_id, title, kind, weekday, start, end, "
        "and optionally id, target_group, organiser, contact, description) into the "
        "workspace. A bad file is refused whole; nothing changes then.",
    )
    im.add_argument("file", type=Path, metavar="FILE", help="the activities CSV")
    im.add_argument(
        "--needs",
        type=Path,
        metavar="FILE",
        help="CSV of what places ask for (asset_id, categories, note), added or updated per place",
    )
    im.add_argument(
        "--replace",
        action="store_true",
        help="replace all activities (and, with --needs, all place needs) instead of adding",
    )
    im.add_argument("--json", action="store_true", help="print the counts as JSON")
    add_lang_arg(im)
    add_db_args(im)
    im.set_defaults(func=_cmd_import)

    ls = sub.add_parser("list", help="what is on in the seven days from today")
    ls.add_argument("--buurt", action="append", default=[], metavar="CODE", help="buurt code")
    ls.add_argument(
        "--day",
        action="append",
        default=[],
        metavar="DAY",
        help="day of the week: 1 (Monday) to 7, or a name (maandag, Monday)",
    )
    ls.add_argument("--today", metavar="YYYY-MM-DD", help="the first day (default: today)")
    add_lang_arg(ls, "language of the day names and messages (default nl)")
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    add_db_args(ls)
    ls.set_defaults(func=_cmd_list)

    f = commands.add_parser(
        "flyer",
        help="write a one-page PDF of the places and activities within walking distance of a "
        "postcode or of the middle of a buurt",
    )
    where = f.add_mutually_exclusive_group(required=True)
    where.add_argument("--postcode", help="postcode, e.g. 7411 AB (the local table first)")
    where.add_argument("--buurt", metavar="CODE", help="buurt code: start from its middle")
    f.add_argument("--house-number", default="", help="house number, for the online lookup")
    f.add_argument(
        "--postcodes", type=Path, metavar="FILE", help="local postcode table (postcode, lon, lat)"
    )
    add_number(f, settings.WALK_MIN, "walking time", whole=True)
    add_profile_and_window(f, groups=False, window=False)
    add_lang_arg(f)
    f.add_argument("--made-by", help="who made the flyer, printed at the bottom")
    f.add_argument(
        "--contact",
        help="whom residents can ask, printed on the flyer (default: ASSET_MAP_CONTACT, else "
        "the gemeente's general number)",
    )
    f.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    add_db_args(f)
    f.set_defaults(func=_cmd_flyer)

    c = commands.add_parser(
        "connections",
        help="connections made between talents and places, counted per buurt and period",
    )
    c.add_argument(
        "--freq", choices=["M", "W"], default="M", help="M: per month (default), W: per week"
    )
    c.add_argument("--json", action="store_true", help="print a JSON list")
    add_lang_arg(c)
    add_db_args(c)
    c.set_defaults(func=_cmd_connections)


def _workspace(args: argparse.Namespace) -> Workspace:
    from asset_map.services.workspace import open_workspace

    store = open_store(args)
    try:
        return open_workspace(store)
    finally:
        store.close()


# --- activities import -------------------------------------------------------------------------


def _cmd_import(args: argparse.Namespace) -> int:
    from asset_map.io import read_activities, read_place_needs
    from asset_map.services.workspace import open_workspace

    new = read_activities(args.file).frame
    new["id"] = [
        f"activity-{uuid.uuid4().hex[:12]}" if _MADE_UP_ID.match(i) else i for i in new["id"]
    ]
    new_needs = read_place_needs(args.needs).frame if args.needs else None
    store = open_store(args)
    try:
        open_workspace(store)  # seeds the demo on first use
        version = store.workspace_version()
        loaded = store.load_workspace()
        if loaded is None:  # pragma: no cover - open_workspace just saved one
            raise AssetMapError(Msg("err.cli.activities.no_workspace"))
        areas, assets, meta = loaded
        known = set(assets["id"].astype(str))
        _refuse_unknown_places(args.file, new["asset_id"], known)
        if new_needs is not None:
            _refuse_unknown_places(args.needs, new_needs["asset_id"], known)
        old = store.activities()
        activities, counts = _merged(old, new, key="id", replace=args.replace)
        needs, need_counts = None, None
        if new_needs is not None:
            needs, need_counts = _merged(
                store.place_needs(), new_needs, key="asset_id", replace=args.replace
            )
        try:  # refused when an edit in the app came in meanwhile: it would be lost
            store.save_workspace(
                areas,
                assets,
                meta=meta,
                actor=IMPORT_ACTOR,
                activities=activities,
                needs=needs,
                expected_version=version,
            )
        except WorkspaceChanged:
            raise AssetMapError(Msg("err.cli.activities.changed")) from None
    finally:
        store.close()
    if args.json:
        print(json.dumps({"activities": counts, "needs": need_counts}, indent=2))
    else:
        print(_counts_text(Msg("cli.activities.what"), counts, args.lang))
        if need_counts is not None:
            print(_counts_text(Msg("cli.activities.what_needs"), need_counts, args.lang))
    return 0


def _refuse_unknown_places(path: Path, asset_ids: pd.Series, known: set[str]) -> None:
    unknown = sorted({str(i) for i in asset_ids} - known)
    if unknown:
        shown: str = ", ".join(unknown[:20])
        if len(unknown) > 20:
            shown = Msg("note.io.list_more", shown=shown, n=len(unknown) - 20)
        raise AssetMapError(Msg("err.cli.activities.unknown_places", name=path.name, ids=shown))


def _merged(
    old: pd.DataFrame, new: pd.DataFrame, *, key: str, replace: bool
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return the rows to store and the counts added, updated, removed and total."""
    old_keys, new_keys = set(old[key].astype(str)), set(new[key].astype(str))
    kept = old.iloc[0:0] if replace else old[~old[key].astype(str).isin(new_keys)]
    frames = [f for f in (kept, new) if not f.empty]
    rows = pd.concat(frames, ignore_index=True) if frames else new
    counts = {
        "added": len(new_keys - old_keys),
        "updated": len(new_keys & old_keys),
        "removed": len(old_keys - new_keys) if replace else 0,
        "total": len(rows),
    }
    return rows, counts


def _counts_text(what: Msg, counts: dict[str, int], lang: Lang) -> str:
    return localise(Msg("cli.activities.counts", what=what, **counts), lang)


# --- activities list ---------------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    from asset_map.analysis.nearby import week_schedule
    from asset_map.rules.edits import parse_weekday

    today = _date_arg(args.today)
    days = []
    for value in args.day:
        try:
            days.append(parse_weekday(value))
        except ValueError:
            raise AssetMapError(Msg("err.cli.activities.bad_day", value=value)) from None
    ws = _workspace(args)
    _refuse_unknown_buurten(ws, args.buurt)
    schedule = week_schedule(
        ws.activities, ws.assets, buurten=tuple(args.buurt), weekdays=tuple(days), today=today
    )
    rows = schedule_rows(schedule, lang=args.lang)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        where = ", ".join(part for part in (row["place"], row["address"]) if part)
        who = row["organiser"] + (f" ({row['contact']})" if row["contact"] else "")
        parts = (f"{row['start']}-{row['end']}", row["title"], where, who.strip())
        print(f"{row['date']} {row['day']:<9} " + "  ".join(p for p in parts if p))
    if not rows:
        print_note(Msg("cli.activities.none"), args.lang)
    return 0


def schedule_rows(schedule: pd.DataFrame, *, lang: Lang = DEFAULT_LANG) -> list[dict[str, Any]]:
    """Return the rows of a ``week_schedule`` as JSON-able dicts (ISO dates, day names).

    Parameters
    ----------
    schedule : DataFrame
        From :func:`asset_map.analysis.nearby.week_schedule`.
    lang : {"nl", "en"}
        Language of the day names.

    Returns
    -------
    list of dict
        ``date``, ``weekday`` (1 = Monday), ``day``, ``start``, ``end``, ``title``, ``kind``,
        ``target_group``, ``place``, ``address``, ``buurt_code``, ``organiser``, ``contact``,
        ``asset_id`` and ``id``; missing text as ``""``.
    """
    index = 0 if lang == "nl" else 1

    def text(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    return [
        {
            "date": row["date"].isoformat(),
            "weekday": int(row["weekday"]),
            "day": WEEKDAYS[int(row["weekday"])][index],
            **{key: text(row[column]) for key, column in _SCHEDULE_TEXTS.items()},
        }
        for row in schedule.to_dict("records")
    ]


#: The texts of an activity in the JSON output: key -> column of the week schedule.
_SCHEDULE_TEXTS = {
    column.removesuffix("_name"): column
    for column in SCHEDULE_COLUMNS
    if column not in ("date", "weekday", "description")
}


def _date_arg(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AssetMapError(Msg("err.cli.activities.bad_date", value=value)) from None


def _refuse_unknown_buurten(ws: Workspace, codes: list[str]) -> None:
    buurten = ws.areas[ws.areas["level"] == "buurt"]
    known = set(buurten["code"].astype(str))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AssetMapError(unknown_codes("buurt", unknown, sorted(known)))


# --- flyer -------------------------------------------------------------------------------------


def _cmd_flyer(args: argparse.Namespace) -> int:
    from asset_map.services.freshness import for_flyer
    from asset_map.services.near_me import buurt_point, find_nearby, flyer, postcode_point

    if args.out.suffix.lower() != ".pdf":
        raise AssetMapError(Msg("err.cli.flyer.not_pdf", name=args.out.name))
    settings.WALK_MIN.check(args.walk_min)
    ws = _workspace(args)
    if args.buurt:
        _refuse_unknown_buurten(ws, [args.buurt])
        origin, name = buurt_point(ws, args.buurt)
        label = t("near.from_buurt", args.lang, buurt=name)
    else:
        origin, shown = postcode_point(ws, args.postcode, args.house_number, table=args.postcodes)
        label = t("near.from_postcode", args.lang, postcode=shown)
    found = find_nearby(ws, origin, args.walk_min, profile=args.profile)
    pdf = flyer(
        ws, found, place_label=label, lang=args.lang, made_by=args.made_by, contact=args.contact
    )
    write_bytes_atomic(args.out, pdf)
    on_flyer = for_flyer(ws, found)
    print(_flyer_text(on_flyer, args.out, args.lang))
    left_off = len(found.places) - len(on_flyer.places)
    if left_off:
        print(t("cli.flyer.left_off", args.lang, n=left_off))
    return 0


def _flyer_text(found: Nearby, path: Path, lang: Lang) -> str:
    return t(
        "cli.flyer.written",
        lang,
        path=path,
        places=len(found.places),
        activities=len(found.activities),
        minutes=int(found.walk_min),
    )


# --- connections -------------------------------------------------------------------------------


def _cmd_connections(args: argparse.Namespace) -> int:
    from asset_map.services.connect import connection_counts
    from asset_map.services.workspace import open_workspace

    store = open_store(args)
    try:
        counts = connection_counts(store, open_workspace(store), freq=args.freq)
    finally:
        store.close()
    rows = [
        {
            "period": row["period"].isoformat(),
            "buurt_code": str(row["buurt_code"]),
            "buurt_name": str(row["buurt_name"]),
            "count": int(row["count"]),
        }
        for row in counts.to_dict("records")
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(
            f"{row['period']}  {row['buurt_code']:<10}  {row['buurt_name']:<30}  {row['count']:>4}"
        )
    if not rows:
        print_note(Msg("cli.connections.none"), args.lang)
    return 0
