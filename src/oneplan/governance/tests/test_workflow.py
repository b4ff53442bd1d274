"""The approval chains: every step recorded with who, when, which committee and meeting; refusals
(another organisation, approving one's own submission, skipping a step, a replayed form) are
refused, logged and leave the plan where it was."""
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oneplan.governance.models import AuditEntry, Transition
from oneplan.governance.services import TransitionRefused, allowed_actions, perform
from oneplan.governance.workflow import current_state

from .conftest import heard, login

# a committee meets on or after the day the plan reached it, never in the future
MEETING = {"meeting_number": "3/2569", "meeting_date": timezone.localdate(), "resolution": "เห็นชอบ"}


def step(plan, action, user, **details):
    plan.refresh_from_db()
    done = perform(plan, action, user, expected_state=current_state(plan).code, **details)
    plan.refresh_from_db()
    return done


def test_provincial_plan_walks_the_whole_chain_to_in_force(world, provincial_plan):
    u = world.users
    step(provincial_plan, "open_consultation", u.office_editor)
    step(provincial_plan, "start_revision", u.office_editor)
    submitted = step(provincial_plan, "submit_kbj", u.office_editor)
    assert submitted.committee == world.kbj
    approved = step(provincial_plan, "approve_kbj", u.kbj_secretary, **MEETING)
    assert (approved.committee, approved.meeting_number, approved.user) == (world.kbj, "3/2569", u.kbj_secretary)
    step(provincial_plan, "submit_knb", u.office_editor)
    step(provincial_plan, "approve_knb", u.knb_secretary, **MEETING)
    provincial_plan.refresh_from_db()
    assert (current_state(provincial_plan).code, provincial_plan.status) == ("cabinet", "approved")
    step(provincial_plan, "cabinet_resolution", u.knb_secretary, **MEETING)
    provincial_plan.refresh_from_db()
    assert provincial_plan.status == "in_force"
    assert list(provincial_plan.transitions.values_list("to_state", flat=True)) == [
        "consultation", "revision", "kbj", "kbj_approved", "knb", "cabinet", "in_force"]


def test_returning_requires_a_reason_and_sends_the_plan_back_for_revision(world, provincial_plan):
    u = world.users
    step(provincial_plan, "submit_kbj", u.office_editor)
    with pytest.raises(ValidationError) as exc:
        step(provincial_plan, "return_kbj", u.kbj_secretary)
    assert "เหตุผล" in exc.value.message_dict["reason"][0]
    provincial_plan.refresh_from_db()
    assert provincial_plan.status == "submitted"  # nothing half-done
    returned = step(provincial_plan, "return_kbj", u.kbj_secretary, reason="ตัวชี้วัดไม่มีค่าเป้าหมายรายปี")
    assert returned.reason == "ตัวชี้วัดไม่มีค่าเป้าหมายรายปี"
    provincial_plan.refresh_from_db()
    assert provincial_plan.status == "returned"
    assert [a.code for a in allowed_actions(u.office_editor, provincial_plan)] == ["start_revision"]


def test_approval_requires_the_meeting_number_date_and_resolution(world, provincial_plan):
    step(provincial_plan, "submit_kbj", world.users.office_editor)
    with pytest.raises(ValidationError) as exc:
        step(provincial_plan, "approve_kbj", world.users.kbj_secretary, meeting_number="3/2569")
    assert set(exc.value.message_dict) == {"meeting_date", "resolution"}


def test_lao_plan_goes_through_community_forum_and_local_committee_then_the_executive(world, lao_plan):
    u = world.users
    step(lao_plan, "open_consultation", u.editor)
    sent = step(lao_plan, "submit_local_dev", u.editor)
    assert sent.committee == world.town_dev
    step(lao_plan, "approve_local_dev", u.town_dev_secretary, **MEETING)
    lao_plan.refresh_from_db()
    assert current_state(lao_plan).code == "executive"  # a municipality has no SAO council step
    step(lao_plan, "announce", u.approver)
    lao_plan.refresh_from_db()
    assert lao_plan.status == "in_force"


def test_sao_plan_also_goes_to_the_sao_council(world):
    from oneplan.testing.factories import PlanFactory

    plan = heard(PlanFactory(owner=world.sao, area=world.subdistrict, kind="lao_local"))
    u = world.users
    step(plan, "open_consultation", u.sao_editor)
    step(plan, "submit_local_dev", u.sao_editor)
    step(plan, "approve_local_dev", u.sao_dev_secretary, **MEETING)
    plan.refresh_from_db()
    assert current_state(plan).code == "council"
    assert not allowed_actions(u.sao_dev_secretary, plan)  # the council's secretary acts now
    council = step(plan, "approve_council", u.council_secretary, **MEETING)
    assert council.committee == world.sao_council
    step(plan, "announce", u.sao_approver)


def _refusals(plan):
    return AuditEntry.objects.filter(plan_id=plan.pk, action="refused")


def test_a_user_of_another_organisation_is_refused_and_logged(world, lao_plan, caplog):
    with caplog.at_level(logging.WARNING, logger="oneplan.security"), pytest.raises(TransitionRefused):
        step(lao_plan, "open_consultation", world.users.other_editor)
    lao_plan.refresh_from_db()
    assert lao_plan.status == "draft" and not lao_plan.transitions.exists()
    assert _refusals(lao_plan).get().user == world.users.other_editor
    assert "t-other-editor" in caplog.text


def test_the_submitter_cannot_approve_their_own_submission(world, provincial_plan):
    # the same person is an editor of the office and secretary of ก.บ.จ. (as in real provinces)
    from oneplan.testing.factories import MembershipFactory

    both = world.users.office_editor
    MembershipFactory(user=both, organisation=world.kbj, role="secretary")
    step(provincial_plan, "submit_kbj", both)
    assert allowed_actions(both, provincial_plan) == []
    with pytest.raises(TransitionRefused, match="ของตนเอง"):
        step(provincial_plan, "approve_kbj", both, **MEETING)
    assert _refusals(provincial_plan).count() == 1
    step(provincial_plan, "approve_kbj", world.users.kbj_secretary, **MEETING)  # someone else may


def test_skipping_a_step_is_refused(world, provincial_plan):
    with pytest.raises(TransitionRefused, match="ข้ามขั้นตอน"):
        perform(provincial_plan, "submit_knb", world.users.office_editor, expected_state="draft")
    assert _refusals(provincial_plan).exists()
    provincial_plan.refresh_from_db()
    assert provincial_plan.status == "draft"


def test_the_secretary_of_another_committee_cannot_decide(world, provincial_plan):
    step(provincial_plan, "submit_kbj", world.users.office_editor)
    with pytest.raises(TransitionRefused):
        step(provincial_plan, "approve_kbj", world.users.knb_secretary, **MEETING)


def test_a_replayed_form_is_refused_because_the_state_changed(client, world, lao_plan):
    login(client, world.users.editor)
    url = reverse("governance:transition", args=[lao_plan.pk, "open_consultation"])
    form = {"expected_state": "draft"}
    assert client.post(url, form).status_code == 302
    replay = client.post(url, form)
    assert replay.status_code == 403
    assert lao_plan.transitions.count() == 1
    assert "เปลี่ยนไปแล้ว" in _refusals(lao_plan).get().message


def test_transition_page_records_meeting_in_be_and_the_document(client, world, lao_plan):
    step(lao_plan, "open_consultation", world.users.editor)
    step(lao_plan, "submit_local_dev", world.users.editor)
    login(client, world.users.town_dev_secretary)
    url = reverse("governance:transition", args=[lao_plan.pk, "approve_local_dev"])
    pdf = SimpleUploadedFile("รายงานการประชุม.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    today = timezone.localdate()
    thai_today = f"{today.day}/{today.month}/{today.year + 543}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = client.post(url, {"expected_state": "local_dev", "meeting_number": "ครั้งที่ ๒/๒๕๖๙",
                                 "meeting_date": thai_today, "resolution": "เห็นชอบร่างแผน", "document": pdf})
    assert response.status_code == 302
    t = Transition.objects.get(plan=lao_plan, action="approve_local_dev")
    assert (t.meeting_number, t.meeting_date) == ("2/2569", today)
    document = reverse("governance:document", args=[t.pk])
    assert client.get(document).getvalue() == b"%PDF-1.4 minutes"  # their committee's own record
    assert login(client, world.users.kbj_secretary).get(document).status_code == 404  # another committee
    assert login(client, world.users.editor).get(document).getvalue() == b"%PDF-1.4 minutes"
    client.logout()
    assert client.get(reverse("governance:document", args=[t.pk])).status_code == 302  # log in first


def test_a_gregorian_meeting_date_is_refused_in_thai(client, world, lao_plan):
    step(lao_plan, "open_consultation", world.users.editor)
    step(lao_plan, "submit_local_dev", world.users.editor)
    login(client, world.users.town_dev_secretary)
    response = client.post(reverse("governance:transition", args=[lao_plan.pk, "approve_local_dev"]),
                           {"expected_state": "local_dev", "meeting_number": "2/2569", "meeting_date": "15/3/2026",
                            "resolution": "เห็นชอบ"})
    assert response.status_code == 200
    assert "ปี ค.ศ." in response.content.decode()
    assert not lao_plan.transitions.filter(action="approve_local_dev").exists()


def test_the_panel_shows_state_history_and_only_my_next_steps(client, world, lao_plan):
    step(lao_plan, "open_consultation", world.users.editor)
    url = reverse("governance:panel", args=[lao_plan.pk])
    page = login(client, world.users.editor).get(url).content.decode()
    assert "submit_local_dev" in page and "csrfmiddlewaretoken" in page
    assert 'name="expected_state" value="consultation"' in page
    page = login(client, world.users.viewer).get(url).content.decode()
    assert "submit_local_dev" not in page


def test_submitting_without_the_committee_in_the_system_is_explained(world):
    from oneplan.testing.factories import OrganisationFactory, PlanFactory

    lonely = OrganisationFactory(kind="subdistrict_municipality", area=world.subdistrict)
    plan = heard(PlanFactory(owner=lonely, area=world.subdistrict, status="consultation"))
    editor = world.users.editor
    from oneplan.testing.factories import MembershipFactory

    MembershipFactory(user=editor, organisation=lonely, role="editor")
    with pytest.raises(ValidationError, match="ไม่พบคณะกรรมการ"):
        step(plan, "submit_local_dev", editor)
    plan.refresh_from_db()
    assert plan.status == "consultation"


def test_a_plan_the_law_requires_to_be_heard_cannot_go_to_the_committee_unheard(world):
    from oneplan.testing.factories import PlanFactory

    plan = PlanFactory(owner=world.office, area=world.province, kind="provincial", status="draft")
    with pytest.raises(ValidationError) as exc:
        step(plan, "submit_kbj", world.users.office_editor)
    assert "รับฟังความคิดเห็น" in exc.value.message_dict["reason"][0]
    assert plan.status == "draft" and not plan.transitions.exists()
    # an open round is not enough: its report is final only once it has closed
    from oneplan.consultation.models import ConsultationRound

    ConsultationRound.objects.create(plan=plan, title="รอบที่ยังเปิดอยู่", status="open",
                                     opens_on=timezone.localdate(), responsible="ผู้ทดสอบ")
    with pytest.raises(ValidationError):
        step(plan, "submit_kbj", world.users.office_editor)
    heard(plan)
    assert step(plan, "submit_kbj", world.users.office_editor).to_state == "kbj"


def test_skipping_the_hearing_needs_a_recorded_reason(world):
    from oneplan.testing.factories import PlanFactory

    plan = PlanFactory(owner=world.office, area=world.province, kind="provincial", status="draft")
    done = step(plan, "submit_kbj", world.users.office_editor, reason="รับฟังร่วมกับแผนฉบับเดิมเมื่อ ม.ค. 2569")
    assert done.reason == "รับฟังร่วมกับแผนฉบับเดิมเมื่อ ม.ค. 2569"  # kept in the public history of the step


def test_a_plan_kind_without_a_hearing_rule_goes_straight_on(world):
    from oneplan.testing.factories import PlanFactory

    annual = PlanFactory(owner=world.office, area=world.province, kind="provincial_annual", status="draft")
    assert step(annual, "submit_kbj", world.users.office_editor).to_state == "kbj"


@pytest.mark.parametrize("days, fragment", [(-1, "ต้องไม่ก่อนวันที่เสนอ"), (1, "ต้องไม่เกินวันนี้")])
def test_a_committee_cannot_meet_before_the_plan_reached_it_or_in_the_future(world, provincial_plan, days,
                                                                           fragment):
    from datetime import timedelta

    step(provincial_plan, "submit_kbj", world.users.office_editor)
    when = timezone.localdate() + timedelta(days=days)
    with pytest.raises(ValidationError) as exc:
        step(provincial_plan, "approve_kbj", world.users.kbj_secretary, **{**MEETING, "meeting_date": when})
    assert fragment in exc.value.message_dict["meeting_date"][0]
    assert provincial_plan.status == "submitted"
