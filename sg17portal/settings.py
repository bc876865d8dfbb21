"""Settings of the portal, all of them, read from the environment.

With nothing set the portal runs on its embedded default (SQLite, a file-system Celery broker and
mail written to files, all under ``var/``). ``DJANGO_ENV=production`` turns on every protection that
``manage.py check --deploy`` asks for and refuses to start on an insecure secret key.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import schedule
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sg17portal.secret_key import secret_key_weakness

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DJANGO_ENV = env("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-used-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (_weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"Production needs SECRET_KEY: a random value of at least 50 characters, e.g. from "
        f"`python -c 'import secrets; print(secrets.token_urlsafe(64))'`. This one is refused: {_weakness}."
    )

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
# Unset, the address in mails and calendar links is the one `make run PORT=…` serves.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "accounts.admin_config.PortalAdminConfig",  # the admin, signed in to through the portal's login only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_countries",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "notifications",
    "meetings",
    "registration",
    "documents",
    "agenda",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First in, last out: what a request memoizes (sg17portal.request_cache) lives exactly as long as the request.
    "sg17portal.request_cache.RequestCacheMiddleware",
    "sg17portal.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sg17portal.middleware.ContentSecurityPolicyMiddleware",
    # Before the session: an anonymous visitor's public page comes from the cache without the session, the person
    # or the language being worked out (sg17portal.pagecache).
    "sg17portal.pagecache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Authentication before the locale: a signed-in person's profile names their language. Django's, with the
    # person's row kept with the session.
    "accounts.middleware.KeptUserAuthenticationMiddleware",
    "sg17portal.languages.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "sg17portal.context_processors.HeaderAlongMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sg17portal.errors.PortalErrorMiddleware",
]

ROOT_URLCONF = "sg17portal.urls"
WSGI_APPLICATION = "sg17portal.wsgi.application"
ASGI_APPLICATION = "sg17portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sg17portal.context_processors.portal",
            ],
            # One way of writing dates and times, in every template without loading it.
            "builtins": ["sg17portal.dates"],
            "libraries": {"fragments": "sg17portal.fragments"},
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# A web worker keeps its connection between requests (checked before reuse) instead of opening one per request:
# on PostgreSQL that is about a millisecond and a process fork on the server saved on every page.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a check before reuse that costs no round trip (see the module).
    DATABASES["default"]["ENGINE"] = "sg17portal.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has the web server, a worker and beat writing at once: transactions take the write
    # lock when they begin and wait for it, and readers don't block the writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # With Redis down the cache (login rate limits among it) carries on in a database table (sg17portal.cache).
    CACHES = {
        "default": {"BACKEND": "sg17portal.cache.RedisWithDatabaseFallback", "LOCATION": REDIS_URL},
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
    }
else:
    # A file cache is shared by the web server and the workers of the embedded default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="sg17")
# The longest an anonymous visitor's cached public page lives (sg17portal.pagecache); a change of the data it shows
# replaces it at once, so this only bounds what changes with the clock alone (a deadline closing at midnight).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
for _cache in CACHES.values():
    _cache["KEY_PREFIX"] = CACHE_KEY_PREFIX

MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through views that check access
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Outside production the files are found where they live; `collectstatic` is only needed for deployment.
WHITENOISE_USE_FINDERS = not PRODUCTION
if TESTING:
    STATIC_ROOT = None
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "sg17portal.static_finders.LinkedAppDirectoriesFinder",  # collectstatic leaves out what no page links to
]
# Documents, revisions and generated PDFs: a private S3-compatible bucket when STORAGE_URL or the AWS_* variables
# name one (sg17portal.object_storage), the file system under MEDIA_ROOT otherwise.
_s3 = {}
if env("STORAGE_URL", default=""):
    from .storage_url import s3_settings_from_url

    _s3 = s3_settings_from_url(env("STORAGE_URL"))
for _name in (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_PUBLIC_ENDPOINT_URL",
):
    if env(_name, default=""):
        _s3[_name] = env(_name)
vars().update(_s3)
OBJECT_STORAGE = bool(_s3.get("AWS_STORAGE_BUCKET_NAME"))
# A PDF rendered by a worker (and its job's page) is kept this long after it is finished, then swept away.
PDF_JOB_RETENTION = timedelta(hours=env.float("PDF_JOB_RETENTION_HOURS", default=24))
# A presigned download URL is handed out after the access check and works for this long.
DOWNLOAD_URL_SECONDS = env.int("DOWNLOAD_URL_SECONDS", default=60)
if OBJECT_STORAGE:
    AWS_QUERYSTRING_EXPIRE = DOWNLOAD_URL_SECONDS
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_ADDRESSING_STYLE = "path" if _s3.get("AWS_S3_ENDPOINT_URL") else "auto"
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
STORAGES = {
    "default": {
        "BACKEND": "sg17portal.object_storage.PrivateS3Storage"
        if OBJECT_STORAGE
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_PRECOMPRESS", default=True)
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- People -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Model permissions for staff only (the admin site): no query for anyone else when a rule says no.
    "accounts.backends.StaffModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Named by the sessions signed in before StaffModelBackend replaced it, which stay valid; it answers from the
    # permissions StaffModelBackend has already read for the request.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first: memory-hard, and tuned for these machines (2 cores shared by the web workers, the workers and
# PostgreSQL) rather than Django's default of 100 MiB and 8 lanes. 19 MiB, 2 passes, 1 lane is the OWASP minimum
# for Argon2id; one check takes about 30 ms of one core on an idle machine (PBKDF2 at Django's 1,000,000 rounds:
# about 400 ms), so 10 people signing in at once stay well under a second (bench/README.md). The older hashers
# stay listed so existing passwords still work; each is rehashed with Argon2id at its owner's next sign-in.
PASSWORD_HASHERS = [
    "sg17portal.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SECRETARIAT_GROUP = "Secretariat"

SITE_ID = 1
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}  # the same answer and time for known addresses
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up signs the person in, on the home page's next steps.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[ITU-T SG portal] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    # What each rate is measured on, and why: accounts/ratelimits.py. Failures follow the account (5 wrong
    # passwords in 5 minutes, then 429 from anywhere); one address, maybe a venue's NAT, only has a ceiling.
    "login": env("LOGIN_RATE_LIMIT", default="600/m/ip"),
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="100/5m/ip,5/5m/key"),
    "signup": env("SIGNUP_RATE_LIMIT", default="60/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Addresses or networks of the proxies in front of the web nodes (nginx). Only their X-Forwarded-Proto and
# X-Forwarded-For are believed; the client address they report becomes REMOTE_ADDR (sg17portal.proxies).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    [ipaddress.ip_network(_proxy, strict=False) for _proxy in TRUSTED_PROXIES]
except ValueError as _error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from None

# --- Mail ---------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ITU-T SG portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
elif "EMAIL_HOST" in env:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Draft TDs mailed in (documents/mail_ingest.py) wait for their sender to confirm them by a link mailed back,
# unless the topmost Authentication-Results header, written by one of these receiving hosts, says the
# sender's domain passed DKIM, SPF or DMARC. Empty: every mailed draft is confirmed by its sender.
TD_MAIL_TRUSTED_AUTHSERV_IDS = env.list("TD_MAIL_TRUSTED_AUTHSERV_IDS", default=[])
TD_MAIL_CONFIRMATION_DAYS = env.int("TD_MAIL_CONFIRMATION_DAYS", default=7)

OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_BASE = timedelta(seconds=env.int("OUTBOX_RETRY_BASE_SECONDS", default=60))
# A claim is renewed after every message; one not renewed for this long belongs to a worker that died, and
# its rows are queued again (never the one being sent: that row is locked). See notifications/services.py.
OUTBOX_SENDING_LEASE = timedelta(seconds=env.float("OUTBOX_SENDING_LEASE_SECONDS", default=600))

# --- Celery -------------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The embedded broker needs its folders before the first message, from whichever process sends it.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Three queues, so a long PDF render never holds up mail; a worker started without -Q consumes all three.
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in ("mail", "pdf", "sweep")}
CELERY_TASK_DEFAULT_QUEUE = "sweep"
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "mail"},
    "*.render_*": {"queue": "pdf"},
    "agenda.issue_agenda_tds": {"queue": "pdf"},
    "*.sweep": {"queue": "sweep"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
SWEEP_INTERVAL = env.int("SWEEP_INTERVAL_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.sweep_outbox", "schedule": schedule(SWEEP_INTERVAL)},
    # registration: expiry at the meeting's start and the reminders, found in the database each run
    "registration-sweep": {"task": "registration.sweep", "schedule": schedule(SWEEP_INTERVAL)},
    # documents: contributions deadline reminders, daily digests of new documents and of the TD queue
    "documents-sweep": {"task": "documents.sweep", "schedule": schedule(SWEEP_INTERVAL)},
    # agenda: published agenda versions still waiting to be issued as a TD revision
    "agenda-sweep": {"task": "agenda.sweep", "schedule": schedule(SWEEP_INTERVAL)},
    # api: webhook deliveries that are due (new, or waiting for their next try)
    "webhook-sweep": {"task": "api.deliver_webhooks", "schedule": schedule(SWEEP_INTERVAL)},
    # meetings: PDF jobs queued while the broker was down; finished ones past PDF_JOB_RETENTION, with their files
    "meetings-sweep": {"task": "meetings.sweep", "schedule": schedule(SWEEP_INTERVAL)},
}

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The six official languages of the ITU, in its order. Each is named in its own language in the switcher.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LANGUAGES_BIDI = ["ar"]
# The switcher's choice, for visitors; a signed-in person's choice is kept in their profile too.
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["sg17portal.formats"]
TIME_ZONE = "UTC"
USE_TZ = True
DEFAULT_MEETING_TIME_ZONE = "Europe/Zurich"

# Country names as the ITU's Member States are named, so that a nationality reads like the member entities
# ("Republic of Korea", not "South Korea").
COUNTRIES_OVERRIDE = {
    "BO": _("Bolivia (Plurinational State of)"),
    "BN": _("Brunei Darussalam"),
    "CG": _("Congo"),
    "FM": _("Micronesia (Federated States of)"),
    "IR": _("Iran (Islamic Republic of)"),
    "KP": _("Democratic People's Republic of Korea"),
    "KR": _("Republic of Korea"),
    "LA": _("Lao People's Democratic Republic"),
    "MD": _("Republic of Moldova"),
    "RU": _("Russian Federation"),
    "SY": _("Syrian Arab Republic"),
    "TZ": _("United Republic of Tanzania"),
    "US": _("United States"),
    "VA": _("Vatican"),
    "VE": _("Venezuela (Bolivarian Republic of)"),
    "VN": _("Viet Nam"),
}

# --- Forms ----------------------------------------------------------------------------------------
# Django's renderer, with selects written without a template per option (sg17portal.form_renderer).
FORM_RENDERER = "sg17portal.form_renderer.PortalFormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Uploads --------------------------------------------------------------------------------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SERVE_FILES_WITH_X_ACCEL_REDIRECT = env.bool("SERVE_FILES_WITH_X_ACCEL_REDIRECT", default=False)
X_ACCEL_REDIRECT_PREFIX = env("X_ACCEL_REDIRECT_PREFIX", default="/protected/")

# --- Security -------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
# A signed-in page reads its session from the cache (Redis, or its database fallback) and only writes go to the
# sessions table as well: one query less on every signed-in request, and a session outlives a flushed cache.
SESSION_ENGINE = "sg17portal.sessions"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "sg17portal.logging.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}

# --- API ----------------------------------------------------------------------------------------
# The REST API under /api/v1/ (``api/``): personal access tokens or the browser session, and webhooks.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AccessTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerCallerRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Paths keep the names of their parameters ({pk}), which the schema describes.
    "SCHEMA_COERCE_PATH_PK": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITU-T Study Group Portal API",
    "DESCRIPTION": (
        "Meetings, key deadlines, documents, agenda, time plan and registrations of ITU-T study groups. "
        "Authenticate with a personal access token (`Authorization: Bearer …`, created on your profile) or "
        "with the browser session (send the CSRF token on writes)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "documents.models.Kind",
        "DeadlineKindEnum": "meetings.models.KeyDeadline.Kind",
        "SideEventKindEnum": "meetings.models.SideEvent.Kind",
        "EventTypeEnum": "notifications.events.EVENT_TYPES",
    },
}
# Requests per token (per person on the session, per address anonymously), e.g. "1200/min".
API_RATE_LIMIT = env("API_RATE_LIMIT", default="1200/min")
API_TOKEN_LAST_USE_RESOLUTION = timedelta(seconds=60)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE = timedelta(seconds=env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30))
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_SENDING_LEASE = timedelta(seconds=env.int("WEBHOOK_SENDING_LEASE_SECONDS", default=300))
# Receivers must be on the public internet: an address that resolves to a private, loopback, link-local or otherwise
# reserved network (the portal's own services, a cloud metadata endpoint) is refused at registration and at every
# delivery, unless it lies in one of these networks (comma-separated CIDRs: an integration host on the inside).
# The tests' own receivers listen on the loopback.
WEBHOOK_ALLOWED_NETWORKS = env.list(
    "WEBHOOK_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DJANGO_ENV == "test" else []
)

# Demo data loaders, run in order by `manage.py load_demo`; each app adds its own.
DEMO_LOADERS = [
    "accounts.demo.load",
    "meetings.demo.load",
    "registration.demo.load",
    "documents.demo.load",
    "agenda.demo.load",
]
