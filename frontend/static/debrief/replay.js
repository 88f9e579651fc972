// Step through a replay one event at a time (debrief/replay.html). Without this script every step is
// listed; with it one step shows at a time: Previous/Next buttons, ← → keys, Home/End. The step shown is in
// the address (#step-N) and in the links to the other points of view, so switching keeps it.
(() => {
  "use strict";
  const root = document.querySelector("[data-replay]");
  if (!root) return;
  const steps = Array.from(root.querySelectorAll(".replay-step"));
  const controls = root.querySelector("[data-controls]");
  const counter = root.querySelector("[data-step-counter]");
  if (!steps.length || !controls) return;
  let current = 0;

  const fromHash = () => {
    const match = /^#step-(\d+)$/.exec(window.location.hash);
    return match ? Math.min(Number(match[1]), steps.length - 1) : 0;
  };

  const show = (index, focus) => {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => {
      step.classList.toggle("current", i === current);
      step.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    root.dataset.current = String(current);
    counter.textContent = counter.dataset.template
      .replace("%(step)s", String(current))
      .replace("%(total)s", String(steps.length - 1));
    controls.querySelector('[data-step-control="prev"]').disabled = current === 0;
    controls.querySelector('[data-step-control="first"]').disabled = current === 0;
    controls.querySelector('[data-step-control="next"]').disabled = current === steps.length - 1;
    controls.querySelector('[data-step-control="last"]').disabled = current === steps.length - 1;
    history.replaceState(null, "", `#step-${current}`);
    document.querySelectorAll("a[data-viewer]").forEach((link) => {
      link.setAttribute("href", `?as=${encodeURIComponent(link.dataset.viewer)}#step-${current}`);
    });
    if (focus) steps[current].querySelector("h2").focus({ preventScroll: false });
  };

  steps.forEach((step) => step.querySelector("h2").setAttribute("tabindex", "-1"));
  controls.hidden = false;
  root.classList.add("stepping");
  const moves = { first: () => 0, prev: () => current - 1, next: () => current + 1, last: () => steps.length - 1 };
  controls.addEventListener("click", (event) => {
    const button = event.target.closest("[data-step-control]");
    if (button) show(moves[button.dataset.stepControl](), false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select")) return;
    const keys = { ArrowLeft: "prev", ArrowRight: "next", Home: "first", End: "last" };
    const move = keys[event.key];
    if (!move) return;
    event.preventDefault();
    show(moves[move](), true);
  });
  show(fromHash(), false);
})();
