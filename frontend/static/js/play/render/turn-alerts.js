// Optional turn alerts for a noisy lecture hall: when it becomes the student's turn, a short chime (Web
// Audio API), a vibration pattern where the device has one (iOS has none: the flash and the chime still
// work there) and a full-screen flash. A toggle in the bar turns them on; the choice is remembered on the
// device (localStorage). Browsers let a page make sound only after a tap, so the toggle (or any later tap)
// wakes the audio up.

import { byId } from "../../shared/dom.js";
import { T } from "../context.js";

const STORAGE_KEY = "ct-turn-alerts";
const VIBRATION = [180, 90, 180, 90, 320];
const FLASH_MS = 900;
let audio = null;

export function alertsOn() {
  try { return localStorage.getItem(STORAGE_KEY) === "on"; } catch (e) { return false; }
}

function remember(on) {
  try { localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
}

function wakeAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  if (!audio) audio = new Context();
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}

// Two rising notes, a quarter of a second in all.
function chime() {
  const context = wakeAudio();
  if (!context) return;
  const start = context.currentTime;
  [[880, 0], [1320, 0.12]].forEach(([frequency, offset]) => {
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.type = "sine";
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.13);
    tone.connect(gain).connect(context.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.14);
  });
}

function vibrate() {
  if (!navigator.vibrate) return;
  try { navigator.vibrate(VIBRATION); } catch (e) { /* not allowed */ }
}

function flash() {
  const overlay = byId("play-flash");
  overlay.hidden = false;
  overlay.classList.remove("is-flashing");
  void overlay.offsetWidth; // restart the animation
  overlay.classList.add("is-flashing");
  setTimeout(() => { overlay.hidden = true; overlay.classList.remove("is-flashing"); }, FLASH_MS);
}

// It is the student's turn: a short vibration always (as before), everything when the alerts are on.
export function alertTurn() {
  if (!alertsOn()) {
    if (navigator.vibrate) { try { navigator.vibrate(120); } catch (e) { /* not allowed */ } }
    return;
  }
  const root = document.documentElement;
  root.dataset.turnAlert = String(Number(root.dataset.turnAlert || 0) + 1); // a hook for tests
  chime();
  vibrate();
  flash();
}

function renderToggle() {
  const on = alertsOn();
  const button = byId("play-alerts");
  button.setAttribute("aria-pressed", on ? "true" : "false");
  button.title = T.alerts_help;
  byId("play-alerts-text").textContent = on ? T.alerts_on : T.alerts_off;
}

export function setUpTurnAlerts() {
  renderToggle();
  byId("play-alerts").addEventListener("click", () => {
    const on = !alertsOn();
    remember(on);
    if (on) wakeAudio();
    renderToggle();
  });
  document.addEventListener("pointerdown", () => { if (alertsOn()) wakeAudio(); }, { once: true });
}
