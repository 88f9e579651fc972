// What the student's page holds between frames: the view shown and its seq, and the move sent and not yet
// answered. Pure (no DOM, no socket), so `node --test` checks the rules:
// * never go back: a `state` older than the one shown is ignored (a slow tab, a reordered push);
// * a pending move is sent again, with the same move_id, after a reconnect (the server applies a
//   move_id at most once), until the round moves on or the server refuses it;
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
  move(action) {
    if (this.pending || !this.view || !this.view.round) return null;
    const frame = { type: "move", action: action, move_id: this.makeMoveId(), seq: this.seq };
    this.pending = { frame: frame, key: roundKey(this.view), action: action };
    this.sentMoves.add(frame.move_id);
    return frame;
  }

  // The pending move's frame, to send again as it was (same move_id) once the socket is back.
  retry() {
    return this.pending ? this.pending.frame : null;
  }

  // Takes an `error` frame. Returns false when it is about a move another tab sent (ignore it), true
  // otherwise; an error about the pending move (or about no move in particular) ends it.
  refused(frame) {
    if (frame.ref && !this.sentMoves.has(frame.ref)) return false;
    if (this.pending && (!frame.ref || frame.ref === this.pending.frame.move_id)) this.pending = null;
    return true;
  }
}
