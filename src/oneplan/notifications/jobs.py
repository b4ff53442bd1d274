"""Sending the notification e-mails as a background job (oneplan.jobs, the task worker)."""
from oneplan.jobs.services import Outcome

from .services import deliver_pending


def deliver(job, progress) -> Outcome:
    counts = deliver_pending()
    progress(100)
    return Outcome(label=f"ส่งอีเมลแล้ว {counts['sent']} · ส่งไม่สำเร็จ (จะลองใหม่) {counts['failed']} · "
                         f"ข้าม {counts['skipped']}")
