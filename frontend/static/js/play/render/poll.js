// A "predict before the reveal" poll (view.poll): the instructor's question with Yes / No buttons
// (data-poll-answer), the student's answer pressed. Answering is an HTTP POST to /play/poll/ (session
// cookie + CSRF token), not a socket frame: the protocol's client frames stay move / sync / ping. The server
// pushes the new view after the answer; the card also marks the answer from the POST's reply at once.
// Answering again changes the answer while the poll is open.

import { fill } from "../../shared/format.js";
import { byId, h, show } from "../../shared/dom.js";
import { T } from "../context.js";

const P = T.poll || {};
let current = null; // the poll shown: {id, question, your_answer, ...}
let sending = false;

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function pressed(answer) {
  for (const button of byId("poll-answers").querySelectorAll("[data-poll-answer]")) {
    button.setAttribute("aria-pressed", button.dataset.pollAnswer === answer ? "true" : "false");
    button.disabled = sending;
  }
  byId("poll-yours").textContent = answer ? fill(P.yours, { answer: (P.answers || {})[answer] || answer }) : "";
}

function showError(message) {
  const box = byId("poll-error");
  box.textContent = message || "";
  show(box, !!message);
}

async function send(answer) {
  if (!current || sending) return;
  const box = byId("play-poll");
  sending = true;
  pressed(current.your_answer);
  showError("");
  try {
    const response = await fetch(box.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ poll: current.id, answer: answer }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok && current && body.poll === current.id) {
      current = { ...current, your_answer: body.answer };
    } else if (!response.ok) {
      const code = body.error && body.error.code;
      showError(((P.errors || {})[code]) || (body.error && body.error.message) || T.not_connected);
    }
  } catch (error) {
    showError(T.not_connected);
  } finally {
    sending = false;
    pressed(current && current.your_answer);
  }
}

export function renderPoll(view) {
  const box = byId("play-poll");
  const poll = view && view.poll;
  show(box, !!poll);
  if (!poll) {
    current = null;
    box.dataset.poll = "";
    return;
  }
  const fresh = !current || current.id !== poll.id;
  current = poll;
  box.dataset.poll = String(poll.id);
  box.dataset.question = poll.question;
  if (fresh) {
    showError("");
    byId("poll-eyebrow").textContent = P.title || "";
    byId("poll-title").textContent = ((P.questions || {})[poll.question] || {}).text || poll.question;
    byId("poll-help").textContent = P.help || "";
    byId("poll-answers").replaceChildren(...poll.options.map((answer) => h("button", {
      type: "button", class: "poll-answer", "data-poll-answer": answer, "aria-pressed": "false",
      text: (P.answers || {})[answer] || answer, onclick: () => send(answer),
    })));
  }
  pressed(poll.your_answer);
}
