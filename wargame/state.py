"""Secrets a served-to-the-room run makes for itself once and keeps between runs.

They live in the state directory (STATE_DIR, default `var/` in the checkout, ignored by git): the
directory is private to its owner (0700) and each file is readable by its owner only (0600). Standard
library only: the settings use it before Django is set up.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

SECRET_BYTES = 50


def kept_secret(directory: Path, name: str, *, nbytes: int = SECRET_BYTES) -> str:
    """The secret kept in `directory/name`, made (random, URL-safe) the first time it is asked for."""
    path = Path(directory) / name
    existing = _read(path)
    if existing:
        return existing
    directory_path = Path(directory)
    directory_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process is making it: wait for theirs
        return _wait_for(path)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return value


def _wait_for(path: Path, seconds: float = 2.0) -> str:
    deadline = time.monotonic() + seconds
    while not (value := _read(path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not value:
        raise RuntimeError(f"{path} exists but is empty: delete it to make a new secret")
    return value


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
