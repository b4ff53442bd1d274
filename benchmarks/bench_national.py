"""National scale on PostgreSQL: key pages at 1 generated province and at N (default 10).

Each province: 1 PAO, 100 LAOs, 50 agencies (oneplan.monitoring.generate), every plan in two editions
(the one in force and a draft successor with the same elements, projects and budgets). Pages are
fetched through django.test.Client, as a superuser (staff who may see everything) and, where the page
is public, anonymously: median of REPEAT after a warm-up, query count (CaptureQueriesContext) and bytes.
Goals: every page under 1 s at N provinces, and the median at N within 1.2× of the median at 1 —
what is scoped to one province, one plan or one framework element must not grow with the country
(a difference under 20 ms counts as met: below the timing noise of a shared machine).

Environment: BENCH_PROVINCES (default 10), BENCH_PER_PLAN (projects per plan, default 265 as in
bench_monitoring: ≈40,000 projects in force per province; fewer keeps the shape and runs faster).
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CODES = ["30", "40", "41", "34", "31", "32", "33", "35", "36", "37"]
LAO, AGENCIES = 100, 50
REPEAT = 5
GOAL_MS, GOAL_RATIO = 1000, 1.2


def run():
    from oneplan.testing.pgserver import start_postgres, stop_postgres

    url = start_postgres()
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
        subprocess.run([sys.executable, "-m", "benchmarks.bench_national"], env=env, check=True,
                       cwd=Path(__file__).resolve().parent.parent)
    finally:
        stop_postgres()


def _measure(client, url):
    """(median ms, queries, bytes) of GET url: one warm-up, REPEAT timed, then one counting queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return b"".join(response.streaming_content) if response.streaming else response.content

    get()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        body = get()
    return statistics.median(times), len(ctx.captured_queries), len(body)


def _pages(code):
    """(label, url, public) of the key pages of province `code` (its largest LAO plan, master plan 07)."""
    from django.db.models import Count

    from oneplan.frameworks import registry
    from oneplan.plans.models import Plan

    lao = (Plan.objects.filter(key__startswith=f"gen-{code}-plan-", kind="lao_local", status="in_force")
           .annotate(n=Count("elements")).order_by("-n", "pk").first())
    mp = registry.plan_in_force("master-plans")
    top = mp.elements.filter(parent__isnull=True, code="07").first() or mp.elements.filter(parent__isnull=True).first()
    sub = top.children.order_by("order", "id").first() or top
    scope = f"scope=province&area={code}&framework=master-plans"
    return [
        ("plan page, largest LAO", f"/plans/{lao.pk}/", True),
        ("checks panel, largest LAO", f"/linkage/plans/{lao.pk}/checks/panel/", False),
        ("checks page, largest LAO", f"/linkage/plans/{lao.pk}/checks/", False),
        ("province budget view", f"/monitoring/budget/{code}/", True),
        ("coverage, province × master plans", f"/linkage/coverage/?{scope}", True),
        ("coverage export (ยท.01 xlsx)", f"/linkage/coverage/export/?{scope}", True),
        (f"master plan {top.code} element page", f"/plans/elements/{top.pk}/", True),
        (f"master plan {sub.code} element page", f"/plans/elements/{sub.pk}/", True),
        (f"contributors {top.code} ?province", f"/linkage/elements/{top.pk}/contributors/?province={code}", True),
        ("LAO report xlsx", f"/monitoring/plans/{lao.pk}/report.xlsx", False),
    ]


def _measure_all(code, staff, anonymous) -> dict:
    out = {}
    for label, url, public in _pages(code):
        out[(label, "staff")] = _measure(staff, url)
        if public:
            out[(label, "anonymous")] = _measure(anonymous, url)
        print(f"  {label}: {out[(label, 'staff')][0]:.0f} ms", flush=True)
    return out


def _analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _child():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    import oneplan.organisations
    from benchmarks.table import print_table
    from oneplan.areas.loader import load_areas
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.governance.locks import allow_published_changes
    from oneplan.monitoring.generate import generate_province
    from oneplan.organisations.loader import load_organisations
    from oneplan.plans.models import Element, Plan

    n = int(os.environ.get("BENCH_PROVINCES", "10"))
    per_plan = int(os.environ.get("BENCH_PER_PLAN", "265"))
    codes = CODES[:n]
    facts = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(with_subdistricts=True)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    with allow_published_changes():  # as `oneplan load-reference` does
        load_frameworks()
    facts.append(["reference data loaded (s)", f"{time.perf_counter() - started:.1f}"])
    get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password")
    staff, anonymous = Client(), Client()
    staff.force_login(get_user_model().objects.get(username="bench"))

    def generate(some):
        started = time.perf_counter()
        for i, code in enumerate(some):
            made = generate_province(code, LAO, AGENCIES, per_plan, seed=CODES.index(code) + 1, drafts=True)
            print(f"  province {code}: {made.projects:,} projects in force (+ drafts) "
                  f"[{i + 1}/{len(some)}, {time.perf_counter() - started:.0f} s]", flush=True)
        _analyze()
        return time.perf_counter() - started

    def counts(label):
        projects = Element.objects.filter(kind="project", plan__key__startswith="gen-")
        facts.append([label, f"{Plan.objects.filter(key__startswith='gen-').count():,} plans, "
                             f"{projects.filter(plan__status='in_force').count():,} projects in force, "
                             f"{projects.exclude(plan__status='in_force').count():,} in drafts"])

    took = generate(codes[:1])
    facts.append(["generate 1 province (s)", f"{took:.1f}"])
    counts("at 1 province")
    print("measuring at 1 province", flush=True)
    one = _measure_all(codes[0], staff, anonymous)
    if n > 1:
        took = generate(codes[1:])
        facts.append([f"generate {n - 1} more provinces (s)", f"{took:.1f}"])
    counts(f"at {n} provinces")
    print(f"measuring at {n} provinces", flush=True)
    many = _measure_all(codes[0], staff, anonymous)
    print_table(["fact", "value"], facts)
    rows = []
    for key, (ms1, q1, _b1) in one.items():
        msn, qn, bn = many[key]
        ratio = msn / ms1 if ms1 else 0
        met = msn < GOAL_MS and (ratio <= GOAL_RATIO or msn - ms1 < 20)   # 20 ms: below timing noise
        rows.append([f"{key[0]} ({key[1]})", f"{ms1:.0f} ms, {q1} q", f"{msn:.0f} ms, {qn} q, {bn:,} B",
                     f"{ratio:.2f}", "yes" if met else "NO"])
    print_table(["page", "1 province", f"{n} provinces", "ratio", "goal met"], rows)


if __name__ == "__main__":
    _child()
