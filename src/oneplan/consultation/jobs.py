"""The round report as PDF, made by the worker (oneplan.jobs.results), as the person who asked."""
from oneplan.core.pdf import render_pdf
from oneplan.jobs.results import acting_user, file_outcome
from oneplan.jobs.services import JobError, Outcome

from . import report
from .models import ConsultationRound
from .rules import may_see_round


def report_pdf(job, progress) -> Outcome:
    round_ = ConsultationRound.objects.select_related("plan__owner", "plan__area").filter(
        pk=job.params["round"]).first()
    if round_ is None or not may_see_round(acting_user(job), round_):
        raise JobError("ไม่พบรอบการรับฟังความคิดเห็นนี้แล้ว หรือคุณไม่มีสิทธิ์ดูรอบนี้แล้ว จึงสร้างรายงานไม่ได้")
    progress(10, "กำลังรวบรวมความคิดเห็นและคำตอบ")
    data = report.build(round_)
    progress(40, "กำลังสร้างไฟล์ PDF")
    return file_outcome(job, f"consultation-report-{round_.pk}.pdf", render_pdf("consultation/report_pdf.html", data),
                        "เปิดไฟล์ PDF รายงานผลการรับฟังความคิดเห็น")
