from django.core.management.base import BaseCommand

from oneplan.areas.loader import load_areas
from oneplan.frameworks.loader import load_frameworks
from oneplan.governance.locks import allow_published_changes
from oneplan.organisations.loader import load_organisations
from oneplan.organisations.national import load_national_bodies


class Command(BaseCommand):
    help = "Load reference data: areas (geothai, regions, clusters), organisations and the national frameworks."

    def add_arguments(self, parser):
        parser.add_argument("--no-subdistricts", action="store_true", help="skip the 7,400 subdistricts")

    def handle(self, *args, **options):
        from pathlib import Path

        import oneplan.organisations

        self.stdout.write("กำลังโหลดพื้นที่ (ภาค กลุ่มจังหวัด จังหวัด อำเภอ ตำบล)…")
        counts = load_areas(with_subdistricts=not options["no_subdistricts"])
        self.stdout.write("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        n = load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
        self.stdout.write(f"กำลังโหลดหน่วยงานอ้างอิง… {n}")
        bodies = load_national_bodies()
        self.stdout.write(f"หน่วยงานระดับจังหวัด กลุ่มจังหวัด และอำเภอทั่วประเทศ: สร้างใหม่ {bodies['created']:,} "
                          f"มีอยู่แล้ว {bodies['kept']:,}")
        from oneplan.clinic.loader import load_categories

        self.stdout.write(f"หมวดปัญหาของศูนย์ Clinic Center: {load_categories()}")
        self.stdout.write("กำลังโหลดกรอบอ้างอิงระดับชาติ…")
        with allow_published_changes():  # frameworks are rewritten in place by the operator only
            load_frameworks(self.stdout)
        from oneplan.knowledge.guidance import load_reference as load_knowledge

        counts = load_knowledge()
        self.stdout.write(f"แนวทางการจัดทำแผน {counts['guidance']} ฉบับ · คลังตัวชี้วัด {counts['kpi_library']} ตัว")
        self.stdout.write(self.style.SUCCESS("โหลดข้อมูลอ้างอิงเรียบร้อย"))
