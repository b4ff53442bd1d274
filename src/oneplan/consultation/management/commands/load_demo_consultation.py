from django.core.management.base import BaseCommand

from oneplan.consultation.demo import load_demo_consultation


class Command(BaseCommand):
    help = "Load the demo hearings, consultation rounds, comments and answers written from the seed articles."

    def handle(self, *args, **options):
        self.stdout.write("กำลังโหลดเวทีรับฟังความคิดเห็นตัวอย่าง…")
        load_demo_consultation(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("เสร็จแล้ว"))
