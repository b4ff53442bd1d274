"""Re-mapping links when a framework edition is superseded (แผนแม่บทฉบับปรับปรุง).

A plan linked to the 2561 master plans keeps those links when the 2566 edition comes into force: they
still say what the plan was written against. The re-map queue offers, for each such link, the element
of the edition in force that replaces its target (same code, else the closest text — see
checks.successor_element) and changes nothing until an editor of the plan accepts it; "keep" records
that the old link stays on purpose, so it is not offered again.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from oneplan.plans.models import Element, Link, PlanStatus

from .checks import successor_element
from .models import KeptLink


@dataclass
class Proposal:
    link: Link
    replacement: Element | None

    @property
    def reason(self) -> str:
        if self.replacement is None:
            return "ไม่พบองค์ประกอบที่ตรงกันในฉบับที่ใช้บังคับ: เลือกเชื่อมโยงใหม่ด้วยตนเอง"
        if self.replacement.code == self.link.target.code:
            return "รหัสเดียวกันในฉบับที่ใช้บังคับ"
        return "ข้อความใกล้เคียงที่สุดในฉบับที่ใช้บังคับ"


def queue(plan) -> list[Proposal]:
    """The plan's links to superseded framework editions, not kept on purpose, with a proposal each."""
    kept = set(KeptLink.objects.filter(source__plan=plan).values_list("source_id", "target_id"))
    links = (Link.objects.filter(source__plan=plan, target__plan__status=PlanStatus.SUPERSEDED)
             .exclude(target__plan__framework="").select_related("source", "target__plan")
             .order_by("source__order", "source_id", "target__code"))
    return [Proposal(link, successor_element(link.target)) for link in links
            if (link.source_id, link.target_id) not in kept]


@transaction.atomic
def accept(link: Link, replacement: Element, user) -> Link:
    """Point the link at the replacement (one link, moved; the note says where it came from)."""
    note = f"ปรับจาก {link.target.plan.title_th[:80]} {link.target.code}"[:300]
    new, _created = Link.objects.get_or_create(source=link.source, target=replacement,
                                               defaults={"created_by": user, "note": note})
    link.delete()
    return new


def keep(link: Link, user) -> None:
    KeptLink.objects.get_or_create(source=link.source, target=link.target, defaults={"kept_by": user})
