from django.db.models import Count
from django.shortcuts import render

from oneplan.frameworks import registry
from oneplan.plans.models import Plan
from oneplan.plans.visibility import visible_plans


def home(request):
    plans = Plan.objects.exclude(framework="").order_by("kind")
    # drafts only for those who may see them (their own organisation's, the province office's)
    local = (visible_plans(request.user).filter(framework="").select_related("owner", "area")
             .annotate(n=Count("elements")).order_by("kind", "title_th"))
    frameworks = [(fw, registry.plan_in_force(fw.code)) for fw in registry.FRAMEWORKS]
    return render(request, "core/home.html", {"frameworks": frameworks, "plans": local[:30],
                                              "framework_count": plans.count()})
