"""Django settings for OnePlan.

SQLite by default (embedded, for `make run`); PostgreSQL when DATABASE_URL is set.
"""
import os
import secrets
import tempfile
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("ONEPLAN_HOME", Path.cwd()))


def embedded_secret_key(path: Path) -> str:
    """The key of the embedded install (`make run`): random, made once, kept beside the SQLite
    database and readable by its owner only. Written to a temporary file and linked into place, so
    two processes starting at once agree on one complete key."""
    if not path.exists():
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".oneplan-secret-key.")  # mode 0600
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                os.unlink(tmp)
        except OSError as exc:
            raise RuntimeError(f"cannot create the secret key file {path} ({exc.strerror}): "
                               "set ONEPLAN_SECRET_KEY or ONEPLAN_HOME to a writable folder") from None
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it (a new key is made) or set ONEPLAN_SECRET_KEY")
    return key


# `oneplan serve --production` (oneplan.core.production) sets ONEPLAN_PRODUCTION=1 for gunicorn's
# workers after checking the environment; a worker started by hand with it set is checked here too.
PRODUCTION = os.environ.get("ONEPLAN_PRODUCTION") == "1"
if PRODUCTION:
    from oneplan.core.production import check_environment

    check_environment(os.environ)
SECRET_KEY = os.environ.get("ONEPLAN_SECRET_KEY") or embedded_secret_key(PROJECT_DIR / ".oneplan-secret-key")
# Off unless asked for: a debug page lists every URL and shows settings and tracebacks to anyone.
DEBUG = os.environ.get("ONEPLAN_DEBUG", "0") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("ONEPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# Behind HTTPS (the proxy or load balancer terminates TLS and sets X-Forwarded-Proto): cookies only
# over HTTPS, HSTS for a year, plain HTTP redirected, except the load balancer's probes.
HTTPS = os.environ.get("ONEPLAN_HTTPS") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h and not h.startswith(".")]

ONEPLAN_APPS = [
    "oneplan.core",
    "oneplan.areas",
    "oneplan.organisations",
    "oneplan.plans",
    "oneplan.frameworks",
    "oneplan.search",
    "oneplan.demo",
    "oneplan.linkage",
    "oneplan.transfer",
    "oneplan.governance",
    "oneplan.monitoring",
    "oneplan.consultation",
    "oneplan.api",
    "oneplan.opendata",
    "oneplan.portal",
    "oneplan.knowledge",
    "oneplan.notifications",
    "oneplan.jobs",
    "oneplan.clinic",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its own Swagger UI files: the API docs need no CDN
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",  # the task queue in the database: the embedded install needs no other server
    *ONEPLAN_APPS,
]

MIDDLEWARE = [
    "oneplan.core.logs.RequestIdMiddleware",  # first: every later log line carries the request id
    "django.middleware.security.SecurityMiddleware",
    # static files without DEBUG and without collectstatic (finders, see WHITENOISE_USE_FINDERS)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "oneplan.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "oneplan.core.middleware.CurrentUserMiddleware",
    "oneplan.governance.security.GovernanceSecurityMiddleware",
    "oneplan.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the Thai lockout page
]

ROOT_URLCONF = "oneplan.urls"
WSGI_APPLICATION = "oneplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oneplan.core.context_processors.oneplan",
            ],
            "builtins": ["oneplan.core.templatetags.thai"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # one pool of connections per process (psycopg_pool), instead of a connection per request
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("ONEPLAN_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("ONEPLAN_DB_POOL_MAX", "8")), "timeout": 30}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many writers at once (public comments, workflow steps, a big import): readers never wait for a
    # writer (WAL), a writer waits up to 30 s for the lock (busy timeout), and every transaction takes
    # the write lock when it begins (IMMEDIATE), so two writers queue instead of one failing with
    # "database is locked" when it upgrades a read lock mid-transaction (which no timeout can help).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before any password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Password reset and invitations by e-mail: the console backend (printed to the log) unless the
# environment names a real one, e.g. ONEPLAN_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
EMAIL_BACKEND = os.environ.get("ONEPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ONEPLAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ONEPLAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ONEPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ONEPLAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ONEPLAN_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("ONEPLAN_EMAIL_FROM", "OnePlan <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60   # a reset link works for two hours, once
LOGIN_REDIRECT_URL = "governance:dashboard"  # signed in, people land on their own work
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Failed logins (django-axes, kept in the database so a restart does not forget them): 5 failures in
# 15 minutes lock the address (however many usernames it tries) and the username from that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# With Redis the failure counts live in the shared cache (every worker and host sees them at once);
# without it in the database, which every process shares too. Never per-process memory.
AXES_HANDLER = ("axes.handlers.cache.AxesCacheHandler" if os.environ.get("REDIS_URL")
                else "axes.handlers.database.AxesDatabaseHandler")
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "oneplan.governance.security.client_ip"
AXES_VERBOSE = False
# behind a reverse proxy that sets X-Forwarded-For (consultation rate limits per address)
ONEPLAN_TRUSTED_PROXY = os.environ.get("ONEPLAN_TRUSTED_PROXY") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "core" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ONEPLAN_STATIC_ROOT") or PROJECT_DIR / "staticfiles")
STATICFILES_DIRS = [("fonts", Path(__import__("fontpkg_sarabun").__file__).parent / "files")]
# The embedded server serves static files straight from the apps' folders (no collectstatic); in
# production whitenoise serves what collectstatic wrote: names with a content hash (cached for a
# year) and their gzip/brotli copies.
WHITENOISE_USE_FINDERS = not PRODUCTION
# ... so STATIC_ROOT (filled by collectstatic in a deployment) may not exist; that is not a problem.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ONEPLAN_MEDIA_ROOT") or PROJECT_DIR / "media")
# Uploaded and generated files (open-data packages, import files waiting for the worker, backups'
# files) go through the storage API: the local folder, or S3-compatible object storage
# (django-storages) when ONEPLAN_S3_BUCKET is set, shared by every web and task worker.
if os.environ.get("ONEPLAN_S3_BUCKET"):
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["ONEPLAN_S3_BUCKET"],
        "endpoint_url": os.environ.get("ONEPLAN_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("ONEPLAN_S3_REGION") or None,
        "access_key": os.environ.get("ONEPLAN_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("ONEPLAN_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("ONEPLAN_S3_PREFIX", ""),
        "default_acl": None, "querystring_auth": True, "file_overwrite": False}}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "oneplan.core.staticstorage.ProductionStaticStorage" if PRODUCTION
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "br", "woff", "woff2",
                                       "map"]  # source maps: fetched by developer tools only
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ONEPLAN_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Shared by every process (rate limits count across workers and survive a restart): the database,
# or Redis when REDIS_URL is set. `oneplan migrate` creates the cache table (core migration 0002).
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    # culling starts above MAX_ENTRIES; rate-limit counters (one per visitor per minute) must not be culled
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "oneplan_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}}}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Background work (django-tasks, Django 6's Tasks API): the queue is a table in the database, run by
# `oneplan worker`; ONEPLAN_TASKS=immediate runs each job at once in the caller (the test suite).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
                     if os.environ.get("ONEPLAN_TASKS") == "immediate" else "django_tasks_db.DatabaseBackend",
                     "QUEUES": ["default"]}}
# A job whose worker is gone (killed, its machine lost) is queued again: at once when the worker ran
# on this host and its process is dead, after this many seconds without a heartbeat otherwise.
ONEPLAN_WORKER_STALE_SECONDS = int(os.environ.get("ONEPLAN_WORKER_STALE_SECONDS", "120"))
# When an edition comes into force (or is superseded) the open-data packages of its province and of the
# country are rebuilt by the task worker. Off when jobs run inside the caller (the test suite), where a
# country build on every announced plan would only slow the stories down; tests switch it on.
ONEPLAN_OPENDATA_REBUILD_ON_CHANGE = os.environ.get("ONEPLAN_OPENDATA_REBUILD_ON_CHANGE",
                                                    "0" if os.environ.get("ONEPLAN_TASKS") == "immediate" else "1") == "1"
# Notification e-mails are sent by the task worker as they are made (off, like the open-data rebuild, when
# jobs run inside the caller: the suite sends through deliver_pending() where it tests sending).
ONEPLAN_NOTIFICATIONS_IN_BACKGROUND = os.environ.get(
    "ONEPLAN_NOTIFICATIONS_IN_BACKGROUND", "0" if os.environ.get("ONEPLAN_TASKS") == "immediate" else "1") == "1"
# Imports with more elements than this are written by the task worker, with a progress page.
ONEPLAN_IMPORT_WORKER_ROWS = int(os.environ.get("ONEPLAN_IMPORT_WORKER_ROWS", "300"))

# Clinic Center map: a tile server's URL template ({z}/{x}/{y}, optionally {s}) run or chosen by the
# installation. Without it the report form needs no map (GPS button and the place lists).
ONEPLAN_MAP_TILES = os.environ.get("ONEPLAN_MAP_TILES", "")
ONEPLAN_MAP_ATTRIBUTION = os.environ.get("ONEPLAN_MAP_ATTRIBUTION", "")

# One JSON object per line (ONEPLAN_LOG_FORMAT=json, the default in production) with the request id
# of the request or job that wrote it; plain text otherwise.
LOG_FORMAT = os.environ.get("ONEPLAN_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "oneplan.core.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "oneplan.core.logs.JsonFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "loggers": {
        "oneplan.request": {"handlers": ["console"], "level": "INFO" if PRODUCTION else "WARNING",
                            "propagate": False},
        "oneplan.jobs": {"handlers": ["console"], "level": "INFO"},
        "django_tasks_db": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "oneplan.security": {"handlers": ["console"], "level": "WARNING"},
        # with DEBUG off Django prints nothing: keep server errors and refused hosts in the log
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
