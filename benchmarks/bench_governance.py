"""Governance overheads: the audit trail on a large plan load, a new edition, the edition diff and the
“waiting for me” dashboard.

Runs in a child process on a throwaway SQLite file (benchmarks/__main__ has already set Django up
on the development database when this module is imported). A synthetic LAO plan with ELEMENTS
elements (a third KPIs with 5 yearly targets, a third projects with 5 budget lines) is imported, copied
as a new edition, changed and compared; element saves are timed with and without the audit signals.
Goals: audit overhead under 2× on one-by-one saves; diff of 2,000 elements < 2 s; dashboard < 0.5 s.
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ELEMENTS = 2000
PLANS_FOR_DASHBOARD = 200
SAVES = 600


def run():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
        subprocess.run([sys.executable, "-m", "benchmarks.bench_governance"], env=env, check=True,
                       cwd=Path(__file__).resolve().parent.parent)


def _plan_data(key: str, n: int) -> dict:
    elements = []
    for i in range(n // 3):
        issue = f"{i + 1}"
        elements.append({"code": issue, "parent": None, "kind": "issue", "title_th": f"ประเด็นการพัฒนาที่ {i + 1}"})
        elements.append({"code": f"{issue}.k", "parent": issue, "kind": "kpi", "title_th": f"ตัวชี้วัด {i + 1}",
                         "kpi": {"unit": "ร้อยละ", "targets": {str(y): str(i % 50 + y - 2566) for y in range(2566, 2571)}}})
        elements.append({"code": f"{issue}.p", "parent": issue, "kind": "project", "title_th": f"โครงการ {i + 1}",
                         "project": {"budgets": [{"year": y, "amount": f"{100000 + i}", "source": "lao_own",
                                                  "stage": "plan"} for y in range(2566, 2571)]}})
    return {"format": "oneplan-plan/1", "plan": {"key": key, "kind": "lao_local", "title_th": "แผนทดสอบประสิทธิภาพ",
                                                 "owner": "bench-lao", "start_year": 2566, "end_year": 2570,
                                                 "status": "in_force"}, "elements": elements}


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_delete, post_save, pre_save

    from benchmarks.table import print_table
    from oneplan.core.middleware import _current_user
    from oneplan.governance import signals
    from oneplan.governance.dashboard import waiting_for
    from oneplan.governance.diff import diff_plans
    from oneplan.governance.models import AuditEntry
    from oneplan.governance.services import start_edition
    from oneplan.organisations.models import Membership, Organisation
    from oneplan.plans.interchange import load_plan
    from oneplan.plans.models import Element
    from oneplan.testing.factories import PlanFactory, UserFactory

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(key="bench-lao", kind="subdistrict_municipality", name_th="เทศบาลทดสอบ")
    committee = Organisation.objects.create(key="bench-lao-local-dev", kind="committee", parent=org,
                                            committee_type="local_development", name_th="คณะกรรมการพัฒนา")
    editor, secretary = UserFactory(username="bench-editor"), UserFactory(username="bench-secretary")
    Membership.objects.create(user=editor, organisation=org, role="editor")
    Membership.objects.create(user=secretary, organisation=committee, role="secretary")
    rows = []
    receivers = ((signals.before_save, pre_save), (signals.after_save, post_save), (signals.after_delete, post_delete))
    token = _current_user.set(editor)
    seconds, _ = _timed(lambda: load_plan(_plan_data("bench-audited", ELEMENTS)))
    rows.append([f"import {ELEMENTS} elements (load_plan), audited", f"{seconds:.2f} s",
                 f"{AuditEntry.objects.count()} entries (bulk-created rows bypass signals)"])
    draft = load_plan({**_plan_data("bench-draft", SAVES), "plan": {**_plan_data("x", 0)["plan"],
                                                                    "key": "bench-draft", "status": "draft"}}).plan

    def save_each():
        for el in Element.objects.filter(plan=draft):
            el.title_th += " ๆ"
            el.save()

    for receiver, signal in receivers:
        signal.disconnect(receiver)
    seconds, _ = _timed(save_each)
    rows.append([f"save {SAVES} elements one by one, no audit", f"{seconds:.2f} s", ""])
    for receiver, signal in receivers:
        signal.connect(receiver)
    before = AuditEntry.objects.count()
    seconds, _ = _timed(save_each)
    rows.append([f"save {SAVES} elements one by one, audited", f"{seconds:.2f} s",
                 f"{AuditEntry.objects.count() - before} entries"])

    from oneplan.plans.models import Plan

    old = Plan.objects.get(key="bench-audited")
    seconds, new = _timed(lambda: start_edition(old, editor, edition_type="review", reason="ทดสอบ"))
    rows.append(["start a new edition (copy)", f"{seconds:.2f} s", f"{new.elements.count()} elements"])
    for el in Element.objects.filter(plan=new, kind="issue")[:200]:
        el.title_th += " (ปรับปรุง)"
        el.save()
    seconds, changes = _timed(lambda: diff_plans(old, new))
    rows.append([f"diff two editions of {ELEMENTS} elements", f"{seconds:.2f} s", f"{len(changes)} changes"])
    _current_user.reset(token)

    for _ in range(PLANS_FOR_DASHBOARD):
        PlanFactory(owner=org, status="submitted")
    seconds, waiting = _timed(lambda: waiting_for(secretary))
    rows.append([f"dashboard, {PLANS_FOR_DASHBOARD} plans before the committee", f"{seconds:.2f} s",
                 f"{len(waiting)} waiting"])
    print_table(["operation", "time", "note"], rows)


if __name__ == "__main__":
    _child()
