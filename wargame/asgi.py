"""ASGI entry point: HTTP to Django, websockets to the Channels consumers, lifespan to the embedded timers.

Serve with `uvicorn wargame.asgi:application`.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")

# Django must be set up before anything imports models (the routing imports the consumers).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from games.play.identity import auth_middleware_stack  # noqa: E402
from games.routing import websocket_urlpatterns  # noqa: E402
from wargame.lifespan import LifespanApp  # noqa: E402
from wargame.startup import freeze_loaded_objects  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The session cookie authenticates the socket (a database outage there ends in a 1013 close, not
        # a failed handshake); the Origin must be one of ALLOWED_HOSTS.
        "websocket": AllowedHostsOriginValidator(auth_middleware_stack(URLRouter(websocket_urlpatterns))),
        "lifespan": LifespanApp(),
    }
)

freeze_loaded_objects()  # everything loaded so far lives as long as the server (wargame/startup.py)
