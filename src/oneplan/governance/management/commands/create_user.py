import getpass
import secrets
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from oneplan.organisations.models import Role

from ...accounts import create_user


class Command(BaseCommand):
    help = "สร้างบัญชีผู้ใช้ (หรือเพิ่มบทบาทให้ผู้ใช้เดิม) ในหน่วยงาน: oneplan create-user USERNAME --org KEY --role ROLE"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น phuket-kbj")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", nargs="?", const="", default=None,
                            help="รหัสผ่าน; ใส่ --password โดยไม่ระบุค่าเพื่อพิมพ์ (ไม่แสดงบนจอ)")

    def handle(self, username, org, role, password, **options):
        translation.activate(settings.LANGUAGE_CODE)  # password-rule messages in Thai
        if password == "":
            password = self._prompt()
        generated = False
        if password is None and not self._exists(username):
            password, generated = secrets.token_urlsafe(12), True
        try:
            user, _ = create_user(username, org, role, password)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {Role(role).label} ที่ {org}"))
        if generated:
            self.stdout.write(f"รหัสผ่านเริ่มต้น (ให้ผู้ใช้เปลี่ยนเมื่อเข้าสู่ระบบ): {password}")

    @staticmethod
    def _exists(username):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(username=username).exists()

    @staticmethod
    def _prompt():
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("รหัสผ่าน: ")
        if first != getpass.getpass("ยืนยันรหัสผ่าน: "):
            raise CommandError("รหัสผ่านสองครั้งไม่ตรงกัน")
        return first
