"""`oneplan generate-province --lao 100 --agencies 50 --projects-per-plan 265`: a synthetic province
for scale tests (see oneplan.monitoring.generate)."""
import time

from django.core.management.base import BaseCommand

from oneplan.monitoring.generate import generate_province


class Command(BaseCommand):
    help = "สร้างข้อมูลจังหวัดจำลอง (อบจ. 1 แห่ง อปท. และหน่วยงาน พร้อมโครงการและงบประมาณ 5 ปี) สำหรับทดสอบขนาดใหญ่"

    def add_arguments(self, parser):
        parser.add_argument("--province", default="30", help="รหัสจังหวัด (ค่าเริ่มต้น 30 นครราชสีมา)")
        parser.add_argument("--lao", type=int, default=100)
        parser.add_argument("--agencies", type=int, default=50)
        parser.add_argument("--projects-per-plan", type=int, default=265)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--drafts", action="store_true",
                            help="ให้ทุกแผนมีฉบับร่างที่กำลังทบทวน (ฉบับที่สอง) ด้วย")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        result = generate_province(opts["province"], opts["lao"], opts["agencies"], opts["projects_per_plan"],
                                   opts["seed"], drafts=opts["drafts"])
        self.stdout.write(f"สร้างหน่วยงาน {result.organisations} แห่ง แผน {result.plans} แผน "
                          f"โครงการ {result.projects:,} โครงการ งบประมาณ {result.budget_lines:,} รายการ "
                          f"(โครงการซ้ำที่ฝังไว้ {result.planted_duplicates}) ใน {time.perf_counter() - started:.1f} วินาที")
