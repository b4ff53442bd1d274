from django.core.management.base import BaseCommand

from oneplan.notifications.services import deliver_pending, notify_deadlines


class Command(BaseCommand):
    help = "Notify calendar deadlines (14/7/1 days) and send the pending notification e-mails (retrying failed ones)."

    def add_arguments(self, parser):
        parser.add_argument("--no-deadlines", action="store_true", help="only send what is waiting")

    def handle(self, *args, **options):
        if not options["no_deadlines"]:
            self.stdout.write(f"แจ้งเตือนกำหนดการตามปฏิทิน: {notify_deadlines()} รายการ")
            from oneplan.clinic.services import notify_overdue

            self.stdout.write(f"เรื่องจาก Clinic Center ที่เกินกำหนด: {notify_overdue()} เรื่อง")
        counts = deliver_pending()
        self.stdout.write(f"ส่งอีเมลแล้ว {counts['sent']} · ส่งไม่สำเร็จ (จะลองใหม่) {counts['failed']} · "
                          f"ข้ามบัญชีที่ปิดใช้งาน/ไม่มีอีเมล {counts['skipped']}")
