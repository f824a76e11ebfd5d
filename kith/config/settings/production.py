"""Production: every secret comes from the environment; refuse to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SECRET_KEY, STORAGES, VAR_DIR, env_bool

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

DEBUG = False
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "Set REDIS_URL: rate limits and sign-in codes need a cache every web process shares."
    )
# The fictional demo locality never ships to production unless a demo site asks for it.
if not env_bool("KITH_DEMO_SITE", False):
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "kith.demo"]
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(VAR_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = False
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# TLS usually ends at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
