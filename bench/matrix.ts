import type { CaseSpec, PollerKind } from "./types";
import { POLLER_KINDS } from "./types";

// The cases of `npm run bench`: the matrix, and how often each poller is polled and run.

export const FINISHED = [1_000, 10_000, 100_000];
export const OPEN = [50, 500];
export const CHANGED_PERCENT = [0, 1, 10];
const SEED = 20_250_301;
/** Beyond this many finished jobs a naive poll takes most of a minute: no quiet poll there (see CaseSpec.quietPolls). */
const NAIVE_WARM_UP_LIMIT = 10_000;

/** Runs per case: ours' figures decide the "flat in N" targets, so they are medians over fresh processes. */
export function runsFor(poller: PollerKind): number {
  return poller === "ours" ? 3 : 1;
}

/**
 * Unmeasured polls per case. Ours' poll takes tens of milliseconds and keeps getting faster over the first polls
 * of a process (JIT warm-up): those are left out of its figures. A baseline's poll is long enough to warm itself.
 */
export function warmUpPollsFor(poller: PollerKind): number {
  return poller === "ours" ? 5 : poller === "window" ? 1 : 0;
}

/** Measured quiet polls per case: enough for a stable median where a poll is short. */
export function quietPollsFor(poller: PollerKind, finished: number): number {
  if (poller === "ours") return 20;
  if (poller === "window") return 2;
  return finished > NAIVE_WARM_UP_LIMIT ? 0 : 1;
}

export function matrix(finished = FINISHED, pollers: readonly PollerKind[] = POLLER_KINDS): CaseSpec[] {
  const specs: CaseSpec[] = [];
  for (const count of finished)
    for (const open of OPEN)
      for (const changedPercent of CHANGED_PERCENT)
        for (const poller of pollers)
          specs.push({
            poller,
            finished: count,
            open,
            changedPercent,
            warmUpPolls: warmUpPollsFor(poller),
            quietPolls: quietPollsFor(poller, count),
            // Not per poller, and not per N: every poller and every N sees the same open jobs change the same way,
            // so what differs between cases of one open count is only the history around them.
            seed: SEED + open + changedPercent,
          });
  return specs;
}
