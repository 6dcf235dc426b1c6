"""The signature KPIs of registry/signatures.yaml in the demo world, for all 290 kommuner.

A joint organisation reports one figure that Kolada copies to every member: the registry's överförmyndare
nämnder, gymnasium förbund and avfall organisations do so here, and so do a few groups only the demo knows
(DEMO_GROUPS: not in the registry, one with a member that left, one reporting from the first data year, one
with a year without values; their kommuner are in no registered organisation of the same family, else the
registry's would win and the group would be dropped). signature_groups() is the world's truth that discovery
is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.demo.cast import stable_hash
from orchestration.lib.demo.effects import member_years
from orchestration.lib.demo.specs import KPI, YEARS, KpiSpec
from orchestration.lib.extract.registry.model import Registry, SignatureKpi

GYMNASIUM_FAMILY = "gymnasieforbund"
AVFALL_FAMILY = "avfall"
FLAG_KIND, FORM_KIND = "member_flag", "form_code"
OWN_ADMINISTRATION, OWN_COMPANY = 1, 4  # U07496 codes outside a joint organisation
# Levels of the signature KPIs the simulation does not know: (level, log-normal sd, decimals).
LEVELS: dict[str, tuple[float, float, int]] = {
    "N17300": (900, 0.4, 0),
    "N17313": (25, 0.5, 0),
    "U07414": (35, 0.25, 1),
    "U07490": (72, 0.08, 0),
}
PERCENT_LEVEL, COST_LEVEL = (72, 0.1, 1), (125000, 0.15, 0)


@dataclass(frozen=True)
class DemoGroup:
    """A joint organisation only the demo world has: members -> (first, last) year reporting jointly."""

    name: str
    family: str
    members: dict[str, tuple[int, int | None]]
    form_code: int | None = None
    gap_years: tuple[int, ...] = ()


DEMO_GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup("Demo: överförmyndare Danderyd–Täby–Lidingö", "overformyndare",
              {"0160": (2019, None), "0162": (2019, None), "0186": (2019, None)}, gap_years=(2022,)),
    DemoGroup("Demo: överförmyndare Sundbyberg–Solna", "overformyndare",
              {"0183": (YEARS[0], None), "0184": (YEARS[0], None)}),
    # no registered or simulated gymnasium förbund takes these kommuner; Vadstena leaves after 2020
    DemoGroup("Demo: gymnasieförbund Motala–Vadstena–Mjölby", GYMNASIUM_FAMILY,
              {"0583": (2012, None), "0584": (2012, 2020), "0586": (2012, None)}),
    DemoGroup("Demo: avfallsbolag Nordvästskåne", AVFALL_FAMILY,
              {"1283": (2014, None), "1284": (2014, None), "1292": (2014, None)}, form_code=5),
    DemoGroup("Demo: avfallsförbund Göteborg", AVFALL_FAMILY,
              {"1402": (2016, None), "1480": (2016, None), "1481": (2016, None)}, form_code=2),
)  # fmt: skip


@dataclass(frozen=True)
class SignatureGroup:
    """One joint organisation in the world: its members and the years each reports the joint figure."""

    name: str
    family: str
    members: tuple[str, ...]
    active: np.ndarray  # members × YEARS
    form_code: int | None
    agreement_id: str | None


def _years_mask(first: int, last: int | None) -> np.ndarray:
    return np.array([first <= y <= (last or YEARS[-1]) for y in YEARS])


def _registered(registry: Registry) -> list[SignatureGroup]:
    out = []
    families = {(s.family, s.area, s.form) for s in registry.signatures}
    for a in registry.agreements:
        for family, area, form in sorted(families):
            if a.area != area or a.form == "avtalssamverkan" or (form and a.form != form):
                continue
            members = [m for m in a.members if m.kommun in registry.kommuner]
            active = np.vstack([member_years(a, m) for m in members])
            code = {"kommunalforbund": 2, "gemensam_namnd": 3, "bolag": 5}.get(a.form)
            out.append(SignatureGroup(a.name, family, tuple(m.kommun for m in members), active, code, a.id))
    return out


def signature_groups(registry: Registry, forbund_members: list[tuple[str, ...]]) -> list[SignatureGroup]:
    """The registry's joint organisations, the demo's own, and the pool's simulated gymnasium förbund
    (forbund_members: member kommuner of each simulated förbund, registered ones included)."""
    groups = _registered(registry)
    taken = {(g.family, k) for g in groups for k in g.members}
    for members in forbund_members:
        if (GYMNASIUM_FAMILY, members[0]) not in taken:
            active = np.ones((len(members), len(YEARS)), dtype=bool)
            groups.append(
                SignatureGroup("Simulerat gymnasieförbund", GYMNASIUM_FAMILY, members, active, 2, None)
            )
            taken |= {(GYMNASIUM_FAMILY, k) for k in members}
    for demo in DEMO_GROUPS:
        members = tuple(sorted(demo.members))
        active = np.vstack([_years_mask(*demo.members[k]) for k in members])
        active &= np.array([y not in demo.gap_years for y in YEARS])[None, :]
        if not _overlaps(groups, demo.family, members, active):
            groups.append(SignatureGroup(demo.name, demo.family, members, active, demo.form_code, None))
    return groups


def _overlaps(
    groups: list[SignatureGroup], family: str, members: tuple[str, ...], active: np.ndarray
) -> bool:
    """Whether a member is already in an organisation of the family in one of the same years (the registry
    may have taken these kommuner into a cooperation of the same kind)."""
    for g in (g for g in groups if g.family == family):
        for i, k in enumerate(members):
            if k in g.members and (g.active[g.members.index(k)] & active[i]).any():
                return True
    return False


def _draw(kpi: str, kommuner: list[str], seed: int) -> np.ndarray:
    """Independent values per kommun and year: a fixed effect and noise around the KPI's level."""
    rng = np.random.default_rng([seed, stable_hash("signature", kpi)])
    spec = KPI.get(kpi)
    if spec is not None:
        level, sd, digits, log = spec.level, spec.fe_sd, spec.digits, spec.log
    else:
        level, sd, digits = LEVELS.get(kpi, COST_LEVEL if kpi in COST_KPIS else PERCENT_LEVEL)
        log = True
    shape = (len(kommuner), len(YEARS))
    fe = rng.normal(0, sd, (len(kommuner), 1))
    noise = rng.normal(0, sd / 3, shape)
    values = level * np.exp(fe + noise) if log else level + fe + noise
    return np.round(_bounded(values, spec), digits)


def _bounded(values: np.ndarray, spec: KpiSpec | None) -> np.ndarray:
    if spec is None:
        return np.clip(values, 0, None)
    return np.clip(values, spec.lo if spec.lo is not None else 0, spec.hi if spec.hi is not None else None)


COST_KPIS = frozenset({f"N173{n:02d}" for n in range(7, 13)})


def _matrix(values: pd.DataFrame, kpi: str, kommuner: list[str]) -> np.ndarray:
    """The simulation's own values of the KPI (NaN where it has none), kommuner × YEARS."""
    rows = values[(values["kpi"] == kpi) & (values["gender"] == "T")]
    wide = rows.pivot_table(index="municipality", columns="year", values="value", aggfunc="first")
    return wide.reindex(index=kommuner, columns=list(YEARS)).to_numpy(dtype=float)


def joint_matrix(
    kpi: SignatureKpi, base: np.ndarray, kommuner: list[str], groups: list[SignatureGroup]
) -> np.ndarray:
    """Members report their organisation's figure (its first member's value) in their active years and
    nothing in a year inside its span when none reports; förbund KPIs exist only for förbund members."""
    out = base.copy() if kpi.family != GYMNASIUM_FAMILY else np.full_like(base, np.nan)
    for g in (g for g in groups if g.family == kpi.family):
        rows = [kommuner.index(k) for k in g.members]
        out[rows] = np.where(g.active, base[rows[0]][None, :], out[rows])
        any_active = g.active.any(axis=0)
        span = np.cumsum(any_active) > 0
        span &= np.cumsum(any_active[::-1])[::-1] > 0
        out[np.ix_(rows, np.flatnonzero(span & ~any_active))] = np.nan
    return out


def _codes(kpi: SignatureKpi, kommuner: list[str], groups: list[SignatureGroup], seed: int) -> np.ndarray:
    """U17808 (1 while in a förbund, else 0) or U07496 (the organisation's form code, else own)."""
    rng = np.random.default_rng([seed, stable_hash("codes", kpi.id)])
    own = np.where(rng.random(len(kommuner)) < 0.2, OWN_COMPANY, OWN_ADMINISTRATION)
    out = (
        np.zeros((len(kommuner), len(YEARS)))
        if kpi.kind == FLAG_KIND
        else np.repeat(own[:, None], len(YEARS), 1)
    )
    for g in (g for g in groups if g.family == kpi.family):
        rows = [kommuner.index(k) for k in g.members]
        value = 1 if kpi.kind == FLAG_KIND else (g.form_code or OWN_ADMINISTRATION)
        out[rows] = np.where(g.active, value, out[rows])
    return out.astype(float)


def signature_values(
    values: pd.DataFrame, registry: Registry, groups: list[SignatureGroup], seed: int
) -> pd.DataFrame:
    """The long values frame with every signature KPI for every kommun (replacing the simulated rows of
    those KPIs, which it keeps where no joint organisation reports)."""
    kommuner = sorted(registry.kommuner)
    frames = []
    for kpi in {s.id: s for s in registry.signatures}.values():
        if kpi.kind == "joint_value":
            base = _matrix(values, kpi.id, kommuner)
            base = np.where(np.isnan(base), _draw(kpi.id, kommuner, seed), base)
            matrix = joint_matrix(kpi, base, kommuner, groups)
        else:
            matrix = _codes(kpi, kommuner, groups, seed)
        frames.append(_long(matrix, kommuner, kpi.id))
    replaced = values[~(values["kpi"].isin({s.id for s in registry.signatures}) & (values["gender"] == "T"))]
    return pd.concat([replaced, *frames], ignore_index=True)


def _long(matrix: np.ndarray, kommuner: list[str], kpi: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "kpi": kpi,
            "municipality": np.repeat(np.array(kommuner, dtype=object), len(YEARS)),
            "year": np.tile(np.array(YEARS), len(kommuner)),
            "gender": "T",
            "value": matrix.ravel(),
        }
    )
    return out[out["value"].notna()]
