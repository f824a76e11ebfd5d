"""Every setting lives here; local, test and production change only what must differ."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parents[2]  # the kith package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KITH_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The task queue in the database (django.tasks backend); `kith worker` runs it.
    "django_tasks_db",
    "kith.core",
    "kith.directory",
    "kith.audit",
    "kith.people",
    "kith.teams",
    "kith.care",
    "kith.asks",
    "kith.outcomes",
    "kith.demo",  # dev and demo only: production.py removes it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content Security Policy (SECURE_CSP below), with a fresh nonce for each response.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads the request: refuses input no field can hold, keeps /api/v1/ writes
    # JSON-only, and answers every API error as JSON (kith/core/boundary.py).
    "kith.core.boundary.RequestBoundaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified when the session holds a confirmed second-factor device.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kith.core.middleware.SecurityHeadersMiddleware",
    # Staff sessions: timeouts, ended sessions, and a verified second factor on staff pages.
    "kith.core.middleware.StaffSessionMiddleware",
    # People's sessions: idle and absolute timeouts (kith/people/sessions.py).
    "kith.people.sessions.PersonSessionMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kith.config.urls"
WSGI_APPLICATION = "kith.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "kith.config.jinja2.environment",
            # csp: `csp_nonce`, which layouts/base.jinja hands the NHS.UK template.
            "context_processors": [
                "django.template.context_processors.csp",
                "kith.core.context_processors.site",
                # `record_href`: the header's "Your record" (sign in, or /my/ when signed in).
                "kith.people.context_processors.record_link",
            ],
        },
    },
    {
        # The admin still renders with Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                # The admin's templates put the nonce on their inline scripts.
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# SQLite in var/ is the zero-setup default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kith.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-setup default keeps its database in var/: make sure the folder exists.
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# Rate limits and one-time codes live in the cache, so every web process must share it:
# REDIS_URL in production (and CI's Redis is there to test it); one process's memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kith",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
# Staff sign in to curate the directory; `next` still wins when a staff page sent them.
LOGIN_REDIRECT_URL = "staff_home"
# django-axes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff security (issue 4). Staff are Django users; members of the public are not, and none of
# this applies to them. Every page under these prefixes needs a password and a second factor.
KITH_STAFF_PATH_PREFIXES = ("/staff/", "/team/", "/admin/")
# Signed out after this long without a request, and this long after signing in whatever happens.
KITH_STAFF_IDLE_MINUTES = int(os.environ.get("KITH_STAFF_IDLE_MINUTES", "30"))
KITH_STAFF_SESSION_HOURS = int(os.environ.get("KITH_STAFF_SESSION_HOURS", "12"))
# Lockout (django-axes): this many wrong passwords or codes for one username from one address,
# then that pair waits. Counting per username *and* address means nobody elsewhere can lock a
# colleague out by guessing at their username; every failure is kept for the administrator.
AXES_FAILURE_LIMIT = int(os.environ.get("KITH_STAFF_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("KITH_STAFF_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "kith.core.views.locked_out_response"
AXES_HTTP_RESPONSE_CODE = 429
# A right password alone must not clear the count, or someone who knows it could guess codes
# forever; signing in fully (password and code) clears it (kith.core.second_factor).
AXES_RESET_ON_SUCCESS = False
# The same client address everything else in Kith uses (kith/core/client.py).
AXES_CLIENT_IP_CALLABLE = "kith.core.client.client_address"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
# Failures are logged without who or where (above), and without a banner at every start.
AXES_VERBOSE = False
# Django's sign-in forms (the admin's too) let any length of username through to a failed sign-in,
# which django-axes would record in a 255-character column: cut it to fit instead.
AXES_USERNAME_CALLABLE = "kith.core.forms.lockout_username"
# Authenticator apps show this name beside the account.
OTP_TOTP_ISSUER = "Kith"
# Administrators reset a lost device by deleting it; nobody needs to see its secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Served from the app directories through WhiteNoise; production collects into STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The ORUK API is an open, read-only public contract: any origin may read it.
CORS_URLS_REGEX = r"^/api/oruk/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads and form fields: generous for real use, bounded so a hostile request cannot exhaust memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Kith: the locality this deployment serves. Schedules are read in this time zone.
KITH_LOCALITY_NAME = os.environ.get("KITH_LOCALITY_NAME", "Lambeth")
KITH_TIME_ZONE = os.environ.get("KITH_TIME_ZONE", "Europe/London")
# Map tiles: only when configured, so a default install sends nobody's location anywhere.
KITH_MAP_TILE_URL = os.environ.get("KITH_MAP_TILE_URL", "")
KITH_MAP_TILE_ATTRIBUTION = os.environ.get(
    "KITH_MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)


def tile_origin(url_template: str) -> str:
    """The origin map tiles come from: https://{s}.tile.example.org/{z}/{x}/{y}.png gives
    https://*.tile.example.org, since Leaflet fills {s} with a subdomain of its choosing."""
    parts = urlsplit(url_template)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


# The Content Security Policy of every response, the admin's included: scripts and styles only
# from Kith itself, plus the one inline script the NHS.UK template needs (it marks the page as
# having JavaScript before anything paints), allowed by this response's nonce. An injected
# <script> or style attribute therefore never runs, even if escaping were ever missed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"]
    + ([tile_origin(KITH_MAP_TILE_URL)] if KITH_MAP_TILE_URL else []),
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}

KITH_STALE_AFTER_DAYS = int(os.environ.get("KITH_STALE_AFTER_DAYS", "91"))
# Asks sent from one address per period ("10/h", "30/d"); "0" turns the limit off.
KITH_ASK_RATE_LIMIT = os.environ.get("KITH_ASK_RATE_LIMIT", "10/h")
# The load balancers and proxies in front of Kith, as addresses or networks ("10.0.0.0/8,
# 192.0.2.7"): only a request from one of them has its X-Forwarded-For believed. Empty (the
# default) believes no header, and every request is its REMOTE_ADDR (kith/core/client.py).
KITH_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False)) for proxy in env_list("KITH_TRUSTED_PROXIES")
]
# Limits (kith/core/limits.py) are counted by django-ratelimit in the default cache. Its "ip" key
# reads the same client address; a count lost to a cache entry expiring mid-update lets the
# attempt through, as Kith's own counters did.
RATELIMIT_IP_META_KEY = "kith.core.client.client_address"
RATELIMIT_FAIL_OPEN = True
# A search in crisis words shows the crisis options above its results. The directory sits below
# asks, which screens words and holds the lines, so it is given the function by name here
# (kith/directory/crisis.py) instead of importing it. Not from the environment: it is wiring.
KITH_SEARCH_CRISIS_LINES = "kith.asks.crisis.crisis_lines_for_search"
# Hybrid search: the person's words (lexical) fused with listings near them in meaning (dense,
# kith/directory/embedding/). Off until dense candidates have a floor: today any words pull in
# up to 50 meaning matches, so every list is long. KITH_SEARCH_DENSE=on to measure or try it.
KITH_SEARCH_DENSE = env_bool("KITH_SEARCH_DENSE", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (on while DEBUG) would print every django.* line a second
        # time beside the root's; one handler, the root's, is enough.
        "django": {"handlers": [], "level": "INFO"},
        # Request lines can carry search words a person typed; keep them out of logs.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Background work (kith/core/background.py): tasks wait in the database, SQLite or PostgreSQL,
# until a `kith worker` runs them (`kith serve` starts one beside the web server). Scaling out is
# more workers on the same database, or another django.tasks backend named here.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The scheduled jobs, declared in one list (kith/config/schedule.py).
KITH_SCHEDULE = "kith.config.schedule.JOBS"
# A worker touches its heartbeat row this often; one silent for KITH_WORKER_LOST_AFTER_SECONDS
# is taken as gone, and the task it was running goes back in the queue.
KITH_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("KITH_WORKER_HEARTBEAT_SECONDS", "5"))
KITH_WORKER_LOST_AFTER_SECONDS = int(os.environ.get("KITH_WORKER_LOST_AFTER_SECONDS", "60"))
# Finished tasks and sent messages are kept this long (for the admin), then deleted.
KITH_TASK_RESULTS_KEEP_DAYS = int(os.environ.get("KITH_TASK_RESULTS_KEEP_DAYS", "14"))

# Email and text messages. Without NOTIFY_API_KEY they go to the console and $KITH_VAR_DIR/outbox/.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
# Passwordless sign-in for the public: link and code lifetimes, and sending limits per hour.
KITH_SIGN_IN_LINK_MINUTES = int(os.environ.get("KITH_SIGN_IN_LINK_MINUTES", "30"))
KITH_SIGN_IN_CODE_MINUTES = int(os.environ.get("KITH_SIGN_IN_CODE_MINUTES", "10"))
KITH_SIGN_IN_CODE_ATTEMPTS = int(os.environ.get("KITH_SIGN_IN_CODE_ATTEMPTS", "5"))
KITH_SIGN_IN_SENDS_PER_CONTACT = int(os.environ.get("KITH_SIGN_IN_SENDS_PER_CONTACT", "5"))
KITH_SIGN_IN_SENDS_PER_IP = int(os.environ.get("KITH_SIGN_IN_SENDS_PER_IP", "20"))
# People's sessions (kith/people/sessions.py): shared phones are common and the record is about
# someone's mental health, so signed out after this long idle and this long after signing in.
KITH_PERSON_IDLE_MINUTES = int(os.environ.get("KITH_PERSON_IDLE_MINUTES", "30"))
KITH_PERSON_SESSION_HOURS = int(os.environ.get("KITH_PERSON_SESSION_HOURS", "12"))
# "Keep me signed in on this device": the idle limit and the absolute one become these.
KITH_PERSON_REMEMBER_IDLE_DAYS = int(os.environ.get("KITH_PERSON_REMEMBER_IDLE_DAYS", "14"))
KITH_PERSON_REMEMBER_SESSION_DAYS = int(os.environ.get("KITH_PERSON_REMEMBER_SESSION_DAYS", "30"))
# The audit log refuses UPDATE and DELETE in the database. Only the test settings turn the SQLite
# guard off, so the test runner can empty the database between tests (see kith/audit migrations).
KITH_AUDIT_DATABASE_GUARD = True
# The model whose instances `kith.audit.services.audit` records as the person acting (like
# AUTH_USER_MODEL for staff): the audit layer imports nothing of the apps above it.
KITH_AUDIT_PERSON_MODEL = "people.Person"
