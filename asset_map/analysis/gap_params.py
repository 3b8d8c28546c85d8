"""The options of a gap analysis: need weights and parameters, checked when they are made.

:class:`GapParams` holds every option of :func:`asset_map.analysis.gaps.analyse_gaps`;
:data:`RANGES` is the one table of the allowed ranges, which the CLI also uses to name the
option that is out of range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from asset_map._errors import AssetMapError
from asset_map.analysis import siting
from asset_map.i18n import Msg
from asset_map.model import catalogue

SOLVERS = ("greedy", "exact")
CANDIDATE_KINDS = ("planned", "hosts", "cells")
#: The ranges of the numeric options of :class:`GapParams`: (lowest, highest, unit text key).
RANGES: dict[str, tuple[float, float, str]] = {
    "walk_min": (1, 60, "err.gaps.unit.minutes"),
    "speed_kmh": (1, 8, "err.gaps.unit.kmh"),
    "detour": (1, 3, "err.gaps.unit.detour"),
    "cell_m": (25, 1000, "err.gaps.unit.metres"),
    "new_sites": (0, 10, "err.gaps.unit.sites"),
    "time_limit_s": (1, 3600, "err.gaps.unit.seconds"),
}


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
class GapParams:
    """The options of a gap analysis; ranges are checked on creation."""

    walk_min: float = 10.0
    speed_kmh: float = 4.5
    detour: float = 1.3
    cell_m: float = 100.0
    weights: NeedWeights = field(default_factory=NeedWeights)
    meeting_types: tuple[str, ...] | None = None
    include_planned: bool = False
    new_sites: int = 0
    solver: str = "greedy"
    candidates: tuple[str, ...] = ("planned", "hosts")
    time_limit_s: float = siting.DEFAULT_TIME_LIMIT_S

    def __post_init__(self) -> None:
        for name, (lo, hi, unit) in RANGES.items():
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not lo <= value <= hi
            ):
                raise AssetMapError(
                    Msg("err.gaps.range", name=name, lo=lo, hi=hi, unit=Msg(unit), value=value)
                )
        if int(self.new_sites) != self.new_sites:
            raise AssetMapError(
                Msg("err.gaps.whole_number", name="new_sites", value=self.new_sites)
            )
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
    def max_walk_m(self) -> float:
        """The walking distance in reach: minutes x speed."""
        return self.walk_min / 60.0 * self.speed_kmh * 1000.0

    @property
    def radius_m(self) -> float:
        """The straight-line radius in reach: walking distance / detour."""
        return self.max_walk_m / self.detour
