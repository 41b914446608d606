"""SASCOP settings: one module, driven by environment variables.

`SASCOP_ENV=production` switches on the production behaviour (no default secret key, secure
cookies, HSTS, HTTPS redirect). Every variable read here is listed in `.env.example`.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import environ
from corsheaders.defaults import default_headers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SASCOP_ENV = env.str("SASCOP_ENV", default="development")
if SASCOP_ENV not in {"development", "production"}:
    raise environ.ImproperlyConfigured("SASCOP_ENV must be 'development' or 'production'")
PRODUCTION = SASCOP_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or "django-insecure-sascop-development-key"
# Keys retired by a rotation, still accepted for what they signed or encrypted (sessions,
# and the TOTP secrets of accounts.mfa) until it is re-done with SECRET_KEY.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "testserver"],
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
    "django_tables2",
    "template_partials",
    "corsheaders",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "sascop.core",
    "sascop.core.pages",
    "sascop.accounts",
    "sascop.tareas",
    "sascop.actividad",
    "sascop.catalogos",
    "sascop.flujo",
    "sascop.ptes",
    "sascop.ots",
    "sascop.precios",
    "sascop.produccion",
    "sascop.estimaciones",
    "sascop.estadisticas",
    "sascop.reportes",
    "sascop.consulta",
    "sascop.demo",
]

MIDDLEWARE = [
    # First: everything below reads the client's address and scheme it settles.
    "sascop.core.http.proxy.TrustedProxyMiddleware",
    # Outside everything that may answer an error (the request log reads the session when
    # the database is down), so a JSON error is always in the client's language.
    "sascop.core.http.middleware.ApiLanguageMiddleware",
    "sascop.core.http.observabilidad.ObservabilityMiddleware",
    "sascop.core.http.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files carry the headers too (the not-a-page policy).
    "sascop.core.http.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "sascop.core.http.middleware.RequestHeadMiddleware",
    "sascop.core.http.middleware.RequestSizeLimitMiddleware",
    "sascop.core.http.middleware.SessionCookieCapMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sascop.core.http.middleware.SessionPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "sascop.accounts.middleware.AuthenticationMiddleware",
    "sascop.accounts.middleware.MfaEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sascop.core.http.csp.csp_nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus deadlines: a hung PostgreSQL makes a request a 503, not a hang
    # (see sascop/core/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "sascop.core.db.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # New connections, and the health check of a reused one.
            "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=3),
            # Each statement of a web request (server side; the client waits 2 s more).
            "request_statement_timeout": env.float("DB_STATEMENT_TIMEOUT", default=10),
            # An idle connection to a peer that vanished (no FIN, no RST) is noticed in ~25 s.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        }
    )
    # No JIT compilation: it pays off for long analytic scans, while here a statement whose
    # estimated cost crosses jit_above_cost (a join over many lines) spent ~36 ms compiling
    # to save a few. DB_OPTIONS replaces it (libpq's `options`, e.g. "-c jit=on").
    DATABASES["default"]["OPTIONS"].setdefault("options", env.str("DB_OPTIONS", "-c jit=off"))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("DB_CONNECT_TIMEOUT", default=5),
            "transaction_mode": "IMMEDIATE",
            # WAL lets the app servers read while one of them writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
    REDIS_PAUSA_TRAS_FALLO = env.float("REDIS_PAUSA_TRAS_FALLO", default=5.0)
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="sascop"),
            # Every key names the database it copies (sascop.core.cache.instalacion).
            "KEY_FUNCTION": "sascop.core.cache.instalacion.clave_de_cache",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                # A Redis outage degrades to the database instead of failing every request,
                # and after one command goes unanswered the process stops asking for a while.
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "sascop.core.cache.cortacircuito.RedisConCortacircuito",
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How often a process reads its database's identity again (keys in Redis carry it).
INSTALACION_VERIFICAR_SEGUNDOS = env.int("INSTALACION_VERIFICAR_SEGUNDOS", default=10)
# Database sessions; with Redis, a revocable copy there too (see sascop.core.sessions.store).
SESSION_ENGINE = "sascop.core.sessions.store"
SESSION_MODEL = "accounts.Sesion"  # the session table, with user, IP and user agent

SESSION_COOKIE_NAME = env.str("SESSION_COOKIE_NAME", default="sessionid")
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=7200)  # idle timeout, seconds
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=12 * 3600)
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_INTERVAL", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_SAVE_EVERY_REQUEST = False  # sliding expiry is SessionPolicyMiddleware's job
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)

CSRF_COOKIE_NAME = env.str("CSRF_COOKIE_NAME", default="csrftoken")
CSRF_COOKIE_HTTPONLY = False  # the SPA and scripts read it; see SPEC §4
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
CSRF_FAILURE_VIEW = "sascop.core.http.error_views.csrf_failure"

_DEV_ORIGINS = [
    f"http://{host}{port}"
    for host in ("localhost", "127.0.0.1", "0.0.0.0", "[::1]")
    for port in ("", ":3000", ":8000")
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[] if PRODUCTION else _DEV_ORIGINS)
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[] if PRODUCTION else _DEV_ORIGINS)
CORS_ALLOW_CREDENTIALS = True
# Conditional edits (README: ETag, then If-Match) must work from another origin too.
CORS_ALLOW_HEADERS = (*default_headers, "if-match")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# --- Production hardening -------------------------------------------------------------------
# The reverse proxies in front of the app servers (addresses or networks, comma-separated):
# only from them are X-Forwarded-For and X-Forwarded-Proto believed (sascop/core/http/proxy.py);
# empty means the app servers face the clients themselves. Default: a proxy on this machine.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
try:
    _trusted_proxies = [ipaddress.ip_network(a, strict=False) for a in TRUSTED_PROXIES]
except ValueError as exc:
    raise environ.ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
# Behind the proxy, the header that tells a request came over HTTPS (`header,value`); checked
# by `check --deploy` (sascop.E007). Empty: no header is believed.
_proxy_ssl_header = env.list(
    "SECURE_PROXY_SSL_HEADER",
    default=["HTTP_X_FORWARDED_PROTO", "https"] if TRUSTED_PROXIES else [],
)
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise environ.ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be `header,value` or empty")
SECURE_PROXY_SSL_HEADER = (
    (_proxy_ssl_header[0], _proxy_ssl_header[1]) if _proxy_ssl_header else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of the pages (django-csp; sascop/core/http/csp.py gives every other
# response one that allows nothing). Scripts come from this origin or carry the response's
# nonce; no inline handlers, no eval; styles only from this origin's stylesheets. The API
# docs page adds what Swagger UI needs (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
# Browser features the application never uses, off for every response and any frame.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Bodies larger than this are refused with 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=1024 * 1024)
# The same for the views that take file uploads (`accepts_uploads`): the price-book import.
MAX_UPLOAD_BODY_BYTES = env.int("MAX_UPLOAD_BODY_BYTES", default=10 * 1024 * 1024)
# Reading one uploaded workbook may take this long (seconds), then it is refused (413); keep
# it below GUNICORN_TIMEOUT so the client hears why.
LIBRO_MAX_SEGUNDOS = env.float("LIBRO_MAX_SEGUNDOS", default=25)
# Longer URLs get 414, larger header sets 431, in JSON (RequestHeadMiddleware). Keep them
# below gunicorn's limits (config/gunicorn.conf.py), which answer with an HTML page.
MAX_URL_LENGTH = env.int("MAX_URL_LENGTH", default=4096)
MAX_REQUEST_HEADER_BYTES = env.int("MAX_REQUEST_HEADER_BYTES", default=16 * 1024)

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sascop.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "sascop.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Self-registration (`POST /api/register/`): open while developing, closed in production
# unless asked for. Attempts per client address are limited to REGISTRATION_RATE (a DRF
# rate, "N/second|minute|hour|day"; counted in the cache, so across app servers with Redis).
REGISTRATION_OPEN = env.bool("REGISTRATION_OPEN", default=not PRODUCTION)
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="10/hour")
# Days the login history is kept; `manage.py prune_login_history` deletes older events.
LOGIN_HISTORY_DAYS = env.int("LOGIN_HISTORY_DAYS", default=180)
# Seconds a user row is cached for session lookups; only with Redis (see accounts.selectors).
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=300) if REDIS_URL else 0
# Seconds counts and dashboard aggregates stay cached between writes; only with Redis
# (see core.cache.datacache).
DATA_CACHE_SECONDS = env.int("DATA_CACHE_SECONDS", default=600) if REDIS_URL else 0
# An OT's progress weighs the time elapsed of its plan against its steps done (see
# ots.selectors); any two non-negative weights, not both zero, used as proportions.
OT_PESO_TIEMPO = env.float("OT_PESO_TIEMPO", default=0.7)
OT_PESO_PASOS = env.float("OT_PESO_PASOS", default=0.3)
if min(OT_PESO_TIEMPO, OT_PESO_PASOS) < 0 or OT_PESO_TIEMPO + OT_PESO_PASOS <= 0:
    raise environ.ImproperlyConfigured(
        "OT_PESO_TIEMPO and OT_PESO_PASOS must not be negative nor both zero"
    )
# Two-factor login (accounts.mfa): roles (group names) whose members must set up an
# authenticator before doing anything else, how long a login waits for its code, and the
# name authenticator apps show.
MFA_REQUIRED_GROUPS = env.list("MFA_REQUIRED_GROUPS", default=[])
MFA_PENDING_SECONDS = env.int("MFA_PENDING_SECONDS", default=300)
# Seconds a user's "must enrol first" answer is kept between requests (it is also dropped
# when the user's groups or authenticator change).
MFA_POLICY_CACHE_SECONDS = env.int("MFA_POLICY_CACHE_SECONDS", default=60)
MFA_ISSUER = env.str("MFA_ISSUER", default="SASCOP")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "sascop.accounts.lockout.normalized_username"
AXES_LOCKOUT_CALLABLE = "sascop.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Not kept in the failure log: a typed two-factor code (axes hides the password itself).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Logins are recorded once, in the activity log (which is the login history); axes' own
# AccessLog would be a second copy, written on every login and logout and never pruned.
AXES_DISABLE_ACCESS_LOG = True
# Counters live in the database, the source of truth every app server shares: a lock-out
# holds whatever happens to Redis, and comes back with it. (axes' database handler, minus
# the resets of a login that had no failures: see accounts.lockout.)
AXES_HANDLER = "sascop.accounts.lockout.LockoutHandler"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None

# --- REST framework and OpenAPI -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["sascop.core.api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["sascop.core.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "sascop.core.api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "sascop.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sascop.core.api.exception_handler.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles key clients by address: REMOTE_ADDR, or with AXES_PROXY_COUNT proxies in
    # front the address they forward, never a client's own X-Forwarded-For.
    "NUM_PROXIES": env.int("AXES_PROXY_COUNT", default=0),
}
# Swagger UI's "Try it out" is a script in the page: unsafe requests must carry the
# `csrftoken` cookie as `X-CSRFToken`. drf-spectacular's own interceptor sends the token the
# page was rendered with, which login rotates, and skips credentialed requests; so this
# one reads the cookie when each request leaves, and only for this origin. A string setting
# reaches the page as JavaScript, unchanged. (Its schema-auth injection is for header
# schemes; the session cookie needs none.)
_SWAGGER_UI_SETTINGS = """{
  persistAuthorization: true,
  requestInterceptor: (request) => {
    const method = (request.method || "GET").toUpperCase();
    const sameOrigin = new URL(request.url, document.baseURI).origin === window.location.origin;
    if (sameOrigin && !["GET", "HEAD", "OPTIONS", "TRACE"].includes(method)) {
      const prefix = COOKIE_NAME + "=";
      const cookie = document.cookie.split("; ").find((c) => c.startsWith(prefix));
      if (cookie) {
        request.headers["X-CSRFToken"] = decodeURIComponent(cookie.slice(prefix.length));
      }
    }
    return request;
  },
}""".replace("COOKIE_NAME", json.dumps(CSRF_COOKIE_NAME))
SPECTACULAR_SETTINGS = {
    "TITLE": "SASCOP API",
    "DESCRIPTION": (
        "Operations backend for offshore subsea work: proposals (PTE), work orders (OT), "
        "production and dashboard. Authenticate with a Django session: log in, keep the "
        "`sessionid` cookie, and send the `csrftoken` value as `X-CSRFToken` on every "
        "unsafe request.\n\n"
        'Money and volumes are decimal strings (`"1250000.75"`), with one exception kept '
        "for contract B: `volumen_total` of `/operaciones/api/estadisticas/` is a JSON number. "
        "Dates are `YYYY-MM-DD`; date-times are ISO 8601 in UTC with a `Z` suffix "
        "(`2026-05-20T18:00:00Z`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sascop.accounts.schema.add_contract_b_login",
    ],
    "SWAGGER_UI_SETTINGS": _SWAGGER_UI_SETTINGS,
    "ENUM_NAME_OVERRIDES": {
        "EstatusPTEEnum": "sascop.catalogos.estatus.EstatusPTE",
        "EstatusPasoEnum": "sascop.catalogos.estatus.EstatusPaso",
        "EstatusOTEnum": "sascop.catalogos.estatus.EstatusOT",
        "EstatusCobroEnum": "sascop.catalogos.estatus.EstatusCobro",
        "EstatusConceptoEnum": "sascop.precios.models.Concepto.Estatus",
        "TipoConceptoEnum": "sascop.precios.models.Concepto.Tipo",
        "EstatusReporteEnum": "sascop.produccion.models.ReporteDiario.Estatus",
        "EstatusCierreMesEnum": "sascop.produccion.models.CierreMes.Estatus",
        "EstatusEstimacionEnum": "sascop.estimaciones.models.Estimacion.Estatus",
    },
}

# --- Internationalisation, static files, logging --------------------------------------------
# Pages are always es-MX; the JSON API answers its human messages in English, or in Spanish
# to a client whose Accept-Language asks for it (sascop.core.http.middleware). Messages are
# English msgids in the code, translated by each app's locale/es_MX catalog.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)"), ("en", "English")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the published files (and, in production, their manifest).
# A relative path is taken from this directory (beside manage.py).
STATIC_ROOT = BASE_DIR / env.str("STATIC_ROOT", default="staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "sascop.core.pages.staticfiles.NodeModulesFinder",
]
# Front-end code from the npm registry (package.json, package-lock.json; `npm ci` puts it
# here): the pages serve these files, nothing else of node_modules/ is published.
NODE_MODULES_DIR = BASE_DIR / "node_modules"
# The source map goes with the script that names it: production's collectstatic rewrites that
# name to the map's hashed one, and fails if the map is not published.
NODE_STATIC_FILES = {
    "vendor/chart.js/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "vendor/chart.js/chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
    # The production sheet's grid (MIT).
    "vendor/tabulator/tabulator.min.js": "tabulator-tables/dist/js/tabulator.min.js",
    "vendor/tabulator/tabulator.min.js.map": "tabulator-tables/dist/js/tabulator.min.js.map",
    "vendor/tabulator/tabulator.min.css": "tabulator-tables/dist/css/tabulator.min.css",
    "vendor/tabulator/tabulator.min.css.map": "tabulator-tables/dist/css/tabulator.min.css.map",
}

# One JSON line per request on the `sascop.peticiones` logger (sascop.core.http.observabilidad).
REQUEST_LOG = env.bool("REQUEST_LOG", default=True)
# GET /metrics answers these addresses, or `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Background work: Django's task framework (the django-tasks backport) on the database
# backend, run by `manage.py trabajar` (see docs/deployment.md for why the database).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Each worker's id, unique in the installation (the host name by default).
TRABAJADOR_ID = env.str("TRABAJADOR_ID", default="")
# An import (price book, PUE list, register of OTs) of a workbook with more rows than this
# runs as a queued task: the API answers 202 with the task to poll, the page a progress bar.
IMPORTAR_FILAS_EN_TAREA = env.int("IMPORTAR_FILAS_EN_TAREA", default=2000)
# Recurring tasks: dotted path -> (ISO weekday, hour, minute) in TIME_ZONE.
TAREAS_PROGRAMADAS = {"sascop.reportes.tasks.reporte_semanal_programado": (1, 7, 0)}

# E-mail (the weekly report): EMAIL_URL as django-environ reads it, e.g.
# smtp://user:password@mail.example.com:587/?tls=True; the console on the embedded default.
vars().update(env.email_url_config(env.str("EMAIL_URL", default="") or "consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SASCOP <sascop@localhost>")
# The weekly report goes to these addresses plus those listed in the administration.
REPORTE_SEMANAL_DESTINATARIOS = env.list("REPORTE_SEMANAL_DESTINATARIOS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json_line": {"format": "%(message)s"},  # the message is the JSON object
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "json_line"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates each layout step at INFO; the weekly report needs only problems.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "sascop.peticiones": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}
