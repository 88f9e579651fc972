"""The refusals a service raises: each carries a protocol error code and the HTTP status of DESIGN.md."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a protocol error code and a message a person can act on."""

    code = "bad_message"
    status = 400

    def __init__(self, message: str, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class JoinError(ServiceError):
    """Joining failed: `status` is the HTTP status of DESIGN.md (400, 404, 409, 429)."""


class MoveRejected(ServiceError):  # noqa: N818 (a refusal, not a failure)
    """A move was refused; `code` is one of the protocol's error codes."""
