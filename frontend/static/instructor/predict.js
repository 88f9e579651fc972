/* Crisis Table: keep "What theory predicts" up to date while the instructor edits a scenario.
   On every change of a parameter field (debounced), the whole form is posted to /instructor/predict/,
   which answers the rendered panel (HTML made by Django's templates, so already escaped) and, for invalid
   input, the errors per field; those are also shown next to the fields. No build step, no library. */
(function () {
  "use strict";
  var panel = document.getElementById("ct-prediction");
  if (!panel) { return; }
  var form = panel.closest("form");
  var body = panel.querySelector("[data-prediction-body]");
  var status = panel.querySelector("[data-prediction-status]");
  var names = (panel.dataset.params || "").split(/\s+/).filter(Boolean);
  var DELAY = 300;
  var timer = null;
  var latest = 0;
  var controller = null;

  function isParameter(target) {
    return target && target.name && names.indexOf(target.name) !== -1;
  }

  function schedule() {
    window.clearTimeout(timer);
    status.textContent = panel.dataset.textUpdating;
    panel.setAttribute("aria-busy", "true");
    timer = window.setTimeout(recompute, DELAY);
  }

  function clearFieldErrors() {
    form.querySelectorAll("[data-live-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[data-live-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("data-live-invalid");
      var described = (input.getAttribute("aria-describedby") || "").split(/\s+/)
        .filter(function (id) { return id && id !== input.id + "_live_error"; });
      if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
      else { input.removeAttribute("aria-describedby"); }
    });
  }

  function showFieldErrors(errors) {
    clearFieldErrors();
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input || !input.id) { return; }
      var note = document.createElement("p");
      note.className = "ct-live-error";
      note.id = input.id + "_live_error";
      note.setAttribute("data-live-error", "");
      note.textContent = errors[name].join(" ");
      input.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-live-invalid", "");
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
    });
  }

  function render(html) {
    var open = Array.prototype.map.call(body.querySelectorAll("details[open]"), function (d) { return d.id; });
    var closed = Array.prototype.map.call(body.querySelectorAll("details:not([open])"), function (d) { return d.id; });
    body.innerHTML = html;
    open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
    closed.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = false; } });
  }

  function recompute() {
    var mine = ++latest;
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var data = new FormData(form);
    fetch(panel.dataset.predictUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
      signal: controller.signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (answer) {
      if (mine !== latest) { return; }
      render(answer.html);
      showFieldErrors(answer.valid ? {} : answer.errors);
      status.textContent = answer.valid ? panel.dataset.textUpdated : panel.dataset.textInvalid;
      panel.removeAttribute("aria-busy");
    }).catch(function (error) {
      if (error.name === "AbortError" || mine !== latest) { return; }
      status.textContent = panel.dataset.textFailed;
      panel.removeAttribute("aria-busy");
    });
  }

  form.addEventListener("input", function (event) { if (isParameter(event.target)) { schedule(); } });
  form.addEventListener("change", function (event) { if (isParameter(event.target)) { schedule(); } });
})();
