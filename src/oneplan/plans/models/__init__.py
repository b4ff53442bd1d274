"""The plan graph: plans (every level, frameworks included), their elements, and upward links."""
from .elements import KPI, Element, ElementKind, KPIDirection, KPITarget
from .links import Link
from .plans import EditionType, Plan, PlanKind, PlanStatus
from .projects import BudgetLine, BudgetSource, BudgetStage, Project, ProjectCategory

__all__ = ["Plan", "PlanKind", "PlanStatus", "EditionType", "Element", "ElementKind", "KPI", "KPITarget",
           "KPIDirection", "Project", "ProjectCategory", "BudgetLine", "BudgetSource", "BudgetStage", "Link"]
