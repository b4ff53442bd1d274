from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from oneplan.core.paging import paged, paged_sorted
from oneplan.core.thai import thai_sort_key
from oneplan.plans.visibility import visible_plans

from .models import Area, AreaKind

ORGS_PER_PAGE = 100  # names are short: more to a page than the default


def _thai_order(areas):
    """Areas by Thai name in dictionary order (SQL orders by code point: เชียงราย after ฮ)."""
    return sorted(areas, key=lambda a: thai_sort_key(a.name_th))


def index(request):
    regions = Area.objects.filter(kind=AreaKind.REGION).order_by("code")
    provinces = {}
    for p in Area.objects.filter(kind=AreaKind.PROVINCE, parent__in=regions):
        provinces.setdefault(p.parent_id, []).append(p)
    rows = [(r, _thai_order(provinces.get(r.pk, []))) for r in regions]
    return render(request, "areas/index.html", {"regions": rows})


def detail(request, code):
    area = get_object_or_404(Area, code=code)
    if area.kind == AreaKind.REGION:
        children = _thai_order(Area.objects.filter(kind=AreaKind.CLUSTER, parent=area))
        provinces = _thai_order(Area.objects.filter(kind=AreaKind.PROVINCE, parent=area))
    elif area.kind == AreaKind.CLUSTER:
        children, provinces = _thai_order(area.members()), None
    else:
        children, provinces = area.children.order_by("code"), None
    below = Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)
    if area.kind == AreaKind.CLUSTER:
        below |= Q(area__in=area.members())
    plans = paged(request, visible_plans(request.user).filter(below).select_related("owner")
                  .order_by("kind", "title_th", "pk"))
    from oneplan.organisations.models import Organisation

    orgs = Organisation.objects.filter(Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area))
    context = {"area": area, "children": children, "provinces": provinces, "plans": plans,
               "organisations": paged_sorted(request, orgs, ("kind", "name_th"),
                                             lambda kind, name: (kind, thai_sort_key(name)),
                                             per_page=ORGS_PER_PAGE, param="org_page"),
               "clusters": area.clusters() if area.kind == AreaKind.PROVINCE else None,
               "memberships": area.cluster_memberships.select_related("province").order_by("-effective_from")
               if area.kind == AreaKind.CLUSTER else None}
    return render(request, "areas/detail.html", context)
