"""Swedish wording of flags, KPI findings and verdicts: what the report's readers see."""

from __future__ import annotations

import math

from orchestration.lib.transform.effects.units import GROUPS, PARTIAL_TOTAL

FLAG_TEXT = {
    "data_saknas": "uppgifter saknas",
    "kort_forperiod": "för kort förperiod",
    "kort_efterperiod": "för kort efterperiod",
    "metodbrott": "ett metodbyte i nyckeltalet lämnar för få jämförbara år",
    "metodbrott_fonster_kortat": "perioden har kortats så att den inte korsar metodbytet",
    "fa_givare": "för få jämförbara kommuner utanför samverkan",
    "dalig_anpassning": "kontrollen följer kommunen sämre före inträdet än för nästan alla placebokommuner",
    "mekanisk_effekt": "nyckeltalet ändras mekaniskt när ett förbund startar och mäter inte effekten",
    "for_fa_placebo": "för få placebojämförelser för ett intervall",
    "preliminart_ar": "senaste året är preliminärt",
    "preliminart_ar_utelamnat": "det preliminära senaste året är utelämnat",
    "nettokostnad_vardkommun": "nettokostnad för en värdkommun som säljer tjänsten är inte jämförbar",
    "redovisas_gemensamt": "redovisas för samverkan och kopieras till varje medlem",
    "efterperiod_redovisas_gemensamt": "värdet efter inträdet redovisas gemensamt för alla medlemmar",
    "tidigare_samverkan": "medlem ingick i en tidigare samverkan inom området under förperioden",
    "tillskrivs_annan_samverkan": (
        "kommunen gick senare med i en annan samverkan inom området; effekten från det året tillskrivs den"
    ),
    "delad_med_annan_samverkan": (
        "kommunen gick samma dag med i en annan samverkan inom området; effekten kan inte delas mellan dem"
    ),
    "medlem_tillskrivs_annan_samverkan": (
        "en medlem är samtidigt med i en annan samverkan inom området; de år effekten tillskrivs den andra "
        "räknas inte här"
    ),
    "medlemmar_tillkom_senare": "medlemmar har tillkommit efter starten",
    "medlem_har_lamnat": "medlem har lämnat samverkan",
    "medlem_utan_data": "uppgifter saknas för någon medlem",
    PARTIAL_TOTAL: (
        "helheten räknas på de medlemmar som har en egen förperiod; någon medlem saknar en (värden först "
        "efter inträdet, eller bara år i en tidigare samverkan) och ingår inte"
    ),
    "fortrend_bruten": "skillnad mot kontrollen redan före inträdet (tidsplacebo eller förtrend)",
    "trendkanslig": "effekten håller inte när medlemmen tillåts ha en egen linjär trend",
    "egen_trend": (
        "medlemmen hade en egen linjär trend redan före inträdet; effekten är språnget vid inträdet utöver "
        "den trenden"
    ),
    "jamforelse_kolada": "jämförelsegrupp: Koladas liknande kommuner",
    "jamforelse_grannar": "jämförelsegrupp: närmaste kommuner i storlek och nivå",
}

# A row of several members together (units.GROUPS: the cooperation as a whole, the members other than the
# host) says of them together what a kommun's row says of the kommun.
GROUP_FLAG_TEXT = {
    **FLAG_TEXT,
    "dalig_anpassning": (
        "kontrollen följer medlemmarna tillsammans sämre före inträdet än för nästan alla placebojämförelser"
    ),
    "trendkanslig": "effekten håller inte när medlemmarna tillsammans tillåts ha en egen linjär trend",
    "egen_trend": (
        "medlemmarna hade tillsammans en egen linjär trend redan före inträdet; effekten är språnget vid "
        "inträdet utöver medlemmarnas egen trend"
    ),
}

# Flags that explain why a KPI could not be judged, told alongside the blocking ones.
WHY_BLOCKED = ("tidigare_samverkan", "redovisas_gemensamt")

VERDICT_TEXT = {
    "levererar": "levererar",
    "levererar_delvis": "levererar delvis",
    "levererar_inte": "levererar inte",
    "kan_inte_avgoras": "kan inte avgöras",
}


def number(value: float | None, digits: int = 1) -> str:
    """Swedish number format: decimal comma, a minus sign, a space between thousands."""
    value = as_float(value)
    if not math.isfinite(value):
        return "–"
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")
    # A value that rounds to zero has no sign worth printing.
    if text.lstrip("-").strip("0, ") == "":
        text = text.lstrip("-")
    return text.replace("-", "−")


def as_float(value: object) -> float:
    # Estimates come as floats, NaN, None or pandas' NA depending on where they were read from.
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def finding(title: str, unit: str, row: dict, confidence: float) -> str:
    """One KPI's estimate as a sentence."""
    pct = f" ({number(row.get('effect_pct'), 0)} %)" if math.isfinite(as_float(row.get("effect_pct"))) else ""
    low, high = row.get("ci_low"), row.get("ci_high")
    level = number(100 * confidence, 0)
    ci = f", {level} %-intervall {number(low)} till {number(high)}" if math.isfinite(as_float(low)) else ""
    effect, p = number(row.get("effect")), number(row.get("p_value"), 2)
    against = f"mot kontrollen{_beyond_trend(row)}{_partial(row)}"
    return f"{title.rstrip('.')}: {effect} {unit}{pct} {against}{ci}, p = {p}."


def row_flags(row: dict) -> list[str]:
    """A row's flags (its comma-separated `flags`), in order."""
    return [f for f in str(row.get("flags") or "").split(",") if f]


def _partial(row: dict) -> str:
    # A total of only the members with a pre-period of their own (blocks.py): the verdict says whose it is.
    if PARTIAL_TOTAL not in row_flags(row):
        return ""
    return ", räknat på de medlemmar som har en egen förperiod"


def _beyond_trend(row: dict) -> str:
    # An egen_trend row's effect is the step at joining beyond the unit's own trend (trend.py).
    if "egen_trend" not in row_flags(row):
        return ""
    return f" utöver {'medlemmarnas' if is_group(row) else 'kommunens'} egen trend"


def is_group(row: dict) -> bool:
    """Whether the row is of several members together rather than of one kommun."""
    return str(row.get("municipality_id")) in GROUPS


def flag_text(flag: str, row: dict) -> str:
    """A flag in words, as said of the row's kommun or of its members together."""
    return (GROUP_FLAG_TEXT if is_group(row) else FLAG_TEXT).get(flag, flag)


def flags_text(flags: list[str], row: dict) -> str:
    return "; ".join(flag_text(f, row) for f in flags)


DIMENSION_RULE_TEXT = {
    "inga_nyckeltal": "Området har inga nyckeltal med riktning i dimensionen.",
    "inget_bedombart": "Inget nyckeltal som avgör dimensionen går att bedöma.",
    "blandat": "Nyckeltalen i dimensionen pekar åt olika håll: några bättre, några sämre.",
    "forsamring": "Säkerställd försämring, ingen säkerställd förbättring.",
    "forbattring": "Säkerställd förbättring utan säkerställd försämring.",
    "forsamring_hos_medlem": "Förbättring för samverkan som helhet, men försämring hos någon medlem.",
    "bara_vardkommunen": "Förbättringen gäller värdkommunen; övriga medlemmar har fått klart mindre.",
    "ingen_sakerstalld_forandring": "Ingen säkerställd förändring i något bedömbart nyckeltal.",
    "ingen_relevant_effekt": (
        "Intervallen ligger inom den minsta relevanta effekten: ingen förbättring värd namnet."
    ),
}

OVERALL_RULE_TEXT = {
    "syfte_ej_bedombart": "Inget av samverkans syften går att bedöma.",
    "syfte_ej_sakerstallt": (
        "En förändring i något av samverkans syften är inte säkerställd när alla syften prövas tillsammans."
    ),
    "syfte_uppfyllt": "Samverkan levererar i alla sina bedömbara syften.",
    "syfte_ej_uppfyllt": (
        "Samverkan levererar inte i sina bedömbara syften: sämre, eller ingen relevant förbättring."
    ),
    "syfte_ingen_relevant_effekt": "Ingen relevant effekt i något av samverkans bedömbara syften.",
    "syfte_delvis": "Samverkan levererar i en del av sina syften, eller de går inte alla att bedöma.",
}
