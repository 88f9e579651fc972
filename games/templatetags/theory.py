"""Sentences about theory in templates (`{% load theory %}`): `{% claim_sentences r.theory.crisis as s %}`
words the claims a report carries (`games.crisis.claims`, as JSON) with `games.vocabulary.theory`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from games.vocabulary import theory

register = template.Library()


@register.simple_tag
def claim_sentences(entries: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> list[theory.Sentence]:
    """The claims (one, or a list) in words: each with `claim` (its code, for `data-claim`) and `text`."""
    if not entries:
        return []
    if isinstance(entries, Mapping):
        entries = [entries]
    return theory.from_json(entries)
