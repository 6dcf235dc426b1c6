"""How each simulated series behaves: level, trend, spread between kommuner, noise, bounds.

Levels are for a kommun of 10,000 inhabitants in 2024, taken from the ranges small kommuner show in the
public sources; the point is plausibility, not fidelity to any real kommun.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_YEAR = 2010
LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
BASE_YEAR = 2024
SCB_FIRST_YEAR = 2011  # TAB4199 starts 2011
SCB_LAST_YEAR = 2024  # the latest final räkenskapssammandrag

# Nominal price growth per year: costs follow it, so 2022-2023 show the inflation jump every kommun saw.
INFLATION = {2022: 0.06, 2023: 0.06, 2024: 0.03}
DEFAULT_INFLATION = 0.02


@dataclass(frozen=True)
class KpiSpec:
    """One series: value = level × size and north factors × fixed effect × trend × AR(1) noise (log),
    or the same terms added (linear)."""

    level: float
    log: bool = True
    trend: float = 0.0  # per year: relative (log) or in the unit (linear), real terms
    nominal: bool = False  # follows the price index on top of the trend
    fe_sd: float = 0.15
    noise_sd: float = 0.05
    rho: float = 0.5
    size_elast: float = 0.0  # on log(pop / 10,000)
    north: float = 0.0  # kommuner in Norrland (län 20-25)
    year_sd: float = 0.01  # common year shocks, shared by every kommun
    slope_sd: float = 0.003  # kommun-specific drift
    lo: float | None = None
    hi: float | None = None
    digits: int = 1


@dataclass(frozen=True)
class VerksamhetSpec:
    """A verksamhet's own gross cost per inhabitant; income and the Kolada cost KPIs follow from it."""

    cost: KpiSpec
    income_share: float  # fees, grants etc. as a share of own gross cost
    income_sd: float = 0.03
    netto_kpi: str | None = None  # Kolada "Nettokostnad ..., kr/inv"
    kostnad_kpi: str | None = None  # Kolada "Kostnad ..., kr/inv" (own commitment)
    sales_share: float = 0.3  # share of a buying member's cost a host sells to it


def _cost(level: float, **kw: float) -> KpiSpec:
    return KpiSpec(level=level, nominal=True, trend=kw.pop("trend", 0.008), digits=0, **kw)


VERKSAMHET: dict[str, VerksamhetSpec] = {
    "270": VerksamhetSpec(
        _cost(1300, fe_sd=0.15, noise_sd=0.04, size_elast=-0.25, north=0.15), 0.08, 0.02, "N07041", "N07009"
    ),
    "275": VerksamhetSpec(_cost(90, fe_sd=0.4, noise_sd=0.15), 0.45, 0.1),
    "261": VerksamhetSpec(
        _cost(420, fe_sd=0.3, noise_sd=0.06, size_elast=-0.2), 0.4, 0.08, "N07026", "N07006"
    ),
    "215": VerksamhetSpec(_cost(1600, fe_sd=0.35, noise_sd=0.1), 0.5, 0.08, "N07038", "N07001"),
    "450": VerksamhetSpec(
        _cost(5900, fe_sd=0.1, noise_sd=0.03, size_elast=-0.05), 0.07, 0.02, "N17014", "N17004", 0.7
    ),
    "865": VerksamhetSpec(_cost(3800, fe_sd=0.2, noise_sd=0.04), 0.97, 0.04, "N45014", "N45028"),
    "870": VerksamhetSpec(_cost(1500, fe_sd=0.2, noise_sd=0.04), 1.0, 0.04, "N45015", "N45029"),
    "100": VerksamhetSpec(
        _cost(650, fe_sd=0.25, noise_sd=0.05, size_elast=-0.3), 0.05, 0.02, None, None, 0.08
    ),
    "510": VerksamhetSpec(_cost(19000, fe_sd=0.15, noise_sd=0.03, north=0.05), 0.12, 0.03),
    "120": VerksamhetSpec(_cost(90, fe_sd=0.3, noise_sd=0.08, size_elast=-0.3), 0.0, 0.0),
    "790": VerksamhetSpec(
        _cost(80000, trend=0.01, fe_sd=0.06, noise_sd=0.015, size_elast=-0.08, north=0.05),
        0.19,
        0.02,
        "N00096",
    ),
}

KPI: dict[str, KpiSpec] = {
    "U07442": KpiSpec(14, fe_sd=0.15, noise_sd=0.06, size_elast=-0.15, north=0.25),
    "U07440": KpiSpec(1.6, trend=-0.01, fe_sd=0.15, noise_sd=0.08),
    "N07415": KpiSpec(0.12, fe_sd=0.3, noise_sd=0.35, digits=2),
    "N07035": KpiSpec(12, trend=0.005, fe_sd=0.2, noise_sd=0.05, size_elast=0.8),
    "N07032": KpiSpec(8, trend=0.005, fe_sd=0.2, noise_sd=0.06, size_elast=0.85, digits=0),
    "U07449": KpiSpec(72, log=False, trend=0.4, fe_sd=6, noise_sd=4, year_sd=1, lo=35, hi=95, digits=0),
    "U07455": KpiSpec(78, log=False, trend=0.3, fe_sd=5, noise_sd=4, year_sd=1, lo=35, hi=97, digits=0),
    "N00820": KpiSpec(25, fe_sd=0.3, noise_sd=0.2, digits=0),
    "U07447": KpiSpec(70, log=False, trend=0.2, fe_sd=7, noise_sd=5, year_sd=1, lo=30, hi=95, digits=0),
    "N07925": KpiSpec(4, fe_sd=0.6, noise_sd=0.4),
    "U37009": KpiSpec(10000, nominal=True, fe_sd=0.25, noise_sd=0.12, size_elast=-0.15, digits=0),
    "U37002": KpiSpec(14, trend=-0.015, fe_sd=0.2, noise_sd=0.05),
    "U37008": KpiSpec(1.2, trend=-0.01, fe_sd=0.1, noise_sd=0.05, digits=2),
    "N17001": KpiSpec(3, log=False, fe_sd=10, noise_sd=3, rho=0.6, year_sd=0.5, lo=-40, hi=60),
    "N17441": KpiSpec(70, log=False, trend=0.2, fe_sd=5, noise_sd=3, year_sd=0.8, lo=40, hi=95),
    "N45924": KpiSpec(8500, nominal=True, trend=0.015, fe_sd=0.2, noise_sd=0.02, digits=0),
    "U07489": KpiSpec(85, log=False, fe_sd=4, noise_sd=2.5, year_sd=0.5, lo=50, hi=99, digits=0),
    "N00090": KpiSpec(7.8, log=False, fe_sd=1.0, noise_sd=0.5, year_sd=0.2, lo=2, hi=16),
    "N00206": KpiSpec(80, log=False, trend=1.3, fe_sd=6, noise_sd=2, year_sd=0.3, lo=35, hi=99),
}

# Kommun-independent events every kommun shares (added to the series above, in the KPI's unit).
PANDEMIC = {"N00090": {2020: 1.6, 2021: 1.8, 2022: 1.2}}
# Nettokostnadsavvikelse changed method in 2019: a common shift plus a kommun-specific one from then on.
METHOD_BREAKS = {"N17001": (2019, 3.0, 5.0)}  # year, common shift, kommun-specific sd

# The förbund KPI: the förbund's examen rate, near the members' "examen eller studiebevis" rate.
FORBUND_KPI = "N17304"
FORBUND_SOURCE_KPI = "N17441"
FORBUND_OFFSET = -5.0
FORBUND_NOISE_SD = 2.0

# Offsets of the women's and men's values from the total, for KPIs divided by gender.
GENDER_OFFSETS = {"N17441": (3.0, -3.0), "N00090": (0.8, -2.8), "N00206": (-2.0, 6.0)}
WOMEN_SHARE = 0.494


def fallback_spec(unit: str) -> KpiSpec:
    """A plausible spec for a KPI the demo has no specific knowledge of, chosen by its unit."""
    if unit.startswith("kr"):
        return _cost(1000, fe_sd=0.2)
    if unit in {"%", "index"}:
        return KpiSpec(60 if unit == "index" else 50, log=False, fe_sd=6, noise_sd=3, lo=0, hi=100)
    return KpiSpec(10)


def verksamhet_spec(code: str) -> VerksamhetSpec:
    """The spec of an SCB verksamhet; a modest generic one for codes the demo knows nothing about."""
    return VERKSAMHET.get(code) or VerksamhetSpec(_cost(500, fe_sd=0.3, noise_sd=0.08), 0.2, 0.05)


def kpi_for_verksamhet() -> dict[str, tuple[str, str]]:
    """Kolada cost KPI -> (verksamhet, measure): netto, or egna (kostnad för det egna åtagandet)."""
    out: dict[str, tuple[str, str]] = {}
    for code, spec in VERKSAMHET.items():
        if spec.netto_kpi:
            out[spec.netto_kpi] = (code, "netto")
        if spec.kostnad_kpi:
            out[spec.kostnad_kpi] = (code, "egna")
    return out
