"""What every long-running process does once it has loaded the code: keep what it loaded out of the
garbage collector's full collections.

A full collection walks every object the collector tracks, and while it runs nothing else in the process
does: the ASGI server writes to no socket, a worker resolves no move. With Django, Channels, Celery and the
app loaded that is ~100,000 objects that live as long as the process does, and full collections of 40-80
ms showed up as the slowest moves of the classroom benchmark (docs/performance.md, "Garbage collection").
`gc.freeze()` moves them into a permanent generation that collections skip; what the process allocates
afterwards is collected as before. (Frozen objects are never freed: only what lives as long as the
process may be frozen, hence once, at start-up.)
"""

from __future__ import annotations

import gc


def freeze_loaded_objects() -> int:
    """Collect what start-up left as garbage, then freeze everything still alive; returns how many
    objects are frozen now."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
