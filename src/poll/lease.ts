import type { Invocation, WriterDependencies } from "./invocation";
import type { MetaProgress } from "./ports";

/** The work's result, or that another writer held the lease and the work did not run. */
export type Leased<T> = { leased: true; result: T } | { leased: false };

/**
 * Runs `work` holding the writer lease, then gives the lease back, recording `progressAfter(result)` (the watermark,
 * the deep reconciliation) in the meta row. Does not run `work` when another writer holds the lease. On an error the lease is given back
 * at once (the next poll need not wait for it to expire), the watermark stays put, and the error is rethrown.
 */
export async function withLease<T>(
  { snapshot, clock }: Pick<WriterDependencies, "snapshot" | "clock">,
  invocation: Invocation,
  work: () => Promise<T>,
  progressAfter: (result: T) => MetaProgress = () => ({}),
): Promise<Leased<T>> {
  if (!(await snapshot.acquireLease(invocation.pollId, clock(), invocation.deadline))) return { leased: false };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A failed release must not hide the error that matters.
    await snapshot.releaseLease(invocation.pollId).catch(() => undefined);
    throw error;
  }
  await snapshot.releaseLease(invocation.pollId, progressAfter(result));
  return { leased: true, result };
}
