from django.core.management.base import BaseCommand, CommandError

from oneplan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup archive (oneplan restore FILE)"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            manifest = restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"กู้คืนข้อมูลแล้ว: {sum(manifest['rows'].values()):,} แถว, "
                          f"ไฟล์แนบ {len(manifest['files']):,} ไฟล์ (สำรองเมื่อ {manifest['created']})")
