"""The refusals a service raises: each carries a protocol error code, the HTTP status of DESIGN.md and the
values its words need; the words themselves are in `games.vocabulary.errors`, by code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from games.vocabulary import errors


class ServiceError(Exception):
    """A refusal of the class controls. `text()` words it in the reader's language, `message` in English
    (for logs, commands and socket frames). `message` given when raising words a code that the class's
    table does not have yet; a code in the table is always worded by the table."""

    code = "bad_message"
    status = 400
    messages: Mapping[str, Promise] = errors.INSTRUCTOR

    def __init__(
        self, message: str | None = None, code: str | None = None, status: int | None = None, **params: Any
    ):
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.params = params
        self.detail = message
        super().__init__(self.message)

    def text(self) -> str:
        """The refusal in the active language."""
        if self.detail and self.code not in self.messages:
            return self.detail
        return errors.message(self.messages, self.code, self.params)

    @property
    def message(self) -> str:
        with translation.override("en"):
            return self.text()


class JoinError(ServiceError):
    """Joining failed: `status` is the HTTP status of DESIGN.md (400, 404, 409, 429), or 503 when the
    database is busy for longer than its lock wait (try again)."""

    messages = errors.JOIN


class MoveRejected(ServiceError):  # noqa: N818 (a refusal, not a failure)
    """A move was refused; `code` is one of the protocol's error codes."""

    messages = errors.PLAY
