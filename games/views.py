"""Pages for students. Live play adds `/join` (the form below posts there) and `/play/`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

CODE_MAX_LENGTH = 16


def clean_code(raw: str) -> str:
    """A class code as typed or linked: trimmed, upper-case, at most CODE_MAX_LENGTH characters."""
    return "".join(raw.split()).upper()[:CODE_MAX_LENGTH]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The join page; `?code=ABC123` (the QR code's link) fills in the class code."""
    code = clean_code(request.GET.get("code", ""))
    return render(request, "join.html", {"code": code, "code_max_length": CODE_MAX_LENGTH})
