"""The landing page: a join form for phones (DESIGN.md "The player protocol")."""

from __future__ import annotations

import re
from typing import Any


def test_join_form_posts_code_and_name_to_join(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<form method="post" action="/join"', page)
    assert 'name="code"' in page
    assert 'name="name"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="viewport"' in page
    assert "css/app.css" in page


def test_code_query_parameter_fills_the_code(client: Any) -> None:
    page = client.get("/", {"code": " ab c12 "}).content.decode()
    assert 'value="ABC12"' in page


def test_code_from_the_query_is_escaped(client: Any) -> None:
    page = client.get("/", {"code": '"><script>'}).content.decode()
    assert "<script>" not in page.split("</header>", 1)[1]


def test_stylesheet_is_served(client: Any) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)
