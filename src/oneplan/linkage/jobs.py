"""The one-plan checks of every plan in a province, done by the worker (oneplan.jobs.results): at
province scale that is hundreds of plans and tens of thousands of projects. Computed as the person who
asked (the plans they may see); the page re-reads the plans through their visibility when it shows them."""
from django.urls import reverse

from oneplan.areas.models import Area, AreaKind
from oneplan.jobs.results import acting_user, rows_outcome
from oneplan.jobs.services import JobError, Outcome
from oneplan.plans.visibility import visible_plans

from . import checks
from . import coverage as cov


def province_plans(user, province):
    return visible_plans(user).filter(cov.area_q(province), framework="").order_by("kind", "title_th")


def province_checks(job, progress) -> Outcome:
    province = Area.objects.filter(kind=AreaKind.PROVINCE, code=job.params["province"]).first()
    if province is None:
        raise JobError("ไม่พบจังหวัดนี้แล้ว")
    plans = list(province_plans(acting_user(job), province))
    rows = []
    for i, plan in enumerate(plans):
        counts = [n for _k, _label, n in checks.summary(checks.check_plan(plan))]
        rows.append({"plan": plan.pk, "counts": counts, "total": sum(counts)})
        progress(100 * (i + 1) / len(plans) * 0.95, f"ตรวจแล้ว {i + 1:,} จาก {len(plans):,} แผน")
    return rows_outcome(job, rows, reverse("linkage:report") + f"?province={province.code}",
                        f"ดูผลการตรวจ {len(rows):,} แผน")
