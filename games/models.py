"""Database models. The engine (`games.crisis`) holds the rules; these rows hold what instructors set
(Scenario) and what happened in a class (ClassSession, Participant, Group, Round and the append-only
Event log, which is the truth: DESIGN.md).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from games.crisis.game import ROLES
from games.crisis.params import InvalidParams, Params
from games.vocabulary import join_code


def default_params() -> dict[str, Any]:
    """The spec's default scenario, every value exact ("7/20", not 0.35)."""
    return Params().as_dict(exact=True)


class Scenario(models.Model):
    """A parameter set an instructor can run a class with, plus how to present it."""

    class Kind(models.TextChoices):
        TEACHING = "teaching", _("teaching scenario")
        HISTORICAL = "historical", _("historical case")

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEACHING)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    teaching_note_en = models.TextField(_("teaching note (English)"), blank=True)
    teaching_note_ja = models.TextField(_("teaching note (Japanese)"), blank=True)
    questions_en = models.TextField(
        _("discussion questions (English)"),
        blank=True,
        help_text=_("One question a line: the debriefs end with them."),
    )
    questions_ja = models.TextField(
        _("discussion questions (Japanese)"),
        blank=True,
        help_text=_("The same questions in Japanese, one a line."),
    )
    context_en = models.TextField(
        _("historical context (English)"),
        blank=True,
        help_text=_("One paragraph: the case this scenario models."),
    )
    context_ja = models.TextField(_("historical context (Japanese)"), blank=True)
    omits_en = models.TextField(
        _("what the model leaves out (English)"),
        blank=True,
        help_text=_("What the case had that the crisis model does not."),
    )
    omits_ja = models.TextField(_("what the model leaves out (Japanese)"), blank=True)
    judgement_en = models.TextField(
        _("judgement, not data (English)"),
        blank=True,
        help_text=_("Which parameter values are the author's judgement rather than measured data."),
    )
    judgement_ja = models.TextField(_("judgement, not data (Japanese)"), blank=True)
    params = models.JSONField(
        _("parameters"),
        default=default_params,
        help_text=_('The crisis model\'s parameters by code name; exact values such as "7/20" are kept.'),
    )
    decision_seconds = models.PositiveIntegerField(
        _("seconds per decision"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3600)],
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision_seconds__gte=1), name="scenario_decision_seconds_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Japanese when the page is in Japanese)."""
        language = get_language() or "en"
        return self.name_ja if language.startswith("ja") and self.name_ja else self.name_en

    def in_language(self, field: str) -> str:
        """`<field>_ja` when the page is in Japanese and it is set, else `<field>_en`."""
        language = get_language() or "en"
        japanese = getattr(self, f"{field}_ja", "")
        return japanese if language.startswith("ja") and japanese else getattr(self, f"{field}_en")

    @property
    def questions(self) -> str:
        """The discussion questions in the active language, one a line (English where no Japanese is set)."""
        language = get_language() or "en"
        return self.questions_ja if language.startswith("ja") and self.questions_ja else self.questions_en

    def clean(self) -> None:
        super().clean()
        try:
            Params.from_mapping(self.params)
        except InvalidParams as exc:
            raise ValidationError(
                {
                    "params": [
                        ValidationError(
                            "%(field)s: %(message)s",
                            code="invalid_parameter",
                            params={"field": error.field, "message": error.message},
                        )
                        for error in exc.errors
                    ]
                }
            ) from exc

    def engine_params(self) -> Params:
        """The parameters as the engine's `Params`; raises `InvalidParams` if the stored values are bad."""
        return Params.from_mapping(self.params)


# --------------------------------------------------------------------------------------------------
# Live play (docs/live-play.md)
# --------------------------------------------------------------------------------------------------

JOIN_CODE_ALPHABET = join_code.ALPHABET
JOIN_CODE_LENGTH = join_code.LENGTH


def new_join_code() -> str:
    """A random join code (games.vocabulary.join_code): the field's default, which the migrations name."""
    return join_code.random_code()


def new_seed() -> int:
    return secrets.randbelow(2**62)


class ClassSession(models.Model):
    """One class: students join with `code`, play `rounds` rounds of the scenario in groups of three."""

    class Status(models.TextChoices):
        LOBBY = "lobby", _("lobby")
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        FINISHED = "finished", _("finished")

    class Matching(models.TextChoices):
        FIXED_ROTATING = "fixed_rotating", _("fixed groups, roles rotate every round")
        RANDOM = "random", _("new random groups every round")

    class Pace(models.TextChoices):
        AUTOMATIC = "automatic", _("the next round starts by itself after the result")
        INSTRUCTOR = "instructor", _("the instructor starts each next round")

    code = models.CharField(
        _("join code"), max_length=join_code.MAX_LENGTH, unique=True, default=new_join_code
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="classes", verbose_name=_("scenario")
    )
    params = models.JSONField(
        _("parameters (snapshot)"),
        default=dict,
        editable=False,
        help_text=_("The scenario's parameters when the class was created."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LOBBY)
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    current_round = models.PositiveSmallIntegerField(_("current round"), default=0, editable=False)
    matching = models.CharField(
        _("matching"), max_length=20, choices=Matching.choices, default=Matching.FIXED_ROTATING
    )
    decision_seconds = models.PositiveIntegerField(
        _("seconds per decision"), default=90, validators=[MinValueValidator(1), MaxValueValidator(3600)]
    )
    bots_fill = models.BooleanField(_("bots fill empty seats"), default=True)
    bot_strategy = models.CharField(_("bot strategy"), max_length=20, default="equilibrium")
    bot_seconds = models.FloatField(
        _("bot thinking time (seconds)"),
        default=2.0,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    grace_seconds = models.PositiveIntegerField(
        _("seconds before a dropped student is replaced by a bot"), default=30
    )
    result_seconds = models.PositiveIntegerField(
        _("seconds the result is shown before the next round"), default=10
    )
    pace = models.CharField(_("pace"), max_length=12, choices=Pace.choices, default=Pace.AUTOMATIC)
    autostart = models.PositiveIntegerField(
        _("start by itself when this many students have joined"), null=True, blank=True
    )
    max_students = models.PositiveIntegerField(
        _("maximum number of students"),
        default=300,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
    )
    show_benchmark_belief = models.BooleanField(_("show students the benchmark belief"), default=False)
    debrief_released = models.BooleanField(_("debrief released"), default=False)
    seed = models.BigIntegerField(_("random seed"), default=new_seed)
    version = models.PositiveIntegerField(default=0, editable=False)
    next_round_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        indexes = [models.Index(fields=["status", "next_round_at"])]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.params and self.scenario_id:
            self.params = dict(self.scenario.params)
        super().save(*args, **kwargs)


class Participant(models.Model):
    """A student bound to a browser session, or a bot that fills a seat (`is_bot`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("display name"), max_length=40)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    is_bot = models.BooleanField(_("bot"), default=False)
    home_group = models.ForeignKey(
        "Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    points = models.FloatField(_("points so far"), default=0.0, editable=False)  # sum of own round payoffs
    joined = models.DateTimeField(_("joined"), auto_now_add=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["class_session", "session_key"],
                condition=~models.Q(session_key=""),
                name="participant_one_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """Three countries that keep the US's type and reputation from round to round (spec §4)."""

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField()
    us_type = models.CharField(max_length=1, choices=[("R", "resolute"), ("N", "non-resolute")])
    prior = models.CharField(max_length=64, help_text="public reputation for the next round (exact)")

    class Meta:
        ordering = ["class_session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["class_session", "number"], name="group_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.class_session.code}/{self.number}"


class ClassStage(models.Model):
    """A treatment: from round `first_round` on, the class plays `scenario` (its parameters as they were
    when the stage was set). Round 1 plays the class's own scenario; a class without stages plays it
    throughout."""

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="stages")
    first_round = models.PositiveSmallIntegerField(
        _("from round"), validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="stages", verbose_name=_("scenario")
    )
    params = models.JSONField(_("parameters (snapshot)"), default=dict, editable=False)
    fresh_reputation = models.BooleanField(
        _("reputation starts afresh"),
        default=True,
        help_text=_("Each group's US reputation restarts at this scenario's prior when the stage begins."),
    )

    class Meta:
        ordering = ["class_session", "first_round"]
        verbose_name = _("scenario stage")
        verbose_name_plural = _("scenario stages")
        constraints = [
            models.UniqueConstraint(fields=["class_session", "first_round"], name="stage_round_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.class_session.code} from round {self.first_round}: {self.scenario}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.params and self.scenario_id:
            self.params = dict(self.scenario.params)
        super().save(*args, **kwargs)


class Round(models.Model):
    """One crisis of one group.  `state` caches the replay of this round's events."""

    class Status(models.TextChoices):
        PLAYING = "playing", _("playing")
        FINISHED = "finished", _("finished")

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="all_rounds")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    # The scenario in force for this round (a class may switch scenarios: ClassStage); null on rounds
    # played before classes had stages, which ran the class's own scenario.
    scenario = models.ForeignKey(
        Scenario,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scenario"),
    )
    japan = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    us = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    challenger = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    prior = models.CharField(max_length=64)
    us_type = models.CharField(max_length=1)
    seed = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLAYING)
    seq = models.PositiveIntegerField(default=0)
    node = models.CharField(max_length=24)
    state = models.JSONField(default=dict)
    deadline = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.FloatField(null=True, blank=True)
    reputation = models.JSONField(null=True, blank=True)
    # The decisions the server made for a seated student: [{"node", "role", "by": timeout | standin |
    # instructor}], so that the student is told and the history marks them.
    moved_for = models.JSONField(default=list, blank=True)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["class_session", "number", "group__number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="round_group_number_unique")]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["class_session", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.group} round {self.number}"

    def seat_of(self, participant_id: Any) -> str | None:
        for role in ROLES:
            if str(getattr(self, f"{role}_id")) == str(participant_id):
                return role
        return None


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the event log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the event log is append-only")


class Event(models.Model):
    """The append-only move log of a round: the truth from which `Round.state` is rebuilt."""

    class Kind(models.TextChoices):
        MOVE = "move", _("move")
        BOT = "bot", _("bot move")
        STANDIN = "standin", _("bot standing in for a student")
        TIMEOUT = "timeout", _("timeout")
        SYSTEM = "system", _("system")

    ENGINE_KINDS = (Kind.MOVE, Kind.BOT, Kind.STANDIN, Kind.TIMEOUT)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    move_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (NULLs never collide)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    node = models.CharField(max_length=24, blank=True)
    role = models.CharField(max_length=12, blank=True)
    action = models.CharField(max_length=24, blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["round", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["round", "seq"], name="event_round_seq_unique"),
            models.UniqueConstraint(fields=["round", "move_id"], name="event_round_move_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.seq} {self.role} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("the event log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the event log is append-only")


# --------------------------------------------------------------------------------------------------
# The course (docs/teaching.md): the instructor's lecture figures, predict-before-reveal polls
# --------------------------------------------------------------------------------------------------


class LectureFigure(models.Model):
    """A figure from the literature the debrief shows beside the class (e.g. Leeds 2003), with the
    citation the instructor vouches for. `key` ties it to what the class measures (games.debrief)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    value = models.FloatField(_("value"), help_text=_("A share as a fraction (0.2 for 20 %)."))
    citation = models.TextField(
        _("citation"), help_text=_("Author, year, title, page: where the figure is from.")
    )
    verified = models.BooleanField(
        _("checked against the source"),
        default=False,
        help_text=_("Tick once you have read it in the source."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("lecture figure")
        verbose_name_plural = _("lecture figures")

    def __str__(self) -> str:
        return self.key


class Poll(models.Model):
    """A predict-before-reveal question the instructor puts to the class during a round; students answer
    from their phones before the round's results are shown."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="polls")
    round_number = models.PositiveSmallIntegerField(_("round"))
    question = models.CharField(
        _("question"), max_length=40
    )  # a code of games.vocabulary (the poll questions)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened = models.DateTimeField(_("opened"), auto_now_add=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["class_session", "round_number", "opened"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.UniqueConstraint(
                fields=["class_session", "round_number", "question"], name="poll_once_per_round_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_session.code} round {self.round_number}: {self.question}"


class PollAnswer(models.Model):
    """One student's answer to a poll (one per student; answering again changes it while it is open)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="poll_answers")
    answer = models.CharField(_("answer"), max_length=16)
    answered = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        ordering = ["poll", "answered"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "participant"], name="poll_answer_once_per_student"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.answer}"
