"""The KPI library: which plans use a definition (a KPI element with the same normalised name in an
edition in force), their approved results, and monitoring's KPI quality checklist applied to the
definition itself."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from oneplan.monitoring.quality import check_kpi
from oneplan.plans.editions import in_force_q
from oneplan.plans.models import KPI, Element, ElementKind, Plan

from .models import KPIDefinition

# The checks that concern a definition; baseline and targets belong to each plan's own KPI.
DEFINITION_CHECKS = {"missing_unit", "missing_source", "vague"}


def uses_q():
    return in_force_q(prefix="element__plan__")


def usage_counts(definitions) -> dict[int, int]:
    """Number of plans in force using each definition (two queries whatever the library's size)."""
    names = {d.name_normalised: d.pk for d in definitions}
    rows = (KPI.objects.filter(uses_q(), element__title_normalised__in=list(names))
            .values("element__title_normalised").annotate(n=Count("element__plan", distinct=True)))
    return {names[r["element__title_normalised"]]: r["n"] for r in rows}


def uses(definition: KPIDefinition):
    return (KPI.objects.filter(uses_q(), element__title_normalised=definition.name_normalised)
            .select_related("element__plan__owner").prefetch_related("targets"))


def results(definition: KPIDefinition):
    from oneplan.monitoring.models import KPIResult

    return (KPIResult.objects.filter(kpi__in=uses(definition), approved_by__isnull=False)
            .select_related("round", "kpi__element__plan").order_by("-round__fiscal_year", "kpi__element__plan__title_th"))


@dataclass
class DefinitionCheck:
    findings: list

    @property
    def ok(self) -> bool:
        return not self.findings


def quality(definition: KPIDefinition) -> DefinitionCheck:
    """monitoring.quality.check_kpi on an unsaved KPI built from the definition."""
    kpi = KPI(unit=definition.unit, direction=definition.direction, definition=definition.formula,
              data_source=definition.data_source, frequency=definition.frequency)
    kpi.element = Element(kind=ElementKind.KPI, title_th=definition.name)
    check = check_kpi(kpi, Plan(start_year=0, end_year=9999), targets=[])
    return DefinitionCheck([f for f in check.findings if f.code in DEFINITION_CHECKS])
