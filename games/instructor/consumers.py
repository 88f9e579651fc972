"""The staff socket at `/ws/instructor/<code>/`: what changes in one class, for the live dashboard."""

from __future__ import annotations

import contextlib
from typing import Any

from channels.db import database_sync_to_async

from games.models import ClassSession
from games.play import identity
from games.play.consumers import ProtocolConsumer
from games.play.protocol import CLOSE_FORBIDDEN, CLOSE_NO_CLASS, CLOSE_TRY_LATER
from games.realtime.groups import instructor_group
from games.realtime.layer_watch import WATCH
from games.vocabulary import join_code


def class_exists(code: str) -> bool:
    return ClassSession.objects.filter(code=code).exists()


class InstructorConsumer(ProtocolConsumer):
    """Staff only: what changes in one class, for the live dashboard."""

    client_types = ("ping",)
    group: str | None = None

    async def connect(self) -> None:
        await self.accept()
        if self.scope.get(identity.AUTH_UNAVAILABLE):  # who it is is unknown: not "forbidden", "later"
            await self.send_error("unavailable")
            await self.close(CLOSE_TRY_LATER)
            return
        user = self.scope.get("user")
        if not (user is not None and user.is_authenticated and user.is_staff):
            await self.close(CLOSE_FORBIDDEN)
            return
        code = join_code.normalise(self.scope["url_route"]["kwargs"]["code"])
        if not await database_sync_to_async(class_exists)(code):
            await self.close(CLOSE_NO_CLASS)
            return
        if not await self.join_group(instructor_group(code)):
            return
        self.group = instructor_group(code)
        WATCH.watch(self)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            WATCH.forget(self)
            with contextlib.suppress(Exception):  # Redis is down; its subscriptions went with it
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def layer_resync(self, event: dict[str, Any]) -> None:
        """Redis is back: nudges sent while it was away are lost; the dashboard reloads its snapshot."""
        await self.send_frame({"type": "class_changed", "round": None})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.group is not None:
            await super().receive(text_data, bytes_data)

    async def class_changed(self, event: dict[str, Any]) -> None:
        await self.send_frame({**{k: v for k, v in event.items() if k != "type"}, "type": "class_changed"})
