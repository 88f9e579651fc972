"""Settings of the browser tests' live server: the project's own (embedded mode), on a throwaway SQLite
file named by CRISIS_BROWSER_DB, so a test run never touches the developer's `db.sqlite3`."""

import os

from wargame.settings import *  # noqa: F403
from wargame.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["CRISIS_BROWSER_DB"]
