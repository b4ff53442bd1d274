"""Uploaded files wait server-side between preview and confirm: a temporary directory, one file per
random token, the token remembered in the user's session (never the file's content in the page)."""
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 6 * 60 * 60
SESSION_KEY = "transfer_uploads"


def _root() -> Path:
    root = Path(getattr(settings, "ONEPLAN_TRANSFER_DIR", "") or Path(tempfile.gettempdir()) / "oneplan-transfer")
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(request, upload, **info) -> str:
    _sweep()
    token = secrets.token_urlsafe(24)
    suffix = Path(upload.name).suffix.lower()
    path = _root() / f"{token}{suffix}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"path": str(path), "name": upload.name, **info}
    request.session[SESSION_KEY] = uploads
    return token


def get(request, token: str) -> dict | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry and Path(entry["path"]).exists():
        return entry
    return None


def discard(request, token: str):
    uploads = request.session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if entry:
        Path(entry["path"]).unlink(missing_ok=True)


def _sweep():
    """Files left by previews that were never confirmed."""
    cutoff = time.time() - MAX_AGE
    for path in _root().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
