"""Cursor pages: `next` is an opaque cursor (the last row's id, signed), stable while rows are added."""
from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from ninja.errors import HttpError

MAX_LIMIT = 500
_signer = signing.Signer(salt="oneplan.api.cursor")


@dataclass
class Page:
    items: list
    next: str | None


def paginate(qs, cursor: str, limit: int, render) -> dict:
    if not 1 <= limit <= MAX_LIMIT:
        raise HttpError(400, f"limit: ต้องอยู่ระหว่าง 1 ถึง {MAX_LIMIT}")
    qs = qs.order_by("pk")
    if cursor:
        try:
            after = int(_signer.unsign(cursor))
        except (signing.BadSignature, ValueError):
            raise HttpError(400, "cursor: ไม่ถูกต้อง (ใช้ค่า next จากหน้าก่อนหน้าเท่านั้น)") from None
        qs = qs.filter(pk__gt=after)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [render(r) for r in rows], "next": _signer.sign(str(rows[-1].pk)) if more else None}
