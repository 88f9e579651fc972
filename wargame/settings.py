"""Settings for every run mode, driven by environment variables (see `.env.example`).

Two variables pick the run mode (docs/architecture.md):

* no `DATABASE_URL` and no `REDIS_URL`: *embedded* mode. SQLite, an in-memory channel layer, Celery
  tasks run in-process (eager) and the ASGI lifespan runs the periodic tasks. One process, nothing to
  install but the Python packages.
* both set: *stack* mode. PostgreSQL, the Redis pub/sub channel layer, Celery workers and beat.

This module is the development and test configuration (DEBUG defaults to on, so a checkout runs with no
configuration at all); `wargame.settings_production` hardens it for a deployment.

`CLASSROOM=true` (`make classroom`) serves a checkout to the room's network: DEBUG defaults to off, the
secret key is made once and kept in STATE_DIR, and the machine's own addresses are allowed hosts.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wargame import network, state

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").is_file():
    # Values already in the environment win over the file.
    env.read_env(BASE_DIR / ".env")

# --------------------------------------------------------------------------------------------------
# Core
# --------------------------------------------------------------------------------------------------
# Served to the room's network from a checkout (`make classroom`): no traceback may reach a student.
CLASSROOM = env.bool("CLASSROOM", default=False)
DEBUG = env.bool("DEBUG", default=not CLASSROOM)
# Files a run keeps for itself (the classroom secret key and instructor password); git ignores it.
STATE_DIR = Path(env("STATE_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if CLASSROOM:
        SECRET_KEY = state.kept_secret(STATE_DIR, "secret_key")
    elif not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    else:
        SECRET_KEY = "django-insecure-development-only-key-never-use-it-in-production"

# The address students open (scheme://host[:port]), when it is not this machine's own LAN address: a name
# on the room's network, or a proxy in front. Join links and QR codes use it; its host is always allowed.
PUBLIC_URL = env("PUBLIC_URL", default="").strip().rstrip("/")
PUBLIC_HOST = urlsplit(PUBLIC_URL).hostname if PUBLIC_URL else None
# Classroom mode: this machine's address on the room's network (None without one), for the join links.
LAN_ADDRESS = network.lan_address() if CLASSROOM else None
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
if CLASSROOM:
    # The instructor's own browser (loopback) and the room: this machine's addresses and names.
    DEFAULT_HOSTS = [*LOOPBACK_HOSTS, *network.own_hosts()]
else:
    DEFAULT_HOSTS = [*LOOPBACK_HOSTS, "testserver"] if DEBUG else []
# Websocket Origins are checked against these too (channels' AllowedHostsOriginValidator).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=DEFAULT_HOSTS)
if PUBLIC_HOST and PUBLIC_HOST not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(PUBLIC_HOST)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if PUBLIC_URL:
    PUBLIC_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(PUBLIC_URL))
    if PUBLIC_ORIGIN not in CSRF_TRUSTED_ORIGINS:
        CSRF_TRUSTED_ORIGINS.append(PUBLIC_ORIGIN)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "games",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wargame.urls"
WSGI_APPLICATION = "wargame.wsgi.application"
ASGI_APPLICATION = "wargame.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------------------------------
# Database: SQLite unless DATABASE_URL is set
# --------------------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default="")
# Every SQLite database (the default file or a sqlite:/// URL) is shared between request threads and
# in-process tasks: WAL lets readers run beside the writer, IMMEDIATE takes the write lock up front (no
# upgrade deadlocks) and the timeout (seconds) waits for it instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env.float("SQLITE_TIMEOUT", default=20),
}
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # An unreachable database host (not one that refuses) must not hold a server's one database
        # thread for the operating system's TCP timeout (minutes): fail, answer `unavailable`, retry.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
        )
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Options in the URL's query string (?timeout=5) win.
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Under ASGI a persistent connection would be tied to whichever worker thread opened it and leak; open
# one per unit of work instead (DESIGN.md, pitfalls).
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Celery workers are not ASGI: wargame/celery.py gives each worker process (thread) a connection kept this
# many seconds and checked before every task, which saves a PostgreSQL connect per task (measured: 12 ms
# of wall time per connect on the bench machine). 0 connects for every task, as under ASGI.
WORKER_CONN_MAX_AGE = env.int("WORKER_CONN_MAX_AGE", default=300)

# --------------------------------------------------------------------------------------------------
# Redis: channel layer, cache, Celery broker. In-process stand-ins unless REDIS_URL is set.
# --------------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
REDIS_MAX_CONNECTIONS = env.int("REDIS_MAX_CONNECTIONS", default=1000)
CHANNEL_LAYER_PREFIX = env("CHANNEL_LAYER_PREFIX", default="crisis")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer: measured to deliver 1,500 clients at 500 msg/s where the default
            # RedisChannelLayer dropped about half. Delivery is at most once; clients resync by `seq`.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # redis-py's default pool of 100 failed handshakes under a burst of 600 connects.
                "hosts": [{"address": REDIS_URL, "max_connections": REDIS_MAX_CONNECTIONS}],
                "prefix": CHANNEL_LAYER_PREFIX,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNEL_LAYER_PREFIX,
            # The join limit and presence fail open when Redis is away: quickly, not after a TCP timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --------------------------------------------------------------------------------------------------
# Celery (read by wargame/celery.py through the CELERY_ namespace)
# --------------------------------------------------------------------------------------------------
# The in-memory broker is named with its host: without one kombu warns ("No hostname was supplied") on the
# first task, in a mode that has no broker to speak of.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Embedded mode: tasks run inline in the caller, and their exceptions reach it.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only when it has finished, and a task whose worker died is re-queued: a killed
# worker loses nothing (tasks are idempotent, so running one twice is harmless).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Pool processes per worker. A move's task spends about half its time waiting on PostgreSQL and Redis,
# so two processes on two cores left the cores idle and capped a worker near 100 moves/s; four served
# ~20 % more and cut the queueing tail of the classroom run (docs/performance.md). Each costs ~60 MB.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=4)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # How long an unacknowledged task waits before Redis hands it to another worker. The default (one
    # hour) would stall a class for an hour after a worker dies; 30 s is far longer than any task runs
    # (the time limits below), so a slow task is never run twice while still running. Consequence: no
    # countdown/ETA longer than this may be used with this broker. Decision deadlines are therefore
    # applied by the periodic sweep below, not by delayed tasks.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=30),
    # ...but kombu only looks for such abandoned messages every unacked_restore_interval x
    # unacked_restore_throttle seconds, 10 x 10 by default: a killed worker's tasks came back after about
    # 100 s whatever the visibility timeout (the ~93 s of DESIGN.md's pitfalls). Look every 2 s (one
    # cheap ZRANGE per worker), so a task comes back within the visibility timeout + 2 s.
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=2),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=1),
    # A broker that vanishes without closing the connection must not hang a publish (and the student
    # waiting for its answer) forever: give up after these many seconds, and answer `unavailable`.
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
}
# Celery's Django fixup closes the database connection before and after every task unless this is set
# (then only every 2 x N tasks); WORKER_CONN_MAX_AGE above decides when a worker's connection goes.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_TASK_SOFT_TIME_LIMIT = 10
CELERY_TASK_TIME_LIMIT = 20
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "games.tasks.sweep_deadlines",
        "schedule": 1.0,  # seconds
        "options": {"expires": 5},  # a backlog of sweeps is pointless: the next one does the same work
    },
}
# Beat writes its schedule file every 60 tasks (about a minute), not every 3 minutes: the file's age is
# the production health check of beat (docker-compose.yml).
CELERY_BEAT_SYNC_EVERY = 60
# Embedded mode has no beat: the ASGI lifespan runs CELERY_BEAT_SCHEDULE in-process (wargame/lifespan.py).
EMBEDDED_TIMERS = env.bool("EMBEDDED_TIMERS", default=CELERY_TASK_ALWAYS_EAGER)

# --------------------------------------------------------------------------------------------------
# Sessions and auth. Sessions live on the server: the websocket authenticates by the session cookie and
# a signed-cookie session could not be revoked or looked up by the consumers.
# --------------------------------------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --------------------------------------------------------------------------------------------------
# The player protocol's boundary (docs/live-play.md, "Protocol boundary")
# --------------------------------------------------------------------------------------------------
# Failed join attempts (unknown code, bad input, class closed or full) allowed per client address, as
# "attempts/seconds"; "0/60" switches the limit off. Successful joins are not counted, so a whole class
# behind one school NAT can join at once while guessing codes stays hopeless.
JOIN_RATE_LIMIT = env("JOIN_RATE_LIMIT", default="60/60")
# How many reverse proxies in front of the ASGI server append to X-Forwarded-For and are trusted to. 0:
# the client address is REMOTE_ADDR as the ASGI server reports it (docker compose: uvicorn's
# --proxy-headers already resolves it from Caddy's header). Never set it without such a proxy.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
# Websocket frames: largest accepted text frame (the ASGI server itself closes at 64 KiB), and the
# per-connection token bucket as "frames per second/burst".
WS_MAX_FRAME_BYTES = env.int("WS_MAX_FRAME_BYTES", default=16 * 1024)
WS_RATE_LIMIT = env("WS_RATE_LIMIT", default="10/20")
# A connection that keeps sending this many refused (rate-limited) frames within 10 s is closed (1008).
WS_FLOOD_CLOSE = env.int("WS_FLOOD_CLOSE", default=100)
# Stack mode: how often each ASGI process checks Redis, to tell its sockets when it is down and resync
# them when it is back (games/layer_watch.py); 0 switches the check off.
WS_LAYER_WATCH_SECONDS = env.float("WS_LAYER_WATCH_SECONDS", default=1.0)

# --------------------------------------------------------------------------------------------------
# Internationalisation
# --------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --------------------------------------------------------------------------------------------------
# Static files (served by WhiteNoise in every mode; no build step)
# --------------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without `collectstatic` (embedded and classroom modes, tests) WhiteNoise serves straight from the finders,
# with DEBUG off too; the production image collects them (wargame.settings_production).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
if CLASSROOM and WHITENOISE_USE_FINDERS:
    # A checkout served to the room never collects STATIC_ROOT: WhiteNoise need not say so at every start.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
# Files served at the site's root: /favicon.ico for pages that link no icon (the admin's, say).
WHITENOISE_ROOT = BASE_DIR / "frontend" / "static" / "favicon"
# WhiteNoise streams files through a synchronous iterator, which Django under ASGI consumes in a thread,
# warning on every static file. That is expected here (small files that browsers cache), not a fault.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

# --------------------------------------------------------------------------------------------------
# Security defaults that hold in every mode (production adds HTTPS-only settings)
# --------------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --------------------------------------------------------------------------------------------------
# Logging: one line per record on stderr, level from LOG_LEVEL
# --------------------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task run would repeat every second for the deadline sweep.
        "celery.app.trace": {"level": "WARNING"},
    },
}
