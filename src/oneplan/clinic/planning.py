"""Into the plan: people's problems grouped by place and theme, the groups no project of an LAO's plan addresses,
and a group turned into a project proposal of the LAO's working draft with the reports attached as evidence.

- A *group* is the public reports of one category in one subdistrict within the last WINDOW_DAYS days; it
  *recurs* with RECURRING_MIN reports or more. The linkage engine suggests, from the group's category and
  texts, the master plan, SDG and Smart City dimension it concerns.
- A group is *addressed* when one of its reports is linked (ReportProject) to a project of the LAO's plan in
  force or its draft.
- A proposal is written only into an editable edition (draft, revision, returned): the plan models' lock
  (governance.locks) refuses a frozen one anyway, and the permission asked is plans.change_plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from oneplan.areas.models import Area, AreaKind
from oneplan.plans.editions import in_force_q
from oneplan.plans.models import Element, ElementKind, Plan, Project
from oneplan.plans.models.elements import STRATEGIC_KINDS
from oneplan.plans.models.plans import EDITABLE_STATUSES, LAO_PLAN_KINDS

from .models import Category, Report, ReportProject

RECURRING_MIN = 3
WINDOW_DAYS = 365
SUGGEST_FRAMEWORKS = ("master-plans", "sdg", "smart-city")
SAMPLE_TEXTS = 20


@dataclass
class Group:
    area: Area | None
    category: Category
    count: int
    first: object
    last: object
    report_ids: list[int] = field(default_factory=list)
    projects: list[Element] = field(default_factory=list)
    suggestions: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.area.code if self.area else '-'}/{self.category.code}"

    @property
    def title(self) -> str:
        where = self.area.display_name if self.area else "ไม่ระบุตำบล"
        return f"{self.category.name_th} · {where}"


def area_q(area: Area, prefix: str = "area") -> Q:
    """Reports in an area of any level (subdistrict, district, province)."""
    if area.kind == AreaKind.SUBDISTRICT:
        return Q(**{prefix: area})
    if area.kind == AreaKind.DISTRICT:
        return Q(**{f"{prefix}__parent": area})
    return Q(province=area)


def lao_reports(org):
    """The problems of an LAO's area, and those routed to it."""
    q = Q(responsible=org)
    if org.area_id:
        q |= area_q(org.area)
    return Report.objects.public().filter(q)


def lao_plans(org):
    """The LAO's plans a project may address a problem in: in force, or an editable draft edition."""
    return Plan.objects.filter(owner=org, kind__in=LAO_PLAN_KINDS).filter(
        in_force_q() | Q(status__in=EDITABLE_STATUSES))


def draft_plans(org):
    return Plan.objects.filter(owner=org, kind__in=LAO_PLAN_KINDS, status__in=EDITABLE_STATUSES).order_by("-pk")


def groups(reports, min_count: int = RECURRING_MIN, today=None) -> list[Group]:
    """Recurring groups (category × subdistrict) of the reports, largest first."""
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    rows = (reports.filter(created_at__gte=since).values("area_id", "category_id")
            .annotate(n=Count("id"), first=Min("created_at"), last=Max("created_at"))
            .filter(n__gte=min_count).order_by("-n"))
    rows = list(rows)
    areas = Area.objects.in_bulk({r["area_id"] for r in rows if r["area_id"]})
    cats = Category.objects.in_bulk({r["category_id"] for r in rows})
    return [Group(areas.get(r["area_id"]), cats[r["category_id"]], r["n"], r["first"], r["last"]) for r in rows]


def _members(group: Group, reports):
    return reports.filter(category=group.category, area=group.area,
                          created_at__gte=timezone.now() - timedelta(days=WINDOW_DAYS))


def attach_projects(found: list[Group], reports, plans) -> None:
    """Each group's projects (of `plans`) linked to any of its reports."""
    links = (ReportProject.objects.filter(report__in=reports, element__plan__in=plans)
             .select_related("element__plan", "report"))
    by_key: dict = {}
    for link in links:
        by_key.setdefault((link.report.area_id, link.report.category_id), {})[link.element_id] = link.element
    for g in found:
        g.projects = list(by_key.get((g.area.pk if g.area else None, g.category.pk), {}).values())


def group_text(group: Group, reports) -> str:
    texts = list(_members(group, reports).values_list("text", flat=True)[:SAMPLE_TEXTS])
    return " ".join([group.category.name_th, group.category.description_th, *texts])


def suggest_for(group: Group, reports) -> None:
    """The linkage engine's suggestions for the group (missing frameworks are skipped, not an error)."""
    from oneplan.linkage import engine

    text = group_text(group, reports)
    for fw in SUGGEST_FRAMEWORKS:
        try:
            group.suggestions[fw] = engine.suggest(text, framework=fw, top=1)
        except (engine.UnknownFramework, engine.FrameworkNotLoaded):
            group.suggestions[fw] = []


def unaddressed(org, min_count: int = RECURRING_MIN, suggest: bool = True) -> list[Group]:
    """Recurring problems of the LAO's area that no project of its plan (in force or draft) addresses."""
    reports = lao_reports(org)
    found = groups(reports, min_count)
    attach_projects(found, reports, lao_plans(org))
    open_groups = [g for g in found if not g.projects]
    if suggest:
        for g in open_groups:
            suggest_for(g, reports)
    return open_groups


def find_group(org, area_code: str, category_code: str) -> tuple[Group, list[int]] | None:
    reports = lao_reports(org)
    area = Area.objects.filter(code=area_code).first() if area_code != "-" else None
    category = Category.objects.filter(code=category_code).first()
    if category is None or (area_code != "-" and area is None):
        return None
    for g in groups(reports.filter(category=category, area=area), min_count=1):
        ids = list(_members(g, reports).values_list("pk", flat=True))
        g.report_ids = ids
        return g, ids
    return None


def strategic_parents(plan: Plan):
    return plan.elements.filter(kind__in=STRATEGIC_KINDS).order_by("order", "id")


def _next_code(parent: Element) -> str:
    codes = set(parent.plan.elements.values_list("code", flat=True))
    n = parent.children.count() + 1
    while f"{parent.code}.{n}" in codes:
        n += 1
    return f"{parent.code}.{n}"


@transaction.atomic
def propose_project(group: Group, plan: Plan, parent: Element, title: str, user) -> Element:
    """A new project in the working draft `plan` under `parent`, the group's reports attached as evidence."""
    if plan.status not in EDITABLE_STATUSES or not user.has_perm("plans.change_plan", plan):
        raise PermissionDenied("แผนนี้ไม่ใช่ฉบับร่างที่คุณแก้ไขได้ (เสนอโครงการได้เฉพาะในฉบับที่กำลังจัดทำ)")
    if parent.plan_id != plan.pk or parent.kind not in STRATEGIC_KINDS:
        raise ValidationError({"parent": "แนวทางการพัฒนา/แผนงานที่เลือกไม่อยู่ในแผนฉบับนี้"})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "กรุณาใส่ชื่อโครงการ"})
    if len(title) > 500:
        raise ValidationError({"title": "ชื่อโครงการยาวเกิน 500 ตัวอักษร"})
    order = (parent.children.aggregate(m=Max("order"))["m"] or 0) + 1
    element = Element.objects.create(plan=plan, parent=parent, kind=ElementKind.PROJECT, code=_next_code(parent),
                                     title_th=title, order=order, confirmed=False)
    where = group.area.display_name if group.area else ""
    Project.objects.create(element=element, area=group.area, location=where,
                           objective=f"แก้ไขปัญหา{group.category.name_th}ที่ประชาชนแจ้ง {group.count} เรื่อง"
                                     f"{(' ใน' + where) if where else ''} (ศูนย์ Clinic Center)")
    ReportProject.objects.bulk_create([ReportProject(report_id=pk, element=element, created_by=user)
                                       for pk in group.report_ids], ignore_conflicts=True)
    return element


def reports_of_project(element: Element):
    return (Report.objects.public().filter(project_links__element=element)
            .select_related("category", "area").order_by("-created_at"))


def problems_of_plan_area(plan: Plan, limit: int = 50) -> list[Group]:
    """For a consultation round: the recurring problems of the plan's area (owner's area or the plan's)."""
    area = plan.area or (plan.owner.area if plan.owner_id else None)
    if area is None:
        return []
    reports = Report.objects.public().filter(area_q(area))
    found = groups(reports, min_count=1)[:limit]
    attach_projects(found, reports, Plan.objects.filter(pk=plan.pk))
    return found
