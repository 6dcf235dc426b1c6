"""The cooperation registry: model, loader and checker."""

from orchestration.lib.extract.registry.issues import Issue, RegistryError
from orchestration.lib.extract.registry.load import collect, load_registry
from orchestration.lib.extract.registry.model import (
    Agreement,
    Area,
    AreaKpi,
    CostKey,
    DerivedMeasure,
    LedgerYear,
    Member,
    Registry,
    Target,
)

__all__ = [
    "Agreement",
    "Area",
    "AreaKpi",
    "CostKey",
    "DerivedMeasure",
    "Issue",
    "LedgerYear",
    "Member",
    "Registry",
    "RegistryError",
    "Target",
    "collect",
    "load_registry",
]
