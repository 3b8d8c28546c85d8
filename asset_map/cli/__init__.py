"""The ``asset-map`` command: one module per command group.

- ``maps``: ``asset-map map``, a standalone HTML map and the counts per type;
- ``gaps``: ``asset-map gaps``, walking-distance coverage and suggested new places;
- ``data``: ``asset-map fetch`` and ``asset-map import``, real data into the workspace;
- ``export``: ``asset-map export`` and ``asset-map report``, a selection and a wijk report;
- ``verbinden``: ``asset-map activities``, ``flyer`` and ``connections``;
- ``accounts``: ``asset-map user`` and ``asset-map purge``;
- ``_common``: what they share (input options, reading, the database, safe writes).

``asset-map map --areas FILE --assets FILE --out map.html`` writes a standalone HTML map (the
same map the app draws, with Leaflet inlined: it opens offline) and prints the number of
assets per type. Bad input ends with a message on stderr that says what and where (in the
language of the command's ``--lang``), and exit code 2; nothing is written then. An ``--out``
that names a folder or one of the inputs is refused before anything is read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from asset_map import __version__
from asset_map._errors import AssetMapError
from asset_map.cli import accounts, data, export, gaps, maps, verbinden
from asset_map.cli._common import EXIT_BAD_INPUT
from asset_map.i18n import explain


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
    lang = getattr(args, "lang", None)  # commands without --lang speak English, as before
    try:
        return int(args.func(args))
    except AssetMapError as exc:
        message = str(exc) if lang is None else explain(exc, lang)
        print(f"asset-map: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"asset-map: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
