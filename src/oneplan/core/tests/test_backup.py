"""oneplan backup / restore: a round trip gives back every row of every table and every uploaded file;
a broken archive changes nothing."""
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from oneplan.core.backup import _models
from oneplan.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def everything() -> dict:
    tables = {m._meta.label: sorted(m._base_manager.values_list(), key=repr) for m in _models()}
    files = {}
    from oneplan.core.backup import _files

    for name in _files():
        with default_storage.open(name, "rb") as fh:
            files[name] = fh.read()
    return {"tables": tables, "files": files}


def test_a_round_trip_gives_back_every_table_and_file(tmp_path):
    default_storage.save("governance/transitions/2569/รายงานการประชุม.pdf", ContentFile(b"%PDF-1.4 minutes"))
    before = everything()
    archive = tmp_path / "oneplan.tar.gz"
    call_command("backup", str(archive))
    # lose things: a whole plan, an uploaded file, and add a stray one
    from oneplan.governance.locks import allow_published_changes

    with allow_published_changes():
        Plan.objects.filter(key="choeng-thale-local-2566-2570").delete()
    default_storage.delete("governance/transitions/2569/รายงานการประชุม.pdf")
    default_storage.save("stray.txt", ContentFile(b"x"))
    call_command("restore", str(archive))
    after = everything()
    assert after["files"] == before["files"]
    for label, rows in before["tables"].items():
        changed = [[(x, y) for x, y in zip(a, b, strict=False) if x != y] for a, b in zip(rows, after["tables"][label], strict=False) if a != b][:1]
        assert (len(after["tables"][label]), changed) == (len(rows), []), label
    assert apps.get_model("plans", "Plan").objects.filter(key="choeng-thale-local-2566-2570").exists()


@pytest.mark.parametrize("content, fragment", [(b"not an archive", "อ่านไฟล์สำรองข้อมูลไม่ได้"),
                                               (None, "อ่านไฟล์สำรองข้อมูลไม่ได้")])
def test_a_broken_archive_is_refused_and_changes_nothing(tmp_path, content, fragment):
    archive = tmp_path / "broken.tar.gz"
    if content is not None:
        archive.write_bytes(content)
    count = Plan.objects.count()
    with pytest.raises(CommandError, match=fragment):
        call_command("restore", str(archive))
    assert Plan.objects.count() == count


def test_a_truncated_archive_is_refused(tmp_path):
    archive = tmp_path / "oneplan.tar.gz"
    call_command("backup", str(archive))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    count = Plan.objects.count()
    with pytest.raises(CommandError):
        call_command("restore", str(archive))
    assert Plan.objects.count() == count
