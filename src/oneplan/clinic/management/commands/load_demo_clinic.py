from django.core.management.base import BaseCommand

from oneplan.clinic.demo import load_demo_clinic


class Command(BaseCommand):
    help = "Load the Clinic Center's demo reports in Phuket and the desk's demo account (demo-clinic)."

    def handle(self, *args, **options):
        self.stdout.write("กำลังโหลดเรื่องแจ้งปัญหาตัวอย่าง…")
        load_demo_clinic(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("เสร็จแล้ว"))
