"""``asset-map user`` and ``asset-map purge``: staff accounts and the retention of personal data."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from asset_map._errors import AssetMapError
from asset_map.cli._common import (
    add_db_args,
    open_store,
)

if TYPE_CHECKING:
    pass


def register(commands: Any) -> None:
    """Add the user and purge command(s) to the ``asset-map`` parser."""
    u = commands.add_parser("user", help="staff accounts (wijkmanager, planner, admin)")
    user_commands = u.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    ua = user_commands.add_parser(
        "add", help="add an account; asks for the password (or reads it from stdin)"
    )
    ua.add_argument("--username", required=True)
    ua.add_argument("--role", required=True, choices=["wijkmanager", "planner", "admin"])
    ua.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (for scripts)",
    )
    add_db_args(ua)
    ua.set_defaults(func=_cmd_user_add)
    ul = user_commands.add_parser("list", help="list the accounts (never passwords)")
    add_db_args(ul)
    ul.set_defaults(func=_cmd_user_list)

    pg = commands.add_parser(
        "purge", help="erase residents' personal data older than the retention period"
    )
    pg.add_argument(
        "--older-than-days",
        type=int,
        required=True,
        help="erase name, text, availability and contact of submissions older "
        "than this many days (anonymous counts per buurt stay)",
    )
    pg.add_argument("--actor", default="asset-map purge", help="name in the audit log")
    add_db_args(pg)
    pg.set_defaults(func=_cmd_purge)


def _cmd_user_add(args: argparse.Namespace) -> int:
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            raise AssetMapError("The two passwords differ; nothing was saved. Try again.")
    store = open_store(args)
    try:
        store.add_user(args.username, password, args.role, actor="asset-map user add")
    except ValueError as exc:
        raise AssetMapError(str(exc)) from None
    finally:
        store.close()
    print(f"added {args.role} '{args.username}' to {store.url}", file=sys.stderr)
    return 0


def _cmd_user_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        users = store.users()
    finally:
        store.close()
    print(users.to_string(index=False) if len(users) else "no accounts yet")
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    if args.older_than_days < 0:
        raise AssetMapError("--older-than-days must be 0 or more.")
    store = open_store(args)
    try:
        n = store.purge_personal_data(older_than_days=args.older_than_days, actor=args.actor)
    finally:
        store.close()
    print(f"erased the personal data of {n} submissions older than {args.older_than_days} days")
    return 0
