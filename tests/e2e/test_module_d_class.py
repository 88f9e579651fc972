"""A Module D class on the real stack (PostgreSQL, Redis, uvicorn, Celery workers and beat), through the
public protocol only: three students play scenario D1 (`arf-d1-both-build-confidence`) to its end, both
confidence-building decisions included. Every student sees the CBM nodes with the same mover, the ARF's
chances once stage 0 is over, and the same public preventive-diplomacy draw after Japan resists; the log
replays to the snapshots, and once the instructor releases it each student reaches the debrief, whose
preventive-diplomacy figures count the draws the students saw (crisis-model.md §9; DESIGN.md).
"""

from __future__ import annotations

import asyncio
import re
import urllib.request
from typing import Any

import pytest

from games.play.client import PlayerClient, my_actions
from tests.e2e.play import act, everyone, everyone_saw, next_turn, round_of
from tests.e2e.stack import Stack
from tests.e2e.test_live_class import ROLES, check_log, close_all, connect_all, students

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D1 = "arf-d1-both-build-confidence"
ROUNDS = 2
CBM_MOVER = {"cbm_japan": "japan", "cbm_challenger": "challenger"}
# Both sides build confidence, the Challenger challenges and Japan resists: every round reaches the draw.
# The US allies in round 1 and not in round 2, so the class meets both layers' chances.
PLAN = {
    "cbm_japan": "cbm",
    "cbm_challenger": "cbm",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "intervene",
}
CHANCES = {"phi_if_allied": 0.7, "phi_if_not_allied": 0.35}  # D1, e = (1, 1): phi(e) = 7/10, psi = 1/2
RELEASE = (
    "import sys, django; django.setup(); from games.play import services; "
    "services.release_debrief(sys.argv[1])"
)


def choice(view: dict[str, Any]) -> str:
    rnd = round_of(view)
    if rnd["node"] == "alliance":
        return "alliance" if rnd["number"] == 1 else "no_alliance"
    return PLAN[rnd["node"]]


def arf_events(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in round_of(view).get("history", []) if e["node"] == "preventive_diplomacy"]


def draws_seen(client: PlayerClient) -> dict[int, set[str]]:
    """Every preventive-diplomacy draw in any `state` this client received, by round number."""
    assert client.frames is not None
    out: dict[int, set[str]] = {}
    for _, frame in client.frames:
        if frame.get("type") == "state" and (rnd := round_of(frame["view"])):
            for event in arf_events(frame["view"]):
                out.setdefault(rnd["number"], set()).add(event["action"])
    return out


async def check_cbm_node(clients: list[PlayerClient], node: str) -> None:
    """Everyone is at the CBM node with the same mover; only the mover may act; no chances yet."""
    await everyone(clients, lambda c: round_of(c.view).get("node") == node)
    for client in clients:
        rnd = round_of(client.view)
        assert rnd["to_move"] == CBM_MOVER[node]
        mover = client.view["you"]["role"] == CBM_MOVER[node]
        assert my_actions(client.view) == (["cbm", "no_cbm"] if mover else [])
        assert rnd["public"]["arf"] == {"phi_if_allied": None, "phi_if_not_allied": None}


async def play_round(clients: list[PlayerClient], number: int) -> str:
    """Round `number` by PLAN; returns the draw, after checking every student saw it the same."""
    await everyone_saw(clients, number, 0)
    for node in CBM_MOVER:
        await check_cbm_node(clients, node)
        mover = next(c for c in clients if my_actions(c.view))
        await act(clients, mover, choice(mover.view))
    for client in clients:  # stage 0 is over: the ARF's chances and the CBM choices are public
        public = round_of(client.view)["public"]
        assert round_of(client.view)["node"] == "alliance"
        assert public["arf"] == CHANCES and public["cbm"] == {"japan": 1, "challenger": 1}
    draw = None
    while (mover := await next_turn(clients)) is not None and round_of(mover.view)["number"] == number:
        rnd = round_of(mover.view)
        await act(clients, mover, choice(mover.view))
        if rnd["node"] == "response":
            draw = check_draw([view_at(c, number, rnd["seq"] + 1) for c in clients], number)
    assert draw is not None, "Japan resisted: the round reached the draw"
    return draw


def view_at(client: PlayerClient, number: int, seq: int) -> dict[str, Any]:
    """The view of the `state` this client received for (round `number`, round seq `seq`)."""
    assert client.frames is not None
    return next(
        frame["view"]
        for _, frame in client.frames
        if frame.get("type") == "state"
        and (round_of(frame["view"]).get("number"), round_of(frame["view"]).get("seq")) == (number, seq)
    )


def check_draw(views: list[dict[str, Any]], number: int) -> str:
    """The states right after `resist`: the same public draw, last in every student's history, at the
    chance that applies (the alliance in round 1, none in round 2)."""
    events = [arf_events(view) for view in views]
    assert all(len(e) == 1 for e in events) and events == [events[0]] * 3, events
    (event,) = events[0]
    assert event["role"] is None and event.get("auto") == "arf" and event["action"] in ("defused", "failed")
    for view in views:
        rnd = round_of(view)
        assert rnd["history"][-2:] == [{"node": "response", "role": "japan", "action": "resist"}, event]
        assert rnd["node"] == ("end" if event["action"] == "defused" else "attack")
        assert rnd["public"]["alliance"] == (1 if number == 1 else 0)
        assert rnd["public"]["arf"] == CHANCES
    return event["action"]


def get_page(url: str, cookie: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "en"})
    with opener.open(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


def arf_row(page: str, key: str) -> tuple[int, int]:
    found = re.search(rf'data-arf-row="{key}" data-n="(\d+)" data-defused="(\d+)"', page)
    assert found, f"no preventive-diplomacy row {key}"
    return int(found[1]), int(found[2])


async def test_three_students_play_a_module_d_class_to_its_debrief(stack: Stack) -> None:
    done = stack.manage(
        "create_class", "--scenario", D1, "--rounds", str(ROUNDS), "--autostart", "3",
        "--decision-seconds", "30", "--result-seconds", "3", "--no-bots",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    clients = students(stack.url(0), code)
    try:
        await connect_all(clients)
        await everyone(clients, lambda c: c.view["class"]["status"] == "running" and c.view["you"]["role"])
        assert {c.view["you"]["role"] for c in clients} == ROLES
        draws = {number: await play_round(clients, number) for number in range(1, ROUNDS + 1)}
        finals = await asyncio.gather(*(c.wait_finished(30) for c in clients))
    finally:
        await close_all(clients)

    for final in finals:
        assert final["class"]["status"] == "finished" and final["class"]["round"] == ROUNDS
        assert round_of(final)["history"] == round_of(finals[0])["history"]
    for client in clients:  # every student received both rounds' draws, the same ones
        assert draws_seen(client) == {n: {d} for n, d in draws.items()}, client.name
    assert not [e for c in clients for e in c.errors], [e for c in clients for e in c.errors]

    report = stack.inspect(code)
    check_log(report, ROUNDS)
    for rnd in report["rounds"]:
        cbm = [
            (e["node"], e["role"], e["action"], e["kind"]) for e in rnd["events"] if e["node"] in CBM_MOVER
        ]
        assert cbm == [("cbm_japan", "japan", "cbm", "move"), ("cbm_challenger", "challenger", "cbm", "move")]
        stored = [e["action"] for e in rnd["snapshot"]["history"] if e.get("auto") == "arf"]
        assert stored == [draws[rnd["number"]]]
        assert (rnd["snapshot"]["result"] == "DEF") == (draws[rnd["number"]] == "defused")

    # The debrief: "not released" until the instructor releases it, then every student reaches it.
    cookie = clients[0].joined.cookie_header
    debrief_url = stack.url(1) + "/play/debrief/"
    assert 'data-released="false"' in await asyncio.to_thread(get_page, debrief_url, cookie)
    released = await asyncio.to_thread(stack.python, "-c", RELEASE, code)
    assert released.returncode == 0, released.stderr
    for client in clients:
        page = await asyncio.to_thread(get_page, debrief_url, client.joined.cookie_header)
        assert 'data-page="student-debrief"' in page and 'data-table="preventive-diplomacy"' in page
        assert arf_row(page, "a1") == (1, int(draws[1] == "defused"))
        assert arf_row(page, "a0") == (1, int(draws[2] == "defused"))
