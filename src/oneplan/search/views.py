from django.core.paginator import Paginator
from django.shortcuts import render

from oneplan.areas.models import Area
from oneplan.core.thai import thai_sort_key
from oneplan.organisations.models import Organisation
from oneplan.plans.models import ElementKind, PlanKind
from oneplan.plans.models.plans import PLAN_LEVEL
from oneplan.plans.visibility import visible_plans

from .engine import search_elements, search_places


def search(request):
    q = request.GET.get("q", "").strip()[:300]
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    org = Organisation.objects.filter(key=request.GET.get("org", "")).first()
    plans = visible_plans(request.user)
    if level in ("0", "1", "2", "3"):
        plans = plans.filter(kind__in=[k for k in PlanKind.values if str(PLAN_LEVEL.get(k, 3)) == level])
    results, words = (search_elements(q, plans=plans, kind=kind if kind in ElementKind.values else "",
                                      area=area, organisation=org) if q else ([], []))
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    # names on the first page only, and not when the search is narrowed to one kind of element
    places = search_places(q, plans=plans) if q and page.number == 1 and not kind else None
    return render(request, "search/results.html", {
        "q": q, "page": page, "places": places, "words": words, "kind": kind, "level": level, "area": area, "org": org,
        "kinds": ElementKind.choices, "areas": sorted(Area.objects.filter(kind__in=["region", "province"]),
                                                 key=lambda a: (a.kind, thai_sort_key(a.name_th))),
        "orgs": sorted(Organisation.objects.filter(plans__isnull=False).distinct(),
                       key=lambda o: thai_sort_key(o.name_th)),
        "count": results.count() if q else 0})
