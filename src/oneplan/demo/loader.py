"""Demo plans written from the seed articles (the project's own copies under demo/data)."""
import json
from pathlib import Path

from django.contrib.auth import get_user_model

from oneplan.organisations.loader import load_organisations
from oneplan.plans.interchange import load_plan
from oneplan.plans.models.plans import PLAN_RANK

DATA = Path(__file__).parent / "data"
DEMO_ADMIN = ("admin", "oneplan-demo-2569")


def demo_plan_files() -> list[dict]:
    plans = [json.loads(p.read_text("utf-8")) for p in sorted((DATA / "plans").glob("*.json"))]
    return sorted(plans, key=lambda d: PLAN_RANK[d["plan"]["kind"]])  # link targets first


def load_demo(stdout=None):
    load_organisations(DATA / "organisations.json")
    reports = []
    for data in demo_plan_files():
        report = load_plan(data, trusted=True)  # the project's own demo plans
        reports.append(report)
        if stdout:
            stdout.write(f"  {report.plan.key}: {report.created + report.updated} องค์ประกอบ, "
                         f"{report.links} การเชื่อมโยง"
                         + (f", เชื่อมโยงไม่พบ {len(report.unresolved_links)}" if report.unresolved_links else ""))
    return reports


def ensure_demo_admin():
    User = get_user_model()
    username, password = DEMO_ADMIN
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True,
                                                                            "is_superuser": True})
    if created:
        user.set_password(password)
        user.save()
    return user, password
