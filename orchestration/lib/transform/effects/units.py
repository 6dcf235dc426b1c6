"""What to estimate: one unit per cooperation × member (or the whole cooperation) × KPI, with its cautions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from orchestration.lib.transform.effects.panel import PanelSet, joint_reporting

TOTAL = "total"
# The members other than the host, together: what the cooperation gives those who buy from the host.
OTHERS = "ovriga"
# The rows of several members together, which speak of "the members" rather than of one kommun.
GROUPS = (TOTAL, OTHERS)
# The flag of a total (and its non-host group) built from only the members that have a pre-period of
# their own (blocks.py), which the verdict's wording repeats (texts.py).
PARTIAL_TOTAL = "helhet_utan_alla_medlemmar"


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    title: str
    dimension: str
    better: str
    unit: str
    cost_basis: str | None
    reported_jointly: bool
    method_break: int | None
    caution: str | None = None  # mekanisk | gemensam_efter_start (areas.yaml): never a verdict
    primary: bool = False  # the dimension's declared primary KPI (areas.yaml): its test alone decides
    has_zero: bool = True  # a level with a true zero, not a deviation around it (panel.has_a_zero)

    @property
    def directed(self) -> bool:
        """Better or worse has a meaning (areas.yaml `better` lower or higher, not none)."""
        return self.better in ("lower", "higher")


@dataclass(frozen=True)
class Unit:
    agreement_id: str
    area: str
    municipality_id: str  # a kommunkod, or TOTAL for the cooperation as a whole
    is_host: bool | None
    kpi: Kpi
    members: tuple[str, ...]  # the kommuner whose population-weighted series is the treated series
    join_year: int
    end_year: int | None  # first year no longer counted as post-period
    pre_from: int | None  # first year free of an earlier cooperation in the area, if there was one
    peers: tuple[str, ...]  # Kolada's comparison group, when the area has one
    flags: tuple[str, ...]


def kpis_by_area(area_kpis: pd.DataFrame) -> dict[str, list[Kpi]]:
    """area_kpis: area, kpi_id, title, dimension, better, unit, cost_basis, reported_jointly, method_break,
    optional caution and is_primary."""
    out: dict[str, list[Kpi]] = {}
    for r in area_kpis.itertuples(index=False):
        brk = None if pd.isna(r.method_break) else int(r.method_break)
        basis = None if pd.isna(r.cost_basis) else str(r.cost_basis)
        kpi = Kpi(
            str(r.kpi_id),
            str(r.title),
            str(r.dimension),
            str(r.better),
            str(r.unit),
            basis,
            true(r.reported_jointly),
            brk,
            _caution(getattr(r, "caution", None)),
            true(getattr(r, "is_primary", False)),
        )
        out.setdefault(str(r.area), []).append(kpi)
    return out


# areas.yaml's caution for a KPI that a förbund's start changes mechanically for every unit: never judged,
# here or in the national estimates (national_store.py), which would otherwise read it as an effect.
MECHANICAL = "mekanisk"


def mechanical(kpi: Kpi, whole: bool) -> bool:
    """Whether a förbund's start changes the KPI mechanically for a unit (areas.yaml `caution`), so that it
    never gives a verdict there: `mekanisk` for every unit, `gemensam_efter_start` for members and groups
    of members (they report the joint body's one figure), not for the cooperation as a whole."""
    return kpi.caution == MECHANICAL or (kpi.caution == "gemensam_efter_start" and not whole)


def _caution(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def true(value: object) -> bool:
    """A flag from a table: missing (None, NaN, NA) is false."""
    return value is not None and not pd.isna(value) and bool(value)


def area_members(agreements: pd.DataFrame, members: pd.DataFrame) -> dict[str, set[str]]:
    """Every kommun ever in a cooperation of each area: they can be neither donors nor comparisons."""
    joined = members.merge(agreements[["agreement_id", "area"]], on="agreement_id")
    return {str(a): set(g["municipality_id"].astype(str)) for a, g in joined.groupby("area")}


def plan_units(
    agreements: pd.DataFrame,
    members: pd.DataFrame,
    area_kpis: dict[str, list[Kpi]],
    peers: dict[tuple[str, str], tuple[str, ...]],
    panels: PanelSet,
) -> list[Unit]:
    """All units of all cooperations; peers maps (area, kommun) to Kolada's comparison group."""
    units: list[Unit] = []
    for agr in agreements.itertuples(index=False):
        mem = members[members["agreement_id"] == agr.agreement_id]
        if mem.empty:
            continue
        history = _earlier_cooperation(agr, members, agreements)
        for kpi in area_kpis.get(str(agr.area), []):
            units += _units_for_kpi(agr, mem, kpi, peers, panels, history)
    return units


def _units_for_kpi(
    agr: object, mem: pd.DataFrame, kpi: Kpi, peers: dict, panels: PanelSet, history: dict[str, int]
) -> list[Unit]:
    first = mem.sort_values("joined_year").drop_duplicates("municipality_id")
    ids = tuple(first["municipality_id"].astype(str))
    start = int(first["joined_year"].min())
    joint = "always" if kpi.reported_jointly else _detect_joint(panels, kpi.kpi_id, ids, start)
    host = None if pd.isna(agr.host_municipality_id) else str(agr.host_municipality_id)
    end = None if pd.isna(agr.end_year) else int(agr.end_year)
    base = {"agreement_id": str(agr.agreement_id), "area": str(agr.area), "kpi": kpi}
    units = (
        []
        if joint == "always"
        else [_member_unit(base, r, host, end, peers, history, joint) for r in first.itertuples(index=False)]
    )
    flags = _total_flags(first, ids, host, kpi, joint, history)
    ids = tuple(_counted(first)["municipality_id"].astype(str)) or ids
    all_peers = tuple(sorted({p for m in ids for p in peers.get((base["area"], m), ())}))
    units.append(
        Unit(
            **base,
            municipality_id=TOTAL,
            is_host=None,
            members=ids,
            join_year=start,
            end_year=end,
            pre_from=max((history[m] for m in ids if m in history), default=None),
            peers=all_peers,
            flags=flags,
        )
    )
    return units


def _member_unit(
    base: dict,
    r: object,
    host: str | None,
    end: int | None,
    peers: dict,
    history: dict[str, int],
    joint: str | None,
) -> Unit:
    m = str(r.municipality_id)
    left = None if pd.isna(r.left_year) else int(r.left_year)
    credited, flags = _attribution(r)
    limits = [x for x in (left, end, credited) if x is not None]
    stop = min(limits) if limits else None
    flags += ["efterperiod_redovisas_gemensamt"] if joint == "post" else []
    if mechanical(base["kpi"], whole=False):
        flags.append("mekanisk_effekt")
    if m == host and base["kpi"].cost_basis == "nettokostnad":
        flags.append("nettokostnad_vardkommun")
    if m in history:
        flags.append("tidigare_samverkan")
    return Unit(
        **base,
        municipality_id=m,
        is_host=m == host,
        members=(m,),
        join_year=int(r.joined_year),
        end_year=stop,
        pre_from=history.get(m),
        peers=peers.get((base["area"], m), ()),
        flags=tuple(flags),
    )


def _attribution(r: object) -> tuple[int | None, list[str]]:
    """The overlap rule's outcome for a member (fct_agreement_members, from int_member_attributions):
    the year its effect goes to a later-joined cooperation of the area, and its flags. Frames without
    the columns (a plain panel, `uppsikt effects estimate`) have no overlaps."""
    year = getattr(r, "credited_elsewhere_year", None)
    credited = None if year is None or pd.isna(year) else int(year)
    shared = getattr(r, "is_shared", False)
    flags = ["tillskrivs_annan_samverkan"] if credited is not None else []
    flags += ["delad_med_annan_samverkan"] if true(shared) else []
    return credited, flags


def _counted(first: pd.DataFrame) -> pd.DataFrame:
    """Members whose effect counts in the total: not those credited elsewhere from the year they joined."""
    if "credited_elsewhere_year" not in first:
        return first
    return first[~(first["credited_elsewhere_year"] <= first["joined_year"]).fillna(False).astype(bool)]


def _total_flags(
    first: pd.DataFrame,
    ids: tuple[str, ...],
    host: str | None,
    kpi: Kpi,
    joint: str | None,
    history: dict[str, int],
) -> tuple[str, ...]:
    flags = {"always": ["redovisas_gemensamt"], "post": ["efterperiod_redovisas_gemensamt"]}.get(
        joint or "", []
    )
    if mechanical(kpi, whole=True):
        flags.append("mekanisk_effekt")
    if first["joined_year"].nunique() > 1:
        flags.append("medlemmar_tillkom_senare")
    if first["left_year"].notna().any():
        flags.append("medlem_har_lamnat")
    if host in ids and kpi.cost_basis == "nettokostnad":
        flags.append("nettokostnad_vardkommun")
    if set(history) & set(ids):
        flags.append("tidigare_samverkan")
    if any(_attribution(r)[1] for r in first.itertuples(index=False)):
        flags.append("medlem_tillskrivs_annan_samverkan")
    return tuple(flags)


def _detect_joint(panels: PanelSet, kpi_id: str, ids: tuple[str, ...], start: int) -> str | None:
    if kpi_id not in panels.kpis:
        return None
    rows = [panels.row[m] for m in ids if m in panels.row]
    return joint_reporting(panels.series(kpi_id)[rows], panels.years, start) if len(rows) > 1 else None


def _earlier_cooperation(agr: object, members: pd.DataFrame, agreements: pd.DataFrame) -> dict[str, int]:
    """Members that were in another cooperation of the same area before joining this one, with the
    first year after it: only years from then on compare the kommun with itself without cooperation."""
    others = agreements.loc[
        (agreements["area"] == agr.area) & (agreements["agreement_id"] != agr.agreement_id)
    ]
    mine = (
        members[members["agreement_id"] == agr.agreement_id].groupby("municipality_id")["joined_year"].min()
    )
    other = members.merge(others[["agreement_id", "end_year"]], on="agreement_id")
    before = other.merge(mine.rename("own_join").reset_index(), on="municipality_id")
    before = before[before["joined_year"] < before["own_join"]]
    # The year it ended may be partly a member year: start the clean years after it. Still a member
    # when joining this one: no clean year at all.
    stop = before[["left_year", "end_year"]].min(axis=1).fillna(before["own_join"])
    free = (stop + 1).clip(upper=before["own_join"])
    return {str(m): int(y) for m, y in free.groupby(before["municipality_id"]).max().items()}
