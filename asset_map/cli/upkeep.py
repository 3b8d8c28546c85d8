"""``asset-map checks``: keep the map true from the command line.

- ``checks due``: the places nobody checked in the period of ``ASSET_MAP_CHECK_MONTHS``
  (default 12), the longest unchecked first, and the share checked in time per wijk;
- ``checks record ID --how visit|phone``: record that a place was checked;
- ``links create ID``, ``links list``, ``links revoke LINK``: organisers' personal links.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import pandas as pd

from asset_map import settings
from asset_map.cli._common import add_db_args, add_lang_arg, open_store
from asset_map.i18n import t
from asset_map.services import freshness
from asset_map.services.workspace import Workspace, open_workspace

OWN_METHODS = ("visit", "phone")


def register(commands: Any) -> None:
    """Add the ``checks`` command group to the ``asset-map`` parser."""
    c = commands.add_parser(
        "checks",
        help="places to check (not checked for ASSET_MAP_CHECK_MONTHS months) and recording "
        "a check",
    )
    sub = c.add_subparsers(dest="checks_command", required=True, metavar="ACTION")
    due = sub.add_parser("due", help="list the overdue places, the longest unchecked first")
    due.add_argument(
        "--wijk", action="append", default=[], help="only this wijk (CBS code); repeat it"
    )
    due.add_argument(
        "--user", default=None, help="only the wijken this staff member looks after (Bijhouden)"
    )
    due.add_argument("--json", action="store_true", help="print JSON")
    add_lang_arg(due)
    add_db_args(due)
    due.set_defaults(func=_cmd_due)
    rec = sub.add_parser("record", help="record that a place was checked")
    rec.add_argument("asset_id", metavar="ID", help="the id of the place")
    rec.add_argument("--how", choices=OWN_METHODS, required=True, help="a visit or a phone call")
    rec.add_argument("--actor", required=True, help="who checked it (in the audit log)")
    add_lang_arg(rec)
    add_db_args(rec)
    rec.set_defaults(func=_cmd_record)

    links = commands.add_parser(
        "links", help="personal links for the organiser of a place (make, list, withdraw)"
    )
    sub_links = links.add_subparsers(dest="links_command", required=True, metavar="ACTION")
    make = sub_links.add_parser("create", help="make a link for the organiser of a place")
    make.add_argument("asset_id", metavar="ID", help="the id of the place")
    make.add_argument(
        "--days", type=int, default=180, help="how long the link works (1 to 730, default 180)"
    )
    make.add_argument("--label", default=None, help="for whom (seen by staff only)")
    make.add_argument("--actor", required=True, help="who makes it (in the audit log)")
    make.add_argument(
        "--base-url",
        default="",
        help="the app's address, e.g. https://kaart.example.nl (the link is printed after it)",
    )
    add_lang_arg(make)
    add_db_args(make)
    make.set_defaults(func=_cmd_link_create)
    listing = sub_links.add_parser("list", help="list the links (never their tokens)")
    listing.add_argument("--place", default=None, help="only the links of this place (its id)")
    add_lang_arg(listing)
    add_db_args(listing)
    listing.set_defaults(func=_cmd_link_list)
    revoke = sub_links.add_parser("revoke", help="withdraw a link at once")
    revoke.add_argument("link_id", metavar="LINK", help="the id of the link (links list)")
    revoke.add_argument("--actor", required=True, help="who withdraws it (in the audit log)")
    add_lang_arg(revoke)
    add_db_args(revoke)
    revoke.set_defaults(func=_cmd_link_revoke)


def _workspace(args: argparse.Namespace) -> tuple[Workspace, list[str]]:
    store = open_store(args)
    try:
        ws = open_workspace(store)
        mine = store.staff_areas(args.user) if getattr(args, "user", None) else []
    finally:
        store.close()
    return ws, mine


def _cmd_due(args: argparse.Namespace) -> int:
    ws, mine = _workspace(args)
    wijken = tuple(dict.fromkeys([*args.wijk, *mine]))
    due = freshness.due(ws, wijken=wijken)
    shares = freshness.per_area(ws, level="wijk")
    assert due is not None and shares is not None  # a database keeps checks
    months = settings.check_months()
    rows = [
        {
            "id": str(r["id"]),
            "name": str(r["name"]),
            "type": str(r["type"]),
            "wijk_code": None if _missing(r["wijk_code"]) else str(r["wijk_code"]),
            "last_checked": None if _missing(r["last_checked"]) else r["last_checked"].isoformat(),
            "checked_how": None if _missing(r["checked_how"]) else str(r["checked_how"]),
            "age_days": _rounded(r["age_days"]),
        }
        for _, r in due.iterrows()
    ]
    per_wijk = [
        {
            "wijk_code": str(r["code"]),
            "places": int(r["places"]),
            "checked": int(r["checked"]),
            "checked_pct": _rounded(r["checked_pct"]),
        }
        for _, r in shares.iterrows()
        if not wijken or r["code"] in wijken
    ]
    if args.json:
        print(json.dumps({"months": months, "due": rows, "wijken": per_wijk}, indent=2))
        return 0
    print(t("cli.checks.due", args.lang, n=len(rows), months=months))
    for row in rows:
        checked = row["last_checked"]
        when = str(checked)[:10] if checked else t("check.never", args.lang)
        print(f"  {row['id']}\t{row['name']}\t{row['wijk_code'] or ''}\t{when}")
    for share in per_wijk:
        pct = "–" if share["checked_pct"] is None else f"{share['checked_pct']:.0f}%"
        print(
            t(
                "cli.checks.wijk",
                args.lang,
                wijk=share["wijk_code"],
                checked=share["checked"],
                places=share["places"],
                pct=pct,
            )
        )
    return 0


def _missing(value: Any) -> bool:
    return bool(pd.isna(value))


def _rounded(value: Any) -> float | None:
    return None if _missing(value) else round(float(value), 1)


def _cmd_record(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=True)
    try:
        store.record_check(args.asset_id, method=args.how, actor=args.actor)
    finally:
        store.close()
    how = t(f"check.method.{args.how}", args.lang)
    print(t("cli.checks.recorded", args.lang, id=args.asset_id, how=how))
    return 0


def _cmd_link_create(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=True)
    try:
        link_id, token = store.create_organiser_link(
            args.asset_id, days=args.days, actor=args.actor, label=args.label
        )
    finally:
        store.close()
    url = f"{args.base_url.rstrip('/')}/organisator?sleutel={token}"
    print(t("cli.links.created", args.lang, id=link_id, days=args.days))
    print(url)
    return 0


def _cmd_link_list(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=True)
    try:
        made = store.organiser_links(asset_id=args.place)
    finally:
        store.close()
    if made.empty:
        print(t("links.none", args.lang))
        return 0
    now = pd.Timestamp.now(tz="UTC")
    for _, row in made.iterrows():
        if pd.notna(row["revoked_at"]):
            state = "revoked"
        else:
            state = "expired" if row["expires_at"] <= now else "active"
        print(
            t(
                "cli.links.row",
                args.lang,
                id=row["id"],
                place=row["asset_id"],
                label="" if pd.isna(row["label"]) else str(row["label"]),
                status=t(f"links.status.{state}", args.lang),
                until=row["expires_at"].strftime("%Y-%m-%d"),
                uses=int(row["uses"]),
            )
        )
    return 0


def _cmd_link_revoke(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=True)
    try:
        store.revoke_organiser_link(args.link_id, actor=args.actor)
    finally:
        store.close()
    print(t("cli.links.revoked", args.lang, id=args.link_id))
    return 0
