"""Connect residents' talents to places: who fits, record a connection, count what came of it.

The Verbinden screen matches and records; ``asset-map connections`` counts. Counts per
buurt and period hold nothing personal: no talent, nickname or note leaves the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from asset_map.analysis.connections import connections_per_buurt
from asset_map.analysis.matching import MATCH_COLUMNS, match_talents
from asset_map.model import is_step_free
from asset_map.services.options import walk_profile
from asset_map.services.workspace import Workspace
from asset_map.settings import DEFAULT_PROFILE, PROFILES
from asset_map.storage import Store


def candidate_talents(ws: Workspace, store: Store) -> pd.DataFrame:
    """Return the approved talents with their contact: the database's and the demo's.

    The demo's made-up talents have no contact data; they are matched all the same, so the
    demo shows how matching works, but a connection can be recorded only with a stored
    talent (``recordable``).
    """
    stored = store.talents(status="approved").assign(recordable=True)
    demo = ws.talents[ws.talents["status"] == "approved"] if ws.is_demo else ws.talents.iloc[0:0]
    demo = demo.assign(recordable=False)
    frames = [f for f in (stored, demo) if not f.empty]
    if not frames:
        return stored
    return pd.concat(frames, ignore_index=True)


def matches(
    ws: Workspace,
    place: pd.Series,
    asked: Sequence[str],
    talents: pd.DataFrame,
    *,
    walk_min: float,
    profile: str = DEFAULT_PROFILE,
) -> pd.DataFrame:
    """Return the talents within ``walk_min`` minutes that fit what ``place`` asks for.

    See :func:`asset_map.analysis.matching.match_talents`; the walking time is checked
    against :data:`asset_map.settings.WALK_MIN`, and walked at the speed and detour of the
    walking ``profile``. For a step-free profile a place with steps (``wheelchair=no``)
    matches nobody: :func:`blocks_profile` says why.
    """
    way = walk_profile(profile)
    if blocks_profile(place, profile):
        return pd.DataFrame(columns=MATCH_COLUMNS)
    return match_talents(
        place,
        tuple(asked),
        talents,
        ws.areas,
        walk_min=walk_min,
        speed_kmh=way.speed_kmh,
        detour=way.detour,
    )


def blocks_profile(place: pd.Series, profile: str) -> bool:
    """Return whether the place has steps and the profile needs step-free places."""
    return PROFILES[profile].step_free and is_step_free(place.get("wheelchair")) is False


def record_connection(
    store: Store,
    place_id: str,
    talent_id: str,
    *,
    matched: Sequence[str],
    asked: Sequence[str],
    actor: str,
) -> str:
    """Record that ``actor`` connected a talent to a place; return the connection's id.

    The connection is about the first talent category that matched, else the first one the
    place asks for. The store copies the talent's buurt, so the counts per buurt survive
    the resident's withdrawal; the audit log names who made it.
    """
    category = matched[0] if matched else asked[0]
    return store.record_connection(place_id, talent_id, category=category, actor=actor)


def connection_counts(store: Store, ws: Workspace, *, freq: str = "M") -> pd.DataFrame:
    """Return the connections made per buurt and period (``M`` month, ``W`` week).

    Only when and in which buurt each connection was made is read; nothing personal.
    """
    made = store.connections()[["made_at", "buurt_code"]]
    return connections_per_buurt(made, ws.areas, freq=freq)
