"""The options of a gap analysis: need weights and parameters, checked when they are made.

The defaults, ranges and units of the numbers of :class:`GapParams` are the options of
:mod:`asset_map.settings` (``GAP_OPTIONS``), which the CLI and the screens read too: a value
out of range gives the same message wherever it came from. So are the walking profiles
(``PROFILES``: a speed, a detour, step-free places only) and the time windows (``WINDOWS``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from asset_map import settings
from asset_map._errors import AssetMapError
from asset_map.i18n import Msg
from asset_map.model import catalogue
from asset_map.settings import PROFILES, WINDOWS, WalkProfile

SOLVERS = ("greedy", "exact")
CANDIDATE_KINDS = ("planned", "hosts", "cells")
#: The need presets, the first one the default.
NEEDS = ("mix", "65plus", "single", "all")


@dataclass(frozen=True)
class NeedWeights:
    """How much each resident counts in the demand.

    The weighted residents of a cell are ``all_residents * residents + aged_65_plus *
    residents_65 + single_households * single_households``.
    """

    all_residents: float = 0.2
    aged_65_plus: float = 0.4
    single_households: float = 0.4

    PRESETS: ClassVar[dict[str, tuple[float, float, float]]] = {
        "all": (1.0, 0.0, 0.0),
        "65plus": (0.0, 1.0, 0.0),
        "single": (0.0, 0.0, 1.0),
        "mix": (0.2, 0.4, 0.4),
    }

    def __post_init__(self) -> None:
        values = (self.all_residents, self.aged_65_plus, self.single_households)
        if not all(isinstance(v, int | float) and math.isfinite(v) and v >= 0 for v in values):
            shown = ", ".join(str(v) for v in values)
            raise AssetMapError(Msg("err.gaps.weights_negative", values=shown))
        if not any(values):
            raise AssetMapError(Msg("err.gaps.weights_all_zero"))

    @classmethod
    def preset(cls, name: str) -> NeedWeights:
        """Return a named preset: ``all``, ``65plus``, ``single`` or ``mix`` (the default)."""
        if name not in cls.PRESETS:
            raise AssetMapError(
                Msg("err.gaps.unknown_preset", name=name, presets=", ".join(cls.PRESETS))
            )
        return cls(*cls.PRESETS[name])

    def weigh(
        self, residents: np.ndarray, residents_65: np.ndarray, single: np.ndarray
    ) -> np.ndarray:
        """Return the weighted residents; a figure with weight 0 is not used (NaN is fine)."""
        total = np.zeros(len(residents))
        for w, values in (
            (self.all_residents, residents),
            (self.aged_65_plus, residents_65),
            (self.single_households, single),
        ):
            if w:
                total = total + w * np.asarray(values, dtype="float64")
        return total


@dataclass(frozen=True)
class GapParams(settings.WalkReach):
    """The options of a gap analysis; ranges are checked on creation.

    ``profile`` is how residents get about (:data:`asset_map.settings.PROFILES`):
    ``speed_kmh`` and ``detour`` are its speed and detour unless given (NaN: the
    profile's). ``profile_65`` and ``profile_single`` give the residents aged 65+ and the
    single-person households of the need weights a profile of their own (None: the same as
    everyone), so each group's coverage is computed at its own pace and combined. ``window``
    (:data:`asset_map.settings.WINDOWS`) counts only the meeting places open then;
    ``unknown_counts`` says whether places with unknown opening hours or step-free access
    count (with a note) or not.
    """

    walk_min: float = settings.WALK_MIN.default
    speed_kmh: float = math.nan
    detour: float = math.nan
    cell_m: float = settings.CELL_M.default
    weights: NeedWeights = field(default_factory=NeedWeights)
    meeting_types: tuple[str, ...] | None = None
    include_planned: bool = False
    new_sites: int = int(settings.NEW_SITES.default)
    solver: str = SOLVERS[0]
    candidates: tuple[str, ...] = ("planned", "hosts")
    time_limit_s: float = settings.TIME_LIMIT_S.default
    profile: str = settings.DEFAULT_PROFILE
    profile_65: str | None = None
    profile_single: str | None = None
    window: str = settings.ANY_TIME
    unknown_counts: bool = True

    def __post_init__(self) -> None:
        for name in ("profile", "profile_65", "profile_single"):
            key = getattr(self, name)
            if (key is not None or name == "profile") and key not in PROFILES:
                raise AssetMapError(
                    Msg("err.gaps.profile", value=str(key), profiles=", ".join(PROFILES))
                )
        if self.window not in WINDOWS:
            raise AssetMapError(
                Msg("err.gaps.window", value=str(self.window), windows=", ".join(WINDOWS))
            )
        own = PROFILES[self.profile]
        for name, value in (("speed_kmh", own.speed_kmh), ("detour", own.detour)):
            given = getattr(self, name)
            if isinstance(given, float) and math.isnan(given):
                object.__setattr__(self, name, value)
        for name, option in settings.GAP_OPTIONS.items():
            option.check(getattr(self, name))
        object.__setattr__(self, "speed_kmh", float(self.speed_kmh))
        object.__setattr__(self, "detour", float(self.detour))
        if self.solver not in SOLVERS:
            raise AssetMapError(
                Msg("err.gaps.solver", solvers=", ".join(SOLVERS), value=repr(self.solver))
            )
        if not isinstance(self.weights, NeedWeights):
            raise AssetMapError(Msg("err.gaps.weights_type"))
        kinds = tuple(self.candidates)
        unknown = [c for c in kinds if c not in CANDIDATE_KINDS]
        if unknown or len(set(kinds)) != len(kinds):
            raise AssetMapError(
                Msg("err.gaps.candidate_kinds", kinds=", ".join(CANDIDATE_KINDS), value=kinds)
            )
        if self.new_sites and not kinds:
            raise AssetMapError(Msg("err.gaps.no_candidate_kind", n=self.new_sites))
        object.__setattr__(self, "candidates", kinds)
        if self.meeting_types is not None:
            types = tuple(self.meeting_types)
            known = catalogue().types
            bad = [t for t in types if t not in known]
            if bad or not types:
                examples = ", ".join(catalogue().meeting_place_types())
                raise AssetMapError(
                    Msg(
                        "err.gaps.meeting_types",
                        examples=examples,
                        bad=bad or Msg("err.gaps.none_given"),
                    )
                )
            object.__setattr__(self, "meeting_types", types)

    @property
    def walk_profile(self) -> WalkProfile:
        """The profile of everyone, with the speed and detour of these parameters."""
        return replace(PROFILES[self.profile], speed_kmh=self.speed_kmh, detour=self.detour)

    def group_profiles(self) -> tuple[WalkProfile, WalkProfile, WalkProfile]:
        """Return the profile of each need group: all residents, 65+, single households.

        A group without a profile of its own walks as everyone (:attr:`walk_profile`); a
        group with one walks at that profile's own speed and detour.
        """
        main = self.walk_profile

        def of(key: str | None) -> WalkProfile:
            return main if key is None or key == self.profile else PROFILES[key]

        return main, of(self.profile_65), of(self.profile_single)
