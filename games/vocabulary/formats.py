"""How times and numbers are written, everywhere: the protocol, the pages and the exports."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z` (`2026-12-06T04:50:41.123456Z`), the protocol's and the exports' form."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
