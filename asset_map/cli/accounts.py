"""``asset-map user`` and ``asset-map purge``: staff accounts and the retention of personal data."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from asset_map._errors import AssetMapError
from asset_map.cli._common import add_db_args, add_lang_arg, message_of, open_store
from asset_map.i18n import Msg, t
from asset_map.rules.auth import ROLES, normalise_username
from asset_map.settings import OLDER_THAN_DAYS, RETENTION_ENV, retention_months
from asset_map.storage import Store
from asset_map.storage.talents import retention_days

_PASSWORD_HELP = "read the password from standard input (for scripts); else it is asked twice"


def register(commands: Any) -> None:
    """Add the user and purge command(s) to the ``asset-map`` parser."""
    u = commands.add_parser("user", help="staff accounts (wijkmanager, planner, admin)")
    user_commands = u.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    ua = _action(
        user_commands,
        "add",
        "add an account; asks for the password (or reads it from stdin)",
        _cmd_user_add,
        password=True,
    )
    ua.add_argument("--username", required=True)
    ua.add_argument("--role", required=True, choices=list(ROLES))
    _action(user_commands, "list", "list the accounts (never passwords)", _cmd_user_list)
    for name, help_text in (
        ("remove", "remove an account (not the last admin); written to the audit log"),
        (
            "unlock",
            "lift the log-in delays on a name (from every address and device); written to the "
            "audit log",
        ),
        (
            "set-password",
            "give an account a new password (also lifts its delays and forgets its known "
            "devices); written to the audit log",
        ),
    ):
        password = name == "set-password"
        action = _action(user_commands, name, help_text, _cmd_user_change, password=password)
        action.add_argument("name", metavar="NAME")

    pg = commands.add_parser(
        "purge",
        help="erase residents' personal data older than the retention period",
        description="Erase the name, text, availability and contact of residents' talents "
        f"older than the retention period: {RETENTION_ENV} months (default 12), the period "
        "the privacy statement of the form promises. Categories, wishes and buurt stay, "
        "as anonymous counts. The contact left with a suggested place is erased too. Run it "
        "daily, e.g. from cron.",
    )
    pg.add_argument(
        "--older-than-days",
        type=int,
        default=None,
        help="erase submissions older than this many days (0 to 36500) instead of the "
        f"retention period ({RETENTION_ENV}, default 12 months)",
    )
    pg.add_argument("--actor", default="asset-map purge", help="name in the audit log")
    add_lang_arg(pg)
    add_db_args(pg)
    pg.set_defaults(func=_cmd_purge)


def _action(
    commands: Any, name: str, help_text: str, func: Any, *, password: bool = False
) -> argparse.ArgumentParser:
    """Add ``asset-map user NAME`` with the options every account action has."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
    if password:
        parser.add_argument("--password-stdin", action="store_true", help=_PASSWORD_HELP)
    add_lang_arg(parser)
    add_db_args(parser)
    parser.set_defaults(func=func)
    return parser


def _password(args: argparse.Namespace, name: str) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        password = getpass.getpass(t("cli.user.password_for", args.lang, name=name))
        again = getpass.getpass(t("cli.user.again", args.lang))
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise AssetMapError(Msg("err.cli.user.no_password")) from None
    if again != password:
        raise AssetMapError(Msg("err.cli.user.passwords_differ"))
    return password


def _existing_store(args: argparse.Namespace) -> Store:
    """Open the database of ``args``; refuse a SQLite file that does not exist yet."""
    return open_store(args, must_exist=True)


def _cmd_user_add(args: argparse.Namespace) -> int:
    name = normalise_username(args.username)
    password = _password(args, name)
    store = open_store(args)
    try:
        store.add_user(args.username, password, args.role, actor="asset-map user add")
    except ValueError as exc:
        raise AssetMapError(message_of(exc)) from None
    finally:
        store.close()
    print(t("cli.user.added", args.lang, role=args.role, name=name, url=store.url), file=sys.stderr)
    return 0


def _cmd_user_list(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    try:
        users = store.users()
    finally:
        store.close()
    if not len(users):
        print(t("cli.user.none", args.lang))
        return 0
    shown = users.copy()
    for column in ("created_at", "locked_until"):
        shown[column] = shown[column].dt.strftime("%Y-%m-%d %H:%M UTC").fillna("-")
    columns = {c: t(f"cli.user.col.{c}", args.lang) for c in shown.columns}
    print(shown.rename(columns=columns).to_string(index=False))
    return 0


#: What ``asset-map user remove|unlock|set-password`` call on the store, and what they say.
_CHANGES = {
    "remove": ("remove_user", "cli.user.removed"),
    "unlock": ("unlock_user", "cli.user.unlocked"),
    "set-password": ("set_password", "cli.user.password_set"),
}


def _cmd_user_change(args: argparse.Namespace) -> int:
    """Remove, unlock or give a new password to an existing account (the audit log names it)."""
    method, done = _CHANGES[args.user_command]
    name = normalise_username(args.name)
    password = (_password(args, name),) if args.user_command == "set-password" else ()
    store = _existing_store(args)
    try:
        getattr(store, method)(name, *password, actor=f"asset-map user {args.user_command}")
    except ValueError as exc:  # an unknown account, the last administrator, a weak password
        raise AssetMapError(message_of(exc)) from None
    finally:
        store.close()
    print(t(done, args.lang, name=name, url=store.url), file=sys.stderr)
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    days = args.older_than_days
    if days is None:
        days = retention_days(retention_months(), now=datetime.now(UTC))
    OLDER_THAN_DAYS.check(days)  # a century at most: an older date does not exist
    store = _existing_store(args)
    try:
        n = store.purge_personal_data(older_than_days=days, actor=args.actor)
        contacts = store.purge_suggestion_contacts(older_than_days=days, actor=args.actor)
    finally:
        store.close()
    print(t("cli.purge.done", args.lang, n=n, days=days))
    if contacts:
        print(t("cli.purge.suggestions", args.lang, n=contacts, days=days))
    return 0
