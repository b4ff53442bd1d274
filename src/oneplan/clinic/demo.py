"""Demo reports in Phuket (`oneplan load-demo` runs load_demo_clinic), and the desk's demo account:
demo-clinic, moderator of the Phuket PAO (its Clinic Center). Reloading replaces the demo reports."""
from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from oneplan.areas.models import Area
from oneplan.organisations.models import Organisation

from . import services
from .models import Category, EventKind, Report

DEMO = "demo"
DESK_USER = ("demo-clinic", "phuket-pao", "moderator")
PASSWORD = "oneplan-demo-2569"  # the demo accounts' password (governance/data/demo_accounts.json)

# (category, subdistrict, village, text, lat, lng, days ago, steps)
REPORTS = [
    ("street-light", "830303", "หน้าโรงเรียนบ้านเชิงทะเล", "ไฟถนนดับ 3 ต้นติดกัน กลางคืนมืดมาก เด็กนักเรียนเดินกลับบ้านอันตราย",
     "7.995100", "98.302400", 2, ["accepted", "in_progress"]),
    ("waste", "830303", "ซอยบ้านดอน", "ขยะไม่มีการเก็บมาหนึ่งสัปดาห์ ส่งกลิ่นเหม็นและมีสุนัขคุ้ยเขี่ย",
     None, None, 9, ["accepted", "done", "confirmed"]),
    ("drainage", "830303", "ถนนบ้านมอญ", "ท่อระบายน้ำอุดตัน ฝนตกแล้วน้ำท่วมถนนทุกครั้ง",
     "7.990300", "98.298100", 30, []),
    ("flooding", "830101", "ถนนเทพกษัตรีย์", "น้ำท่วมขังหน้าตลาดหลังฝนตกหนัก รถเล็กผ่านไม่ได้", None, None, 1, []),
    ("tourism", "830303", "หาดบางเทา", "ป้ายบอกทางไปชายหาดล้มและข้อมูลจุดอันตรายคลื่นแรงไม่มีภาษาอังกฤษ",
     "7.999800", "98.292000", 4, ["accepted"]),
    ("street-light", "830303", "หน้าโรงเรียนบ้านเชิงทะเล", "ไฟฟ้าส่องสว่างหน้าโรงเรียนดับหลายต้น มืดมาก",
     "7.995300", "98.302600", 1, []),
]


def _photo(colour=(90, 140, 90)) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="demo.jpg")


def ensure_desk_user():
    from oneplan.governance.accounts import create_user

    username, org, role = DESK_USER
    return create_user(username, org, role, password=PASSWORD, first_name="เจ้าหน้าที่ศูนย์ Clinic Center",
                       last_name="อบจ.ภูเก็ต")[0]


@transaction.atomic
def load_demo_clinic(stdout=None) -> int:
    if not Organisation.objects.filter(key=DESK_USER[1]).exists() or not Category.objects.exists():
        return 0  # needs load-reference and the demo organisations
    desk_user = ensure_desk_user()
    Report.objects.filter(source_detail=DEMO).delete()
    now = timezone.now()
    for code, sub, village, text, lat, lng, days, steps in REPORTS:
        category = Category.objects.get(code=code)
        report = services.create_report(services.NewReport(
            category=category, text=text, area=Area.objects.get(code=sub), village=village, lat=lat, lng=lng,
            source_detail=DEMO))
        created = now - timedelta(days=days)
        Report.objects.filter(pk=report.pk).update(created_at=created, due_date=Report.due_from(category, created))
        report.events.update(at=created)
        for step in steps:
            if step == "confirmed":
                services.reporter_step(report, EventKind.CONFIRMED, note="ขอบคุณครับ เก็บเรียบร้อยแล้ว")
                continue
            services.take_step(report, step, user=desk_user, organisation=report.responsible,
                               note="ดำเนินการแล้ว" if step == "done" else "",
                               photos=[_photo()] if step == "done" else [])
    if stdout:
        stdout.write(f"  เรื่องแจ้งปัญหาตัวอย่าง (Clinic Center): {len(REPORTS)} เรื่อง, "
                     f"บัญชีศูนย์ฯ {desk_user.username}")
    return len(REPORTS)
