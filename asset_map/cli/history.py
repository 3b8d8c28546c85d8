"""``asset-map refresh`` and ``asset-map snapshot``: the map's changes, from sources and over time.

- ``refresh list``: the changes a fetch or import found in a source held already (new, gone,
  changed places), with a summary per source; ``refresh accept ID... | --all`` carries them
  out, ``refresh reject ID... | --all`` leaves the places as they are (and the same change is
  not listed again). Fields edited here are kept either way.
- ``snapshot take``: a dated snapshot of the workspace; ``snapshot list``; ``snapshot compare
  A B``: the places opened and closed per wijk and the change in the share of residents
  within walking distance (ids, a unique start of one, or ``latest``).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import pandas as pd

from asset_map._errors import AssetMapError
from asset_map.cli._common import add_db_args, add_lang_arg, open_store
from asset_map.i18n import Msg, t
from asset_map.model import Lang
from asset_map.services import refresh, snapshots
from asset_map.services.workspace import open_workspace

ID_CHARS = 8


def register(commands: Any) -> None:
    """Add the ``refresh`` and ``snapshot`` command groups to the ``asset-map`` parser."""
    r = commands.add_parser(
        "refresh",
        help="review the changes a fetch or import found in the sources: list, accept, reject",
    )
    sub = r.add_subparsers(dest="refresh_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="the open changes, per source")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_lang_arg(listing)
    add_db_args(listing)
    listing.set_defaults(func=_cmd_list)
    for action, what in (("accept", "carry out"), ("reject", "leave the places as they are")):
        p = sub.add_parser(action, help=f"{what}: the changes named, or all")
        p.add_argument("ids", nargs="*", metavar="ID", help="a change's id (or its first 8)")
        p.add_argument("--all", action="store_true", help="every open change")
        p.add_argument("--source", default=None, help="with --all: only this source")
        p.add_argument("--actor", default="asset-map refresh", help="who decides (audit log)")
        add_lang_arg(p)
        add_db_args(p)
        p.set_defaults(func=_cmd_decide, accept=action == "accept")

    s = commands.add_parser(
        "snapshot",
        help="dated snapshots of the workspace (places per type and wijk, walking-distance "
        "coverage) and a comparison of two",
    )
    ssub = s.add_subparsers(dest="snapshot_command", required=True, metavar="ACTION")
    take = ssub.add_parser("take", help="take a snapshot of the workspace now")
    take.add_argument("--label", default=None, help="a short note, e.g. 'after the summer'")
    take.add_argument("--actor", default="asset-map snapshot", help="who takes it (audit log)")
    add_lang_arg(take)
    add_db_args(take)
    take.set_defaults(func=_cmd_take)
    slist = ssub.add_parser("list", help="the snapshots, oldest first")
    slist.add_argument("--json", action="store_true", help="print JSON")
    add_lang_arg(slist)
    add_db_args(slist)
    slist.set_defaults(func=_cmd_snapshots)
    comp = ssub.add_parser("compare", help="compare two snapshots, per wijk")
    comp.add_argument("first", help="a snapshot id, a unique start of one, or 'latest'")
    comp.add_argument("second", help="the other snapshot")
    comp.add_argument("--json", action="store_true", help="print JSON")
    add_lang_arg(comp)
    add_db_args(comp)
    comp.set_defaults(func=_cmd_compare)


# --- refresh ---------------------------------------------------------------------------------


def _change_rows(changes: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "id": str(c["id"]),
            "source": str(c["source"]),
            "kind": str(c["kind"]),
            "source_id": str(c["source_id"]),
            "asset_id": None if c["asset_id"] is None else str(c["asset_id"]),
            "name": None if c["name"] is None else str(c["name"]),
            "fields": list(c["fields"]),
            "old": c["old"],
            "new": c["new"],
            "kept_local": list(c["local"]),
        }
        for c in changes.to_dict("records")
    ]


def _cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        rows = _change_rows(refresh.open_changes(store))
    finally:
        store.close()
    summary: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = summary.setdefault(row["source"], {"new": 0, "gone": 0, "changed": 0})
        counts[row["kind"]] += 1
    if args.json:
        print(json.dumps({"changes": rows, "summary": summary}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("cli.refresh.none", args.lang))
        return 0
    for source, counts in summary.items():
        print(t("cli.refresh.summary", args.lang, source=source, **counts))
    for row in rows:
        fields = f" ({', '.join(row['fields'])})" if row["fields"] else ""
        kept = ", ".join(row["kept_local"])
        local = f"; {t('refresh.local_kept', args.lang, fields=kept)}" if kept else ""
        line = t(
            "cli.refresh.line",
            args.lang,
            id=row["id"][:ID_CHARS],
            source=row["source"],
            kind=t(f"refresh.kind.{row['kind']}", args.lang),
            name=row["name"] or row["source_id"],
            fields=fields,
            local=local,
        )
        print(line)
    print(t("cli.refresh.how", args.lang))
    return 0


def _cmd_decide(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.all):
        raise AssetMapError(Msg("err.refresh.which"))
    store = open_store(args, must_exist=True)
    try:
        if args.all:
            n = refresh.decide_all(store, accept=args.accept, actor=args.actor, source=args.source)
        else:
            open_ids = [str(i) for i in store.refresh_changes()["id"]]
            chosen = []
            for ref in args.ids:
                found = [i for i in open_ids if i.startswith(ref)]
                if len(found) != 1:
                    raise AssetMapError(Msg("err.refresh.unknown", ref=ref))
                chosen.append(found[0])
            n = len(refresh.decide(store, chosen, accept=args.accept, actor=args.actor))
    finally:
        store.close()
    what = t("cli.refresh.accepted" if args.accept else "cli.refresh.rejected", args.lang)
    print(t("cli.refresh.decided", args.lang, n=n, what=what))
    return 0


# --- snapshots ---------------------------------------------------------------------------


def _cmd_take(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        ws = open_workspace(store)
        snapshot_id = snapshots.take(store, ws, actor=args.actor, label=args.label)
        places = store.snapshot(snapshot_id)["data"]["places_total"]
    finally:
        store.close()
    print(t("cli.snapshot.taken", args.lang, id=snapshot_id[:ID_CHARS], places=places))
    return 0


def _cmd_snapshots(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        frame = snapshots.listed(store)
    finally:
        store.close()
    rows = [
        {
            "id": str(r["id"]),
            "taken_at": r["taken_at"].isoformat(),
            "taken_by": str(r["taken_by"]),
            "label": None if r["label"] is None else str(r["label"]),
            "places": int(r["places"]),
        }
        for r in frame.to_dict("records")
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("cli.snapshot.none", args.lang))
    for row in rows:
        at = row["taken_at"][:16].replace("T", " ")
        label = row["label"] or ""
        short = row["id"][:ID_CHARS]
        print(t("cli.snapshot.line", args.lang, id=short, at=at, places=row["places"], label=label))
    return 0


def _share(value: float, lang: Lang) -> str:
    return t("snapshot.unknown_share", lang) if math.isnan(value) else f"{100 * value:.1f}%"


def _change(value: float, lang: Lang) -> str:
    if math.isnan(value):
        return t("snapshot.unknown_share", lang)
    return f"{100 * value:+.1f} %-punt" if lang == "nl" else f"{100 * value:+.1f} pp"


def _cmd_compare(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        comparison = snapshots.compare_snapshots(store, args.first, args.second)
    finally:
        store.close()
    rows = comparison.rows
    if args.json:
        out = {
            "first": comparison.first_at.isoformat(),
            "second": comparison.second_at.isoformat(),
            "wijken": [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in rows.to_dict("records")
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    first, second = (
        d.strftime("%Y-%m-%d %H:%M") for d in (comparison.first_at, comparison.second_at)
    )
    print(t("cli.snapshot.compared", args.lang, first=first, second=second))
    for r in rows.to_dict("records"):
        code = r["wijk_code"]
        if code == "*":
            wijk = t("snapshot.all_wijken", args.lang)
        elif not code:
            wijk = t("snapshot.no_wijk", args.lang)
        else:
            wijk = f"{r['wijk_name']} ({code})" if r["wijk_name"] else code
        line = t(
            "cli.snapshot.wijk",
            args.lang,
            wijk=wijk,
            before=r["places_before"],
            after=r["places_after"],
            share_before=_share(r["share_before"], args.lang),
            share_after=_share(r["share_after"], args.lang),
            change=_change(r["share_change"], args.lang),
        )
        print(line)
        for place in r["opened"]:
            print(t("cli.snapshot.opened", args.lang, name=place["name"], type=place["type"]))
        for place in r["closed"]:
            print(t("cli.snapshot.closed", args.lang, name=place["name"], type=place["type"]))
    return 0
