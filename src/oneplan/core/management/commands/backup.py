from django.core.management.base import BaseCommand

from oneplan.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (oneplan backup FILE)"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        manifest = backup(file)
        self.stdout.write(f"สำรองข้อมูลแล้ว: {sum(manifest['rows'].values()):,} แถว, "
                          f"ไฟล์แนบ {len(manifest['files']):,} ไฟล์ → {file}")
