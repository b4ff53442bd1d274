"""Photos people send: checked (size, real image type, pixel count against decompression bombs) and
re-encoded by Pillow, so what is stored and shown carries no EXIF / GPS / maker metadata.

    content = clean_image(uploaded_file, field="รูปที่ 2")   # ContentFile or ValidationError (Thai)
"""
from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024          # a phone photo is 2–6 MB
MAX_PIXELS = 40_000_000               # 40 megapixels: above that the file is a bomb or not a photo
MAX_SIDE = 2048                       # what is stored (enough to see the problem)
MAX_PHOTOS = 5
FORMATS = {"JPEG", "PNG", "WEBP"}


def _refuse(field: str, message: str):
    raise ValidationError(f"{field}: {message}")


def _open_checked(uploaded, field: str) -> Image.Image:
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        _refuse(field, f"ไฟล์มีขนาด {size / 1024 / 1024:,.1f} MB ใหญ่เกินกว่าที่รับได้ "
                       f"({MAX_BYTES // 1024 // 1024} MB) กรุณาส่งรูปที่เล็กลง")
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            image.verify()  # truncated or corrupt files fail here, before any pixels are decoded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(field, "รูปมีจำนวนพิกเซลมากผิดปกติ (อาจเป็นไฟล์อันตราย) ไม่สามารถรับได้")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(field, "ไฟล์นี้ไม่ใช่รูปภาพ หรือไฟล์เสียหาย (รับเฉพาะรูป JPEG, PNG หรือ WEBP)")
    if image.format not in FORMATS:
        _refuse(field, f"ไม่รับไฟล์ชนิด {image.format} (รับเฉพาะรูป JPEG, PNG หรือ WEBP)")
    width, height = image.size
    if width * height > MAX_PIXELS:
        _refuse(field, f"รูปมีขนาด {width:,} × {height:,} พิกเซล ใหญ่เกินกว่าที่รับได้")
    uploaded.seek(0)
    return Image.open(uploaded)  # verify() leaves the image unusable: open it again to decode


def clean_image(uploaded, field: str = "รูปภาพ") -> ContentFile:
    """The photo re-encoded without metadata (EXIF orientation applied first, so it still looks
    upright), at most MAX_SIDE pixels on its longer side."""
    image = _open_checked(uploaded, field)
    try:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        keep_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
        image = image.convert("RGBA" if keep_alpha else "RGB")
        out = io.BytesIO()
        # a new image from pixels only: no exif=, no icc/xmp/comment info is passed on
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        if keep_alpha:
            clean.save(out, "PNG", optimize=True)
            ext = "png"
        else:
            clean.save(out, "JPEG", quality=85, optimize=True)
            ext = "jpg"
    except (OSError, ValueError, Image.DecompressionBombError):
        _refuse(field, "อ่านรูปนี้ไม่ได้ (ไฟล์เสียหาย) กรุณาถ่ายหรือเลือกรูปใหม่")
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
