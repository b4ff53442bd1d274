from django.core.management.base import BaseCommand

from oneplan.clinic.services import purge_personal_data


class Command(BaseCommand):
    help = ("Erase reporters' names and phones (PDPA) of Clinic Center reports closed more than "
            "--days days ago (default 365).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, **options):
        n = purge_personal_data(options["days"])
        self.stdout.write(self.style.SUCCESS(f"ลบข้อมูลติดต่อผู้แจ้งของเรื่องที่ปิดแล้วเกิน {options['days']} วัน: {n} รายการ"))
