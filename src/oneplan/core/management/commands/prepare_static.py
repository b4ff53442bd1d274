"""collectstatic when the static files changed since the last run (their names, sizes and times are
fingerprinted into STATIC_ROOT), so a restart of `oneplan serve --production` starts at once."""
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

FINGERPRINT = ".oneplan-static-fingerprint"


def fingerprint() -> str:
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "collectstatic, only if the static files changed since it last ran"

    def handle(self, *args, **options):
        marker = Path(settings.STATIC_ROOT) / FINGERPRINT
        now = fingerprint()
        if marker.exists() and marker.read_text() == now:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text(now)
