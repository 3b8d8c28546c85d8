"""Every text a user reads: ``ui_text.toml`` beside this file, and ``ui_text_<screen>.toml``.

Screens with many texts keep them in a file of their own (``ui_text_workbench.toml``, ...);
together they are one table, and a key given in two files is an error.

Dutch is the default (written at B1 level: short sentences, everyday words, say what
happens); English is available. Asset-type and key-figure labels live with their data
(``asset_types.toml``, ``model.py``).
"""

from __future__ import annotations

import tomllib
from importlib import resources

from asset_map.model import LANGS, Lang

DEFAULT_LANG: Lang = "nl"


def _load() -> dict[str, dict[Lang, str]]:
    package = resources.files("asset_map")
    files = sorted(
        (f for f in package.iterdir() if f.name.startswith("ui_text") and f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    table: dict[str, dict[Lang, str]] = {}
    where: dict[str, str] = {}
    for file in files:
        for key, texts in tomllib.loads(file.read_text("utf-8")).items():
            if key in table:
                raise ValueError(f"{file.name}: '{key}' is also in {where[key]}; keep one")
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise ValueError(f"{file.name}: '{key}' has no text for {', '.join(missing)}")
            table[key], where[key] = texts, file.name
    return table


STRINGS: dict[str, dict[Lang, str]] = _load()


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises
    ------
    KeyError
        When ``key`` is not in ``STRINGS``: a missing text is a bug, not a blank label.
    """
    text = STRINGS[key][lang]
    return text.format(**values) if values else text
