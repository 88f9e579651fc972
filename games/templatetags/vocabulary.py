"""The game's names in templates (`{% load vocabulary %}`), from the one table of each concept in
`games.vocabulary.labels`: `{{ "japan"|role }}`, `{{ "japan"|role:"part" }}`, `{% roles as role_list %}`."""

from __future__ import annotations

from django import template

from games.vocabulary import labels

register = template.Library()


@register.filter
def role(code: str, form: str = "name") -> str:
    """A role's name ("Japan"), or another of its forms: `{{ "japan"|role:"part" }}` -> "defender"."""
    entry = labels.ROLES.get(code)
    return str(getattr(entry, form)) if entry else code


@register.simple_tag
def roles() -> list[dict[str, str]]:
    """Every role in the engine's order, with its name and the join page's word for its part."""
    return [{"code": code, "name": str(r.name), "part": str(r.part)} for code, r in labels.ROLES.items()]
