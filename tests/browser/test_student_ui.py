"""The student's experience in a real browser (Debian's Chromium, driven by Playwright): joining, the lobby,
a whole round played by clicking in three browser contexts, each seeing only its own private information,
a refresh mid-round, a second tab that acts on an old state, and the outcome on every screen; in English
and in Japanese. The tests save the screenshots of README.md (tests/browser/conftest.py says where).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from games.crisis import game, views
from games.crisis.params import Params
from tests.browser.conftest import LAPTOP, PHONE, LiveServer

pytestmark = pytest.mark.browser

CLASS = ("--autostart", "3", "--no-bots", "--decision-seconds", "120", "--result-seconds", "60")  # fmt: skip
# What must never reach the Japan or Challenger screen before the debrief: the key of the US's type, and its
# values in both languages (DESIGN.md, "The player protocol").
US_TYPE_WORDS = ("us_type", "resolute", "non_resolute", "決意が固い", "決意が弱い")
BOARD = "#play-board"
OUTCOME = '[data-outcome]:not([data-outcome=""])'


class Student:
    """One browser context (its own cookies: one student) and the websocket frames its page received."""

    def __init__(self, page: Page, name: str):
        self.page = page
        self.name = name
        self.frames: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: Any) -> None:
        socket.on("framereceived", lambda payload: self.frames.append(str(payload)))

    def join(self, code: str) -> None:
        self.page.goto(f"/?code={code}")
        self.page.fill("#id_name", self.name)
        self.page.click(".join-form button[type=submit]")
        self.page.wait_for_url("**/play/")

    @property
    def role(self) -> str:
        return self.page.get_attribute(BOARD, "data-role") or ""

    def shows(self) -> str:
        """Everything the page renders: its visible text and the markup of the play area."""
        text = self.page.inner_text("body")
        markup = self.page.eval_on_selector("#play", "node => node.outerHTML")
        return text + "\n" + markup

    def states(self) -> list[dict[str, Any]]:
        frames = [json.loads(f) for f in self.frames]
        return [f for f in frames if f.get("type") == "state"]


def join_three(new_page: Callable[..., Page], code: str, locale: str = "en-GB") -> list[Student]:
    students = [
        Student(new_page(PHONE, locale), "Aiko"),
        Student(new_page(PHONE, locale), "Ben"),
        Student(new_page(LAPTOP, locale), "Chihiro"),
    ]
    for student in students:
        student.join(code)
    return students


def by_role(students: list[Student]) -> dict[str, Student]:
    for student in students:
        expect(student.page.locator(BOARD)).to_have_attribute(
            "data-role", re.compile(r"^(japan|us|challenger)$")
        )
    roles = {s.role: s for s in students}
    assert set(roles) == {"japan", "us", "challenger"}
    return roles


def everyone_at(students: list[Student], node: str) -> None:
    for student in students:
        expect(student.page.locator(BOARD)).to_have_attribute("data-node", node)


def snap(
    page: Page, directory: Path, name: str, viewport: dict[str, int], *, full_page: bool = False
) -> None:
    """A screenshot at the given viewport size (the page returns to its own size afterwards)."""
    before = page.viewport_size
    page.set_viewport_size(viewport)
    page.evaluate("() => new Promise(requestAnimationFrame)")
    page.screenshot(path=str(directory / name), full_page=full_page, animations="disabled", caret="initial")
    if before:
        page.set_viewport_size(before)


def lagging_tab(page: Page) -> tuple[Page, Callable[..., list[str | bytes]]]:
    """A second tab of the same student whose socket can be told to hold what the server sends, as a slow
    connection would. `release(hold=True)` starts holding (and returns the held list); `release(hold=False)`
    delivers everything held, in order, and stops holding."""
    tab = page.context.new_page()
    held: list[str | bytes] = []
    state = {"hold": False, "route": None}

    def route_socket(route: Any) -> None:
        state["route"] = route
        server = route.connect_to_server()
        server.on_message(lambda message: held.append(message) if state["hold"] else route.send(message))

    def release(hold: bool) -> list[str | bytes]:
        state["hold"] = hold
        if not hold:
            for message in held:
                state["route"].send(message)
            held.clear()
        return held

    tab.route_web_socket(re.compile(r"/ws/play/$"), route_socket)
    tab.goto("/play/")
    return tab, release


def wait_for(page: Page, condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        page.wait_for_timeout(50)  # lets Playwright deliver events meanwhile
    raise AssertionError("timed out")


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


def assert_keeps_secret(student: Student) -> None:
    shown = student.shows().lower()
    for word in US_TYPE_WORDS:
        assert word not in shown, f"{student.role}'s page shows {word!r}"
    for frame in student.frames:
        for word in ("us_type", "resolute"):
            assert word not in frame, f"{student.role}'s page received {word!r}"


# --------------------------------------------------------------------------------------------------
# Joining
# --------------------------------------------------------------------------------------------------
def test_join_page_fills_in_the_code_and_explains_errors(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path
) -> None:
    page = new_page(PHONE)
    page.goto("/?code=wa sed a")  # a link or a QR code carries the code; spaces and case do not matter
    expect(page.locator("#id_code")).to_have_value("WASEDA")
    expect(page.locator("#id_name")).to_be_focused()
    no_horizontal_scroll(page)
    snap(page, screenshot_dir, "join-phone.png", PHONE)
    snap(page, screenshot_dir, "join-laptop.png", LAPTOP)

    page.fill("#id_name", "Aiko")
    page.click(".join-form button[type=submit]")  # no class WASEDA exists
    expect(page.locator("#join-error")).to_have_text("There is no class with that code.")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_code")).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("Aiko")
    no_horizontal_scroll(page)


# --------------------------------------------------------------------------------------------------
# A whole round, in English
# --------------------------------------------------------------------------------------------------
def test_three_students_play_a_round_by_clicking(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path
) -> None:
    code = crisis_server.create_class("TABLE3", "--rounds", "2", *CLASS)  # round 2 waits for 60 s
    aiko, ben, chihiro = students = [
        Student(new_page(PHONE), "Aiko"),
        Student(new_page(PHONE), "Ben"),
        Student(new_page(LAPTOP), "Chihiro"),
    ]

    # The lobby: who has joined, and when the class will start.
    aiko.join(code)
    ben.join(code)
    lobby = ben.page
    expect(lobby.locator("#lobby-count")).to_have_text("Joined so far: 2")
    expect(lobby.locator("#lobby-names")).to_contain_text("Aiko")
    expect(lobby.locator("#lobby-names li.is-you")).to_contain_text("Ben")
    expect(lobby.locator("#lobby-status")).to_have_text(
        "The class starts by itself when 3 students have joined: 1 to go."
    )
    expect(lobby.locator("#play-connection")).to_have_attribute("data-state", "connected")
    snap(lobby, screenshot_dir, "lobby-phone.png", PHONE)

    chihiro.join(code)  # the third student starts the class (autostart 3)
    roles = by_role(students)
    japan, us, challenger = roles["japan"], roles["us"], roles["challenger"]
    everyone_at(students, "alliance")

    # Each sees its own role and only its own private information.
    expect(us.page.locator("#role-name")).to_have_text("United States")
    expect(japan.page.locator("#role-name")).to_have_text("Japan")
    expect(challenger.page.locator("#role-name")).to_have_text("Challenger")
    us_secret = us.page.locator('[data-private="us_type"]')
    expect(us_secret).to_contain_text(re.compile(r"Your type: (resolute|not resolute)"))
    us_type = next(s["view"]["round"]["private"]["us_type"] for s in us.states() if s["view"].get("round"))
    assert us_type in ("resolute", "non_resolute")
    us.page.click("#briefing-summary")
    expect(us.page.locator("#briefing-body")).to_contain_text("Only you know your type")
    for student in (japan, challenger):
        expect(student.page.locator("#play-private")).to_be_hidden()
        assert_keeps_secret(student)

    # The public numbers are the server's (public.theory), drawn as they come: at the prior 0.5 and with no
    # alliance yet, rho = 0.50; the bargaining range is [-0.05, 0.50] without the US, [0.50, 1.125] with it.
    for student in students:
        expect(student.page.locator("#public-belief .rho-line strong")).to_have_text("0.50")
        expect(student.page.locator("#range-svg")).to_contain_text("[−0.05, 0.50]")
        expect(student.page.locator("#range-svg")).to_contain_text("[0.50, 1.125]")

    # The US decides; the others wait and see whose turn it is.
    expect(us.page.locator("#play-countdown")).to_have_attribute("data-deadline", re.compile(r"Z$"))
    expect(japan.page.locator("#turn-prompt")).to_contain_text("Waiting for United States")
    expect(japan.page.locator("[data-action]")).to_have_count(0)
    expect(us.page.locator("[data-action]")).to_have_count(2)
    us.page.click('[data-action="alliance"]')
    everyone_at(students, "challenge")
    expect(japan.page.locator("#play-history")).to_contain_text("formed the alliance")

    # The Challenger plays with the keyboard: the actions are real buttons, and 1 picks the first.
    first = challenger.page.locator("[data-action]").first
    expect(first).to_have_attribute("data-action", "challenge")
    assert first.evaluate("node => node.tagName") == "BUTTON"
    challenger.page.keyboard.press("1")
    everyone_at(students, "response")

    # Japan refreshes mid-round and carries on exactly where it was.
    japan.page.reload()
    expect(japan.page.locator(BOARD)).to_have_attribute("data-node", "response")
    expect(japan.page.locator("#play-history li")).to_have_count(2)
    expect(japan.page.locator('[data-action="resist"]')).to_be_visible()
    expect(japan.page.locator("#play-connection")).to_have_attribute("data-state", "connected")
    snap(japan.page, screenshot_dir, "decision-phone.png", PHONE, full_page=True)
    snap(japan.page, screenshot_dir, "decision-laptop.png", LAPTOP)
    no_horizontal_scroll(japan.page)
    japan.page.click('[data-action="resist"]')
    everyone_at(students, "attack")
    challenger.page.click('[data-action="attack"]')
    everyone_at(students, "intervention")

    # A second US tab that lags behind acts on the old state: it is refused gently, nothing is played twice.
    second, release = lagging_tab(us.page)
    expect(second.locator('[data-action="stay_out"]')).to_be_visible()
    held = release(hold=True)
    us.page.click('[data-action="intervene"]')
    expect(us.page.locator(OUTCOME)).to_be_visible()
    second.click('[data-action="stay_out"]')  # acts on the state it still shows
    wait_for(second, lambda: any('"stale"' in str(m) for m in held))
    release(hold=False)
    expect(second.locator("#play-notice")).to_contain_text("That move was not played")
    expect(second.locator(OUTCOME)).to_have_attribute("data-outcome", "DETERRENCE_FAILED_WAR_US_INTERVENED")
    second.close()

    # The outcome, in plain words, on every screen; each sees its own payoff only.
    for student in students:
        result = student.page.locator(OUTCOME)
        expect(result).to_have_attribute("data-outcome", "DETERRENCE_FAILED_WAR_US_INTERVENED")
        expect(result).to_contain_text("the United States honoured the alliance and fought beside Japan")
        expect(result).to_contain_text("Your payoff:")
        last = student.states()[-1]["view"]["round"]
        assert list(last["outcome"]["payoffs"]) == [student.role]
    history = [e for e in us.states()[-1]["view"]["round"]["history"] if e["node"] == "intervention"]
    assert [e["action"] for e in history] == ["intervene"]
    for student in (japan, challenger):
        assert_keeps_secret(student)
    snap(japan.page, screenshot_dir, "result-phone.png", PHONE)
    snap(us.page, screenshot_dir, "result-laptop.png", LAPTOP)


# --------------------------------------------------------------------------------------------------
# The same in Japanese
# --------------------------------------------------------------------------------------------------
def test_the_round_in_japanese(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path
) -> None:
    code = crisis_server.create_class("JAPAN7", "--rounds", "1", *CLASS)
    aiko, ben = Student(new_page(PHONE, "ja-JP"), "愛子"), Student(new_page(PHONE, "ja-JP"), "Ben")
    chihiro = Student(new_page(LAPTOP, "en-GB"), "千尋")
    students = [aiko, ben, chihiro]
    aiko.join(code)
    ben.join(code)

    # Chihiro's browser asks for English; the language switcher turns the page into Japanese.
    page = chihiro.page
    page.goto(f"/?code={code}")
    expect(page.locator("label[for=id_code]")).to_have_text("Class code")
    page.click('.language-switcher button[value="ja"]')
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("label[for=id_code]")).to_have_text("クラスコード")
    expect(page.locator("#id_code")).to_have_value(code)
    page.fill("#id_name", chihiro.name)
    page.click(".join-form button[type=submit]")
    page.wait_for_url("**/play/")

    roles = by_role(students)
    japan, us, challenger = roles["japan"], roles["us"], roles["challenger"]
    everyone_at(students, "alliance")
    for student, name in ((japan, "日本"), (us, "米国"), (challenger, "挑戦国")):
        expect(student.page.locator("#role-name")).to_have_text(name)
    expect(us.page.locator('[data-private="us_type"]')).to_contain_text(re.compile("決意が固い|決意が弱い"))
    expect(us.page.locator('[data-action="alliance"]')).to_contain_text("同盟を結ぶ")
    expect(us.page.locator('[data-action="no_alliance"]')).to_contain_text("同盟を結ばない")
    expect(japan.page.locator("#turn-prompt")).to_contain_text("米国")
    for student in (japan, challenger):
        assert_keeps_secret(student)

    us.page.click('[data-action="no_alliance"]')
    everyone_at(students, "challenge")
    expect(japan.page.locator("#play-history")).to_contain_text("同盟を結ばなかった")
    expect(challenger.page.locator("#turn-prompt")).to_have_text("日本に挑戦しますか？")
    snap(challenger.page, screenshot_dir, "ja-decision-phone.png", PHONE)
    challenger.page.click('[data-action="status_quo"]')

    for student in students:
        result = student.page.locator(OUTCOME)
        expect(result).to_have_attribute("data-outcome", "GENERAL_DETERRENCE_HELD")
        expect(result).to_contain_text("一般抑止が成功した：同盟がないまま、挑戦国は現状を維持した。")
    for student in (japan, challenger):
        assert_keeps_secret(student)
    snap(japan.page, screenshot_dir, "ja-result-phone.png", PHONE)

    # The switcher works on the play page too; the page comes back at the same state, now in English.
    page.click('.language-switcher button[value="en"]')
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(OUTCOME)).to_contain_text(
        "General deterrence held: the Challenger kept the status quo, without any alliance."
    )


# --------------------------------------------------------------------------------------------------
# States that are hard to reach live, with a scripted server on the page's socket
# --------------------------------------------------------------------------------------------------
EFFECTIVE = {
    "p": 0.3, "p2": 0.75, "c1": 0.35, "c1a": 0.25, "cC": 0.2, "cCa": 0.375, "beta": 0.1, "sigma": 0.0,
    "c2": 0.2, "wR": 1.0, "wN": 0.3, "pi": 0.5, "K": 0.15, "R": 0.05, "K1": 0.05, "rN": 0.0,
    "alliance_allowed": True, "japan_shift": 0.0, "tripwire": False, "module_c": False, "q": 0.5,
    "cC_H": 0.45, "cCa_H": 0.625, "DC": 0.625, "D1": 0.55, "hands_tied": False,
}  # fmt: skip
PLAYERS = {"japan": {"name": "Aiko", "bot": False}, "us": {"name": "Ben", "bot": False},
           "challenger": {"name": "Robo", "bot": True}}  # fmt: skip


def scripted_view(role: str, node: str, **changes: Any) -> dict[str, Any]:
    """A view of the shape participant_view.build_state makes (baseline parameters), with `changes` applied to
    its round (and `class_changes` to its class)."""
    public = {
        "alliance_type": "defence_pact", "tripwire": False, "module_a": False, "module_c": False,
        "p_arm": 0.45, "p2_arm": 0.8, "arm_cost": 0.1, "pi": 0.5, "belief": 0.5, "alliance": None,
        "armed": False, "effective": dict(EFFECTIVE),
    }  # fmt: skip
    public.update(changes.pop("public", {}))
    public.setdefault("theory", scripted_theory(public))
    klass = {"code": "MOCKED", "status": "running", "round": 1, "rounds": 3, "debrief_released": False,
             "next_round_at": None}  # fmt: skip
    klass.update(changes.pop("class_changes", {}))
    round_ = {"node": node, "to_move": None, "actions": [], "history": [], "private": {},
              "public": public, "number": 1, "seq": 0, "deadline": None, "paused_remaining": None,
              "players": PLAYERS}  # fmt: skip
    you = {"id": "x", "name": "Aiko", "role": role, "group": 1, **changes.pop("you_changes", {})}
    round_.update(changes)
    return {"class": klass, "you": you, "round": round_}


MODULE_D_PARAMS = ("phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC")


def scripted_theory(public: dict[str, Any]) -> dict[str, Any]:
    """`public.theory` as the server computes it for a scripted view: the baseline's parameters (with Module
    D's where the view has them), its belief and its alliance decision."""
    module_d = {key: Fraction(str(public[key])) for key in MODULE_D_PARAMS if key in public}
    params = Params(arf=isinstance(public.get("arf"), dict), **module_d)
    state = game.new_round(params, prior=Fraction(str(public["belief"])), us_type="R", seed=0)
    state = dataclasses.replace(state, alliance=public.get("alliance"))
    return views.theory_info(state, state.prior)


def in_seconds(seconds: float) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z")


class ScriptedServer:
    """Plays the server's side of /ws/play/ for one page: records what the page sends."""

    def __init__(self, page: Page):
        self.page = page
        self.sockets: list[Any] = []
        self.received: list[dict[str, Any]] = []
        self.seq = 1 << 40
        page.route_web_socket(re.compile(r"/ws/play/$"), self._accept)

    def _accept(self, socket: Any) -> None:
        self.sockets.append(socket)
        socket.on_message(lambda message: self.received.append(json.loads(message)))

    def connected(self, count: int = 1) -> None:
        wait_for(self.page, lambda: len(self.sockets) >= count)

    def state(self, view: dict[str, Any], seq: int | None = None) -> None:
        """Send `view` with the next seq, or with the given one (to send an old view)."""
        if seq is None:
            self.seq += 1
        self.sockets[-1].send(json.dumps({"type": "state", "seq": seq or self.seq, "view": view}))

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.received if frame.get("type") == kind]


def test_paused_debrief_modules_and_reconnection_render(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path
) -> None:
    # Japan may arm in this class (Module A), so the tree has the arming step the first scripted view is at.
    code = crisis_server.create_class("SCRPTD", "--scenario", "japan-arms", "--rounds", "3", *CLASS)
    student = Student(new_page(PHONE), "Aiko")
    student.join(code)  # a real session; the socket is then scripted
    page = student.page
    server = ScriptedServer(page)
    page.reload()
    server.connected()

    # Module A: Japan's arming decision comes first, with what arming does.
    arming = scripted_view("japan", "arming", to_move="japan", actions=["arm", "no_arm"],
                           public={"module_a": True, "armed": None})  # fmt: skip
    server.state(arming)
    expect(page.locator('[data-tree-node="arming"]')).to_have_count(1)
    expect(page.locator('[data-action="arm"]')).to_contain_text("p rises to 0.45 and costs 0.10")
    expect(page.locator("#play-briefing")).to_contain_text("First you decide whether to arm")

    # A view older than the one shown is ignored.
    server.state(scripted_view("japan", "challenge"), seq=5)
    expect(page.locator(BOARD)).to_have_attribute("data-node", "arming")

    # Paused by the instructor: the clock stops and says so.
    paused = scripted_view("japan", "response", to_move="japan", paused_remaining=42.4,
                           class_changes={"status": "paused"})  # fmt: skip
    server.state(paused)
    expect(page.locator("#play-countdown")).to_have_text("Paused with 0:43 left")
    expect(page.locator("#play-banner")).to_contain_text("The instructor has paused the class")
    expect(page.locator("[data-action]")).to_have_count(0)
    expect(page.locator("#turn-prompt")).to_have_text("The Challenger has challenged. Will you resist?")

    # Module C: the Challenger learns its own type (hesitant) once Japan has resisted.
    hesitant = scripted_view("challenger", "attack", to_move="challenger", actions=["attack", "withdraw"],
                             private={"challenger_type": "hesitant", "cC": 0.45, "cCa": 0.625},
                             public={"module_c": True, "alliance": 1})  # fmt: skip
    server.state(hesitant)
    expect(page.locator('[data-private="challenger_type"]')).to_contain_text("Your type: hesitant")
    expect(page.locator("#play-private")).to_contain_text("cC = 0.45")

    # The connection drops: the page says so, reconnects by itself and asks for the state again; a move
    # made meanwhile is sent once the socket is back, with the same move_id.
    server.sockets[-1].close(code=1011)
    expect(page.locator("#play-connection")).to_have_attribute("data-state", "reconnecting")
    page.click('[data-action="withdraw"]')
    expect(page.locator("#play-notice")).to_contain_text("Not connected")
    server.connected(2)
    wait_for(page, lambda: bool(server.sent("sync")) and bool(server.sent("move")))
    moves = server.sent("move")
    assert [m["action"] for m in moves] == ["withdraw"]
    expect(page.locator("#play-connection")).to_have_attribute("data-state", "connected")
    expect(page.locator("#play-notice")).to_be_hidden()

    # The debrief, once released: the label, the types revealed, the flags explained, everyone's payoffs.
    debrief = {
        "terminal": "WAR_S", "label": "ABANDONMENT", "qualifier": None,
        "types": {"us": "N", "challenger": None},
        "flags": [{"name": "BLUFF_CALLED"}, {"name": "COSTLY_SIGNAL_PAID", "K": 0.15, "K1": 0.05},
                  {"name": "EMBOLDENED_RESISTANCE"}],
        "payoffs": {"us": -0.26, "challenger": 0.5, "japan": -0.1}, "benchmark": {"selected": "E5"},
        "bargaining_range": {"rho": 0.8, "low": 0.39, "high": 1.0},
    }  # fmt: skip
    history = [{"node": "alliance", "role": "us", "action": "alliance"},
               {"node": "challenge", "role": "challenger", "action": "challenge"},
               {"node": "response", "role": "japan", "action": "resist"},
               {"node": "attack", "role": "challenger", "action": "attack"},
               {"node": "intervention", "role": "us", "action": "stay_out"}]  # fmt: skip
    released = scripted_view(
        "japan", "end", history=history, public={"alliance": 1}, debrief=debrief,
        outcome={"terminal": "WAR_S", "label": "ABANDONMENT", "qualifier": None, "payoffs": {"japan": -0.1}},
        class_changes={"debrief_released": True, "next_round_at": in_seconds(30)},
        you_changes={"next_role": "us"},
    )  # fmt: skip
    server.state(released)
    result = page.locator(OUTCOME)
    expect(result).to_have_attribute("data-outcome", "ABANDONMENT")
    expect(result).to_contain_text("Abandonment: the United States had allied with Japan but stayed out")
    expect(result).to_contain_text("The United States was not resolute.")
    expect(result).to_contain_text(
        "Costly signal: the alliance cost the United States 0.15 (Japan paid 0.05, which signals nothing)."
    )
    expect(result).to_contain_text(
        re.compile(r"Next round in 0:[23]\d\. Next round you play United States\.")
    )
    expect(result.locator("a[href='/play/debrief/']")).to_be_visible()
    expect(page.locator('[data-terminal="WAR_S"].is-reached')).to_have_count(1)
    snap(page, screenshot_dir, "debrief-phone.png", PHONE)
