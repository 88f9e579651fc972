"""Production settings: `wargame.settings` hardened for a deployment behind an HTTPS proxy.

DEBUG is always off; SECRET_KEY and ALLOWED_HOSTS must come from the environment. `manage.py check
--deploy` is clean with this module (tests/test_deploy_check.py).
"""

from __future__ import annotations

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# The proxy terminates TLS and says so in X-Forwarded-Proto; only trust it behind such a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes from the container runtime come over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Static files are collected into the image (`collectstatic`) and served compressed with far-future
# cache headers, under hashed names that the pages' ES module imports follow too (wargame/storage.py).
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "wargame.storage.ModuleManifestStaticFilesStorage"},
}
