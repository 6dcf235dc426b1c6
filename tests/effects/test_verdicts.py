"""The verdict rules on hand-made estimates: purpose, deterioration elsewhere, members, uncertainty."""

import dataclasses

import pandas as pd
import pytest

from orchestration.lib.transform.effects.config import EffectsConfig, Verdicts
from orchestration.lib.transform.effects.results import ESTIMATE_COLUMNS
from orchestration.lib.transform.effects.units import Kpi
from orchestration.lib.transform.effects.verdicts import judge_all, judge_members

CFG = EffectsConfig()
KPIS = {
    "omr": [
        Kpi("COST", "Kostnad kr/inv", "kostnad", "lower", "kr/inv", "kostnad", False, None),
        Kpi("NET", "Nettokostnad kr/inv", "kostnad", "lower", "kr/inv", "nettokostnad", False, None),
        Kpi("QUAL", "Responstid", "kvalitet", "lower", "min", None, False, None),
        Kpi("STAFF", "Årsarbetare", "personal", "higher", "antal", None, False, None),
        Kpi("VOL", "Volym", "personal", "none", "antal", None, False, None),
    ]
}
BETTER = {"effect": -10.0, "p_value": 0.02, "ci_low": -15.0, "ci_high": -5.0}
WORSE = {"effect": 10.0, "p_value": 0.02, "ci_low": 5.0, "ci_high": 15.0}
NOTHING = {"effect": 1.0, "p_value": 0.6, "ci_low": -6.0, "ci_high": 8.0}
HOST, OTHER = "0001", "0002"


def row(kpi: str, outcome: dict, municipality: str = "total", method: str = "synthetic_did", **extra) -> dict:
    base = dict.fromkeys(ESTIMATE_COLUMNS)
    is_host = None if municipality == "total" else municipality == HOST
    base.update(agreement_id="a", municipality_id=municipality, is_host=is_host, kpi_id=kpi, method=method)
    base.update(flags="", pretrend_violated=None)
    base.update(**outcome, **extra)
    return base


def judge(rows: list[dict], purpose=("kostnad",), cfg=CFG) -> pd.DataFrame:
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr", "purpose": list(purpose),
                                "host_municipality_id": HOST, "end_year": None}])  # fmt: skip
    verdicts = judge_all(pd.DataFrame(rows, columns=ESTIMATE_COLUMNS), agreements, KPIS, cfg)
    return verdicts.set_index("dimension")


def test_four_rows_per_cooperation_with_rule_and_reasons():
    v = judge([row("COST", BETTER)])
    assert list(v.index) == ["kostnad", "kvalitet", "personal", "samlat"]
    assert v.loc["kostnad", "verdict"] == "levererar" and v.loc["kostnad", "rule"] == "kostnad.forbattring"
    assert v.loc["samlat", "verdict"] == "levererar" and v.loc["samlat", "rule"] == "samlat.syfte_uppfyllt"
    assert "Kostnad kr/inv: −10,0 kr/inv" in v.loc["kostnad", "reasons"]
    assert v.loc["kostnad", "in_purpose"] and not v.loc["kvalitet", "in_purpose"]


def test_significant_deterioration_elsewhere_counts_against_the_cooperation():
    v = judge([row("COST", BETTER), row("QUAL", WORSE)])
    assert v.loc["kvalitet", "verdict"] == "levererar_inte"
    assert v.loc["samlat", "verdict"] == "levererar_delvis"
    assert v.loc["samlat", "rule"] == "samlat.syfte_uppfyllt_med_forsamring"
    assert "räknas emot" in v.loc["samlat", "reasons"]
    no_penalty = dataclasses.replace(
        CFG, verdicts=dataclasses.replace(CFG.verdicts, deterioration_penalty_steps=0)
    )
    assert (
        judge([row("COST", BETTER), row("QUAL", WORSE)], cfg=no_penalty).loc["samlat", "verdict"]
        == "levererar"
    )


def test_purpose_decides_what_counts_for_the_cooperation():
    rows = [row("COST", NOTHING), row("QUAL", BETTER)]
    assert judge(rows, purpose=("kostnad",)).loc["samlat", "verdict"] == "kan_inte_avgoras"
    assert judge(rows, purpose=("kvalitet",)).loc["samlat", "verdict"] == "levererar"
    # No stated purpose: all three dimensions are the purpose; tested together without placebo statistics
    # (Bonferroni over the three tested dimensions), each needs p ≤ 0.05 / 3 to count.
    staff = row("STAFF", NOTHING)
    assert judge([*rows, staff], purpose=()).loc["samlat", "verdict"] == "kan_inte_avgoras"
    strong = [row("COST", NOTHING), row("QUAL", {**BETTER, "p_value": 0.01}), staff]
    assert judge(strong, purpose=()).loc["samlat", "verdict"] == "levererar"
    # Only the dimensions with a test are tested together: two of them, so p ≤ 0.05 / 2.
    assert judge(rows, purpose=()).loc["samlat", "verdict"] == "levererar"
    mixed = [row("COST", {**WORSE, "p_value": 0.01}), row("QUAL", {**BETTER, "p_value": 0.01})]
    assert judge(mixed, purpose=()).loc["samlat", "verdict"] == "levererar_delvis"


def test_samlat_on_some_of_the_purposes_names_those_it_rests_on():
    strong = {**BETTER, "p_value": 0.01}
    v = judge([row("COST", strong), row("QUAL", NOTHING)], purpose=("kostnad", "kvalitet", "personal"))
    assert v.loc["samlat", "verdict"] == "levererar"
    assert "levererar i alla sina bedömbara syften" in v.loc["samlat", "reasons"]
    assert "Domen vilar på kostnad; kvalitet och personal går inte att avgöra." in v.loc["samlat", "reasons"]
    every = judge([row("COST", strong), row("QUAL", strong)], purpose=("kostnad", "kvalitet"))
    assert every.loc["samlat", "verdict"] == "levererar"
    assert "Domen vilar" not in every.loc["samlat", "reasons"]


def test_worse_in_the_purpose_is_not_delivering():
    v = judge([row("COST", WORSE)])
    assert v.loc["kostnad", "verdict"] == "levererar_inte"
    assert (
        v.loc["samlat", "verdict"] == "levererar_inte"
        and v.loc["samlat", "rule"] == "samlat.syfte_ej_uppfyllt"
    )


def test_mixed_kpis_in_a_dimension_deliver_partly():
    v = judge([row("COST", BETTER), row("NET", WORSE)])
    assert v.loc["kostnad", "verdict"] == "levererar_delvis" and v.loc["kostnad", "rule"] == "kostnad.blandat"


@pytest.mark.parametrize(
    "flag", ["dalig_anpassning", "kort_forperiod", "metodbrott", "fortrend_bruten", "mekanisk_effekt"]
)
def test_underpowered_poor_fit_or_short_history_cannot_be_judged(flag):
    v = judge([row("COST", BETTER, flags=f"preliminart_ar,{flag}")])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    assert v.loc["kostnad", "rule"] == "kostnad.inget_bedombart"
    assert v.loc["samlat", "verdict"] == "kan_inte_avgoras"


def test_no_change_is_not_called_failing():
    v = judge([row("COST", NOTHING)])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    assert v.loc["kostnad", "rule"] == "kostnad.ingen_sakerstalld_forandring"


def test_directionless_kpis_do_not_count():
    v = judge([row("VOL", BETTER)])
    assert v.loc["personal", "rule"] == "personal.inget_bedombart"
    assert v.loc["personal", "verdict"] == "kan_inte_avgoras"


def test_nettokostnad_of_a_host_is_left_out_when_kostnad_exists():
    v = judge([row("NET", BETTER, flags="nettokostnad_vardkommun"), row("COST", NOTHING)])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    cfg = dataclasses.replace(CFG, verdicts=dataclasses.replace(CFG.verdicts, host_prefers_cost_basis=False))
    v = judge([row("NET", BETTER, flags="nettokostnad_vardkommun"), row("COST", NOTHING)], cfg=cfg)
    assert v.loc["kostnad", "verdict"] == "levererar"  # p 0.02 × 2 KPIs still clears Holm's 0.05
    assert v.loc["kostnad", "rule"] == "kostnad.forbattring"


def test_one_test_per_dimension_by_holm_step_down():
    borderline = {**BETTER, "p_value": 0.03}
    # Alone, p 0.03 is significant; one of two KPIs at 0.03 is not (0.03 × 2 > 0.05), nor both.
    assert judge([row("COST", borderline)]).loc["kostnad", "verdict"] == "levererar"
    v = judge([row("COST", borderline), row("NET", NOTHING)])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    bad = {**WORSE, "p_value": 0.03}
    assert judge([row("COST", bad), row("NET", NOTHING)]).loc["kostnad", "verdict"] == "kan_inte_avgoras"
    # The smallest p passes at 0.05/2, the next at 0.05/1.
    v = judge([row("COST", {**BETTER, "p_value": 0.01}), row("NET", {**BETTER, "p_value": 0.04})])
    assert v.loc["kostnad", "verdict"] == "levererar"


def test_good_and_bad_news_need_the_same_evidence_in_samlat():
    # Two purposes tested without placebo statistics: a dimension counts for samlat only at p ≤ 0.05 / 2
    # (Bonferroni), whichever its direction.
    quality = row("QUAL", NOTHING)
    for outcome, verdict in ((BETTER, "levererar"), (WORSE, "levererar_inte")):
        weak = {**outcome, "p_value": 0.04}
        v = judge([row("COST", weak), quality], purpose=("kostnad", "kvalitet"))
        assert v.loc["kostnad", "verdict"] == verdict
        assert v.loc["samlat", "verdict"] == "kan_inte_avgoras"
        strong = {**outcome, "p_value": 0.02}
        assert (
            judge([row("COST", strong), quality], purpose=("kostnad", "kvalitet")).loc["samlat", "verdict"]
            == verdict
        )


def test_a_direction_short_of_the_correction_leaves_samlat_open_whichever_way_it_points():
    # Two purposes: kostnad points a way at p 0.04 (short of 0.05 / 2), kvalitet has no relevant effect.
    # Left out, kostnad would leave "no relevant effect: levererar inte" for a saving and a loss alike.
    none = {"effect": -5.0, "effect_pct": -0.5, "p_value": 0.4, "ci_low": -40.0, "ci_high": 30.0}
    said = {}
    for outcome in (BETTER, WORSE):
        v = judge(
            [row("COST", {**outcome, "p_value": 0.04}), row("QUAL", none)], purpose=("kostnad", "kvalitet")
        )
        assert v.loc["kvalitet", "rule"] == "kvalitet.ingen_relevant_effekt"
        said[outcome["effect"]] = v.loc["samlat", ["verdict", "rule", "undecided_kind"]].tolist()
        assert "kostnad (justerat p = 0,080)" in v.loc["samlat", "undecided_text"]
        assert "måste vara högst 0,050" in v.loc["samlat", "undecided_text"]
    assert (
        said[-10.0]
        == said[10.0]
        == ["kan_inte_avgoras", "samlat.syfte_ej_sakerstallt", "ingen_saker_skillnad"]
    )


def test_an_interval_inside_the_smallest_relevant_effect_is_no_relevant_effect():
    tight = {"effect": -5.0, "effect_pct": -0.5, "p_value": 0.4, "ci_low": -40.0, "ci_high": 30.0,
             "mde": 60.0, "mde_pct": 6.0}  # fmt: skip
    v = judge([row("COST", tight)])
    assert v.loc["kostnad", "verdict"] == "levererar_inte"
    assert v.loc["kostnad", "rule"] == "kostnad.ingen_relevant_effekt"
    wide = {**tight, "ci_low": -140.0}  # −14 %: a relevant saving cannot be ruled out
    assert judge([row("COST", wide)]).loc["kostnad", "verdict"] == "kan_inte_avgoras"
    off = dataclasses.replace(CFG, verdicts=dataclasses.replace(CFG.verdicts, smallest_relevant_pct=None))
    assert judge([row("COST", tight)], cfg=off).loc["kostnad", "verdict"] == "kan_inte_avgoras"


def test_undecided_says_what_would_settle_it():
    unsure = {**NOTHING, "effect_pct": 0.1, "ci_low": -150.0, "ci_high": 130.0, "mde": 120.0, "mde_pct": 12.0}
    v = judge([row("COST", unsure), row("QUAL", {}, flags="kort_efterperiod", join_year=2024)])
    assert v.loc["kostnad", "undecided_kind"] == "ingen_saker_skillnad"
    assert v.loc["kostnad", "mde_abs"] == 120.0 and v.loc["kostnad", "mde_pct"] == 12.0
    assert "120,0 kr/inv (12 %)" in v.loc["kostnad", "undecided_text"]
    assert "−150,0 till 130,0" in v.loc["kostnad", "undecided_text"]
    assert v.loc["kvalitet", "undecided_kind"] == "for_lite_data"
    assert v.loc["kvalitet", "judgeable_from_year"] == 2025 and "2025" in v.loc["kvalitet", "undecided_text"]
    assert v.loc["personal", "undecided_kind"] == "ej_matbart"
    assert "redovisas inte per medlemskommun" in v.loc["personal", "undecided_text"]
    assert v.loc["samlat", "undecided_kind"] == "ingen_saker_skillnad"
    decided = judge([row("COST", BETTER)])
    assert pd.isna(decided.loc["kostnad", "undecided_kind"]) and pd.isna(
        decided.loc["samlat", "undecided_text"]
    )


def test_what_would_settle_a_dimension_follows_what_stopped_its_kpis():
    def settles(*rows: dict) -> str:
        return judge(list(rows)).loc["kostnad", "undecided_text"].split("Det avgörs med ")[1]

    assert settles(row("COST", BETTER, flags="mekanisk_effekt")).startswith("ett nyckeltal per kommun som")
    assert settles(row("COST", {}, flags="kort_forperiod")).startswith("ett nyckeltal med fler år före")
    # The DiD's pre-trend test stops the primary estimate too: the text names it, and what would settle it.
    broken = [row("COST", BETTER), row("COST", BETTER, method="diff_in_diff", pretrend_violated=True)]
    v = judge(broken)
    assert v.loc["kostnad", "undecided_kind"] == "ej_matbart"
    assert "redan före inträdet" in v.loc["kostnad", "undecided_text"]
    assert settles(*broken).startswith("jämförelsekommuner som följde medlemmarna före inträdet")
    assert settles(*broken).endswith("eller med samverkans egna mått i registret.")


def test_every_member_and_the_other_members_together_get_verdicts():
    rows = [row("COST", BETTER), row("COST", BETTER, HOST), row("COST", NOTHING, OTHER),
            row("COST", WORSE, "ovriga", is_host=False)]  # fmt: skip
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr", "purpose": ["kostnad"],
                                "host_municipality_id": HOST, "end_year": None}])  # fmt: skip
    m = judge_members(pd.DataFrame(rows, columns=ESTIMATE_COLUMNS), agreements, KPIS, CFG)
    kost = m[m["dimension"] == "kostnad"].set_index("municipality_id")
    assert kost.loc[HOST, "verdict"] == "levererar" and bool(kost.loc[HOST, "is_host"])
    assert kost.loc[OTHER, "verdict"] == "kan_inte_avgoras"
    assert kost.loc["ovriga", "verdict"] == "levererar_inte"
    assert len(m) == 3 * 4


def test_a_member_worse_off_makes_it_partial():
    rows = [row("COST", BETTER), row("COST", BETTER, HOST), row("COST", WORSE, OTHER)]
    v = judge(rows)
    assert v.loc["kostnad", "verdict"] == "levererar_delvis"
    assert v.loc["kostnad", "rule"] == "kostnad.forsamring_hos_medlem"


def test_only_the_host_gaining_makes_it_partial_but_not_for_lack_of_power():
    far = {"effect": 0.5, "p_value": 0.8, "ci_low": -3.0, "ci_high": 4.0}  # leaves out the host's −10
    wide = {"effect": -4.0, "p_value": 0.3, "ci_low": -20.0, "ci_high": 12.0}  # could well be −10
    host_only = judge([row("COST", BETTER), row("COST", BETTER, HOST), row("COST", far, OTHER)])
    assert host_only.loc["kostnad", "rule"] == "kostnad.bara_vardkommunen"
    assert host_only.loc["kostnad", "verdict"] == "levererar_delvis"
    unsure = judge([row("COST", BETTER), row("COST", BETTER, HOST), row("COST", wide, OTHER)])
    assert unsure.loc["kostnad", "verdict"] == "levererar"


def test_methods_pointing_different_ways_cannot_be_judged():
    agree = [row("COST", BETTER), row("COST", {**NOTHING, "effect": -2.0}, method="diff_in_diff")]
    assert judge(agree).loc["kostnad", "verdict"] == "levererar"
    # A direction needs the robustness methods on the same side, significant or not.
    rows = [row("COST", BETTER), row("COST", NOTHING, method="synthetic_control")]
    v = judge(rows)
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    assert "olika håll" in v.loc["kostnad", "undecided_text"]


def test_alpha_is_configurable():
    strict = dataclasses.replace(CFG, verdicts=Verdicts(alpha=0.01))
    assert judge([row("COST", BETTER)], cfg=strict).loc["kostnad", "verdict"] == "kan_inte_avgoras"


def test_verdict_for_a_cooperation_without_estimates():
    v = judge([])
    assert set(v["verdict"]) == {"kan_inte_avgoras"}
    assert v.loc["kostnad", "rule"] == "kostnad.inget_bedombart"
