// What a round's result teaches, read from the view (pure: no DOM, so `node --test` checks it):
// * why the US's reputation moved: its own last public decision (abandoned Japan, fought for it, stayed
//   out, formed the alliance, or did not), and whether the reputation rose, fell or stayed;
// * which of the student's decisions the server made for them (`round.moved_for`: timeout, stand-in bot
//   or the instructor), so the page can tell them and mark those moves in the history.

const SAME_BELOW = 0.005; // half a percentage point: shown as the same whole percentage

// The US's decision the reputation moved on, as a cause key; null when the US made none (a pact decided).
export function reputationCause(round) {
  const usMoves = (round.history || []).filter((move) => move.role === "us");
  const last = usMoves[usMoves.length - 1];
  if (!last) return null;
  const allied = (round.public && round.public.alliance) === 1;
  if (last.action === "stay_out") return allied ? "abandoned" : "stayed_out";
  if (last.action === "intervene") return "fought";
  if (last.action === "alliance") return "allied";
  if (last.action === "no_alliance") return "no_alliance";
  return null;
}

export function reputationChange(before, after) {
  if (Math.abs(after - before) < SAME_BELOW) return "same";
  return after > before ? "rose" : "fell";
}

// {cause, change, before, after} once the round is over and its update is known; null otherwise.
export function reputationLesson(round) {
  const rep = round && round.outcome && round.reputation;
  if (!rep || typeof rep.pi_next !== "number" || typeof rep.before !== "number") return null;
  const cause = reputationCause(round);
  if (!cause) return null;
  return { cause: cause, change: reputationChange(rep.before, rep.pi_next), before: rep.before, after: rep.pi_next };
}

// The decisions the server made for the student in this round: [{node, role, by, action}], in order.
export function movedForMe(round, role) {
  if (!round || !role) return [];
  const actions = {};
  for (const move of round.history || []) if (move.role) actions[move.node + ":" + move.role] = move.action;
  return (round.moved_for || [])
    .filter((entry) => entry.role === role)
    .map((entry) => ({ ...entry, action: actions[entry.node + ":" + entry.role] || null }));
}

// Who made each move the server made for a student, by "node:role" (the history marks them).
export function movedForIndex(round) {
  const index = {};
  for (const entry of (round && round.moved_for) || []) index[entry.node + ":" + entry.role] = entry.by;
  return index;
}
