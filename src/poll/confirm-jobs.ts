import { diffJobs } from "../domain/diff";
import type { BatchJob } from "../domain/job";
import { announceUnderLease } from "./announce";
import { mapWithConcurrency } from "./concurrency";
import { type DeliveryCounts, type DeliveryDependencies, NO_DELIVERY } from "./deliver";
import type { Invocation } from "./invocation";
import type { JobSource } from "./ports";

/** Gets in flight at once for one batch of events. */
const GET_CONCURRENCY = 5;

export interface ConfirmJobsDependencies extends DeliveryDependencies {
  jobs: JobSource;
  /** How long to wait for a busy lease before asking for a retry (default: none); `sleep` is replaceable in tests. */
  leaseWait?: { maxMs: number; sleep?: (ms: number) => Promise<void> };
}

/** A busy lease is asked for again after 250 ms, 500 ms, 1 s, then every 2 s, while the wait allows. */
const LEASE_RETRY_MS = [250, 500, 1000, 2000];
/** Never wait into the part of the invocation that publishing and committing need. */
const LEASE_WAIT_DEADLINE_MARGIN_MS = 15_000;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What became of each job: announced (its change went out), unchanged (the snapshot already had it: another path
 * announced it first), not-found (Bedrock no longer knows it), retry (its change is still to be sent: the lease was
 * busy, or the publish failed or ran out of time).
 */
export type JobConfirmation = "announced" | "unchanged" | "not-found" | "retry";

export interface ConfirmJobsReport extends DeliveryCounts {
  leaseBusy: boolean;
  jobs: Map<string, JobConfirmation>;
}

/**
 * Confirms jobs some event said changed, all of one scope, under one lease: each is read from Bedrock (the event
 * itself carries no counts and may be stale), the ones that differ from the snapshot are announced through the same
 * write path as the scheduled poll, so a transition is sent once whichever path sees it first. Nothing changed, no
 * lease taken and nothing written.
 */
export async function confirmJobs(
  deps: ConfirmJobsDependencies,
  invocation: Invocation,
  jobArns: readonly string[],
): Promise<ConfirmJobsReport> {
  const unique = [...new Set(jobArns)];
  const outcome = new Map<string, JobConfirmation>();
  const fetched = await mapWithConcurrency(unique, GET_CONCURRENCY, (jobArn) => deps.jobs.getJob(jobArn));
  const found: BatchJob[] = [];
  unique.forEach((jobArn, index) => {
    const job = fetched[index];
    if (job) found.push(job);
    else {
      deps.diagnostics.warn("job-vanished", { jobArn });
      outcome.set(jobArn, "not-found");
    }
  });

  const stored = found.length > 0 ? await deps.snapshot.getRecords(found.map((job) => job.jobArn)) : new Map();
  const changed = new Set(diffJobs(stored, found).transitions.map(({ job }) => job.jobArn));
  for (const job of found) if (!changed.has(job.jobArn)) outcome.set(job.jobArn, "unchanged");
  if (changed.size === 0) return { ...NO_DELIVERY, leaseBusy: false, jobs: outcome };

  const toAnnounce = found.filter((job) => changed.has(job.jobArn));
  const result = await announceWaitingForLease(deps, invocation, toAnnounce);
  if (result.outcome === "lease-busy") {
    for (const job of toAnnounce) outcome.set(job.jobArn, "retry");
    return { ...NO_DELIVERY, leaseBusy: true, jobs: outcome };
  }
  const undelivered = new Set(result.undelivered.map(({ job }) => job.jobArn));
  const decided = new Set(result.decided.map(({ job }) => job.jobArn));
  for (const job of toAnnounce) {
    // Not decided under the lease: another writer committed the change between the first read and the lease.
    if (!decided.has(job.jobArn)) outcome.set(job.jobArn, "unchanged");
    else outcome.set(job.jobArn, undelivered.has(job.jobArn) ? "retry" : "announced");
  }
  return { ...result.counts, leaseBusy: false, jobs: outcome };
}

/**
 * Another writer holds the scope's lease: usually a poll or another batch that is done within a second or two. A
 * short wait then sends the change now, where a retry through the queue would wait out the visibility timeout.
 */
async function announceWaitingForLease(
  deps: ConfirmJobsDependencies,
  invocation: Invocation,
  jobs: readonly BatchJob[],
): ReturnType<typeof announceUnderLease> {
  const { maxMs = 0, sleep = realSleep } = deps.leaseWait ?? {};
  const startedAt = deps.clock().getTime();
  for (let attempt = 0; ; attempt++) {
    const result = await announceUnderLease(deps, invocation, { jobs });
    if (result.outcome !== "lease-busy") return result;
    const pause = LEASE_RETRY_MS[Math.min(attempt, LEASE_RETRY_MS.length - 1)] as number;
    const now = deps.clock().getTime();
    const waitedTooLong = now + pause - startedAt > maxMs;
    const nearDeadline = invocation.deadline.getTime() - (now + pause) < LEASE_WAIT_DEADLINE_MARGIN_MS;
    if (waitedTooLong || nearDeadline) return result;
    await sleep(pause);
  }
}
