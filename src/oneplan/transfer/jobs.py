"""Large imports as background jobs (oneplan.jobs): a confirmed upload above
settings.ONEPLAN_IMPORT_WORKER_ROWS elements is written by the task worker, with a progress page.

The file waits in the shared storage (the web worker's temporary folder is not the task worker's) and
is read again by the worker, whose permission to write is asked again for the job's owner. The write is
services.commit, one transaction: a worker killed mid-import leaves nothing, and the re-run (reclaim.py)
imports the same file again, which updates rather than doubles (imports match by element code)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from oneplan.jobs.services import JobError, Outcome, start

from . import services

KIND = "oneplan.transfer.jobs.commit_upload"
# clean_data, then load_plan's three write passes (it does not check the clean data again): 4 ticks per element
TICKS_PER_ELEMENT = 4


def start_import(entry: dict, user):
    """Queue the commit of an upload waiting for confirmation (transfer.uploads)."""
    with open(entry["path"], "rb") as fh:
        stored = default_storage.save(f"jobs/imports/{Path(entry['path']).name}", File(fh))
    return start(KIND, f"นำเข้าไฟล์ {entry['name']}", owner=user, params={
        "path": stored, "name": entry["name"], "plan": entry.get("plan"), "owner": entry.get("owner"),
        "files": [stored]})


def commit_upload(job, progress) -> Outcome:
    from .rules import may_write  # the same rule as the confirm button
    from .views import REFUSED

    params = job.params
    progress(2, "กำลังอ่านไฟล์และตรวจทุกแถว")
    with tempfile.TemporaryDirectory(prefix="oneplan-job-") as folder:
        local = Path(folder) / Path(params["name"]).name
        try:
            with default_storage.open(params["path"], "rb") as src, open(local, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except FileNotFoundError:
            raise JobError(f"ไม่พบไฟล์ “{params['name']}” ที่รอนำเข้าแล้ว กรุณาอัปโหลดอีกครั้ง") from None
        result = services.read_file(local, plan=params.get("plan"), owner=params.get("owner"),
                                    filename=params["name"])
    if result.data is not None and not may_write(job.owner, result):
        raise JobError(REFUSED)
    elements = len((result.data or {}).get("elements") or [])
    progress(40, f"กำลังตรวจและบันทึก {elements:,} รายการ (บันทึกทั้งหมดหรือไม่บันทึกเลย)")
    result.budget = progress.ticks(40, 99, TICKS_PER_ELEMENT * elements, then=result.budget)
    counts = services.preview(result)  # the same counts as the confirm button's message
    report = services.commit(result)
    if report is None:
        raise JobError("นำเข้าไม่สำเร็จ ไม่มีการบันทึกข้อมูลใด ๆ: " + "; ".join(str(p) for p in result.errors[:5]))
    return Outcome(url=report.plan.get_absolute_url(),
                   label=f"นำเข้าเรียบร้อย: สร้าง {len(counts.created):,} แก้ไข {len(counts.updated):,} "
                         f"ลบ {len(counts.removed):,} คงเดิม {counts.unchanged:,} รายการ "
                         f"(เชื่อมโยง {report.links:,} รายการ) · เปิดแผน")
