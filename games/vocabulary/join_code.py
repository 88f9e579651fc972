"""What a class's join code is: the one rule the model, the join page, the services, the websocket route,
the instructor's form and `manage.py create_class` follow.

A code is 4 to 12 upper-case letters and digits. A random code is 6 characters of an alphabet without
0/O and 1/I (easy to read off a projector), drawn from the operating system's CSPRNG: 30 bits. As typed
or linked, a code is trimmed, its spaces removed and upper-cased ("ab c12 " -> "ABC12").
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 6  # of a random code
MIN_LENGTH, MAX_LENGTH = 4, 12
TYPED_MAX_LENGTH = 2 * MAX_LENGTH  # what the join page's field takes: room for a space between characters

PATTERN = rf"[A-Z0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}"  # a code as stored
URL_PATTERN = rf"[A-Za-z0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}"  # a code in a URL, in either case
_CODE = re.compile(PATTERN)


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """A code as typed or linked: without spaces, upper-case ("ab c12 " -> "ABC12")."""
    return "".join(typed.split()).upper()


def is_valid(code: str) -> bool:
    """A normalised code that follows the rule."""
    return _CODE.fullmatch(code) is not None
