from django.shortcuts import get_object_or_404, render

from oneplan.core.thai import thai_sort_key
from oneplan.plans.visibility import visible_plans

from .models import Organisation, OrgKind


def org_list(request):
    kind = request.GET.get("kind", "")
    orgs = Organisation.objects.select_related("area")
    if kind in OrgKind.values:
        orgs = orgs.filter(kind=kind)
    groups = {}
    # names in Thai dictionary order: SQL's code-point order puts every name starting with เ-ไ last
    for o in sorted(orgs, key=lambda o: (o.kind, thai_sort_key(o.name_th))):
        groups.setdefault(o.get_kind_display(), []).append(o)
    from .onboarding import is_province_admin

    return render(request, "organisations/list.html", {"groups": groups, "kinds": OrgKind.choices, "kind": kind,
                                                       "is_admin": is_province_admin(request.user)})


def detail(request, key):
    org = get_object_or_404(Organisation, key=key)
    plans = visible_plans(request.user).filter(owner=org).order_by("kind", "-start_year")
    return render(request, "organisations/detail.html", {"org": org, "plans": plans,
                                                         "children": sorted(org.children.all(), key=lambda o: thai_sort_key(o.name_th))})
