"""One archive holds the whole system: every table (Django's serialised form) and every uploaded file
(through the storage API, so an object store works the same), with a manifest of row counts and file
checksums. Restoring checks the archive first, then replaces the database inside one transaction:
a broken archive changes nothing."""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
from datetime import UTC, date, datetime, time

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

FORMAT = "oneplan-backup/1"


class BackupError(Exception):
    pass


class ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (datetime, date, time)):
            return o.isoformat()
        return super().default(o)


def _models():
    # every concrete model, parents before children is not needed: loaddata defers constraint checks
    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]


def _files(path: str = "") -> list[str]:
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}/{f}".lstrip("/") for f in files]
    for d in dirs:
        found += _files(f"{path}/{d}".lstrip("/"))
    return sorted(found)


def _add(tar: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def backup(path) -> dict:
    """Write the archive; returns the manifest."""
    models = _models()
    rows = serializers.serialize("python", (obj for m in models for obj in m._base_manager.order_by("pk")))
    data = json.dumps(rows, cls=ExactEncoder, ensure_ascii=False)
    files = _files()
    manifest = {"format": FORMAT, "created": datetime.now(UTC).isoformat(),
                "rows": {m._meta.label: m._base_manager.count() for m in models}, "files": {}}
    with tarfile.open(path, "w:gz") as tar:
        _add(tar, "database.json", data.encode())
        for name in files:
            with default_storage.open(name, "rb") as fh:
                content = fh.read()
            manifest["files"][name] = hashlib.sha256(content).hexdigest()
            _add(tar, f"media/{name}", content)
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def _read(path) -> tuple[dict, str, dict[str, bytes]]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            if "manifest.json" not in members or "database.json" not in members:
                raise BackupError("ไฟล์นี้ไม่ใช่ไฟล์สำรองข้อมูลของ OnePlan (ไม่มี manifest.json หรือ database.json)")
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
            database = tar.extractfile(members["database.json"]).read().decode()
            files = {n[len("media/"):]: tar.extractfile(m).read() for n, m in members.items() if n.startswith("media/")}
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"อ่านไฟล์สำรองข้อมูลไม่ได้: ไฟล์เสียหายหรือไม่ครบ ({exc.__class__.__name__})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"รูปแบบไฟล์สำรองข้อมูลไม่รองรับ: {manifest.get('format')!r} (ต้องเป็น {FORMAT})")
    for name, digest in manifest.get("files", {}).items():
        if hashlib.sha256(files.get(name, b"")).hexdigest() != digest:
            raise BackupError(f"ไฟล์แนบ “{name}” ในไฟล์สำรองข้อมูลไม่ตรงกับที่บันทึกไว้ (เสียหาย)")
    return manifest, database, files


def restore(path) -> dict:
    """Replace the database and the uploaded files with the archive's."""
    manifest, database, files = _read(path)
    try:
        objects = list(serializers.deserialize("python", json.loads(database)))
    except Exception as exc:  # a row the models cannot take: refuse before touching anything
        raise BackupError(f"ข้อมูลในไฟล์สำรองไม่ตรงกับโครงสร้างฐานข้อมูลนี้: {exc.__class__.__name__}") from None
    with transaction.atomic():
        # PostgreSQL will not TRUNCATE a table with foreign-key checks still pending in this transaction:
        # run them now, empty the tables, then defer them again while rows arrive in any order
        _constraints("IMMEDIATE")
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        _constraints("DEFERRED")
        for obj in objects:
            obj.save()  # raw save: no signals, no audit entries, the rows exactly as they were
        _reset_sequences()
    for name in _files():
        default_storage.delete(name)
    for name, content in files.items():
        default_storage.save(name, ContentFile(content))
    return manifest


def _constraints(mode: str):
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _reset_sequences():
    from django.core.management.color import no_style
    from django.db import connection

    sql = connection.ops.sequence_reset_sql(no_style(), _models())
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
