from django.db.models import Q
from django.shortcuts import render

from oneplan.areas.models import Area
from oneplan.core.paging import paged
from oneplan.core.thai import thai_sort_key
from oneplan.organisations.models import Organisation
from oneplan.plans.models import ElementKind, PlanKind
from oneplan.plans.models.plans import PLAN_LEVEL
from oneplan.plans.visibility import visible_plans

from .engine import search_elements, search_places

# the organisation filter lists the organisations with plans in the chosen area, at most this many;
# without an area (or above the cap) the organisation is typed: its key, or its Thai name exactly
ORG_CHOICES = 300


def _organisation(value: str):
    value = value.strip()[:200]
    if not value:
        return None
    return (Organisation.objects.filter(key=value).first()
            or Organisation.objects.filter(name_th=value).order_by("pk").first())


def _org_choices(area) -> tuple[list, bool]:
    """Organisations owning plans in the area, in Thai order, and whether there were more than the cap."""
    if area is None:
        return [], False
    within = Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)
    found = list(Organisation.objects.filter(within, plans__isnull=False).distinct()
                 .order_by("pk").only("key", "name_th")[:ORG_CHOICES + 1])
    return sorted(found[:ORG_CHOICES], key=lambda o: thai_sort_key(o.name_th)), len(found) > ORG_CHOICES


def search(request):
    q = request.GET.get("q", "").strip()[:300]
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    org_typed = request.GET.get("org", "")
    org = _organisation(org_typed)
    plans = visible_plans(request.user)
    if level in ("0", "1", "2", "3"):
        plans = plans.filter(kind__in=[k for k in PlanKind.values if str(PLAN_LEVEL.get(k, 3)) == level])
    results, words = (search_elements(q, plans=plans, kind=kind if kind in ElementKind.values else "",
                                      area=area, organisation=org) if q else ([], []))
    page = paged(request, results)  # one count: the paginator's is the number of results
    # names on the first page only, and not when the search is narrowed to one kind of element
    places = search_places(q, plans=plans) if q and page.number == 1 and not kind else None
    orgs, more_orgs = _org_choices(area)
    return render(request, "search/results.html", {
        "q": q, "page": page, "places": places, "words": words, "kind": kind, "level": level, "area": area, "org": org,
        "org_typed": org_typed.strip()[:200], "kinds": ElementKind.choices,
        "areas": sorted(Area.objects.filter(kind__in=["region", "province"]),
                        key=lambda a: (a.kind, thai_sort_key(a.name_th))),
        "orgs": orgs, "more_orgs": more_orgs, "count": page.paginator.count if q else 0})
