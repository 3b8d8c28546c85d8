"""What an import says about the likely duplicates it found: a few lines, and the full list.

``asset-map import``/``fetch`` and the Gegevens screen show one line per group of likely
duplicates (:func:`decision_lines`: "12 places named 'Buurthuis' at one spot: merged into
1"), at most :data:`SHOWN_GROUPS` of them, and then how many more there are. The full list,
one row per place, is a CSV file (:func:`decisions_csv`): ``--decisions-out`` on the command
line, a download on the screen.
"""

from __future__ import annotations

import pandas as pd

from asset_map.analysis.duplicate_groups import ONE_SPOT_M, PLACE_COLUMNS
from asset_map.i18n import Msg, localise
from asset_map.io.export import table_to_csv
from asset_map.model import Lang

#: Groups of likely duplicates shown as a line at most; the others are in the full list.
SHOWN_GROUPS = 20


def decision_lines(
    groups: pd.DataFrame, pairs: pd.DataFrame, *, hint: Msg, limit: int = SHOWN_GROUPS
) -> list[Msg]:
    """Return one line per group of likely duplicates, at most ``limit``, then how many more.

    A group of two places is told as its pair (both names and sources, the distance, what
    was done and why); a larger group by its number of places, its name, how close they
    lie and how many are left. ``hint`` says where the full list is.
    """
    lines: list[Msg] = []
    for group in groups.head(limit).to_dict("records"):
        pair = pairs.iloc[int(group["pair"])]
        if group["places"] == 2:
            what = "cli.data.merged" if pair["decision"] == "merge" else "cli.data.kept_apart"
            lines.append(
                Msg(
                    "cli.data.duplicate",
                    name_a=pair["name_a"],
                    source_a=pair["source_a"],
                    name_b=pair["name_b"],
                    source_b=pair["source_b"],
                    distance=f"{pair['distance_m']:.0f}",
                    similarity=f"{pair['similarity']:.2f}",
                    what=Msg(what),
                    reason=pair["reason"],
                )
            )
            continue
        if group["other_names"]:
            names = Msg("decisions.named_and_others", name=group["name"], n=group["other_names"])
        else:
            names = Msg("decisions.named", name=group["name"])
        within = float(group["within_m"])
        where = (
            Msg("decisions.one_spot")
            if within < ONE_SPOT_M
            else Msg("decisions.within", m=f"{within:.0f}")
        )
        what = (
            Msg("decisions.merged_into", n=group["kept"])
            if group["decision"] == "merge"
            else Msg("cli.data.kept_apart")
        )
        lines.append(
            Msg(
                "decisions.group",
                n=group["places"],
                names=names,
                where=where,
                what=what,
                reason=group["reason"],
            )
        )
    if len(groups) > limit:
        lines.append(Msg("decisions.more", n=len(groups) - limit, hint=hint))
    return lines


def decisions_table(places: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the full list (one row per place in a group) with its reasons in ``lang``."""
    if places.empty:  # nothing was compared (a first import) or nothing found
        return pd.DataFrame(columns=PLACE_COLUMNS)
    table = places.copy()
    table["reason"] = [localise(r, lang) for r in table["reason"]]
    return table


def decisions_csv(places: pd.DataFrame, lang: Lang) -> bytes:
    """Return the full list as UTF-8 CSV, safe for a spreadsheet (names are data)."""
    return table_to_csv(decisions_table(places, lang))
