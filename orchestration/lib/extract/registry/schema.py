"""JSON Schema validation of a cooperation file, with errors translated into Swedish."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from orchestration.lib.extract.registry.issues import Issue, field_name
from orchestration.lib.extract.registry.yamlio import PathT, line_of
from orchestration.lib.ops.settings import PROJECT_ROOT

# The schema is the project's contract with its own code, so it is read from the project even when the
# registry being checked lives elsewhere.
SCHEMA_FILE = PROJECT_ROOT / "registry" / "schema" / "cooperation.schema.json"

TYPE_NAMES = {
    "string": "text",
    "integer": "ett heltal",
    "number": "ett tal",
    "array": "en lista",
    "object": "ett avsnitt med fält (nyckel: värde)",
    "null": "tomt",
    "boolean": "sant eller falskt",
}


@cache
def validator(schema_path: Path) -> Draft7Validator:
    return Draft7Validator(json.loads(schema_path.read_text(encoding="utf-8")))


def schema_issues(schema_path: Path, plain: Any, doc: Any, shown: str) -> list[Issue]:
    """Every schema violation in the file, each at the line of the field it concerns."""
    issues: dict[Issue, None] = {}  # jsonschema repeats "required" once per missing field
    for error in validator(schema_path).iter_errors(plain):
        for path, message in _translate(error):
            issues[Issue(shown, line_of(doc, path), field_name(path), message)] = None
    return list(issues)


def _translate(error: ValidationError) -> list[tuple[PathT, str]]:
    path: PathT = tuple(error.absolute_path)
    kind, value, schema = error.validator, error.instance, error.schema
    custom = schema.get("errorMessage") if isinstance(schema, dict) else None
    if kind in ("anyOf", "oneOf") and error.context:
        return _translate(_best_branch(error))
    if kind == "required":
        return [((*path, name), "obligatoriskt fält saknas") for name in _missing(error)]
    if kind == "additionalProperties" and isinstance(value, dict):
        known = set(schema.get("properties", {}))
        return [((*path, name), "okänt fält") for name in value if name not in known]
    if "propertyNames" in error.schema_path:
        return [((*path, str(value)), 'ska vara en kommunkod, fyra siffror inom citattecken, t.ex. "0685"')]
    return [(path, custom or _message(kind, value, error.validator_value))]


def _best_branch(error: ValidationError) -> ValidationError:
    # The null branch of "value or empty" explains nothing; report why the real branch failed.
    for sub in error.context or []:
        if sub.schema != {"type": "null"}:
            return sub
    return error.context[0] if error.context else error


def _missing(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in instance]


def _message(kind: str, value: Any, expected: Any) -> str:
    if kind == "type":
        wanted = " eller ".join(
            TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        return f"ska vara {wanted}, inte {_show(value)}"
    if kind == "enum":
        return f"ogiltigt värde {_show(value)}; tillåtna värden: {', '.join(map(str, expected))}"
    messages = {
        "pattern": f"ogiltigt format: {_show(value)}",
        "minimum": f"värdet {_show(value)} är mindre än {expected}",
        "maximum": f"värdet {_show(value)} är större än {expected}",
        "minItems": "listan får inte vara tom",
        "minLength": "får inte vara tomt",
        "uniqueItems": "samma värde förekommer flera gånger",
    }
    return messages.get(kind, f"uppfyller inte schemat ({kind})")


def _show(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
