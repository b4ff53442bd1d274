from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from oneplan.core.paging import paged
from oneplan.frameworks import registry
from oneplan.plans.models import Element
from oneplan.plans.visibility import visible_plans

HOME_PAGE_SIZE = 30


def home(request):
    # drafts only for those who may see them (their own organisation's, the province office's)
    local = (visible_plans(request.user).filter(framework="").select_related("owner")
             .order_by("kind", "title_th", "pk"))
    page = paged(request, local, per_page=HOME_PAGE_SIZE)
    plans = list(page)
    # element counts for the plans shown only (counting every plan's elements grows with the country)
    counts = dict(Element.objects.filter(plan__in=[p.pk for p in plans]).values("plan")
                  .annotate(n=Count("pk")).values_list("plan", "n"))
    for p in plans:
        p.n = counts.get(p.pk, 0)
    frameworks = [(fw, registry.plan_in_force(fw.code)) for fw in registry.FRAMEWORKS]
    return render(request, "core/home.html", {"frameworks": frameworks, "plans": plans, "page": page})


# -- for the load balancer -----------------------------------------------------------------------------
def healthz(request):
    """The process is up and answers (nothing else is touched)."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready for traffic: the database answers, the cache stores and reads back a value, and the task
    queue takes work. How many task workers are alive is reported, not required: a web worker can serve
    pages while the task workers restart (jobs wait in the queue)."""
    checks = {"database": _database_ready(), "cache": _cache_ready(), "tasks": _tasks_ready()}
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable",
                         "checks": {k: "ok" if v else "failed" for k, v in checks.items()},
                         "task_workers": _task_workers()},
                        status=200 if ready else 503)


def _database_ready() -> bool:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not ready"; the load balancer only needs the answer
        return False


def _cache_ready() -> bool:
    import secrets

    from django.core.cache import cache

    probe = secrets.token_hex(8)
    try:
        cache.set("oneplan:readyz", probe, timeout=30)
        return cache.get("oneplan:readyz") == probe
    except Exception:
        return False


def _tasks_ready() -> bool:
    """The queue's backend is configured and, for the database queue, its table answers."""
    from oneplan.compat_tasks import task_backends

    try:
        from django_tasks_db.backend import DatabaseBackend

        if isinstance(task_backends["default"], DatabaseBackend):
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.ready().exists()
        return True
    except Exception:
        return False


def _task_workers() -> int | None:
    from oneplan.jobs.reclaim import alive_workers

    try:
        return alive_workers()
    except Exception:
        return None
