"""Every text a user reads, in one place: ``ui_text.toml`` beside this file.

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
    text = resources.files("asset_map").joinpath("ui_text.toml").read_text("utf-8")
    table = tomllib.loads(text)
    for key, texts in table.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"ui_text.toml: '{key}' has no text for {', '.join(missing)}")
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
