from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from oneplan.plans.visibility import visible_plans

from .models import Area, AreaKind


def index(request):
    regions = Area.objects.filter(kind=AreaKind.REGION).order_by("code")
    return render(request, "areas/index.html", {"regions": regions})


def detail(request, code):
    area = get_object_or_404(Area, code=code)
    if area.kind == AreaKind.REGION:
        children = Area.objects.filter(kind=AreaKind.CLUSTER, parent=area).order_by("name_th")
        provinces = Area.objects.filter(kind=AreaKind.PROVINCE, parent=area).order_by("name_th")
    elif area.kind == AreaKind.CLUSTER:
        children, provinces = area.members().order_by("name_th"), None
    else:
        children, provinces = area.children.order_by("code"), None
    below = Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)
    if area.kind == AreaKind.CLUSTER:
        below |= Q(area__in=area.members())
    plans = visible_plans(request.user).filter(below).select_related("owner").order_by("kind", "title_th")
    from oneplan.organisations.models import Organisation

    orgs = Organisation.objects.filter(Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area))
    context = {"area": area, "children": children, "provinces": provinces, "plans": plans,
               "organisations": orgs.order_by("kind", "name_th"),
               "clusters": area.clusters() if area.kind == AreaKind.PROVINCE else None,
               "memberships": area.cluster_memberships.select_related("province").order_by("-effective_from")
               if area.kind == AreaKind.CLUSTER else None}
    return render(request, "areas/detail.html", context)
