"""Planners, moderators and facilitators: permissions, answers, moderation, hearings, materials."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oneplan.consultation import services
from oneplan.consultation.models import (
    Answer,
    Comment,
    CommentSource,
    Event,
    Material,
    ModerationAction,
    Outcome,
)
from oneplan.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_comment(round_, **kw):
    data = {"text": "ความคิดเห็นทดสอบ", "sector": "citizen", "kind": "comment"} | kw
    return services.post_comment(round_, data)


@pytest.mark.parametrize("role, manage, moderate", [
    (None, False, False), ("viewer", False, False), ("editor", True, False), ("moderator", False, True),
    ("superuser", True, True)])
def test_permission_matrix(open_round, role, manage, moderate):
    user = UserFactory(is_superuser=(role == "superuser"))
    if role not in (None, "superuser"):
        MembershipFactory(user=user, organisation=open_round.plan.owner, role=role)
    assert user.has_perm("consultation.manage_round", open_round) is manage
    assert user.has_perm("consultation.answer_comment", open_round) is manage
    assert user.has_perm("consultation.moderate", open_round) is moderate
    comment = make_comment(open_round)
    assert user.has_perm("consultation.moderate", comment) is moderate


def test_a_moderator_of_another_organisation_cannot_moderate(open_round):
    user = UserFactory()
    MembershipFactory(user=user, role="moderator")  # a different organisation
    assert not user.has_perm("consultation.moderate", open_round)


def test_anonymous_users_are_sent_to_login_for_planner_pages(client, open_round):
    for name in ("manage", "moderation", "round_edit"):
        response = client.get(reverse(f"consultation:{name}", args=[open_round.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_planner_creates_a_round_and_opening_needs_a_draft_plan(client, planner, draft):
    client.force_login(planner)
    url = reverse("consultation:round_create", args=[draft["plan"].pk])
    data = {"title": "รอบที่ 1", "opens_on": "2026-01-01", "closes_on": "2025-12-01", "mode": "online",
            "responsible": "นายก", "status": "open", "invited_sectors": ["citizen", "lao"]}
    response = client.post(url, data)
    assert "วันปิดรับฟังต้องไม่ก่อนวันเปิดรับฟัง" in response.content.decode()
    data["closes_on"] = "2026-02-01"
    client.post(url, data)
    round_ = draft["plan"].consultation_rounds.get()
    assert round_.invited_sectors == ["citizen", "lao"] and round_.created_by == planner
    draft["plan"].status = "in_force"
    draft["plan"].save()
    response = client.post(url, data | {"title": "รอบที่ 2"})
    assert "เปิดรับฟังความคิดเห็นได้เฉพาะแผนที่ยังเป็นร่าง" in response.content.decode()


@pytest.mark.parametrize("data, error", [
    ({"outcome": "not_accepted"}, "กรุณาให้เหตุผล"),
    ({"outcome": "out_of_scope", "text": "ไม่ใช่ภารกิจ"}, "กรุณาระบุหน่วยงานที่ส่งเรื่องต่อ"),
    ({"outcome": "accepted", "element": ""}, "กรุณาเลือกองค์ประกอบของแผน"),
])
def test_answers_need_what_the_participant_is_owed(client, planner, open_round, data, error):
    comment = make_comment(open_round)
    client.force_login(planner)
    response = client.post(reverse("consultation:answer", args=[comment.pk]), data)
    assert error in response.content.decode()
    assert not Answer.objects.exists()


def test_planner_answers_and_the_answer_is_public_and_logged(client, planner, open_round, draft):
    comment = make_comment(open_round, element=draft["strategy"])
    client.force_login(planner)
    client.post(reverse("consultation:answer", args=[comment.pk]), {
        "outcome": "out_of_scope", "text": "เป็นภารกิจของกรมทางหลวง", "referred_to": "แขวงทางหลวงภูเก็ต"})
    answer = Answer.objects.get(comment=comment)
    assert answer.outcome == Outcome.OUT_OF_SCOPE and answer.answered_by == planner
    assert ModerationAction.objects.filter(comment=comment, action="answer", user=planner).exists()
    client.logout()
    assert "แขวงทางหลวงภูเก็ต" in client.get(open_round.get_absolute_url()).content.decode()
    assert "แขวงทางหลวงภูเก็ต" in client.get(comment.get_follow_url()).content.decode()


def test_viewer_cannot_answer(client, open_round):
    user = UserFactory()
    MembershipFactory(user=user, organisation=open_round.plan.owner, role="viewer")
    comment = make_comment(open_round)
    client.force_login(user)
    response = client.post(reverse("consultation:answer", args=[comment.pk]), {"outcome": "already"})
    assert response.status_code in (403, 404) and not Answer.objects.exists()


def test_moderator_hides_with_a_reason_and_the_comment_stays_for_the_record(client, moderator, open_round):
    comment = make_comment(open_round, text="ข้อความสแปม ซื้อเลย")
    services.report_abuse(comment, "visitor-1", "สแปม")
    client.force_login(moderator)
    queue = client.get(reverse("consultation:moderation", args=[open_round.pk])).content.decode()
    assert "ข้อความสแปม" in queue and "สแปม" in queue
    url = reverse("consultation:moderate", args=[comment.pk, "hide"])
    client.post(url, {"reason": ""})
    comment.refresh_from_db()
    assert not comment.hidden  # a reason is required
    client.post(url, {"reason": "โฆษณาขายสินค้า"})
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "โฆษณาขายสินค้า"
    assert not comment.reports.filter(resolved=False).exists()
    log = ModerationAction.objects.get(comment=comment, action="hide")
    assert log.user == moderator and log.reason == "โฆษณาขายสินค้า"
    assert "โฆษณาขายสินค้า" in client.get(reverse("consultation:moderation", args=[open_round.pk])).content.decode()
    client.logout()
    assert "ข้อความสแปม" not in client.get(open_round.get_absolute_url()).content.decode()
    assert "ข้อความสแปม" not in client.get(reverse("consultation:report", args=[open_round.pk])).content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()
    client.force_login(moderator)
    client.post(reverse("consultation:moderate", args=[comment.pk, "unhide"]))
    comment.refresh_from_db()
    assert not comment.hidden


def test_planner_cannot_hide(client, planner, open_round):
    comment = make_comment(open_round)
    client.force_login(planner)
    response = client.post(reverse("consultation:moderate", args=[comment.pk, "hide"]), {"reason": "ไม่ชอบ"})
    comment.refresh_from_db()
    assert response.status_code == 403 and not comment.hidden


def test_event_with_agenda_attendance_and_groups_is_saved_all_or_nothing(client, planner, open_round, draft):
    client.force_login(planner)
    url = reverse("consultation:event_create", args=[draft["plan"].pk])
    data = {
        "kind": "seminar", "title": "สัมมนาการพัฒนาศักยภาพในการเชื่อมโยงระดับพื้นที่", "round": open_round.pk,
        "starts_on": "2018-05-01", "venue": "โรงแรมแอมบาสเดอร์ ซิตี้ จอมเทียน",
        "agenda-TOTAL_FORMS": "2", "agenda-INITIAL_FORMS": "0",
        "agenda-0-order": "1", "agenda-0-title": "บริบทใหม่ของการวางแผนยุทธศาสตร์", "agenda-0-speaker": "ผู้แทน สศช.",
        "agenda-1-order": "2", "agenda-1-title": "การกำหนดตัวชี้วัดที่มีคุณภาพ", "agenda-1-speaker": "ผู้แทน ก.พ.ร.",
        "attendance-TOTAL_FORMS": "2", "attendance-INITIAL_FORMS": "0",
        "attendance-0-sector": "government", "attendance-0-count": "40",
        "attendance-1-sector": "lao", "attendance-1-count": "",
        "attendance-1-names": "นายดำรงค์ เภตรา",
        "groups-TOTAL_FORMS": "1", "groups-INITIAL_FORMS": "0",
        "groups-0-order": "1", "groups-0-theme": "ด้านเศรษฐกิจ", "groups-0-element": draft["issue"].pk,
    }
    response = client.post(url, data)
    assert "กรุณากรอกจำนวนผู้เข้าร่วม" in response.content.decode()
    assert not Event.objects.exists()
    data["attendance-1-count"] = "12"
    response = client.post(url, data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert [a.title for a in event.agenda.all()] == ["บริบทใหม่ของการวางแผนยุทธศาสตร์", "การกำหนดตัวชี้วัดที่มีคุณภาพ"]
    assert event.attendance_total == 52 and event.groups.get().element == draft["issue"]
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "บริบทใหม่ของการวางแผนยุทธศาสตร์" in page and "52" in page
    assert "นายดำรงค์ เภตรา" not in page  # names are for staff only


def test_materials_are_kept_with_the_plan_and_unsafe_types_refused(client, planner, open_round, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = Event.objects.create(plan=open_round.plan, round=open_round, title="เวที", starts_on="2023-05-25",
                                 venue="ศาลากลาง")
    client.force_login(planner)
    url = reverse("consultation:material_upload", args=[event.pk])
    client.post(url, {"kind": "handout", "title": "โปรแกรม", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert not Material.objects.exists()
    client.post(url, {"kind": "handout", "title": "เอกสารประกอบ", "file": SimpleUploadedFile(
        "เอกสาร.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    material = Material.objects.get()
    response = client.get(reverse("consultation:material", args=[material.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "เอกสารประกอบ" in client.get(reverse("consultation:plan", args=[open_round.plan.pk])).content.decode() or \
        "เอกสารประกอบ" in client.get(event.get_absolute_url()).content.decode()


def test_facilitator_enters_a_group_proposal_on_the_phone_page(client, planner, open_round, draft):
    event = Event.objects.create(plan=draft["plan"], round=open_round, title="เวทีประชาคม", starts_on="2023-05-25",
                                 venue="ศาลากลาง")
    group = event.groups.create(theme="เสาหลักด้านเศรษฐกิจ", element=draft["issue"])
    client.force_login(planner)
    page = client.get(reverse("consultation:facilitate", args=[group.pk])).content.decode()
    assert 'class="big"' in page and 'name="viewport"' in page
    response = client.post(reverse("consultation:facilitate", args=[group.pk]),
                           {"text": "ส่งเสริมตลาดชุมชนริมทะเล", "is_project": "on"}, HTTP_HX_REQUEST="true")
    proposal = Comment.objects.get()
    assert response.status_code == 200 and "ส่งเสริมตลาดชุมชนริมทะเล" in response.content.decode()
    assert proposal.source == CommentSource.BREAKOUT and proposal.group == group
    assert proposal.element == draft["issue"] and proposal.kind == "new_project" and proposal.entered_by == planner


def test_plan_page_offers_consultation_and_the_menu_offers_hearings(client, open_round):
    plan = open_round.plan
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("consultation:plan", args=[plan.pk]) in page
    assert reverse("consultation:plan_panel", args=[plan.pk]) in page
    assert reverse("consultation:index") in page
