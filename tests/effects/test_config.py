"""rules.yaml: the committed file loads, and a wrong field is named with its file and line."""

import pytest

from orchestration.lib.transform.effects.config import RULES_PATH, EffectsConfig, RulesError, load_config


def write(tmp_path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_rules_load_and_match_the_defaults():
    cfg = load_config()
    assert cfg == EffectsConfig()
    assert RULES_PATH.name == "rules.yaml"


def test_missing_fields_keep_defaults(tmp_path):
    cfg = load_config(write(tmp_path, "estimation:\n  donor_pool_size: 25\n"))
    assert cfg.estimation.donor_pool_size == 25
    assert cfg.verdicts == EffectsConfig().verdicts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "verdicts:\n  alpha: 2\n",
            r"rules\.yaml, rad 2: fältet verdicts\.alpha måste vara ett tal mellan 0 och 1",
        ),
        (
            "estimation:\n  min_pre_years: 1\n",
            r"rad 2: fältet estimation\.min_pre_years måste vara ett heltal ≥ 2",
        ),
        (
            "estimation:\n  min_donors: 12\n  donor_pool_size: many\n",
            r"rad 3: fältet estimation\.donor_pool_size",
        ),
        ("inference:\n  colour: red\n", r"rad 2: fältet inference\.colour är okänt"),
        (
            "verdicts:\n  default_purpose: [kostnad, glädje]\n",
            r"verdicts\.default_purpose måste vara en lista",
        ),
        ("verdicts:\n  host_prefers_cost_basis: ja\n", r"verdicts\.host_prefers_cost_basis"),
        (
            "estimation:\n  primary_method: regression\n",
            r"synthetic_did eller synthetic_control eller diff_in_diff",
        ),
        ("\nextra:\n  a: 1\n", r"rad 2: okänd sektion 'extra'"),
        ("estimation: [\n", r"kan inte läsas som YAML"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, text, message):
    with pytest.raises(RulesError, match=message):
        load_config(write(tmp_path, text))


def test_null_turns_a_check_off(tmp_path):
    cfg = load_config(write(tmp_path, "verdicts:\n  smallest_relevant_pct: null\n"))
    assert cfg.verdicts.smallest_relevant_pct is None
