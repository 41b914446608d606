"""System checks for what breaks session authentication in production.

Run by `manage.py check` (and the dev server, and the test command's `check --deploy` test);
the ones tagged `deploy` only by `check --deploy`. Each says what to set.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

TAG = "sascop"


def _hosts_of(origins: list[str]) -> set[str]:
    return {(urlsplit(origin).hostname or "").lower() for origin in origins}


@register(TAG)
def cors_origins_are_trusted(app_configs: Any = None, **kwargs: Any) -> list[Warning | Error]:
    untrusted = sorted(set(settings.CORS_ALLOWED_ORIGINS) - set(settings.CSRF_TRUSTED_ORIGINS))
    if not untrusted:
        return []
    return [
        Error(
            f"CORS lets {', '.join(untrusted)} call the API with credentials, but CSRF does not "
            "trust it, so every unsafe request from there fails with csrf_failed.",
            hint="Add the same origins to CSRF_TRUSTED_ORIGINS (or remove them from "
            "CORS_ALLOWED_ORIGINS).",
            id="sascop.E001",
        )
    ]


@register(TAG)
def session_ages_are_consistent(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.SESSION_ABSOLUTE_AGE >= settings.SESSION_COOKIE_AGE:
        return []
    return [
        Error(
            f"SESSION_ABSOLUTE_AGE ({settings.SESSION_ABSOLUTE_AGE} s) is shorter than the idle "
            f"timeout SESSION_COOKIE_AGE ({settings.SESSION_COOKIE_AGE} s): the cap would end "
            "every session before it could ever go idle.",
            hint="Set SESSION_ABSOLUTE_AGE to at least SESSION_COOKIE_AGE (defaults: 43200 and "
            "7200).",
            id="sascop.E002",
        )
    ]


@register(TAG)
def samesite_none_needs_secure(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for cookie in ("SESSION", "CSRF"):
        samesite = str(getattr(settings, f"{cookie}_COOKIE_SAMESITE") or "")
        if samesite.lower() == "none" and not getattr(settings, f"{cookie}_COOKIE_SECURE"):
            errors.append(
                Error(
                    f"{cookie}_COOKIE_SAMESITE is None but {cookie}_COOKIE_SECURE is off: "
                    "browsers drop such a cookie, so nobody stays logged in.",
                    hint=f"Set {cookie}_COOKIE_SECURE=true (and serve over HTTPS), or use "
                    "SameSite=Lax.",
                    id="sascop.E003",
                )
            )
    return errors


@register(TAG, Tags.security, deploy=True)
def production_cookies_are_secure(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION or settings.SESSION_COOKIE_SECURE:
        return []
    return [
        Error(
            "SESSION_COOKIE_SECURE is off with SASCOP_ENV=production: the session cookie would "
            "travel over plain HTTP.",
            hint="Remove SESSION_COOKIE_SECURE=false from the environment (production turns it "
            "on).",
            id="sascop.E004",
        )
    ]


@register(TAG, deploy=True)
def allowed_hosts_are_trusted_origins(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    trusted = _hosts_of(settings.CSRF_TRUSTED_ORIGINS)
    missing = sorted(
        host
        for host in settings.ALLOWED_HOSTS
        if host not in {"*", "testserver"}
        and not host.startswith(".")
        and host.strip("[]").lower() not in trusted
    )
    if not missing:
        return []
    return [
        Warning(
            f"ALLOWED_HOSTS names {', '.join(missing)}, which CSRF_TRUSTED_ORIGINS does not: a "
            "front end served from there (or a proxy that rewrites the scheme) gets "
            "csrf_failed on every unsafe request.",
            hint="Add https://<host> for each to CSRF_TRUSTED_ORIGINS.",
            id="sascop.W002",
        )
    ]


@register(TAG, deploy=True)
def redis_answers(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not settings.REDIS_URL:
        return []
    from sascop.core.http.health import redis_answers as answers

    if answers():
        return []
    return [
        Warning(
            f"REDIS_URL is set ({urlsplit(settings.REDIS_URL).hostname}) but Redis does not "
            "answer: sessions and caches fall back to the database, and logouts answer 503.",
            hint="Start Redis, fix REDIS_URL, or unset it to run on the database alone.",
            id="sascop.W001",
        )
    ]


@register(TAG, Tags.security, deploy=True)
def redis_keys_name_the_database(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.REDIS_URL:
        return []
    wanted = "sascop.core.cache.instalacion.clave_de_cache"
    if settings.CACHES["default"].get("KEY_FUNCTION") == wanted:
        return []
    return [
        Error(
            "The Redis cache's keys do not name the database they copy: a database restored "
            "or created again, or another deployment sharing this Redis, would honour the "
            "sessions and user rows copied for another.",
            hint=f"Keep CACHES['default']['KEY_FUNCTION'] = {wanted!r}.",
            id="sascop.E005",
        )
    ]


@register(TAG, deploy=True)
def static_manifest_is_complete(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Production serves static files by their hashed names from collectstatic's manifest;
    a page naming a file the manifest lacks (or the manifest itself missing) is a 500."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    hint = "Run `python manage.py collectstatic --noinput` with these settings, on every deploy."
    if staticfiles_storage.read_manifest() is None:
        return [
            Error(
                f"No static files manifest ({staticfiles_storage.manifest_name}) in "
                f"STATIC_ROOT ({settings.STATIC_ROOT}): every page would answer 500.",
                hint=hint,
                id="sascop.E006",
            )
        ]
    publicados, _ = staticfiles_storage.load_manifest()
    faltan = sorted(
        {
            f"{prefijo}/{ruta}" if (prefijo := getattr(origen, "prefix", None)) else ruta
            for finder in finders.get_finders()
            for ruta, origen in finder.list(["CVS", ".*", "*~"])
        }
        - set(publicados)
    )
    if not faltan:
        return []
    return [
        Error(
            f"The static files manifest in STATIC_ROOT ({settings.STATIC_ROOT}) lacks "
            f"{len(faltan)} file(s) this version serves ({', '.join(faltan[:5])}"
            f"{', ...' if len(faltan) > 5 else ''}): the pages naming them would answer 500.",
            hint=hint,
            id="sascop.E006",
        )
    ]


@register(TAG, Tags.security, deploy=True)
def proxy_says_when_it_is_https(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.TRUSTED_PROXIES or settings.SECURE_PROXY_SSL_HEADER:
        return []
    return [
        Error(
            f"The app is behind a reverse proxy (TRUSTED_PROXIES: "
            f"{', '.join(settings.TRUSTED_PROXIES)}) but SECURE_PROXY_SSL_HEADER is not set: "
            "every request the proxy took over HTTPS looks like plain HTTP, so the HTTPS "
            "redirect loops, and CSRF checks and secure cookies see the wrong scheme.",
            hint="Set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (the default when "
            "TRUSTED_PROXIES is set) with the proxy setting X-Forwarded-Proto "
            "(deploy/nginx/proxy.conf), or empty TRUSTED_PROXIES if no proxy is in front.",
            id="sascop.E007",
        )
    ]
