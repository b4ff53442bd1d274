from django.db.models import Count
from django.shortcuts import render

from oneplan.frameworks import registry
from oneplan.plans.models import Plan


def home(request):
    plans = Plan.objects.exclude(framework="").order_by("kind")
    local = (Plan.objects.filter(framework="").select_related("owner", "area")
             .annotate(n=Count("elements")).order_by("kind", "title_th"))
    if not request.user.is_authenticated:
        local = local.filter(status__in=["in_force", "approved", "superseded", "consultation"])
    frameworks = [(fw, registry.plan_in_force(fw.code)) for fw in registry.FRAMEWORKS]
    return render(request, "core/home.html", {"frameworks": frameworks, "plans": local[:30],
                                              "framework_count": plans.count()})
