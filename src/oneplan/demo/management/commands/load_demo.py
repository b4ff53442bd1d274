from django.core.management.base import BaseCommand

from oneplan.demo.loader import ensure_demo_admin, load_demo


class Command(BaseCommand):
    help = "Load the demo plans (Phuket, Songkhla, Ko Sichang, a Phuket LAO) and create the demo administrator."

    def handle(self, *args, **options):
        self.stdout.write("กำลังโหลดแผนตัวอย่าง…")
        load_demo(self.stdout)
        user, password = ensure_demo_admin()
        self.stdout.write(self.style.SUCCESS(
            f"ผู้ดูแลระบบตัวอย่าง / demo administrator: ชื่อผู้ใช้ {user.username}  รหัสผ่าน {password}"))
