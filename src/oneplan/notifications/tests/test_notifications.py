import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from oneplan.consultation.models import Answer, Comment, ConsultationRound
from oneplan.core.thai import fiscal_year
from oneplan.governance.models import CalendarDeadline, Transition
from oneplan.notifications import services
from oneplan.notifications.models import (
    CommentFollow,
    EmailMode,
    Kind,
    Notification,
    OutboxEmail,
    OutboxStatus,
)
from oneplan.organisations.models import Organisation
from oneplan.testing.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    editor_of,
)


def person(**kw):
    return UserFactory(email=kw.pop("email", "officer@example.go.th"), **kw)


def test_notify_writes_the_notification_and_an_email_once_per_event(db):
    user = person()
    assert services.notify(user, Kind.RETURNED, "แผนถูกส่งคืน", key="k1") is not None
    assert services.notify(user, Kind.RETURNED, "แผนถูกส่งคืน", key="k1") is None     # the same event again
    assert Notification.objects.filter(user=user).count() == 1
    assert OutboxEmail.objects.filter(user=user, status=OutboxStatus.PENDING).count() == 1


def test_a_deactivated_account_gets_no_notification_and_its_pending_mail_is_skipped(db):
    user = person()
    services.notify(user, Kind.RETURNED, "แผนถูกส่งคืน", key="k1")
    user.is_active = False
    user.save()
    assert services.notify(user, Kind.RETURNED, "อีกเรื่อง", key="k2") is None
    counts = services.deliver_pending()
    assert counts == {"sent": 0, "failed": 0, "skipped": 1} and not mail.outbox
    assert OutboxEmail.objects.get(user=user).status == OutboxStatus.SKIPPED    # kept, marked, not lost


def test_preferences_turn_a_kind_off_and_email_off(db):
    user = person()
    pref = services.preference(user)
    pref.muted, pref.email = [Kind.DEADLINE], EmailMode.NONE
    pref.save()
    assert services.notify(user, Kind.DEADLINE, "ใกล้กำหนด", key="d") is None
    assert services.notify(user, Kind.RETURNED, "ส่งคืน", key="r") is not None
    assert not OutboxEmail.objects.filter(user=user).exists()


class RefusingBackend:
    """An e-mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"officer@example.go.th": (550, b"mailbox unavailable")})


def test_a_refusing_server_leaves_the_mail_pending_with_backoff_and_a_later_send_succeeds(db, settings):
    user = person()
    services.notify(user, Kind.RETURNED, "แผนถูกส่งคืน", key="k1")
    settings.EMAIL_BACKEND = "oneplan.notifications.tests.test_notifications.RefusingBackend"
    now = timezone.now()
    assert services.deliver_pending(now) == {"sent": 0, "failed": 1, "skipped": 0}
    item = OutboxEmail.objects.get(user=user)
    assert item.status == OutboxStatus.PENDING and item.attempts == 1 and item.next_attempt_at > now
    assert "550" in item.last_error
    assert services.deliver_pending(now)["failed"] == 0                 # not due again yet: no hammering
    services.deliver_pending(item.next_attempt_at)
    item.refresh_from_db()
    assert item.attempts == 2 and item.status == OutboxStatus.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver_pending(item.next_attempt_at)["sent"] == 1
    item.refresh_from_db()
    assert item.status == OutboxStatus.SENT and len(mail.outbox) == 1 and "แผนถูกส่งคืน" in mail.outbox[0].subject


def test_backoff_grows_and_is_capped():
    assert services.backoff(1) < services.backoff(2) < services.backoff(3)
    assert services.backoff(50) == services.MAX_BACKOFF


def test_the_daily_digest_sends_one_mail_for_the_days_items(db):
    user = person()
    pref = services.preference(user)
    pref.email = EmailMode.DAILY
    pref.save()
    for i in range(3):
        services.notify(user, Kind.COMMENT, f"ความคิดเห็นที่ {i}", key=f"c{i}")
    assert services.deliver_pending()["sent"] == 0                        # before the digest hour
    due = OutboxEmail.objects.filter(user=user).first().next_attempt_at
    assert services.deliver_pending(due) == {"sent": 3, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 1 and "3 รายการ" in mail.outbox[0].subject


@pytest.fixture
def committee_world(db):
    lao = OrganisationFactory(kind="municipality")
    committee = Organisation.objects.create(key="mx-localdev", kind="committee", committee_type="local_development",
                                            name_th="คณะกรรมการพัฒนาท้องถิ่นทดสอบ", parent=lao)
    secretary = person(email="sec@example.go.th")
    MembershipFactory(user=secretary, organisation=committee, role="secretary")
    editor = editor_of(lao)
    editor.email = "editor@example.go.th"
    editor.save()
    plan = PlanFactory(owner=lao, kind="lao_annual", status="revision")
    return {"plan": plan, "committee": committee, "secretary": secretary, "editor": editor}


def test_a_plan_sent_to_a_committee_notifies_its_secretary(committee_world, django_capture_on_commit_callbacks):
    w = committee_world
    from oneplan.governance import services as workflow

    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(w["plan"], "submit_local_dev", w["editor"], expected_state="revision")
    note = Notification.objects.get(user=w["secretary"])
    assert note.kind == Kind.COMMITTEE_WAITING and w["plan"].title_th in note.title


def test_a_returned_plan_notifies_the_owner_with_the_reason(committee_world, django_capture_on_commit_callbacks):
    w = committee_world
    with django_capture_on_commit_callbacks(execute=True):
        Transition.objects.create(plan=w["plan"], action="return_local_dev", from_state="local_dev",
                                  to_state="returned", from_status="submitted", to_status="returned",
                                  user=w["secretary"], committee=w["committee"], reason="ขาดตัวชี้วัดเชิงผลลัพธ์")
    note = Notification.objects.get(user=w["editor"], kind=Kind.RETURNED)
    assert "ขาดตัวชี้วัดเชิงผลลัพธ์" in note.body


def test_deadlines_are_notified_at_14_7_and_1_days_only(committee_world):
    w = committee_world
    today = date(2026, 5, 1)
    for days in (14, 7, 1, 3):
        due = today + timedelta(days=days)
        CalendarDeadline.objects.filter(plan_kind="lao_annual", step="revision").delete()
        CalendarDeadline.objects.create(plan_kind="lao_annual", step="revision", fiscal_year=fiscal_year(due),
                                        due_date=due)
        services.notify_deadlines(today)
    titles = list(Notification.objects.filter(user=w["editor"], kind=Kind.DEADLINE).values_list("title", flat=True))
    assert sorted(int(t.split()[1]) for t in titles) == [1, 7, 14]


def test_a_comment_notifies_the_planners_and_an_answer_notifies_followers(committee_world,
                                                                         django_capture_on_commit_callbacks):
    w = committee_world
    rnd = ConsultationRound.objects.create(plan=w["plan"], title="ประชาคม", opens_on=date(2026, 1, 1), status="open")
    follower = person(email="citizen-staff@example.go.th")
    closed = person(email="gone@example.go.th", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        comment = Comment.objects.create(round=rnd, text="ขอไฟส่องสว่าง")
    assert Notification.objects.filter(user=w["editor"], kind=Kind.COMMENT).exists()
    CommentFollow.objects.create(user=follower, comment=comment)
    CommentFollow.objects.create(user=closed, comment=comment)
    with django_capture_on_commit_callbacks(execute=True):
        Answer.objects.create(comment=comment, outcome="accepted", text="บรรจุในแผนแล้ว")
    assert Notification.objects.filter(user=follower, kind=Kind.ANSWER).exists()
    assert not Notification.objects.filter(user=closed).exists()


def test_clinic_center_reports_have_a_function_to_call(committee_world):
    w = committee_world
    assert services.notify_clinic_report(w["plan"].owner, "ขอคำปรึกษาการเขียนโครงการ", "/", key="r1") == 1
    assert services.notify_clinic_report(w["plan"].owner, "ขอคำปรึกษาการเขียนโครงการ", "/", key="r1",
                                         overdue=True) == 1
    assert Notification.objects.filter(user=w["editor"], kind=Kind.CLINIC).count() == 2


def test_a_new_framework_edition_notifies_owners_of_plans_linked_to_the_old_one(db):
    from oneplan.notifications import events
    from oneplan.plans.models import Link
    from oneplan.testing.factories import ElementFactory

    old = PlanFactory(framework="mx-fw", kind="master_plan", status="superseded", owner=None)
    new = PlanFactory(framework="mx-fw", kind="master_plan", status="in_force", owner=None, supersedes=old)
    target = ElementFactory(plan=old, kind="master_plan")
    plan = PlanFactory(status="draft")
    editor = editor_of(plan.owner)
    from oneplan.governance.locks import allow_published_changes

    with allow_published_changes():
        Link.objects.create(source=ElementFactory(plan=plan), target=target)
    assert events.framework_edition_loaded(new) == 1
    assert Notification.objects.get(user=editor).url == reverse("linkage:remap", args=[plan.pk])


def test_inbox_preferences_and_follow_pages(client, committee_world):
    w = committee_world
    client.force_login(w["editor"])
    services.notify(w["editor"], Kind.RETURNED, "MXTITLE", key="x")
    assert "MXTITLE" in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("notifications:inbox"))
    assert not Notification.objects.filter(user=w["editor"], read_at__isnull=True).exists()
    client.post(reverse("notifications:preferences"), {"kinds": [Kind.RETURNED], "email": "daily"})
    pref = services.preference(w["editor"])
    assert Kind.DEADLINE in pref.muted and Kind.RETURNED not in pref.muted and pref.email == "daily"
    rnd = ConsultationRound.objects.create(plan=w["plan"], title="ร่าง", opens_on=date(2026, 1, 1), status="planned")
    planned = Comment.objects.create(round=rnd, text="x")
    assert client.post(reverse("notifications:follow", args=[planned.pk])).status_code == 404


def test_a_failing_notification_never_breaks_the_workflow_step(committee_world, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    from oneplan.governance import services as workflow
    from oneplan.notifications import events

    def broken(step):
        raise RuntimeError("mail system down")

    monkeypatch.setattr(events, "transition_recorded", broken)
    w = committee_world
    with django_capture_on_commit_callbacks(execute=True):
        step = workflow.perform(w["plan"], "submit_local_dev", w["editor"], expected_state="revision")
    assert Transition.objects.filter(pk=step.pk).exists()


def test_a_notification_email_is_sent_by_the_task_worker_once_committed(db, settings,
                                                                        django_capture_on_commit_callbacks):
    from oneplan.jobs.models import Job

    settings.ONEPLAN_NOTIFICATIONS_IN_BACKGROUND = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user, Kind.RETURNED, "แผนถูกส่งคืนพร้อมเหตุผล", key="bg-1")
    job = Job.objects.get(dedupe_key="notifications:deliver")
    assert job.status == Job.DONE and "ส่งอีเมลแล้ว 1" in job.result_label
    assert OutboxEmail.objects.get(user=user).status == OutboxStatus.SENT
    assert len(mail.outbox) == 1 and "แผนถูกส่งคืนพร้อมเหตุผล" in mail.outbox[0].subject
