"""Settings for development and tests. SQLite (WAL) by default; PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR", Path.cwd() / "var"))


def _secret_key() -> str:
    """``DJANGO_SECRET_KEY``, else a random key made once and kept in the data folder (readable by its owner only),
    so that `make run` on an office machine signs sessions with a key nobody else knows. Production settings insist
    on the environment variable."""
    given = os.environ.get("DJANGO_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # written whole under another name, then linked into place: processes starting together all read one key
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        draft = DATA_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its key is the key
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Off unless asked for (DJANGO_DEBUG=1, for development): with it on, anyone who reaches the server sees tracebacks
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "jixiao.web.login_guard.LoginGuardConfig",  # django-axes
    "jixiao.web.organisations",
    "jixiao.web.evaluations",
    "jixiao.web.tasks",
    "jixiao.web.intake",
    "jixiao.web.changes",
    "jixiao.web.sampling",
    "jixiao.web.review",
    "jixiao.web.results",
    "jixiao.web.trends",
    "jixiao.web.targets",
    "jixiao.web.monitoring",
    "jixiao.web.department",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web.disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jixiao.web.changes.middleware.ChangeContextMiddleware",
    "jixiao.web.evaluations.middleware.RaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks: it answers a locked-out sign-in with its own page
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): every style, script, font and image is served by this system itself, so the
# browser is told to run and load nothing else — no inline script or style attribute, no other origin, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.evaluations.context.membership",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        # persistent connections only where asked for (production); tests and threads then leave none behind
        return dj_database_url.parse(url, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        "NAME": os.environ.get("JIXIAO_SQLITE", DATA_DIR / "jixiao.sqlite3"),
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids upgrade deadlocks on write.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Counts and page fragments, shared by all worker processes; keys carry the data's newest change (a "data
# stamp"), so nothing is ever invalidated by hand. A folder, because intranet servers have no cache service.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Page fragments that depend on nothing stored (the filter form drawn for a query string): kept in each worker
    # process's memory, which is faster than reading the folder above, and never stale, since no write changes them.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttle (django-axes): after 5 wrong passwords for one account, or from one address, that account or
# address waits 30 minutes (a system administrator can lift it at once in 系统管理 → 登录失败记录); a right
# password before then does not count. Behind a web server every address is the server's, so production counts
# per account only (settings_production.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "jixiao/locked.html"
AXES_RESET_ON_SUCCESS = True

# Chinese whatever the browser asks for: no LocaleMiddleware, one language. Django's own strings (admin, formset
# 删除, validation messages) come from its zh-hans catalogue; locale/ adds the full-width colon after form labels.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# Development serves files straight from the apps' static folders; collectstatic fills STATIC_ROOT for production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"

# Django's database sessions, read with one plain query (every page reads one)
SESSION_ENGINE = "jixiao.web.session_store"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:list"
LOGOUT_REDIRECT_URL = "public:list"

# the commonest widgets drawn without the template engine (the same HTML; an edit page has thousands of inputs)
FORM_RENDERER = "jixiao.web.form_renderer.FastRenderer"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The indicator editor posts the whole tree as one form, some ten fields a node: a 附1 of 500 indicators is about
# 5,000 fields, over Django's default of 1,000 (a guard against hash-collision floods, which Python's randomised
# string hashing has long made moot). 20,000 leaves room for the largest trees met in practice.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A larger upload is spooled to disk while it arrives: into the scratch folder (web/scratch.py), whose leftovers are
# swept, not the system's temp folder, where a request killed part-way would leave it for good.
FILE_UPLOAD_TEMP_DIR = MEDIA_ROOT / "scratch"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)

# Mail (deadline reminders): printed to the console unless an SMTP server is given in the environment.
if os.environ.get("JIXIAO_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["JIXIAO_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("JIXIAO_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("JIXIAO_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JIXIAO_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("JIXIAO_SMTP_TLS", "") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("JIXIAO_MAIL_FROM", "jixiao@localhost")
#: days before a deadline when the daily run reminds those still behind
REMINDER_DAYS_BEFORE = int(os.environ.get("JIXIAO_REMINDER_DAYS", "3"))

# Background work (django-tasks, the backport of Django 6.0's Tasks API): tasks are rows in the database and
# `manage.py db_worker` runs them, on this machine (make run starts one) or on many (docs/web.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
#: a 项目清单 longer than this is opened by the background worker, in committed batches of JIXIAO_TASK_BATCH_ROWS
JIXIAO_TASK_INLINE_ROWS = int(os.environ.get("JIXIAO_TASK_INLINE_ROWS", "500"))
JIXIAO_TASK_BATCH_ROWS = int(os.environ.get("JIXIAO_TASK_BATCH_ROWS", "500"))
#: a published evaluation's public PDF is made by the background worker at once, not by its first visitor
JIXIAO_RENDER_ON_PUBLISH = os.environ.get("JIXIAO_RENDER_ON_PUBLISH", "1") == "1"
#: 批量接收: what one upload may hold (files, bytes per file once unzipped, bytes in all)
JIXIAO_INTAKE_MAX_FILES = int(os.environ.get("JIXIAO_INTAKE_MAX_FILES", "5000"))
JIXIAO_INTAKE_MAX_FILE_BYTES = int(os.environ.get("JIXIAO_INTAKE_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
JIXIAO_INTAKE_MAX_TOTAL_BYTES = int(os.environ.get("JIXIAO_INTAKE_MAX_TOTAL_BYTES", str(4096 * 1024 * 1024)))
#: 导入 and 批量接收 read each uploaded file in a worker process (jixiao.io.audit.bounded) that may take at most this
#: many seconds and megabytes (of address space, the readers' libraries included): past either, the worker is
#: stopped and the user told which file, so a hostile or broken file holds no web or background worker for long.
#: OCR of a long scan is the slowest honest reading: raise the seconds if such scans are refused.
JIXIAO_READ_SECONDS = float(os.environ.get("JIXIAO_READ_SECONDS", "120"))
JIXIAO_READ_MEGABYTES = int(os.environ.get("JIXIAO_READ_MEGABYTES", "1536"))
#: 批量接收: a background job that has shown no sign of life for this long is taken for dead (its worker killed or
#: its machine down) and its unfinished files are queued again, once (intake.services.recover)
JIXIAO_INTAKE_STALLED_SECONDS = int(os.environ.get("JIXIAO_INTAKE_STALLED_SECONDS", "600"))
