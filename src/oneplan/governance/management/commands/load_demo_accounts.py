from django.core.management.base import BaseCommand

from ...accounts import load_demo_accounts


class Command(BaseCommand):
    help = "บัญชีผู้ใช้ตัวอย่างพร้อมบทบาท (เรียกหลัง load-demo): ผู้จัดทำแผน เลขานุการ ก.บ.จ. ผู้ดูแล ฯลฯ"

    def handle(self, **options):
        n = load_demo_accounts()
        self.stdout.write(self.style.SUCCESS(f"บัญชีตัวอย่าง {n} บัญชี (รหัสผ่านใน governance/data/demo_accounts.json)"))
