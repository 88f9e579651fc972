"""The Celery application, configured from Django settings (the `CELERY_` namespace).

Workers: `celery -A wargame worker`; periodic tasks: `celery -A wargame beat`. Without REDIS_URL the
settings make every task run eagerly in the caller's process (embedded mode).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")

app = Celery("wargame")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
