"""Settings shared by every environment. Values that differ between deployments come from
the environment through the typed readers in ``env``; defaults here are the safe ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .logs import logging_config
from .sso import oidc_apps_from_env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo mode adds the persona switcher and the demo mailbox. It is never on in production:
# production.py refuses to start with it.
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text and trigram search on PostgreSQL (inert on SQLite)
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # sign-in: e-mail or user name, two factors, single sign-on (ADR 0014)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_prometheus",
    # our apps, one per bounded context
    "talent_exchange.core",
    "talent_exchange.accounts",
    "talent_exchange.notifications",
    "talent_exchange.organizations",
    "talent_exchange.people",
    "talent_exchange.programs",
    "talent_exchange.opportunities",
    "talent_exchange.nominations",
    "talent_exchange.preferences",
    "talent_exchange.interviews",
    "talent_exchange.matches",
    "talent_exchange.placements",
    "talent_exchange.finance",
    "talent_exchange.learning",
    "talent_exchange.api",
    "talent_exchange.audit",
    "talent_exchange.nonprod",
    "talent_exchange.operations",
    "talent_exchange.privacy",
    "talent_exchange.reports",
    "talent_exchange.development",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "talent_exchange.operations.context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talent_exchange.core.sessions.SlidingSessionMiddleware",  # idle sessions expire
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "talent_exchange.accounts.language.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "talent_exchange.core.middleware.PermissionRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # operators, program administrators and auditors set up a second factor before anything
    "talent_exchange.accounts.two_factor.TwoFactorRequiredMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Load tests: each answer says its server and CPU time (core/timing.py). Off in normal use.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "talent_exchange.core.timing.ServerTimingMiddleware")

ROOT_URLCONF = "talent_exchange.urls"
WSGI_APPLICATION = "talent_exchange.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "talent_exchange.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite embedded by default (zero set-up); DATABASE_URL for PostgreSQL.
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "talent_exchange.sqlite3")))
SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)


def database_from_env() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
        if config["ENGINE"] not in (
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        ):
            raise ImproperlyConfigured(
                f"DATABASE_URL names {config['ENGINE']}; only PostgreSQL and SQLite are supported."
            )
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        "OPTIONS": SQLITE_OPTIONS,
    }


# On SQLite every write transaction takes the write lock when it begins (IMMEDIATE), because
# select_for_update() is a no-op there: two requests racing for the same row serialise instead
# of failing half-way with "database is locked" on the upgrade from a read lock.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # what the rules refuse and no model permission can grant: refused without a query
    "talent_exchange.accounts.backends.NoUnknownModelPermissionBackend",
    # the e-mail address (in any case) with the password; then the user name (ModelBackend)
    "talent_exchange.accounts.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Signing in with django-allauth (ADR 0014): people type their e-mail address or their user
# name; nobody signs themselves up (accounts come from administrators, invitations and SSO).
ACCOUNT_ADAPTER = "talent_exchange.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_FORMS = {"login": "talent_exchange.accounts.forms.LoginForm"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Sessions end when the browser closes (below); no "remember me".
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# django-axes throttles failed passwords (accounts/lockout.py; AccountAdapter.pre_authenticate
# leaves them to it), so allauth's limit on every sign-in per address (an office behind one
# address signs in together) is off. allauth's "login_failed" stays: it limits wrong
# second-factor codes to 5 per person per 5 minutes (and 10 a minute per address).
ACCOUNT_RATE_LIMITS = {"login": False}

# Two-factor sign-in (accounts/two_factor.py): an authenticator app (TOTP) with recovery codes,
# or a security key / passkey (WebAuthn). Required for platform operators, program
# administrators and auditors unless TWO_FACTOR_REQUIRED is turned off (a deployment whose
# identity provider enforces it for everyone, see docs/administrators.md).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Talent Exchange")
# One step of clock drift either way between the phone and the server (RFC 6238, 5.2).
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10

# Single sign-on with OpenID Connect (accounts/sso/, settings/sso.py): the providers come from
# OIDC_PROVIDERS; each is an app of allauth's openid_connect provider, with our provider class
# (a nonce, private_key_jwt, claim mapping). PKCE is on for every provider.
SOCIALACCOUNT_ADAPTER = "talent_exchange.accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "talent_exchange.accounts.sso.provider.GovernmentOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": oidc_apps_from_env(),
    }
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by address is ours (sso/adapter.py)
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in page posts (CSRF-protected) to a provider
SOCIALACCOUNT_STORE_TOKENS = False

# The client's address behind our own reverse proxies (core/client.py): how many proxies
# stand in front of the app, each appending to X-Forwarded-For. 0: no proxy, the header is
# ignored (anyone can send it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT cannot be negative.")

# Login throttling (accounts/lockout.py): failures count per user name AND client address;
# after AXES_FAILURE_LIMIT of them the pair pauses, each further failure doubles the pause.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_PAUSE_FIRST = timedelta(minutes=env_int("LOGIN_PAUSE_MINUTES", 1))
LOGIN_PAUSE_MAX = timedelta(hours=24)
LOGIN_FAILURES_FORGOTTEN_AFTER = timedelta(hours=24)
AXES_HANDLER = "talent_exchange.accounts.lockout.ProgressiveLockoutHandler"
AXES_COOLOFF_TIME = "talent_exchange.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "talent_exchange.core.client.client_ip"
AXES_LOCKOUT_CALLABLE = "talent_exchange.accounts.lockout.locked_out"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# One cache shared by every server and worker, in the database (no other server to run): what
# must hold across processes does (allauth's rate limits and its guard against a second
# factor's code used twice; development.mobility's status index, computed once per change
# instead of once per worker). The table is made by a migration (operations 0002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "te_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Idle sessions expire: requests push the expiry forward, 30 minutes of quiet ends it.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# Refreshed at most once a minute by core.sessions, not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers (production.py adds HSTS and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "en"
# A person's language also sets how dates and numbers read: "en" as in the United States,
# "en-ca" as in Canada (English text), "fr" as in Canada (talent_exchange/formats/fr).
# Each is named in its own language, whatever the page's (the catalogue keeps the names).
LANGUAGES = [("en", _("English")), ("en-ca", _("English (Canada)")), ("fr", _("French"))]
FORMAT_MODULE_PATH = ["talent_exchange.formats"]
# Django formats Canadian English (django/conf/locale/en_CA) but has no name for it:
# core.apps.CoreConfig.ready() adds the name to Django's table of languages.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from npm (package-lock.json) and are served straight from
# node_modules; nothing vendored is committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Report files and full history exports written in the background (reports app).
EXPORTS_DIR = Path(env_str("EXPORTS_DIR", str(BASE_DIR / "var" / "exports")))
# How long a written export's file is kept (the daily `expire_exports` removes it, and its
# page then offers to prepare it again). Seven days: the e-mailed link still works after a
# weekend or a few days away, while copies of personal data taken out of the database (a
# participants report, a full history) do not pile up on the server; anything expired can be
# written again in minutes. Match runs' downloads and markets (150 MB at 100,000
# participants) are the same: rebuilt on demand, never needed for the record.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
if EXPORT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("EXPORT_RETENTION_DAYS must be at least 1 (days).")
# A cycle's market of at most this many participants' rankings (and a twentieth as many
# participants) downloads at once: about 4 MB of JSON and 60 ms of CPU (10,000 participants
# ranked 200,206: 25 MB, 0.40 s). A larger one is written by the task worker as an export
# (matches/reports.py).
MARKET_EXPORT_SYNC_RANKINGS = 30_000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail through Django's mail framework; the backend and server come from the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds to wait for the SMTP server; a message is retried later (notifications.services).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
# The address people reach the site at, for links in e-mails sent outside a request
# (reminders, background tasks), e.g. https://talent.example.org
SITE_URL = env_str("SITE_URL", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Talent Exchange <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks API with the database backend (no broker needed).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Audit trail: history rows record the acting user from the request.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Every handler carries the "redact" filter: links with tokens (endorsement, password reset,
# ``?token=``) and e-mail addresses never reach a log (core/log_filters.py). Django's own
# loggers, including the development server's request lines, send to the same handler
# instead of their default ones. Each line carries the request id (and the task id in the
# worker) from operations/context.py; LOG_FORMAT=json writes one JSON object per line
# (the production default), LOG_FORMAT=plain one line of text.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use plain or json.")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))

# Prometheus metrics (/metrics): readable with this token (Authorization: Bearer …) or by a
# signed-in auditor; empty means no scraper is configured.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# A task worker that has not beaten for this long is taken as dead; the tasks it was running
# are recovered (operations/recovery.py).
WORKER_LOST_AFTER_SECONDS = env_int("WORKER_LOST_AFTER_SECONDS", 60)

PAGE_SIZE = 25
FORM_RENDERER = "talent_exchange.core.forms.USWDSFormRenderer"
