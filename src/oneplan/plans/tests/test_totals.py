"""Reconciliation: the same figures through every path — ผ.01 (the Excel export and
plans.graph.plan_budget_table), the province budget view, coverage (page figures and ยท.01), the
contributions on framework element pages, and the JSON export — for the demo province and for a
generated one, across editions: a draft edition never counts, and once announced it replaces the old.
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oneplan.areas.models import Area
from oneplan.governance.locks import allow_published_changes
from oneplan.governance.services import start_edition
from oneplan.linkage import coverage as cov
from oneplan.monitoring import budgetview
from oneplan.plans import graph, totals
from oneplan.plans.editions import mark_in_force, mark_superseded
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import BudgetLine, Plan, PlanStatus
from oneplan.testing.factories import UserFactory
from oneplan.transfer import exports

pytestmark = pytest.mark.django_db
ZERO = Decimal(0)


# -- the paths ---------------------------------------------------------------------------------------
def p01_total(plan: Plan) -> Decimal:
    """The grand total cell of the ผ.01 workbook (last column of the รวมทั้งสิ้น row)."""
    ws = openpyxl.load_workbook(io.BytesIO(exports.export(plan, "xlsx-p01")))["ผ.01"]
    for row in ws.iter_rows(values_only=True):
        if row[0] == "รวมทั้งสิ้น":
            return Decimal(str(row[-1] or 0))
    return ZERO


def json_total(plan: Plan) -> Decimal:
    return sum((Decimal(b["amount"]) for e in dump_plan(plan)["elements"] if e["project"]
                for b in e["project"]["budgets"] if b["stage"] == "plan"), ZERO)


def master_plans_in_force() -> Plan:
    return budgetview.framework_in_force("master-plans")


def figures(area: Area) -> dict[str, Decimal]:
    """The scope's total through each path (every one must agree)."""
    plans = list(budgetview.area_plans(area))
    view = budgetview.area_budget(area)
    coverage = cov.coverage(cov.scope_plans("province", area), master_plans_in_force())
    tops = cov.top_elements(coverage.framework_plan)
    scope = totals.counted_plans(totals.area_q(area))
    contributions = sum((graph.contribution(top, plans=scope).budget_total for top in tops), ZERO)
    out = {
        "plan_budget_table": sum((graph.plan_budget_table(p)[3] for p in plans), ZERO),
        "json": sum((json_total(p) for p in plans), ZERO),
        "budget_view": view.total,
        "coverage": coverage.total,
        "contributions + not linked": contributions + coverage.unlinked_total,
    }
    for name, groups in (("by_issue", view.by_issue), ("by_master_plan", view.by_master_plan),
                         ("by_milestone", view.by_milestone), ("by_sdg", view.by_sdg), ("by_org", view.by_org),
                         ("by_year", view.by_year), ("by_source", view.by_source)):
        out[f"budget_view.{name}"] = sum((g.amount for g in groups), ZERO)
    # coverage and the budget view give each master plan the same share (one money rule)
    per_mp = {r.element.code: r.total for r in coverage.rows if r.total}
    assert per_mp == {g.key: g.amount for g in view.by_master_plan if g.key != budgetview.UNLINKED}
    return out


def assert_agree(area: Area, expected: Decimal | None = None) -> Decimal:
    found = figures(area)
    values = set(found.values())
    assert len(values) == 1, found
    total = values.pop()
    if expected is not None:
        assert total == expected, found
    return total


def counted_lines_total(area: Area) -> Decimal:
    """Independent of every path: the plan-stage lines of the plans in force in the area."""
    plans = budgetview.area_plans(area)
    return sum(BudgetLine.objects.filter(project__element__plan__in=plans, stage="plan")
               .values_list("amount", flat=True), ZERO)


# -- editions ----------------------------------------------------------------------------------------
@pytest.fixture
def admin():
    return UserFactory(username="t-totals-admin", is_superuser=True, is_staff=True)


def new_draft(plan: Plan, user) -> Plan:
    return start_edition(plan, user, edition_type="review", reason="ทบทวนแผนเพื่อทดสอบยอดรวม")


def change_draft_budgets(draft: Plan, factor: int = 3, extra: str = "1234.56"):
    """Edit the draft (it is editable): triple every line and add to one, as an editor would."""
    lines = BudgetLine.objects.filter(project__element__plan=draft, stage="plan")
    lines.update(amount=F("amount") * factor)
    first = lines.order_by("pk").first()
    if first is not None:
        BudgetLine.objects.filter(pk=first.pk).update(amount=F("amount") + Decimal(extra))


def announce(draft: Plan, on: date | None = None):
    """What the workflow does when an edition is announced: the draft comes into force, the edition
    it supersedes stops being in force (plans.editions.mark_in_force / mark_superseded)."""
    on = on or timezone.localdate()
    with allow_published_changes():
        draft.status = PlanStatus.IN_FORCE
        draft.save(update_fields=["status", *mark_in_force(draft, on)])
        old = draft.supersedes
        if old is not None:
            old.save(update_fields=mark_superseded(old, on))


def test_demo_province_agrees_through_every_path():
    phuket = Area.objects.get(code="83")
    total = assert_agree(phuket, counted_lines_total(phuket))
    assert total > 0


def _content(response) -> str:
    text = response.content.decode()
    return text[text.index("<h1>"):text.index("</main>")]


def test_anonymous_and_staff_see_the_same_totals(client, admin):
    """Staff may open the draft, but totals are not theirs to change: the page is identical."""
    from django.urls import reverse

    new_draft(Plan.objects.get(key="choeng-thale-local-2566-2570"), admin)
    url = reverse("monitoring:budget_view", args=["83"])
    anonymous = _content(client.get(url))
    client.force_login(admin)
    assert _content(client.get(url)) == anonymous
    coverage_url = reverse("linkage:coverage") + "?scope=province&area=83&framework=master-plans"
    staff_coverage = _content(client.get(coverage_url))
    client.logout()
    assert _content(client.get(coverage_url)) == staff_coverage


@pytest.mark.parametrize("key", ["choeng-thale-local-2566-2570", "phuket-provincial-2561-2564"])
def test_a_draft_edition_never_counts_and_an_announced_one_replaces_the_old(admin, key):
    phuket = Area.objects.get(code="83")
    plan = Plan.objects.get(key=key)
    before = assert_agree(phuket, counted_lines_total(phuket))
    old_total = graph.plan_budget_table(plan)[3]

    draft = new_draft(plan, admin)
    change_draft_budgets(draft)
    draft_total = graph.plan_budget_table(draft)[3]
    assert draft_total == old_total * 3 + Decimal("1234.56")
    assert draft not in budgetview.area_plans(phuket)
    assert assert_agree(phuket) == before           # nothing of the draft is counted, by any path

    announce(draft)
    assert plan not in budgetview.area_plans(phuket) and draft in budgetview.area_plans(phuket)
    assert assert_agree(phuket, counted_lines_total(phuket)) == before - old_total + draft_total


def test_the_budget_view_on_a_past_date_counts_the_edition_then_in_force(admin):
    phuket = Area.objects.get(code="83")
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    before = budgetview.area_budget(phuket).total
    draft = new_draft(plan, admin)
    change_draft_budgets(draft)
    today = timezone.localdate()
    announce(draft, today)
    yesterday = date.fromordinal(today.toordinal() - 1)
    assert budgetview.area_budget(phuket, on=yesterday).total == before
    assert budgetview.area_budget(phuket).total != before


def test_links_to_the_superseded_master_plans_carry_no_money():
    """The provincial issue linked to both master-plan editions counts for the 2566 edition only."""
    phuket = Area.objects.get(code="83")
    view = budgetview.area_budget(phuket)
    mp = master_plans_in_force()
    assert mp.key == "master-plans-2566"
    codes = set(mp.elements.filter(parent__isnull=True).values_list("code", flat=True))
    assert {g.key for g in view.by_master_plan} <= codes | {budgetview.UNLINKED}
    old = Plan.objects.get(key="master-plans-2561").elements.get(code="04")
    assert graph.contribution(old).budget_total == 0


# -- a generated province ------------------------------------------------------------------------------
@pytest.fixture
def generated():
    from oneplan.monitoring.generate import generate_province

    generate_province("50", lao=3, agencies=2, projects_per_plan=5)
    return Area.objects.get(code="50")


def test_generated_province_agrees_across_editions(generated, admin):
    total = assert_agree(generated, counted_lines_total(generated))
    # (the generator links agency plans to the provincial plan, which the link rule refuses when an
    # edition is copied, so the editions are made of two LAO plans)
    lao, agency = Plan.objects.filter(key__startswith="gen-50-plan-", kind="lao_local").order_by("key")[:2]
    drafts = [new_draft(lao, admin), new_draft(agency, admin)]
    for d in drafts:
        change_draft_budgets(d, factor=2)
    assert assert_agree(generated) == total
    announce(drafts[0])
    after = assert_agree(generated, counted_lines_total(generated))
    # the old edition stops counting, the new one counts with its changed budgets
    assert after == total - graph.plan_budget_table(lao)[3] + graph.plan_budget_table(drafts[0])[3]
    announce(drafts[1])
    assert assert_agree(generated, counted_lines_total(generated)) == \
        after - graph.plan_budget_table(agency)[3] + graph.plan_budget_table(drafts[1])[3]


# -- property: random edition histories ----------------------------------------------------------------
STEPS = st.lists(st.tuples(st.sampled_from(["draft", "edit", "announce"]), st.integers(0, 2),
                           st.decimals(min_value=0, max_value=10_000_000, places=2)), min_size=1, max_size=4)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=STEPS)
def test_random_edition_histories_agree_and_never_count_a_draft(generated_once, admin_once, steps):
    from django.db import transaction

    area = generated_once
    sid = transaction.savepoint()
    try:
        lines = _lines_of_plans(area)
        base = {p.pk: p for p in budgetview.area_plans(area).filter(key__startswith="gen-50-plan-",
                                                                     kind="lao_local")}
        line_heads = sorted(base.values(), key=lambda p: p.key)[:3]
        current = {i: p for i, p in enumerate(line_heads)}     # line → edition in force
        drafts: dict[int, Plan] = {}
        for action, i, amount in steps:
            i %= len(current)
            if action == "draft" and i not in drafts:
                drafts[i] = new_draft(current[i], admin_once)
            elif action == "edit" and i in drafts:
                first = BudgetLine.objects.filter(project__element__plan=drafts[i], stage="plan").order_by("pk").first()
                if first is not None:
                    BudgetLine.objects.filter(pk=first.pk).update(amount=amount)
            elif action == "announce" and i in drafts:
                announce(drafts[i])
                current[i] = drafts.pop(i)
            # whatever happened: the paths agree, and they count exactly the editions in force
            expected = lines({p.pk for p in budgetview.area_plans(area)})
            assert assert_agree(area, expected) == expected
            counted = set(budgetview.area_plans(area).values_list("pk", flat=True))
            assert not counted & {d.pk for d in drafts.values()}
            assert {p.pk for p in current.values()} <= counted
    finally:
        transaction.savepoint_rollback(sid)


def _lines_of_plans(area):
    def total(plan_ids):
        return sum(BudgetLine.objects.filter(project__element__plan_id__in=plan_ids, stage="plan")
                   .values_list("amount", flat=True), ZERO)
    return total


@pytest.fixture
def generated_once(generated):
    return generated


@pytest.fixture
def admin_once(admin):
    return admin


def test_provincial_issue_contributions_sum_to_the_budget_view():
    """The same rule for a plan that is not a framework: Phuket's provincial issues, with their own
    projects and everything linked to them, give what the budget view shows per issue."""
    phuket = Area.objects.get(code="83")
    view = budgetview.area_budget(phuket)
    scope = totals.counted_plans(totals.area_q(phuket))
    provincial = budgetview.provincial_plan(phuket)
    by_issue = {g.key: g.amount for g in view.by_issue if g.key != budgetview.UNLINKED}
    assert by_issue
    for key, amount in by_issue.items():
        issue = provincial.elements.get(pk=int(key))
        assert graph.contribution(issue, plans=scope).budget_total == amount
