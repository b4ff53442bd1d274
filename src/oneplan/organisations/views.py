from django.shortcuts import get_object_or_404, render

from oneplan.core.paging import paged, paged_sorted
from oneplan.core.thai import thai_sort_key
from oneplan.plans.visibility import visible_plans

from .models import Organisation, OrgKind

ORGS_PER_PAGE = 100  # names are short: more to a page than the default


def org_list(request):
    kind = request.GET.get("kind", "")
    orgs = Organisation.objects.all()
    if kind in OrgKind.values:
        orgs = orgs.filter(kind=kind)
    # names in Thai dictionary order: SQL's code-point order puts every name starting with เ-ไ last
    page = paged_sorted(request, orgs, ("kind", "name_th"), lambda kind, name: (kind, thai_sort_key(name)),
                        select_related=("area",), per_page=ORGS_PER_PAGE)
    groups = {}
    for o in page:
        groups.setdefault(o.get_kind_display(), []).append(o)
    from .onboarding import is_province_admin

    return render(request, "organisations/list.html", {"groups": groups, "kinds": OrgKind.choices, "kind": kind,
                                                       "page": page, "is_admin": is_province_admin(request.user)})


def detail(request, key):
    org = get_object_or_404(Organisation, key=key)
    plans = paged(request, visible_plans(request.user).filter(owner=org).select_related("owner")
                  .order_by("kind", "-start_year", "pk"))
    children = sorted(org.children.all(), key=lambda o: thai_sort_key(o.name_th))
    return render(request, "organisations/detail.html", {"org": org, "plans": plans, "page": plans,
                                                         "children": children})
