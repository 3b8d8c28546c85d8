"""The ``asset-map`` command: one module per command group.

- ``maps``: ``asset-map map``, a standalone HTML map and the counts per type;
- ``gaps``: ``asset-map gaps``, walking-distance coverage and suggested new places;
- ``data``: ``asset-map fetch`` and ``asset-map import``, real data into the workspace;
- ``export``: ``asset-map export`` and ``asset-map report``, a selection and a wijk report;
- ``verbinden``: ``asset-map activities``, ``flyer`` and ``connections``;
- ``accounts``: ``asset-map user`` and ``asset-map purge``;
- ``_common``: what they share (input options, reading, the database, safe writes).

The work itself is done by :mod:`asset_map.services`, which the app calls too. Without
``--areas`` and ``--assets``, ``map``, ``gaps``, ``export`` and ``report`` read the workspace
in the database, the same database the app uses (:mod:`asset_map.settings`).

``asset-map map --areas FILE --assets FILE --out map.html`` writes a standalone HTML map (the
same map the app draws, with Leaflet inlined: it opens offline) and prints the number of
assets per type. Bad input ends with a message on stderr that says what and where, and exit
code 2; nothing is written then. An ``--out`` that names a folder or one of the inputs is
refused before anything is read, as is one that names the app's database (or its ``-wal``
and ``-shm`` files) or lies in its instance or data folder (:mod:`asset_map.cli._outputs`).

Every command prints in the language of its ``--lang`` (Dutch by default): its lines, its
notes ("let op:" / "note:") and its errors. The ``asset-map: error:`` prefix stays as it is,
the same as argparse's own usage errors, so scripts can look for it. ``--json`` output is the
same in both languages apart from the text of the notes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from asset_map import __version__
from asset_map._errors import AssetMapError
from asset_map.cli import accounts, data, export, gaps, maps, verbinden
from asset_map.cli._common import EXIT_BAD_INPUT
from asset_map.cli._outputs import check_outputs
from asset_map.i18n import DEFAULT_LANG, explain


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asset-map",
        description="Asset maps for Asset Based Community Development in Dutch neighbourhoods.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (maps, gaps, data, export, verbinden, accounts):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", DEFAULT_LANG)
    try:
        check_outputs(args)  # before anything is read: no output replaces what is kept
        return int(args.func(args))
    except AssetMapError as exc:
        print(f"asset-map: error: {explain(exc, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"asset-map: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
