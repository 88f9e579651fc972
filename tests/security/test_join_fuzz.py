"""Hostile and broken input on the join endpoints (`POST /join`, `POST /api/join`), the per-address join
limit, and how hard join codes are to guess (docs/live-play.md, "Protocol boundary").
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import models
from games.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ClassSession, Participant, new_join_code
from games.play import services
from tests.security.conftest import new_class

pytestmark = pytest.mark.django_db

API_CODES = frozenset(
    {"bad_json", "bad_request", "bad_code", "bad_name", "not_found", "closed", "full", "rate_limited"}
)
STATUS_OF = {
    "bad_json": 400, "bad_request": 400, "bad_code": 400, "bad_name": 400, "not_found": 404, "closed": 409,
    "full": 409, "rate_limited": 429,
}  # fmt: skip
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)


json_value = st.recursive(json_leaf, containers)
names = st.text(max_size=60) | st.sampled_from(
    ["Aiko", " ", "a\x00b", "🎌" * 41, "x" * 40, "\u202eevil", "\ud800"]
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "application/vnd.api+json", "text/plain",
     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/jsonx",
     "APPLICATION/JSON", "application/json; charset=latin-1", "text/html"]
)  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn, code: str) -> bytes:
    kind = draw(st.sampled_from(["object", "object", "value", "bytes", "broken"]))
    if kind == "object":
        body: dict[str, Any] = draw(st.dictionaries(st.text(max_size=8), json_value, max_size=3))
        if draw(st.booleans()):
            body["code"] = draw(st.sampled_from([code, code.lower(), f" {code} ", "NOPE99", ""]) | json_value)
        if draw(st.booleans()):
            body["name"] = draw(names | json_value)
        return json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "value":
        return json.dumps(draw(json_value)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    return draw(
        st.sampled_from([b"{", b'{"code": NaN}', b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00", b"[" * 5000])
    )


def check_api_answer(response: Any) -> None:
    assert response.status_code in {201, 400, 404, 409, 429}, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if response.status_code == 201:
        assert set(body) == {"participant", "ws_url"} and body["ws_url"] == "/ws/play/"
        return
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] in API_CODES and body["error"]["message"]
    assert STATUS_OF[body["error"]["code"]] == response.status_code
    assert "sessionid" not in response.cookies  # a failed join does not create a session


def test_the_api_answers_any_body_and_content_type_with_a_documented_answer(settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "0/60"  # the limit has its own tests
    code = new_class()

    @FUZZ
    @given(body=bodies(code), content_type=content_types, fresh=st.booleans())
    def run(body: bytes, content_type: str, fresh: bool) -> None:
        client = Client() if fresh else browser
        response = client.generic("POST", "/api/join", body, content_type=content_type)
        check_api_answer(response)

    browser = Client()
    run()
    # Whatever was sent, at most one participant per browser that succeeded, all with clean names.
    for participant in Participant.objects.filter(class_session__code=code):
        assert participant.name == services.normalise_name(participant.name)


def test_the_api_refuses_big_bodies_without_reading_them() -> None:
    code = new_class()
    huge = json.dumps({"code": code, "name": "Aiko", "pad": "x" * 2_000_000}).encode()
    started = time.perf_counter()
    response = Client().generic("POST", "/api/join", huge, content_type="application/json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_request")
    assert time.perf_counter() - started < 3.0  # not read: the declared length is enough
    # A lying Content-Length (small) over a big body: only the first 4 KiB + 1 are read, then refused.
    response = Client().generic(
        "POST", "/api/join", huge, content_type="application/json", CONTENT_LENGTH="100"
    )
    assert response.status_code == 400
    for length in ("-1", "abc", "99999999999999999999"):
        response = Client().generic(
            "POST", "/api/join", b"{}", content_type="application/json", CONTENT_LENGTH=length
        )
        assert response.status_code == 400, length
    assert not Participant.objects.exists()


def test_the_api_allows_only_post() -> None:
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        assert Client().generic(method, "/api/join").status_code == 405


def test_the_form_answers_any_input_with_the_page_or_a_redirect(settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "0/60"
    code = new_class()

    @FUZZ
    @given(
        fields=st.dictionaries(
            st.sampled_from(["code", "name", "csrfmiddlewaretoken", "x"]),
            st.sampled_from([code, code.lower(), "NOPE99"]) | names,
            max_size=4,
        ),
    )
    def run(fields: dict[str, str]) -> None:
        fields = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in fields.items()}
        response = Client().post("/join", fields)
        assert response.status_code in {302, 400, 404, 409, 429}, response.status_code
        if response.status_code == 302:
            assert response["Location"] == "/play/"
        else:
            assert 'role="alert"' in response.content.decode()

    run()


def test_the_form_needs_csrf_and_a_cross_site_json_post_is_not_a_form() -> None:
    code = new_class()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/join", {"code": code, "name": "Aiko"}).status_code == 403
    # What a hostile page can send cross-site without a preflight: a form or text/plain, never JSON.
    for content_type in (
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
    ):
        response = strict.generic(
            "POST", "/api/join", json.dumps({"code": code, "name": "Aiko"}), content_type=content_type
        )
        assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_request")
    assert not Participant.objects.exists()


# ----- the join limit ----------------------------------------------------------------------------------


def guess(client: Client, code: str, address: str = "198.51.100.7", **extra: Any) -> Any:
    return client.post(
        "/api/join",
        json.dumps({"code": code, "name": "Guesser"}),
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def test_a_code_guesser_gets_429_quickly_and_learns_nothing_more(settings: Any) -> None:
    """With the default limit (60 failures a minute per address), the 61st attempt is refused with 429
    whether or not the code exists, in the same words: from then on guessing tells nothing."""
    attempts, window = (int(x) for x in settings.JOIN_RATE_LIMIT.split("/"))
    assert (attempts, window) == (60, 60)  # the documented default
    real = new_class()
    client = Client()
    started = time.perf_counter()
    statuses = Counter(guess(client, f"ZZ{i:04d}").status_code for i in range(attempts))
    elapsed = time.perf_counter() - started
    assert statuses == {404: attempts}
    limited = [guess(client, code) for code in (real, "ZZ9999", real.lower())]
    assert {r.status_code for r in limited} == {429}
    assert len({r.content for r in limited}) == 1  # the same answer for a real and an unknown code
    assert {r["Retry-After"] for r in limited} == {str(window)}
    assert not Participant.objects.exists()
    assert elapsed < 10  # the limit is reached in seconds (measured: well under one)
    # Another address is not affected; the form shares the same count.
    assert guess(Client(), real, address="198.51.100.8").status_code == 201
    form = Client().post("/join", {"code": real, "name": "G"}, REMOTE_ADDR="198.51.100.7")
    assert form.status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_limit(settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "3/60"
    real = new_class()
    client = Client()
    for i in range(3):  # no proxy trusted: X-Forwarded-For is ignored, REMOTE_ADDR counts
        guess(client, "NOPE99", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert guess(client, real, HTTP_X_FORWARDED_FOR="203.0.113.200").status_code == 429
    settings.TRUSTED_PROXY_HOPS = 1  # one proxy that appends the address it saw: only that entry counts
    for i in range(3):
        guess(client, "NOPE99", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 192.0.2.9")
    assert (
        guess(client, real, address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9").status_code == 429
    )
    other = guess(client, real, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.9, 192.0.2.10")
    assert other.status_code == 201


def test_successful_joins_are_not_limited(settings: Any) -> None:
    """A lecture hall behind one NAT joins at once: 40 browsers from one address, no 429 (the limit is
    5 failures here)."""
    settings.JOIN_RATE_LIMIT = "5/60"
    code = new_class()
    answers = Counter(guess(Client(), code, address="192.0.2.1").status_code for _ in range(40))
    assert answers == {201: 40}


# ----- join codes ----------------------------------------------------------------------------------------


def test_join_codes_are_hard_to_guess(settings: Any) -> None:
    """32 unambiguous characters, 6 of them, from the operating system's CSPRNG: 30 bits. At the join
    limit one address needs on average months to find one of a hundred classes open at the same time."""
    assert len(set(JOIN_CODE_ALPHABET)) == len(JOIN_CODE_ALPHABET) == 32
    assert not set("0O1I") & set(JOIN_CODE_ALPHABET)
    bits = JOIN_CODE_LENGTH * math.log2(len(JOIN_CODE_ALPHABET))
    assert bits >= 30
    attempts, window = (int(x) for x in settings.JOIN_RATE_LIMIT.split("/"))
    per_day = attempts * 86_400 / window
    open_classes = 100
    days_to_half_chance = math.log(2) / (per_day * open_classes / 2**bits)
    assert days_to_half_chance > 50, days_to_half_chance

    codes = [new_join_code() for _ in range(4000)]
    assert all(len(c) == JOIN_CODE_LENGTH and set(c) <= set(JOIN_CODE_ALPHABET) for c in codes)
    assert len(set(codes)) >= 3995  # collisions are rare (expected about 0.007 here)
    # Uniform characters in every position: chi-square with 31 degrees of freedom, bound at p ~ 1e-9.
    for position in range(JOIN_CODE_LENGTH):
        counts = Counter(c[position] for c in codes)
        expected = len(codes) / len(JOIN_CODE_ALPHABET)
        chi2 = sum((counts.get(ch, 0) - expected) ** 2 / expected for ch in JOIN_CODE_ALPHABET)
        assert chi2 < 100, (position, chi2)


def test_join_codes_come_from_the_secrets_module(monkeypatch: Any) -> None:
    calls: list[str] = []

    def choice(seq: str) -> str:
        calls.append(seq)
        return seq[0]

    monkeypatch.setattr(models.secrets, "choice", choice)
    assert new_join_code() == JOIN_CODE_ALPHABET[0] * JOIN_CODE_LENGTH
    assert calls == [JOIN_CODE_ALPHABET] * JOIN_CODE_LENGTH
    assert ClassSession._meta.get_field("code").default is new_join_code
