from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from oneplan.demo.loader import ensure_demo_admin, load_demo
from oneplan.governance.locks import allow_published_changes


class Command(BaseCommand):
    help = ("Load the demo plans (Phuket, Songkhla, Ko Sichang, a Phuket LAO), then each feature app's demo "
            "data (AppConfig.demo_commands), and create the demo administrator.")

    def handle(self, *args, **options):
        # the operator's loader: demo plans are written already announced, and reloaded in place
        with allow_published_changes():
            self._load()

    def _load(self):
        self.stdout.write("กำลังโหลดแผนตัวอย่าง…")
        load_demo(self.stdout)
        for config in apps.get_app_configs():
            for command in getattr(config, "demo_commands", []):
                call_command(command, stdout=self.stdout)
        user, password = ensure_demo_admin()
        self.stdout.write(self.style.SUCCESS(
            f"ผู้ดูแลระบบตัวอย่าง / demo administrator: ชื่อผู้ใช้ {user.username}  รหัสผ่าน {password}"))
