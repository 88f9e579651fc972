"""The class report, cached per state of the log: three hundred students opening their debrief at once
compute it once. A key changes whenever an event is appended or a round is created or finished."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q

from games.debrief import class_analysis
from games.debrief.load import load_class
from games.models import ClassSession, Event, Participant, Round

CACHE_VERSION = 2  # bump when the report's shape changes: entries of the old shape must never be read
CACHE_SECONDS = 6 * 60 * 60


def report_key(class_session: ClassSession) -> str:
    """A key that changes with every appended event (the log is append-only: count and last id) and with
    every round created or finished; the code and creation time keep a recreated database's reused ids
    from ever meeting an old entry."""
    events = Event.objects.filter(round__class_session=class_session).aggregate(n=Count("id"), last=Max("id"))
    rounds = Round.objects.filter(class_session=class_session).aggregate(
        n=Count("id"), done=Count("id", filter=Q(status=Round.Status.FINISHED))
    )
    created = class_session.created.timestamp() if class_session.created else 0
    return (
        f"debrief:{CACHE_VERSION}:{class_session.pk}:{class_session.code}:{created}:{events['n']}:{events['last']}:"
        f"{rounds['n']}:{rounds['done']}"
    )


def class_report(class_session: ClassSession, key: str | None = None) -> dict[str, Any]:
    """`ClassDebrief.as_dict()` of the class, from the cache when the log has not changed.

    Stored whole (`<key>:full`, for staff) and in pieces for the students' pages, which must stay cheap when
    a whole lecture hall opens them at once: the aggregates (`<key>:summary`, a few KiB), each round's row
    (`<key>:round:<id>`) and each group's reputation line (`<key>:group:<n>`), so that a student's page
    reads a few small entries instead of a report of megabytes."""
    key = key or report_key(class_session)
    report = cache.get(f"{key}:full")
    if report is None:
        report = class_analysis.class_debrief(load_class(class_session)).as_dict()
        pieces = {f"{key}:round:{row['id']}": row for row in report["round_list"]}
        pieces.update({f"{key}:group:{line['group']}": line for line in report["reputation"]})
        pieces[f"{key}:summary"] = {k: v for k, v in report.items() if k not in ("round_list", "reputation")}
        pieces[f"{key}:full"] = report
        cache.set_many(pieces, CACHE_SECONDS)
    return report


def student_report(class_session: ClassSession, participant: Participant) -> dict[str, Any]:
    """The parts of the class report one student's page needs: the aggregates, the rounds they sat in and
    their groups' reputation lines (from the cache's pieces; the whole report is computed on a miss)."""
    key = report_key(class_session)
    mine = list(
        Round.objects.filter(class_session=class_session)
        .filter(Q(japan=participant) | Q(us=participant) | Q(challenger=participant))
        .order_by("number")
        .values_list("id", "group__number")
    )
    wanted = [f"{key}:summary"] + [f"{key}:round:{rid}" for rid, _ in mine]
    wanted += [f"{key}:group:{g}" for g in sorted({g for _, g in mine})]
    found = cache.get_many(wanted)
    if len(found) < len(wanted):
        class_report(class_session, key)
        found = cache.get_many(wanted)
    if len(found) < len(wanted):  # the cache refused the entries (too large, or a dummy cache)
        report = class_report(class_session, key)
        rows = {row["id"]: row for row in report["round_list"]}
        lines = {line["group"]: line for line in report["reputation"]}
        return {
            **report,
            "round_list": [rows[rid] for rid, _ in mine if rid in rows],
            "reputation": [lines[g] for g in sorted({g for _, g in mine}) if g in lines],
        }
    return {
        **found[f"{key}:summary"],
        "round_list": [found[f"{key}:round:{rid}"] for rid, _ in mine],
        "reputation": [found[f"{key}:group:{g}"] for g in sorted({g for _, g in mine})],
    }
