// What the student's page holds between frames: the view shown and its seq, and the move sent and not yet
// answered. Pure (no DOM, no socket), so `node --test` checks the rules:
// * never go back: a `state` older than the one shown is ignored (a slow tab, a reordered push);
// * a pending move is sent again, with the same move_id, after a reconnect and whenever no state has
//   answered it for a while (3 s, doubling to 15 s, six times at most: a worker killed holding it), until
//   the round moves on or the server refuses it (the server applies a move_id at most once);
// * an `error` about a move another tab of this student sent is that tab's business.

// Identifies "the same decision": the round and its seq (the server bumps it with every move).
export function roundKey(view) {
  const round = view && view.round;
  return round ? round.number + ":" + round.seq : "";
}

export function newMoveId() {
  if (globalThis.crypto && globalThis.crypto.randomUUID) return globalThis.crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

export const RESEND_FIRST_MS = 3000;
export const RESEND_MAX_MS = 15000;
export const RESEND_TRIES = 6;
const RETRY_SOON_MS = 1000; // after "busy" refusals (rate_limited, unavailable): the move still stands
const PASSING_REFUSALS = ["rate_limited", "unavailable"];

export class PlayState {
  constructor(makeMoveId = newMoveId) {
    this.seq = -1; // seq of the view shown
    this.view = null; // the view shown
    this.pending = null; // the move sent and not answered: {frame, key, action}
    this.sentMoves = new Set(); // move_ids this page sent
    this.makeMoveId = makeMoveId;
  }

  // Takes a `state` frame. Returns the view it replaces (null at first), or undefined when the frame is
  // older than the view shown and was ignored.
  accept(frame) {
    if (frame.seq < this.seq) return undefined;
    const before = this.view;
    this.seq = frame.seq;
    this.view = frame.view;
    if (this.pending && roundKey(this.view) !== this.pending.key) this.pending = null; // applied, or overtaken
    return before;
  }

  // The `move` frame for `action`, remembered as pending; null while another move is pending or there is
  // no round to play in.
  move(action, now = Date.now()) {
    if (this.pending || !this.view || !this.view.round) return null;
    const frame = { type: "move", action: action, move_id: this.makeMoveId(), seq: this.seq };
    this.pending = { frame: frame, key: roundKey(this.view), action: action, sentAt: now,
      wait: RESEND_FIRST_MS, tries: 0 };
    this.sentMoves.add(frame.move_id);
    return frame;
  }

  // The pending move's frame, to send again as it was (same move_id) once the socket is back.
  retry() {
    return this.pending ? this.pending.frame : null;
  }

  // The pending move's frame when no state has answered it in time (null otherwise); each call that
  // returns it counts as a re-send, and the next one waits twice as long.
  due(now = Date.now()) {
    const p = this.pending;
    if (!p || p.tries >= RESEND_TRIES || now - p.sentAt < p.wait) return null;
    p.tries += 1;
    p.sentAt = now;
    p.wait = Math.min(Math.max(p.wait, RESEND_FIRST_MS) * 2, RESEND_MAX_MS);
    return p.frame;
  }

  // Takes an `error` frame. Returns false when it is about a move another tab sent (ignore it), true
  // otherwise; an error about the pending move (or about no move in particular) ends it.
  refused(frame, now = Date.now()) {
    if (frame.ref && !this.sentMoves.has(frame.ref)) return false;
    const p = this.pending;
    if (p && frame.ref === p.frame.move_id && PASSING_REFUSALS.includes(frame.code)) {
      p.sentAt = now; // the move stands: send it again soon
      p.wait = RETRY_SOON_MS;
      return true;
    }
    if (p && (!frame.ref || frame.ref === p.frame.move_id)) this.pending = null;
    return true;
  }
}
