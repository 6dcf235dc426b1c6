"""Settings of the effect estimators and the verdict rules, read from rules.yaml and checked."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

RULES_PATH = Path(__file__).with_name("rules.yaml")
DIMENSIONS = ("kostnad", "kvalitet", "personal")
METHODS = ("synthetic_did", "synthetic_control", "diff_in_diff")


class RulesError(ValueError):
    """rules.yaml is malformed; the message names the file, line and field."""


@dataclass(frozen=True)
class Estimation:
    min_pre_years: int = 3
    max_pre_years: int | None = None
    min_post_years: int = 1
    anticipation_years: int = 1
    donor_pool_size: int = 50
    min_donors: int = 10
    did_neighbours: int = 10
    min_comparison_size: int = 3
    population_kpi: str = "N01951"
    preliminary_latest_year: str = "flag"
    primary_method: str = "synthetic_did"


@dataclass(frozen=True)
class Inference:
    confidence: float = 0.95
    power: float = 0.80
    pretrend_alpha: float = 0.05
    pre_fit_alpha: float = 0.05
    trend_test: bool = True
    trend_alpha: float = 0.5
    own_trend_alpha: float = 0.10
    own_trend_min_pre_years: int = 4


@dataclass(frozen=True)
class Verdicts:
    alpha: float = 0.05
    smallest_relevant_pct: float | None = 10.0
    deterioration_penalty_steps: int = 1
    default_purpose: tuple[str, ...] = DIMENSIONS
    host_prefers_cost_basis: bool = True
    blocking_flags: tuple[str, ...] = (
        "data_saknas",
        "kort_forperiod",
        "kort_efterperiod",
        "metodbrott",
        "fa_givare",
        "dalig_anpassning",
        "for_fa_placebo",
        "mekanisk_effekt",
        "delad_med_annan_samverkan",
    )


@dataclass(frozen=True)
class EffectsConfig:
    estimation: Estimation = Estimation()
    inference: Inference = Inference()
    verdicts: Verdicts = Verdicts()


# Allowed values per field, beyond the type check: (check, what the user is told).
_CHECKS: dict[str, tuple[Any, str]] = {
    "min_pre_years": (lambda v: v >= 2, "ett heltal ≥ 2"),
    "max_pre_years": (lambda v: v is None or v >= 2, "null eller ett heltal ≥ 2"),
    "min_post_years": (lambda v: v >= 1, "ett heltal ≥ 1"),
    "anticipation_years": (lambda v: v in (0, 1, 2), "0, 1 eller 2"),
    "donor_pool_size": (lambda v: v >= 5, "ett heltal ≥ 5"),
    "min_donors": (lambda v: v >= 2, "ett heltal ≥ 2"),
    "did_neighbours": (lambda v: v >= 1, "ett heltal ≥ 1"),
    "min_comparison_size": (lambda v: v >= 1, "ett heltal ≥ 1"),
    "preliminary_latest_year": (lambda v: v in ("flag", "exclude", "off"), "flag, exclude eller off"),
    "primary_method": (lambda v: v in METHODS, " eller ".join(METHODS)),
    "confidence": (lambda v: 0.5 <= v < 1, "ett tal i [0,5, 1)"),
    "power": (lambda v: 0 < v < 1, "ett tal mellan 0 och 1"),
    "pretrend_alpha": (lambda v: 0 < v < 1, "ett tal mellan 0 och 1"),
    "pre_fit_alpha": (lambda v: 0 < v < 1, "ett tal mellan 0 och 1"),
    "trend_alpha": (lambda v: 0 < v <= 1, "ett tal i (0, 1]"),
    "own_trend_alpha": (lambda v: 0 <= v < 1, "ett tal i [0, 1)"),
    "own_trend_min_pre_years": (lambda v: v >= 3, "ett heltal ≥ 3"),
    "alpha": (lambda v: 0 < v < 1, "ett tal mellan 0 och 1"),
    "smallest_relevant_pct": (lambda v: v is None or v > 0, "null eller ett tal > 0"),
    "deterioration_penalty_steps": (lambda v: v in (0, 1, 2), "0, 1 eller 2"),
    "default_purpose": (lambda v: v and set(v) <= set(DIMENSIONS), "en lista av " + ", ".join(DIMENSIONS)),
}


def load_config(path: Path | None = None) -> EffectsConfig:
    """Read and check rules.yaml (this folder's, unless another is given); missing fields keep defaults."""
    path = path or RULES_PATH
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise RulesError(f"{path}: kan inte läsas som YAML: {exc}") from exc
    sections = {"estimation": Estimation, "inference": Inference, "verdicts": Verdicts}
    unknown = set(data) - set(sections)
    if unknown:
        raise RulesError(
            f"{path}, rad {_line(data, sorted(unknown)[0])}: okänd sektion {sorted(unknown)[0]!r}"
        )
    built = {name: _section(path, name, cls, data.get(name) or {}) for name, cls in sections.items()}
    return EffectsConfig(**built)


def _section(path: Path, name: str, cls: type, raw: Any) -> Any:
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        where = f"{path}, rad {_line(raw, key)}: fältet {name}.{key}"
        if key not in known:
            raise RulesError(f"{where} är okänt")
        values[key] = _coerce(where, key, value, known[key].type)
    return cls(**values)


def _coerce(where: str, key: str, value: Any, type_name: Any) -> Any:
    text = str(type_name)
    if "tuple" in text:
        value = tuple(str(v) for v in value) if isinstance(value, list) else None
    elif value is not None and "bool" in text:
        value = value if isinstance(value, bool) else None
    elif value is not None and "int" in text and "float" not in text:
        value = value if isinstance(value, int) and not isinstance(value, bool) else None
    elif value is not None and "float" in text:
        value = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    elif value is not None and "str" in text:
        value = str(value)
    check, wanted = _CHECKS.get(key, (lambda v: v is not None or "None" in text, "ett giltigt värde"))
    if (value is None and "None" not in text) or not check(value):
        raise RulesError(f"{where} måste vara {wanted}")
    return value


def _line(mapping: Any, key: Any) -> int:
    # ruamel keeps 0-based positions of every key; people count lines from 1.
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return 0
