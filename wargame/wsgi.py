"""WSGI entry point, for management tooling only: the game itself needs ASGI (`wargame.asgi`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")

application = get_wsgi_application()
