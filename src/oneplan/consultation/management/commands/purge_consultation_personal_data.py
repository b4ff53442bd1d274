from django.core.management.base import BaseCommand

from oneplan.consultation.services import purge_personal_data


class Command(BaseCommand):
    help = ("Erase participants' names, organisations, districts and origin hashes from consultation rounds "
            "closed longer than CONSULTATION_RETENTION_DAYS (default 365) ago (PDPA).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="retention period in days")

    def handle(self, *args, **options):
        count = purge_personal_data(retention_days=options["days"])
        self.stdout.write(self.style.SUCCESS(f"ลบข้อมูลส่วนบุคคลของความคิดเห็น {count} รายการแล้ว"))
