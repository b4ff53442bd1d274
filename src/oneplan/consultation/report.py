"""The consultation report (ผลการรับฟังความคิดเห็น): participants by sector, comments by element and
issue with their answers, and the changes made. One context feeds the page, the PDF and Excel."""
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from oneplan.core import excel

from . import grouping
from .models import Attendance, Comment, CommentSource, ConsultationRound, Outcome, Sector


@dataclass
class SectorRow:
    label: str
    attendance: int
    online: int
    comments: int

    @property
    def total(self) -> int:
        return self.attendance + self.online


def public_comments(round_: ConsultationRound):
    return (round_.comments.filter(hidden=False)
            .select_related("element", "answer__element", "district", "group")
            .order_by("created_at", "id"))


def participants_by_sector(round_: ConsultationRound) -> list[SectorRow]:
    """Hearing attendance (counted at the door) and online participants (distinct browsers or
    addresses that commented), per sector."""
    attendance = dict(Attendance.objects.filter(event__round=round_).values_list("sector")
                      .annotate(n=Sum("count")).values_list("sector", "n"))
    online = round_.comments.filter(source=CommentSource.ONLINE, hidden=False)
    people: dict[str, set] = {}
    comments = Counter()
    for sector, origin, pk in online.values_list("sector", "origin_hash", "pk"):
        people.setdefault(sector, set()).add(origin or f"c{pk}")
        comments[sector] += 1
    return [SectorRow(str(s.label), attendance.get(s.value, 0), len(people.get(s.value, ())), comments[s.value])
            for s in Sector]


def build(round_: ConsultationRound) -> dict:
    comments = list(public_comments(round_))
    answered = [c for c in comments if hasattr(c, "answer")]
    outcome_counts = Counter(c.answer.outcome for c in answered)
    sectors = participants_by_sector(round_)
    return {
        "round": round_, "plan": round_.plan, "generated_at": timezone.now(),
        "events": round_.events.prefetch_related("attendance", "groups", "agenda").order_by("starts_on"),
        "sectors": sectors,
        "sector_totals": SectorRow("", sum(r.attendance for r in sectors), sum(r.online for r in sectors),
                                   sum(r.comments for r in sectors)),
        "groups": grouping.by_element(comments, round_.plan),
        "comment_count": len(comments), "answered_count": len(answered),
        "outcomes": [(str(o.label), outcome_counts.get(o.value, 0)) for o in Outcome],
        "changes": [c for c in answered if c.answer.outcome in (Outcome.ACCEPTED, Outcome.PARTLY)],
        "hidden_count": round_.comments.filter(hidden=True).count(),
    }


def answer_summary(comment: Comment) -> str:
    answer = getattr(comment, "answer", None)
    if answer is None:
        return "รอคำตอบ"
    parts = [answer.get_outcome_display()]
    if answer.element_id:
        parts.append(f"({answer.element.code} {answer.element.title_th[:80]})")
    if answer.text:
        parts.append(f"— {answer.text}")
    if answer.referred_to:
        parts.append(f"ส่งต่อ: {answer.referred_to}")
    return " ".join(parts)


def workbook(ctx: dict):
    """The report as an Excel workbook: one sheet of participants, one of comments and answers."""
    round_ = ctx["round"]
    wb = excel.new_workbook()
    ws = wb.create_sheet("ผู้เข้าร่วม")
    row = excel.write_title(ws, 1, f"ผลการรับฟังความคิดเห็น: {round_.title}", 5)
    row = excel.write_title(ws, row, round_.plan.title_th, 5)
    row = excel.write_header(ws, row + 1, ["ภาคส่วน", "เข้าร่วมเวที (คน)", "ออนไลน์ (คน)", "ความคิดเห็นออนไลน์",
                                           "รวมผู้เข้าร่วม (คน)"], [30, 16, 16, 18, 18])
    for r in [*ctx["sectors"], ctx["sector_totals"]]:
        row = excel.write_row(ws, row, [r.label or "รวม", r.attendance, r.online, r.comments, r.total])
    ws = wb.create_sheet("ความคิดเห็นและคำตอบ")
    row = excel.write_header(ws, 1, ["ประเด็นยุทธศาสตร์", "องค์ประกอบ", "ภาคส่วน", "ประเภท", "ความคิดเห็น",
                                     "ผลการพิจารณา", "การแก้ไขแผน"], [30, 30, 16, 14, 60, 40, 40])
    for group in ctx["groups"]:
        for c in group.comments:
            element = c.element_label or "ทั้งแผน"  # as the commenter read it
            text = f"{c.project_title}: {c.text}" if c.project_title else c.text
            change = c.answer.change_made if hasattr(c, "answer") else ""
            row = excel.write_row(ws, row, [group.label, element, c.sector_label, c.get_kind_display(), text,
                                            answer_summary(c), change])
    return wb
