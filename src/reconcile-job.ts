import {
  confirmAndDeliver,
  type DeliveryDependencies,
  type DeliveryInvocation,
  type DeliveryReport,
  emptyDeliveryReport,
  withLease,
} from "./deliver";
import { diffJobs } from "./domain/diff";
import type { JobSource } from "./ports";

export interface ReconcileJobDependencies extends DeliveryDependencies {
  jobs: JobSource;
}

export type ReconcileOutcome = "delivered" | "undelivered" | "unchanged" | "not-found" | "lease-busy";

export interface ReconcileJobReport extends DeliveryReport {
  outcome: ReconcileOutcome;
}

/**
 * Announces one job's change as soon as Bedrock reports it, through the same lease, snapshot and publisher as the
 * scheduled poll, so a transition is sent once whichever path sees it first. When the lease is busy the event is
 * left to the next poll, which finds the change anyway: this path only makes notifications earlier.
 */
export async function reconcileJob(
  deps: ReconcileJobDependencies,
  invocation: DeliveryInvocation,
  jobArn: string,
): Promise<ReconcileJobReport> {
  const report: ReconcileJobReport = { outcome: "unchanged", ...emptyDeliveryReport() };
  const job = await deps.jobs.getJob(jobArn);
  if (!job) {
    deps.diagnostics.warn("job-vanished", { jobArn });
    return { ...report, outcome: "not-found" };
  }
  const stored = await deps.snapshot.getRecords([jobArn]);
  if (diffJobs(stored, [job]).transitions.length === 0) return report;

  const leased = await withLease(deps, invocation, async () => {
    await confirmAndDeliver(deps, invocation, [job], report);
    return undefined;
  });
  if (!leased) return { ...report, outcome: "lease-busy" };
  const outcome = report.published > 0 ? "delivered" : report.transitions > 0 ? "undelivered" : "unchanged";
  return { ...report, outcome };
}
