import { diffJobs } from "../domain/diff";
import { announceUnderLease } from "./announce";
import { type DeliveryCounts, type DeliveryDependencies, NO_DELIVERY } from "./deliver";
import type { Invocation } from "./invocation";
import type { JobSource } from "./ports";

export interface ReconcileJobDependencies extends DeliveryDependencies {
  jobs: JobSource;
}

export type ReconcileOutcome = "delivered" | "undelivered" | "unchanged" | "not-found" | "lease-busy";

export interface ReconcileJobReport extends DeliveryCounts {
  outcome: ReconcileOutcome;
}

/**
 * Announces one job's change as soon as Bedrock reports it, through the same lease, snapshot and publisher as the
 * scheduled poll, so a transition is sent once whichever path sees it first. When the lease is busy the event is
 * left to the next poll, which finds the change anyway: this path only makes notifications earlier.
 */
export async function reconcileJob(
  deps: ReconcileJobDependencies,
  invocation: Invocation,
  jobArn: string,
): Promise<ReconcileJobReport> {
  const job = await deps.jobs.getJob(jobArn);
  if (!job) {
    deps.diagnostics.warn("job-vanished", { jobArn });
    return { outcome: "not-found", ...NO_DELIVERY };
  }
  const stored = await deps.snapshot.getRecords([jobArn]);
  if (diffJobs(stored, [job]).transitions.length === 0) return { outcome: "unchanged", ...NO_DELIVERY };

  const result = await announceUnderLease(deps, invocation, { jobs: [job] });
  return { outcome: result.outcome, ...result.counts };
}
