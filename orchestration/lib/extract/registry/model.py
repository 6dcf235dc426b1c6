"""The cooperation registry as Python objects (what the YAML files in registry/ describe)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from orchestration.lib.extract.registry.issues import Issue


@dataclass(frozen=True)
class Member:
    kommun: str  # kommunkod, four digits
    joined: date
    left: date | None = None


@dataclass(frozen=True)
class CostKey:
    from_year: int
    rule: str  # "fixed" or "population"
    shares: dict[str, float] = field(default_factory=dict)  # kommunkod -> percent, for rule "fixed"


@dataclass(frozen=True)
class Target:
    measure: str  # a KPI id or a derived measure name
    comparison: str  # "<=" or ">="
    value: float
    from_year: int
    to_year: int | None = None
    scope: str = "total"  # "total" or a member's kommunkod
    comment: str | None = None  # the förbund's own comment on the target, shown beside the outcome
    action: str | None = None  # the åtgärd the förbund or host has decided on to reach it


@dataclass(frozen=True)
class LedgerYear:
    year: int
    payments_tkr: dict[str, float]  # kommunkod -> what the member paid
    host_cost_tkr: float | None = None  # the host's own cost (självkostnad basis)


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    form: str  # kommunalforbund, gemensam_namnd, avtalssamverkan, bolag, ovrig
    area: str  # a key of registry/areas.yaml
    purpose: tuple[str, ...]  # kostnad, kvalitet, personal
    host: str | None
    start: date
    members: tuple[Member, ...]
    end: date | None = None
    predecessor: str | None = None
    successor: str | None = None
    kolada_group: str | None = None
    sources: tuple[str, ...] = ()
    notes: str = ""
    cost_keys: tuple[CostKey, ...] = ()
    targets: tuple[Target, ...] = ()
    ledger: tuple[LedgerYear, ...] = ()
    source_file: str = ""
    seat: str | None = None  # a kommunalförbund's seat (säte), kommunkod
    unverified: tuple[str, ...] = ()  # fields not yet confirmed against a primary source
    illustrative: tuple[str, ...] = ()  # sections holding example figures: cost_keys, targets, ledger
    start_censored: bool = False  # it existed at `start`; the real start is earlier or unknown

    def members_in(self, year: int) -> list[str]:
        """Kommuner that were members for at least part of the year."""
        return sorted(
            m.kommun
            for m in self.members
            if m.joined.year <= year and (m.left is None or m.left.year >= year)
        )


@dataclass(frozen=True)
class AreaKpi:
    id: str
    title: str
    dimension: str  # kostnad, kvalitet, personal
    better: str  # lower, higher, none
    unit: str
    cost_basis: str | None = None
    reported_jointly: bool = False
    method_break: int | None = None
    caution: str | None = None  # mekanisk | gemensam_efter_start: never a verdict (see areas.yaml)
    primary: bool = False  # the dimension's primary KPI: its test alone decides the dimension's verdict

    @property
    def is_share(self) -> bool:
        """A share ("andel (%)") lies between 0 and 100; other percentages (deviations) need not."""
        return self.unit == "%" and "andel" in self.title.lower()


@dataclass(frozen=True)
class SignatureKpi:
    """A KPI whose identical values across kommuner reveal a joint organisation (registry/signatures.yaml)."""

    family: str  # e.g. overformyndare, gymnasieforbund, avfall
    area: str  # a key of registry/areas.yaml
    id: str
    kind: str  # joint_value, member_flag or form_code
    title: str
    form: str | None = None  # the form the family implies, if any
    family_title: str = ""  # e.g. "Gemensam överförmyndarorganisation"


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    scb_verksamhet: tuple[str, ...]
    comparison_group: str | None
    kpis: tuple[AreaKpi, ...]


@dataclass(frozen=True)
class DerivedMeasure:
    """A measure computed by the project (from RS costs or the ledger), usable as a target."""

    id: str
    title: str
    dimension: str
    better: str
    unit: str


@dataclass(frozen=True)
class Registry:
    agreements: tuple[Agreement, ...]
    areas: dict[str, Area]
    context_kpis: tuple[AreaKpi, ...]
    kommuner: dict[str, str]  # kommunkod -> name
    scb_contents: dict[str, str]
    lan: dict[str, str] = field(default_factory=dict)  # kommunkod -> län
    derived_measures: dict[str, DerivedMeasure] = field(default_factory=dict)
    # unit -> (lowest, highest) plausible value; areas.yaml's plausible_ranges
    plausible_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    # Not errors: what `registry check` prints as "varning:" lines (e.g. overlapping cooperations)
    warnings: tuple[Issue, ...] = ()
    signatures: tuple[SignatureKpi, ...] = ()

    def kpi_ids(self) -> list[str]:
        """Every KPI the registry follows: the areas' KPIs of its cooperations plus the context KPIs."""
        used = {a.area for a in self.agreements}
        ids = {k.id for key in used for k in self.areas[key].kpis} | {k.id for k in self.context_kpis}
        targeted = {t.measure for a in self.agreements for t in a.targets}
        return sorted(ids | (targeted - set(self.derived_measures)))

    def signature_kpi_ids(self) -> list[str]:
        """The KPIs discovery reads, pulled for every kommun (registry/signatures.yaml)."""
        return sorted({s.id for s in self.signatures})

    def member_kommuner(self) -> list[str]:
        """Every kommun that is or was a member of a cooperation in the registry."""
        return sorted({m.kommun for a in self.agreements for m in a.members})
