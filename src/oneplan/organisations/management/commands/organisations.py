from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oneplan.organisations import exports


class Command(BaseCommand):
    help = "Organisations as open data: oneplan organisations export --format csv|json [--output FILE]"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export"])
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output")

    def handle(self, *args, action, format, output, **options):
        text = exports.as_csv() if format == "csv" else exports.as_json()
        if not output:
            self.stdout.write(text)
            return
        try:
            Path(output).write_text(text, "utf-8")
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {exc.strerror}") from None
        self.stdout.write(f"ส่งออกหน่วยงาน {text.count(chr(10)) - (1 if format == 'csv' else 0):,} รายการ → {output}")
