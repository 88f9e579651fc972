"""Who may use the instructor's pages, feeds and exports: staff only (DESIGN.md, "Reliability and
security")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from games.models import ClassSession
from games.vocabulary import errors, join_code

View = Callable[..., HttpResponse]


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def staff_only(view: View | None = None, *, json: bool = False) -> Any:
    """Pages: anonymous -> login, signed in without staff -> 403.  JSON endpoints: 403 JSON to both."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_staff(request):
                return func(request, *args, **kwargs)
            if json:
                error = {"code": "forbidden", "message": errors.message(errors.INSTRUCTOR, "forbidden")}
                return JsonResponse({"error": error}, status=403)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise PermissionDenied

        return wrapper

    return decorate(view) if view is not None else decorate


def class_or_404(code: str) -> ClassSession:
    return get_object_or_404(ClassSession.objects.select_related("scenario"), code=join_code.normalise(code))
