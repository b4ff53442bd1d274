"""The read API at /api/v1/ (django-ninja): plans, elements with their upward links, KPIs and budgets,
frameworks and their editions, areas, organisations, consultation rounds with public comments and answers.

Anonymous callers see exactly what anonymous pages show (plans.visibility, plans.editions); a staff token
(Authorization: Bearer …) sees what its user's roles in the token's organisation allow. Lists are cursor
pages: `next` is an opaque cursor to pass back as `cursor`. Every error is JSON with a Thai `detail`.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from oneplan.areas.models import Area, AreaKind
from oneplan.consultation.models import Comment, ConsultationRound, RoundStatus
from oneplan.frameworks import registry
from oneplan.organisations.models import Organisation, OrgKind
from oneplan.plans.editions import in_force_q
from oneplan.plans.models import KPI, Element, Link, Plan, PlanKind, PlanStatus, Project
from oneplan.plans.models.plans import PLAN_LEVEL
from oneplan.plans.visibility import visible_plans

from . import schemas as s
from .auth import TokenAuth, rate_limit, token_of
from .pagination import paginate

api = NinjaAPI(title="OnePlan API", version="1", urls_namespace="api", auth=TokenAuth(),
               description=__doc__, openapi_url="/openapi.json", docs_url="/docs")


# -- errors: always JSON, always Thai -------------------------------------------------------------------
@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
    return api.create_response(request, {"detail": f"ค่าที่ส่งมาไม่ถูกต้อง: {where or 'คำขอ'}", "field": where},
                               status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "โทเคนไม่ถูกต้อง ถูกเพิกถอน หรือหมดอายุแล้ว"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _refuse_unknown(value, allowed, field: str):
    if value and value not in allowed:
        raise HttpError(400, f"{field}: ไม่รู้จักค่า “{value}” (ใช้ได้: {', '.join(sorted(allowed))})")


# -- who is asking ------------------------------------------------------------------------------------
def _plans(request: HttpRequest):
    token = token_of(request)
    rate_limit(request)
    if token is None:
        return visible_plans(None)
    return visible_plans(token.user, organisation=token.organisation)


def _plan(request, key: str) -> Plan:
    plan = _plans(request).select_related("owner", "area", "supersedes").filter(key=key).first()
    if plan is None:
        raise HttpError(404, f"ไม่พบแผน “{key}” (หรือไม่มีสิทธิ์เห็นแผนนี้)")
    return plan


# -- plans ------------------------------------------------------------------------------------------------
class PlanFilters(Schema):
    level: int | None = None
    kind: str | None = None
    area: str | None = None
    owner: str | None = None
    status: str | None = None
    in_force_on: date | None = None


def _parse_day(value: date | None) -> date | None:
    """Dates are ISO (2026-10-01); a พ.ศ. year (2569-10-01) is read as such."""
    if value is not None and value.year > 2400:
        return value.replace(year=value.year - 543)
    return value


def _plan_out(plan: Plan) -> dict:
    return {
        "key": plan.key, "title_th": plan.title_th, "title_en": plan.title_en, "kind": plan.kind,
        "level": plan.level, "framework": plan.framework or None, "status": plan.status,
        "owner": plan.owner.key if plan.owner_id else None, "area": plan.area.code if plan.area_id else None,
        "start_year": plan.start_year, "end_year": plan.end_year,
        "edition": {"type": plan.edition_type, "label": plan.edition_label, "number": plan.edition_number,
                    "year": plan.edition_year, "reason": plan.edition_reason,
                    "supersedes": plan.supersedes.key if plan.supersedes_id else None,
                    "in_force_from": plan.in_force_from, "in_force_until": plan.in_force_until},
        "url": plan.get_absolute_url(),
    }


@api.get("/plans", response={200: s.page_of(s.PlanOut), 400: s.Error}, tags=["plans"])
def list_plans(request, filters: Query[PlanFilters], cursor: str = "", limit: int = 50):
    """Plans at every level; `in_force_on` gives the editions in force on that day (the one rule of editions)."""
    _refuse_unknown(filters.kind, set(PlanKind.values), "kind")
    _refuse_unknown(filters.status, set(PlanStatus.values), "status")
    qs = _plans(request).select_related("owner", "area", "supersedes")
    if filters.level is not None:
        if filters.level not in (0, 1, 2, 3):
            raise HttpError(400, "level: ใช้ได้ 0 (กรอบสากล) 1 2 หรือ 3")
        qs = qs.filter(kind__in=[k for k in PlanKind.values if PLAN_LEVEL.get(k, 3) == filters.level])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        qs = qs.filter(owner__key=filters.owner)
    if filters.area:
        if not Area.objects.filter(code=filters.area).exists():
            raise HttpError(400, f"area: ไม่พบพื้นที่รหัส “{filters.area}”")
        qs = qs.filter(Q(area__code=filters.area) | Q(area__parent__code=filters.area)
                       | Q(area__parent__parent__code=filters.area))
    if filters.in_force_on is not None:
        qs = qs.filter(in_force_q(_parse_day(filters.in_force_on)))
    return paginate(qs, cursor, limit, _plan_out)


@api.get("/plans/{key}", response={200: s.PlanDetailOut, 404: s.Error}, tags=["plans"])
def get_plan(request, key: str):
    """One plan with its edition and its approval record (each committee step, meeting and resolution)."""
    plan = _plan(request, key)
    steps = plan.transitions.select_related("committee").order_by("at", "id")
    return {**_plan_out(plan), "approval": [
        {"action": t.action, "to_status": t.to_status, "at": t.at, "committee": t.committee.key if t.committee else None,
         "meeting_number": t.meeting_number, "meeting_date": t.meeting_date, "resolution": t.resolution}
        for t in steps]}


def _element_out(e: Element) -> dict:
    kpi = getattr(e, "kpi", None) if e.kind == "kpi" else None
    project = getattr(e, "project", None) if e.kind == "project" else None
    return {
        "id": e.pk, "code": e.code, "parent": e.parent.code if e.parent_id else None, "kind": e.kind,
        "title_th": e.title_th, "title_en": e.title_en,
        "links_up": [{"plan": link.target.plan.key, "code": link.target.code,
                      "label": f"{link.target.plan.short_label} {link.target.code}"} for link in e.links_up.all()],
        "kpi": None if kpi is None else {
            "unit": kpi.unit, "direction": kpi.direction, "baseline": _dec(kpi.baseline),
            "baseline_year": kpi.baseline_year, "targets": {str(t.year): _dec(t.value) for t in kpi.targets.all()}},
        "budgets": None if project is None else [
            {"fiscal_year": b.fiscal_year, "source": b.source, "stage": b.stage, "amount": f"{b.amount:.2f}"}
            for b in project.budgets.all()],
    }


def _dec(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@api.get("/plans/{key}/elements", response={200: s.page_of(s.ElementOut), 404: s.Error}, tags=["plans"])
def list_elements(request, key: str, cursor: str = "", limit: int = 100):
    """The plan's tree in order: vision … projects, with upward links, KPI targets per year and budget lines."""
    plan = _plan(request, key)
    qs = (plan.elements.select_related("parent")
          .prefetch_related(Prefetch("links_up", queryset=Link.objects.select_related("target__plan")),
                            Prefetch("kpi", queryset=KPI.objects.prefetch_related("targets")),
                            Prefetch("project", queryset=Project.objects.prefetch_related("budgets"))))
    return paginate(qs, cursor, limit, _element_out)


# -- frameworks, areas, organisations ----------------------------------------------------------------------
@api.get("/frameworks", response=list[s.FrameworkOut], tags=["reference"])
def list_frameworks(request):
    """National frameworks (a framework is a plan like any other) with the keys of their editions."""
    rate_limit(request)
    out = []
    for fw in registry.FRAMEWORKS:
        editions = list(Plan.objects.filter(framework=fw.code).order_by("start_year").values_list("key", flat=True))
        current = Plan.objects.filter(framework=fw.code).in_force().order_by("-start_year").first()
        out.append({"code": fw.code, "title_th": fw.title_th, "title_en": fw.title_en,
                    "in_force": current.key if current else None, "editions": editions})
    return out


@api.get("/areas", response={200: s.page_of(s.AreaOut), 400: s.Error}, tags=["reference"])
def list_areas(request, kind: str = "", parent: str = "", cursor: str = "", limit: int = 100):
    rate_limit(request)
    _refuse_unknown(kind, set(AreaKind.values), "kind")
    qs = Area.objects.select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=parent)
    return paginate(qs, cursor, limit, lambda a: {"code": a.code, "kind": a.kind, "name_th": a.name_th,
                                                  "name_en": a.name_en, "parent": a.parent.code if a.parent_id else None})


@api.get("/organisations", response={200: s.page_of(s.OrganisationOut), 400: s.Error}, tags=["reference"])
def list_organisations(request, kind: str = "", area: str = "", cursor: str = "", limit: int = 100):
    rate_limit(request)
    _refuse_unknown(kind, set(OrgKind.values), "kind")
    qs = Organisation.objects.select_related("area", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(Q(area__code=area) | Q(area__parent__code=area) | Q(area__parent__parent__code=area))
    return paginate(qs, cursor, limit, lambda o: {
        "key": o.key, "kind": o.kind, "name_th": o.name_th, "name_en": o.name_en,
        "area": o.area.code if o.area_id else None, "parent": o.parent.key if o.parent_id else None})


# -- consultation ------------------------------------------------------------------------------------------
def _rounds(request):
    return ConsultationRound.objects.exclude(status=RoundStatus.PLANNED).filter(
        plan__in=_plans(request)).select_related("plan")


@api.get("/consultation/rounds", response={200: s.page_of(s.RoundOut)}, tags=["consultation"])
def list_rounds(request, plan: str = "", cursor: str = "", limit: int = 50):
    qs = _rounds(request)
    if plan:
        qs = qs.filter(plan__key=plan)
    return paginate(qs, cursor, limit, lambda r: {"id": r.pk, "plan": r.plan.key, "title": r.title,
                                                  "status": r.status, "opens_on": r.opens_on,
                                                  "closes_on": r.closes_on})


@api.get("/consultation/rounds/{round_id}/comments", response={200: s.page_of(s.CommentOut), 404: s.Error},
         tags=["consultation"])
def list_comments(request, round_id: int, cursor: str = "", limit: int = 100):
    """Public comments with their answers; personal data is never part of the API."""
    round_ = _rounds(request).filter(pk=round_id).first()
    if round_ is None:
        raise HttpError(404, f"ไม่พบรอบการรับฟังความคิดเห็นหมายเลข {round_id}")
    qs = Comment.objects.filter(round=round_, hidden=False).select_related("answer")
    return paginate(qs, cursor, limit, _comment_out)


def _comment_out(c: Comment) -> dict:
    answer = getattr(c, "answer", None)
    return {"id": c.pk, "element": c.element_label, "kind": c.kind, "sector": c.sector, "text": c.text,
            "project_title": c.project_title, "created_at": c.created_at,
            "answer": None if answer is None else {"outcome": answer.outcome, "text": answer.text,
                                                   "answered_at": answer.answered_at}}



# -- results per reporting round ----------------------------------------------------------------------------
def _sees_pending(request, plan) -> bool:
    """Values awaiting approval are not public (the round page shows them only to who may enter or approve)."""
    token = token_of(request)
    return token is not None and token.organisation_id == plan.owner_id and any(
        token.user.has_perm(p, plan) for p in ("monitoring.enter_results", "monitoring.approve_results"))


@api.get("/plans/{key}/results", response={200: s.page_of(s.RoundResultsOut), 404: s.Error}, tags=["monitoring"])
def list_results(request, key: str, cursor: str = "", limit: int = 20):
    """Each reporting round of the plan with its KPI results and project progress, by element code.
    Anonymous callers get approved values only, as the plan's monitoring page shows them."""
    from oneplan.monitoring.models import KPIResult, ProjectProgress, ReportingRound

    plan = _plan(request, key)
    pending = _sees_pending(request, plan)
    approved = Q() if pending else Q(approved_by__isnull=False)
    qs = ReportingRound.objects.filter(plan=plan).prefetch_related(
        Prefetch("kpiresult_set", queryset=KPIResult.objects.filter(approved).select_related("kpi__element")),
        Prefetch("projectprogress_set", queryset=ProjectProgress.objects.filter(approved)
                 .select_related("project__element")))
    return paginate(qs, cursor, limit, lambda r: {
        "id": r.pk, "label": r.label, "fiscal_year": r.fiscal_year, "period_type": r.period_type,
        "number": r.number, "status": r.status,
        "kpis": [{"code": x.kpi.element.code, "value": _dec(x.value), "approved": x.is_approved}
                 for x in r.kpiresult_set.all()],
        "projects": [{"code": x.project.element.code, "physical_percent": _dec(x.physical_percent),
                      "disbursed_amount": f"{x.disbursed_amount:.2f}", "approved": x.is_approved}
                     for x in r.projectprogress_set.all()]})


from .writes import router as _writes  # noqa: E402  (after the error handlers it relies on)

api.add_router("/", _writes)


# -- Clinic Center reports (public fields) -----------------------------------------------------------------
@api.get("/clinic/reports", response={200: s.page_of(s.ClinicReportOut), 400: s.Error}, tags=["clinic"])
def list_clinic_reports(request, province: str = "", area: str = "", category: str = "", status: str = "",
                        cursor: str = "", limit: int = 100):
    """Problems people reported, as their public pages and Open311 (/open311/v2/) show them: never the
    reporter's name, phone or follow link. `status` is open or closed; `area` a subdistrict code."""
    from oneplan.clinic.models import OPEN_STATUSES, Category, Report
    from oneplan.clinic.open311 import _with_relations, request_out

    rate_limit(request)
    _refuse_unknown(status, {"open", "closed"}, "status")
    _refuse_unknown(category, set(Category.objects.values_list("code", flat=True)), "category")
    qs = _with_relations(Report.objects.public())
    if province:
        qs = qs.filter(province__code=province)
    if area:
        qs = qs.filter(area__code=area)
    if category:
        qs = qs.filter(category__code=category)
    if status:
        qs = qs.filter(status__in=OPEN_STATUSES) if status == "open" else qs.exclude(status__in=OPEN_STATUSES)
    return paginate(qs, cursor, limit, lambda r: request_out(r, request))
