"""METOD.md, the report's method page, names every flag and rule the code can produce."""

import re
from pathlib import Path

import pytest

from orchestration.lib.transform.effects import texts
from orchestration.lib.transform.effects.config import RULES_PATH

METOD = (Path(texts.__file__).with_name("METOD.md")).read_text(encoding="utf-8")
CODE = "".join(p.read_text(encoding="utf-8") for p in Path(texts.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("flag", sorted(texts.FLAG_TEXT))
def test_every_flag_is_explained(flag):
    assert f"`{flag}`" in METOD
    assert f'"{flag}"' in CODE.replace(f'    "{flag}": ', "")  # emitted somewhere, not only worded


@pytest.mark.parametrize("rule", sorted({**texts.DIMENSION_RULE_TEXT, **texts.OVERALL_RULE_TEXT}))
def test_every_rule_is_documented(rule):
    assert f"`{rule}`" in METOD


def test_every_setting_named_in_the_method_exists():
    rules = RULES_PATH.read_text(encoding="utf-8")
    for section, field in re.findall(r"\[(estimation|inference|verdicts)\.(\w+)", METOD):
        assert f"\n  {field}:" in rules, f"{section}.{field}"
