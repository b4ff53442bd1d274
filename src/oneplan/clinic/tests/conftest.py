import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def jpeg():
    """A small JPEG photo with EXIF (camera make and GPS position), as a phone sends it."""
    def make(name="photo.jpg", size=(320, 240), colour=(200, 80, 40)):
        image = Image.new("RGB", size, colour)
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"          # Make
        exif[0x0132] = "2026:12:01 10:00:00"  # DateTime
        gps = {1: "N", 2: (7.0, 59.0, 42.0), 3: "E", 4: (98.0, 18.0, 8.0)}
        exif[0x8825] = gps                    # GPSInfo
        out = io.BytesIO()
        image.save(out, "JPEG", exif=exif)
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
    return make


@pytest.fixture
def phuket():
    from oneplan.areas.models import Area

    sub = Area.objects.get(code="830303")  # ตำบลเชิงทะเล: เทศบาลตำบลเชิงทะเล governs it
    return {"sub": sub, "district": sub.parent, "province": sub.parent.parent}


@pytest.fixture
def category():
    from oneplan.clinic.models import Category

    return lambda code: Category.objects.get(code=code)
