"""What a hostile file may cost: a time budget for the whole import (ONEPLAN_IMPORT_SECONDS), and the
sizes beyond which a workbook or document is refused before it is parsed (zip bombs, a stray cell at
XFD1048576, a paragraph of a million characters)."""
from __future__ import annotations

import time
import zipfile

from django.conf import settings

from .problems import ImportRefused

MAX_ROWS = 50_000              # a ผ.02 of 10,000 projects has about 30,000 rows
MAX_COLUMNS = 200              # the forms use about 20
MAX_PARAGRAPH = 20_000         # characters in one paragraph of a text import
MAX_UNZIPPED = 300 * 1024 * 1024   # what an .xlsx/.docx may expand to
MAX_ZIP_ENTRIES = 10_000


def import_seconds() -> float:
    return float(getattr(settings, "ONEPLAN_IMPORT_SECONDS", 600))


class ImportTimeout(ImportRefused):
    pass


class TimeBudget:
    """Called in every loop of an import; past the deadline it raises ImportTimeout, which ends the
    import with a Thai message (inside load_plan the transaction rolls back, so nothing is written)."""

    def __init__(self, seconds: float | None = None):
        self.seconds = import_seconds() if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def __call__(self):
        if time.monotonic() >= self.deadline:
            raise ImportTimeout(f"การนำเข้าใช้เวลาเกิน {self.seconds:,.0f} วินาที จึงหยุดโดยไม่บันทึกข้อมูลใด ๆ: "
                                "ไฟล์อาจใหญ่หรือซับซ้อนเกินไป กรุณาแบ่งไฟล์ (เช่น แยกตามยุทธศาสตร์) แล้วนำเข้าทีละไฟล์")


def check_zip(fh, what: str):
    """Refuse an .xlsx/.docx whose parts would expand far beyond any real plan (a zip bomb, a huge
    shared-strings part) before a byte of it is decompressed. Declared sizes are what zipfile enforces
    (a part longer than declared fails its CRC check)."""
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(f"ไฟล์{what}เสียหายหรือไม่สมบูรณ์ เปิดอ่านไม่ได้ กรุณาเปิดในโปรแกรมแล้วบันทึกใหม่") from None
    finally:
        fh.seek(0)
    total = sum(e.file_size for e in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNZIPPED:
        raise ImportRefused(f"ไฟล์{what}นี้เมื่อแตกออกมีขนาด {total / 1024 / 1024:,.0f} MB ({len(entries):,} ส่วน) "
                            f"ใหญ่ผิดปกติ (รับได้ไม่เกิน {MAX_UNZIPPED // 1024 // 1024} MB) จึงไม่เปิดอ่าน "
                            "กรุณาตรวจสอบไฟล์ หรือแบ่งเป็นหลายไฟล์")
