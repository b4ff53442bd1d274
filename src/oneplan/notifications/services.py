"""Who hears about what, and the outbox that sends it.

`notify()` writes one in-app notification per person and event (and an outbox row when the person
wants e-mail); `deliver_pending()` sends what is due. The lead wires `deliver_pending` (and
`notify_deadlines`) into the background worker; until then `oneplan send-notifications` runs both.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from oneplan.core.thai import format_date

from .models import EmailMode, Kind, Notification, OutboxEmail, OutboxStatus, Preference

log = logging.getLogger(__name__)
DEADLINE_DAYS = (14, 7, 1)
DIGEST_HOUR = 7                       # the daily digest leaves at 07:00 local time
MAX_BACKOFF = timedelta(hours=6)
FIRST_BACKOFF = timedelta(minutes=5)


def preference(user) -> Preference:
    return Preference.objects.get_or_create(user=user)[0]


def notify(user, kind: str, title: str, *, key: str, body: str = "", url: str = "") -> Notification | None:
    """One notification for one person; None if the account is closed, the person turned the kind
    off, or the same event was already notified (`key`)."""
    if user is None or not user.is_active:
        return None
    pref = preference(user)
    if not pref.wants(kind):
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, kind=kind, title=title[:300], body=body, url=url,
                                               key=key[:200])
    except IntegrityError:
        return None  # already told
    if pref.email != EmailMode.NONE:
        daily = pref.email == EmailMode.DAILY
        OutboxEmail.objects.create(user=user, notification=note, digest=daily,
                                   next_attempt_at=next_digest_time() if daily else timezone.now())
        if not daily:
            send_in_background()
    return note


def send_in_background() -> None:
    """Once the notification is committed, the task worker sends what is due (one job at a time: a
    second request while one waits is the same job). A send that fails stays in the outbox with its next
    attempt time; `oneplan send-notifications`, run daily, also sends digests and retries."""
    from django.conf import settings

    if not getattr(settings, "ONEPLAN_NOTIFICATIONS_IN_BACKGROUND", True):
        return

    def queue():
        from oneplan.jobs.services import start

        start("oneplan.notifications.jobs.deliver", "ส่งอีเมลแจ้งเตือน", dedupe_key="notifications:deliver")
    transaction.on_commit(queue)


def notify_many(users, kind: str, title: str, *, key: str, body: str = "", url: str = "") -> int:
    return sum(notify(u, kind, title, key=key, body=body, url=url) is not None for u in set(users))


def members(organisation_ids, roles) -> list:
    """Active accounts with one of `roles` in these organisations."""
    return list(get_user_model().objects.filter(
        memberships__organisation_id__in=list(organisation_ids), memberships__role__in=list(roles),
        is_active=True).distinct())


def next_digest_time(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(datetime.combine(now.date(), time(DIGEST_HOUR)), now.tzinfo)
    return at if at > now else at + timedelta(days=1)


# --- events the lead and other apps call -------------------------------------------------------

def notify_clinic_report(organisation, title: str, url: str, *, key: str, overdue: bool = False) -> int:
    """Clinic Center: a report assigned to `organisation` (or overdue). Its editors and approvers hear."""
    heading = f"{'เกินกำหนด: ' if overdue else ''}เรื่องจาก Clinic Center: {title}"
    return notify_many(members([organisation.pk], ("editor", "approver")), Kind.CLINIC, heading,
                       key=f"clinic:{key}:{'overdue' if overdue else 'new'}", url=url)


def notify_deadlines(today: date | None = None) -> int:
    """Plans still in a calendar step whose due date is 14, 7 or 1 days away: the owner's editors hear."""
    from oneplan.governance.models import CalendarDeadline
    from oneplan.governance.workflow import current_state, workflow_for
    from oneplan.plans.editions import DONE_STATUSES
    from oneplan.plans.models import Plan

    today = today or timezone.localdate()
    sent = 0
    due = CalendarDeadline.objects.filter(due_date__in=[today + timedelta(days=d) for d in DEADLINE_DAYS])
    for deadline in due:
        days = (deadline.due_date - today).days
        plans = Plan.objects.filter(kind=deadline.plan_kind, framework="").exclude(
            status__in=DONE_STATUSES).select_related("owner")
        for plan in plans:
            flow = workflow_for(plan)
            if flow is None or current_state(plan, flow).code != deadline.step or not plan.owner_id:
                continue
            title = (f"อีก {days} วันถึงกำหนด “{deadline.get_step_display()}” ({format_date(deadline.due_date)}): "
                     f"{plan.title_th[:150]}")
            sent += notify_many(members([plan.owner_id], ("editor", "approver")), Kind.DEADLINE, title,
                                key=f"deadline:{deadline.pk}:{plan.pk}:{days}", url=plan.get_absolute_url())
    return sent


# --- the outbox ----------------------------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """5, 10, 20, 40 … minutes, at most six hours: a server that is down is not hammered."""
    return min(FIRST_BACKOFF * (2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)  # 2**10 × 5 min > the cap


def deliver_pending(now: datetime | None = None) -> dict:
    """Send every due e-mail. A refused send (SMTP error, connection refused) leaves the rows pending
    with the next try later; closed accounts and accounts without an address are skipped (kept, marked)."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    due = list(OutboxEmail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
               .select_related("user", "notification").order_by("user_id", "id"))
    batches: dict[tuple[int, bool], list[OutboxEmail]] = {}
    for item in due:
        batches.setdefault((item.user_id, item.digest), []).append(item)
    for (_user_id, digest), items in batches.items():
        groups = [items] if digest else [[i] for i in items]
        for group in groups:
            counts[_send(group, now)] += len(group)
    return counts


def _send(items: list[OutboxEmail], now: datetime) -> str:
    user = items[0].user
    ids = [i.pk for i in items]
    rows = OutboxEmail.objects.filter(pk__in=ids)
    if not user.is_active or not user.email:
        rows.update(status=OutboxStatus.SKIPPED, last_error="บัญชีถูกปิดใช้งานหรือไม่มีอีเมล")
        return "skipped"
    subject, body = _message(items)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        attempts = max(i.attempts for i in items) + 1
        log.warning("notification e-mail to user %s refused (attempt %s): %s", user.pk, attempts, exc)
        rows.update(attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=str(exc)[:500])
        return "failed"
    rows.update(status=OutboxStatus.SENT, sent_at=now, attempts=max(i.attempts for i in items) + 1,
                last_error="")
    return "sent"


def _message(items: list[OutboxEmail]) -> tuple[str, str]:
    site = getattr(settings, "ONEPLAN_SITE_URL", "").rstrip("/")
    notes = [i.notification for i in items if i.notification is not None]
    lines = []
    for n in notes:
        lines.append(f"- {n.title}")
        if n.body:
            lines.append(f"  {n.body}")
        if n.url:
            lines.append(f"  {site}{n.url}")
    body = "\n".join(lines) + "\n\nตั้งค่าการแจ้งเตือนได้ที่หน้า “การแจ้งเตือน” ในระบบ OnePlan\n"
    if len(items) > 1 or items[0].digest:
        return f"OnePlan: สรุปการแจ้งเตือนประจำวัน ({len(notes)} รายการ)", body
    return f"OnePlan: {notes[0].title[:150] if notes else 'การแจ้งเตือน'}", body
