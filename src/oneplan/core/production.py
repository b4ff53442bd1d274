"""`oneplan serve --production [HOST:PORT]`: gunicorn with the production settings.

Checked before anything starts (and again by settings.py in every gunicorn worker): a secret key from
the environment and the host names the site answers to. DEBUG is off whatever ONEPLAN_DEBUG says.
Static files are collected (hashed names, gzip and brotli copies) and served by whitenoise.
"""
from __future__ import annotations

import os
import subprocess
import sys

from django.core.exceptions import ImproperlyConfigured

DEFAULT_ADDRESS = "127.0.0.1:8000"
MIN_KEY_LENGTH = 32


class ProductionRefused(ImproperlyConfigured):
    pass


def check_environment(env) -> None:
    """Refuse, in Thai and naming the variable, what production must not run with."""
    key = env.get("ONEPLAN_SECRET_KEY", "")
    if not key:
        raise ProductionRefused(
            "ไม่เริ่มระบบในโหมด production: ยังไม่ได้ตั้งค่าตัวแปร ONEPLAN_SECRET_KEY "
            "(กุญแจลับของระบบ ต้องเป็นค่าสุ่มที่เก็บเป็นความลับและใช้ค่าเดียวกันทุกเครื่อง เช่น สร้างด้วย "
            "python3 -c \"import secrets; print(secrets.token_urlsafe(50))\")")
    if len(key) < MIN_KEY_LENGTH:
        raise ProductionRefused(f"ไม่เริ่มระบบในโหมด production: ONEPLAN_SECRET_KEY สั้นเกินไป ({len(key)} ตัวอักษร) "
                                f"ต้องยาวอย่างน้อย {MIN_KEY_LENGTH} ตัวอักษร")
    if not env.get("ONEPLAN_ALLOWED_HOSTS", "").strip(","):
        raise ProductionRefused("ไม่เริ่มระบบในโหมด production: ยังไม่ได้ตั้งค่าตัวแปร ONEPLAN_ALLOWED_HOSTS "
                                "(ชื่อโดเมนของระบบ คั่นด้วยจุลภาค เช่น oneplan.example.go.th)")


def worker_count(env) -> int:
    """ONEPLAN_WORKERS, else gunicorn's rule of thumb: 2 × cores + 1."""
    value = env.get("ONEPLAN_WORKERS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ProductionRefused(f"ค่า ONEPLAN_WORKERS “{value}” ไม่ถูกต้อง: ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
        return int(value)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 * cores + 1


def gunicorn_command(address: str, env) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "oneplan.wsgi:application",
            "--bind", address, "--workers", str(worker_count(env)),
            # a preview of a large workbook is read in the request: longer than gunicorn's 30 s default
            "--timeout", env.get("ONEPLAN_REQUEST_TIMEOUT", "120"), "--graceful-timeout", "30",
            # whose X-Forwarded-* headers are believed: the proxy in front (see docs/deployment.md)
            "--forwarded-allow-ips", env.get("ONEPLAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # one log format: the app writes a JSON line per request (oneplan.core.logs)
            "--error-logfile", "-", "--log-level", env.get("ONEPLAN_LOG_LEVEL", "info")]


def serve(args: list[str]) -> int:
    """Check, collect static files, then become gunicorn (exec: signals go straight to it)."""
    address = next((a for a in args if not a.startswith("-")), DEFAULT_ADDRESS)
    env = dict(os.environ)
    try:
        check_environment(env)
        command = gunicorn_command(address, env)
    except ProductionRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    env["ONEPLAN_PRODUCTION"] = "1"
    env.pop("ONEPLAN_DEBUG", None)
    if env.get("ONEPLAN_COLLECTSTATIC", "1") != "0":  # 0: the image was built with the files collected
        done = subprocess.run([sys.executable, "-m", "oneplan.cli", "prepare-static"], env=env)
        if done.returncode:
            print("ไม่เริ่มระบบ: รวบรวมไฟล์ static (collectstatic) ไม่สำเร็จ ดูข้อความด้านบน", file=sys.stderr)
            return done.returncode
    os.execve(sys.executable, command, env)
    return 0  # not reached
