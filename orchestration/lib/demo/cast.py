"""Which kommuner the demo gives values, how big they are, and their simulated comparison groups."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.demo.facts import APPROX_POPULATION, COOPERATION_GROUPS
from orchestration.lib.extract.registry.model import Registry

POOL_SIZE = 70
GROUP_SIZE = 7
SIMULATED_GROUP_PREFIX = "G9"


@dataclass(frozen=True)
class Cast:
    """The kommuner with values: members (cooperation and Kolada cooperation groups) and the pool."""

    ids: tuple[str, ...]
    members: frozenset[str]
    pool: tuple[str, ...]
    pop2024: np.ndarray  # approximate size, aligned with ids
    north: np.ndarray  # 1.0 for Norrland (län 21-25), aligned with ids

    def index(self, kommun: str) -> int:
        return self.ids.index(kommun)


def stable_hash(*parts: str) -> int:
    """A hash that is the same in every process (Python's own hash() is salted per run)."""
    return zlib.crc32("|".join(parts).encode())


def approx_population(kommun: str) -> int:
    """The rounded real size where known, else a stable draw among small kommuner."""
    if kommun in APPROX_POPULATION:
        return APPROX_POPULATION[kommun]
    rng = np.random.default_rng(stable_hash("population", kommun))
    return int(round(float(np.exp(rng.uniform(np.log(3000), np.log(40000)))), -2))


def _is_north(kommun: str) -> bool:
    return int(kommun[:2]) >= 21


def _members(registry: Registry) -> set[str]:
    groups = {k for _, ks in COOPERATION_GROUPS.values() for k in ks if k in registry.kommuner}
    return set(registry.member_kommuner()) | groups


def choose_cast(registry: Registry) -> Cast:
    """Members plus the POOL_SIZE non-members closest in size to a member, known small kommuner first."""
    members = _members(registry)
    log_members = np.log([approx_population(m) for m in sorted(members)])

    def closeness(kommun: str) -> tuple[bool, float, str]:
        distance = float(np.min(np.abs(np.log(approx_population(kommun)) - log_members)))
        return (kommun not in APPROX_POPULATION, round(distance, 6), kommun)

    others = sorted((k for k in registry.kommuner if k not in members), key=closeness)
    pool = tuple(sorted(others[:POOL_SIZE]))
    ids = tuple(sorted(members | set(pool)))
    return Cast(
        ids=ids,
        members=frozenset(members),
        pool=pool,
        pop2024=np.array([approx_population(k) for k in ids], dtype=float),
        north=np.array([1.0 if _is_north(k) else 0.0 for k in ids]),
    )


def _similar(cast: Cast, kommun: str, area: str, exclude: set[str]) -> list[str]:
    """The GROUP_SIZE pool kommuner most like this one in size and region, with a little area-specific
    variation so that groups for different areas differ as Kolada's do."""
    i = cast.index(kommun)
    rng = np.random.default_rng(stable_hash("group", area, kommun))
    scored = []
    for k in cast.pool:
        if k in exclude:
            continue
        j = cast.index(k)
        distance = abs(np.log(cast.pop2024[i] / cast.pop2024[j])) + 0.4 * abs(cast.north[i] - cast.north[j])
        scored.append((distance + rng.uniform(0, 0.15), k))
    return [k for _, k in sorted(scored)[:GROUP_SIZE]]


def comparison_groups(registry: Registry, cast: Cast) -> pd.DataFrame:
    """ "Liknande kommuner <område>, <kommun>, 2024" per member and area, with G9xxxxx ids."""
    wanted = sorted(
        {
            (a.area, m.kommun)
            for a in registry.agreements
            if registry.areas[a.area].comparison_group
            for m in a.members
            if m.kommun in cast.members
        }
    )
    rows = []
    for n, (area, kommun) in enumerate(wanted, start=1):
        title = registry.areas[area].comparison_group.format(kommun=registry.kommuner[kommun])
        group_id = f"{SIMULATED_GROUP_PREFIX}{n:05d}"
        rows += [(group_id, title, k) for k in _similar(cast, kommun, area, {kommun})]
    return pd.DataFrame(rows, columns=["group_id", "group_title", "municipality_id"])


def cooperation_groups(registry: Registry) -> pd.DataFrame:
    """Kolada's real cooperation groups, plus any other group an agreement names (titled by the agreement)."""
    groups = {gid: (title, ks) for gid, (title, ks) in COOPERATION_GROUPS.items()}
    for a in registry.agreements:
        if a.kolada_group and a.kolada_group not in groups:
            groups[a.kolada_group] = (a.name, tuple(m.kommun for m in a.members))
    rows = [
        (gid, title, k) for gid, (title, ks) in sorted(groups.items()) for k in ks if k in registry.kommuner
    ]
    return pd.DataFrame(rows, columns=["group_id", "group_title", "municipality_id"])
