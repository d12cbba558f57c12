"""fibrosite settings, read from the environment; safe by default (DEBUG off, secrets required)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (a long random string), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only"  # never used with DEBUG off

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "staff.apps.StaffAdminConfig",  # django.contrib.admin with our AdminSite (staff/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # login throttling
    "django_otp",  # two-factor authentication for staff (staff/two_factor.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "taggit",
    "reversion",
    "crispy_forms",
    "crispy_bootstrap5",
    "pagecache",  # the page and fragment cache, by dependency (pagecache/registry.py)
    "authors",
    "articles",
    "replies",  # readers' replies to articles
    "staff",  # staff logins: the admin site, two-factor, login throttling, password reset
    "notifications",  # e-mail to staff about the editorial work
    "invitations",  # editors invite writers; writers set up their own login
    "writing",  # the article form's toolbar, live preview and autosave
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Everything above also applies to pages served from the page cache; everything below does not.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a one-time code was given
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "fibrosite.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "fibrosite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Kept open by each server thread in production: a new connection costs a request
        # milliseconds (the development server closes them after each request whatever this says).
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "600")),
        # A kept connection is checked before each request reuses it (one "SELECT 1"): after a
        # database restart or failover, each thread would otherwise answer one request with an error.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
# PostgreSQL plans a statement the pages repeat once per connection instead of on every request:
# psycopg binds the parameters on the server and prepares a statement from its sixth run on (Django
# leaves preparing off unless asked). Planning was about half of an article page's database time;
# it pays with connections kept open (CONN_MAX_AGE). Turn it off behind a pooler in transaction
# mode that does not keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements). After a migration that changes a column's type, restart the app servers.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, loading timestamps with psycopg's compiled loader, at most 65,535 parameters a statement.
    DATABASES["default"]["ENGINE"] = "fibrosite.postgresql"
    if env_bool("PG_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins. django-axes refuses a login after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address: keyed on the pair, so a stranger can lock out only their own tries, and for 15 minutes at most
# after their last one. A right password (or a password reset) starts the count again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "replies.clients.client_address"  # the reply rate limit's rule (TRUSTED_PROXIES)
AXES_LOCKOUT_CALLABLE = "staff.lockout.locked_out"

# Two-factor authentication (staff/two_factor.py): required of editors and superusers unless turned
# off; on by default wherever DEBUG is off, so that `make run`'s demo logins need no device.
TWO_FACTOR_REQUIRED_FOR_EDITORS = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "fibrosite"


# E-mail (password reset, invitations, notifications): printed on the console under `make run`, else sent
# through the SMTP server EMAIL_URL names: smtp://user:password@host:587 (STARTTLS with smtp+tls://,
# TLS from the start with smtps://); user and password percent-encoded.
def email_server(url):
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtp+tls", "smtps"):
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtps://")
    return (
        parts.hostname or "localhost",
        parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme],
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        parts.scheme == "smtp+tls",
        parts.scheme == "smtps",
    )


EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_URL")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL = email_server(
    os.environ.get("EMAIL_URL", "smtp://localhost:25")
)
EMAIL_TIMEOUT = 10  # seconds: a hanging mail server must not hold an editor's request for long
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fibrosite <noreply@localhost>")
# Where links in e-mail point (invitations, notifications): the site's own address, no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = False  # English only: no translation lookup for each value a template renders
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names served by whitenoise with long cache headers (after collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("TESTING")  # serve from the apps' folders before collectstatic
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise under their own names.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)  # off only behind a server that checks who may see each picture

# Shared cache: Redis when REDIS_URL is set (several app servers), else this process's memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": 1,  # a dead Redis must not hang pages
                "socket_timeout": 1,
                # Each process keeps what the page cache reads, told of every change by Redis:
                # a page-cache hit makes no round trip (pagecache.redis).
                "local_copies": env_bool("PAGE_CACHE_LOCAL_COPIES", True),
            },
            # Pages and fragments rendered by another release's code are not reused after a deploy.
            "KEY_PREFIX": os.environ.get("RELEASE", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_bool("CACHE_DISABLED"):  # every cache empty, always: pages as rendered from scratch (benchmarks)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Anonymous pages are cached whole (pagecache.middleware); 0 turns that off. On by default only with a
# shared cache: each process's own memory would let one worker keep a page another one changed.
PAGE_CACHE_SECONDS = int(
    os.environ.get("PAGE_CACHE_SECONDS", "600" if os.environ.get("REDIS_URL") and not DEBUG else "0")
)
PAGE_CACHE_DEBUG_HEADER = env_bool("PAGE_CACHE_DEBUG_HEADER")  # X-Page-Cache on responses: tests only
# Our own load balancers and proxies (addresses and CIDR networks): only when a request comes from one
# of them is its X-Forwarded-For believed (replies.clients.client_address). Empty: never.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Security. The app runs behind a TLS-terminating load balancer that sets X-Forwarded-Proto:
# trust that header (and only run it behind such a proxy, which must overwrite the header).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer checks health over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin sets style attributes; no inline script is allowed anywhere.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "Botox" and "botox" are one treatment topic.
TAGGIT_CASE_INSENSITIVE = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ARTICLES_PER_PAGE = 10
BENCHMARK = env_bool("BENCHMARK")  # adds the benchmark's floor view (benchmarks/run.py)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
