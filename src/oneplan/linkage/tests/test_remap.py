"""When a framework edition is superseded, links to the old one are offered for re-mapping to the
edition in force, and nothing changes until an editor decides."""
import pytest
from django.urls import reverse

from oneplan.linkage import remap
from oneplan.plans.models import Link
from oneplan.testing.factories import ElementFactory, PlanFactory, editor_of

from .conftest import master_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_link(org):
    plan = PlanFactory(owner=org, status="draft")
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การท่องเที่ยว")
    return Link.objects.create(source=issue, target=master_plan("05", key="master-plans-2561"))


def test_the_queue_proposes_the_same_code_in_the_edition_in_force_and_changes_nothing_by_itself(old_link):
    [proposal] = remap.queue(old_link.source.plan)
    assert proposal.replacement == master_plan("05") and "รหัสเดียวกัน" in proposal.reason
    assert Link.objects.get(pk=old_link.pk).target.plan.key == "master-plans-2561"


def test_an_editor_accepts_a_proposal_and_the_link_moves(client, org, old_link):
    client.force_login(editor_of(org))
    url = reverse("linkage:remap_decide", args=[old_link.pk])
    page = client.get(reverse("linkage:remap", args=[old_link.source.plan_id])).content.decode()
    assert master_plan("05").title_th[:30] in page
    response = client.post(url, {"decision": "accept", "replacement": master_plan("05").pk})
    assert response.status_code == 302
    assert list(old_link.source.links_up.values_list("target__plan__key", "target__code")) == [
        ("master-plans-2566", "05")]
    assert remap.queue(old_link.source.plan) == []


def test_a_forged_replacement_is_refused_and_nothing_changes(client, org, old_link):
    client.force_login(editor_of(org))
    client.post(reverse("linkage:remap_decide", args=[old_link.pk]),
                {"decision": "accept", "replacement": master_plan("16").pk})
    assert Link.objects.filter(pk=old_link.pk).exists() and not old_link.source.links_up.filter(
        target=master_plan("16")).exists()


def test_keeping_the_old_link_takes_it_off_the_queue(client, org, old_link):
    client.force_login(editor_of(org))
    client.post(reverse("linkage:remap_decide", args=[old_link.pk]), {"decision": "keep"})
    assert Link.objects.filter(pk=old_link.pk).exists() and remap.queue(old_link.source.plan) == []


def test_a_plan_in_force_is_re_mapped_only_through_a_new_edition(client, org, old_link):
    plan = old_link.source.plan
    plan.status = "in_force"
    plan.save(update_fields=["status"])
    client.force_login(editor_of(org))
    assert "จัดทำฉบับใหม่" in client.get(reverse("linkage:remap", args=[plan.pk])).content.decode()
    response = client.post(reverse("linkage:remap_decide", args=[old_link.pk]),
                           {"decision": "accept", "replacement": master_plan("05").pk})
    assert response.status_code == 403 and Link.objects.filter(pk=old_link.pk).exists()
    anonymous = client.__class__()
    assert anonymous.post(reverse("linkage:remap_decide", args=[old_link.pk]), {"decision": "keep"}).status_code == 302
    assert remap.queue(plan)  # still waiting
