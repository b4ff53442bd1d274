"""What the environment makes of the settings (each computed by a fresh process, as a server starts),
the request id, and the JSON log lines."""
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oneplan.core import logs, production

SRC = Path(__file__).resolve().parents[3]
KEY = "k" * 50
PRODUCTION = {"ONEPLAN_PRODUCTION": "1", "ONEPLAN_SECRET_KEY": KEY, "ONEPLAN_ALLOWED_HOSTS": "plan.example.go.th"}


def settings_of(env: dict, *expressions: str) -> list:
    """The settings a fresh process computes from this environment (JSON values)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ONEPLAN_", "REDIS_URL", "DATABASE_URL"))}
    full.update({"PYTHONPATH": str(SRC), "ONEPLAN_SECRET_KEY": KEY, **env})  # a key: no key file is made
    code = f"import json, oneplan.settings as s; print(json.dumps([{', '.join(expressions)}], default=str))"
    out = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_production_turns_debug_off_and_serves_hashed_compressed_static_files():
    debug, storage, finders, hosts = settings_of({**PRODUCTION, "ONEPLAN_DEBUG": "1"}, "s.DEBUG",
                                                 "s.STORAGES['staticfiles']['BACKEND']",
                                                 "s.WHITENOISE_USE_FINDERS", "s.ALLOWED_HOSTS")
    assert debug is False and storage == "oneplan.core.staticstorage.ProductionStaticStorage"
    assert finders is False and hosts == ["plan.example.go.th"]


def test_behind_https_cookies_are_secure_and_hsts_is_sent():
    assert settings_of(PRODUCTION, "getattr(s, 'SESSION_COOKIE_SECURE', False)",
                       "getattr(s, 'SECURE_HSTS_SECONDS', 0)") == [False, 0]
    secure, csrf, hsts, origins, exempt = settings_of(
        {**PRODUCTION, "ONEPLAN_HTTPS": "1"}, "s.SESSION_COOKIE_SECURE", "s.CSRF_COOKIE_SECURE",
        "s.SECURE_HSTS_SECONDS", "s.CSRF_TRUSTED_ORIGINS", "s.SECURE_REDIRECT_EXEMPT")
    assert secure and csrf and hsts >= 365 * 24 * 3600 and origins == ["https://plan.example.go.th"]
    assert exempt == [r"^healthz$", r"^readyz$"]  # the load balancer probes over plain HTTP


def test_redis_holds_the_cache_and_the_login_lockout_and_the_database_otherwise():
    cache, axes = settings_of({"REDIS_URL": "redis://127.0.0.1:6399/0"}, "s.CACHES['default']['BACKEND']",
                              "s.AXES_HANDLER")
    assert cache == "django.core.cache.backends.redis.RedisCache" and axes == "axes.handlers.cache.AxesCacheHandler"
    cache, axes = settings_of({}, "s.CACHES['default']['BACKEND']", "s.AXES_HANDLER")
    assert cache == "django.core.cache.backends.db.DatabaseCache" and axes == "axes.handlers.database.AxesDatabaseHandler"


def test_files_go_to_object_storage_when_a_bucket_is_set():
    (default,) = settings_of({"ONEPLAN_S3_BUCKET": "oneplan-files", "ONEPLAN_S3_ENDPOINT_URL": "https://s3.example"},
                             "s.STORAGES['default']")
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "oneplan-files" and default["OPTIONS"]["endpoint_url"] == "https://s3.example"
    assert settings_of({}, "s.STORAGES['default']['BACKEND']") == ["django.core.files.storage.FileSystemStorage"]


def test_postgresql_connections_come_from_a_pool():
    (options,) = settings_of({"DATABASE_URL": "postgres://u@127.0.0.1:5432/oneplan"}, "s.DATABASES['default']['OPTIONS']")
    assert options["pool"]["max_size"] >= 1
    (options,) = settings_of({}, "s.DATABASES['default']['OPTIONS']")
    assert "pool" not in options


def test_production_refuses_a_missing_or_short_key_or_missing_hosts_in_thai():
    with pytest.raises(production.ProductionRefused, match="ONEPLAN_SECRET_KEY"):
        production.check_environment({"ONEPLAN_ALLOWED_HOSTS": "x"})
    with pytest.raises(production.ProductionRefused, match="สั้นเกินไป"):
        production.check_environment({"ONEPLAN_SECRET_KEY": "short", "ONEPLAN_ALLOWED_HOSTS": "x"})
    with pytest.raises(production.ProductionRefused, match="ONEPLAN_ALLOWED_HOSTS"):
        production.check_environment({"ONEPLAN_SECRET_KEY": KEY})
    production.check_environment({"ONEPLAN_SECRET_KEY": KEY, "ONEPLAN_ALLOWED_HOSTS": "x"})


def test_gunicorn_workers_come_from_the_environment_or_the_cores():
    assert production.worker_count({"ONEPLAN_WORKERS": "3"}) == 3
    assert production.worker_count({}) == 2 * len(os.sched_getaffinity(0)) + 1
    with pytest.raises(production.ProductionRefused, match="ONEPLAN_WORKERS"):
        production.worker_count({"ONEPLAN_WORKERS": "สอง"})
    command = production.gunicorn_command("0.0.0.0:8000", {"ONEPLAN_WORKERS": "2"})
    assert command[command.index("--workers") + 1] == "2" and command[command.index("--bind") + 1] == "0.0.0.0:8000"


@pytest.mark.django_db
def test_a_request_keeps_a_sane_request_id_and_replaces_a_hostile_one(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="x\" injected\n{}")["X-Request-ID"]
    assert replaced != "x\" injected\n{}" and logs.VALID.match(replaced)


def test_a_log_line_is_one_json_object_with_the_request_id_and_extra_fields():
    record = logging.LogRecord("oneplan.jobs", logging.INFO, __file__, 1, "job finished", (), None)
    record.job, record.status = "1234", "done"
    token = logs.bind_request_id("req-42")
    try:
        logs.RequestIdFilter().filter(record)
        line = logs.JsonFormatter().format(record)
    finally:
        logs.reset_request_id(token)
    entry = json.loads(line)
    assert "\n" not in line and entry["message"] == "job finished" and entry["request_id"] == "req-42"
    assert entry["job"] == "1234" and entry["status"] == "done" and entry["level"] == "INFO"
